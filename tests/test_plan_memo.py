"""The plan memo: a build whose inputs are all unchanged keeps the last plan and runs
nothing; any changed input (content, options, environment, an image, an output) plans again."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from pressroom.build import execute as execute_module
from pressroom.build import run_build
from pressroom.build.reporting import BuildResult
from tests.test_check_a11y import article
from tests.test_epub import tiny_png
from tests.test_incremental import config, mtimes, outputs

from .conftest import age


def no_planning(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if the build decodes a record or plans again."""
    def refuse(*args: object, **kwargs: object) -> object:
        raise AssertionError("the build planned again")

    monkeypatch.setattr("pressroom.build.records.RowReader.__call__", refuse)
    monkeypatch.setattr("pressroom.build.run._plan_and_run", refuse)


def reported(result: BuildResult) -> tuple[object, ...]:
    """What a build reports beside the files it wrote."""
    return (result.articles, result.books, result.ambiguous_decodes, sorted(result.warnings),
            sorted(map(str, result.math_fallbacks)), sorted(map(str, result.errors)))


def test_an_unchanged_build_keeps_its_plan_and_reports_the_same(
        content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (content / "physics" / "broken.md").write_text("---\ntitle: [unclosed\n---\n")
    age(content)
    out = tmp_path / "out"
    first = run_build(config(content, out))
    assert first.tasks_run > 0 and len(first.errors) == 1
    stamps = mtimes(out)
    with monkeypatch.context() as patched:
        no_planning(patched)
        again = run_build(config(content, out))
    assert (again.tasks_run, again.tasks_skipped) == (0, first.tasks_run)
    assert reported(again) == reported(first)
    assert again.written == [] and mtimes(out) == stamps


def test_a_removed_output_is_planned_again_and_restored(content: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_build(config(content, out))
    before = outputs(out)
    victim = next(out.glob("epub/*.epub"))
    victim.unlink()
    again = run_build(config(content, out))
    assert again.tasks_run == 1 and outputs(out) == before


@pytest.mark.parametrize("change", ["base_url", "epoch", "title_pattern"])
def test_a_changed_option_or_environment_plans_again(
        content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: str) -> None:
    out = tmp_path / "out"
    run_build(config(content, out))
    overrides: dict[str, object] = {}
    if change == "epoch":
        monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    elif change == "base_url":
        overrides["base_url"] = "https://learn.example.net"
    else:
        overrides["title_pattern"] = "{collection}: the questions"
    again = run_build(config(content, out, **overrides))
    assert again.tasks_run > 0
    reference = tmp_path / "reference"
    run_build(config(content, reference, cache=False, **overrides))
    assert outputs(out) == outputs(reference)


def test_a_changed_image_plans_again_and_the_book_carries_it(tmp_path: Path) -> None:
    content = tmp_path / "content"
    article(content, "diagram", "The diagram:\n\n![A dot](dot.png)")
    image = content / "dot.png"
    image.write_bytes(tiny_png())
    age(content)
    out = tmp_path / "out"
    run_build(config(content, out, formats=["epub"]))
    image.write_bytes(tiny_png() + b"\0" * 16)  # new bytes, same article
    again = run_build(config(content, out, formats=["epub"]))
    assert again.tasks_run == 1
    with zipfile.ZipFile(next(out.glob("epub/*.epub"))) as book:
        carried = [book.read(name) for name in book.namelist() if name.endswith("dot.png")]
    assert carried == [image.read_bytes()]


def test_a_build_killed_while_committing_leaves_no_plan_to_trust(
        content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    run_build(config(content, out))
    target = next(content.rglob("*.md"))
    original = target.read_text(encoding="utf-8")
    target.write_text(original.replace("title: ", "title: Killed ", 1), encoding="utf-8")
    age(content)
    commits = 0

    def one_then_die(*args: object, **kwargs: object) -> None:
        nonlocal commits
        commits += 1
        if commits > 1:
            raise KeyboardInterrupt
        real_commit(*args, **kwargs)

    real_commit = execute_module.commit_task
    with monkeypatch.context() as patched:
        patched.setattr(execute_module, "commit_task", one_then_die)
        with pytest.raises(KeyboardInterrupt):
            run_build(config(content, out))
    target.write_text(original, encoding="utf-8")  # back to what the kept plan was made of
    age(content)
    run_build(config(content, out))
    reference = tmp_path / "reference"
    run_build(config(content, reference, cache=False))
    assert outputs(out) == outputs(reference)
