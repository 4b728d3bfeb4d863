"""Runs every code block of README.md, as a new user would, from the repository root.

Usage: run_readme.py PYTHON

The first block is the README's first command: it builds the release the other blocks read
(its `./scripts/test.sh` line is left out: that script is what calls this runner). Then every
`sh` block runs in bash (`set -euo pipefail`), every `python` block in PYTHON, every `r` block
in Rscript. A block may be preceded by one marker comment:

    <!-- readme-test: needs NAME -->     run only when NAME (a Python module or a program) is
                                         there; otherwise reported as skipped
    <!-- readme-test: skip (REASON) -->  never run; the reason is printed

`text` blocks are listings, not code. Any other language, or a block without one, fails the run,
so that no block can slip past unrun by accident.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

root = Path(__file__).resolve().parents[2]
python = sys.argv[1]
readme = (root / "README.md").read_text("utf-8").splitlines()

blocks = []  # (line number, language, code, marker)
i = 0
while i < len(readme):
    m = re.match(r"^```(\S*)\s*$", readme[i])
    if m:
        start, lang, body = i + 1, m.group(1), []
        marker = None
        j = i - 1
        while j >= 0 and readme[j].strip() == "":
            j -= 1
        if j >= 0:
            mk = re.match(r"^<!-- readme-test: (.*) -->$", readme[j].strip())
            if mk:
                marker = mk.group(1)
        i += 1
        while i < len(readme) and not readme[i].startswith("```"):
            body.append(readme[i])
            i += 1
        blocks.append((start, lang, "\n".join(body) + "\n", marker))
    i += 1

env = dict(os.environ, NO_COLOR="1")
failed, ran, skipped = [], 0, []


def available(name):
    if shutil.which(name):
        return True
    probe = subprocess.run([python, "-c", f"import {name}"], capture_output=True)
    return probe.returncode == 0


for n, (line, lang, code, marker) in enumerate(blocks):
    where = f"README.md:{line} ({lang or 'no language'})"
    if lang == "text":
        continue
    if marker and marker.startswith("skip"):
        skipped.append(f"{where}: {marker}")
        continue
    if marker and marker.startswith("needs "):
        need = marker.removeprefix("needs ").strip()
        if not available(need):
            skipped.append(f"{where}: needs {need}, not installed")
            continue
    if n == 0:
        code = "\n".join(l for l in code.splitlines() if "scripts/test.sh" not in l) + "\n"
    if lang == "sh":
        cmd = ["bash", "-euo", "pipefail", "-c", code]
    elif lang == "python":
        cmd = [python, "-c", code]
    elif lang == "r":
        cmd = ["Rscript", "-e", code]
    else:
        failed.append(f"{where}: no runner for this language; mark it `text` or add one")
        continue
    print(f"--- {where}", flush=True)
    result = subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True)
    ran += 1
    if result.returncode != 0:
        failed.append(f"{where}: exit {result.returncode}\n{result.stdout}{result.stderr}")
    else:
        print(result.stdout[-2000:], end="")

for s in skipped:
    print(f"skipped {s}")
if failed:
    for f in failed:
        print(f"FAILED {f}", file=sys.stderr)
    sys.exit(1)
print(f"README.md: {ran} code blocks ran, {len(skipped)} skipped")
