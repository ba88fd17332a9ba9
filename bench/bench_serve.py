"""Time from saving an article to its open page showing the change, under `pressroom serve`."""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from generate_corpus import main as generate
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync")


def start(content: Path, out: Path, formats: str) -> tuple[subprocess.Popen[str], str]:
    """`pressroom serve` on a free port; returns the process and its address."""
    process = subprocess.Popen([sys.executable, "-m", "pressroom", "serve", str(content),
                                "--out", str(out), "--format", formats, "--port", "0"],
                               stdout=subprocess.PIPE, text=True)
    started = time.monotonic()
    for line in process.stdout or ():
        if "Serving" in line:
            print(f"first build and start: {time.monotonic() - started:.1f} s")
            return process, line.split(" at ", 1)[1].split()[0].rstrip("/")
    raise SystemExit("pressroom serve did not start")


def main() -> None:
    """Generate a corpus, serve it, then save one article `--saves` times and time each."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--saves", type=int, default=5)
    parser.add_argument("--format", default="epub", help="formats besides html")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    generate(["--count", str(args.count), str(root / "content")])
    source = sorted((root / "content").rglob("*.md"))[args.count // 2]
    url_path = next(line.split(":", 1)[1].strip() for line in
                    source.read_text(encoding="utf-8").splitlines() if line.startswith("url:"))
    process, address = start(root / "content", root / "out", args.format)
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or ""
    for flag in (*FLAGS, f"--user-data-dir={root / 'profile'}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options,
                              service=Service(executable_path=shutil.which("chromedriver")))
    timings = []
    try:
        driver.get(address + url_path)
        for n in range(args.saves):
            marker = f"Saved edit number {n}."
            text = source.read_text(encoding="utf-8")
            saved = time.monotonic()
            source.write_text(text.replace("answer: >-\n", f"answer: >-\n    {marker} ", 1),
                              encoding="utf-8")
            WebDriverWait(driver, 60, poll_frequency=0.02,
                          ignored_exceptions=(StaleElementReferenceException,)).until(
                lambda d, m=marker: m in d.find_element(By.TAG_NAME, "main").text)
            timings.append(time.monotonic() - saved)
            print(f"save {n + 1}: page shows the change after {timings[-1]:.2f} s")
            time.sleep(2)  # let the downloads' rebuild finish before the next save
    finally:
        driver.quit()
        process.terminate()
        process.wait()
        shutil.rmtree(root, ignore_errors=True)
    print(f"{args.count} articles: median {statistics.median(timings):.2f} s, "
          f"max {max(timings):.2f} s from save to reloaded page")


if __name__ == "__main__":
    main()
