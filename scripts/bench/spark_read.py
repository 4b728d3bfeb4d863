"""Spark reads a release (issue 14: Parquet that distributed engines read in parallel).

Usage: spark_read.py RELEASE_DIR

Reads every `data/*.parquet` table of the release with pyspark (local[2], no UI, loopback only,
1 GB driver) and prints, per table: the rows Spark counts, Spark's input partitions (and how many
of them hold rows: a partition gets the row groups whose middle falls in its byte range, so a
file of one row group is read by one task however many partitions it is split into), the row
groups of the file and whether every column chunk has min/max statistics (from pyarrow's
reading of the footer). Then one query joins claims to records on record_id. Exits non-zero when
a Spark count differs from the row count in the Parquet footers, or a column chunk holding
values has no min/max. Needs Java 17 or newer (Spark 4) on PATH or in JAVA_HOME.
"""
import glob
import os
import sys
import time

import pyarrow.parquet as pq
from pyspark.sql import SparkSession
from pyspark.sql import functions as F

start = time.monotonic()
release = sys.argv[1]
tables = sorted(glob.glob(os.path.join(release, "data", "*.parquet")))
if not tables:
    sys.exit(f"no data/*.parquet in {release}")

# Spark binds its driver to the machine's hostname unless told otherwise; loopback only (read
# by the JVM that getOrCreate starts).
os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
spark = (
    SparkSession.builder.master("local[2]")
    .appName("khojaly-spark-read")
    .config("spark.ui.enabled", "false")
    .config("spark.ui.showConsoleProgress", "false")
    .config("spark.driver.host", "127.0.0.1")
    .config("spark.driver.bindAddress", "127.0.0.1")
    # The driver is the executor in local mode: a small heap, so Spark does not take the machine.
    .config("spark.driver.memory", "1g")
    # The join's shuffle: 200 partitions by default, far more than 2 cores need.
    .config("spark.sql.shuffle.partitions", "4")
    .getOrCreate()
)
spark.sparkContext.setLogLevel("ERROR")
print(f"pyspark {spark.version}, {spark.sparkContext.master}; session up in {time.monotonic() - start:.1f} s")

problems = []
frames = {}
print()
print("| table                      |     rows | partitions (with rows) | row groups | min/max stats |")
print("|----------------------------|---------:|-----------------------:|-----------:|---------------|")
for path in tables:
    name = os.path.basename(path)[: -len(".parquet")]
    meta = pq.ParquetFile(path).metadata
    # Every column chunk of every row group: min/max present, or the chunk is all nulls (which
    # has no min or max to give: it has a null count, which readers use the same way).
    lacking = set()
    for g in range(meta.num_row_groups):
        group = meta.row_group(g)
        for c in range(group.num_columns):
            chunk = group.column(c)
            s = chunk.statistics
            all_null = s is not None and s.has_null_count and s.null_count == group.num_rows
            if not (s is not None and s.has_min_max) and not all_null:
                lacking.add(chunk.path_in_schema)
    df = spark.read.parquet(path)
    frames[name] = df
    rows = df.count()
    partitions = df.rdd.getNumPartitions()
    # Rows per input partition, counted in the JVM (no shuffle before spark_partition_id).
    filled = df.groupBy(F.spark_partition_id()).count().count()
    stats = "all" if not lacking else f"missing: {', '.join(sorted(lacking))}"
    print(f"| {name:26} | {rows:8d} | {partitions:11d} ({filled:8d}) | {meta.num_row_groups:10d} | {stats} |")
    if rows != meta.num_rows:
        problems.append(f"{name}: Spark counts {rows} rows, the Parquet footer {meta.num_rows}")
    if lacking:
        problems.append(f"{name}: column chunks with values but no min/max: {', '.join(sorted(lacking))}")

# Claims to their records: every claim has exactly one record, so the inner join keeps them all.
if "claims" in frames and "records" in frames:
    claims, records = frames["claims"], frames["records"]
    joined = claims.join(records, claims.record_id == records.id).groupBy(records.kind).count()
    per_kind = sorted((r["kind"], r["count"]) for r in joined.collect())
    total = sum(n for _, n in per_kind)
    expected = pq.ParquetFile(os.path.join(release, "data", "claims.parquet")).metadata.num_rows
    print()
    print(f"claims ⋈ records on record_id = id: {total} rows in {len(per_kind)} kinds (claims.parquet: {expected} rows)")
    for kind, n in per_kind:
        print(f"  {kind}: {n}")
    if total != expected:
        problems.append(f"join: {total} claims matched a record, claims.parquet holds {expected}")
else:
    problems.append("no claims or records table to join")

# pyspark leaves the JVM to exit on its own once Python is gone; close its stdin and wait for it,
# so that it exits before this script and its CPU time and memory count towards ours (and so
# /usr/bin/time's, in scripts/bench.sh).
proc = getattr(spark.sparkContext._gateway, "proc", None)
spark.stop()
if proc is not None:
    proc.stdin.close()
    proc.wait(timeout=60)

print()
print(f"wall {time.monotonic() - start:.1f} s")
for p in problems:
    print(f"MISMATCH {p}", file=sys.stderr)
sys.exit(1 if problems else 0)
