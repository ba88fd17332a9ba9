"""Incremental builds: byte-identical to clean ones, minimal work, stale outputs removed."""

from __future__ import annotations

import contextlib
import os
import random
import re
import shutil
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from pressroom import exporter as exporter_module
from pressroom import loader
from pressroom.build import BuildBusy, UnsafeOutput, check_content, clean, run_build
from pressroom.build.guard import check_out_dir, exclusive
from pressroom.cli import EXIT_EXPORTER, EXIT_USAGE, app
from pressroom.config import BuildConfig
from pressroom.errors import ContentError
from pressroom.lastmod import MODIFIED_FIELDS
from pressroom.model import INDEX_EXTRAS
from pressroom.seo import EXCLUDING_FLAGS

from .conftest import BASE_URL, CONTENT, age, revise_answer

FORMATS = ["epub", "jsonld", "sitemap"]


def outputs(out: Path) -> dict[str, bytes]:
    """Every output file (not the cache) by path relative to `out`."""
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and ".cache" not in p.relative_to(out).parts}


def mtimes(out: Path) -> dict[str, int]:
    """mtime_ns of every output file."""
    return {p.relative_to(out).as_posix(): p.stat().st_mtime_ns for p in out.rglob("*")
            if p.is_file() and ".cache" not in p.relative_to(out).parts}


def config(content: Path, out: Path, **overrides: object) -> BuildConfig:
    """A build of `content` into `out` in the test formats, one process."""
    base = BuildConfig(content=content, out=out, formats=FORMATS, base_url=BASE_URL, jobs=1)
    return base.with_overrides(**overrides)


def _edit(path: Path, rng: random.Random) -> None:
    text = path.read_text(encoding="utf-8")
    choice = rng.choice(["title", "date", "answer"])
    if choice == "title":
        text = re.sub(r"^(title: >-\n\s+)(.+)$", r"\1\2 (revised)", text, count=1, flags=re.M)
        text = re.sub(r"^(title: )(?!>-)(.+)$", r"\1\2 (revised)", text, count=1, flags=re.M)
    elif choice == "date":
        text = re.sub(r"^date: (\d{4})", lambda m: f"date: {int(m[1]) - 1}", text, count=1,
                      flags=re.M)
    else:
        text = text.replace("answer: >-\n    ", "answer: >-\n    Revised. ", 1)
    path.write_text(text, encoding="utf-8")


def _step(content: Path, rng: random.Random, spare: list[Path]) -> str:
    files = sorted(content.rglob("*.md"))
    action = rng.choice(["edit", "edit", "delete", "add", "rename"])
    target = rng.choice(files)
    if action == "edit":
        _edit(target, rng)
    elif action == "delete" and len(files) > 3:
        spare.append(content.parent / f"spare-{len(spare)}.md")
        shutil.move(target, spare[-1])
    elif action == "add" and spare:
        shutil.move(spare.pop(), target.parent / f"restored-{rng.randrange(10**6)}.md")
    else:
        target.rename(target.with_name(f"renamed-{rng.randrange(10**6)}.md"))
    return f"{action} {target.name}"


def test_random_edits_build_incrementally_to_the_bytes_of_a_clean_build(
        content: Path, tmp_path: Path) -> None:
    rng = random.Random(7)
    out = tmp_path / "incremental"
    first = run_build(config(content, out))
    assert not first.failures and first.files_read == 16
    spare: list[Path] = []
    for n in range(6):
        what = _step(content, rng, spare)
        age(content)
        before, stamps = outputs(out), mtimes(out)
        result = run_build(config(content, out))
        clean_out = tmp_path / f"clean-{n}"
        reference = run_build(config(content, clean_out, cache=False))
        assert outputs(out) == outputs(clean_out), f"step {n}: {what}"
        assert sorted(map(str, result.errors)) == sorted(map(str, reference.errors))
        assert result.files_read <= 2, what
        now = mtimes(out)
        kept = [name for name in now if name in before and before[name] == outputs(out)[name]]
        assert all(now[name] == stamps[name] for name in kept), f"rewrote unchanged: {what}"


def test_a_title_change_updates_every_book_that_links_to_it(content: Path,
                                                           tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_build(config(content, out, formats=["epub"], group_by="subject"))
    linking = {p: p.read_text(encoding="utf-8") for p in sorted(content.rglob("*.md"))}
    tops = {p: re.search(r"^url: (\S+)$", text, flags=re.M) for p, text in linking.items()}
    by_url = {match[1]: p for p, match in tops.items() if match}
    pairs = [(p, by_url[u]) for p, text in linking.items()
             for u in re.findall(r"^\s+url: (\S+)$", text, flags=re.M)
             if u in by_url and by_url[u] != p]
    assert pairs, "the sample content should have a related link to test"
    target = pairs[0][1]
    linkers = [p for p, t in pairs if t == target]
    text = linking[target]
    text = re.sub(r"^(title: )(.*)$", r"\1Renamed Question?", text, count=1, flags=re.M)
    text = re.sub(r"^(title: >-\n\s+)(.+)$", r"\1Renamed Question?", text, count=1, flags=re.M)
    target.write_text(text, encoding="utf-8")
    result = run_build(config(content, out, formats=["epub"], group_by="subject"))
    assert result.files_read == 1 and result.articles_rendered == 1
    for linker in linkers:
        subject = linker.parent.name
        with zipfile.ZipFile(out / "epub" / f"{subject}.epub") as book:
            chapters = "".join(book.read(n).decode() for n in book.namelist()
                               if n.startswith("EPUB/text/"))
        assert "Renamed Question?" in chapters, linker


def test_a_rerun_task_stages_only_the_files_whose_bytes_change(
        content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    run_build(config(content, out, formats=["jsonld"]))
    pages = sorted(p for p in (out / "jsonld").rglob("*.jsonld"))
    stamps = mtimes(out)
    path = sorted(content.rglob("*.md"))[3]
    revise_answer(path)
    staged: list[Path] = []
    real_write = exporter_module.atomic_write

    def counting(target: Path, data: bytes | str, durable: bool = True) -> Path:
        staged.append(target)
        return real_write(target, data, durable)

    monkeypatch.setattr(exporter_module, "atomic_write", counting)
    result = run_build(config(content, out, formats=["jsonld"]))
    assert result.tasks_run >= 1 and len(pages) > 3
    assert len(staged) == 1, staged  # the edited article's page; its book's others are kept
    changed = {k for k, v in mtimes(out).items() if stamps.get(k) != v}
    assert [Path(k).name for k in changed if k.endswith(".jsonld")] == [staged[0].name]
    reference = tmp_path / "reference"
    run_build(config(content, reference, formats=["jsonld"], cache=False))
    assert outputs(out) == outputs(reference)


def test_a_body_edit_skips_the_sitemap_and_a_flag_edit_reruns_it(content: Path,
                                                                 tmp_path: Path) -> None:
    assert {n for n, _ in EXCLUDING_FLAGS} | set(MODIFIED_FIELDS) <= set(INDEX_EXTRAS)
    out = tmp_path / "out"
    run_build(config(content, out, formats=["sitemap"]))
    path = sorted(content.rglob("*.md"))[2]
    url = re.search(r"^url: (\S+)$", path.read_text(encoding="utf-8"), flags=re.M)[1]
    assert url in (out / "sitemap" / "sitemap.xml").read_text(encoding="utf-8")
    text = path.read_text(encoding="utf-8")
    revise_answer(path)
    assert run_build(config(content, out, formats=["sitemap"])).tasks_run == 0
    path.write_text(text.replace("\nurl: ", "\nsitemap: false\nurl: ", 1), encoding="utf-8")
    assert run_build(config(content, out, formats=["sitemap"])).tasks_run == 1
    assert url not in (out / "sitemap" / "sitemap.xml").read_text(encoding="utf-8")


def test_the_sitemap_reads_the_index_alone_and_gets_every_date_and_flag(
        content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = sorted(content.rglob("*.md"))[3]
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\nurl: ", "\nlast_modified: 2031-02-03\nurl: ", 1),
                    encoding="utf-8")
    hidden = sorted(content.rglob("*.md"))[5]
    hidden.write_text(hidden.read_text(encoding="utf-8").replace(
        "\nurl: ", "\nnoindex: true\nurl: ", 1), encoding="utf-8")
    age(content)

    def from_the_store(*args: object) -> object:
        raise AssertionError("the sitemap read an article from the store")

    out = tmp_path / "out"
    with monkeypatch.context() as patched:
        patched.setattr("pressroom.build.lazy.StoredArticles.__iter__", from_the_store)
        patched.setattr("pressroom.build.lazy.StoredArticles.made", from_the_store)
        assert not run_build(config(content, out, formats=["sitemap"])).failures
    sitemap = (out / "sitemap" / "sitemap.xml").read_text(encoding="utf-8")
    assert "<lastmod>2031-02-03</lastmod>" in sitemap
    hidden_url = re.search(r"^url: (\S+)$", hidden.read_text(encoding="utf-8"), flags=re.M)[1]
    assert hidden_url not in sitemap and sitemap.count("<loc>") == 15
    reference = tmp_path / "reference"
    run_build(config(content, reference, formats=["sitemap", "epub"], cache=False))
    assert outputs(out)["sitemap/sitemap.xml"] == outputs(reference)["sitemap/sitemap.xml"]


def test_a_chunked_json_ld_book_matches_one_piece_and_an_edit_remakes_one_run(
        content: Path, tmp_path: Path) -> None:
    chunked = {"jsonld": {"chunk_articles": 2}}
    whole = tmp_path / "whole"
    run_build(config(content, whole, formats=["jsonld"]))
    out = tmp_path / "out"
    first = run_build(config(content, out, formats=["jsonld"], exporters=chunked))
    assert first.chunks_run >= 4
    assert outputs(out) == outputs(whole)
    path = sorted(content.rglob("*.md"))[3]
    revise_answer(path)
    again = run_build(config(content, out, formats=["jsonld"], exporters=chunked))
    assert again.chunks_run == 1
    reference = tmp_path / "reference"
    run_build(config(content, reference, formats=["jsonld"], cache=False))
    assert outputs(out) == outputs(reference)


def test_unchanged_content_reads_no_file_and_writes_nothing(
        content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    run_build(config(content, out))
    stamps = mtimes(out)

    def no_reading(path: Path) -> bytes:
        raise AssertionError(f"{path} was read again")

    monkeypatch.setattr("pressroom.build.scan.read_source", no_reading)
    scanned = check_content(config(content, out))
    assert (scanned.read, scanned.parsed, scanned.articles) == (0, 0, 16)
    result = run_build(config(content, out))
    assert (result.files_read, result.articles_rendered, result.tasks_run) == (0, 0, 0)
    assert result.written == [] and mtimes(out) == stamps


def test_a_warm_check_answers_from_its_summary_and_an_edit_invalidates_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    (content / "bad.md").write_text("---\ntitle: [unclosed\n---\nbody\n")
    age(content)
    out = tmp_path / "out"
    first = check_content(config(content, out))
    assert (first.articles, len(first.errors)) == (16, 1)

    def no_decoding(self: object, row: bytes) -> object:
        raise AssertionError("a record was decoded for an unchanged content")

    with monkeypatch.context() as patched:
        patched.setattr("pressroom.build.records.RowReader.__call__", no_decoding)
        warm = check_content(config(content, out))
    assert (warm.read, warm.articles, warm.records) == (0, 16, [])
    assert [str(e) for e in warm.errors] == [str(e) for e in first.errors]
    assert [str(w) for w in warm.warnings] == [str(w) for w in first.warnings]
    (content / "bad.md").write_text(
        "---\nid: 990001\ntitle: Fixed\nsubject: Physics\nanswer: Now it parses.\n"
        "url: /learn/physics/questions/fixed\n---\n")
    edited = check_content(config(content, out))
    assert (edited.read, edited.errors) == (1, [])
    assert edited.articles == 17
    assert len(check_content(config(content, out), records=True).records) == 17


def test_a_file_touched_in_the_moment_of_a_scan_is_hashed_not_trusted(
        content: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    path = next(content.rglob("*.md"))
    os.utime(path)  # modified "now": the next scan cannot trust size + mtime alone
    run_build(config(content, out))
    stat = path.stat()
    text = path.read_text(encoding="utf-8")
    start = text.index("answer: >-\n    ") + len("answer: >-\n    ")
    path.write_text(text[:start] + text[start].swapcase() + text[start + 1:], encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size, same mtime
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (stat.st_size, stat.st_mtime_ns)
    result = run_build(config(content, out))
    assert result.files_read == 1 and result.articles_rendered == 1


def test_no_cache_reads_and_renders_everything_with_the_same_bytes(content: Path,
                                                                   tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_build(config(content, out))
    before, stamps = outputs(out), mtimes(out)
    result = run_build(config(content, out, cache=False))
    assert (result.files_read, result.articles_rendered) == (16, 16)
    assert outputs(out) == before and mtimes(out) == stamps


def test_outputs_a_build_no_longer_makes_are_removed_and_only_those(content: Path,
                                                                    tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_build(config(content, out))
    physics = {name for name in outputs(out) if "physics" in name}
    assert {"epub/physics.epub", "jsonld/physics.ndjson"} < physics
    mine = out / "epub" / "my-notes.txt"
    mine.write_text("not pressroom's")
    shutil.rmtree(content / "physics")
    result = run_build(config(content, out))
    assert not any("physics" in name for name in outputs(out))
    assert {p.relative_to(out.resolve()).as_posix() for p in result.removed} == physics
    assert mine.read_text() == "not pressroom's"
    listed = set(outputs(out)) - {"epub/my-notes.txt"}
    done = clean(config(content, out))
    assert outputs(out) == {"epub/my-notes.txt": b"not pressroom's"}
    assert {p.relative_to(out.resolve()).as_posix() for p in done.removed} == listed
    assert not (out / ".cache" / "store.sqlite").exists()


def test_pdf_volumes_shrink_with_the_content(content: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    pdf = {"pdf": {"max_articles": 2}}
    run_build(config(content, out, formats=["pdf"], exporters=pdf))
    assert (out / "pdf" / "mathematics-vol-3.pdf").is_file()
    for path in sorted((content / "mathematics").glob("*.md"))[2:]:
        path.unlink()
    result = run_build(config(content, out, formats=["pdf"], exporters=pdf))
    assert sorted(p.name for p in (out / "pdf").glob("mathematics*")) == ["mathematics.pdf"]
    assert {p.name for p in result.removed} == {f"mathematics-vol-{n}.pdf" for n in (1, 2, 3)}


@pytest.mark.parametrize("where", ["/", "~", "content", "above"])
def test_dangerous_output_folders_are_refused_before_anything_is_read(
        where: str, content: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = {"/": Path("/"), "~": Path.home(), "content": content,
           "above": content.parent}[where]
    monkeypatch.setattr(loader, "read_source", lambda path: pytest.fail("read"))
    with pytest.raises(UnsafeOutput, match="refusing to build into"):
        check_out_dir(out, content)
    result = CliRunner().invoke(app, ["build", str(content), "--out", str(out)])
    assert result.exit_code == EXIT_USAGE and "refusing to build into" in result.stderr


def test_a_second_build_on_the_same_folder_stops_with_a_clear_message(
        content: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    with exclusive(out):
        with pytest.raises(BuildBusy, match="another pressroom build"):
            run_build(config(content, out))
        result = CliRunner().invoke(app, ["build", str(content), "--out", str(out)])
    assert result.exit_code == EXIT_EXPORTER
    assert "another pressroom build" in result.stderr and "Traceback" not in result.output
    assert not (out / "epub").exists()


def test_a_full_disk_is_one_line_and_exit_3_and_the_next_build_is_right(
        content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    run_build(config(content, out))
    before = outputs(out)
    next(content.rglob("*.md")).write_text(
        next(content.rglob("*.md")).read_text().replace("answer: >-\n    ", "answer: >-\n    X ",
                                                        1))
    real_replace = os.replace

    def full(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    _one_error_line(_cli_build(content, out), "No space left on device")
    assert outputs(out) == before
    monkeypatch.setattr(os, "replace", real_replace)
    run_build(config(content, out))
    reference = tmp_path / "reference"
    run_build(config(content, reference, cache=False))
    assert outputs(out) == outputs(reference)


@contextlib.contextmanager
def tmpfs(folder: Path, options: str) -> Iterator[Callable[[str], None]]:
    """A real tmpfs mounted on `folder` (skip where mounting is not allowed); yields remount."""
    folder.mkdir()
    if os.system(f"mount -t tmpfs -o {options} tmpfs {folder} 2>/dev/null") != 0:
        pytest.skip("cannot mount a tmpfs here")

    def remount(new_options: str) -> None:
        assert os.system(f"mount -o remount,{new_options} {folder}") == 0

    try:
        yield remount
    finally:
        os.system(f"umount -l {folder}")


def _cli_build(content: Path, out: Path) -> Result:
    return CliRunner().invoke(app, ["build", str(content), "--out", str(out), "-f",
                                    ",".join(FORMATS), "--base-url", BASE_URL])


def _one_error_line(result: Result, text: str) -> None:
    assert result.exit_code == EXIT_EXPORTER, result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and text in errors[0], errors
    assert "Traceback" not in result.output


def test_a_read_only_output_folder_is_one_line_and_exit_3(content: Path,
                                                         tmp_path: Path) -> None:
    out = tmp_path / "ro"
    with tmpfs(out, "size=16m") as remount:
        assert _cli_build(content, out).exit_code == 0
        before = outputs(out)
        _edit(next(content.rglob("*.md")), random.Random(1))
        remount("ro")
        _one_error_line(_cli_build(content, out), "Read-only file system")
        assert outputs(out) == before
        remount("rw")
        assert _cli_build(content, out).exit_code == 0
        run_build(config(content, tmp_path / "reference", cache=False))
        assert outputs(out) == outputs(tmp_path / "reference")


def test_a_full_disk_is_exit_3_and_the_next_build_on_a_roomy_one_is_right(
        content: Path, tmp_path: Path) -> None:
    out = tmp_path / "tiny"
    with tmpfs(out, "size=64k") as remount:
        _one_error_line(_cli_build(content, out), "cannot write to")
        remount("size=16m")
        assert _cli_build(content, out).exit_code == 0
        run_build(config(content, tmp_path / "reference", cache=False))
        assert outputs(out) == outputs(tmp_path / "reference")


def test_cached_parse_errors_are_reported_on_every_build(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "bad.md").write_text("---\ntitle: [unclosed\n---\nbody\n")
    age(content)
    out = tmp_path / "out"
    first = check_content(config(content, out))
    second = check_content(config(content, out))
    assert second.read == 0 and len(second.errors) == 1
    assert [str(e) for e in first.errors] == [str(e) for e in second.errors]
    assert isinstance(second.errors[0], ContentError)
    assert second.errors[0].line == first.errors[0].line == 3


def test_outputs_in_place_are_known_by_their_recorded_hash(
        content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    run_build(config(content, out))
    path = sorted(content.rglob("*.md"))[3]
    revise_answer(path)
    age(content)

    def refuse(*args: object) -> bool:
        raise AssertionError("an output in place was read back to compare")

    with monkeypatch.context() as patched:
        patched.setattr(exporter_module, "same_bytes", refuse)
        result = run_build(config(content, out))
    assert result.tasks_run >= 1 and result.unchanged > 1
    assert outputs(out) == clean_outputs(content, tmp_path / "clean")
    victim = next(out.glob("jsonld/**/*.jsonld"))
    victim.write_bytes(victim.read_bytes().replace(b"{", b"[", 1))  # same size, new mtime
    path.write_text(path.read_text(encoding="utf-8").replace("Revised. ", "", 1),
                    encoding="utf-8")
    age(content)
    run_build(config(content, out))
    assert outputs(out) == clean_outputs(content, tmp_path / "clean-again")


def clean_outputs(content: Path, out: Path) -> dict[str, bytes]:
    """The outputs of a build of `content` with no store behind it."""
    run_build(config(content, out, cache=False))
    return outputs(out)
