#!/usr/bin/env bash
# Benchmark of khojaly at scale (not a test: nothing here passes or fails on a time).
#
#   scripts/bench.sh [N ...]        (default: 10000 100000 1000000 records)
#
# For each N: clones the bundled records under new ids into a temporary data directory
# (scripts/bench/synth.py), then times `khojaly validate`, `khojaly release --archives none`
# and `khojaly release` (default archives), all with --no-site, then `khojaly release
# --archives none` with the web view (site/: three files a record, the search index) when a
# published version precedes it (the bundled data's, so all but 154 records are added), and
# DuckDB and pyarrow turning that release's records.jsonl into records.parquet + records.csv
# (scripts/bench/convert.py). For the largest N, Spark also reads every Parquet table of the
# `--archives none` release and joins claims to records (scripts/bench/spark_read.py; its own
# report is printed after the table). Prints wall
# time, records/s, MB/s and peak RSS of each, and the ratios to DuckDB. Needs Rust and Python 3
# with pip; the engines are installed into target/py-bench (pinned in
# scripts/bench/requirements.txt), and Java 17+ for Spark (installed from the system packages
# when missing and running as root; otherwise the Spark row is left out).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ $# -gt 0 ]; then sizes=("$@"); else sizes=(10000 100000 1000000); fi
largest=$(printf '%s\n' "${sizes[@]}" | sort -n | tail -1)

# Java for the Spark read: pyspark starts Spark in a JVM of the machine's (Spark 4 needs Java 17
# or newer; Debian's default-jre-headless is 17 on bookworm). Checked first, so that a missing
# Java is said before the long runs.
spark=yes
if ! command -v java >/dev/null; then
    if [ "$(id -u)" = 0 ]; then
        echo "no java: installing default-jre-headless for the Spark read" >&2
        if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null; }; then
            echo "apt-get could not install Java: the Spark read is left out" >&2
            spark=no
        fi
    else
        echo "no java: the Spark read is left out (as root: apt-get install default-jre-headless)" >&2
        spark=no
    fi
fi
if [ "$spark" = yes ]; then
    # pyspark takes JAVA_HOME's java over PATH's: point it at the one found, unless it holds one.
    if [ ! -x "${JAVA_HOME:-/nonexistent}/bin/java" ]; then
        JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
        export JAVA_HOME
    fi
    java_version=$("$JAVA_HOME/bin/java" -XshowSettings:properties -version 2>&1 |
        awk -F' = ' '/java.specification.version/ { print $2 }')
    if awk -v v="$java_version" 'BEGIN { exit !(v + 0 < 17) }'; then
        echo "Java $java_version in $JAVA_HOME: Spark 4 needs 17 or newer; the Spark read is left out" >&2
        spark=no
    fi
fi

cargo build --release --locked --quiet
bin=$PWD/target/release/khojaly

venv=target/py-bench
requirements=scripts/bench/requirements.txt
if [ ! -x "$venv/bin/python" ] || ! cmp -s "$requirements" "$venv/requirements.installed"; then
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements"
    cp "$requirements" "$venv/requirements.installed"
fi
py=$PWD/$venv/bin/python

tmp=$(mktemp -d "${TMPDIR:-/tmp}/khojaly-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# Bytes of a file or folder tree.
bytes() { du -sb "$@" | awk '{ s += $1 } END { print s }'; }

# warm DIR: reads every file under DIR once (untimed), so that the khojaly steps reading it start
# from the page cache (validate leaves it there for the release right after it), as the engines'
# steps do (their input, records.jsonl, was just written by the release). Without it, the 1M-record steps read part of their 6 GB of record files from disk
# (the machine's page cache holds the release's output too): validate took 158 s cold and 62 s
# warm on the same data, and the engines were timed warm.
warm() { find "$1" -type f -print0 | xargs -0 cat >/dev/null; }

# run LABEL N MBYTES CMD...: runs CMD, prints one table row; MBYTES is a command printing the
# bytes the step reads or writes (evaluated after the run). Sets $last_wall (nan on failure).
run() {
    local label=$1 n=$2 mbytes=$3
    shift 3
    local start end
    start=$(date +%s.%N)
    if ! /usr/bin/time -v -o "$tmp/time" "$@" >"$tmp/out" 2>"$tmp/err"; then
        echo "$label failed:" >&2
        tail -5 "$tmp/err" >&2
        last_wall=nan
        return 1
    fi
    end=$(date +%s.%N)
    local rss b cpu
    rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$tmp/time")
    cpu=$(awk -F': ' '/User time|System time/ { s += $2 } END { print s }' "$tmp/time")
    b=$(eval "$mbytes")
    last_wall=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.2f", e - s }')
    # awk pads by bytes: a label with "→" (three bytes, one column) gets the difference back.
    local width=$((26 + $(printf %s "$label" | wc -c) - $(printf %s "$label" | LC_ALL=C.UTF-8 wc -m)))
    awk -v l="$label" -v pw="$width" -v n="$n" -v w="$last_wall" -v c="$cpu" -v r="$rss" -v b="$b" 'BEGIN {
        printf "| %9d | %-" pw "s | %8.2f | %8.2f | %9.0f | %7.1f | %6.0f |\n", n, l, w, c, n / w, b / 1e6 / w, r / 1024 }'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == "nan" || b == 0) print "n/a"; else printf "%.2f", a / b }'; }

echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo); khojaly $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
echo
echo "MB/s: validate counts the record files read; release and the engines the bytes they write;"
echo "the Spark read the Parquet tables it reads."
echo
echo "CPU s: user + system time (the machine may be shared: wall time includes waiting for it)."
echo
echo "Every step starts with its input in the page cache: the record files are read, untimed, before"
echo "validate and before the release with archives; the engines read the records.jsonl the release"
echo "just wrote."
echo
echo "|   records | step                       |   wall s |    CPU s | records/s |    MB/s | RSS MB |"
echo "|----------:|----------------------------|---------:|---------:|----------:|--------:|-------:|"
ratios=()
for n in "${sizes[@]}"; do
    data=$tmp/data-$n
    python3 scripts/bench/synth.py data "$data" "$n"
    warm "$data"
    run "validate" "$n" "bytes $data/records" "$bin" validate --data "$data" || exit 1
    # One record: its file and the small files it refers to, not the corpus (records/s is the
    # corpus size over the time, not a rate of work).
    one=$(basename "$(find "$data/records/media_item" -name '*.toml' -print -quit)" .toml)
    run "cite ID" "$n" "echo 0" "$bin" cite "$one" --data "$data" || exit 1
    run "claims --record ID" "$n" "echo 0" "$bin" claims --record "$one" --data "$data" || exit 1
    run "validate --explain ID" "$n" "echo 0" "$bin" validate --explain "$one" --data "$data" || exit 1
    run "stats --record ID" "$n" "echo 0" "$bin" stats --record "$one" --data "$data" || exit 1
    out=$tmp/out-$n
    run "release --archives none" "$n" "bytes $out" "$bin" release --data "$data" --out "$out" --archives none --no-site || exit 1
    none=$last_wall
    jsonl=$(ls "$out"/*/data/records.jsonl)
    run "duckdb jsonl→parquet+csv" "$n" "bytes $tmp/duckdb" "$py" scripts/bench/convert.py duckdb "$jsonl" "$tmp/duckdb" || true
    duck=$last_wall
    rm -rf "$tmp/duckdb"
    run "pyarrow jsonl→parquet+csv" "$n" "bytes $tmp/pyarrow" "$py" scripts/bench/convert.py pyarrow "$jsonl" "$tmp/pyarrow" || true
    arrow=$last_wall
    rm -rf "$tmp/pyarrow"
    if [ "$n" = "$largest" ] && [ "$spark" = yes ]; then
        release_dir=$(dirname "$(dirname "$jsonl")")
        run "spark read parquet + join" "$n" "bytes $release_dir/data/*.parquet" \
            "$py" scripts/bench/spark_read.py "$release_dir" || true
        cp "$tmp/out" "$tmp/spark-report"
    fi
    rm -rf "$out"
    out=$tmp/all-$n
    warm "$data"
    run "release (tar.gz + zip)" "$n" "bytes $out" "$bin" release --data "$data" --out "$out" --no-site || exit 1
    rm -rf "$out"
    # The usual case for a growing corpus: a published version before it (the bundled data's
    # current one, whose manifest is in data/releases/), so the release also compares every
    # record with it and writes the changes; the next minor version, as records were added.
    mkdir -p "$data/releases"
    cp data/releases/*.manifest "$data/releases/"
    awk -F'"' -v OFS='"' '/^version = / { split($2, v, "."); $2 = v[1] "." v[2] + 1 ".0" } { print }' \
        data/dataset.toml > "$data/dataset.toml"
    out=$tmp/site-$n
    warm "$data"
    run "release + site/, after one" "$n" "bytes $out" "$bin" release --data "$data" --out "$out" --archives none --site || exit 1
    ratios+=("$n: release --archives none / duckdb = $(ratio "$none" "$duck"); / pyarrow = $(ratio "$none" "$arrow"); release with archives / duckdb = $(ratio "$last_wall" "$duck")")
    rm -rf "$out" "$data"
done
echo
printf '%s\n' "${ratios[@]}"
if [ -s "$tmp/spark-report" ]; then
    echo
    echo "Spark read of the $largest-record release (scripts/bench/spark_read.py):"
    echo
    cat "$tmp/spark-report"
fi
