"""A build: load, group, render once, then run one export task per (collection, format)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from pressroom.atomic import sweep_stale_temps
from pressroom.books import Renderer, make_book
from pressroom.config import BuildConfig
from pressroom.errors import ContentError
from pressroom.exporter import ExportContext
from pressroom.grouping import group_articles
from pressroom.loader import LoadResult, load_content
from pressroom.mathreport import SpanFallback
from pressroom.model import Book
from pressroom.registry import ExporterInfo, select_exporters
from pressroom.render.mathcache import MathCache
from pressroom.themes import Theme

MATH_CACHE = Path(".cache") / "math.sqlite"


class Reporter(Protocol):
    """Where a build reports progress and warnings (the CLI draws bars, tests collect)."""

    def stage(self, label: str, total: int) -> None:
        """A new stage of `total` steps begins."""

    def advance(self, steps: int = 1) -> None:
        """Steps of the current stage are done."""

    def warn(self, message: str) -> None:
        """Something the user should read, that does not stop the build."""


class SilentReporter:
    """A reporter that collects warnings and draws nothing."""

    def __init__(self) -> None:
        self.warnings: list[str] = []

    def stage(self, label: str, total: int) -> None:
        """Ignore stages."""

    def advance(self, steps: int = 1) -> None:
        """Ignore progress."""

    def warn(self, message: str) -> None:
        """Keep the warning."""
        self.warnings.append(message)


@dataclass(frozen=True)
class ExportTask:
    """One unit of work: an exporter, the books it gets, and its output folder."""

    exporter: ExporterInfo
    books: tuple[Book, ...]
    out_dir: Path

    @property
    def label(self) -> str:
        """What the progress bar shows for this task."""
        names = self.books[0].slug if len(self.books) == 1 else f"{len(self.books)} books"
        return f"{self.exporter.name}: {names}"


@dataclass
class BuildResult:
    """What a build did: counts, files, content errors, warnings and failed exporters."""

    articles: int = 0
    books: int = 0
    written: list[Path] = field(default_factory=list)
    errors: list[ContentError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    math_fallbacks: list[SpanFallback] = field(default_factory=list)


def make_books(config: BuildConfig, loaded: LoadResult, kinds: Sequence[str],
               reporter: Reporter, math_cache: MathCache | None = None
               ) -> dict[str, list[Book]]:
    """Group and render: one list of books per math kind that the exporters ask for."""
    collections = group_articles(loaded.articles, config.group_by, config.order, config.site_title)
    renderer = Renderer(config.content, math_cache)
    books: dict[str, list[Book]] = {}
    for kind in kinds:
        reporter.stage(f"render ({kind} math)", len(loaded.articles))
        books[kind] = []
        for collection in collections:
            rendered = []
            for article in collection.articles:
                rendered.append(renderer.render(article, kind))
                reporter.advance()
            books[kind].append(make_book(
                collection, rendered, base_url=config.base_url, language=config.language,
                author=config.author, title_pattern=config.title_pattern,
            ))
    return books


def plan_tasks(exporters: Sequence[ExporterInfo], books: dict[str, list[Book]],
               out: Path) -> list[ExportTask]:
    """One task per (book, format), or one per format for whole-site exporters."""
    tasks = []
    for info in exporters:
        kind_books = books[info.cls.math]
        out_dir = out / info.name
        if info.cls.whole_site:
            tasks.append(ExportTask(info, tuple(kind_books), out_dir))
        else:
            tasks.extend(ExportTask(info, (book,), out_dir) for book in kind_books)
    return tasks


def _collect_render_notes(books: dict[str, list[Book]], result: BuildResult) -> None:
    """Renderer warnings (once per article) and math fallbacks (per math kind) into `result`."""
    for n, (kind, kind_books) in enumerate(sorted(books.items())):
        for book in kind_books:
            for rendered in book.articles:
                if n == 0:
                    result.warnings.extend(rendered.warnings)
                result.math_fallbacks.extend(
                    SpanFallback(rendered.article.source, kind, f.tex, f.reason)
                    for f in rendered.math_fallbacks)


def run_build(config: BuildConfig, reporter: Reporter | None = None) -> BuildResult:
    """Run a whole build; content errors skip files, exporter failures skip that task."""
    reporter = reporter or SilentReporter()
    exporters = select_exporters(config.formats)
    theme = Theme.load(config.theme, config.content.parent)
    loaded = load_content(config.content, config.profile)
    result = BuildResult(articles=len(loaded.articles), errors=list(loaded.errors),
                         warnings=[str(w) for w in loaded.warnings])
    if config.strict and loaded.errors:
        return result
    kinds = sorted({info.cls.math for info in exporters})
    math_cache = MathCache(config.out / MATH_CACHE)
    try:
        books = make_books(config, loaded, kinds, reporter, math_cache)
    finally:
        math_cache.close()
    result.books = len(next(iter(books.values()), []))
    _collect_render_notes(books, result)
    tasks = plan_tasks(exporters, books, config.out)
    reporter.stage("export", len(tasks))
    for out_dir in sorted({task.out_dir for task in tasks}):
        sweep_stale_temps(out_dir)
    for task in tasks:
        ctx = ExportContext(out_dir=task.out_dir, theme=theme, base_url=config.base_url,
                            content_dir=config.content, warn=result.warnings.append)
        try:
            exporter = task.exporter.cls(
                task.exporter.cls.make_options(config.exporters.get(task.exporter.name, {})))
            exporter.export(task.books, ctx)
        except Exception as exc:  # an exporter bug must not stop the other formats
            result.failures.append(f"{task.label}: {type(exc).__name__}: {exc}")
        result.written.extend(ctx.written)
        reporter.advance()
    for message in result.warnings:
        reporter.warn(message)
    return result
