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
from pressroom.exporter import Exporter
from pressroom.grouping import group_articles
from pressroom.loader import load_content, markdown_files
from pressroom.mathreport import SpanFallback
from pressroom.model import Book, Collection
from pressroom.registry import select_exporters
from pressroom.render.mathcache import MathCache
from pressroom.tasks import ExportTask, plan_tasks, run_tasks
from pressroom.themes import Theme
from pressroom.urls import check_base_url

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


def make_books(config: BuildConfig, collections: Sequence[Collection], kind: str,
               renderer: Renderer, reporter: Reporter) -> list[Book]:
    """Render every collection with math of one kind into Books."""
    reporter.stage(f"render ({kind} math)", sum(len(c.articles) for c in collections))
    renderer.prepare([a for c in collections for a in c.articles], config.jobs)
    books = []
    for collection in collections:
        rendered = []
        for article in collection.articles:
            rendered.append(renderer.render(article, kind))
            reporter.advance()
        books.append(make_book(
            collection, rendered, base_url=config.base_url, language=config.language,
            author=config.author, title_pattern=config.title_pattern,
        ))
    return books


def _collect_render_notes(books: Sequence[Book], kind: str, result: BuildResult,
                          with_warnings: bool) -> None:
    """Math fallbacks of one kind, and (once per build) renderer warnings, into `result`."""
    for book in books:
        for rendered in book.articles:
            if with_warnings:
                result.warnings.extend(rendered.warnings)
            result.math_fallbacks.extend(
                SpanFallback(rendered.article.source, kind, f.tex, f.reason)
                for f in rendered.math_fallbacks)


def _run_tasks(tasks: Sequence[ExportTask], exporters: dict[str, Exporter], theme: Theme,
               config: BuildConfig, result: BuildResult, reporter: Reporter) -> None:
    """Run export tasks; a failing exporter is recorded and the others go on."""
    reporter.stage("export " + ", ".join(dict.fromkeys(t.exporter.name for t in tasks)),
                   len(tasks))
    for out_dir in sorted({task.out_dir for task in tasks}):
        sweep_stale_temps(out_dir)
    for outcome in run_tasks(tasks, exporters, theme, config, config.jobs):
        result.written.extend(outcome.written)
        result.warnings.extend(outcome.warnings)
        result.errors.extend(outcome.errors)
        if outcome.failure:
            result.failures.append(outcome.failure)
        reporter.advance()


def run_build(config: BuildConfig, reporter: Reporter | None = None) -> BuildResult:
    """Run a whole build; content errors skip files, exporter failures skip that task.

    Bad options, themes or formats raise before anything is read or written. Each math
    kind is rendered and exported in turn, so only one kind's books are in memory.
    """
    reporter = reporter or SilentReporter()
    check_base_url(config.base_url)
    infos = select_exporters(config.formats)
    exporters = {i.name: i.cls(i.cls.make_options(config.exporters.get(i.name, {})))
                 for i in infos}
    theme = Theme.load(config.theme, config.content.parent)
    paths = markdown_files(config.content)
    reporter.stage("load", len(paths))
    loaded = load_content(config.content, config.profile, paths, reporter.advance)
    result = BuildResult(articles=len(loaded.articles), errors=list(loaded.errors),
                         warnings=[str(w) for w in loaded.warnings])
    if config.strict and loaded.errors:
        return result
    collections = group_articles(loaded.articles, config.group_by, config.order,
                                 config.site_title)
    result.books = len(collections)
    math_cache = MathCache(config.out / MATH_CACHE)
    renderer = Renderer(config.content, math_cache)
    try:
        kinds = sorted({info.cls.math for info in infos})
        for n, kind in enumerate(kinds):
            books = make_books(config, collections, kind, renderer, reporter)
            if n == len(kinds) - 1:
                renderer.forget()
            _collect_render_notes(books, kind, result, with_warnings=n == 0)
            tasks = plan_tasks([i for i in infos if i.cls.math == kind], exporters, books,
                               config.out)
            _run_tasks(tasks, exporters, theme, config, result, reporter)
    finally:
        math_cache.close()
    for message in result.warnings:
        reporter.warn(message)
    return result
