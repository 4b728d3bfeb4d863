#!/usr/bin/env bash
# Runs every test of the project on a fresh machine (Rust and Python 3 with pip are all it needs):
# formatting and lints, the Rust unit and integration tests, the validator on the bundled data,
# the schema check, two releases compared byte for byte, and the real-client checks (pyarrow,
# pandas, polars, DuckDB, jsonschema, edtf) on a fresh release, in a virtual environment under target/.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy (warnings are errors)"
cargo clippy --locked --all-targets -- -D warnings

step "cargo test"
cargo test --locked

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

step "real clients read the release (Python venv in target/py-clients)"
venv=target/py-clients
requirements=tests/clients/requirements.txt
if [ ! -x "$venv/bin/python" ] || ! cmp -s "$requirements" "$venv/requirements.installed"; then
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements"
    cp "$requirements" "$venv/requirements.installed"
fi
"$venv/bin/python" tests/clients/check_release.py "$release_dir" schema

printf '\nall tests passed\n'
