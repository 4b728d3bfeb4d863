"""Synthetic data for scripts/bench.sh: the bundled records cloned under new ids.

Usage: synth.py DATA_DIR OUT_DIR N

OUT_DIR becomes a data directory with every file of DATA_DIR except the records and the
published-release manifests, and N records: the bundled ones in turn, each copy under the id
`<id>-s<n>` (same texts, spans and claims), with `part_of` pointing at the same copy of its target.
The first 154 (one round) keep their own ids, so a 154-record run is the bundled data.
"""
import os
import re
import shutil
import sys

data, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
shutil.copytree(data, out, ignore=shutil.ignore_patterns("records", "releases"))
records = []
for kind in sorted(os.listdir(os.path.join(data, "records"))):
    folder = os.path.join(data, "records", kind)
    for name in sorted(os.listdir(folder)):
        with open(os.path.join(folder, name), encoding="utf-8") as f:
            records.append((kind, name[: -len(".toml")], f.read()))
for kind, _, _ in records:
    os.makedirs(os.path.join(out, "records", kind), exist_ok=True)

ID = re.compile(r'^id = "([^"]+)"$', re.M)
PART_OF = re.compile(r'^part_of = "([^"]+)"$', re.M)
written = 0
copy = 0
while written < n:
    for kind, rid, text in records:
        if written >= n:
            break
        if copy == 0:
            new_id, body = rid, text
        else:
            suffix = f"-s{copy}"
            new_id = rid + suffix
            # Only the record's own id (its first `id =` line); claim ids are local to it.
            body = ID.sub(lambda m: f'id = "{m.group(1)}{suffix}"', text, count=1)
            body = PART_OF.sub(lambda m: f'part_of = "{m.group(1)}{suffix}"', body)
        with open(os.path.join(out, "records", kind, new_id + ".toml"), "w", encoding="utf-8") as f:
            f.write(body)
        written += 1
    copy += 1
