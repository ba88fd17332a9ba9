"""`pressroom serve` as a subprocess, driven in Debian's headless Chromium through Selenium."""

from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from .conftest import BASE_URL, CONTENT

MATRICES = "/learn/mathematics/questions/how-do-you-multiply-two-2x2-matrices"
MATRICES_FILE = Path("mathematics") / "how-do-you-multiply-two-2x2-matrices.md"
STARTUP_SECONDS = 120
RELOAD_SECONDS = 10
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                  "--window-size=1100,1400")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None or CHROMEDRIVER is None,
    reason="Debian's chromium and chromium-driver are not installed (.ci/run installs them)")


@dataclass
class Preview:
    """A running `pressroom serve`: its process, address and content folder."""

    process: subprocess.Popen[str]
    url: str
    content: Path
    out: Path


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Preview]:
    """`pressroom serve` on a free port over a copy of content/ (html and epub)."""
    root = tmp_path_factory.mktemp("preview")
    shutil.copytree(CONTENT, root / "content")
    command = [sys.executable, "-m", "pressroom", "serve", str(root / "content"),
               "--out", str(root / "out"), "--format", "epub", "--base-url", BASE_URL,
               "--port", "0", "--jobs", "1"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    deadline = time.monotonic() + STARTUP_SECONDS
    line = ""
    while "Serving" not in line and time.monotonic() < deadline:
        line = process.stdout.readline() if process.stdout else ""
        if not line and process.poll() is not None:
            pytest.fail(f"pressroom serve exited: {process.communicate()[1]}")
    url = line.split(" at ", 1)[1].split()[0]
    yield Preview(process, url.rstrip("/"), root / "content", root / "out")
    if process.poll() is None:
        process.kill()
        process.wait()


def raw_get(preview: Preview, path: str) -> int:
    """The status of GET `path` sent byte for byte (no client normalises the dots away)."""
    address = urlsplit(preview.url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=10)
    try:
        connection.putrequest("GET", path, skip_accept_encoding=True)
        connection.endheaders()
        return connection.getresponse().status
    finally:
        connection.close()


def test_it_listens_on_loopback_and_refuses_path_traversal(preview: Preview) -> None:
    assert urlsplit(preview.url).hostname == "127.0.0.1"
    assert raw_get(preview, MATRICES) == 200
    for path in ("/../../../../etc/passwd", "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
                 "/..%2f..%2f..%2fetc%2fpasswd", "/_pressroom/files/epub/../../.cache/lock",
                 "/_pressroom/files/epub/%2e%2e/.cache/lock", "//etc/passwd"):
        assert raw_get(preview, path) == 404, path


@needs_chromium
def test_the_page_renders_and_follows_each_save(preview: Preview, tmp_path: Path) -> None:
    from selenium import webdriver
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    wait = WebDriverWait(driver, RELOAD_SECONDS, poll_frequency=0.05,  # a reload may land
                         ignored_exceptions=(StaleElementReferenceException,))  # mid-read
    try:
        driver.get(preview.url + MATRICES)
        assert driver.title == "How do you multiply two 2x2 matrices?"
        math = driver.execute_script(
            "const m = document.querySelector('math[display=block]');"
            "const table = m.querySelector('mtable').getBoundingClientRect();"
            "const cell = m.querySelector('mtd mi').getBoundingClientRect();"
            "return {mathml: m instanceof MathMLElement, display: getComputedStyle(m).display,"
            " table: [table.width, table.height], cell: [cell.width, cell.height],"
            " stacked: cell.top - table.top < table.height / 2};")
        # Laid out as MathML: the 2x2 table stands two cells tall, the first cell on top.
        assert math["mathml"] and "math" in math["display"], math
        assert math["table"][1] > 1.6 * math["cell"][1] > 0 and math["stacked"], math
        graph = json.loads(driver.execute_script(
            "return document.querySelector('script[type=\"application/ld+json\"]').text"))
        assert graph["@graph"][2]["url"] == BASE_URL + MATRICES
        driver.save_screenshot(str(tmp_path / "article.png"))

        source = preview.content / MATRICES_FILE
        text = source.read_text(encoding="utf-8")
        driver.execute_script("window.notReloaded = true")
        saved = time.monotonic()
        source.write_text(text.replace("Multiplying two matrices", "Multiplying two live "
                                       "matrices"), encoding="utf-8")
        wait.until(lambda d: "two live matrices" in d.find_element(By.TAG_NAME, "main").text)
        reload_seconds = time.monotonic() - saved
        assert driver.execute_script("return window.notReloaded === undefined")
        print(f"save to reloaded page: {reload_seconds:.2f} s")

        broken = text.replace("Multiplying two matrices", "Multiplying two live matrices")
        source.write_text(broken.replace("date: 2024-03-05\n", "date: [2024-03-05\n"),
                          encoding="utf-8")
        shown = wait.until(lambda d: d.find_elements(By.ID, "pressroom-preview-status"))
        assert f"{source}:" in shown[0].text
        line = shown[0].text.split(f"{source}:", 1)[1].split(":", 1)[0]
        assert line.isdigit()
        assert "two live matrices" in driver.find_element(By.TAG_NAME, "main").text
        driver.save_screenshot(str(tmp_path / "error.png"))
        driver.get(preview.url + MATRICES)  # the last good version is what a new visit gets
        assert "two live matrices" in driver.find_element(By.TAG_NAME, "main").text

        source.write_text(text, encoding="utf-8")
        wait.until(lambda d: "two live matrices" not in d.find_element(By.TAG_NAME, "main").text)
        wait.until(lambda d: not d.find_elements(By.ID, "pressroom-preview-status"))
    finally:
        driver.quit()


def test_ctrl_c_stops_it_cleanly(preview: Preview) -> None:
    preview.process.send_signal(signal.SIGINT)
    code = preview.process.wait(timeout=30)
    errors = preview.process.stderr.read() if preview.process.stderr else ""
    assert code == 0, errors
    assert "Traceback" not in errors and "stopped" in errors
