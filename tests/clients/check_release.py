"""Read a release with the clients data scientists use, and check it against itself.

Usage: check_release.py RELEASE_DIR SCHEMA_DIR

RELEASE_DIR is <out>/<name>-<version>; SCHEMA_DIR is the repository's schema/. Every Parquet
table is read with pyarrow, pandas, polars and DuckDB; row counts must agree with each other and
with the table's CSV twin, whose columns must be the same, in the same order. Dates must come back
as dates and lists as lists, the texts byte-equal to the JSON Lines, every JSON Lines record valid
against schema/<kind>.schema.json, every table row valid against schema/tables/<table>.schema.json,
and every EDTF date readable by an independent EDTF parser. Prints one line per check; exits 1
with every failure listed.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import sys
from pathlib import Path

import duckdb
import edtf
import jsonschema
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

RECORD_COLUMNS = [
    "id", "kind", "title", "date", "date_start", "date_end", "body_id", "body", "authors",
    "place", "language", "text_status", "text", "source_urls", "part_of",
]

failures: list[str] = []


def check(ok: bool, what: str) -> None:
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def csv_table(path: Path) -> tuple[list[str], list[list[str]]]:
    # newline="" keeps line breaks inside quoted texts, as RFC 4180 requires.
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def jsonable(value):
    """A Parquet value as it would appear in JSON (dates as ISO strings)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    return value


def main() -> int:
    release = Path(sys.argv[1])
    schema_dir = Path(sys.argv[2])
    data = release / "data"
    parquet_files = sorted(data.glob("*.parquet"))
    duck = duckdb.connect()
    check(len(parquet_files) > 0, f"{data} holds Parquet tables")

    for path in parquet_files:
        name = path.stem
        table = pq.read_table(path)
        rows = table.num_rows
        check(len(pd.read_parquet(path)) == rows, f"{name}: pandas reads {rows} rows")
        check(pl.read_parquet(path).height == rows, f"{name}: polars reads {rows} rows")
        got = duck.execute("select count(*) from read_parquet(?)", [str(path)]).fetchall()[0][0]
        check(got == rows, f"{name}: DuckDB reads {got} rows (pyarrow {rows})")

        header, csv_rows = csv_table(path.with_suffix(".csv"))
        check(header == table.column_names, f"{name}: CSV twin has the Parquet columns in order")
        check(len(csv_rows) == rows, f"{name}: CSV twin has {len(csv_rows)} rows (Parquet {rows})")
        if rows and "id" in table.column_names:
            parquet_ids = table.column("id").to_pylist()
            csv_ids = [r[header.index("id")] for r in csv_rows]
            check(parquet_ids == csv_ids, f"{name}: CSV and Parquet rows are the same, same order")
            check(parquet_ids == sorted(parquet_ids), f"{name}: rows sorted by id")

        table_schema_path = schema_dir / "tables" / f"{name}.schema.json"
        check(table_schema_path.exists(), f"{name}: has a table schema")
        if table_schema_path.exists():
            row_schema = json.loads(table_schema_path.read_text(encoding="utf-8"))
            jsonschema.Draft202012Validator.check_schema(row_schema)
            validator = jsonschema.Draft202012Validator(
                row_schema, format_checker=jsonschema.FormatChecker()
            )
            bad = [
                (i, e.message)
                for i, row in enumerate(table.to_pylist())
                for e in validator.iter_errors(jsonable(row))
            ]
            check(not bad, f"{name}: every row valid against its table schema {bad[:3]}")

        for field in table.schema:
            if field.name in ("date_start", "date_end"):
                check(field.type == pa.date32(), f"{name}.{field.name} is date32 ({field.type})")
            if field.name in ("authors", "source_urls", "compilations"):
                check(pa.types.is_list(field.type), f"{name}.{field.name} is a list ({field.type})")

    records_path = data / "records.parquet"
    records = pq.read_table(records_path)
    missing = [c for c in RECORD_COLUMNS if c not in records.column_names]
    check(not missing, f"records.parquet has the required columns (missing: {missing})")
    polars_dates = pl.read_parquet(records_path).schema.get("date_start")
    check(polars_dates == pl.Date, f"polars sees date_start as Date ({polars_dates})")
    duck_type = duck.execute(
        "select typeof(date_start) from read_parquet(?) where date_start is not null limit 1",
        [str(records_path)],
    ).fetchall()
    check(duck_type == [("DATE",)], f"DuckDB sees date_start as DATE ({duck_type})")

    jsonl = [
        json.loads(line)
        for line in (data / "records.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    check(len(jsonl) == records.num_rows, f"records.jsonl has {len(jsonl)} records (Parquet {records.num_rows})")
    by_id = {r["id"]: r for r in jsonl}
    texts_equal = all(
        (by_id[i].get("text") or None) == t
        for i, t in zip(records.column("id").to_pylist(), records.column("text").to_pylist())
    )
    check(texts_equal, "records.parquet texts are byte-equal to records.jsonl")
    pandas_texts = pd.read_parquet(records_path).set_index("id")["text"]
    check(
        all((by_id[i].get("text") or None) == (None if pd.isna(t) else t) for i, t in pandas_texts.items()),
        "pandas texts are byte-equal to records.jsonl",
    )

    validators = {}
    invalid = []
    for record in jsonl:
        kind = record["kind"]
        if kind not in validators:
            schema = json.loads((schema_dir / f"{kind}.schema.json").read_text(encoding="utf-8"))
            jsonschema.Draft202012Validator.check_schema(schema)
            validators[kind] = jsonschema.Draft202012Validator(schema)
        invalid += [f"{record['id']}: {e.message}" for e in validators[kind].iter_errors(record)]
    check(not invalid, f"every JSON Lines record valid against schema/<kind>.schema.json {invalid[:3]}")

    bad_dates = []
    for record in jsonl:
        if record.get("date"):
            try:
                edtf.parse_edtf(record["date"])
            except Exception as e:  # the edtf package raises its own error types
                bad_dates.append(f"{record['id']}: {record['date']}: {e}")
    check(not bad_dates, f"every date is EDTF for an independent parser {bad_dates[:3]}")

    # Claims: every quote is the text's characters at its offsets (Python slices by code point),
    # every value is inside its quote, bounds are ordered, ids unique; DuckDB joins them to records.
    claims_path = data / "claims.parquet"
    claims = pq.read_table(claims_path).to_pylist()
    check(len(claims) > 0, f"claims.parquet has {len(claims)} claims")
    texts = {}
    for r in jsonl:
        texts[(r["id"], None, None)] = r.get("text")
        texts[(r["id"], "title")] = r.get("title")
        for n, a in enumerate(r.get("appearances", []), start=1):
            if a.get("text"):
                texts[(r["id"], n, None)] = a["text"]
        for n, f in enumerate(r.get("footnotes", []), start=1):
            texts[(r["id"], None, n)] = f["text"]
    misplaced = [
        c["claim_id"]
        for c in claims
        if (
            texts.get((c["record_id"], "title") if c["located_in"] == "title" else (c["record_id"], c["appearance"], c["footnote"]))
            or ""
        )[c["quote_start"]:c["quote_end"]] != c["quote"]
    ]
    check(not misplaced, f"every claim's quote stands at its offsets in its text {misplaced[:3]}")
    check(all(c["value_as_printed"] in c["quote"] for c in claims), "every claim's value is inside its quote")
    unordered = [c["claim_id"] for c in claims if c["value_low"] is not None and c["value_high"] is not None and c["value_low"] > c["value_high"]]
    check(not unordered, f"value_low <= value_high {unordered[:3]}")
    ids = [c["claim_id"] for c in claims]
    check(len(ids) == len(set(ids)), "claim ids are unique")
    joined = duck.execute(
        "select count(*) from read_parquet(?) c join read_parquet(?) r on c.record_id = r.id",
        [str(claims_path), str(records_path)],
    ).fetchone()
    check(joined == (len(claims),), f"DuckDB joins every claim to its record ({joined} of {len(claims)})")

    # Who states each figure is an agent of the agents table; the relay ends with reported_by;
    # statement groups and totals name claims; every claim has a qualifier and a unit.
    agents = {a["agent_id"]: a for a in pq.read_table(data / "agents.parquet").to_pylist()}
    check(len(agents) > 100, f"agents.parquet has {len(agents)} agents")
    unresolved = [c["claim_id"] for c in claims if c["stated_by"] not in agents]
    check(not unresolved, f"every stated_by is an agent id {unresolved[:3]}")
    check(all(c["stated_by"] != "record_author" for c in claims), "no published claim says record_author")
    bad_relay = [
        c["claim_id"] for c in claims
        if c["reported_by"] is not None and (c["reported_by"] not in agents or not c["relay_chain"] or c["relay_chain"][-1] != c["reported_by"])
    ]
    check(not bad_relay, f"reported_by is an agent and ends the relay chain {bad_relay[:3]}")
    check(all(c["qualifier"] and c["unit"] for c in claims), "every claim has a qualifier and a unit")
    known = set(ids)
    dangling = [c["claim_id"] for c in claims if c["statement_group"] not in known or (c["part_of_claim"] and c["part_of_claim"] not in known)]
    check(not dangling, f"statement_group and part_of_claim name claims {dangling[:3]}")
    check(all(c["is_total"] or c["part_of_claim"] is None or c["part_of_claim"] != c["claim_id"] for c in claims), "no claim is part of itself")
    records_by_id = {r["id"]: r for r in jsonl}
    witness_as_outlet = [
        c["claim_id"] for c in claims
        if records_by_id[c["record_id"]]["kind"] in ("testimony", "legislative_remark")
        and c["speech_mode"] == "own_assertion"
        and c["stated_by"] == records_by_id[c["record_id"]]["body"]
    ]
    check(not witness_as_outlet, f"no testimony or remark figure in the speaker's own words is the outlet's {witness_as_outlet[:3]}")
    names = pq.read_table(data / "agent_names.parquet").to_pylist()
    check(all(n["agent_id"] in agents and n["record_id"] in records_by_id for n in names), "every printed agent name names an agent and a record")
    # The death tolls by kind of stater and year, from the Parquet tables alone.
    tolls = duck.execute(
        """
        select a.stater_kind, year(c.statement_date_start) as year, count(distinct c.statement_group) as statements
        from read_parquet(?) c join read_parquet(?) a on a.agent_id = c.stated_by
        where c.quantity = 'killed' and c.scope = 'subject_event' and c.is_total and c.unit = 'persons'
        group by all
        """,
        [str(claims_path), str(data / "agents.parquet")],
    ).fetchall()
    kinds = {row[0] for row in tolls}
    check({"witness", "legislator", "journalist"} <= kinds, f"death tolls group by kind of stater: {sorted(kinds)}")
    chart = data / "claims-killed-khojaly.svg"
    check(chart.is_file() and "does not assess" in chart.read_text(encoding="utf-8"), "the chart is in the release with its neutral caption")

    if failures:
        print(f"\n{len(failures)} check(s) failed", file=sys.stderr)
        return 1
    print(f"\nall checks passed on {release}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
