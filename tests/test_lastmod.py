"""lastmod = "git": a page's last change from its file's last commit, in full and shallow clones."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from pressroom.errors import ContentError
from pressroom.gitstate import git_history
from pressroom.lastmod import LastModified, day
from pressroom.model import Article

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(folder: Path, *args: str, when: str = "2024-01-01T12:00:00+00:00") -> None:
    """Run git in `folder` as a fixed author, with author and commit dates `when`."""
    env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when,
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org",
                    "-c", "init.defaultBranch=main", "-c", "protocol.file.allow=always",
                    *args], cwd=folder, env=env, check=True, capture_output=True)


def article(source: Path, date: dt.date | None = dt.date(2024, 1, 1), **extra: object) -> Article:
    """An article read from `source`."""
    return Article(id=1, key=source.stem, slug=source.stem, title="T", question="T",
                   body_md="b", subject="S", url=f"/{source.stem}", source=source,
                   profile="generic", date=date, extra=extra)


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A repository with three commits: a and b added, b edited, then c added."""
    root = tmp_path_factory.mktemp("repo")
    content = root / "content"
    content.mkdir()
    git(root, "init", "-q")
    for name in ("a", "b"):
        (content / f"{name}.md").write_text(name)
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "one", when="2024-02-01T10:00:00+00:00")
    (content / "b.md").write_text("b, edited")
    git(root, "commit", "-q", "-am", "two", when="2024-03-05T23:30:00-02:00")
    (content / "c.md").write_text("c")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "three", when="2024-04-01T08:00:00+00:00")
    (content / "untracked.md").write_text("u")
    return content


def resolver(content: Path) -> tuple[LastModified, list[str], list[ContentError]]:
    """A git lastmod resolver for `content`, with the warnings and errors it reports."""
    warnings: list[str] = []
    errors: list[ContentError] = []
    return (LastModified("git", lambda: git_history(content, warnings.append), errors.append),
            warnings, errors)


def test_last_commit_of_each_file(repo: Path) -> None:
    lastmod, warnings, errors = resolver(repo)
    got = {name: lastmod(article(repo / f"{name}.md")) for name in ("a", "b", "c")}
    assert {name: day(moment) for name, moment in got.items()} == {  # type: ignore[arg-type]
        "a": "2024-02-01", "b": "2024-03-06", "c": "2024-04-01"}
    assert got["b"] == dt.datetime(2024, 3, 5, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=-2)))
    assert not warnings and not errors


def test_front_matter_wins_and_untracked_files_fall_back_to_date(repo: Path) -> None:
    lastmod, _, _ = resolver(repo)
    assert lastmod(article(repo / "a.md", last_modified="2024-05-05")) == dt.date(2024, 5, 5)
    assert lastmod(article(repo / "untracked.md")) == dt.date(2024, 1, 1)
    assert lastmod(article(repo / "untracked.md", date=None)) is None


def test_front_matter_policy_never_reads_git(repo: Path) -> None:
    lastmod = LastModified("front_matter", lambda: pytest.fail("read git"), print)
    assert lastmod(article(repo / "c.md")) == dt.date(2024, 1, 1)


def test_shallow_clone_keeps_real_dates_and_says_which_are_unknown(
        repo: Path, tmp_path: Path) -> None:
    git(tmp_path, "clone", "-q", "--depth", "2", f"file://{repo.parent}", "clone")
    content = tmp_path / "clone" / "content"
    lastmod, warnings, _ = resolver(content)
    assert day(lastmod(article(content / "c.md"))) == "2024-04-01"  # type: ignore[arg-type]
    # The boundary commit shows every file as added: no real change date for a or b.
    assert lastmod(article(content / "a.md")) == dt.date(2024, 1, 1)
    assert lastmod(article(content / "b.md")) == dt.date(2024, 1, 1)
    assert len(warnings) == 1 and "shallow clone; 2 files" in warnings[0]


def test_without_git_a_clear_warning_and_dates(repo: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    lastmod, warnings, _ = resolver(repo)
    assert lastmod(article(repo / "c.md")) == dt.date(2024, 1, 1)
    assert warnings == ['lastmod = "git": git is not installed; lastmod falls back to '
                        "front-matter dates"]


def test_outside_a_repository_a_clear_warning(tmp_path: Path) -> None:
    lastmod, warnings, _ = resolver(tmp_path)
    assert lastmod(article(tmp_path / "x.md")) == dt.date(2024, 1, 1)
    assert len(warnings) == 1 and "not in a git repository" in warnings[0]
