#!/usr/bin/env bash
# Runs every test of the project on a fresh machine (Rust and Python 3 with pip are all it needs):
# formatting and lints, the Rust unit and integration tests, the validator on the bundled data,
# the schema check, two releases compared byte for byte, and the real-client checks (pyarrow,
# pandas, polars, DuckDB, jsonschema, edtf) and the standards' validators (bagit, frictionless,
# datacite, mlcroissant, cffconvert), the citation parsers (citeproc-py, rispy, bibtexparser) and
# every code block of README.md on a fresh release, in virtual environments under target/, the
# paged listings of a synthetic release's site, and the release's site in headless Chromium
# (Selenium, axe-core; installed if missing).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy (warnings are errors)"
cargo clippy --locked --all-targets -- -D warnings

step "cargo test"
cargo test --locked

step "cargo doc (the library API's documentation; warnings are errors)"
RUSTDOCFLAGS="-D warnings" cargo doc --locked --no-deps

step "build the release binary"
cargo build --locked --release
bin=target/release/khojaly

step "validate the bundled data"
"$bin" validate

step "schema/ is what the model generates"
"$bin" schema --check

step "two releases of the same data are byte-identical"
rm -rf target/test-release-a target/test-release-b
"$bin" release --out target/test-release-a
"$bin" release --out target/test-release-b
diff -r target/test-release-a target/test-release-b
release_dir=$(find target/test-release-a -mindepth 1 -maxdepth 1 -type d | head -n 1)

# A virtual environment under target/ with pinned packages, rebuilt when its requirements change.
ensure_venv() {
    local venv=$1 requirements=$2
    if [ ! -x "$venv/bin/python" ] || ! cmp -s "$requirements" "$venv/requirements.installed"; then
        rm -rf "$venv"
        python3 -m venv "$venv"
        "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements"
        cp "$requirements" "$venv/requirements.installed"
    fi
}

step "real clients read the release (Python venv in target/py-clients)"
ensure_venv target/py-clients tests/clients/requirements.txt
target/py-clients/bin/python tests/clients/check_release.py "$release_dir" schema

step "the standards' own validators accept the release"
ensure_venv target/py-standards tests/clients/standards-requirements.txt
ensure_venv target/py-cff tests/clients/cff-requirements.txt
target/py-standards/bin/python tests/clients/check_standards.py "$release_dir" target/py-cff/bin/cffconvert
target/py-cff/bin/cffconvert --validate -i CITATION.cff
cmp CITATION.cff "$release_dir/CITATION.cff" || {
    echo "CITATION.cff at the repository root differs from the release's; copy $release_dir/CITATION.cff here" >&2
    exit 1
}

step "a second corpus (examples/harbour-society) releases with the same binary and passes the same validators"
rm -rf target/test-example-data target/test-example-release
cp -r examples/harbour-society target/test-example-data
"$bin" validate --data target/test-example-data
"$bin" release --data target/test-example-data --out target/test-example-release --quiet
target/py-standards/bin/python tests/clients/check_standards.py \
    target/test-example-release/harbour-society-sample-corpus-0.1.0 target/py-cff/bin/cffconvert
rm -rf target/test-example-data target/test-example-release

step "citations parse in citeproc-py, rispy and bibtexparser (venv in target/py-citations)"
ensure_venv target/py-citations tests/clients/citations-requirements.txt
target/py-citations/bin/python tests/clients/check_citations.py "$release_dir" "$bin"

step "every code block of README.md runs (venv in target/py-readme)"
ensure_venv target/py-readme tests/clients/readme-requirements.txt
target/py-readme/bin/python tests/clients/run_readme.py "$(pwd)/target/py-readme/bin/python"

step "libraries: official XSDs, a Sickle harvest over OAI-PMH, pymarc, 20 harvesters on 100,000 records (venv in target/py-library)"
ensure_venv target/py-library tests/clients/library-requirements.txt
rm -rf target/test-synth-data target/test-synth-release
python3 scripts/bench/synth.py data target/test-synth-data 100000
"$bin" release --data target/test-synth-data --out target/test-synth-release --archives none --no-site --quiet
synth_release=$(find target/test-synth-release -mindepth 1 -maxdepth 1 -type d | head -n 1)
target/py-library/bin/python tests/clients/check_library.py "$release_dir" "$bin" --load "$synth_release"
rm -rf target/test-synth-data target/test-synth-release

step "khojaly verify accepts the release and rejects a changed byte"
"$bin" verify "$release_dir"
rm -rf target/test-release-corrupt
cp -r "$release_dir" target/test-release-corrupt
printf 'X' | dd of=target/test-release-corrupt/data/records.parquet bs=1 seek=200 conv=notrunc 2>/dev/null
if "$bin" verify target/test-release-corrupt; then
    echo "verify accepted a changed Parquet file" >&2
    exit 1
fi

step "the site's long listings continue on numbered pages (a synthetic release of 25,000 records with its site)"
rm -rf target/test-paged-data target/test-paged-release
python3 scripts/bench/synth.py data target/test-paged-data 25000
"$bin" release --data target/test-paged-data --out target/test-paged-release --archives none --quiet
paged_release=$(find target/test-paged-release -mindepth 1 -maxdepth 1 -type d | head -n 1)
# 5000: src/package/site/pager.rs's ROWS_PER_PAGE.
python3 tests/clients/check_site_pages.py "$paged_release" 5000

step "the site works in a real browser (Chromium from Debian, Selenium in target/py-browser, axe-core in target/axe-core)"
# Chromium and its driver from the system packages, only when missing (the script runs as root
# on a fresh machine); Selenium is pointed at them, so nothing downloads a driver or a browser.
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
fi
command -v npm >/dev/null || {
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null
}
ensure_venv target/py-browser tests/browser/requirements.txt
axe_version=4.14.1
if [ ! -f target/axe-core/node_modules/axe-core/axe.min.js ] \
    || ! grep -q "\"version\": \"$axe_version\"" target/axe-core/node_modules/axe-core/package.json; then
    rm -rf target/axe-core
    mkdir -p target/axe-core
    npm install --silent --no-audit --no-fund --prefix target/axe-core "axe-core@$axe_version" >/dev/null
fi
rm -rf target/site-screenshots
target/py-browser/bin/python tests/browser/check_site.py "$release_dir" \
    target/axe-core/node_modules/axe-core/axe.min.js target/site-screenshots "$paged_release"
rm -rf target/test-paged-data target/test-paged-release

printf '\nall tests passed\n'
