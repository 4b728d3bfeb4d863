"""The citations of a release parse in the tools researchers import them with.

Usage: check_citations.py RELEASE_DIR KHOJALY_BINARY

- data/citations.json is CSL-JSON that citeproc-py renders (a bibliography of every item);
- data/citations.ris is RIS that rispy reads, one reference per record;
- `khojaly cite ID --format bibtex|csl-json|ris --release DIR` of every record parses in
  bibtexparser, citeproc-py and rispy, and names the document, its printing and the release.
"""

import json
import subprocess
import sys
from pathlib import Path

import bibtexparser
import rispy
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON

release = Path(sys.argv[1])
khojaly = sys.argv[2]
records = [json.loads(line) for line in (release / "data/records.jsonl").read_text("utf-8").splitlines()]
ids = [r["id"] for r in records]
version = json.loads((release / "datapackage.json").read_text("utf-8"))["version"]


def render(items):
    """Renders CSL-JSON items with a style bundled in citeproc-py; returns the entries."""
    source = CiteProcJSON(items)
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bib = CitationStylesBibliography(style, source, formatter.plain)
    for item in items:
        bib.register(Citation([CitationItem(item["id"])]))
    return [str(entry) for entry in bib.bibliography()]


# citations.json
items = json.loads((release / "data/citations.json").read_text("utf-8"))
assert items[0]["type"] == "dataset", items[0]
assert [i["id"] for i in items[1:]] == sorted(ids), "one CSL item per record, in id order"
entries = render(items)
assert len(entries) == len(items), (len(entries), len(items))
for item in items[1:]:
    assert item["archive_location"] == f"record {item['id']}", item
    assert f"version {version}" in item["archive"], item
    assert "Reprinted in " in item["note"], item
print(f"citations.json: {len(items)} CSL items rendered by citeproc-py")

# citations.ris
with open(release / "data/citations.ris", encoding="utf-8") as f:
    refs = rispy.load(f)
assert len(refs) == len(ids), (len(refs), len(ids))
assert sorted(r["accession_number"] for r in refs) == sorted(ids)
for r in refs:
    assert r["type_of_reference"], r
    assert any("Reprinted in" in n for n in r.get("notes", [])), r
print(f"citations.ris: {len(refs)} references read by rispy")

# khojaly cite, every record, every machine format
by_id = {r["id"]: r for r in records}
for rid in ids:
    def cite(fmt):
        out = subprocess.run(
            [khojaly, "cite", rid, "--release", str(release), "--format", fmt],
            check=True, capture_output=True, text=True,
        )
        return out.stdout

    lib = bibtexparser.parse_string(cite("bibtex"))
    assert not lib.failed_blocks, (rid, [b.error for b in lib.failed_blocks])
    keys = [e.key for e in lib.entries]
    assert keys[0] == rid and len(keys) == 2, keys
    entry = lib.entries[0]
    assert "Reprinted in" in entry["addendum"], entry
    title = by_id[rid].get("title")
    if title and "{" not in title and "\\" not in title:
        assert title in entry["title"] or "\\" in entry["title"], (rid, entry["title"])
    assert lib.entries[1].entry_type == "dataset" and lib.entries[1]["version"] == version

    csl = json.loads(cite("csl-json"))
    assert len(render(csl)) == 1, rid

    ris = rispy.loads(cite("ris"))
    assert len(ris) == 1 and ris[0]["accession_number"] == rid, ris

    text = cite("text")
    assert f"record {rid}" in text and f"version {version}" in text and "reprinted in" in text, text
    for author in by_id[rid].get("authors", []):
        assert author in text, (rid, author)
print(f"khojaly cite: {len(ids)} records parse in bibtexparser, citeproc-py and rispy")
