"""EPUB MathML in real engines: cases braces, \\left…\\right and matrix fences stretch as in TeX.

The built chapter is served over loopback and opened in Debian's headless Chromium and in
WebKitGTK (WebKitWebDriver's MiniBrowser, on an Xvfb display this test starts). Each
stretchy delimiter is measured against the math's font size; the f(x) parentheses,
which must not stretch, show that the measurement tells the two apart.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import threading
import zipfile
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import build
from tests.test_browser import CHROMEDRIVER, CHROMIUM, CHROMIUM_FLAGS

WEBKIT_DRIVER = shutil.which("WebKitWebDriver")
XVFB = shutil.which("Xvfb")
CHAPTER = "EPUB/text/which-delimiters-stretch.xhtml"
ARTICLE = r"""---
title: Which delimiters stretch?
date: 2024-01-01
tags: [math]
---
A piecewise function:

$$
f(x) = \begin{cases} x^2 & x < 0 \\ 2x + 1 & 0 \le x \le 3 \\ 7 & x > 3 \end{cases}
$$

A fraction in parentheses:

$$
g = \left( \frac{a + b}{c + d} \right)
$$

A matrix:

$$
M = \begin{pmatrix} 1 & 2 \\ 3 & 4 \end{pmatrix}
$$
"""
# Resolves once the book's fonts have loaded and been painted: each formula's font size, the
# height of every parenthesis and brace in it, and the font faces the page loaded.
MEASURE = """
const done = arguments[arguments.length - 1];
const painted = () => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
document.fonts.ready.then(painted).then(() => done({
  formulas: Array.from(document.querySelectorAll('math')).map(m => ({
    size: parseFloat(getComputedStyle(m).fontSize),
    fences: Array.from(m.querySelectorAll('mo'))
      .filter(o => ['(', ')', '{'].includes(o.textContent.trim()))
      .map(o => [o.textContent.trim(), o.getBoundingClientRect().height])})),
  loaded: Array.from(document.fonts).filter(f => f.status === 'loaded').map(f => f.family),
}));
"""


class QuietHandler(SimpleHTTPRequestHandler):
    """Serves the unpacked book without logging each request."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (base signature)
        """Say nothing."""


@pytest.fixture(scope="module")
def chapter_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The built chapter, unpacked and served on loopback as a reading system would load it."""
    root = tmp_path_factory.mktemp("stretchy")
    (root / "content").mkdir()
    (root / "content" / "which-delimiters-stretch.md").write_text(ARTICLE, encoding="utf-8")
    result = build(root / "content", root / "out", ["epub"])
    assert not result.errors and not result.failures and not result.warnings
    (book,) = (root / "out" / "epub").glob("*.epub")
    with zipfile.ZipFile(book) as archive:
        archive.extractall(root / "book")
    handler = functools.partial(QuietHandler, directory=str(root / "book"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/{CHAPTER}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def x_display() -> Iterator[str]:
    """A private Xvfb display for WebKitGTK, which has no headless mode."""
    read, write = os.pipe()
    process = subprocess.Popen([XVFB, "-displayfd", str(write), "-screen", "0", "1100x1400x24",
                                "-nolisten", "tcp"], pass_fds=(write,),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    assert number, "Xvfb did not start"
    yield f":{number}"
    process.terminate()
    process.wait(timeout=30)


def measure_in_chromium(url: str, screenshot: Path) -> dict[str, Any]:
    """The measurements in headless Chromium."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={screenshot.parent / 'chromium-profile'}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    return _measure(driver, url, screenshot)


def measure_in_webkit(url: str, screenshot: Path, display: str) -> dict[str, Any]:
    """The measurements in WebKitGTK's MiniBrowser."""
    from selenium import webdriver
    from selenium.webdriver.webkitgtk.service import Service

    service = Service(executable_path=WEBKIT_DRIVER, env={**os.environ, "DISPLAY": display})
    driver = webdriver.WebKitGTK(options=webdriver.WebKitGTKOptions(), service=service)
    driver.set_window_size(1100, 1400)
    return _measure(driver, url, screenshot)


def _measure(driver: Any, url: str, screenshot: Path) -> dict[str, Any]:
    try:
        driver.set_script_timeout(30)
        driver.get(url)
        found = driver.execute_async_script(MEASURE)
        driver.save_screenshot(str(screenshot))
        return found
    finally:
        driver.quit()


def assert_delimiters_stretch(found: dict[str, Any]) -> None:
    """Braces and fences around tall content stand taller than a line; f(x)'s stay one line."""
    assert "STIX Two Math" in " ".join(found["loaded"]), found  # the book's own math font
    cases, fraction, matrix = found["formulas"]
    size = cases["size"]
    plain = [h for char, h in cases["fences"] if char in "()"]
    (brace,) = [h for char, h in cases["fences"] if char == "{"]
    assert len(plain) == 2 and all(h < 1.5 * size for h in plain), cases
    assert brace > 2.5 * size, cases  # three rows
    for formula in (fraction, matrix):  # two rows each
        heights = [h for _, h in formula["fences"]]
        assert len(heights) == 2 and all(h > 1.8 * formula["size"] for h in heights), formula


@pytest.mark.skipif(CHROMIUM is None or CHROMEDRIVER is None,
                    reason="Debian's chromium and chromium-driver are not installed "
                    "(.ci/run installs them)")
def test_chromium_stretches_cases_fences_and_matrices(chapter_url: str, tmp_path: Path) -> None:
    assert_delimiters_stretch(measure_in_chromium(chapter_url, tmp_path / "chromium.png"))


@pytest.mark.skipif(WEBKIT_DRIVER is None or XVFB is None,
                    reason="WebKitGTK needs Debian's webkit2gtk-driver and xvfb (.ci/run "
                    "installs them)")
def test_webkit_stretches_cases_fences_and_matrices(chapter_url: str, x_display: str,
                                                    tmp_path: Path) -> None:
    assert_delimiters_stretch(measure_in_webkit(chapter_url, tmp_path / "webkit.png",
                                                x_display))
