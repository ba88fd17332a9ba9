"""Executors: where work runs. A local process pool, or a Dask cluster for export tasks.

Parsing and rendering always run on the local pool (they read the content folder and
the build store). Export tasks run on the chosen executor; both give the same bytes,
because a task is a pure function of its payload.
"""

from __future__ import annotations

import gc
import itertools
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import Any, Protocol

EXECUTORS = ("local", "dask")


def cpu_count() -> int:
    """Cores this process may use."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1  # pragma: no cover - non-Linux


class Executor(Protocol):
    """Runs functions over payloads: `map` in order and bounded, `run` as tasks finish."""

    jobs: int

    def map(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
        """Results of `fn` over `items`, in order, with a bounded number in flight."""

    def run(self, fn: Callable[[Any], Any], payloads: Sequence[Any],
            prepare: Callable[[Any], Any] | None = None) -> Iterator[tuple[int, Any]]:
        """(index, result) of `fn` over `payloads`, in the order they finish.

        The first tasks are submitted at once; the rest as earlier ones finish, so at most
        a few payloads (each passed through `prepare` on submission) are held at a time.
        """

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future[Any]:
        """`fn(*args)` started on a local worker, while this process goes on."""

    def close(self) -> None:
        """Stop the workers."""


def _windowed(submit: Callable[[int], Any], count: int, window: int,
              finished: Callable[[set[Any]], Iterator[Any]]) -> Iterator[tuple[int, Any]]:
    """Submit the first `window` now, the rest as earlier ones finish; (index, future) as
    each finishes. The caller may do other work before it asks for the first result."""
    indexes = iter(range(count))
    pending = {submit(n): n for n in itertools.islice(indexes, window)}

    def results() -> Iterator[tuple[int, Any]]:
        while pending:
            future = next(finished(set(pending)))
            yield pending.pop(future), future
            for n in itertools.islice(indexes, 1):
                pending[submit(n)] = n

    return results()


def _first_done(futures: set[Future[Any]]) -> Iterator[Future[Any]]:
    done, _ = wait(futures, return_when=FIRST_COMPLETED)
    yield from done


def _start_worker(warm_up: Callable[[], None] | None) -> None:
    """A new worker: the collector on (a pool started inside a stage that paused it forks
    workers with it off) and blind to what the parent had made, then what the build's
    tasks will all read, loaded. The parent's objects live as long as the worker; a
    collection walking them would cost time and copy every page it touches out of the
    memory shared with the parent."""
    gc.enable()
    gc.freeze()
    if warm_up is not None:
        warm_up()


class LocalExecutor:
    """A process pool of `jobs` workers (none when `jobs` is 1: everything runs here).
    `warm_up` runs in each worker as it starts, before its first task."""

    def __init__(self, jobs: int, warm_up: Callable[[], None] | None = None) -> None:
        self.jobs = jobs if jobs > 0 else cpu_count()
        self.warm_up = warm_up
        self._pool: ProcessPoolExecutor | None = None

    def _workers(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=self.jobs, initializer=_start_worker,
                                             initargs=(self.warm_up,))
        return self._pool

    def map(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
        """Results in order; at most 3 × jobs payloads are pickled and waiting at once."""
        if self.jobs == 1:
            yield from map(fn, items)
            return
        pending: deque[Future[Any]] = deque()
        for item in items:
            pending.append(self._workers().submit(fn, item))
            if len(pending) >= 3 * self.jobs:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()

    def run(self, fn: Callable[[Any], Any], payloads: Sequence[Any],
            prepare: Callable[[Any], Any] | None = None) -> Iterator[tuple[int, Any]]:
        """Tasks in worker processes, 2 × jobs in flight; results as they finish."""
        prepare = prepare or (lambda payload: payload)
        if self.jobs == 1 or len(payloads) < 2:
            return ((n, fn(prepare(payload))) for n, payload in enumerate(payloads))
        pool = self._workers()
        window = _windowed(lambda n: pool.submit(fn, prepare(payloads[n])), len(payloads),
                           2 * self.jobs, _first_done)
        return ((n, future.result()) for n, future in window)

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future[Any]:
        """`fn(*args)` in a worker (here, done by the time it returns, with one job)."""
        if self.jobs > 1:
            return self._workers().submit(fn, *args)
        done: Future[Any] = Future()
        done.set_result(fn(*args))
        return done

    def close(self) -> None:
        """Shut the pool down."""
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None


class DaskExecutor:
    """Export tasks on a Dask cluster (`scheduler` address, or a LocalCluster of `jobs`)."""

    def __init__(self, jobs: int, scheduler: str | None = None) -> None:
        from distributed import Client, LocalCluster

        self._local = LocalExecutor(jobs)
        self.jobs = self._local.jobs
        self._cluster = None
        if scheduler:
            self._client = Client(scheduler)
        else:
            self._cluster = LocalCluster(n_workers=self.jobs, threads_per_worker=1,
                                         processes=True, dashboard_address=None)
            self._client = Client(self._cluster)

    def map(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
        """Parsing and rendering stay on the local pool."""
        return self._local.map(fn, items)

    def run(self, fn: Callable[[Any], Any], payloads: Sequence[Any],
            prepare: Callable[[Any], Any] | None = None) -> Iterator[tuple[int, Any]]:
        """Tasks on the cluster, two per worker in flight; results as they finish."""
        from distributed import wait as dask_wait

        prepare = prepare or (lambda payload: payload)
        workers = max(1, len(self._client.scheduler_info().get("workers", {})))

        def finished(futures: set[Any]) -> Iterator[Any]:
            yield from dask_wait(futures, return_when="FIRST_COMPLETED").done

        window = _windowed(
            lambda n: self._client.submit(fn, prepare(payloads[n]), pure=False),
            len(payloads), 2 * workers, finished)
        return ((n, future.result()) for n, future in window)

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future[Any]:
        """On the local pool, like parsing."""
        return self._local.submit(fn, *args)

    def close(self) -> None:
        """Close the client, the LocalCluster this executor started, and the local pool."""
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()
        self._local.close()


def make_executor(kind: str, jobs: int, scheduler: str | None = None,
                  warm_up: Callable[[], None] | None = None) -> Executor:
    """The executor named `kind` (`local` or `dask`); a local pool's workers run
    `warm_up` as they start (a cluster's run their tasks as they come)."""
    if kind == "local":
        if scheduler:
            raise ValueError("--scheduler needs --executor dask")
        return LocalExecutor(jobs, warm_up)
    if kind == "dask":
        return DaskExecutor(jobs, scheduler)
    raise ValueError(f"unknown executor {kind!r}; choose one of: {', '.join(EXECUTORS)}")
