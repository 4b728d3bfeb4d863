"""Run each standard's own validator on a release: BagIt, Data Package, DataCite 4.5, Croissant,
CITATION.cff, BibTeX entry, dataset card. Usage: check_standards.py RELEASE_DIR CFFCONVERT_BIN.

Exits non-zero naming every validator that rejected the release.
"""

import json
import pathlib
import subprocess
import sys

release = pathlib.Path(sys.argv[1])
cffconvert = sys.argv[2]
python = sys.executable
bindir = pathlib.Path(python).parent
failures = []


def check(name, ok, detail=""):
    print(("ok   " if ok else "FAIL ") + name + (f": {detail}" if detail and not ok else ""))
    if not ok:
        failures.append(name)


def run(cmd):
    return subprocess.run(cmd, capture_output=True, text=True)


r = run([python, "-m", "bagit", "--validate", str(release)])
check("bagit.py --validate accepts the bag", r.returncode == 0, r.stderr[-2000:])

r = run([str(bindir / "frictionless"), "validate", "--json", str(release / "datapackage.json")])
try:
    report = json.loads(r.stdout)
    bad = [
        (t["name"], [e.get("note", e.get("type")) for e in t["errors"][:3]])
        for t in report["tasks"]
        if not t["valid"]
    ]
    check("frictionless validate accepts datapackage.json", r.returncode == 0 and report["valid"], str(bad or report.get("errors")))
    names = {t["name"] for t in report["tasks"]}
    check("frictionless checked the CSV and Parquet resources", "records" in names and "records-parquet" in names, str(sorted(names)))
except (json.JSONDecodeError, KeyError) as e:
    check("frictionless validate accepts datapackage.json", False, f"{e}: {r.stdout[-500:]} {r.stderr[-1000:]}")

dp = json.loads((release / "datapackage.json").read_text())
check("datapackage.json declares Data Package v2", dp.get("$schema", "").startswith("https://datapackage.org/profiles/2."))
check(
    "every resource has path, format, mediatype, bytes and a sha256 hash",
    all(all(k in res for k in ("path", "format", "mediatype", "bytes", "hash")) and res["hash"].startswith("sha256:") for res in dp["resources"]),
)

from datacite import schema45  # noqa: E402

dc = json.loads((release / "datacite.json").read_text())
errors = [e.message for e in schema45.validator.iter_errors(dc)]
check("datacite.json is valid DataCite 4.5", schema45.validate(dc) and not errors, str(errors[:5]))
check(
    "datacite.json has the mandatory properties",
    all(k in dc for k in ("creators", "titles", "publisher", "publicationYear", "types")),
)

r = run([str(bindir / "mlcroissant"), "validate", f"--jsonld={release / 'croissant.jsonld'}"])
check("mlcroissant validate accepts croissant.jsonld", r.returncode == 0 and "error" not in r.stderr.lower(), r.stderr[-2000:])

r = run([cffconvert, "--validate", "-i", str(release / "CITATION.cff")])
check("cffconvert --validate accepts CITATION.cff", r.returncode == 0, r.stdout[-500:] + r.stderr[-1500:])

bib = (release / "citation.bib").read_text()
check("citation.bib has an @dataset entry and a @misc fallback", "@dataset{" in bib and "@misc{" in bib)

card = (release / "README.md").read_text()
check("the dataset card has front matter with one config per table", card.startswith("---\n") and "configs:" in card and "config_name: records" in card)

sys.exit(1 if failures else 0)
