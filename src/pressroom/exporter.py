"""The exporter contract: a small base class whose class attributes say what it is.

See docs/plugins.md: an exporter is `Exporter[MyOptions]` with `name`, `suffix`, `math`
and one `export(books, ctx)` method that writes through `ctx.write` / `ctx.open`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, ClassVar, Generic, TypeVar, get_args, get_origin

from pressroom.atomic import atomic_open, atomic_write, inside, named_inside, real_folder
from pressroom.errors import ContentError
from pressroom.gitstate import git_history
from pressroom.model import Book
from pressroom.render.math import MATH_KINDS
from pressroom.themes import Theme


@dataclass
class ExporterOptions:
    """Options every exporter accepts; subclasses add their own fields."""

    def extra_inputs(self, content_dir: Path) -> str:
        """What the output reads besides its books (e.g. git history), as text for its key."""
        return ""


OptionsT = TypeVar("OptionsT", bound=ExporterOptions)


def same_bytes(path: Path, data: bytes) -> bool:
    """Whether the file at `path` holds exactly `data` (size first, then content)."""
    try:
        if path.stat().st_size != len(data):
            return False
        return path.read_bytes() == data
    except OSError:
        return False


@dataclass
class ExportContext:
    """What an exporter gets besides books: theme, site address, writer, reporters.

    `base_url` is the one place the site's address lives. Files written through `write`
    and `open` are the record of the task's output; nothing else is.
    `history_root` is where the sources' version history is read (see `source_history`);
    exporters never read the content folder: a rendered article carries its assets.
    `standing` is where this exporter's outputs stand from the last build: a file written
    with the bytes already there is not staged again, only listed in `kept` (with the
    size and mtime it was found with). `stamps`
    holds what the last build recorded of them (size, mtime_ns, SHA-256, by path under
    `standing`): a file whose stamp still holds is compared by hash, without reading it.
    `digests` gets the SHA-256 of every file written or kept through `write`.
    """

    out_dir: Path
    theme: Theme
    base_url: str
    history_root: Path | None = None
    warn: Callable[[str], None] = print
    written: list[Path] = field(default_factory=list)
    errors: list[ContentError] = field(default_factory=list)
    durable: bool = True  # fsync each file; False when the build syncs staged files at once
    standing: Path | None = None
    kept: dict[str, tuple[int, int]] = field(default_factory=dict)  # size, mtime_ns
    stamps: Mapping[str, tuple[int, int, str | None]] = field(default_factory=dict)
    digests: dict[str, str] = field(default_factory=dict)

    def error(self, error: ContentError) -> None:
        """Report bad input found while exporting (counted with the build's content errors)."""
        self.errors.append(error)

    def path_for(self, relative: str | Path) -> Path:
        """An output path under this exporter's folder; escaping it raises."""
        return inside(self.out_dir, relative)

    def write(self, relative: str | Path, data: bytes | str, digest: str | None = None
              ) -> None:
        """Write one output file atomically and record it (or keep it, when unchanged);
        `digest` is the SHA-256 of `data` when the caller has it already."""
        payload = data.encode("utf-8") if isinstance(data, str) else data
        digest = digest or hashlib.sha256(payload).hexdigest()
        if self.standing is None:
            path = self.path_for(relative)
            name = os.fspath(path)[len(real_folder(os.fspath(self.out_dir))) + 1:]
        else:  # the task stages in a folder of its own making: its names need no disk
            name = named_inside(self.out_dir, relative)
            stat = self._standing_holds(name, payload, digest)
            if stat is not None:
                self.digests[name] = digest
                self.kept[name] = (stat.st_size, stat.st_mtime_ns)
                return
            path = self.path_for(relative)
        self.digests[name] = digest
        self.written.append(atomic_write(path, payload, self.durable))

    def _standing_holds(self, name: str, payload: bytes, digest: str
                        ) -> os.stat_result | None:
        """The file in place, when it holds `payload`: by its recorded hash while its
        stamp holds, else by reading it. (Only read here: commit checks where it lands.)"""
        assert self.standing is not None
        standing = os.path.join(real_folder(os.fspath(self.standing)), name)
        try:
            stat = os.stat(standing)
        except OSError:
            return None
        stamp = self.stamps.get(name)
        if stamp is not None and stamp[2] is not None \
                and (stat.st_size, stat.st_mtime_ns) == stamp[:2]:
            return stat if stamp[2] == digest else None
        return stat if same_bytes(Path(standing), payload) else None

    @contextmanager
    def open(self, relative: str | Path) -> Iterator[BinaryIO]:
        """Stream one output file atomically (for large outputs) and record it."""
        path = self.path_for(relative)
        with atomic_open(path, self.durable) as handle:
            yield handle
        self.written.append(path)

    def source_history(self) -> Mapping[Path, dt.datetime]:
        """Each source file's last git commit time ({} with a warning outside git)."""
        if self.history_root is None:
            return {}
        return git_history(self.history_root, self.warn)


class Exporter(Generic[OptionsT]):
    """Base class: subclass `Exporter[MyOptions]`, set `name`, `suffix`, `math`; implement
    `export`.

    `Options` is taken from the type argument (an `ExporterOptions` dataclass), so
    `self.options` is typed. `math` is the kind of math markup the articles carry: "tex"
    (the source TeX between MathJax delimiters), "mathml" or "svg".
    `whole_site` exporters get every book in one task (sitemaps, feeds); the others one
    task per book part (`parts`). `cpu_heavy` exporters (typesetting, packaging) are worth
    shipping to a cluster; light, streaming ones run next to the build store.
    `reads` says what the output depends on: "rendered" articles (the default), or only
    the "index" fields (url, dates, titles, subject, ids), so body edits don't rerun it.
    `audits` names the checks `pressroom check --<name>` may run on its finished files
    (e.g. "a11y"); `audit` runs one on one file.
    """

    name: ClassVar[str] = ""
    suffix: ClassVar[str] = ""
    math: ClassVar[str] = "tex"
    whole_site: ClassVar[bool] = False
    cpu_heavy: ClassVar[bool] = False
    reads: ClassVar[str] = "rendered"
    audits: ClassVar[tuple[str, ...]] = ()
    description: ClassVar[str] = ""
    Options: ClassVar[type[ExporterOptions]] = ExporterOptions
    options: OptionsT

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for base in cls.__dict__.get("__orig_bases__", ()):
            args = get_args(base)
            if get_origin(base) is not None and issubclass(get_origin(base), Exporter) \
                    and args and isinstance(args[0], type) and "Options" not in cls.__dict__:
                cls.Options = args[0]

    def __init__(self, options: OptionsT | None = None) -> None:
        self.options = options if options is not None else self.Options()  # type: ignore[assignment]

    @classmethod
    def contract_problems(cls) -> list[str]:
        """What is wrong with this class as an exporter (empty when it honours the contract)."""
        problems = []
        if not cls.name:
            problems.append("it has no `name`")
        if cls.math not in MATH_KINDS:
            problems.append(f"it asks for math {cls.math!r}; known kinds: {', '.join(MATH_KINDS)}")
        if cls.reads not in ("rendered", "index"):
            problems.append(f"reads must be 'rendered' or 'index', not {cls.reads!r}")
        if not (dataclasses.is_dataclass(cls.Options) and issubclass(cls.Options, ExporterOptions)):
            problems.append("its Options is not an ExporterOptions dataclass")
        return problems

    @classmethod
    def make_options(cls, values: Mapping[str, Any]) -> OptionsT:
        """Build this exporter's Options from config values, rejecting unknown keys."""
        known = {f.name for f in dataclasses.fields(cls.Options)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ValueError(
                f"unknown option(s) for exporter {cls.name!r}: {', '.join(unknown)}; "
                f"known: {', '.join(sorted(known)) or 'none'}"
            )
        return cls.Options(**values)  # type: ignore[return-value]

    def parts(self, book: Book) -> list[Book]:
        """The books one collection's book becomes (e.g. volumes); each part is one task."""
        return [book]

    def site_parts(self, books: Sequence[Book]) -> list[tuple[str, tuple[Book, ...]]]:
        """A whole-site exporter's tasks, as (label, books); by default one over every book."""
        return [("site", tuple(books))]

    def export(self, books: Sequence[Book], ctx: ExportContext) -> None:
        """Write this format for the given books through `ctx.write` / `ctx.open`."""
        raise NotImplementedError

    def warm_up(self) -> None:
        """Load what every task of this exporter reads (a vocabulary, say) in a local
        worker as it starts, while the build scans; nothing by default."""

    def chunks(self, part: Book) -> list[Book]:
        """The pieces a part is made of apart (a map step) before `assemble` joins them.

        Each chunk is its own task (cached by its own key); none, the default, means the
        part is one task that `export` writes whole.
        """
        return []

    def export_chunk(self, chunk: Book, ctx: ExportContext) -> Any:
        """Work on one chunk in a worker; the picklable result goes to `assemble`."""
        raise NotImplementedError

    def assemble(self, part: Book, results: Sequence[Any], ctx: ExportContext) -> None:
        """Write a chunked part's files from its chunks' results, given in chunk order."""
        raise NotImplementedError

    def audit(self, check: str, path: Path) -> list[str]:
        """What `check` finds wrong in one file this exporter wrote; one line per problem."""
        return []
