"""Execute: run the planned tasks whose key moved, their chunks first, and commit each.

Chunked parts first have their chunks run (or taken from the chunk store), then are
assembled like any other task. On the local pool a task runs in a worker (it carries
only references into the store), unless it spans more than POOL_MAX_ARTICLES articles:
pickling a whole site's index for a sitemap costs more memory here than streaming it in
this process. A cluster gets the cpu-heavy tasks (and every chunk), shipped with their
articles; light ones stay here.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pressroom.build.chunks import ChunkStore, run_chunks
from pressroom.build.commit import CACHE_DIR, Committed, commit_task, outputs_stand, staging_root
from pressroom.build.executors import Executor
from pressroom.build.manifest import Manifest
from pressroom.build.plan import PlannedChunk, PlannedTask
from pressroom.build.reporting import BuildResult, Reporter
from pressroom.build.tasks import ChunkPayload, TaskPayload, run_task, unship, unwritable
from pressroom.config import BuildConfig
from pressroom.exporter import Exporter

CHUNK_DIR = Path(CACHE_DIR) / "chunks"
POOL_MAX_ARTICLES = 25_000


def execute_tasks(config: BuildConfig, tasks: Sequence[PlannedTask],
                  exporters: dict[str, Exporter], manifest: Manifest, executor: Executor,
                  result: BuildResult, done: Committed, reporter: Reporter) -> None:
    """Run the tasks whose key moved (see the module's docstring for where); commit each
    as it finishes."""
    todo, recorded = [], []  # the tasks to run, and what the manifest has of their outputs
    for task in tasks:
        stamps = tuple(manifest.outputs_of(task.id)) if config.cache else ()
        if not (config.cache and manifest.task_key(task.id) == task.key
                and outputs_stand(stamps, config.out)):
            todo.append(task)
            recorded.append(stamps)
    result.tasks_skipped += len(tasks) - len(todo)
    result.tasks_run = len(todo)
    reporter.stage("export " + ", ".join(dict.fromkeys(t.exporter.name for t in tasks)),
                   len(todo) + sum(len(t.chunks) for t in todo))
    remote = config.executor == "dask"
    chunk_store = ChunkStore(config.out / CHUNK_DIR, config.cache)
    failed = _run_chunks(config, todo, exporters, executor, chunk_store, result, reporter)
    stage_root = staging_root(config.out)
    payloads = [TaskPayload(t.id, exporters[t.exporter.name], t.books, config.theme,
                            config.project_dir, config.base_url, config.content,
                            stage_root / str(n), config.out, recorded[n],
                            tuple(chunk_store.path(c.key) for c in t.chunks) if t.chunks
                            else None) for n, t in enumerate(todo)]
    runnable = [n for n, t in enumerate(todo) if t.id not in failed]
    for n in sorted(set(range(len(todo))) - set(runnable)):
        result.failures.append(failed[todo[n].id])
        reporter.advance()
    pooled = [n for n in runnable if todo[n].exporter.cls.cpu_heavy
              or (not remote and sum(len(b.articles) for b in todo[n].books)
                  <= POOL_MAX_ARTICLES)]
    ship = TaskPayload.shipped if remote else None
    finished = ((pooled[i], outcome) for i, outcome in
                executor.run(run_task, [payloads[n] for n in pooled], ship))
    local = sorted(set(runnable) - set(pooled))
    in_process = ((n, run_task(payloads[n])) for n in local)
    for stream in (in_process, finished):
        for n, outcome in stream:
            if outcome.unwritable:
                raise unwritable(config.out, outcome.unwritable)
            if outcome.files is not None:
                unship(outcome, stage_root / str(n))
            result.warnings.extend(outcome.warnings)
            result.errors.extend(outcome.errors)
            if outcome.failure:
                result.failures.append(outcome.failure)
            else:
                task = todo[n]
                commit_task(task.id, task.exporter.name, task.key, stage_root / str(n),
                            manifest, config.out, done, outcome.kept, outcome.digests)
            reporter.advance()


def _run_chunks(config: BuildConfig, todo: Sequence[PlannedTask],
                exporters: dict[str, Exporter], executor: Executor, store: ChunkStore,
                result: BuildResult, reporter: Reporter) -> dict[str, str]:
    """Run (or reuse) the chunks of the chunked tasks; the first failure of each task by id."""
    chunked = [t for t in todo if t.chunks]
    owner = {chunk.id: task.exporter.name for task in chunked for chunk in task.chunks}

    def payload(chunk: PlannedChunk) -> ChunkPayload:
        return ChunkPayload(chunk.id, exporters[owner[chunk.id]], chunk.book, config.theme,
                            config.project_dir, config.base_url, config.content)

    failed: dict[str, str] = {}
    ship = ChunkPayload.shipped if config.executor == "dask" else None
    outcomes = run_chunks(chunked, payload, executor, store, ship)
    kept = sum(store.has(chunk.key) for task in chunked for chunk in task.chunks)
    result.chunks_run = sum(len(task.chunks) for task in chunked) - kept
    for n, outcome in outcomes:
        result.warnings.extend(outcome.warnings)
        result.errors.extend(outcome.errors)
        if outcome.failure:
            failed.setdefault(chunked[n].id, outcome.failure)
        reporter.advance()
    return failed
