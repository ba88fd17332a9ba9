"""Benchmark a whole build on a synthetic QuickTakes corpus, stage by stage (run by hand).

    python bench/bench_build.py --count 20000 --formats jsonld,sitemap,epub --keep /tmp/c20k

Stages run in this process one after the other (load, group, render per math kind, export per
format); then `run_build` runs twice on one output folder, each time in a fresh child process
so that its peak RSS is its own (the second run finds `<out>/.cache/math.sqlite` warm).
Peak RSS of the in-process stages is the process high-water mark so far: it only grows.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pressroom.build
from pressroom.books import Renderer, make_book
from pressroom.build import MATH_CACHE, run_build
from pressroom.config import BuildConfig
from pressroom.exporter import ExportContext
from pressroom.grouping import group_articles
from pressroom.loader import load_content, markdown_files
from pressroom.model import Book
from pressroom.registry import select_exporters
from pressroom.render.mathcache import MathCache
from pressroom.tasks import plan_tasks
from pressroom.themes import Theme

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate_corpus import generate  # noqa: E402  (a sibling script, not a package)

BASE_URL = "https://www.example.org"
T = TypeVar("T")


@dataclass
class Row:
    """One line of the results table."""

    stage: str
    seconds: float
    items: int
    peak_mb: float
    note: str = ""


@dataclass
class Report:
    """The rows so far; each is printed as soon as it is measured."""

    rows: list[Row] = field(default_factory=list)

    def add(self, row: Row) -> None:
        """Keep a row and print it at once (a long run shows partial numbers)."""
        if not self.rows:
            print(f"{'stage':<26} {'seconds':>9} {'articles/s':>11} {'peak RSS MB':>12}  notes")
        self.rows.append(row)
        rate = f"{row.items / row.seconds:11.0f}" if row.items and row.seconds > 0 else " " * 11
        print(f"{row.stage:<26} {row.seconds:9.2f} {rate} {row.peak_mb:12.0f}  {row.note}",
              flush=True)


class _CountWarnings(logging.Filter):
    """Count third-party log records instead of printing them (WeasyPrint can log thousands)."""

    count = 0

    def filter(self, record: logging.LogRecord) -> bool:
        """Count the record and drop it."""
        _CountWarnings.count += 1
        return False


def quiet_weasyprint() -> None:
    """Silence WeasyPrint's logger; `_CountWarnings.count` says how much it said."""
    logging.getLogger("weasyprint").addFilter(_CountWarnings())


def peak_rss_mb() -> float:
    """This process's peak resident set size so far, in MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(fn: Callable[[], T]) -> tuple[T, float]:
    """Call `fn` and return its result and the wall-clock seconds it took."""
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def tree_size(folder: Path) -> tuple[int, int]:
    """(files, bytes) below `folder`, 0 when it does not exist."""
    files = size = 0
    for root, _, names in os.walk(folder):
        for name in names:
            files += 1
            size += os.stat(os.path.join(root, name)).st_size
    return files, size


def describe_outputs(out: Path, formats: Sequence[str]) -> str:
    """`fmt: N files X MB` for each format folder, plus the math cache file."""
    parts = []
    for name in formats:
        files, size = tree_size(out / name)
        parts.append(f"{name}: {files} files {size / 2**20:.1f} MB")
    cache = out / MATH_CACHE
    if cache.exists():
        parts.append(f"math.sqlite {cache.stat().st_size / 2**20:.1f} MB")
    return "; ".join(parts)


def prepare_corpus(report: Report, count: int, seed: int, keep: Path | None, tmp: Path) -> Path:
    """Generate the corpus, or reuse `keep` when it already holds Markdown files."""
    content = keep or tmp / "content"
    if keep is not None and keep.is_dir() and any(keep.rglob("*.md")):
        files = len(markdown_files(keep))
        print(f"reusing {files} articles in {keep}")
        return keep
    (files, size), seconds = timed(lambda: generate(content, count, seed))
    report.add(Row("generate corpus", seconds, files, peak_rss_mb(),
                   f"{files} files {size / 2**20:.1f} MB in {content}"))
    return content


def stage_benchmarks(report: Report, content: Path, formats: list[str], out: Path) -> None:
    """Time load, group, render (per math kind) and export (per format) in this process."""
    exporters = select_exporters(formats)
    loaded, seconds = timed(lambda: load_content(content))
    n = len(loaded.articles)
    report.add(Row("load_content", seconds, n, peak_rss_mb(),
                   f"{n} articles, {len(loaded.errors)} errors, {len(loaded.warnings)} warnings"))
    collections, seconds = timed(lambda: group_articles(loaded.articles))
    report.add(Row("group_articles", seconds, n, peak_rss_mb(), f"{len(collections)} collections"))
    books: dict[str, list[Book]] = {}
    for kind in sorted({info.cls.math for info in exporters}):
        cache = MathCache()  # in memory only: the on-disk cache is measured by run_build

        def render_all(kind: str = kind, cache: MathCache = cache) -> list[Book]:
            renderer = Renderer(content, cache)
            return [make_book(c, [renderer.render(a, kind) for a in c.articles],
                              base_url=BASE_URL, title_pattern="{collection} Study Guide")
                    for c in collections]

        books[kind], seconds = timed(render_all)
        with_math = sum(1 for b in books[kind] for r in b.articles if r.has_math)
        report.add(Row(f"render ({kind})", seconds, n, peak_rss_mb(),
                       f"{with_math} articles with math; math cache {cache.hits} hits "
                       f"{cache.misses} misses"))
    theme = Theme.load("default", content.parent)
    for task_info in exporters:
        tasks = plan_tasks([task_info], books[task_info.cls.math], out)

        def export_all(tasks: Sequence[Any] = tasks) -> None:
            for task in tasks:
                ctx = ExportContext(out_dir=task.out_dir, theme=theme, base_url=BASE_URL,
                                    content_dir=content, warn=lambda message: None)
                task.exporter.cls(task.exporter.cls.make_options({})).export(task.books, ctx)

        before = _CountWarnings.count
        _, seconds = timed(export_all)
        logged = _CountWarnings.count - before
        report.add(Row(f"export ({task_info.name})", seconds, n, peak_rss_mb(),
                       describe_outputs(out, [task_info.name])
                       + (f"; {logged} weasyprint log records" if logged else "")))


class _CountingMathCache(MathCache):
    """A MathCache that remembers its totals, so a child build can report hits and misses."""

    totals: dict[str, int] = {"hits": 0, "misses": 0}

    def close(self) -> None:
        """Record hits and misses, then close."""
        _CountingMathCache.totals["hits"] += self.hits
        _CountingMathCache.totals["misses"] += self.misses
        super().close()


def child_build(content: Path, out: Path, formats: list[str]) -> None:
    """Run one `run_build` and print its numbers as JSON (runs in a fresh process)."""
    pressroom.build.MathCache = _CountingMathCache  # type: ignore[misc]  # count, change nothing
    config = BuildConfig(content=content, out=out, formats=formats, base_url=BASE_URL)
    result, seconds = timed(lambda: run_build(config))
    print(json.dumps({
        "seconds": seconds, "articles": result.articles, "books": result.books,
        "errors": len(result.errors), "warnings": len(result.warnings),
        "failures": result.failures, "peak_mb": peak_rss_mb(),
        "math_hits": _CountingMathCache.totals["hits"],
        "math_misses": _CountingMathCache.totals["misses"],
        "weasyprint_logs": _CountWarnings.count,
    }))


def whole_builds(report: Report, content: Path, formats: list[str], out: Path,
                 in_process: bool) -> None:
    """Time `run_build` twice on one output folder: cold, then with the math cache warm."""
    for label in ("run_build (1st, cold)", "run_build (2nd, warm)"):
        if in_process:
            config = BuildConfig(content=content, out=out, formats=formats, base_url=BASE_URL)
            result, seconds = timed(lambda config=config: run_build(config))
            data = {"seconds": seconds, "articles": result.articles, "errors": len(result.errors),
                    "failures": result.failures, "peak_mb": peak_rss_mb(),
                    "math_hits": "?", "math_misses": "?", "weasyprint_logs": 0}
        else:
            command = [sys.executable, __file__, "--child-build", str(content), str(out),
                       ",".join(formats)]
            done = subprocess.run(command, check=True, capture_output=True, text=True)
            data = json.loads(done.stdout.strip().splitlines()[-1])
        failures = f"; FAILURES {data['failures']}" if data["failures"] else ""
        if data.get("weasyprint_logs"):
            failures += f"; {data['weasyprint_logs']} weasyprint log records"
        report.add(Row(label, data["seconds"], data["articles"], data["peak_mb"],
                       f"math cache {data['math_hits']} hits {data['math_misses']} misses; "
                       f"{describe_outputs(out, formats)}{failures}"))


def main(argv: list[str] | None = None) -> None:
    """Parse flags, prepare the corpus, run the stages and the two whole builds."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--formats", default="jsonld,sitemap",
                        help="comma-separated exporter names (default: jsonld,sitemap)")
    parser.add_argument("--keep", type=Path, default=None,
                        help="generate the corpus here, or reuse it if it has .md files")
    parser.add_argument("--skip-stages", action="store_true",
                        help="only time the two whole builds")
    parser.add_argument("--skip-builds", action="store_true",
                        help="only time the stages")
    parser.add_argument("--in-process", action="store_true",
                        help="run run_build in this process (for cProfile); peak RSS mixes")
    parser.add_argument("--child-build", nargs=3, metavar=("CONTENT", "OUT", "FORMATS"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    quiet_weasyprint()
    if args.child_build:
        content, out, names = args.child_build
        child_build(Path(content), Path(out), names.split(","))
        return
    formats = [name.strip() for name in args.formats.split(",") if name.strip()]
    report = Report()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, formats {formats}")
    with tempfile.TemporaryDirectory(prefix="pressroom-bench-") as tmp:
        content = prepare_corpus(report, args.count, args.seed, args.keep, Path(tmp))
        if not args.skip_stages:
            stage_benchmarks(report, content, formats, Path(tmp) / "stages")
        if not args.skip_builds:
            whole_builds(report, content, formats, Path(tmp) / "build", args.in_process)


if __name__ == "__main__":
    main()
