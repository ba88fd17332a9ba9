"""Running git on the content folder: one helper, and the commit a build's history is at."""

from __future__ import annotations

import shutil
import subprocess
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
