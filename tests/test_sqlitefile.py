"""Worker processes opening one new SQLite file together all get a WAL connection."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

from pressroom.render.mathcache import MathCache
from pressroom.sqlitefile import open_shared

WORKERS = 6
ROUNDS = 15


def _open_together(path: str, barrier: multiprocessing.synchronize.Barrier,
                   failures: multiprocessing.Queue) -> None:
    """Wait for every worker, then open the file as a render worker opens its math cache."""
    barrier.wait()
    try:
        cache = MathCache(Path(path))
        cache.convert("x^2", False, "mathml")
        cache.close()
    except Exception as error:  # noqa: BLE001 - the test reports whatever went wrong
        failures.put(repr(error))


def test_workers_opening_a_new_file_at_once_never_see_it_locked(tmp_path: Path) -> None:
    context = multiprocessing.get_context("fork")
    failures = context.Queue()
    for round_ in range(ROUNDS):
        path = tmp_path / f"round{round_}" / "math.sqlite"
        barrier = context.Barrier(WORKERS)
        workers = [context.Process(target=_open_together, args=(str(path), barrier, failures))
                   for _ in range(WORKERS)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(60)
        assert all(worker.exitcode == 0 for worker in workers)
    assert failures.empty(), failures.get()


def test_the_file_is_left_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "store.sqlite"
    open_shared(path).close()
    db = open_shared(path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()
