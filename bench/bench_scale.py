"""Scale benchmark for the build store: cold/warm check and cold/incremental builds.

Usage: python bench/bench_scale.py CORPUS [--formats jsonld,sitemap] [--edit-formats ...]
       [--check-only]
Each step runs `pressroom` in a subprocess under /usr/bin/time, so wall time, CPU time
(the command and its workers) and peak RSS are the real command's. The anchor, measured
in the same run, is a bare one-core libyaml parse of the same front matter; compare
ratios, not seconds (the machine is shared). Prints one Markdown table.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml


def libyaml_floor(corpus: Path) -> tuple[float, float]:
    """(wall s, CPU s) to read and parse every file's front matter with libyaml, one core."""
    start, cpu = time.perf_counter(), time.process_time()
    for path in sorted(corpus.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        yaml.load(text.split("---", 2)[1], Loader=yaml.CSafeLoader)  # noqa: S506
    return time.perf_counter() - start, time.process_time() - cpu


# Runs the CLI and, at exit, prints the main process's own peak RSS (VmHWM): /usr/bin/time
# reports the largest process of the tree, which may be a worker.
_RUN = ("import atexit, sys\n"
        "def hwm():\n"
        "    status = open('/proc/self/status').read()\n"
        "    print('VmHWM', status.split('VmHWM:')[1].split()[0], file=sys.stderr)\n"
        "atexit.register(hwm)\n"
        "from pressroom.cli import app\n"
        "app()\n")


def timed(args: list[str]) -> tuple[float, float, float, float, str]:
    """(wall s, CPU s of the command and its workers, main-process peak RSS MB, whole-tree
    peak RSS MB, summary) of one command."""
    command = ["/usr/bin/time", "-f", "%e %U %S %M", sys.executable, "-c", _RUN, *args]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    lines = done.stderr.strip().splitlines()
    wall, user, system, tree = lines[-1].split()
    main_kb = next((line.split()[1] for line in lines if line.startswith("VmHWM")), "0")
    summary = next((line for line in reversed(lines[:-1]) if "articles" in line), "")
    return (float(wall), float(user) + float(system), int(main_kb) / 1024, int(tree) / 1024,
            summary)


def edit_one(corpus: Path, what: str) -> None:
    """Change one article's date (what its sitemap entry shows) or its answer's words."""
    paths = sorted(corpus.rglob("*.md"))
    path = paths[len(paths) // 2 + (what == "answer")]
    text = path.read_text(encoding="utf-8")
    if what == "date":
        text = re.sub(r"^date: (\d{4})", lambda m: f"date: {int(m[1]) - 1}", text, count=1,
                      flags=re.M)
    else:
        text = text.replace("answer: >-\n    ", "answer: >-\n    Revised. ", 1)
    path.write_text(text, encoding="utf-8")


def main() -> None:
    """Run every step and print the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--formats", default="jsonld,sitemap")
    parser.add_argument("--edit-formats", default="jsonld,sitemap,epub")
    parser.add_argument("--check-only", action="store_true",
                        help="only the anchor, the cold and the warm check")
    args = parser.parse_args()
    out = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    rows: list[tuple[str, float, float, float, float]] = []
    floor, floor_cpu = libyaml_floor(args.corpus)
    rows.append(("libyaml parse, one core (anchor)", floor, floor_cpu, 0.0, 0.0))
    steps = [
        ("cold check --no-cache", ["check", str(args.corpus), "--out", str(out), "--no-cache"]),
        ("warm check", ["check", str(args.corpus), "--out", str(out)]),
        (f"cold build -f {args.formats}", ["build", str(args.corpus), "--out", str(out),
                                           "-f", args.formats]),
        (f"build -f {args.edit_formats} (adds formats)",
         ["build", str(args.corpus), "--out", str(out), "-f", args.edit_formats]),
        ("date", None),
        (f"rebuild after 1 date edit -f {args.edit_formats}",
         ["build", str(args.corpus), "--out", str(out), "-f", args.edit_formats]),
        ("answer", None),
        (f"rebuild after 1 answer edit -f {args.edit_formats}",
         ["build", str(args.corpus), "--out", str(out), "-f", args.edit_formats]),
        (f"no-op rebuild -f {args.edit_formats}",
         ["build", str(args.corpus), "--out", str(out), "-f", args.edit_formats]),
    ]
    for label, command in steps[:2] if args.check_only else steps:
        if command is None:
            edit_one(args.corpus, label)
            continue
        wall, cpu, main_mb, tree_mb, summary = timed(command)
        rows.append((label, wall, cpu, main_mb, tree_mb))
        print(f"{label}: {wall:.1f} s, CPU {cpu:.1f} s, main {main_mb:.0f} MB, largest "
              f"process {tree_mb:.0f} MB  {summary}", file=sys.stderr, flush=True)
    print("| work | wall (s) | × libyaml floor | CPU (s) | × floor CPU | main peak RSS (MB) "
          "| largest process (MB) |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for label, wall, cpu, main_mb, tree_mb in rows:
        print(f"| {label} | {wall:.1f} | {wall / floor:.2f} | {cpu:.1f} | {cpu / floor_cpu:.2f} "
              f"| {main_mb:.0f} | {tree_mb:.0f} |")
    shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
