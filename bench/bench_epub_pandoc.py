"""One EPUB of a whole corpus: a cold `pressroom build -f epub` beside `pandoc --mathml --toc`.

Usage: python bench/bench_epub_pandoc.py CORPUS [--pandoc pandoc]
Pandoc gets the same articles as Markdown files (`# question`, then the decoded answer),
written before any clock starts; pandoc is the anchor. pressroom runs as one book
(`--group-by none`, no cache, into an empty folder) on every core and on one core.
Each command runs under /usr/bin/time: wall seconds and the largest process's peak RSS.
Prints one Markdown table.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from pressroom.loader import load_content


def pandoc_inputs(corpus: Path, folder: Path) -> list[Path]:
    """Each article as a Markdown file pandoc reads: its question as a heading, its answer."""
    loaded = load_content(corpus)
    folder.mkdir(parents=True)
    paths = []
    for n, article in enumerate(sorted(loaded.articles, key=lambda a: a.id)):
        path = folder / f"{n:05d}.md"
        path.write_text(f"# {article.question}\n\n{article.body_md}\n", encoding="utf-8")
        paths.append(path)
    return paths


def timed(command: list[str]) -> tuple[float, float]:
    """(wall s, peak RSS MB of the largest process) of one command; it must succeed."""
    done = subprocess.run(["/usr/bin/time", "-f", "%e %M", *command], capture_output=True,
                          text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{command[0]} failed:\n{done.stderr[-2000:]}")
    wall, rss = done.stderr.strip().splitlines()[-1].split()
    return float(wall), int(rss) / 1024


def main() -> None:
    """Run pandoc and pressroom on the same articles and print the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--pandoc", default="pandoc")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-epub-"))
    inputs = pandoc_inputs(args.corpus, work / "pandoc-in")
    pandoc_book = work / "pandoc.epub"
    rows = [(f"pandoc --mathml --toc, {len(inputs)} files (anchor)",
             *timed([args.pandoc, "--mathml", "--toc", "--metadata", "title=Corpus",
                     "-o", str(pandoc_book), *map(str, inputs)]), pandoc_book)]
    for label, jobs in (("every core", []), ("one core", ["--jobs", "1"])):
        out = work / f"pressroom-{len(rows)}"
        wall, rss = timed([sys.executable, "-m", "pressroom", "build", str(args.corpus),
                           "--out", str(out), "-f", "epub", "--group-by", "none",
                           "--no-cache", *jobs])
        (book,) = (out / "epub").glob("*.epub")
        rows.append((f"pressroom build -f epub, {label}", wall, rss, book))
    anchor = rows[0][1]
    print("| run | wall (s) | × pandoc | peak RSS (MB) | EPUB (KB) |")
    print("| --- | --- | --- | --- | --- |")
    for label, wall, rss, book in rows:
        print(f"| {label} | {wall:.1f} | {wall / anchor:.2f} | {rss:.0f} | "
              f"{book.stat().st_size / 1024:.0f} |")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
