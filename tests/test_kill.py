"""Crash safety: a build killed with SIGKILL leaves every output old-and-whole or new-and-whole."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from pypdf import PdfReader

from .conftest import BASE_URL, CONTENT

BUILD = [sys.executable, "-c", "from pressroom.cli import app; app()", "build"]
DELAYS = (0.3, 1.0, 1.8, 2.6, 3.4)  # seconds after start: imports, render, each exporter
# Kill the moment the n-th file event is seen: a temp file appears or a final file changes.
EVENT_COUNTS = (1, 2, 4, 7, 11)
LEFTOVER = re.compile(r"\..+\.[^.]+\.tmp")  # atomic_open's mkstemp names: .<final>.<rand>.tmp

pytestmark = pytest.mark.skipif(os.name != "posix", reason="needs SIGKILL")


def _start(content: Path, out: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([*BUILD, str(content), "--out", str(out), "--base-url", BASE_URL],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)


def _finish(process: subprocess.Popen[bytes]) -> None:
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 0, stderr.decode()


def _kill(process: subprocess.Popen[bytes]) -> bool:
    """SIGKILL the build unless it already finished; True when the kill cut it short."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)  # our own session: the build and nothing else
    process.communicate(timeout=30)
    return process.returncode == -signal.SIGKILL


def _outputs(out: Path) -> dict[str, bytes]:
    """Every final output (no cache, no temp files) by path relative to `out`."""
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in _files(out)
            if not LEFTOVER.fullmatch(p.name)}


def _files(out: Path) -> list[Path]:
    """Files in the format folders (the math cache is SQLite's own business)."""
    return sorted(p for p in out.glob("*/*") if p.is_file() and p.parent.name != ".cache")


def _stamps(out: Path) -> dict[str, tuple[int, int, int]]:
    """(inode, mtime, size) of every file in the format folders; missing files are skipped."""
    stamps = {}
    for path in _files(out):
        try:
            stat = path.stat()
        except FileNotFoundError:  # a temp file renamed away under us
            continue
        stamps[path.name] = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
    return stamps


def _temp_files(out: Path) -> list[Path]:
    return [p for p in _files(out) if p.name.startswith(".")]


def _assert_whole(path: Path) -> None:
    """The file parses completely as what its name says it is."""
    if path.suffix == ".epub":
        with zipfile.ZipFile(path) as archive:
            assert archive.testzip() is None and archive.read("mimetype") == b"application/epub+zip"
    elif path.suffix == ".pdf":
        assert len(PdfReader(path, strict=True).pages) > 0
    elif path.suffix == ".jsonld":
        assert json.loads(path.read_bytes())["@graph"]
    elif path.suffix == ".ndjson":
        assert all(json.loads(line)["@graph"] for line in path.read_bytes().splitlines())
    elif path.suffix == ".xml":
        assert etree.parse(str(path)).getroot().tag.endswith(("urlset", "}feed"))
    elif path.suffix == ".json":
        assert json.loads(path.read_bytes())["version"].startswith("https://jsonfeed.org/")
    else:
        assert path.read_text().startswith("Sitemap: ")


def _revise(content: Path) -> None:
    """Move every article a year on, so every book, feed and the sitemap change."""
    for path in content.rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"^date: (\d{4})-", lambda m: f"date: {int(m[1]) + 1}-", text,
                               flags=re.MULTILINE), encoding="utf-8")


def _use(version: Path, work: Path) -> None:
    """Make the content folder `work` hold `version`'s files (fresh mtimes, same paths)."""
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(version, work)


def test_sigkill_never_leaves_a_broken_output(tmp_path: Path) -> None:
    old_content, new_content = tmp_path / "old" / "content", tmp_path / "new" / "content"
    shutil.copytree(CONTENT, old_content)
    shutil.copytree(CONTENT, new_content)
    _revise(new_content)
    out, reference = tmp_path / "out", tmp_path / "reference"
    work = tmp_path / "work" / "content"
    _use(old_content, work)
    builds = [_start(work, out), _start(new_content, reference)]
    for process in builds:
        _finish(process)
    old, new = _outputs(out), _outputs(reference)
    assert old.keys() == new.keys() and len(old) >= 10
    assert {name for name in old if old[name] != new[name]} == set(old) - {"sitemap/robots.txt"}

    def check(when: str) -> None:
        now = _outputs(out)
        assert now.keys() == old.keys(), when  # nothing that stood is ever missing
        for name, data in now.items():
            assert data in (old[name], new[name]), f"{name} is neither version after {when}"
            _assert_whole(out / name)
        assert all(LEFTOVER.fullmatch(p.name) for p in _temp_files(out)), when

    # Each killed build flips the content between the two versions, so every incremental
    # build has real work: outputs the last build finished are rewritten, others kept.
    kills = 0
    for n, delay in enumerate(DELAYS):
        _use(new_content if n % 2 == 0 else old_content, work)
        process = _start(work, out)
        time.sleep(delay)
        kills += _kill(process)
        check(f"a kill at {delay} s")
    for n, count in enumerate(EVENT_COUNTS):
        _use(old_content if n % 2 == 0 else new_content, work)
        before = _stamps(out)
        process = _start(work, out)
        events: set[str] = set()
        while process.poll() is None and len(events) < count:
            now = _stamps(out)
            events.update(name for name, stamp in now.items() if before.get(name) != stamp)
            time.sleep(0.0005)
        kills += _kill(process)
        check(f"a kill at file event {count}")
    assert kills >= len(EVENT_COUNTS), "too few builds were killed mid-way to test anything"

    _use(new_content, work)
    _finish(_start(work, out))
    assert _outputs(out) == new
    stamps = _stamps(out)
    _finish(_start(work, out))  # nothing changed: nothing is rewritten
    assert _outputs(out) == new and _stamps(out) == stamps
