"""EPUB exporter: EPUBCheck-clean books, metadata, nav order, internal links, reproducibility."""

from __future__ import annotations

import datetime as dt
import os
import posixpath
import re
import struct
import zipfile
import zlib
from pathlib import Path
from urllib.parse import urlsplit

from lxml import etree
from pressroom_epub.mathfont import FONT_FACE

from pressroom.books import book_identifier
from pressroom.build import BuildResult
from pressroom.grouping import group_articles
from pressroom.loader import load_content
from pressroom.render.highlight import theme_code_css
from pressroom.themes import Theme
from tests.conftest import BASE_URL, CONTENT, build

NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "x": "http://www.w3.org/1999/xhtml",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
    "epub": "http://www.idpf.org/2007/ops",
}
OPF = "EPUB/content.opf"


def xml(archive: zipfile.ZipFile, name: str) -> etree._Element:
    """Parse one entry of the EPUB as XML."""
    return etree.fromstring(archive.read(name))


def spine_documents(archive: zipfile.ZipFile) -> list[str]:
    """Package paths of the spine's XHTML documents, in reading order."""
    opf = xml(archive, OPF)
    hrefs = {i.get("id"): i.get("href") for i in opf.iterfind("opf:manifest/opf:item", NS)}
    return [f"EPUB/{hrefs[ref.get('idref')]}" for ref in opf.iterfind("opf:spine/opf:itemref", NS)]


def resolve(document: str, href: str) -> str:
    """The package path an href inside `document` points to."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(document), href))


def chapters(archive: zipfile.ZipFile) -> list[str]:
    """Package paths of the article documents, in spine order."""
    return [name for name in spine_documents(archive) if name.startswith("EPUB/text/")]


def test_one_epub_per_book(content_build: tuple[Path, BuildResult],
                           content_epubs: dict[str, Path]) -> None:
    collections = group_articles(load_content(CONTENT, "auto").articles)
    assert sorted(content_epubs) == sorted(c.slug for c in collections)
    assert len(content_epubs) == content_build[1].books


def test_epubcheck_content_is_clean(content_checks: dict[str, list[str]]) -> None:
    assert content_checks and all(not p for p in content_checks.values()), content_checks


def test_epubcheck_corpus_is_clean(corpus_build: tuple[Path, BuildResult],
                                   corpus_checks: dict[str, list[str]]) -> None:
    assert len(corpus_checks) == corpus_build[1].books > 1
    assert all(not p for p in corpus_checks.values()), corpus_checks


def test_epubcheck_every_variant_is_clean(epub_sets: dict[str, dict[str, Path]],
                                          epubcheck_results: dict[Path, list[str]]) -> None:
    """Study mode on, volumes, split chapters and index pages, sectioned books: all clean."""
    variants = {name: books for name, books in epub_sets.items()
                if name not in ("content", "corpus")}
    assert "content-study" in variants and all(variants.values())
    problems = {path.name: epubcheck_results[path] for books in variants.values()
                for path in books.values() if epubcheck_results[path]}
    assert not problems, problems


def test_epubcheck_batch_reports_a_broken_book(broken_epub: Path,
                                               epubcheck_results: dict[Path, list[str]]) -> None:
    """The batched checker must see errors, or every clean result above would be hollow."""
    problems = epubcheck_results[broken_epub]
    assert any("RSC-001" in p or "RSC-007" in p for p in problems), problems


def test_zip_container(all_epubs: list[Path]) -> None:
    for path in all_epubs:
        with zipfile.ZipFile(path) as archive:
            first = archive.infolist()[0]
            assert first.filename == "mimetype", path
            assert first.compress_type == zipfile.ZIP_STORED and first.extra == b"", path
            assert archive.read(first) == b"application/epub+zip"
            assert archive.testzip() is None


def test_opf_metadata(content_epubs: dict[str, Path]) -> None:
    path = content_epubs["computer-science"]
    with zipfile.ZipFile(path) as archive:
        opf = xml(archive, OPF)
        meta = opf.find("opf:metadata", NS)
        dates = [t.get("datetime") for name in chapters(archive)
                 for t in xml(archive, name).iterfind(".//x:time", NS)]
    unique = opf.get("unique-identifier")
    identifier = meta.find(f"dc:identifier[@id='{unique}']", NS).text
    assert identifier == book_identifier(BASE_URL, "computer-science")
    assert meta.findtext("dc:language", namespaces=NS) == "en"
    assert "Computer Science" in meta.findtext("dc:title", namespaces=NS)
    assert meta.findtext("dc:creator", namespaces=NS)
    modified = meta.findtext("opf:meta[@property='dcterms:modified']", namespaces=NS)
    assert modified == expected_modified(dates)


def expected_modified(article_dates: list[str]) -> str:
    """What dcterms:modified must be: SOURCE_DATE_EPOCH, else the newest article date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"{max(article_dates)}T00:00:00Z"


def test_accessibility_metadata(all_epubs: list[Path]) -> None:
    for path in all_epubs:
        with zipfile.ZipFile(path) as archive:
            meta = xml(archive, OPF).find("opf:metadata", NS)
        props: dict[str, list[str]] = {}
        for element in meta.iterfind("opf:meta[@property]", NS):
            props.setdefault(element.get("property"), []).append(element.text)
        assert "textual" in props["schema:accessMode"], path
        assert props["schema:accessModeSufficient"] == ["textual"], path
        assert {"structuralNavigation", "tableOfContents", "readingOrder"} <= set(
            props["schema:accessibilityFeature"]), path
        assert props["schema:accessibilityHazard"] == ["none"], path
        assert props["schema:accessibilitySummary"][0].strip(), path


def test_nav_and_ncx_list_every_question_in_book_order(content_epubs: dict[str, Path]) -> None:
    for collection in group_articles(load_content(CONTENT, "auto").articles):
        questions = [a.question for a in collection.articles]
        with zipfile.ZipFile(content_epubs[collection.slug]) as archive:
            nav = xml(archive, "EPUB/nav.xhtml").find(".//x:nav[@epub:type='toc']", NS)
            ncx = xml(archive, "EPUB/toc.ncx")
            documents = chapters(archive)
            headings = [xml(archive, name).findtext(".//x:h1", namespaces=NS)
                        for name in documents]
        nav_links = [a for a in nav.findall(".//x:a", NS) if a.get("href").startswith("text/")]
        assert [a.text for a in nav_links] == questions
        assert [f"EPUB/{a.get('href')}" for a in nav_links] == documents
        points = ncx.findall(".//ncx:navPoint", NS)
        labels = [p.findtext("ncx:navLabel/ncx:text", namespaces=NS) for p in points
                  if p.find("ncx:content", NS).get("src").startswith("text/")]
        assert labels == questions
        assert headings == questions


def test_related_links_inside_and_outside_the_book(content_epubs: dict[str, Path]) -> None:
    inside = "how-does-binary-search-work-on-a-sorted-array"
    outside = "/learn/mathematics/questions/what-is-the-binomial-coefficient-and-how-is-it-computed"
    with zipfile.ZipFile(content_epubs["computer-science"]) as archive:
        page = xml(archive, "EPUB/text/what-is-recursion-and-how-do-you-choose-a-base-case.xhtml")
    hrefs = [a.get("href") for a in page.iterfind(".//x:aside[@class='related']//x:a", NS)]
    assert f"{inside}.xhtml#{inside}" in hrefs
    assert BASE_URL + outside in hrefs


def test_every_link_resolves_or_is_absolute(all_epubs: list[Path]) -> None:
    for path in all_epubs:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            for name in spine_documents(archive):
                for a in xml(archive, name).iterfind(".//x:a[@href]", NS):
                    href = a.get("href")
                    if urlsplit(href).scheme:
                        assert urlsplit(href).scheme in ("http", "https") and "//" in href, href
                        continue
                    target, _, fragment = href.partition("#")
                    target_name = resolve(name, target) if target else name
                    assert target_name in names, f"{path.name}:{name}: {href}"
                    if fragment:
                        ids = xml(archive, target_name).xpath("//@id")
                        assert fragment in ids, f"{path.name}:{name}: {href}"


def test_one_stylesheet_from_the_theme_linked_everywhere(content_epubs: dict[str, Path]) -> None:
    css = (FONT_FACE + Theme.load().css("epub") + theme_code_css(Theme.load())).encode("utf-8")
    with zipfile.ZipFile(content_epubs["mathematics"]) as archive:
        sheets = [n for n in archive.namelist() if n.endswith(".css")]
        assert sheets == ["EPUB/styles/epub.css"]
        assert archive.read(sheets[0]) == css
        for name in spine_documents(archive):
            links = xml(archive, name).findall("x:head/x:link[@rel='stylesheet']", NS)
            hrefs = [resolve(name, link.get("href")) for link in links]
            assert hrefs == sheets, name


def test_cover_page_and_image(content_epubs: dict[str, Path]) -> None:
    with zipfile.ZipFile(content_epubs["physics"]) as archive:
        opf = xml(archive, OPF)
        first, second = spine_documents(archive)[:2]
        title = opf.findtext("opf:metadata/dc:title", namespaces=NS)
        [img] = xml(archive, first).iterfind(".//x:img", NS)
        assert xml(archive, second).findtext(".//x:h1", namespaces=NS) == title
        image = opf.find("opf:manifest/opf:item[@properties='cover-image']", NS)
        assert image is not None and image.get("media-type") == "image/png"
        assert resolve(first, img.get("src")) == f"EPUB/{image.get('href')}"
        assert img.get("role") == "doc-cover" and title in img.get("alt")
        png = archive.read(f"EPUB/{image.get('href')}")
        assert png.startswith(b"\x89PNG\r\n\x1a\n")
        assert struct.unpack(">II", png[16:24]) == (1600, 2560)


def test_rebuild_is_byte_identical(tmp_path: Path) -> None:
    first = build(CONTENT, tmp_path / "a", ["epub"])
    second = build(CONTENT, tmp_path / "b", ["epub"])
    assert not first.failures and not second.failures
    names = sorted(p.name for p in (tmp_path / "a" / "epub").glob("*.epub"))
    assert names and names == sorted(p.name for p in (tmp_path / "b" / "epub").glob("*.epub"))
    for name in names:
        data = (tmp_path / "a" / "epub" / name).read_bytes()
        assert data == (tmp_path / "b" / "epub" / name).read_bytes(), name
        with zipfile.ZipFile(tmp_path / "a" / "epub" / name) as archive:
            modified = xml(archive, OPF).findtext(
                "opf:metadata/opf:meta[@property='dcterms:modified']", namespaces=NS)
            stamps = {info.date_time for info in archive.infolist()}
        assert stamps == {dt.datetime.fromisoformat(modified).timetuple()[:6]}, name


def test_no_script_anywhere(all_epubs: list[Path]) -> None:
    for path in all_epubs:
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                assert not re.search(rb"<script\b", archive.read(name), re.I), f"{path}:{name}"
            assert b"scripted" not in archive.read(OPF), path


def tiny_png() -> bytes:
    """A valid 1×1 PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


def test_local_images_are_embedded(tmp_path: Path) -> None:
    content = tmp_path / "content"
    (content / "notes" / "img").mkdir(parents=True)
    (content / "notes" / "img" / "dot.png").write_bytes(tiny_png())
    (content / "notes" / "dots.md").write_text(
        '---\ntitle: "Dots"\ndate: 2024-10-07\nsubject: Art\n---\n\n'
        "A dot: ![a red dot](img/dot.png).\n", encoding="utf-8")
    result = build(content, tmp_path / "out", ["epub"])
    assert not result.failures
    with zipfile.ZipFile(tmp_path / "out" / "epub" / "art.epub") as archive:
        [page] = chapters(archive)
        [img] = xml(archive, page).iterfind(".//x:img", NS)
        target = resolve(page, img.get("src"))
        assert archive.read(target) == tiny_png()
        opf = xml(archive, OPF)
    item = opf.find(f"opf:manifest/opf:item[@href='{target.removeprefix('EPUB/')}']", NS)
    assert item is not None and item.get("media-type") == "image/png"
    modes = opf.xpath("opf:metadata/opf:meta[@property='schema:accessMode']/text()", namespaces=NS)
    assert "visual" in modes


def test_code_is_highlighted_in_the_chapter_and_coloured_by_the_stylesheet(
        content_epubs: dict[str, Path]) -> None:
    with zipfile.ZipFile(content_epubs["computer-science"]) as archive:
        css = archive.read("EPUB/styles/epub.css").decode()
        chapter = next(n for n in spine_documents(archive) if "binary-search" in n)
        code = xml(archive, chapter).find(".//x:pre/x:code", NS)
    assert "highlight" in code.get("class").split()
    keywords = [s.text for s in code.iter(f"{{{NS['x']}}}span") if s.get("class") == "k"]
    assert {"def", "while", "return"} <= set(keywords)
    assert "def binary_search(items, target):" in "".join(code.itertext())
    assert "code.highlight .k {" in css
