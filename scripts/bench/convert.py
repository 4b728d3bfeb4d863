"""The comparison of scripts/bench.sh: one engine turns a release's records.jsonl into
records.parquet and records.csv, as a single-table conversion.

Usage: convert.py duckdb|pyarrow JSONL OUT_DIR
"""
import os
import sys

engine, jsonl, out = sys.argv[1], sys.argv[2], sys.argv[3]
os.makedirs(out, exist_ok=True)
parquet, csv = os.path.join(out, "records.parquet"), os.path.join(out, "records.csv")
if engine == "duckdb":
    import duckdb

    con = duckdb.connect()
    # Read once into a table, then write both files, as khojaly writes both from one pass.
    con.execute(f"create table r as select * from read_json('{jsonl}', format='newline_delimited', sample_size=-1)")
    con.execute(f"copy r to '{parquet}' (format parquet, compression zstd)")
    con.execute(f"copy r to '{csv}' (format csv, header)")
elif engine == "pyarrow":
    import json

    import pyarrow as pa
    import pyarrow.csv as pcsv
    import pyarrow.json as pjson
    import pyarrow.parquet as pq

    # pyarrow's JSON reader cannot infer these records' types: it takes strings such as
    # "1992-02-26" for timestamps and then cannot hold them inside structs, and a schema inferred
    # from the first block misses the fields of kinds absent from it. So the schema is inferred
    # first, from every line (Python's json, 10,000 lines at a time: `pa.array` of the dicts
    # gives the union of their keys, where `Table.from_pylist` keeps only the first dict's), and
    # pyarrow's streaming reader then parses the file with it, batch by batch, into both
    # writers, never holding the whole table (2.5 GB peak at 1M records, where a list of every
    # record took 22 GB).
    schema = None
    with open(jsonl, encoding="utf-8") as f:
        while True:
            lines = [line for _, line in zip(range(10_000), f)]
            if not lines:
                break
            chunk = pa.schema(list(pa.array([json.loads(line) for line in lines]).type))
            schema = chunk if schema is None else pa.unify_schemas(
                [schema, chunk], promote_options="permissive"
            )
    reader = pjson.open_json(
        jsonl,
        parse_options=pjson.ParseOptions(explicit_schema=schema, unexpected_field_behavior="error"),
    )
    # Parquet holds no struct without fields (a kind with no own fields is `{}`), and pyarrow's
    # CSV writer takes no nested columns: those are left out of the file that cannot hold them.
    kept = pa.schema([f for f in schema if not (pa.types.is_struct(f.type) and f.type.num_fields == 0)])
    flat = pa.schema([f for f in schema if not pa.types.is_nested(f.type)])
    with pq.ParquetWriter(parquet, kept, compression="zstd") as pw, pcsv.CSVWriter(csv, flat) as cw:
        for batch in reader:
            pw.write_batch(batch.select(kept.names))
            cw.write_batch(batch.select(flat.names))
else:
    sys.exit(f"unknown engine {engine}")
