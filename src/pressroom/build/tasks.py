"""Running one export task: a pure function of its payload to staged files.

On the local executor a task stages its files in the output folder's cache and the main
process renames them into place. A shipped task (a Dask worker on another machine) gets
its articles inside the payload, stages in a temporary folder of its own, and returns
the files' bytes.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import pickle
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, overload

from pressroom.atomic import atomic_write
from pressroom.build.commit import staged_files
from pressroom.build.lazy import StoredArticles
from pressroom.build.manifest import OutputStamp
from pressroom.errors import ContentError
from pressroom.exporter import ExportContext, Exporter
from pressroom.model import Book, RenderedArticle
from pressroom.themes import Theme

DISK_ERRNOS = frozenset({errno.ENOSPC, errno.EROFS, errno.EDQUOT, errno.EACCES, errno.EPERM})


class OutputUnwritable(RuntimeError):
    """The output folder cannot be written (full disk, read-only, no permission)."""


def disk_problem(exc: BaseException) -> str | None:
    """Why `exc` means the output cannot be written, or None when it is something else."""
    if isinstance(exc, OSError) and exc.errno in DISK_ERRNOS:
        return exc.strerror or str(exc)
    if isinstance(exc, sqlite3.OperationalError):
        text = str(exc)
        if any(s in text for s in ("disk is full", "readonly", "unable to open", "disk I/O")):
            return text
    return None


@contextlib.contextmanager
def writable(out: Path) -> Iterator[None]:
    """Turn a full disk or read-only output folder into one OutputUnwritable error."""
    try:
        yield
    except (OSError, sqlite3.Error) as exc:
        reason = disk_problem(exc)
        if reason is None:
            raise
        raise unwritable(out, reason) from exc


def unwritable(out: Path, reason: str) -> OutputUnwritable:
    """The one error line for an output folder that cannot take the build's files."""
    return OutputUnwritable(f"cannot write to {out}: {reason}; free some space or choose a "
                            "writable --out (earlier outputs are intact)")


@dataclass(frozen=True)
class TaskPayload:
    """Everything one task needs: exporter, books, theme and where to stage its files."""

    task_id: str
    exporter: Exporter
    books: tuple[Book, ...]
    theme: str
    project_dir: Path
    base_url: str
    content_dir: Path
    stage: Path | None
    out: Path | None = None  # where the outputs stand (unchanged files are not staged)
    stamps: tuple[OutputStamp, ...] = ()  # what the manifest recorded of the task's outputs
    chunk_files: tuple[Path, ...] | None = None  # a chunked part: its chunks' outcomes
    chunk_data: tuple[bytes, ...] | None = None  # their pickled results, shipped inside

    def shipped(self) -> TaskPayload:
        """The payload with every article (its assets' bytes, and any chunk results) inside
        it and no staging folder of ours."""
        books = tuple(dataclasses.replace(book, articles=_embedded(book.articles))
                      for book in self.books)
        data = (tuple(_result_of(path) for path in self.chunk_files)
                if self.chunk_files is not None else None)
        return dataclasses.replace(self, books=books, stage=None, out=None, stamps=(),
                                   chunk_files=None, chunk_data=data)

    def chunk_results(self) -> ChunkResults | None:
        """The chunks' results in chunk order, or None for a task that is not chunked."""
        sources = self.chunk_data if self.chunk_data is not None else self.chunk_files
        return None if sources is None else ChunkResults(tuple(sources))


class ChunkResults(Sequence[Any]):
    """Chunk results loaded one at a time as assemble reaches them (a 58-chunk JSON-LD
    book held at once is over a gigabyte); each is a pickle, or a kept outcome's file."""

    def __init__(self, sources: tuple[bytes | Path, ...]) -> None:
        self.sources = sources

    def __len__(self) -> int:
        """How many chunks the part has."""
        return len(self.sources)

    @overload
    def __getitem__(self, index: int) -> Any: ...

    @overload
    def __getitem__(self, index: slice) -> ChunkResults: ...

    def __getitem__(self, index: int | slice) -> Any:
        """One chunk's result, loaded now; a slice stays lazy."""
        if isinstance(index, slice):
            return ChunkResults(self.sources[index])
        source = self.sources[index]
        return pickle.loads(_result_of(source) if isinstance(source, Path) else source)


def _embedded(articles: Sequence[RenderedArticle]) -> tuple[RenderedArticle, ...]:
    """The articles in memory, each asset carrying its bytes (the worker has no content)."""
    if isinstance(articles, StoredArticles):
        articles = articles.materialised()
    return tuple(dataclasses.replace(r, assets=tuple(a.embedded() for a in r.assets))
                 if r.assets else r for r in articles)


@dataclass(frozen=True)
class ChunkPayload:
    """One chunk of a part: the exporter, the chunk's book, and the theme to work with."""

    chunk_id: str
    exporter: Exporter
    book: Book
    theme: str
    project_dir: Path
    base_url: str
    content_dir: Path

    def shipped(self) -> ChunkPayload:
        """The payload with the chunk's articles (and their assets' bytes) inside it."""
        return dataclasses.replace(self, book=dataclasses.replace(
            self.book, articles=_embedded(self.book.articles)))


@dataclass(frozen=True)
class ChunkOutcome:
    """A chunk's pickled result (None when it failed), what it reported, why it failed."""

    chunk_id: str
    result: bytes | None
    warnings: tuple[str, ...]
    errors: tuple[ContentError, ...]
    failure: str | None

    def keep(self, path: Path) -> None:
        """Write the outcome to `path` as two pickles, the report then the result, so the
        build reads what a kept chunk reported without loading its result."""
        report = dataclasses.replace(self, result=None)
        atomic_write(path, pickle.dumps(report, protocol=pickle.HIGHEST_PROTOCOL)
                     + pickle.dumps(self.result, protocol=pickle.HIGHEST_PROTOCOL), False)

    @staticmethod
    def report_kept(path: Path) -> ChunkOutcome:
        """What a kept outcome reported (its result left on disk)."""
        with path.open("rb") as handle:
            report: ChunkOutcome = pickle.load(handle)  # noqa: S301 (pressroom's own file)
        return report


def _result_of(path: Path) -> bytes:
    """The pickled result inside a kept chunk outcome."""
    with path.open("rb") as handle:
        report = pickle.load(handle)  # noqa: S301 (pressroom's own file)
        result: bytes | None = pickle.load(handle)  # noqa: S301
    assert result is not None, f"{report.chunk_id} kept without a result"
    return result


@dataclass(frozen=True)
class TaskOutcome:
    """What a task staged (or, shipped, the bytes), reported and why it failed if it did."""

    task_id: str
    staged: tuple[str, ...]
    files: dict[str, bytes] | None
    warnings: tuple[str, ...]
    errors: tuple[ContentError, ...]
    failure: str | None
    unwritable: str | None = None
    # outputs written with the bytes already in place, with the size and mtime found
    kept: dict[str, tuple[int, int]] = field(default_factory=dict)
    digests: dict[str, str] = field(default_factory=dict)  # SHA-256 of what `write` wrote


@cache
def _theme(name: str, project_dir: Path) -> Theme:
    return Theme.load(name, project_dir)


def run_task(payload: TaskPayload) -> TaskOutcome:
    """Run one exporter over its books; an exception in the exporter becomes a failure."""
    stage = payload.stage or Path(tempfile.mkdtemp(prefix="pressroom-task-"))
    warnings: list[str] = []
    name = payload.exporter.name
    under = f"{name}/"
    ctx = ExportContext(out_dir=stage / name, theme=_theme(payload.theme, payload.project_dir),
                        base_url=payload.base_url, history_root=payload.content_dir,
                        warn=warnings.append, durable=False,
                        standing=payload.out / name if payload.out else None,
                        stamps={s.path[len(under):]: (s.size, s.mtime_ns, s.digest)
                                for s in payload.stamps if s.path.startswith(under)})
    failure = unwritable = None
    try:
        results = payload.chunk_results()
        if results is None:
            payload.exporter.export(payload.books, ctx)
        else:
            payload.exporter.assemble(payload.books[0], results, ctx)
    except Exception as exc:  # an exporter bug must not stop the other formats
        unwritable = disk_problem(exc)
        failure = f"{payload.task_id}: {type(exc).__name__}: {exc}"
    staged = tuple(staged_files(stage))
    files = None
    if payload.stage is None:
        files = {relative: (stage / relative).read_bytes() for relative in staged}
        shutil.rmtree(stage, ignore_errors=True)
    return TaskOutcome(payload.task_id, staged, files, tuple(warnings), tuple(ctx.errors),
                       failure, unwritable,
                       {f"{under}{name}": found for name, found in ctx.kept.items()},
                       {f"{under}{path}": digest for path, digest in ctx.digests.items()})


def run_chunk(payload: ChunkPayload) -> ChunkOutcome:
    """Work on one chunk; an exception in the exporter becomes the chunk's failure."""
    warnings: list[str] = []
    ctx = ExportContext(out_dir=Path(tempfile.gettempdir()), theme=_theme(payload.theme,
                        payload.project_dir), base_url=payload.base_url,
                        history_root=payload.content_dir, warn=warnings.append, durable=False)
    try:
        result = pickle.dumps(payload.exporter.export_chunk(payload.book, ctx),
                              protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as exc:  # an exporter bug fails this part, not the build
        return ChunkOutcome(payload.chunk_id, None, tuple(warnings), tuple(ctx.errors),
                            f"{payload.chunk_id}: {type(exc).__name__}: {exc}")
    return ChunkOutcome(payload.chunk_id, result, tuple(warnings), tuple(ctx.errors), None)


def perform(payload: TaskPayload | ChunkPayload) -> TaskOutcome | ChunkOutcome:
    """Run a task or a chunk (one function for executors to send either kind)."""
    if isinstance(payload, ChunkPayload):
        return run_chunk(payload)
    return run_task(payload)


def unship(outcome: TaskOutcome, stage: Path) -> None:
    """Write a shipped task's returned files into its local staging folder."""
    for relative, data in (outcome.files or {}).items():
        target = stage / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
