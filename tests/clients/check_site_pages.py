"""The site's long listings are cut into pages that together hold every row, once, in order.

Usage: check_site_pages.py RELEASE_DIR ROWS_PER_PAGE

Run on a synthetic release large enough that the claims table, the list of all records and
some agents' sections pass ROWS_PER_PAGE rows (standard library only). Checks, against the
release's own data/claims.csv and data/records.jsonl:
- claims.html, claims-2.html, ... hold every claim once, in the table's order (claims.csv's),
  at most ROWS_PER_PAGE rows a page, and nothing past the last page;
- records/index.html, index-2.html, ... link every record once, by kind, in id order;
- every agent section with a page navigation continues on pages that hold as many rows as
  its heading counts, each page at most ROWS_PER_PAGE;
- every link of every navigation between pages (and each "next" link) opens an existing file,
  and following "next" from the first page visits every page in order;
- a listing that fits on one page has no navigation between pages.
"""

import csv
import html.parser
import json
import pathlib
import re
import sys
from collections import defaultdict

release = pathlib.Path(sys.argv[1]).resolve()
rows_per_page = int(sys.argv[2])
site = release / "site"
csv.field_size_limit(1 << 30)

failures = []
passed = 0


def check(ok, message):
    global passed
    if ok:
        passed += 1
    else:
        failures.append(message)
        print("FAIL:", message, flush=True)


class Page(html.parser.HTMLParser):
    """What the checks read of a page: table body rows (their links), list entries of
    `ul.records`, the links of `nav.pager`, `rel=next` links, headings' text."""

    def __init__(self, path):
        super().__init__()
        self.path = path
        self.stack = []
        self.rows = []  # each row: the hrefs in it, in order
        self.entries = []  # hrefs of `ul.records` / section list entries
        self.pager_links = []
        self.pagers = 0
        self.next_links = []
        self.h2 = []
        self._h2 = None
        self._row = None
        self._in_tbody = 0
        self._in_pager = 0
        self._list_depth = 0
        self._li = False
        super().feed(path.read_text(encoding="utf-8"))

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if tag == "tbody":
            self._in_tbody += 1
        elif tag == "tr" and self._in_tbody:
            self._row = []
        elif tag == "nav" and "pager" in classes:
            self._in_pager += 1
            self.pagers += 1
        elif tag == "ul" and not self._in_pager and self.stack_has("section"):
            self._list_depth += 1
        elif tag == "li" and self._list_depth:
            self._li = True
        elif tag == "a":
            href = a.get("href")
            if self._row is not None:
                self._row.append(href)
            if self._in_pager:
                self.pager_links.append(href)
            elif a.get("rel") == "next":
                self.next_links.append(href)
            if self._li:
                self.entries.append(href)
                self._li = False
        elif tag == "h2":
            self._h2 = ""
        if tag not in ("meta", "link", "input", "img", "br"):
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag == "tbody":
            self._in_tbody -= 1
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None
        elif tag == "nav" and self._in_pager:
            self._in_pager -= 1
        elif tag == "ul" and self._list_depth and not self._in_pager:
            self._list_depth -= 1
        elif tag == "h2" and self._h2 is not None:
            self.h2.append(self._h2)
            self._h2 = None
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass

    def handle_data(self, data):
        if self._h2 is not None:
            self._h2 += data

    def stack_has(self, tag):
        return tag in self.stack


def links_resolve(page):
    for href in page.pager_links + page.next_links:
        target = href.split("#", 1)[0]
        check((page.path.parent / target).is_file(), f"{page.path.relative_to(site)}: link {href} opens no file")


def follow_next(first):
    """The pages reached by following rel=next from `first`."""
    pages = [first]
    seen = {first.path}
    while pages[-1].next_links:
        nxt = (pages[-1].path.parent / pages[-1].next_links[0]).resolve()
        if nxt in seen or not nxt.is_file():
            check(False, f"{pages[-1].path.relative_to(site)}: next link {pages[-1].next_links[0]} loops or opens nothing")
            break
        seen.add(nxt)
        pages.append(Page(nxt))
    return pages


def check_pages(pages, rows, first, stem, what, count):
    """A listing of `rows` rows cut into `pages` (by 'next'): named `first`, `stem`-2.html, ...,
    each with 0 < count(page) <= rows_per_page and links that open files."""
    n_pages = -(-rows // rows_per_page)
    check(n_pages > 1, f"the release is too small to page its {what} ({rows})")
    check(len(pages) == n_pages, f"{what}: {len(pages)} pages by 'next', expected {n_pages}")
    for i, page in enumerate(pages, start=1):
        name = first if i == 1 else f"{stem}-{i}.html"
        check(page.path.name == name, f"{what} page {i} is {page.path.name}, expected {name}")
        check(0 < count(page) <= rows_per_page, f"{name}: {count(page)} {what}")
        check(page.pagers == 1, f"{name}: {page.pagers} navigations between pages")
        links_resolve(page)
    check(not (pages[0].path.parent / f"{stem}-{n_pages + 1}.html").exists(), f"a {what} page past the last")


# --- claims -------------------------------------------------------------------------------
with open(release / "data" / "claims.csv", newline="", encoding="utf-8") as f:
    expected_claims = [
        f"records/{row['record_id']}.html#claim-{row['claim_id'].split('#', 1)[1]}" for row in csv.DictReader(f)
    ]
claim_pages = follow_next(Page(site / "claims.html"))
check_pages(claim_pages, len(expected_claims), "claims.html", "claims", "claims", lambda p: len(p.rows))
shown_claims = [row[-1] for page in claim_pages for row in page.rows]
check(shown_claims == expected_claims, "the claims pages do not hold every claim once, in claims.csv's order")
check(any(h.startswith("All claims") for h in claim_pages[0].h2), "the first claims page keeps its heading")

# --- all records --------------------------------------------------------------------------
with open(release / "data" / "records.jsonl", encoding="utf-8") as f:
    records = [json.loads(line) for line in f]
record_pages = follow_next(Page(site / "records" / "index.html"))
check_pages(record_pages, len(records), "index.html", "index", "records", lambda p: len(p.entries))
shown_records = [href for page in record_pages for href in page.entries]
check(len(shown_records) == len(records), f"records pages list {len(shown_records)} entries, expected {len(records)}")
check(len(set(shown_records)) == len(shown_records), "a record is listed twice")
check(set(shown_records) == {f"{r['id']}.html" for r in records}, "the records pages do not list every record")
# In id order within each kind: the kinds' sections follow one another across pages.
by_kind = defaultdict(list)
kind_of = {f"{r['id']}.html": r["kind"] for r in records}
for href in shown_records:
    by_kind[kind_of.get(href)].append(href.removesuffix(".html"))
check(all(v == sorted(v) for v in by_kind.values()), "records of a kind are not in id order across pages")
check(
    sum(1 for p in record_pages for h in p.h2 if h.endswith("(continued)")) >= 1,
    "no kind continues on a next page, though the pages cut the listing",
)

# --- agents -------------------------------------------------------------------------------
paged_sections = 0
single = 0  # agent pages with every row (no navigation between pages)
for path in sorted((site / "agents").glob("*.html")):
    if "." in path.stem:
        continue
    page = Page(path)
    counts = [int(m.group(1)) for h in page.h2 if (m := re.search(r"\((\d+)\)$", h))]
    if counts and max(counts) <= rows_per_page:
        # Every section fits on the page: no navigation between pages, no 'next'.
        single += 1
        check(page.pagers == 0 and not page.next_links, f"{path.name}: a navigation between pages on a page with every row")
        continue
    if page.pagers == 0:
        continue
    links_resolve(page)
    agent = path.stem
    # Each paged section: its files agent.<section>-<n>.html, n from 2, in order by 'next'.
    for section in ["states", "relays", "documents", "issues"]:
        pages = sorted(
            path.parent.glob(f"{agent}.{section}-*.html"), key=lambda p: int(p.stem.rsplit("-", 1)[1])
        )
        if not pages:
            continue
        paged_sections += 1
        continuation = follow_next(Page(pages[0]))
        for p in continuation:
            links_resolve(p)
        check(
            [p.path.name for p in continuation] == [p.name for p in pages],
            f"{agent} {section}: 'next' visits {[p.path.name for p in continuation]}",
        )
        heading = continuation[0].h2[0] if continuation[0].h2 else ""
        m = re.search(r"\((\d+)\)$", heading)
        total = int(m.group(1)) if m else -1
        counted = [len(p.rows) if section in ("states", "relays") else len(p.entries) for p in continuation]
        check(all(0 < n <= rows_per_page for n in counted), f"{agent} {section}: rows per page {counted}")
        check(
            -(-total // rows_per_page) == len(pages) + 1,
            f"{agent} {section}: {total} rows but {len(pages) + 1} pages",
        )
        # The agent's own page holds the first rows_per_page rows; the rest are continued.
        check(
            sum(counted) == total - rows_per_page,
            f"{agent} {section}: {sum(counted)} rows on continuation pages, expected {total - rows_per_page}",
        )
check(paged_sections > 0, "no agent's section is long enough to be paged: use a larger release")
check(single > 0, "no agent page fits on one page")

print(f"{passed} checks passed, {len(failures)} failed")
sys.exit(1 if failures else 0)
