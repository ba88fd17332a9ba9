"""Rebuilds on save: one at a time, html first, and never over a newly broken article."""

from __future__ import annotations

import dataclasses
import time
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from pressroom.build import (
    BuildBusy,
    BuildResult,
    OutputUnwritable,
    Reporter,
    check_content,
    run_build,
)
from pressroom.config import BuildConfig
from pressroom.serve.hub import Status

PAGES = "html"
# Up to this many changed files, the pages are rebuilt in this process: starting worker
# processes would take longer than the work.
SMALL_SAVE = 20


@dataclass
class Rebuilder:
    """Runs the preview's builds through `run_build` and says what open pages should show.

    A save that brings a content error into a file that built before is not built: the
    last good pages stay in place and the error is shown on them until it is fixed. Files
    that were already broken when the preview started do not hold rebuilds back.
    Every build runs on the one `thread` (the build's SQLite caches belong to a thread).
    """

    config: BuildConfig
    publish: Callable[[Status], None]
    log: Callable[[str], None]
    version: int = 0
    broken: frozenset[Path] = field(default_factory=frozenset)
    thread: ThreadPoolExecutor = field(default_factory=lambda: ThreadPoolExecutor(
        max_workers=1, thread_name_prefix="pressroom-build"))

    @property
    def downloads(self) -> list[str]:
        """The formats built besides the pages, offered for download."""
        return [fmt for fmt in self.config.formats if fmt != PAGES]

    def first_build(self, reporter: Reporter | None = None) -> BuildResult:
        """Build every format once; the files broken now are the baseline."""
        result = self.thread.submit(run_build, self.config, reporter).result()
        self.broken = frozenset(error.path for error in result.errors)
        return result

    def rebuild(self) -> None:
        """Check, build the pages, tell the pages, then build the downloads (on `thread`)."""
        self.thread.submit(self._guarded).result()

    def _guarded(self) -> None:
        started = time.monotonic()
        try:
            self._rebuild(started)
        except (BuildBusy, OutputUnwritable) as exc:
            self.log(f"not rebuilt: {exc}")
            self.publish(Status(self.version, note=f"not rebuilt: {exc}"))
        except Exception as exc:  # a bug: say so, and keep serving the last good pages
            self.log(traceback.format_exc())
            self.publish(Status(self.version, note=f"rebuild failed: {exc!r}"))

    def close(self) -> None:
        """Wait for a build under way, then stop the build thread."""
        self.thread.shutdown(wait=True)

    def _rebuild(self, started: float) -> None:
        scanned = check_content(self.config)
        new = [error for error in scanned.errors if error.path not in self.broken]
        if new:
            for error in new:
                self.log(f"error: {error}")
            self.log("not rebuilt: the pages stay as last built until the error is fixed")
            self.publish(Status(self.version, errors=tuple(str(e) for e in new)))
            return
        jobs = 1 if scanned.read <= SMALL_SAVE else self.config.jobs
        pages = run_build(dataclasses.replace(self.config, formats=[PAGES], jobs=jobs))
        self.broken = frozenset(error.path for error in pages.errors)
        if _touched(pages, self.config.out / PAGES):
            self.version += 1
        note = "; ".join(f"exporter failed: {f}" for f in pages.failures)
        self.publish(Status(self.version, note=note))
        self.log(f"pages rebuilt in {time.monotonic() - started:.2f} s: "
                 f"{pages.files_read} files read, {pages.articles_rendered} rendered, "
                 f"{len(pages.written)} written, {len(pages.removed)} removed, "
                 f"{len(pages.errors)} errors")
        if self.downloads:
            rest = run_build(dataclasses.replace(self.config, formats=self.downloads))
            for failure in rest.failures:
                self.log(f"exporter failed: {failure}")
            self.log(f"downloads rebuilt in {time.monotonic() - started:.2f} s: "
                     f"{len(rest.written)} written")


def _touched(result: BuildResult, folder: Path) -> bool:
    """Whether the build wrote or removed anything in `folder`."""
    root = folder.resolve()
    return any(root in path.resolve().parents for path in (*result.written, *result.removed))
