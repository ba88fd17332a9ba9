"""Executors: a real 2-worker Dask LocalCluster writes the same bytes as the local pool."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from pressroom.build import run_build
from pressroom.build.executors import LocalExecutor, make_executor
from pressroom.build.gcpause import paused_gc
from pressroom.config import BuildConfig

from .conftest import BASE_URL, CONTENT
from .test_incremental import outputs

FORMATS = ["epub", "pdf", "jsonld", "sitemap"]


class CountingReporter:
    """Counts the steps of each stage, as a progress bar would draw them."""

    def __init__(self) -> None:
        self.totals: dict[str, int] = {}
        self.done: dict[str, int] = {}
        self.current = ""

    def stage(self, label: str, total: int) -> None:
        """A new bar."""
        self.current = label
        self.totals[label], self.done[label] = total, 0

    def advance(self, steps: int = 1) -> None:
        """The bar moves."""
        self.done[self.current] += steps

    def warn(self, message: str) -> None:
        """Warnings are not counted here."""


def test_a_dask_local_cluster_writes_the_same_bytes_as_the_local_pool(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    base = BuildConfig(content=CONTENT, formats=FORMATS, base_url=BASE_URL, jobs=2,
                       exporters={"pdf": {"max_articles": 3, "chunk_articles": 2}})
    local = run_build(base.with_overrides(out=tmp_path / "local"))
    reporter = CountingReporter()
    dask = run_build(base.with_overrides(out=tmp_path / "dask", executor="dask"), reporter)
    assert not local.failures and not dask.failures
    assert outputs(tmp_path / "local") == outputs(tmp_path / "dask")
    assert any("-vol-2.pdf" in name for name in outputs(tmp_path / "dask"))  # volumes as tasks
    assert dask.chunks_run == local.chunks_run >= 4  # three-article volumes in two chunks
    export = next(label for label in reporter.totals if label.startswith("export"))
    assert reporter.done[export] == reporter.totals[export] == dask.tasks_run + dask.chunks_run
    assert dask.tasks_run > 8


def test_executors_map_in_order_and_run_every_task() -> None:
    pool = LocalExecutor(2)
    try:
        assert list(pool.map(abs, range(-50, 0))) == list(range(50, 0, -1))
        assert sorted(pool.run(abs, [-3, -1, -2])) == [(0, 3), (1, 1), (2, 2)]
    finally:
        pool.close()


def test_unknown_executor_or_a_scheduler_without_dask_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown executor"):
        make_executor("spark", 1)
    with pytest.raises(ValueError, match="--scheduler needs --executor dask"):
        make_executor("local", 1, "tcp://127.0.0.1:8786")


def _collector_on(_: int) -> bool:
    return gc.isenabled()


def test_workers_forked_while_the_scan_pauses_the_collector_run_with_it_on() -> None:
    executor = LocalExecutor(2)
    try:
        with paused_gc():
            assert not gc.isenabled()
            in_workers = set(executor.map(_collector_on, range(8)))
        assert gc.isenabled()
    finally:
        executor.close()
    assert in_workers == {True}


_WARMED: list[str] = []


def _warm() -> None:
    _WARMED.append("vocabulary")


def _warmed(_: object) -> list[str]:
    return list(_WARMED)


def test_each_worker_is_warmed_up_once_before_its_tasks() -> None:
    executor = LocalExecutor(2, warm_up=_warm)
    try:
        seen = list(executor.map(_warmed, range(8)))
        submitted = executor.submit(_warmed, None).result()
    finally:
        executor.close()
    assert seen + [submitted] == [["vocabulary"]] * 9
    assert _WARMED == [], "in the workers, not here"
