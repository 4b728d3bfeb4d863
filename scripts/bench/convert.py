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

    # pyarrow infers timestamps in strings such as "1992-02-26" and then cannot hold them in
    # structs: infer the schema from a sample, keep such fields as strings, read all with it.
    def strings_for_timestamps(t):
        if pa.types.is_timestamp(t):
            return pa.string()
        if pa.types.is_struct(t):
            return pa.struct([f.with_type(strings_for_timestamps(f.type)) for f in t])
        if pa.types.is_list(t):
            return pa.list_(t.value_field.with_type(strings_for_timestamps(t.value_type)))
        return t

    with open(jsonl, "rb") as f:
        sample = b"".join(line for _, line in zip(range(2000), f))
    inferred = pjson.read_json(pa.BufferReader(sample), parse_options=pjson.ParseOptions(
        explicit_schema=pa.schema([pa.field("id", pa.string())]), unexpected_field_behavior="infer"))
    schema = pa.schema([f.with_type(strings_for_timestamps(f.type)) for f in inferred.schema])
    table = pjson.read_json(jsonl, parse_options=pjson.ParseOptions(
        explicit_schema=schema, unexpected_field_behavior="infer"))
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
