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
    import pyarrow as pa
    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq
    import json

    # pyarrow's own JSON reader cannot read these records: it infers timestamps in strings such
    # as "1992-02-26" and then cannot hold them inside structs, and a schema inferred from a
    # sample misses fields null in it. So the lines are parsed by Python's json and the Arrow
    # types inferred from all of them (this holds every record in memory).
    with open(jsonl, encoding="utf-8") as f:
        table = pa.Table.from_pylist([json.loads(line) for line in f])
    # Parquet holds no struct without fields (a kind with no own fields is `{}`): left out.
    table = table.select([
        n for n, t in zip(table.column_names, table.schema.types)
        if not (pa.types.is_struct(t) and t.num_fields == 0)
    ])
    pq.write_table(table, parquet, compression="zstd")
    # pyarrow's CSV writer takes no nested columns: those are left out of its CSV.
    flat = [
        name
        for name, t in zip(table.column_names, table.schema.types)
        if not (pa.types.is_nested(t))
    ]
    pcsv.write_csv(table.select(flat), csv)
else:
    sys.exit(f"unknown engine {engine}")
