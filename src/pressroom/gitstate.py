"""Running git on the content folder: one helper, and the commit a build's history is at."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from collections.abc import Callable, Mapping
from functools import lru_cache
from pathlib import Path


def run_git(git: str, folder: Path, *args: str) -> str:
    """git's standard output for `args`, run in `folder`; CalledProcessError when it fails."""
    return subprocess.run([git, "-C", str(folder), *args], check=True, capture_output=True,
                          text=True, encoding="utf-8", errors="surrogateescape").stdout


def history_state(folder: Path) -> str:
    """The commit `folder` is at, for build keys: file history moves only with HEAD."""
    git = shutil.which("git")
    if git is None:
        return "no git"
    try:
        return run_git(git, folder, "rev-parse", "HEAD").strip()
    except subprocess.CalledProcessError:
        return "no repository"


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
        top = Path(run_git(git, folder, "rev-parse", "--show-toplevel").strip())
        head = run_git(git, folder, "rev-parse", "HEAD").strip()
    except subprocess.CalledProcessError:
        warn(f'lastmod = "git": {folder} is not in a git repository with commits; '
             "lastmod falls back to front-matter dates")
        return {}
    shallow = folder / run_git(git, folder, "rev-parse", "--git-path", "shallow").strip()
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
    log = run_git(git, Path(folder), "log", "--format=%x01%H %cI", "--name-only", "-z",
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
