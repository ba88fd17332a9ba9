"""Chunked parts in the build core: map the chunks, assemble the part, keep chunks by key."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from importlib.metadata import EntryPoint
from pathlib import Path
from typing import Any

import pytest

from pressroom import registry
from pressroom.books import book_runs
from pressroom.build import run_build
from pressroom.build.executors import LocalExecutor
from pressroom.config import BuildConfig
from pressroom.exporter import ExportContext, Exporter
from pressroom.model import Book

from .conftest import BASE_URL, age, revise_answer
from .test_incremental import outputs

CHUNK = 2


class ChunkedListExporter(Exporter):
    """Lists a book's questions; each run of CHUNK articles is read in a chunk of its own."""

    name = "chunklist"
    suffix = ".json"
    cpu_heavy = True

    def chunks(self, part: Book) -> list[Book]:
        """Runs of CHUNK articles."""
        return book_runs(part, CHUNK)

    def export_chunk(self, chunk: Book, ctx: ExportContext) -> Any:
        """The chunk's questions and answers' lengths, its members and the links it holds
        (by article, where each points inside the book)."""
        if any("FAIL" in r.html for r in chunk.articles):
            raise RuntimeError("this chunk was told to fail")
        return ([(r.article.question, len(r.html)) for r in chunk.articles],
                [r.key for r in chunk.collection.articles],
                {key: [t.internal_key for t in targets] for key, targets in chunk.links.items()})

    def assemble(self, part: Book, results: Sequence[Any], ctx: ExportContext) -> None:
        """The chunks' lists joined in chunk order, with the chunk sizes."""
        body = {"questions": [q for items, _, _ in results for q, _ in items],
                "sizes": [len(items) for items, _, _ in results],
                "chunks": [{"members": members, "links": links} for _, members, links in results]}
        ctx.write(f"{part.slug}.json", json.dumps(body, indent=1))


@pytest.fixture(autouse=True)
def chunked_exporter(monkeypatch: pytest.MonkeyPatch) -> None:
    """The test exporter, installed beside the real ones."""
    real = registry.entry_points(group=registry.EXPORTER_GROUP)
    ours = EntryPoint("chunklist", f"{__name__}:ChunkedListExporter", registry.EXPORTER_GROUP)
    monkeypatch.setattr(registry, "entry_points", lambda group: [*real, ours])


def config(content: Path, out: Path, **overrides: object) -> BuildConfig:
    """A two-worker build of the test exporter and the EPUB."""
    base = BuildConfig(content=content, out=out, formats=["chunklist", "epub"],
                       base_url=BASE_URL, jobs=2)
    return base.with_overrides(**overrides)


def kept_chunks(out: Path) -> dict[str, int]:
    """The chunk store's files and their mtimes."""
    return {p.name: p.stat().st_mtime_ns for p in (out / ".cache" / "chunks").rglob("*")
            if p.is_file()}


def test_a_chunked_part_is_assembled_from_its_chunks_in_order(content: Path,
                                                              tmp_path: Path) -> None:
    result = run_build(config(content, tmp_path / "out"))
    assert not result.failures, result.failures
    one = run_build(config(content, tmp_path / "one", jobs=1))
    assert outputs(tmp_path / "out") == outputs(tmp_path / "one")
    book = json.loads((tmp_path / "out" / "chunklist" / "mathematics.json").read_text())
    assert book["sizes"] and all(size <= CHUNK for size in book["sizes"])
    assert len(book["questions"]) == sum(book["sizes"]) >= 3
    assert result.tasks_run == one.tasks_run


def test_a_chunk_carries_its_own_articles_links_as_the_whole_book_resolves_them(
        content: Path, tmp_path: Path) -> None:
    assert not run_build(config(content, tmp_path / "out", formats=["chunklist"])).failures
    book = json.loads((tmp_path / "out" / "chunklist" / "computer-science.json").read_text())
    everyone = {key for chunk in book["chunks"] for key in chunk["members"]}
    across = 0
    for chunk in book["chunks"]:
        assert set(chunk["links"]) <= set(chunk["members"]), "only its own articles' links"
        targets = {t for targets in chunk["links"].values() for t in targets if t}
        assert targets <= everyone
        across += len(targets - set(chunk["members"]))
    assert across, "a link to an article in another chunk stays inside the book"


def test_chunks_and_the_tasks_without_chunks_go_to_the_workers_in_one_stream(
        content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sent: list[set[str]] = []  # the kinds of payload each executor.run call sent
    run = LocalExecutor.run

    def recording(self: LocalExecutor, fn: Any, payloads: Sequence[Any],
                  prepare: Any = None) -> Any:
        kinds: set[str] = set()
        sent.append(kinds)

        def noted(payload: Any) -> Any:
            made = prepare(payload) if prepare else payload
            kinds.add(type(made).__name__)
            return made

        return run(self, fn, payloads, noted)

    monkeypatch.setattr(LocalExecutor, "run", recording)
    result = run_build(config(content, tmp_path / "out"))
    assert not result.failures, result.failures
    assert sent[0] == {"ChunkPayload", "TaskPayload"}, "EPUBs are made while chunks are"
    assert sent[1:] == [{"TaskPayload"}], "then the parts are assembled"


def test_an_edit_reruns_only_its_chunk_and_builds_the_bytes_of_a_clean_build(
        content: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_build(config(content, out))
    before = kept_chunks(out)
    target = sorted((content / "mathematics").glob("*.md"))[0]
    revise_answer(target)
    age(content)
    rebuilt = run_build(config(content, out))
    assert rebuilt.chunks_run == 1
    after = kept_chunks(out)
    assert len(set(after) - set(before)) == 1, "one chunk holds the edited article"
    assert len(set(before) - set(after)) == 1, "the chunk it replaces is pruned"
    assert all(after[name] == before[name] for name in set(after) & set(before))
    run_build(config(content, tmp_path / "clean", cache=False))
    assert outputs(out) == outputs(tmp_path / "clean")


def test_a_build_of_other_formats_keeps_the_chunks(content: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_build(config(content, out))
    before = kept_chunks(out)
    assert before
    run_build(config(content, out, formats=["epub"]))
    assert kept_chunks(out) == before, "an EPUB build leaves the other format's chunks"
    again = run_build(config(content, out))
    assert again.chunks_run == 0 and again.tasks_run == 0


def test_a_failing_chunk_fails_its_part_only(content: Path, tmp_path: Path) -> None:
    target = sorted((content / "mathematics").glob("*.md"))[0]
    target.write_text(target.read_text(encoding="utf-8").replace(
        "answer: >-\n    ", "answer: >-\n    FAIL ", 1), encoding="utf-8")
    result = run_build(config(content, tmp_path / "out"))
    assert [f for f in result.failures if "chunklist: mathematics [chunk" in f], result.failures
    assert "told to fail" in result.failures[0]
    built = os.listdir(tmp_path / "out" / "chunklist")
    assert "mathematics.json" not in built and built, "the other books are written"
    assert (tmp_path / "out" / "epub" / "mathematics.epub").is_file()


def test_chunks_on_a_dask_local_cluster_give_the_same_bytes(content: Path,
                                                            tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    local = run_build(config(content, tmp_path / "local"))
    dask = run_build(config(content, tmp_path / "dask", executor="dask"))
    assert not local.failures and not dask.failures
    assert outputs(tmp_path / "local") == outputs(tmp_path / "dask")
