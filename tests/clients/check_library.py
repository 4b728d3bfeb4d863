"""Read a release as libraries and archives do, and check it against the standards' own schemas.

Usage: check_library.py RELEASE_DIR KHOJALY_BIN [--load SYNTH_RELEASE_DIR]

RELEASE_DIR is <out>/<name>-<version>. Every metadata/oai_dc/*.xml, metadata/mods/*.xml,
metadata/marc.xml and metadata/mets.xml is validated against the official XSDs vendored under
tests/xsd/ (see tests/xsd/SOURCES.md; remote imports are resolved to those files, never fetched),
the PREMIS inside the METS also on its own against premis.xsd. pymarc reads the MARC record;
.zenodo.json is read as a deposit description. Then `KHOJALY_BIN serve RELEASE_DIR --port 0` is
started and harvested over OAI-PMH with Sickle (every record in oai_dc and MODS, counted against
data/records.parquet), every verb's and every error's raw response is validated against
OAI-PMH.xsd (with the oai_dc and MODS inside), and the protocol errors are checked one by one.

With --load, the server is started on SYNTH_RELEASE_DIR (a synthetic release of many records)
and 20 harvesters run at once; all must finish with the right counts, and the server's peak
resident memory (VmHWM) must stay under 300 MB.

Prints one line per check; exits 1 with every failure listed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import selectors
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter, deque
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyarrow.parquet as pq
import pymarc
from lxml import etree
from sickle import Sickle

XSD = Path(__file__).resolve().parent.parent / "xsd"
REPOSITORY = "khojaly-documentary-corpus"
OAI_ID_PREFIX = f"oai:{REPOSITORY}:"
PAGE_SIZE = 100
HARVESTERS = 20
RSS_LIMIT_MB = 300

NS = {
    "oai": "http://www.openarchives.org/OAI/2.0/",
    "oai_dc": "http://www.openarchives.org/OAI/2.0/oai_dc/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "mods": "http://www.loc.gov/mods/v3",
    "marc": "http://www.loc.gov/MARC21/slim",
    "mets": "http://www.loc.gov/METS/",
    "premis": "http://www.loc.gov/premis/v3",
    "xlink": "http://www.w3.org/1999/xlink",
    "oai-identifier": "http://www.openarchives.org/OAI/2.0/oai-identifier",
}

# The remote locations the schemas import one another from (and the official location of each
# vendored file), mapped to the copies under tests/xsd/. http and https are both accepted.
REMOTE = {
    "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd": "oai/OAI-PMH.xsd",
    "http://www.openarchives.org/OAI/2.0/oai_dc.xsd": "oai/oai_dc.xsd",
    "http://www.openarchives.org/OAI/2.0/oai-identifier.xsd": "oai/oai-identifier.xsd",
    "http://dublincore.org/schemas/xmls/simpledc20021212.xsd": "oai/simpledc20021212.xsd",
    "http://www.loc.gov/standards/marcxml/schema/MARC21slim.xsd": "marc/MARC21slim.xsd",
    "http://www.loc.gov/standards/mods/v3/mods-3-8.xsd": "mods/mods-3-8.xsd",
    "http://www.loc.gov/mods/xml.xsd": "mods/xml.xsd",
    "http://www.w3.org/2001/xml.xsd": "mods/xml.xsd",
    "http://www.w3.org/2001/03/xml.xsd": "mods/xml.xsd",
    "http://www.loc.gov/standards/xlink/xlink.xsd": "mets/xlink.xsd",
    "http://www.loc.gov/standards/mets/mets.xsd": "mets/mets.xsd",
    "http://www.loc.gov/standards/mets/version1121/mets.xsd": "mets/mets.xsd",
    "http://www.loc.gov/standards/premis/v3/premis.xsd": "mets/premis.xsd",
    "http://www.loc.gov/standards/premis/v3/premis-v3-0.xsd": "mets/premis.xsd",
}

failures: list[str] = []


def check(ok: bool, what: str, detail: str = "") -> bool:
    print(("ok   " if ok else "FAIL ") + what + (f": {detail}" if detail and not ok else ""))
    if not ok:
        failures.append(what)
    return ok


# ---------------------------------------------------------------------------------------------
# Schemas, resolved locally


class LocalSchemas(etree.Resolver):
    """Gives the vendored copy for every remote schema location; refuses any other remote URL."""

    def __init__(self) -> None:
        super().__init__()
        self.refused: list[str] = []
        self.resolved: set[str] = set()

    def resolve(self, url, pubid, context):
        key = re.sub(r"^https://", "http://", url or "")
        if key in REMOTE:
            self.resolved.add(url)
            return self.resolve_filename(str(XSD / REMOTE[key]), context)
        if re.match(r"^(https?|ftp)://", url or ""):
            self.refused.append(url)
            raise LookupError(f"{url} is not vendored under tests/xsd (see SOURCES.md)")
        return None


RESOLVER = LocalSchemas()


def xml_parser() -> etree.XMLParser:
    p = etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False)
    p.resolvers.add(RESOLVER)
    return p


def schema_file(rel: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD / rel), xml_parser()))


def schema_driver(*rels: str) -> etree.XMLSchema:
    """A schema that only imports the given vendored schemas, so that the wildcards of one
    (OAI-PMH's strict `metadata`, METS's lax `xmlData`) are validated against the others."""
    imports = []
    for rel in rels:
        target = etree.parse(str(XSD / rel), xml_parser()).getroot().get("targetNamespace")
        imports.append(f'<xs:import namespace="{target}" schemaLocation="{(XSD / rel).as_uri()}"/>')
    text = '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">' + "".join(imports) + "</xs:schema>"
    doc = etree.fromstring(text.encode(), xml_parser(), base_url=(XSD / "driver.xsd").as_uri())
    return etree.XMLSchema(doc)


class Schemas:
    def __init__(self) -> None:
        self.oai_dc = schema_file("oai/oai_dc.xsd")
        self.mods = schema_file("mods/mods-3-8.xsd")
        self.marc = schema_file("marc/MARC21slim.xsd")
        self.premis = schema_file("mets/premis.xsd")
        self.mets_premis = schema_driver("mets/mets.xsd", "mets/premis.xsd")
        self.oai_pmh = schema_driver(
            "oai/OAI-PMH.xsd", "oai/oai_dc.xsd", "mods/mods-3-8.xsd", "oai/oai-identifier.xsd"
        )


def errors_of(schema: etree.XMLSchema, doc) -> list[str]:
    """The schema's complaints about doc (an ElementTree or element); empty when valid."""
    if schema.validate(doc):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log][:5]


def parse_file(path: Path):
    return etree.parse(str(path), xml_parser())


def validate_files(schema, paths: list[Path], what: str, root: str) -> None:
    """Every file parses, has the expected root and is valid; one check line for all of them."""
    bad = []
    for path in paths:
        try:
            doc = parse_file(path)
        except etree.XMLSyntaxError as e:
            bad.append(f"{path.name}: not well-formed: {e}")
            continue
        if doc.getroot().tag != root:
            bad.append(f"{path.name}: root is {doc.getroot().tag}, not {root}")
            continue
        errs = errors_of(schema, doc)
        if errs:
            bad.append(f"{path.name}: {errs}")
    check(paths != [] and not bad, f"{what}: {len(paths)} files valid", "; ".join(bad[:5]) + (f" (+{len(bad) - 5} more)" if len(bad) > 5 else ""))


def premis_elements(mets_doc) -> list:
    """The outermost PREMIS elements inside METS xmlData."""
    out = []
    for data in mets_doc.iter(f"{{{NS['mets']}}}xmlData"):
        for el in data:
            if isinstance(el.tag, str) and el.tag.startswith(f"{{{NS['premis']}}}"):
                out.append(el)
    return out


def check_metadata_files(release: Path, ids: list[str], schemas: Schemas) -> None:
    meta = release / "metadata"
    ids_set = set(ids)
    for fmt, schema, root in (
        ("oai_dc", schemas.oai_dc, f"{{{NS['oai_dc']}}}dc"),
        ("mods", schemas.mods, f"{{{NS['mods']}}}mods"),
    ):
        files = sorted((meta / fmt).glob("*.xml"))
        stems = {p.stem for p in files}
        check(
            stems == ids_set,
            f"metadata/{fmt}/ holds one file per record ({len(files)} files, {len(ids)} records)",
            f"missing {sorted(ids_set - stems)[:5]}, extra {sorted(stems - ids_set)[:5]}",
        )
        validate_files(schema, files, f"metadata/{fmt}/*.xml against {'oai_dc.xsd' if fmt == 'oai_dc' else 'mods-3-8.xsd'}", root)
        if fmt == "mods":
            wrong = [p.name for p in files if parse_file(p).getroot().get("version") != "3.8"]
            check(not wrong, 'every MODS record says version="3.8"', str(wrong[:5]))

    marc = meta / "marc.xml"
    if check(marc.is_file(), "metadata/marc.xml exists"):
        validate_files(schemas.marc, [marc], "metadata/marc.xml against MARC21slim.xsd", f"{{{NS['marc']}}}collection")
        doc = parse_file(marc)
        check(len(doc.findall("marc:record", NS)) == 1, "marc.xml is a collection of one record")

    mets = meta / "mets.xml"
    if check(mets.is_file(), "metadata/mets.xml exists"):
        # Against mets.xsd with premis.xsd loaded beside it: xmlData is lax, so the PREMIS inside is
        # validated because its declarations are known (mets.xsd alone rejects xsi:type="premis:file"
        # as a type it cannot resolve).
        validate_files(schemas.mets_premis, [mets], "metadata/mets.xml against mets.xsd + premis.xsd", f"{{{NS['mets']}}}mets")
        doc = parse_file(mets)
        premis = premis_elements(doc)
        check(premis != [], "mets.xml carries PREMIS inside amdSec/techMD/mdWrap/xmlData")
        bad = []
        for el in premis:
            alone = etree.fromstring(etree.tostring(el), xml_parser())
            errs = errors_of(schemas.premis, alone)
            if errs:
                bad.append(f"{el.tag} (line {el.sourceline}): {errs}")
        check(not bad, f"each of the {len(premis)} PREMIS elements is valid against premis.xsd on its own", "; ".join(bad[:3]))
        digests = doc.findall(".//premis:fixity", NS)
        check(len(digests) > 0, f"PREMIS fixity is given ({len(digests)} digests)")
        check_mets_against_manifest(release, doc)


def bag_digests(release: Path) -> dict[str, dict[str, str]]:
    """{"SHA-256": {path: digest}, "SHA-512": {...}} from the bag's manifests and tag manifests."""
    out: dict[str, dict[str, str]] = {}
    for alg in ("sha256", "sha512"):
        table = out.setdefault(f"SHA-{alg[3:]}", {})
        for name in (f"manifest-{alg}.txt", f"tagmanifest-{alg}.txt"):
            path = release / name
            if not path.is_file():
                continue
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    digest, file = line.split(maxsplit=1)
                    table[file.strip()] = digest.lower()
    return out


def bag_path(href: str | None) -> str:
    """A METS FLocat href as a bag path: percent-decoded, relative to the bag root."""
    path = urllib.parse.unquote(href or "")
    while path.startswith("../"):
        path = path[3:]
    return path.removeprefix("./")


def check_mets_against_manifest(release: Path, doc) -> None:
    """The METS files and their checksums are the bag's (manifest-*.txt, tagmanifest-*.txt)."""
    digests = bag_digests(release)
    files = doc.findall(".//mets:fileSec//mets:file", NS)
    check(files != [], f"mets.xml lists files in fileSec ({len(files)})")
    payload = {p for p in digests["SHA-256"] if p.startswith("data/")}
    listed = {bag_path(loc.get(f"{{{NS['xlink']}}}href")) for loc in doc.findall(".//mets:fileSec//mets:FLocat", NS)}
    check(payload <= listed, f"every payload file of the bag ({len(payload)}) has a METS file entry", str(sorted(payload - listed)[:5]))
    known = {alg: set(t.values()) for alg, t in digests.items()}
    unknown = []
    for fx in doc.findall(".//premis:fixity", NS):
        alg = (fx.findtext("premis:messageDigestAlgorithm", namespaces=NS) or "").strip().upper().replace("SHA", "SHA-").replace("--", "-")
        value = (fx.findtext("premis:messageDigest", namespaces=NS) or "").strip().lower()
        if alg not in known or value not in known[alg]:
            unknown.append(f"{alg}:{value[:16]}")
    check(not unknown, "every PREMIS fixity digest is one of the bag manifests'", f"{len(unknown)} unknown, e.g. {unknown[:3]}")
    wrong = []
    unchecked = 0
    for f in files:
        loc = f.find("mets:FLocat", NS)
        path = bag_path(loc.get(f"{{{NS['xlink']}}}href") if loc is not None else None)
        alg = f.get("CHECKSUMTYPE")
        if alg in digests and path in digests[alg]:
            if digests[alg][path] != (f.get("CHECKSUM") or "").lower():
                wrong.append(path)
        elif f.get("CHECKSUM"):
            unchecked += 1
    check(not wrong, "every METS file CHECKSUM matches the bag manifest for its FLocat", str(wrong[:5]))
    check(unchecked == 0, "every METS file with a CHECKSUM is in a bag manifest", f"{unchecked} not found")
    groups = {g.get("USE") or g.get("ID") for g in doc.findall(".//mets:fileGrp", NS)}
    check(len(groups) >= 4, f"METS has file groups for tables, sources, site and metadata ({sorted(map(str, groups))})")


# ---------------------------------------------------------------------------------------------
# MARC and .zenodo.json


def check_marc(release: Path) -> None:
    marc = release / "metadata" / "marc.xml"
    if not marc.is_file():
        return
    title = json.loads((release / "datapackage.json").read_text(encoding="utf-8"))["title"]
    try:
        records = pymarc.parse_xml_to_array(str(marc))
    except Exception as e:  # noqa: BLE001 - any failure to read is the finding
        check(False, "pymarc reads metadata/marc.xml", repr(e))
        return
    check(len(records) == 1, f"pymarc reads one record from marc.xml ({len(records)})")
    if not records:
        return
    rec = records[0]
    f245 = rec.get_fields("245")
    got = " ".join(f245[0].get_subfields("a")) if f245 else ""
    # ISBD punctuation at the end of 245 ("Title /", "Title." ) is allowed.
    check(re.sub(r"[\s/:;.,=]+$", "", got) == title, f"MARC 245 $a is the dataset title {title!r}", repr(got))
    check(rec.leader is not None and len(str(rec.leader)) == 24, "MARC leader has 24 positions")
    for tag in ("856", "024"):
        for f in rec.get_fields(tag):
            sub = "u" if tag == "856" else "a"
            vals = f.get_subfields(sub)
            check(vals != [] and all(v.strip() for v in vals), f"MARC {tag} has a non-empty ${sub}", str(f))
    release_doi = minted_doi(release)
    f024 = [v for f in rec.get_fields("024") for v in f.get_subfields("a")]
    if release_doi:
        check(any(release_doi.lower() in v.lower() for v in f024), f"MARC 024 carries the DOI {release_doi}", str(f024))
    else:
        check(not any(v.lower().startswith("10.") for v in f024), "no DOI in MARC 024 while none is minted", str(f024))


def minted_doi(release: Path) -> str | None:
    """The DOI the release states (DataCite `doi` or a DOI identifier, else CITATION.cff's `doi:`)."""
    dc_path = release / "datacite.json"
    if dc_path.is_file():
        dc = json.loads(dc_path.read_text(encoding="utf-8"))
        if isinstance(dc.get("doi"), str) and dc["doi"]:
            return dc["doi"]
        for ident in dc.get("identifiers", []) or []:
            if str(ident.get("identifierType", "")).upper() == "DOI" and ident.get("identifier"):
                return ident["identifier"]
    cff = release / "CITATION.cff"
    if cff.is_file():
        m = re.search(r'^doi:\s*"?([^"\s]+)"?', cff.read_text(encoding="utf-8"), re.M)
        if m:
            return m.group(1)
    return None


def check_zenodo(release: Path) -> None:
    path = release / ".zenodo.json"
    if not check(path.is_file(), ".zenodo.json exists at the release root"):
        return
    try:
        z = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as e:
        check(False, ".zenodo.json parses as JSON", str(e))
        return
    check(isinstance(z, dict), ".zenodo.json is a JSON object")
    m = z.get("metadata", z) if isinstance(z, dict) else {}
    check(isinstance(m.get("title"), str) and m["title"].strip() != "", ".zenodo.json has a title")
    check(m.get("upload_type") == "dataset", '.zenodo.json upload_type is "dataset"', repr(m.get("upload_type")))
    creators = m.get("creators")
    check(isinstance(creators, list) and creators != [] and all(isinstance(c, dict) and c.get("name") for c in creators),
          ".zenodo.json has creators, each with a name", repr(creators)[:200])


# ---------------------------------------------------------------------------------------------
# The server


class Server:
    """`khojaly serve DIR --port 0`, its port read from the line it prints."""

    def __init__(self, binary: str, release: Path) -> None:
        self.proc = subprocess.Popen(
            [binary, "serve", str(release), "--port", "0"],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
        self.tail: deque[str] = deque(maxlen=50)
        self.port = self._read_port(timeout=60)
        # Keep reading both pipes so that a chatty server never blocks on a full pipe.
        for pipe in (self.proc.stdout, self.proc.stderr):
            threading.Thread(target=self._drain, args=(pipe,), daemon=True).start()
        self.base = f"http://127.0.0.1:{self.port}/oai"

    def _read_port(self, timeout: float) -> int:
        sel = selectors.DefaultSelector()
        sel.register(self.proc.stdout, selectors.EVENT_READ)
        deadline = time.monotonic() + timeout
        buf = b""
        while time.monotonic() < deadline:
            if not sel.select(timeout=max(0.0, deadline - time.monotonic())):
                break
            chunk = self.proc.stdout.readline()
            if not chunk:
                break
            buf += chunk
            self.tail.append(chunk.decode(errors="replace"))
            m = re.search(rb"http://127\.0\.0\.1:(\d+)/", chunk)
            if m:
                return int(m.group(1))
        self.stop()
        err = self.proc.stderr.read().decode(errors="replace") if self.proc.stderr else ""
        raise RuntimeError(f"the server printed no address: {buf.decode(errors='replace')!r} {err[-2000:]}")

    def _drain(self, pipe) -> None:
        for line in iter(pipe.readline, b""):
            self.tail.append(line.decode(errors="replace"))

    def peak_rss_kb(self) -> int | None:
        try:
            status = Path(f"/proc/{self.proc.pid}/status").read_text()
        except OSError:
            return None
        m = re.search(r"^VmHWM:\s+(\d+) kB", status, re.M)
        return int(m.group(1)) if m else None

    def alive(self) -> bool:
        return self.proc.poll() is None

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)


def http(url: str, data: bytes | None = None, headers: dict | None = None, timeout: float = 60):
    """(status, content type, body) of a GET, or of a POST when data is given."""
    req = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.headers.get("Content-Type", ""), r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type", ""), e.read()


def oai_get(base: str, query: str):
    return http(base + ("?" + query if query else ""))


# ---------------------------------------------------------------------------------------------
# OAI-PMH: harvesting with Sickle


def sickle(base: str) -> Sickle:
    return Sickle(base, max_retries=0, timeout=120)


def harvest(base: str, ids: list[str], kinds: Counter, compilations: set[str], release_date: str) -> None:
    want = {OAI_ID_PREFIX + i for i in ids}
    s = sickle(base)

    for prefix in ("oai_dc", "mods"):
        try:
            got = []
            datestamps = set()
            empty = 0
            for rec in s.ListRecords(metadataPrefix=prefix):
                got.append(rec.header.identifier)
                datestamps.add(rec.header.datestamp)
                if rec.metadata in (None, {}):
                    empty += 1
            check(len(got) == len(ids), f"Sickle ListRecords {prefix}: {len(got)} records harvested, records.parquet has {len(ids)}")
            check(set(got) == want and len(set(got)) == len(got), f"Sickle ListRecords {prefix}: identifiers are {OAI_ID_PREFIX}<id> for every record, once each",
                  f"missing {sorted(want - set(got))[:3]}, extra {sorted(set(got) - want)[:3]}")
            check(datestamps == {release_date}, f"Sickle ListRecords {prefix}: every datestamp is the release date {release_date}", str(sorted(datestamps)[:5]))
            check(empty == 0, f"Sickle ListRecords {prefix}: every record has metadata", f"{empty} without")
        except Exception as e:  # noqa: BLE001
            check(False, f"Sickle ListRecords {prefix} completes", repr(e))

    try:
        n = sum(1 for _ in s.ListIdentifiers(metadataPrefix="oai_dc", set="kind:testimony"))
        check(n == kinds["testimony"], f"Sickle ListIdentifiers set=kind:testimony: {n} headers, {kinds['testimony']} testimony rows")
    except Exception as e:  # noqa: BLE001
        check(False, "Sickle ListIdentifiers set=kind:testimony completes", repr(e))

    try:
        specs = {st.setSpec for st in s.ListSets()}
        need = {f"kind:{k}" for k in kinds} | {f"compilation:{c}" for c in compilations}
        check(need <= specs, f"Sickle ListSets: every kind and every compilation is a set ({len(need)} needed, {len(specs)} listed)",
              f"missing {sorted(need - specs)}")
    except Exception as e:  # noqa: BLE001
        check(False, "Sickle ListSets completes", repr(e))

    try:
        rid = sorted(ids)[0]
        rec = s.GetRecord(identifier=OAI_ID_PREFIX + rid, metadataPrefix="oai_dc")
        check(rec.header.identifier == OAI_ID_PREFIX + rid, f"Sickle GetRecord {OAI_ID_PREFIX}{rid} returns that record")
        titles = rec.metadata.get("title") or []
        check(titles != [] and all(t and t.strip() for t in titles), "the record's oai_dc has a dc:title", repr(titles))
        rec = s.GetRecord(identifier=OAI_ID_PREFIX + rid, metadataPrefix="mods")
        check(rec.header.identifier == OAI_ID_PREFIX + rid, "Sickle GetRecord in mods returns that record")
    except Exception as e:  # noqa: BLE001
        check(False, "Sickle GetRecord completes", repr(e))

    try:
        ident = s.Identify()
        name = getattr(ident, "repositoryName", "")
        check(bool(name and name.strip()), f"Sickle Identify names the repository ({name!r})")
        check(getattr(ident, "earliestDatestamp", None) == release_date, f"Identify earliestDatestamp is the release date {release_date}",
              repr(getattr(ident, "earliestDatestamp", None)))
        check(getattr(ident, "granularity", None) == "YYYY-MM-DD", "Identify granularity is YYYY-MM-DD", repr(getattr(ident, "granularity", None)))
        check(getattr(ident, "protocolVersion", None) == "2.0", "Identify protocolVersion is 2.0")
        formats = {f.metadataPrefix for f in s.ListMetadataFormats()}
        check({"oai_dc", "mods"} <= formats, f"Sickle ListMetadataFormats offers oai_dc and mods ({sorted(formats)})")
    except Exception as e:  # noqa: BLE001
        check(False, "Sickle Identify and ListMetadataFormats complete", repr(e))

    try:
        n = sum(1 for _ in s.ListIdentifiers(metadataPrefix="mods", **{"from": release_date, "until": release_date}))
        check(n == len(ids), f"ListIdentifiers from=until=release date returns every record ({n})")
    except Exception as e:  # noqa: BLE001
        check(False, "ListIdentifiers from/until the release date completes", repr(e))


# ---------------------------------------------------------------------------------------------
# OAI-PMH: raw responses, validated, and the protocol errors


def parse_response(body: bytes):
    try:
        return etree.fromstring(body, xml_parser())
    except etree.XMLSyntaxError:
        return None


def raw(base: str, query: str, schemas: Schemas, what: str, post: bool = False):
    """Fetch one OAI-PMH response, check it is XML valid against OAI-PMH.xsd; return its root."""
    if post:
        status, ctype, body = http(base, data=query.encode(), headers={"Content-Type": "application/x-www-form-urlencoded"})
    else:
        status, ctype, body = oai_get(base, query)
    root = parse_response(body)
    ok = check(status == 200 and root is not None and "xml" in ctype,
               f"{what}: HTTP 200 with an XML body", f"status {status}, {ctype!r}, {body[:200]!r}")
    if not ok or root is None:
        return None
    errs = errors_of(schemas.oai_pmh, root)
    check(not errs, f"{what}: response valid against OAI-PMH.xsd (with oai_dc/MODS inside)", "; ".join(errs))
    return root


def error_codes(root) -> list[str]:
    return [e.get("code") for e in root.findall("oai:error", NS)] if root is not None else []


def expect_error(base: str, query: str, code: str | tuple, schemas: Schemas, why: str) -> None:
    root = raw(base, query, schemas, f"?{query}")
    codes = error_codes(root)
    allowed = (code,) if isinstance(code, str) else code
    check(codes != [] and all(c in allowed for c in codes), f"?{query} → {'/'.join(allowed)} ({why})", f"got {codes}")
    if root is not None and any(c in ("badVerb", "badArgument") for c in codes):
        req = root.find("oai:request", NS)
        check(req is not None and dict(req.attrib) == {}, f"?{query}: the request element has no attributes after {codes[0]}",
              str(dict(req.attrib)) if req is not None else "no request element")


def raw_protocol(base: str, ids: list[str], kinds: Counter, compilations: set[str], release_date: str, schemas: Schemas) -> None:
    rid = sorted(ids)[0]
    ident = urllib.parse.quote(OAI_ID_PREFIX + rid, safe="")

    root = raw(base, "verb=Identify", schemas, "Identify")
    if root is not None:
        check(root.findtext("oai:Identify/oai:baseURL", namespaces=NS) == base, "Identify baseURL is the /oai address",
              repr(root.findtext("oai:Identify/oai:baseURL", namespaces=NS)))
    raw(base, "verb=ListMetadataFormats", schemas, "ListMetadataFormats")
    root = raw(base, f"verb=ListMetadataFormats&identifier={ident}", schemas, "ListMetadataFormats for one record")
    raw(base, "verb=ListSets", schemas, "ListSets")
    for prefix in ("oai_dc", "mods"):
        root = raw(base, f"verb=GetRecord&identifier={ident}&metadataPrefix={prefix}", schemas, f"GetRecord {prefix}")
        if root is not None:
            inner = root.find("oai:GetRecord/oai:record/oai:metadata", NS)
            child = inner[0] if inner is not None and len(inner) else None
            schema = schemas.oai_dc if prefix == "oai_dc" else schemas.mods
            check(child is not None and not errors_of(schema, etree.fromstring(etree.tostring(child))),
                  f"GetRecord {prefix}: the record inside is valid against its own schema")
            # The record served is the file the release writes.
            path = Path(ARGS.release) / "metadata" / prefix / f"{rid}.xml"
            if child is not None and path.is_file():
                c14n = lambda el: etree.tostring(el, method="c14n2", strip_text=True)  # noqa: E731
                check(c14n(child) == c14n(parse_file(path).getroot()), f"GetRecord {prefix}: same record as metadata/{prefix}/{rid}.xml")

    # Paging: ListIdentifiers and ListRecords walked by hand, cursor and completeListSize checked.
    for verb, prefix in (("ListIdentifiers", "oai_dc"), ("ListRecords", "oai_dc"), ("ListRecords", "mods")):
        walk_pages(base, verb, f"metadataPrefix={prefix}", len(ids), release_date, schemas)
    walk_pages(base, "ListIdentifiers", "metadataPrefix=oai_dc&set=kind%3Atestimony", kinds["testimony"], release_date, schemas)
    for comp in sorted(compilations):
        walk_pages(base, "ListIdentifiers", f"metadataPrefix=mods&set=compilation%3A{urllib.parse.quote(comp)}",
                   COMPILATION_COUNTS[comp], release_date, schemas)

    # POST with a form body.
    root = raw(base, "verb=Identify", schemas, "POST Identify (application/x-www-form-urlencoded)", post=True)
    check(root is not None and root.find("oai:Identify", NS) is not None, "POST Identify answers Identify")
    root = raw(base, f"verb=GetRecord&identifier={ident}&metadataPrefix=oai_dc", schemas, "POST GetRecord", post=True)
    check(root is not None and root.find("oai:GetRecord", NS) is not None, "POST GetRecord answers the record")

    # Errors, one by one.
    day_before = (dt.date.fromisoformat(release_date) - dt.timedelta(days=1)).isoformat()
    cases = [
        ("", "badVerb", "no verb"),
        ("verb=Frobnicate", "badVerb", "not a verb"),
        ("verb=Identify&verb=Identify", "badVerb", "repeated verb (OAI-PMH 3.6: the verb argument is repeated)"),
        ("verb=Identify&foo=bar", "badArgument", "unknown argument"),
        ("verb=ListSets&metadataPrefix=oai_dc", "badArgument", "argument the verb does not take"),
        ("verb=GetRecord&metadataPrefix=oai_dc", "badArgument", "GetRecord without identifier"),
        (f"verb=GetRecord&identifier={ident}", "badArgument", "GetRecord without metadataPrefix"),
        (f"verb=GetRecord&identifier={ident}&identifier={ident}&metadataPrefix=oai_dc", "badArgument", "repeated argument"),
        ("verb=ListRecords", "badArgument", "ListRecords without metadataPrefix"),
        ("verb=ListIdentifiers", "badArgument", "ListIdentifiers without metadataPrefix"),
        ("verb=ListRecords&metadataPrefix=oai_dc&from=2026-13-45", "badArgument", "from is not a date"),
        ("verb=ListRecords&metadataPrefix=oai_dc&from=yesterday", "badArgument", "from is not a date"),
        ("verb=ListRecords&metadataPrefix=oai_dc&until=2026-1-1", "badArgument", "until is not YYYY-MM-DD"),
        ("verb=ListRecords&metadataPrefix=oai_dc&from=2000-01-01T00%3A00%3A00Z", "badArgument",
         "finer granularity than the repository's YYYY-MM-DD (OAI-PMH 3.3.1)"),
        ("verb=ListRecords&metadataPrefix=oai_dc&resumptionToken=x", "badArgument", "resumptionToken is exclusive"),
        ("verb=ListIdentifiers&resumptionToken=x&set=kind%3Atestimony", "badArgument", "resumptionToken is exclusive"),
        ("verb=ListRecords&metadataPrefix=marc", "cannotDisseminateFormat", "format not offered"),
        (f"verb=GetRecord&identifier={ident}&metadataPrefix=marc", "cannotDisseminateFormat", "format not offered"),
        (f"verb=GetRecord&identifier={urllib.parse.quote(OAI_ID_PREFIX, safe='')}no-such-record&metadataPrefix=oai_dc",
         "idDoesNotExist", "unknown identifier"),
        ("verb=GetRecord&identifier=oai%3Aelsewhere%3Ax&metadataPrefix=oai_dc", "idDoesNotExist", "another repository's identifier"),
        ("verb=ListMetadataFormats&identifier=oai%3Aelsewhere%3Ax", "idDoesNotExist", "unknown identifier"),
        ("verb=ListRecords&metadataPrefix=oai_dc&from=2100-01-01", "noRecordsMatch", "nothing after 2100"),
        (f"verb=ListIdentifiers&metadataPrefix=oai_dc&until={day_before}", "noRecordsMatch", "nothing before the release date"),
        ("verb=ListIdentifiers&metadataPrefix=oai_dc&set=kind%3Anot_a_kind", "noRecordsMatch", "a set no record is in"),
        ("verb=ListRecords&resumptionToken=garbage", "badResumptionToken", "garbage token"),
        ("verb=ListIdentifiers&resumptionToken=garbage", "badResumptionToken", "garbage token"),
        ("verb=ListSets&resumptionToken=garbage", "badResumptionToken", "garbage token"),
    ]
    for query, code, why in cases:
        expect_error(base, query, code, schemas, why)

    # A resumption token is tied to its verb: one from ListRecords cannot page ListIdentifiers.
    if len(ids) > PAGE_SIZE:
        root = raw(base, "verb=ListRecords&metadataPrefix=oai_dc", schemas, "ListRecords first page")
        token = root.findtext("oai:ListRecords/oai:resumptionToken", namespaces=NS) if root is not None else None
        if token:
            expect_error(base, f"verb=ListSets&resumptionToken={urllib.parse.quote(token, safe='')}", "badResumptionToken", schemas,
                         "a ListRecords token given to ListSets")

    # The files are still served beside /oai.
    status, _, _ = oai_get(base.rsplit("/", 1)[0] + "/site/index.html", "")
    check(status == 200, "the site is still served beside /oai")


COMPILATION_COUNTS: Counter = Counter()


def walk_pages(base: str, verb: str, args: str, expected: int, release_date: str, schemas: Schemas) -> None:
    what = f"{verb}?{args}"
    seen: list[str] = []
    query = f"verb={verb}&{args}"
    pages = 0
    while True:
        pages += 1
        root = raw(base, query, schemas, f"{what} page {pages}") if pages <= 2 else parse_response(oai_get(base, query)[2])
        if root is None:
            check(False, f"{what}: page {pages} answers")
            return
        if expected == 0:
            check(error_codes(root) == ["noRecordsMatch"], f"{what}: noRecordsMatch when nothing matches")
            return
        container = root.find(f"oai:{verb}", NS)
        if container is None:
            check(False, f"{what}: page {pages} is a {verb}", str(error_codes(root)))
            return
        headers = container.findall("oai:header", NS) + container.findall("oai:record/oai:header", NS)
        seen += [h.findtext("oai:identifier", namespaces=NS) for h in headers]
        if len(headers) > PAGE_SIZE:
            check(False, f"{what}: page {pages} holds at most {PAGE_SIZE} items", str(len(headers)))
        bad_dates = {h.findtext("oai:datestamp", namespaces=NS) for h in headers} - {release_date}
        if bad_dates:
            check(False, f"{what}: datestamps are the release date", str(sorted(bad_dates)[:3]))
        token = container.find("oai:resumptionToken", NS)
        if token is not None:
            size = token.get("completeListSize")
            cursor = token.get("cursor")
            if size != str(expected) or cursor != str(len(seen) - len(headers)):
                check(False, f"{what}: page {pages} resumptionToken has completeListSize={expected} and cursor={len(seen) - len(headers)}",
                      f"completeListSize={size} cursor={cursor}")
        text = (token.text or "").strip() if token is not None else ""
        if not text:
            if expected > PAGE_SIZE:
                check(token is not None, f"{what}: the last page carries an empty resumptionToken (a list that was split)")
            break
        query = f"verb={verb}&resumptionToken={urllib.parse.quote(text, safe='')}"
        if pages > expected // max(1, PAGE_SIZE) + 5:
            check(False, f"{what}: paging ends", f"{pages} pages for {expected}")
            return
    check(len(seen) == expected and len(set(seen)) == expected,
          f"{what}: {pages} pages of at most {PAGE_SIZE}, {len(seen)} distinct items, {expected} expected")


# ---------------------------------------------------------------------------------------------
# Load


def load_test(binary: str, synth: Path) -> None:
    table = pq.read_table(synth / "data" / "records.parquet", columns=["id", "kind"])
    total = table.num_rows
    kinds = Counter(table.column("kind").to_pylist())
    del table
    server = Server(binary, synth)
    try:
        base = server.base
        kind_list = sorted(kinds)
        jobs = []
        for i in range(HARVESTERS):
            if i % 2 == 0:
                jobs.append(("ListIdentifiers oai_dc (all)", dict(metadataPrefix="oai_dc"), "ListIdentifiers", total))
            else:
                k = kind_list[(i // 2) % len(kind_list)]
                jobs.append((f"ListRecords oai_dc set=kind:{k}", dict(metadataPrefix="oai_dc", set=f"kind:{k}"), "ListRecords", kinds[k]))
        peak = [0]
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                kb = server.peak_rss_kb()
                if kb:
                    peak[0] = max(peak[0], kb)
                done.wait(0.2)

        def run(job):
            name, kwargs, verb, want = job
            t0 = time.monotonic()
            try:
                it = getattr(sickle(base), verb)(**kwargs)
                ids = set()
                n = 0
                for item in it:
                    n += 1
                    ids.add((item.header if verb == "ListRecords" else item).identifier)
                return name, want, n, len(ids), time.monotonic() - t0, None
            except Exception as e:  # noqa: BLE001
                return name, want, -1, -1, time.monotonic() - t0, repr(e)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        t0 = time.monotonic()
        with ThreadPoolExecutor(max_workers=HARVESTERS) as pool:
            results = list(pool.map(run, jobs))
        elapsed = time.monotonic() - t0
        done.set()
        sampler.join()
        for name, want, n, distinct, secs, err in results:
            check(err is None and n == want == distinct, f"load: {name}: {n} items, {want} expected ({secs:.1f} s)", err or "")
        kb = server.peak_rss_kb() or peak[0]
        print(f"     load: {HARVESTERS} harvesters over {total} records in {elapsed:.1f} s; server peak RSS (VmHWM) {kb / 1024:.1f} MB")
        check(server.alive(), "load: the server is still running after the harvest")
        check(0 < kb < RSS_LIMIT_MB * 1024, f"load: server peak RSS {kb / 1024:.1f} MB < {RSS_LIMIT_MB} MB")
    finally:
        server.stop()


# ---------------------------------------------------------------------------------------------


ARGS: argparse.Namespace


def main() -> int:
    global ARGS
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("release", type=Path)
    ap.add_argument("khojaly_bin")
    ap.add_argument("--load", type=Path, metavar="SYNTH_RELEASE_DIR")
    ARGS = ap.parse_args()
    release: Path = ARGS.release

    schemas = Schemas()
    check(RESOLVER.refused == [], "the vendored schemas load with every import resolved locally", str(RESOLVER.refused))

    rows = pq.read_table(release / "data" / "records.parquet", columns=["id", "kind", "compilations"]).to_pylist()
    ids = [r["id"] for r in rows]
    kinds = Counter(r["kind"] for r in rows)
    compilations = {c for r in rows for c in (r["compilations"] or [])}
    COMPILATION_COUNTS.update(c for r in rows for c in set(r["compilations"] or []))
    dp = json.loads((release / "datapackage.json").read_text(encoding="utf-8"))
    release_date = dp["created"][:10]
    check(len(ids) == len(set(ids)) and len(ids) > 0, f"records.parquet: {len(ids)} records with distinct ids")

    check_metadata_files(release, ids, schemas)
    check_marc(release)
    check_zenodo(release)

    server = None
    try:
        server = Server(ARGS.khojaly_bin, release)
        print(f"     server: {server.base}")
        harvest(server.base, ids, kinds, compilations, release_date)
        raw_protocol(server.base, ids, kinds, compilations, release_date, schemas)
        check(server.alive(), "the server is still running after every request")
    except Exception as e:  # noqa: BLE001
        check(False, "the OAI-PMH checks ran to the end", repr(e))
    finally:
        if server is not None:
            server.stop()

    if ARGS.load:
        try:
            load_test(ARGS.khojaly_bin, ARGS.load)
        except Exception as e:  # noqa: BLE001
            check(False, "the load test ran to the end", repr(e))

    if failures:
        print(f"\n{len(failures)} check(s) failed:")
        for f in failures:
            print("  - " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
