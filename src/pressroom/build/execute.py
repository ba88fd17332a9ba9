"""Execute: run the planned tasks whose key moved, and their chunks, and commit each.

Chunks (unless the chunk store keeps them) and the tasks that have none go to the
executor in one stream, so a book's EPUB volume is typeset while a JSON-LD run is made;
a chunked part is assembled as soon as its last chunk is in. On the local pool a task
runs in a worker (it carries only references into the store), unless it spans more than
POOL_MAX_ARTICLES articles: pickling a whole site's index for a sitemap costs more
memory here than streaming it in this process, so such a task runs here while the
workers go on. A cluster gets the cpu-heavy tasks (and every chunk), shipped with their
articles; light ones stay here.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pressroom.build.chunks import ChunkStore
from pressroom.build.commit import CACHE_DIR, Committed, commit_task, staging_root, up_to_date
from pressroom.build.executors import Executor
from pressroom.build.manifest import Manifest
from pressroom.build.plan import PlannedChunk, PlannedTask
from pressroom.build.reporting import BuildResult, Reporter
from pressroom.build.tasks import (
    ChunkOutcome,
    ChunkPayload,
    TaskOutcome,
    TaskPayload,
    perform,
    run_task,
    unship,
    unwritable,
)
from pressroom.config import BuildConfig
from pressroom.exporter import Exporter

CHUNK_DIR = Path(CACHE_DIR) / "chunks"
POOL_MAX_ARTICLES = 25_000


def execute_tasks(config: BuildConfig, tasks: Sequence[PlannedTask],
                  exporters: dict[str, Exporter], manifest: Manifest, executor: Executor,
                  result: BuildResult, done: Committed, reporter: Reporter) -> None:
    """Run the tasks whose key moved (see the module's docstring for where and in what
    order); commit each as it finishes."""
    todo = [task for task in tasks
            if not (config.cache and up_to_date(task.id, task.key, manifest, config.out))]
    result.tasks_skipped += len(tasks) - len(todo)
    result.tasks_run = len(todo)
    reporter.stage("export " + ", ".join(dict.fromkeys(t.exporter.name for t in tasks)),
                   len(todo) + sum(len(t.chunks) for t in todo))
    _Execution(config, todo, exporters, manifest, result, done, reporter).run(executor)


class _Execution:
    """One build's tasks on their way through the executor and this process."""

    def __init__(self, config: BuildConfig, todo: Sequence[PlannedTask],
                 exporters: dict[str, Exporter], manifest: Manifest, result: BuildResult,
                 done: Committed, reporter: Reporter) -> None:
        self.config, self.todo = config, todo
        self.exporters, self.manifest = exporters, manifest
        self.result, self.done, self.reporter = result, done, reporter
        self.remote = config.executor == "dask"
        self.stage_root = staging_root(config.out)
        self.failed: dict[int, str] = {}  # a chunked task's first chunk failure

    def run(self, executor: Executor) -> None:
        """Chunks and chunk-free pooled tasks in one stream; the rest here as they can."""
        fresh: list[tuple[int, PlannedChunk]] = []
        waiting = {}  # chunks still to come, per chunked task
        for n, task in enumerate(self.todo):
            if task.chunks:
                waiting[n] = 0
                for chunk in task.chunks:
                    if self._chunk_store(n).has(chunk.key):
                        self._chunk_done(n, self._chunk_store(n).report(chunk.key))
                    else:
                        fresh.append((n, chunk))
                        waiting[n] += 1
        free = [n for n, task in enumerate(self.todo) if not task.chunks]
        units = fresh + [(n, None) for n in free if self._pooled(n)]
        stream = executor.run(perform, units, self._unit_payload)
        later: list[int] = []  # chunked tasks whose assemble goes to the executor

        def ready(n: int) -> None:
            if n in self.failed:
                self.result.failures.append(self.failed[n])
                self.reporter.advance()
            elif self._pooled(n):
                later.append(n)
            else:
                self._finish(n, run_task(self._payload(n)))

        for n in free:
            if not self._pooled(n):
                self._finish(n, run_task(self._payload(n)))
        for n in [n for n, count in waiting.items() if count == 0]:
            ready(n)
        for i, outcome in stream:
            n, chunk = units[i]
            if chunk is None:
                self._finish(n, outcome)
                continue
            if outcome.failure is None:
                self._chunk_store(n).keep(chunk.key, outcome)
            self.result.chunks_run += 1
            self._chunk_done(n, outcome)
            waiting[n] -= 1
            if waiting[n] == 0:
                ready(n)
        for i, outcome in executor.run(run_task, [(n, None) for n in later],
                                       self._unit_payload):
            self._finish(later[i], outcome)

    def _chunk_store(self, n: int) -> ChunkStore:
        """Where the chunks of the task's exporter are kept."""
        return ChunkStore(self.config.out / CHUNK_DIR / self.todo[n].exporter.name,
                          self.config.cache)

    def _pooled(self, n: int) -> bool:
        """Whether the task runs on the executor rather than here."""
        task = self.todo[n]
        return task.exporter.cls.cpu_heavy or (
            not self.remote and sum(len(b.articles) for b in task.books) <= POOL_MAX_ARTICLES)

    def _unit_payload(self, unit: tuple[int, PlannedChunk | None]
                      ) -> TaskPayload | ChunkPayload:
        """A chunk's or task's payload, made as it is sent (a task's recorded outputs are
        read then, not held for every task at once), shipped for a cluster."""
        n, chunk = unit
        payload = self._chunk_payload(n, chunk) if chunk else self._payload(n)
        return payload.shipped() if self.remote else payload

    def _payload(self, n: int) -> TaskPayload:
        task, config = self.todo[n], self.config
        stamps = tuple(self.manifest.outputs_of(task.id)) if config.cache else ()
        return TaskPayload(task.id, self.exporters[task.exporter.name], task.books,
                           config.theme, config.project_dir, config.base_url, config.content,
                           self.stage_root / str(n), config.out, stamps,
                           tuple(self._chunk_store(n).path(c.key) for c in task.chunks)
                           if task.chunks else None)

    def _chunk_payload(self, n: int, chunk: PlannedChunk) -> ChunkPayload:
        config = self.config
        return ChunkPayload(chunk.id, self.exporters[self.todo[n].exporter.name], chunk.book,
                            config.theme, config.project_dir, config.base_url, config.content)

    def _chunk_done(self, n: int, outcome: ChunkOutcome) -> None:
        """Take a chunk's report (a kept chunk's, or a new one's)."""
        self.result.warnings.extend(outcome.warnings)
        self.result.errors.extend(outcome.errors)
        if outcome.failure:
            self.failed.setdefault(n, outcome.failure)
        self.reporter.advance()

    def _finish(self, n: int, outcome: TaskOutcome) -> None:
        """Take a finished task's report and commit its files."""
        config, stage = self.config, self.stage_root / str(n)
        if outcome.unwritable:
            raise unwritable(config.out, outcome.unwritable)
        if outcome.files is not None:
            unship(outcome, stage)
        self.result.warnings.extend(outcome.warnings)
        self.result.errors.extend(outcome.errors)
        if outcome.failure:
            self.result.failures.append(outcome.failure)
        else:
            task = self.todo[n]
            commit_task(task.id, task.exporter.name, task.key, stage, self.manifest,
                        config.out, self.done, outcome.kept, outcome.digests)
        self.reporter.advance()
