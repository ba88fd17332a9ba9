"""Scale benchmark for the build store: cold/warm check and cold/incremental builds.

Usage: python bench/bench_scale.py CORPUS [--formats jsonld,sitemap] [--edit-formats ...]
Each step runs `pressroom` in a subprocess under /usr/bin/time, so wall time and peak
RSS are the real command's. The anchor, measured in the same run, is a bare one-core
libyaml parse of the same front matter; compare ratios, not seconds (the machine is
shared). Prints one Markdown table.
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


def libyaml_floor(corpus: Path) -> float:
    """Seconds to read and parse every file's front matter with libyaml on one core."""
    start = time.perf_counter()
    for path in sorted(corpus.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        yaml.load(text.split("---", 2)[1], Loader=yaml.CSafeLoader)  # noqa: S506
    return time.perf_counter() - start


def timed(args: list[str]) -> tuple[float, float, str]:
    """(wall seconds, peak RSS in MB, last stderr line) of one pressroom command."""
    command = ["/usr/bin/time", "-f", "%e %M", sys.executable, "-c",
               "from pressroom.cli import app; app()", *args]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    lines = done.stderr.strip().splitlines()
    wall, rss = lines[-1].split()
    summary = next((line for line in reversed(lines[:-1]) if "articles" in line), "")
    return float(wall), int(rss) / 1024, summary


def edit_one(corpus: Path) -> None:
    """Change one article's date, as an author's edit does."""
    path = sorted(corpus.rglob("*.md"))[len(list(corpus.rglob("*.md"))) // 2]
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"^date: (\d{4})", lambda m: f"date: {int(m[1]) - 1}", text,
                           count=1, flags=re.M), encoding="utf-8")


def main() -> None:
    """Run every step and print the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--formats", default="jsonld,sitemap")
    parser.add_argument("--edit-formats", default="jsonld,sitemap,epub")
    args = parser.parse_args()
    out = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    rows: list[tuple[str, float, float, str]] = []
    floor = libyaml_floor(args.corpus)
    rows.append(("libyaml parse, one core (anchor)", floor, 0.0, ""))
    steps = [
        ("cold check --no-cache", ["check", str(args.corpus), "--out", str(out), "--no-cache"]),
        ("warm check", ["check", str(args.corpus), "--out", str(out)]),
        (f"cold build -f {args.formats}", ["build", str(args.corpus), "--out", str(out),
                                           "-f", args.formats]),
        (f"build -f {args.edit_formats} (adds formats)",
         ["build", str(args.corpus), "--out", str(out), "-f", args.edit_formats]),
        ("edit 1", None),
        (f"rebuild after 1 edit -f {args.edit_formats}",
         ["build", str(args.corpus), "--out", str(out), "-f", args.edit_formats]),
        (f"no-op rebuild -f {args.edit_formats}",
         ["build", str(args.corpus), "--out", str(out), "-f", args.edit_formats]),
    ]
    for label, command in steps:
        if command is None:
            edit_one(args.corpus)
            continue
        wall, rss, summary = timed(command)
        rows.append((label, wall, rss, summary))
        print(f"{label}: {wall:.1f} s, {rss:.0f} MB  {summary}", file=sys.stderr, flush=True)
    print("| work | wall (s) | × libyaml floor | peak RSS (MB) |")
    print("| --- | --- | --- | --- |")
    for label, wall, rss, _ in rows:
        print(f"| {label} | {wall:.1f} | {wall / floor:.2f} | {rss:.0f} |")
    shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
