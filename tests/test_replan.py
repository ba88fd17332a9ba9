"""Replanning after text edits: only the edited book is planned again, to a clean build's
bytes; index edits, and builds killed on the way, take the full plan."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from pressroom.build import check_content, run_build
from pressroom.build import run as run_module
from pressroom.build.records import RowReader
from pressroom.build.store import BuildStore
from tests.test_incremental import config, mtimes, outputs
from tests.test_plan_memo import reported

from .conftest import age, revise_answer

EDITED = Path("mathematics") / "how-do-you-multiply-two-2x2-matrices.md"


def edit_answer(content: Path, name: Path = EDITED) -> None:
    """Revise an article's answer (no index value moves) and age the content."""
    revise_answer(content / name)
    age(content)


def refuse_full_plan(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if the build makes the whole plan."""
    def refuse(*args: object, **kwargs: object) -> object:
        raise AssertionError("the build made the whole plan")

    monkeypatch.setattr(run_module, "_plan", refuse)


def clean_build(content: Path, out: Path) -> dict[str, bytes]:
    """The outputs of a build with no store behind it."""
    run_build(config(content, out, cache=False))
    return outputs(out)


def test_a_text_edit_plans_only_its_book_to_a_clean_builds_bytes(
        content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    first = run_build(config(content, out))
    stamps = mtimes(out)
    for n in range(2):  # the second edit replans from the plan the first replan kept
        edit_answer(content)
        with monkeypatch.context() as patched:
            refuse_full_plan(patched)
            result = run_build(config(content, out))
        assert result.files_read == 1 and result.articles_rendered == 1
        assert result.tasks_run == 2, "the edited book's EPUB and JSON-LD"
        assert result.tasks_skipped == first.tasks_run - 2
        reference = run_build(config(content, tmp_path / f"clean-{n}", cache=False))
        assert outputs(out) == outputs(tmp_path / f"clean-{n}")
        assert reported(result) == reported(reference)
    db = sqlite3.connect(out / ".cache" / "store.sqlite")
    stale = [db.execute(f"SELECT count(*) FROM {table} WHERE {column} NOT IN "  # noqa: S608
                        "(SELECT key FROM sources)").fetchone()[0]
             for table, column in (("parsed", "key"), ("fragments", "parsed"))]
    db.close()
    assert stale == [0, 0], "the edits' old parses and fragments are forgotten"
    moved = {path for path, stamp in mtimes(out).items() if stamps[path] != stamp}
    assert moved and all("mathematics" in path or path.startswith("jsonld/") for path in moved)
    assert not any(path.startswith("sitemap/") for path in moved)
    store = BuildStore(out / run_module.STORE)
    store.put_memo("plan", None)  # the next build plans again, and in full:
    store.commit()
    store.close()
    with monkeypatch.context() as patched:
        patched.setattr(run_module, "replan", lambda *args, **kwargs: None)
        again = run_build(config(content, out))
    assert again.tasks_run == 0, "the replanned tasks have the keys the full plan gives"


def test_an_output_of_another_book_changed_by_hand_is_made_again_after_an_edit(
        content: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_build(config(content, out))
    physics = next(out.glob("epub/physics*.epub"))
    physics.write_bytes(b"changed by hand")
    edit_answer(content)
    run_build(config(content, out))
    assert outputs(out) == clean_build(content, tmp_path / "clean")


def test_an_index_edit_makes_the_whole_plan(content: Path, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    run_build(config(content, out))
    path = content / EDITED
    path.write_text(path.read_text(encoding="utf-8").replace(
        "title: ", "title: Revised ", 1), encoding="utf-8")
    age(content)
    planned = []
    full_plan = run_module._plan
    monkeypatch.setattr(run_module, "_plan",
                        lambda *a, **k: planned.append(1) or full_plan(*a, **k))
    run_build(config(content, out))
    assert planned == [1]
    assert outputs(out) == clean_build(content, tmp_path / "clean")


def test_check_after_a_text_edit_decodes_only_the_edited_record(
        content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    (content / "physics" / "broken.md").write_text("---\ntitle: [unclosed\n---\n")
    age(content)
    run_build(config(content, out))
    edit_answer(content)
    decoded = []
    real = RowReader.__call__
    monkeypatch.setattr(RowReader, "__call__",
                        lambda self, data: decoded.append(1) or real(self, data))
    checked = check_content(config(content, out))
    assert len(decoded) == 3, "the edited record parsed, then compared as it was and is"
    monkeypatch.undo()
    fresh = check_content(config(content, tmp_path / "fresh", cache=False))
    assert (checked.articles, checked.read, len(checked.errors)) == (fresh.articles, 1, 1)
    assert list(map(str, checked.errors)) == list(map(str, fresh.errors))
    assert list(map(str, checked.warnings)) == list(map(str, fresh.warnings))
    assert checked.summary_key == fresh.summary_key


def test_a_build_killed_after_replanning_is_right_the_next_time(
        content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    run_build(config(content, out))
    edit_answer(content)

    def killed(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    with monkeypatch.context() as patched:
        patched.setattr(run_module, "execute_tasks", killed)
        with pytest.raises(KeyboardInterrupt):
            run_build(config(content, out))
    edit_answer(content, Path("physics") / "how-are-frequency-wavelength-and-wave-speed-related.md")
    run_build(config(content, out))
    assert outputs(out) == clean_build(content, tmp_path / "clean")


def test_memos_another_pressroom_wrote_are_forgotten(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite"
    store = BuildStore(path)
    store.put_memo("summary", "any", b"a layout this code does not read")
    store.close()
    assert BuildStore(path).memo_kept("summary") == ("any", b"a layout this code does not read")
    db = sqlite3.connect(path)
    db.execute("UPDATE memos SET key = 'another pressroom' WHERE kind = 'code'")
    db.commit()
    db.close()
    assert BuildStore(path).memo_kept("summary") is None
