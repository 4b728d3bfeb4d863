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
    con.execute(f"create table r as select * from read_json('{jsonl}', format='newline_delimited')")
    con.execute(f"copy r to '{parquet}' (format parquet, compression zstd)")
    con.execute(f"copy r to '{csv}' (format csv, header)")
elif engine == "pyarrow":
    import pyarrow as pa
    import pyarrow.csv as pcsv
    import pyarrow.json as pjson
    import pyarrow.parquet as pq

    import json

    # pyarrow's JSON reader infers timestamps in strings such as "1992-02-26" and then cannot
    # hold them in structs: take the schema from a sample read as plain JSON values (strings
    # stay strings; fields null throughout the sample become strings), then read all with it.
    def no_nulls(t):
        if pa.types.is_null(t):
            return pa.string()
        if pa.types.is_struct(t):
            return pa.struct([f.with_type(no_nulls(f.type)) for f in t])
        if pa.types.is_list(t):
            return pa.list_(t.value_field.with_type(no_nulls(t.value_type)))
        return t

    with open(jsonl, encoding="utf-8") as f:
        sample = [json.loads(line) for _, line in zip(range(2000), f)]
    inferred = pa.Table.from_pylist(sample).schema
    schema = pa.schema([f.with_type(no_nulls(f.type)) for f in inferred])
    table = pjson.read_json(jsonl, parse_options=pjson.ParseOptions(
        explicit_schema=schema, unexpected_field_behavior="infer"))
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
