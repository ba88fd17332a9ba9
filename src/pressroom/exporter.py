"""The exporter contract: a small base class whose class attributes say what it is."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, ClassVar

from pressroom.atomic import atomic_open, atomic_write, inside
from pressroom.errors import ContentError
from pressroom.model import Book
from pressroom.themes import Theme


@dataclass
class ExporterOptions:
    """Options every exporter accepts; subclasses add their own fields."""

    def extra_inputs(self, content_dir: Path) -> str:
        """What the output reads besides its books (e.g. git history), as text for its key."""
        return ""


@dataclass
class ExportContext:
    """What an exporter gets besides books: theme, output folder, writer, reporter."""

    out_dir: Path
    theme: Theme
    base_url: str
    content_dir: Path
    warn: Callable[[str], None] = print
    written: list[Path] = field(default_factory=list)
    errors: list[ContentError] = field(default_factory=list)
    durable: bool = True  # fsync each file; False when the build syncs staged files at once

    def error(self, error: ContentError) -> None:
        """Report bad input found while exporting (counted with the build's content errors)."""
        self.errors.append(error)

    def path_for(self, relative: str | Path) -> Path:
        """An output path under this exporter's folder; escaping it raises."""
        return inside(self.out_dir, relative)

    def write(self, relative: str | Path, data: bytes | str) -> Path:
        """Write one output file atomically and record it."""
        path = atomic_write(self.path_for(relative), data, self.durable)
        self.written.append(path)
        return path

    @contextmanager
    def open(self, relative: str | Path) -> Iterator[BinaryIO]:
        """Stream one output file atomically (for large outputs) and record it."""
        path = self.path_for(relative)
        with atomic_open(path, self.durable) as handle:
            yield handle
        self.written.append(path)


class Exporter:
    """Base class: set `name`, `suffix`, `binary`, `math`, `whole_site`; implement `export`.

    `cpu_heavy` exporters (typesetting, packaging) are worth shipping to a cluster; light,
    streaming ones run next to the build store (in a local worker, or in the main process
    when the export tasks go to a cluster).
    `reads` says what the output depends on: "rendered" articles (the default), or only
    the "index" fields (url, dates, titles, subject, ids), so body edits don't rerun it.
    `audits` names the checks `pressroom check --<name>` may run on its finished files
    (e.g. "a11y"); `audit` runs one on one file.
    """

    name: ClassVar[str] = ""
    suffix: ClassVar[str] = ""
    binary: ClassVar[bool] = False
    math: ClassVar[str] = "tex"
    whole_site: ClassVar[bool] = False
    cpu_heavy: ClassVar[bool] = False
    reads: ClassVar[str] = "rendered"
    audits: ClassVar[tuple[str, ...]] = ()
    description: ClassVar[str] = ""
    Options: ClassVar[type[ExporterOptions]] = ExporterOptions

    def __init__(self, options: ExporterOptions | None = None) -> None:
        self.options = options if options is not None else self.Options()

    @classmethod
    def make_options(cls, values: dict[str, Any]) -> ExporterOptions:
        """Build this exporter's Options from config values, rejecting unknown keys."""
        known = {f.name for f in dataclasses.fields(cls.Options)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ValueError(
                f"unknown option(s) for exporter {cls.name!r}: {', '.join(unknown)}; "
                f"known: {', '.join(sorted(known)) or 'none'}"
            )
        return cls.Options(**values)

    def parts(self, book: Book) -> list[Book]:
        """The books one collection's book becomes (e.g. volumes); each part is one task."""
        return [book]

    def site_parts(self, books: Sequence[Book]) -> list[tuple[str, tuple[Book, ...]]]:
        """A whole-site exporter's tasks, as (label, books); by default one over every book."""
        return [("site", tuple(books))]

    def export(self, books: Sequence[Book], ctx: ExportContext) -> list[Path]:
        """Write this format for the given books; return the files written."""
        raise NotImplementedError

    def audit(self, check: str, path: Path) -> list[str]:
        """What `check` finds wrong in one file this exporter wrote; one line per problem."""
        return []
