"""pressroom serve in-process: clean URLs, nothing outside the output folder, safe rebuilds."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from pressroom.config import BuildConfig
from pressroom.serve import Rebuilder
from pressroom.serve.app import EVENTS, SCRIPT, make_app
from pressroom.serve.hub import Hub, Status
from pressroom.themes import Theme

from .conftest import BASE_URL, CONTENT

MATRICES = "/learn/mathematics/questions/how-do-you-multiply-two-2x2-matrices"
MATRICES_FILE = Path("mathematics") / "how-do-you-multiply-two-2x2-matrices.md"
NEWTON_FILE = Path("physics") / "what-is-newtons-second-law-and-how-is-it-applied.md"
BROKEN_DATE = "date: [2024-03-05\n"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> tuple[Rebuilder, TestClient]:
    """content/ built as html and epub, and a client for the preview app over it."""
    root = tmp_path_factory.mktemp("serve")
    shutil.copytree(CONTENT, root / "content")
    config = BuildConfig(content=root / "content", out=root / "out", formats=["html", "epub"],
                         base_url=BASE_URL, jobs=1)
    rebuilder = Rebuilder(config, publish=lambda status: None, log=lambda message: None)
    assert not rebuilder.first_build().errors
    (root / "secret.txt").write_text("not for the web", encoding="utf-8")
    os.symlink(root / "secret.txt", config.out / "html" / "leak.html")
    app = make_app(config.out, rebuilder.downloads, Theme.load(), Hub(Status(7)))
    return rebuilder, TestClient(app)


def test_an_article_is_served_at_its_url_path(served: tuple[Rebuilder, TestClient]) -> None:
    _, client = served
    page = client.get(MATRICES)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "<title>How do you multiply two 2x2 matrices?</title>" in page.text
    assert f'<script src="{SCRIPT}" data-events="{EVENTS}" data-version="7"' in page.text
    assert client.get("/learn/mathematics").status_code == 200
    assert "Study guides" in client.get("/").text
    assert client.get("/css/screen.css").headers["content-type"].startswith("text/css")
    assert client.get(SCRIPT).text.startswith("// pressroom serve")


@pytest.mark.parametrize("path", [
    "/../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt", "/learn/..%2f..%2fsecret.txt",
    "/leak.html", "/leak", "/%2e%2e/.cache/lock", "/_pressroom/files/epub/..%2f.cache/lock",
    "/_pressroom/files/epub/%2e%2e/html/index.html", "/_pressroom/files/html/index.html",
    "/%00", "/learn/" + "a" * 300,
])
def test_nothing_outside_the_served_folders(served: tuple[Rebuilder, TestClient],
                                            path: str) -> None:
    _, client = served
    response = client.get(path)
    assert response.status_code == 404
    assert "not for the web" not in response.text


def test_downloads_are_listed_and_served(served: tuple[Rebuilder, TestClient]) -> None:
    _, client = served
    listing = client.get("/_pressroom/")
    assert '/_pressroom/files/epub/mathematics.epub' in listing.text
    book = client.get("/_pressroom/files/epub/mathematics.epub")
    assert book.status_code == 200 and book.content[:2] == b"PK"


def test_the_event_stream_opens_with_the_status(served: tuple[Rebuilder, TestClient]) -> None:
    hub = Hub(Status(3, errors=("a.md:4: bad",)))
    hub.close()  # the stream sends the current status, then ends
    _, client = served
    app = make_app(served[0].config.out, [], Theme.load(), hub)
    with TestClient(app).stream("GET", EVENTS) as stream:
        body = "".join(stream.iter_text())
    assert stream.headers["content-type"].startswith("text/event-stream")
    assert body == 'event: status\ndata: {"version": 3, "errors": ["a.md:4: bad"], ' \
                   '"note": ""}\n\n'


def test_a_new_error_keeps_the_last_good_pages(tmp_path: Path) -> None:
    shutil.copytree(CONTENT, tmp_path / "content")
    config = BuildConfig(content=tmp_path / "content", out=tmp_path / "out",
                         formats=["html"], base_url=BASE_URL, jobs=1)
    seen: list[Status] = []
    rebuilder = Rebuilder(config, publish=seen.append, log=lambda message: None)
    rebuilder.first_build()
    page = config.out / "html" / (MATRICES.lstrip("/") + ".html")
    good = page.read_bytes()
    source = config.content / MATRICES_FILE
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("date: 2024-03-05\n", BROKEN_DATE), encoding="utf-8")
    rebuilder.rebuild()
    assert seen[-1].version == 0 and page.read_bytes() == good
    assert seen[-1].errors and seen[-1].errors[0].startswith(f"{source}:")
    assert seen[-1].errors[0].split(":")[1].isdigit()

    source.write_text(text.replace("Multiplying two", "Multiplying any two"), encoding="utf-8")
    rebuilder.rebuild()
    assert seen[-1] == Status(1) and b"Multiplying any two" in page.read_bytes()


def test_files_broken_from_the_start_do_not_hold_rebuilds_back(tmp_path: Path) -> None:
    shutil.copytree(CONTENT, tmp_path / "content")
    broken = tmp_path / "content" / MATRICES_FILE
    broken.write_text(broken.read_text(encoding="utf-8").replace(
        "date: 2024-03-05\n", BROKEN_DATE), encoding="utf-8")
    config = BuildConfig(content=tmp_path / "content", out=tmp_path / "out",
                         formats=["html"], base_url=BASE_URL, jobs=1)
    seen: list[Status] = []
    rebuilder = Rebuilder(config, publish=seen.append, log=lambda message: None)
    assert [e.path for e in rebuilder.first_build().errors] == [broken]
    source = config.content / NEWTON_FILE
    source.write_text(source.read_text(encoding="utf-8").replace(
        "equals the rate of change", "is the rate of change"), encoding="utf-8")
    rebuilder.rebuild()
    assert seen[-1] == Status(1)
