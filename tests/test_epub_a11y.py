"""EPUB accessibility, rule by rule, on every built book; and the exporter's own checker."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

from lxml import etree
from pressroom_epub.a11y import (
    document_problems,
    epub_problems,
    landmark_problems,
    package_problems,
)

from pressroom.build import BuildResult
from tests.conftest import build
from tests.test_epub import NS, OPF, resolve, spine_documents, tiny_png, xml

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
ROLES = {"chapter": "doc-chapter", "toc": "doc-toc", "index": "doc-index",
         "cover": "doc-cover", "backlink": "doc-backlink"}


def documents(path: Path) -> Iterator[tuple[str, etree._Element]]:
    """Every XHTML content document of a book (spine and nav), parsed."""
    with zipfile.ZipFile(path) as archive:
        for name in spine_documents(archive):
            yield name, xml(archive, name)


def test_package_and_every_document_declare_the_language(all_epubs: list[Path]) -> None:
    for path in all_epubs:
        with zipfile.ZipFile(path) as archive:
            opf = xml(archive, OPF)
        language = opf.findtext("opf:metadata/dc:language", namespaces=NS)
        assert language and opf.get(XML_LANG) == language, path.name
        for name, root in documents(path):
            assert root.get("lang") == root.get(XML_LANG) == language, (path.name, name)


def test_heading_levels_start_at_one_and_never_skip(all_epubs: list[Path]) -> None:
    for path in all_epubs:
        for name, root in documents(path):
            levels = [int(etree.QName(h).localname[1]) for h in root.iter()
                      if etree.QName(h).localname in ("h1", "h2", "h3", "h4", "h5", "h6")]
            for before, after in zip([0, *levels], levels, strict=False):
                assert after <= before + 1, (path.name, name, levels)


def test_answer_headings_nest_under_the_question(content_epubs: dict[str, Path]) -> None:
    with zipfile.ZipFile(content_epubs["mathematics"]) as archive:
        page = xml(archive, "EPUB/text/how-are-piecewise-functions-defined-and-evaluated.xhtml")
    answer = page.find(".//x:div[@class='answer']", NS)
    assert [etree.QName(h).localname for h in answer.iter(f"{{{NS['x']}}}h2")]
    assert answer.find(".//x:h3", NS) is None and answer.find(".//x:h1", NS) is None


def test_table_header_cells_are_never_empty(all_epubs: list[Path]) -> None:
    mathml = "{http://www.w3.org/1998/Math/MathML}math"
    for path in all_epubs:
        for name, root in documents(path):
            for th in root.iterfind(".//x:th", NS):
                assert "".join(th.itertext()).strip() or th.find(f".//{mathml}") is not None, (
                    path.name, name, etree.tostring(th))


def test_the_empty_corner_cell_gets_a_hidden_column_name(
        content_epubs: dict[str, Path]) -> None:
    name = ("EPUB/text/how-do-you-calculate-the-equivalent-resistance-of-series-and-parallel-"
            "resistors.xhtml")
    with zipfile.ZipFile(content_epubs["engineering"]) as archive:
        corner = xml(archive, name).find(".//x:thead//x:th", NS)
    label = corner.find("x:span", NS)
    assert label.get("class") == "visually-hidden" and label.text == "Column 1"


def test_every_image_has_alt_text(all_epubs: list[Path]) -> None:
    for path in all_epubs:
        images = [(name, img) for name, root in documents(path)
                  for img in root.iterfind(".//x:img", NS)]
        assert images, path.name  # the cover at least
        for name, img in images:
            assert (img.get("alt") or "").strip(), (path.name, name, img.get("src"))


def test_epub_types_carry_their_aria_roles(all_epubs: list[Path]) -> None:
    seen: set[str] = set()
    for path in all_epubs:
        for name, root in documents(path):
            landmarks = root.find(".//x:nav[@epub:type='landmarks']", NS)
            inside = set(landmarks.iter()) if landmarks is not None else set()
            for element in root.iter():
                for kind in (element.get(EPUB_TYPE) or "").split():
                    if kind in ROLES and element not in inside:
                        assert element.get("role") == ROLES[kind], (path.name, name, kind)
                        seen.add(kind)
    assert seen == set(ROLES)


def test_landmarks_name_cover_contents_first_chapter_and_index(all_epubs: list[Path]) -> None:
    for path in all_epubs:
        with zipfile.ZipFile(path) as archive:
            nav = xml(archive, "EPUB/nav.xhtml")
            spine = spine_documents(archive)
        links = nav.findall(".//x:nav[@epub:type='landmarks']//x:a", NS)
        marks = {a.get(EPUB_TYPE): resolve("EPUB/nav.xhtml", a.get("href").partition("#")[0])
                 for a in links}
        assert set(marks) == {"cover", "titlepage", "toc", "bodymatter", "index"}, path.name
        assert marks["cover"] == spine[0] and marks["toc"] == "EPUB/nav.xhtml"
        chapters = [n for n in spine if n.startswith("EPUB/text/")]
        assert marks["bodymatter"] == chapters[0], path.name
        assert marks["index"] == next(n for n in spine if n.startswith("EPUB/index")), path.name


def test_accessibility_features_say_what_is_in_the_book(all_epubs: list[Path]) -> None:
    for path in all_epubs:
        with zipfile.ZipFile(path) as archive:
            opf = xml(archive, OPF)
            names = archive.namelist()
            has_math = any(b"<math" in archive.read(n) for n in names if n.endswith(".xhtml"))
        features = set(opf.xpath("//opf:meta[@property='schema:accessibilityFeature']/text()",
                                 namespaces=NS))
        assert ("index" in features) == ("EPUB/index.xhtml" in names), path.name
        assert ("MathML" in features) == has_math, path.name
        assert "alternativeText" in features, path.name


def test_the_exporter_finds_nothing_to_report(all_epubs: list[Path], content_build: tuple[
        Path, BuildResult], epub_variants: dict[str, tuple[Path, BuildResult]]) -> None:
    for _, result in [content_build, *epub_variants.values()]:
        assert not [w for w in result.warnings if w.startswith("epub")], result.warnings
        assert not result.errors, result.errors
    for path in all_epubs:
        assert epub_problems(path) == [], path.name


def page(body: str, lang: str = 'lang="en" xml:lang="en"') -> etree._Element:
    """A minimal XHTML document around `body`."""
    return etree.fromstring(
        f'<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"'
        f' {lang}><head><title>t</title></head><body>{body}</body></html>')


def rules(root: etree._Element) -> list[str]:
    """The names of the rules a document breaks."""
    return [problem.rule for problem in document_problems(root)]


def test_the_checker_flags_each_rule() -> None:
    assert rules(page("<h1>Q</h1><h2>A</h2>")) == []
    assert rules(page("<h1>Q</h1>", lang='lang="en"')) == ["language"]
    assert rules(page("<h1>Q</h1><h3>skipped</h3>")) == ["heading-order"]
    assert rules(page("<h2>first</h2>")) == ["heading-order"]
    assert rules(page("<table><tr><th> </th><th>b</th></tr></table>")) == ["empty-header"]
    assert rules(page('<img src="a.png" alt=""/>')) == ["image-alt"]
    assert rules(page('<section epub:type="chapter"><h1>Q</h1></section>')) == [
        "epub-type-role"]
    nav = page('<nav epub:type="landmarks"><ol><li><a epub:type="toc" href="#t">C</a></li>'
               "</ol></nav>")
    assert [p.rule for p in landmark_problems(nav, ("index",))] == ["landmarks"]
    assert rules(nav) == []  # landmark links carry an epub:type but need no role
    opf = etree.fromstring('<package xmlns="http://www.idpf.org/2007/opf"><metadata xmlns:dc='
                           '"http://purl.org/dc/elements/1.1/"><dc:language>en</dc:language>'
                           "</metadata></package>")
    assert [p.rule for p in package_problems(opf)] == ["language"]


def test_an_image_without_alt_text_is_a_content_error(tmp_path: Path) -> None:
    content = tmp_path / "content"
    (content / "notes").mkdir(parents=True)
    (content / "notes" / "dot.png").write_bytes(tiny_png())
    source = content / "notes" / "dots.md"
    source.write_text('---\ntitle: "Dots"\ndate: 2024-10-07\nsubject: Art\n---\n\n'
                      "A dot: ![](dot.png).\n", encoding="utf-8")
    result = build(content, tmp_path / "out", ["epub"])
    assert not result.failures and (tmp_path / "out" / "epub" / "art.epub").is_file()
    [error] = result.errors
    assert error.path == source and "alt text" in error.message
    with zipfile.ZipFile(tmp_path / "out" / "epub" / "art.epub") as archive:
        features = xml(archive, OPF).xpath(
            "//opf:meta[@property='schema:accessibilityFeature']/text()", namespaces=NS)
    assert "alternativeText" not in features
