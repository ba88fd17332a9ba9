"""A build, stage by stage: scan, parse, index, render, plan, execute, commit."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import shutil
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import cast

from pressroom.build.chunks import prune_chunks
from pressroom.build.commit import (
    CACHE_DIR,
    Committed,
    moved_outputs,
    remove_listed,
    remove_stale,
    reset_staging,
)
from pressroom.build.execute import CHUNK_DIR, execute_tasks
from pressroom.build.executors import Executor, make_executor
from pressroom.build.gcpause import frozen_gc, paused_gc
from pressroom.build.guard import check_out_dir, exclusive
from pressroom.build.lazy import close_readers
from pressroom.build.manifest import MANIFEST_NAME, Manifest
from pressroom.build.memo import MemoTask, PlanMemo, plan_key
from pressroom.build.plan import (
    PlannedTask,
    RecordPrints,
    SiteIndex,
    TaskPlanner,
    make_books,
    theme_digest,
)
from pressroom.build.planrows import kept_row
from pressroom.build.render import Rendered, math_path, render_notes, render_stage
from pressroom.build.replan import (
    Replanned,
    keep_plan,
    noted_sources,
    plan_state,
    replan,
    start_plan,
)
from pressroom.build.reporting import BuildResult, Reporter, SilentReporter
from pressroom.build.scan import Scan, load_index, scan
from pressroom.build.store import STORE_NAME, BuildStore, load
from pressroom.build.tasks import (
    writable,
)
from pressroom.config import BuildConfig
from pressroom.exporter import Exporter
from pressroom.grouping import group_articles, resolve_order
from pressroom.linkmap import resolve_page_links
from pressroom.model import ArticleRecord
from pressroom.registry import ExporterInfo, select_exporters
from pressroom.themes import Theme
from pressroom.urls import check_base_url

STORE = Path(CACHE_DIR) / STORE_NAME
MANIFEST = Path(CACHE_DIR) / MANIFEST_NAME


def check_content(config: BuildConfig, reporter: Reporter | None = None,
                  records: bool = False) -> Scan:
    """Scan, parse and cross-check the content through the build store (what `check` does).

    Without `records` an unchanged content answers from its stored summary (no records).
    """
    reporter = reporter or SilentReporter()
    check_out_dir(config.out, config.content)
    with writable(config.out), exclusive(config.out), \
            _executor(config) as executor:
        store = BuildStore(config.out / STORE, use_cache=config.cache)
        store.widen_cache()
        try:
            return scan(config.content, config.profile, store, executor.map, reporter,
                        config.drafts, records)
        finally:
            store.close()


def clean(config: BuildConfig) -> Committed:
    """Remove every output the manifest lists, then the store and the cache folder."""
    check_out_dir(config.out, config.content)
    done = Committed()
    if not (config.out / CACHE_DIR).is_dir():
        return done
    with writable(config.out), exclusive(config.out):
        manifest = Manifest(config.out / MANIFEST)
        try:
            remove_listed(manifest, config.out, done)
        finally:
            manifest.close()
        for path in sorted((config.out / CACHE_DIR).iterdir()):
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            elif path.name != "lock":
                path.unlink()
    return done


@contextlib.contextmanager
def _executor(config: BuildConfig, exporters: Sequence[Exporter] = ()
              ) -> Iterator[Executor]:
    """The build's executor, its local workers warmed up for `exporters`."""
    warm_up = functools.partial(_warm_up, tuple(exporters)) if exporters else None
    executor = make_executor(config.executor, config.jobs, config.scheduler, warm_up)
    try:
        yield executor
    finally:
        executor.close()


def _warm_up(exporters: tuple[Exporter, ...]) -> None:
    for exporter in exporters:
        exporter.warm_up()


def run_build(config: BuildConfig, reporter: Reporter | None = None) -> BuildResult:
    """Run a whole build; content errors skip files, exporter failures skip that task.

    Bad options, themes, formats or output folders raise before anything is read or
    written; a full disk or read-only output folder raises OutputUnwritable.
    """
    reporter = reporter or SilentReporter()
    check_base_url(config.base_url)
    check_out_dir(config.out, config.content)
    infos = select_exporters(config.formats, config.project_dir)
    exporters = {i.name: i.cls(i.cls.make_options(config.exporters.get(i.name, {})))
                 for i in infos}
    theme = Theme.load(config.theme, config.project_dir)
    with writable(config.out), exclusive(config.out), \
            _executor(config, list(exporters.values())) as executor:
        reset_staging(config.out)
        store = BuildStore(config.out / STORE, use_cache=config.cache)
        manifest = Manifest(config.out / MANIFEST)
        try:
            return _build(config, infos, exporters, theme, store, manifest, executor, reporter)
        finally:
            close_readers()
            store.close()
            manifest.close()


def _build(config: BuildConfig, infos: list[ExporterInfo], exporters: dict[str, Exporter],
           theme: Theme, store: BuildStore, manifest: Manifest, executor: Executor,
           reporter: Reporter) -> BuildResult:
    moved: Future[frozenset[str]] = Future()
    if config.cache:  # the check runs while the scan does; without the cache nothing asks
        moved = executor.submit(moved_outputs, config.out / MANIFEST, config.out)
    else:
        moved.set_result(frozenset())
    scanned = scan(config.content, config.profile, store, executor.map, reporter,
                   config.drafts, records=False)
    result = BuildResult(articles=scanned.articles, errors=list(scanned.errors),
                         warnings=[str(w) for w in scanned.warnings], files_read=scanned.read)
    if config.strict and scanned.errors:
        return result
    context = _context_key(config, theme)
    key = plan_key(config, scanned.summary_key, context, exporters)
    kept = store.memo("plan", key)
    memo: PlanMemo | None = load(kept) if kept is not None else None
    if memo is None or not memo.current(manifest, moved.result()):
        memo = _plan_and_run(config, infos, exporters, store, manifest, executor, reporter,
                             scanned, context, key, result, moved.result)
    else:
        result.tasks_skipped = len(memo.tasks)
        remove_stale(manifest, config.out, list(exporters), {t.id for t in memo.tasks},
                     done := Committed())
        result.removed = done.removed
    result.books, result.ambiguous_decodes = memo.books, memo.ambiguous_decodes
    result.warnings.extend(memo.warnings)
    result.math_fallbacks.extend(memo.math_fallbacks)
    for message in result.warnings:
        reporter.warn(message)
    return result


def _plan_and_run(config: BuildConfig, infos: list[ExporterInfo],
                  exporters: dict[str, Exporter], store: BuildStore, manifest: Manifest,
                  executor: Executor, reporter: Reporter, scanned: Scan, context: str,
                  key: str, result: BuildResult, moved: Callable[[], frozenset[str]]
                  ) -> PlanMemo:
    """Plan (the edited books alone after text edits, else everything), run what moved,
    commit, prune, and keep the plan."""

    def planner_of(rendered: Rendered, prints: RecordPrints | None = None) -> TaskPlanner:
        return TaskPlanner(infos, exporters, rendered, context, config.content, prints)

    with paused_gc():
        planned = replan(config, infos, store, manifest, scanned, key,
                         lambda summary: plan_key(config, summary, context, exporters),
                         executor.map, reporter, planner_of, moved)
        if planned is None:
            planned = _plan(config, infos, store, executor, reporter,
                            load_index(scanned, store), key, result, planner_of)
        else:
            result.articles_rendered = planned.rendered
    tasks, memo, state, replaced = planned.tasks, planned.memo, planned.state, planned.replaced
    del planned, scanned  # records and books go with the tasks, before the state is kept
    done = Committed()
    with frozen_gc():
        execute_tasks(config, tasks, exporters, manifest, executor, result, done, reporter)
    result.tasks_skipped += len(memo.tasks) - len(tasks)
    del tasks
    remove_stale(manifest, config.out, list(exporters), {t.id for t in memo.tasks}, done)
    prune_chunks(config.out / CHUNK_DIR, {name: {c for t in memo.tasks if t.exporter == name
                                                 for c in t.chunks} for name in exporters})
    if replaced is None:
        store.prune(state.live)
    else:  # the parses a check made in between wait for the next full plan's prune
        store.forget(replaced)
    keep_plan(store, memo, state)
    result.written, result.unchanged, result.removed = done.written, done.unchanged, done.removed
    return memo


def _plan(config: BuildConfig, infos: list[ExporterInfo], store: BuildStore,
          executor: Executor, reporter: Reporter, scanned: Scan, key: str,
          result: BuildResult, planner_of: Callable[[Rendered], TaskPlanner]) -> Replanned:
    """Group, render what the store lacks, resolve links, key one task per output, and
    start the plan (see `start_plan`).

    What only planning needed (fragment keys, link maps, prints) is freed on return.
    """
    collections = group_articles(scanned.records, config.group_by,
                                 resolve_order(config.order, scanned.site.profile),
                                 config.site_title, scanned.sections)
    kinds = sorted({info.cls.math for info in infos})
    rendered = render_stage(scanned.records, kinds, store, config.content, math_path(config),
                            executor.map, reporter)
    result.articles_rendered = rendered.count
    warnings, fallbacks, links = render_notes(rendered, kinds, scanned.records)
    page_links, unresolved = resolve_page_links(scanned.records, links, scanned.site.root,
                                                scanned.sections)
    site = SiteIndex(scanned.records)
    books = make_books(config, collections, kinds, rendered, site.title_of, store.path,
                       page_links)
    planner = planner_of(rendered)
    tasks: list[PlannedTask] = []
    entries: list[MemoTask] = []
    for n in range(len(collections)):
        own = planner.book_tasks({kind: books[kind][n] for kind in kinds})
        tasks += own
        entries += [MemoTask.of(task, n) for task in own]
    whole_site = planner.site_tasks(books)
    tasks += whole_site
    entries += [MemoTask.of(task, -1) for task in whole_site]
    memo = PlanMemo.of(entries, rendered.probes.values(), len(collections),
                       sum(len(r.decode_notes) for r in scanned.records),
                       warnings + unresolved, fallbacks)
    state = plan_state(key, scanned, collections, page_links,
                       noted_sources(scanned.records, kinds, rendered))
    start_plan(store, state, {
        n: (kept_row(cast(ArticleRecord, r), kinds, rendered, planner.prints, site.title_of)
            for r in collection.articles)
        for n, collection in enumerate(collections)})
    return Replanned(tasks, memo, state, rendered.count)


def _context_key(config: BuildConfig, theme: Theme) -> str:
    """A hash of what every task reads besides its books: theme files and content folder."""
    material = f"{theme_digest(theme)}\0{config.content.resolve()}\0{config.base_url}"
    return hashlib.sha256(material.encode()).hexdigest()
