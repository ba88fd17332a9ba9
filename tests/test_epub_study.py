"""EPUB study books: study mode, keyword index, sections, volumes, file sizes, CSS and math."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from pressroom_epub import EpubExporter, EpubOptions

from pressroom.books import book_identifier, volume_identifier
from pressroom.build import BuildResult
from pressroom.keywords import singular_forms, term_key
from pressroom.loader import load_content
from pressroom.render.math import mathml_markup
from pressroom.themes import Theme
from tests.conftest import BASE_URL, CONTENT, build, epub_files
from tests.test_epub import NS, OPF, resolve, spine_documents, xml

MATHML = "{http://www.w3.org/1998/Math/MathML}"


@pytest.fixture(scope="session")
def study_epubs(epub_variants: dict[str, tuple[Path, BuildResult]]) -> list[Path]:
    """Every book built in study mode."""
    return [path for name, built in epub_variants.items() for path in
            epub_files(built).values()]


def article_pages(archive: zipfile.ZipFile) -> dict[str, list[etree._Element]]:
    """Every article's pages (one, or its parts in order), by article key."""
    pages: dict[str, list[etree._Element]] = {}
    for name in spine_documents(archive):
        if name.startswith("EPUB/text/"):
            key = re.sub(r"-part-\d+$", "", Path(name).stem)
            pages.setdefault(key, []).append(xml(archive, name))
    return pages


def test_study_chapter_asks_first_then_links_to_the_answer_and_back(
        study_epubs: list[Path]) -> None:
    css = Theme.load().css("epub")
    assert re.search(r"\.study section\.answer \{[^}]*page-break-before: always", css)
    for path in study_epubs:
        with zipfile.ZipFile(path) as archive:
            pages = article_pages(archive)
        assert pages, path.name
        for key, (root, *parts) in pages.items():
            section = root.find(".//x:section[@epub:type='chapter']", NS)
            order = [e for e in section if isinstance(e.tag, str)]
            tags = [etree.QName(e).localname for e in order]
            assert tags[0] == "h1" and tags.index("p") < tags.index("section"), (key, tags)
            link = section.find("x:p[@class='answer-link']/x:a", NS)
            answer = section.find("x:section[@class='answer']", NS)
            assert link.get("href") == f"#{answer.get('id')}"
            [back] = [a for page in (root, *parts) for a in page.iterfind(
                ".//x:a[@role='doc-backlink']", NS)]
            assert back.get("href") in (f"#{key}-title", f"{key}.xhtml#{key}-title"), key


def related_sets(path: Path) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """(from, to) article pairs from every "See also" list and every "Referenced by" list."""
    see_also, cited = set(), set()
    with zipfile.ZipFile(path) as archive:
        pages = article_pages(archive)
    for key, roots in pages.items():
        for aside in (a for root in roots for a in root.iterfind(".//x:aside", NS)):
            targets = [a.get("href").partition("#")[2] for a in aside.iterfind(".//x:a", NS)
                       if "://" not in a.get("href")]
            if "referenced-by" in aside.get("class"):
                cited |= {(target, key) for target in targets}
            else:
                see_also |= {(key, target) for target in targets}
    return see_also, cited


def test_related_questions_link_both_ways(study_epubs: list[Path]) -> None:
    pairs = 0
    for path in study_epubs:
        see_also, cited = related_sets(path)
        assert see_also == cited, path.name
        pairs += len(see_also)
    assert pairs > 20


def test_every_spine_item_is_reachable_from_the_nav(all_epubs: list[Path]) -> None:
    for path in all_epubs:
        with zipfile.ZipFile(path) as archive:
            nav = xml(archive, "EPUB/nav.xhtml")
            spine = spine_documents(archive)
        targets = {resolve("EPUB/nav.xhtml", a.get("href").partition("#")[0])
                   for a in nav.iterfind(".//x:a", NS)}
        assert set(spine) - {"EPUB/nav.xhtml"} <= targets, path.name


def test_index_links_every_keyword_to_every_article_carrying_it(
        content_epubs: dict[str, Path]) -> None:
    articles = load_content(CONTENT).articles
    checked = 0
    with zipfile.ZipFile(content_epubs["computer-science"]) as archive:
        spine = spine_documents(archive)
        pages = [xml(archive, n) for n in spine if n.startswith("EPUB/index")]
    terms: dict[str, set[str]] = {}
    for root in pages:
        assert root.find(".//x:section[@epub:type='index'][@role='doc-index']", NS) is not None
        for group in root.iterfind(".//x:section[@epub:type='index-group']", NS):
            label = group.findtext("x:h2", namespaces=NS)[0]
            for entry in group.iterfind(".//x:li[@epub:type='index-entry']", NS):
                term = entry.findtext("x:span[@epub:type='index-term']", namespaces=NS)
                assert term[0].upper() == label or not term[0].isalpha(), (label, term)
                terms[term_key(term)] = {a.get("href").partition("#")[2]
                                         for a in entry.iterfind(".//x:a", NS)}
    for article in (a for a in articles if a.subject == "Computer Science"):
        assert article.keywords, article.key
        for keyword in article.keywords:
            key = term_key(keyword)
            found = terms.get(key) or next(terms[s] for s in singular_forms(key) if s in terms)
            assert article.key in found, (keyword, article.key)
            checked += 1
    assert checked > 20 and "python" in terms and "debugging" in terms  # generic tags too


def test_contents_are_grouped_by_section_in_reading_order(
        epub_variants: dict[str, tuple[Path, BuildResult]]) -> None:
    for name in ("content-small", "corpus-sections"):
        if name not in epub_variants:
            continue
        for path in epub_files(epub_variants[name]).values():
            with zipfile.ZipFile(path) as archive:
                nav = xml(archive, "EPUB/nav.xhtml").find(".//x:nav[@epub:type='toc']", NS)
                chapters = [n for n in spine_documents(archive) if n.startswith("EPUB/text/")]
            sections = [s.text for s in nav.iterfind("x:ol/x:li/x:span", NS)]
            assert len(sections) > 1 and sections == sorted(sections, key=str.casefold)
            listed = [f"EPUB/{a.get('href')}" for a in nav.iterfind(".//x:a", NS)
                      if a.get("href").startswith("text/")]
            assert listed == chapters, path.name


def test_big_books_become_stable_numbered_volumes(
        epub_variants: dict[str, tuple[Path, BuildResult]], corpus_dir: Path) -> None:
    books = epub_files(epub_variants["corpus-sections"])
    assert sorted(books) == [f"all-articles-vol-{n}" for n in (1, 2, 3)]
    keys: list[str] = []
    identifiers = set()
    for n, (slug, path) in enumerate(sorted(books.items()), start=1):
        with zipfile.ZipFile(path) as archive:
            meta = xml(archive, OPF).find("opf:metadata", NS)
            keys += [Path(c).stem for c in spine_documents(archive)
                     if c.startswith("EPUB/text/")]
        assert meta.findtext("dc:title", namespaces=NS).endswith(f"Volume {n} of 3")
        identifier = meta.findtext("dc:identifier", namespaces=NS)
        assert identifier == volume_identifier(book_identifier(BASE_URL, "all-articles"), slug)
        identifiers.add(identifier)
    assert len(identifiers) == 3
    assert sorted(keys) == sorted(a.key for a in load_content(corpus_dir).articles
                                  if a.subject) and len(keys) > 80


def test_no_content_document_outgrows_the_limit(
        epub_variants: dict[str, tuple[Path, BuildResult]], all_epubs: list[Path]) -> None:
    for path in all_epubs:
        small = "all-articles-vol" in path.name and path.parent.parent.name.startswith(
            "content-small")
        limit = 8_000 if small else 250_000
        with zipfile.ZipFile(path) as archive:
            sizes = {i.filename: i.file_size for i in archive.infolist()
                     if i.filename.endswith(".xhtml")}
        assert max(sizes.values()) <= limit, (path.name, max(sizes.items(), key=lambda s: s[1]))
    names = [n for p in epub_files(epub_variants["content-small"]).values()
             for n in zipfile.ZipFile(p).namelist()]
    assert any("-part-2.xhtml" in n for n in names) and "EPUB/index-2.xhtml" in names


def answer_text(archive: zipfile.ZipFile, key: str) -> str:
    """The answer's words across all of an article's parts, in order."""
    parts = sorted((n for n in archive.namelist() if n.startswith(f"EPUB/text/{key}")),
                   key=lambda n: (len(n), n))
    words = []
    for name in parts:
        for box in xml(archive, name).iterfind(".//x:section[@class='answer']", NS):
            words += "".join(box.itertext()).split()
    return " ".join(words)


def test_a_split_chapter_keeps_its_whole_answer_in_order(
        epub_variants: dict[str, tuple[Path, BuildResult]]) -> None:
    whole = epub_files(epub_variants["content-study"])["mathematics"]
    key = "how-do-you-multiply-two-2x2-matrices"
    split = next(p for p in epub_files(epub_variants["content-small"]).values()
                 if f"EPUB/text/{key}-part-2.xhtml" in zipfile.ZipFile(p).namelist())
    with zipfile.ZipFile(whole) as one, zipfile.ZipFile(split) as many:
        assert answer_text(many, key) == answer_text(one, key)


def test_title_page_shows_title_subjects_count_dates_and_publisher(
        content_epubs: dict[str, Path]) -> None:
    with zipfile.ZipFile(content_epubs["mathematics"]) as archive:
        page = xml(archive, "EPUB/titlepage.xhtml")
        publisher = xml(archive, OPF).findtext("opf:metadata/dc:publisher", namespaces=NS)
    text = " ".join("".join(page.itertext()).split())
    assert page.findtext(".//x:h1", namespaces=NS) == "Mathematics Study Guide"
    assert "Mathematics" in text and "5 questions and answers" in text
    times = [t.get("datetime") for t in page.iterfind(".//x:time", NS)]
    assert len(times) == 2 and times == sorted(times)
    assert publisher == "QuickTakes" and text.endswith("QuickTakes")


def test_study_build_with_volumes_and_parts_is_byte_identical(tmp_path: Path) -> None:
    options = {"study": True, "max_articles": 2, "max_file_kb": 8}
    for name in ("a", "b"):
        result = build(CONTENT, tmp_path / name, ["epub"], exporters={"epub": options})
        assert not result.failures and not result.warnings
    first = sorted((tmp_path / "a" / "epub").glob("*.epub"))
    assert len(first) > 4
    for path in first:
        assert path.read_bytes() == (tmp_path / "b" / "epub" / path.name).read_bytes(), path


def test_css_leaves_colours_to_light_and_dark_reading_modes() -> None:
    css = Theme.load().css("epub")
    opaque = re.findall(r"background(?:-color)?:\s*(#[0-9a-fA-F]{3,6}|white|black)\b", css)
    assert not opaque
    assert not re.search(r"(?m)^body \{[^}]*\bcolor:", css)
    assert "@media (prefers-color-scheme: dark)" in css
    assert ":root { color-scheme: light dark; }" in css  # else the page stays white in dark mode


def test_cases_brace_and_matrix_fences_can_stretch() -> None:
    css = Theme.load().css("epub")
    stack = re.search(r"math \{ font-family: ([^;]+);", css).group(1)
    assert stack.startswith('"STIX Two Math"') and "Cambria Math" in stack
    cases = etree.fromstring(mathml_markup(r"f(x)=\begin{cases}1 & x>0\\0 & x\le 0\end{cases}",
                                           True))
    brace = next(mo for mo in cases.iter(f"{MATHML}mo") if mo.text == "{")
    assert brace.get("stretchy") == "true"
    assert brace.getnext().tag == f"{MATHML}mtable"
    for tex in (r"\begin{pmatrix}1&2\\3&4\end{pmatrix}", r"\left(\frac{a}{b}\right)"):
        fences = [mo for mo in etree.fromstring(mathml_markup(tex, True)).iter(f"{MATHML}mo")
                  if mo.text in "()"]
        assert len(fences) == 2 and all(mo.get("stretchy") != "false" for mo in fences)


def test_volume_and_size_options_are_checked() -> None:
    with pytest.raises(ValueError, match="max_articles"):
        EpubExporter.make_options({"max_articles": 0})
    with pytest.raises(ValueError, match="max_file_kb"):
        EpubExporter.make_options({"max_file_kb": 1})
    assert isinstance(EpubExporter.make_options({"study": True}), EpubOptions)
