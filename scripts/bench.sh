#!/usr/bin/env bash
# Benchmark of khojaly at scale (not a test: nothing here passes or fails on a time).
#
#   scripts/bench.sh [N ...]        (default: 10000 100000 1000000 records)
#
# For each N: clones the bundled records under new ids into a temporary data directory
# (scripts/bench/synth.py), then times `khojaly validate`, `khojaly release --archives none`
# and `khojaly release` (default archives), and DuckDB and pyarrow turning that release's
# records.jsonl into records.parquet + records.csv (scripts/bench/convert.py). Prints wall time,
# records/s, MB/s and peak RSS of each, and the ratios to DuckDB. Needs Rust and Python 3 with
# pip; the engines are installed into target/py-bench (pinned in scripts/bench/requirements.txt).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ $# -gt 0 ]; then sizes=("$@"); else sizes=(10000 100000 1000000); fi

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
    awk -v l="$label" -v n="$n" -v w="$last_wall" -v c="$cpu" -v r="$rss" -v b="$b" 'BEGIN {
        printf "| %9d | %-26s | %8.2f | %8.2f | %9.0f | %7.1f | %6.0f |\n", n, l, w, c, n / w, b / 1e6 / w, r / 1024 }'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == "nan" || b == 0) print "n/a"; else printf "%.2f", a / b }'; }

echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo); khojaly $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
echo
echo "MB/s: validate counts the record files read; release and the engines the bytes they write."
echo
echo "CPU s: user + system time (the machine may be shared: wall time includes waiting for it)."
echo
echo "|   records | step                       |   wall s |    CPU s | records/s |    MB/s | RSS MB |"
echo "|----------:|----------------------------|---------:|---------:|----------:|--------:|-------:|"
ratios=()
for n in "${sizes[@]}"; do
    data=$tmp/data-$n
    python3 scripts/bench/synth.py data "$data" "$n"
    run "validate" "$n" "bytes $data/records" "$bin" validate --data "$data" || exit 1
    out=$tmp/out-$n
    run "release --archives none" "$n" "bytes $out" "$bin" release --data "$data" --out "$out" --archives none || exit 1
    none=$last_wall
    jsonl=$(ls "$out"/*/data/records.jsonl)
    run "duckdb jsonl→parquet+csv" "$n" "bytes $tmp/duckdb" "$py" scripts/bench/convert.py duckdb "$jsonl" "$tmp/duckdb" || true
    duck=$last_wall
    rm -rf "$tmp/duckdb"
    run "pyarrow jsonl→parquet+csv" "$n" "bytes $tmp/pyarrow" "$py" scripts/bench/convert.py pyarrow "$jsonl" "$tmp/pyarrow" || true
    arrow=$last_wall
    rm -rf "$tmp/pyarrow" "$out"
    out=$tmp/all-$n
    run "release (tar.gz + zip)" "$n" "bytes $out" "$bin" release --data "$data" --out "$out" || exit 1
    ratios+=("$n: release --archives none / duckdb = $(ratio "$none" "$duck"); / pyarrow = $(ratio "$none" "$arrow"); release with archives / duckdb = $(ratio "$last_wall" "$duck")")
    rm -rf "$out" "$data"
done
echo
printf '%s\n' "${ratios[@]}"
