"""When a page last changed: front matter (or the profile's modified date), else its file's
last git commit, else its date."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from collections.abc import Callable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from pressroom.errors import ContentError
from pressroom.gitstate import run_git as _git
from pressroom.model import Article
from pressroom.seo import front_matter

MODIFIED_FIELDS = ("last_modified", "dateModified")
Moment = dt.date | dt.datetime


def day(moment: Moment) -> str:
    """`YYYY-MM-DD` of a date or an aware datetime (in UTC)."""
    return (moment.astimezone(dt.UTC).date() if isinstance(moment, dt.datetime)
            else moment).isoformat()


def timestamp(moment: Moment) -> dt.datetime:
    """An aware datetime for feeds that need one: a bare date is its midnight UTC."""
    if isinstance(moment, dt.datetime):
        return moment
    return dt.datetime(moment.year, moment.month, moment.day, tzinfo=dt.UTC)


def _parse(value: Any) -> Moment | None:
    """A front-matter date or datetime (YAML value or ISO 8601 text); naive times are UTC."""
    if isinstance(value, str):
        text = value.strip()
        try:
            value = dt.date.fromisoformat(text) if len(text) == 10 else \
                dt.datetime.fromisoformat(text)
        except ValueError:
            return None
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    return value if isinstance(value, dt.date) else None


class LastModified:
    """Resolves each article's last change; reads git history once, when `source` is git."""

    def __init__(self, source: str, content_dir: Path, warn: Callable[[str], None],
                 report: Callable[[ContentError], None]) -> None:
        self._history = git_history(content_dir, warn) if source == "git" else {}
        self._report = report

    def __call__(self, article: Article) -> Moment | None:
        """The article's last change, never earlier than its publication date."""
        found = front_matter(article, *MODIFIED_FIELDS)
        moment: Moment | None = None
        if found is not None:
            moment = _parse(found[1])
            if moment is None:
                self._report(ContentError(
                    article.source, article.line_of(found[0]),
                    f"unparsable {found[0]} {found[1]!r}", "write it as YYYY-MM-DD"))
        if moment is None:
            moment = article.modified  # a profile's own field: Hugo lastmod, Jekyll's
        if moment is None and self._history:
            moment = self._history.get(article.source.resolve())
        if moment is None or (article.date and day(moment) < article.date.isoformat()):
            return article.date
        return moment


def git_history(folder: Path, warn: Callable[[str], None]) -> Mapping[Path, dt.datetime]:
    """Each committed file under `folder` with its last commit's time; {} with a warning if none.

    In a shallow clone the boundary commits show every file as added, which is no real
    change date: files last seen there are left out (their lastmod falls back to `date`).
    """
    git = shutil.which("git")
    if git is None:
        warn('lastmod = "git": git is not installed; lastmod falls back to front-matter dates')
        return {}
    try:
        top = Path(_git(git, folder, "rev-parse", "--show-toplevel").strip())
        head = _git(git, folder, "rev-parse", "HEAD").strip()
    except subprocess.CalledProcessError:
        warn(f'lastmod = "git": {folder} is not in a git repository with commits; '
             "lastmod falls back to front-matter dates")
        return {}
    shallow = folder / _git(git, folder, "rev-parse", "--git-path", "shallow").strip()
    boundary = frozenset(shallow.read_text().split()) if shallow.is_file() else frozenset()
    history, unknown = _history(git, str(folder.resolve()), top, head, boundary)
    if unknown:
        warn(f'lastmod = "git": shallow clone; {unknown} files have no commit inside the '
             "fetched history, so their lastmod falls back to `date` (fetch more with "
             "`git fetch --deepen`)")
    return history


@lru_cache(maxsize=4)
def _history(git: str, folder: str, top: Path, head: str,
             boundary: frozenset[str]) -> tuple[Mapping[Path, dt.datetime], int]:
    """Newest commit time per file from one `git log` pass (cached per commit)."""
    log = _git(git, Path(folder), "log", "--format=%x01%H %cI", "--name-only", "-z",
               "--no-renames", "--", ".")
    history: dict[Path, dt.datetime] = {}
    unknown: set[Path] = set()
    when, at_boundary = None, False
    for token in log.split("\0"):
        token = token.lstrip("\n")
        if token.startswith("\x01"):
            sha, _, stamp = token[1:].partition(" ")
            when, at_boundary = dt.datetime.fromisoformat(stamp), sha in boundary
        elif token and when is not None:
            path = top / token
            if path in history or path in unknown:
                continue
            if at_boundary:
                unknown.add(path)
            else:
                history[path] = when
    return history, len(unknown)
