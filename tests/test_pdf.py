"""PDF exporter: text, outline, contents page numbers, running heads, metadata, fetcher policy."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path

import pytest
from PIL import Image
from pressroom_pdf import PdfExporter
from pressroom_pdf.fetcher import FetchRefused, RestrictedFetcher
from pypdf import PdfReader

from pressroom.books import make_book
from pressroom.build import BuildResult
from pressroom.config import BuildConfig
from pressroom.exporter import ExportContext
from pressroom.grouping import group_articles
from pressroom.keywords import keyword_index
from pressroom.loader import load_content
from pressroom.model import Article, Book, Collection, RelatedLink, RenderedArticle
from pressroom.render import render_article
from pressroom.themes import Theme
from tests.conftest import BASE_URL, CONTENT, build

DEFAULTS = BuildConfig()


def norm(text: str) -> str:
    """Collapse every run of whitespace to one space (and rejoin words broken after a hyphen)."""
    return re.sub(r"(\w)- (?=\w)", r"\1-", " ".join(text.split()))


def expected_books(content: Path) -> list[Collection]:
    """The collections a default build makes of `content`, in book order."""
    loaded = load_content(content)
    return group_articles(loaded.articles, DEFAULTS.group_by, DEFAULTS.order, DEFAULTS.site_title)


def outline_articles(outline: list) -> list:
    """The article entries of an outline nested group → article (the nested ones)."""
    return [item for entry in outline if isinstance(entry, list) for item in entry]


class Pdf:
    """One built PDF with its collection, pages' text and labels, and outline targets."""

    def __init__(self, path: Path, collection: Collection) -> None:
        self.collection = collection
        self.reader = PdfReader(path)
        self.texts = [norm(page.extract_text()) for page in self.reader.pages]
        self.labels = self.reader.page_labels
        top = [item for item in self.reader.outline if not isinstance(item, list)]
        self.groups = [item for item in top if item.title != "Index"]
        self.outline = outline_articles(self.reader.outline)
        self.starts = [self.reader.get_destination_page_number(item) for item in self.outline]
        self.index = [self.reader.get_destination_page_number(item) for item in top
                      if item.title == "Index"]

    @property
    def body(self) -> int:
        """The index of the page numbered 1 (after the roman-numbered front matter)."""
        return self.labels.index("1")

    @property
    def questions(self) -> list[str]:
        """The questions of the book's articles, in order."""
        return [norm(article.question) for article in self.collection.articles]


def open_pdfs(out: Path, result: BuildResult, content: Path) -> list[Pdf]:
    """Every book's PDF of a build, failing if the PDF exporter failed or skipped one."""
    assert not [f for f in result.failures if f.startswith("pdf")], result.failures
    return [Pdf(out / "pdf" / f"{c.slug}.pdf", c) for c in expected_books(content)]


@pytest.fixture(scope="session")
def content_pdfs(content_build: tuple[Path, BuildResult]) -> list[Pdf]:
    """The PDFs of the sample content/ build."""
    return open_pdfs(*content_build, CONTENT)


@pytest.fixture(scope="session")
def corpus_pdfs(corpus_build: tuple[Path, BuildResult], corpus_dir: Path) -> list[Pdf]:
    """The PDFs of the shared corpus build."""
    return open_pdfs(*corpus_build, corpus_dir)


@pytest.fixture(params=["content", "corpus"])
def pdfs(request: pytest.FixtureRequest) -> list[Pdf]:
    """Each build's PDFs in turn."""
    return request.getfixturevalue(f"{request.param}_pdfs")


def test_every_question_is_in_the_text(pdfs: list[Pdf]) -> None:
    assert pdfs
    for pdf in pdfs:
        text = " ".join(pdf.texts)
        missing = [q for q in pdf.questions if q not in text]
        assert not missing, f"{pdf.collection.slug}: {missing}"


def test_outline_is_one_entry_per_article_in_order(pdfs: list[Pdf]) -> None:
    for pdf in pdfs:
        assert [norm(item.title) for item in pdf.outline] == pdf.questions
        # nested by subject, then the keyword index
        subjects = list(dict.fromkeys(a.subject for a in pdf.collection.articles))
        assert [g.title for g in pdf.groups] == subjects
        assert len(pdf.reader.outline) == 2 * len(subjects) + len(pdf.index)
        assert pdf.reader.outline[-1].title == "Index" and pdf.index[0] > pdf.starts[-1]
        for question, start in zip(pdf.questions, pdf.starts, strict=True):
            assert question in pdf.texts[start], f"outline entry {question!r} lands elsewhere"
        assert pdf.starts == sorted(set(pdf.starts)), "each article starts on its own page"


def test_cover_title_page_and_contents_come_first(pdfs: list[Pdf]) -> None:
    for pdf in pdfs:
        assert len(pdf.reader.pages) > len(pdf.questions) + 2
        title = f"{pdf.collection.title} Study Guide"
        assert title in pdf.texts[0] and title in pdf.texts[1]
        assert "Contents" in pdf.texts[2]
        assert pdf.starts[0] == pdf.body and pdf.body % 2 == 0, "the body starts on a recto"
        assert pdf.labels[:3] == ["i", "ii", "iii"]
        assert pdf.labels[pdf.body:] == [str(n) for n in range(1, len(pdf.labels) - pdf.body + 1)]


def test_contents_shows_the_page_each_article_starts_on(pdfs: list[Pdf]) -> None:
    for pdf in pdfs:
        contents = " ".join(pdf.texts[2:pdf.body])
        for question, start in zip(pdf.questions, pdf.starts, strict=True):
            found = re.search(re.escape(question) + r"[ .]*?(\d+)(?!\d)", contents)
            assert found, f"{question!r} not in the contents"
            assert found.group(1) == pdf.labels[start]


def test_contents_links_jump_inside_the_document(pdfs: list[Pdf]) -> None:
    for pdf in pdfs:
        targets = set()
        for page in pdf.reader.pages[2:pdf.body]:
            for annot in page.get("/Annots") or []:
                annot = annot.get_object()
                if annot.get("/Subtype") == "/Link":
                    assert "/Dest" in annot, f"contents link leaves the document: {annot}"
                    targets.add(str(annot["/Dest"]))
        assert targets == {a.key for a in pdf.collection.articles} | {"index"}


def test_running_heads_show_title_subject_question_and_page_x_of_y(pdfs: list[Pdf]) -> None:
    checked = 0
    for pdf in pdfs:
        title = f"{pdf.collection.title} Study Guide"
        total = len(pdf.texts) - pdf.body
        bounds = [*pdf.starts, *(pdf.index[:1] or [len(pdf.texts)])]
        articles = pdf.collection.articles
        for article, start, end in zip(articles, bounds, bounds[1:], strict=False):
            for page in range(start + 1, end):  # a continuation page shows it only in its head
                assert title in pdf.texts[page]
                right = int(pdf.labels[page]) % 2 == 1
                # a long question is cut short with an ellipsis in the head
                shown = norm(article.question)[:30] if right else article.subject
                assert shown in pdf.texts[page]
                checked += 1
        for page in range(pdf.body, len(pdf.texts)):
            assert f"Page {pdf.labels[page]} of {total}" in pdf.texts[page]
    assert checked


def test_keyword_index_gives_the_page_each_article_starts_on(pdfs: list[Pdf]) -> None:
    for pdf in pdfs:
        start = {a.key: pdf.labels[page] for a, page in zip(pdf.collection.articles,
                                                           pdf.starts, strict=True)}
        groups = keyword_index((a.key, a.keywords) for a in pdf.collection.articles)
        assert groups and pdf.index, pdf.collection.slug
        text = " ".join(pdf.texts[pdf.index[0]:])
        for entry in (e for g in groups for e in g.entries):
            pages = ", ".join(str(start[key]) for key in entry.keys)
            assert norm(f"{entry.term} {pages}") in text, (pdf.collection.slug, entry)


def test_metadata_title_author_and_dates(pdfs: list[Pdf]) -> None:
    for pdf in pdfs:
        meta = pdf.reader.metadata
        authors = Counter(a.author for a in pdf.collection.articles if a.author)
        assert meta.title == f"{pdf.collection.title} Study Guide"
        assert meta.author == (authors.most_common(1)[0][0] if authors else "pressroom")
        assert meta["/CreationDate"] == meta["/ModDate"]
        assert pdf.reader.trailer["/Root"]["/Lang"] == DEFAULTS.language


def test_computer_science_book_is_the_big_one(corpus_pdfs: list[Pdf]) -> None:
    book = next(p for p in corpus_pdfs if p.collection.slug == "computer-science")
    assert len(book.questions) == 32
    assert len(book.outline) == 32


# The hand-made book: no loader, rendered directly.

def article(key: str, body: str, source: Path, **fields: object) -> Article:
    """A small generic article for unit tests."""
    values: dict[str, object] = {
        "id": key, "key": key, "slug": key, "title": f"What is {key}?",
        "question": f"What is {key}?", "body_md": body, "subject": "Tests",
        "url": f"/learn/tests/questions/{key}", "source": source, "profile": "generic",
        "date": dt.date(2024, 5, 1), "author": "Test Press",
    }
    values.update(fields)
    return Article(**values)  # type: ignore[arg-type]


def small_book(content: Path, rendered: list[RenderedArticle]) -> Book:
    """One collection of the given rendered articles."""
    collection = Collection("tests", "Tests", tuple(r.article for r in rendered))
    return make_book(collection, rendered, base_url=BASE_URL,
                     title_pattern=DEFAULTS.title_pattern)


def export(book: Book, out: Path, content: Path) -> tuple[Path, list[str]]:
    """Run the PDF exporter on one book; return the file and the warnings."""
    warnings: list[str] = []
    ctx = ExportContext(out_dir=out, theme=Theme.load(), base_url=BASE_URL,
                        warn=warnings.append)
    PdfExporter().export([book], ctx)
    (path,) = ctx.written
    return path, warnings


@pytest.fixture
def content_dir(tmp_path: Path) -> Path:
    """An empty content folder."""
    folder = tmp_path / "content"
    folder.mkdir()
    return folder


def test_same_input_gives_the_same_bytes(tmp_path: Path, content_dir: Path) -> None:
    src = content_dir / "a.md"
    rendered = [render_article(article("alpha", "Some *text* and `code`.", src), "tex",
                               content_dir)]
    book = small_book(content_dir, rendered)
    first, _ = export(book, tmp_path / "one", content_dir)
    second, _ = export(book, tmp_path / "two", content_dir)
    assert first.read_bytes() == second.read_bytes()
    assert PdfReader(first).metadata["/CreationDate"].startswith("D:20240501")


def test_related_links_jump_inside_the_book_or_to_the_site(tmp_path: Path,
                                                          content_dir: Path) -> None:
    src = content_dir / "a.md"
    beta = article("beta", "Beta answer.", src)
    links = (RelatedLink(beta.id, beta.question, "Tests", beta.url),
             RelatedLink(99, "Elsewhere?", "Other", "/learn/other/questions/elsewhere"))
    alpha = article("alpha", "Alpha answer.", src, related=links)
    rendered = [render_article(a, "tex", content_dir) for a in (alpha, beta)]
    path, _ = export(small_book(content_dir, rendered), tmp_path / "out", content_dir)
    reader = PdfReader(path)
    first = reader.get_destination_page_number(reader.outline[0])
    annots = [a.get_object() for a in reader.pages[first].get("/Annots") or []]
    assert {str(a["/Dest"]) for a in annots if "/Dest" in a} == {"beta"}
    assert {a["/A"]["/URI"] for a in annots if "/A" in a} == {
        f"{BASE_URL}/learn/other/questions/elsewhere"}


def test_an_image_outside_the_allowed_folders_is_refused_and_reported(
        tmp_path: Path, content_dir: Path) -> None:
    src = content_dir / "a.md"
    good = render_article(article("alpha", "Plain answer.", src), "tex", content_dir)
    # Bypass the renderer's own image policy to prove the fetcher is in the way.
    sneaky = RenderedArticle(
        article=article("beta", "", src),
        html='<p>Leak: <img src="file:///etc/passwd" alt="x"/></p>',
        text="Leak:", headings=(), math="tex",
    )
    path, warnings = export(small_book(content_dir, [good, sneaky]), tmp_path / "out",
                            content_dir)
    assert any("file:///etc/passwd" in w and str(src) in w for w in warnings), warnings
    assert "root:" not in " ".join(p.extract_text() for p in PdfReader(path).pages)


def test_markdown_image_outside_content_is_dropped_in_a_real_build(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "leak.md").write_text(
        "---\ntitle: What does the leak show?\nsubject: Tests\n---\n"
        "Look: ![x](file:///etc/passwd) and ![y](../../../etc/passwd)\n", encoding="utf-8")
    out = tmp_path / "dist"
    result = build(content, out, ["pdf"])
    assert result.failures == []
    assert any("/etc/passwd" in w for w in result.warnings), result.warnings
    (pdf,) = (out / "pdf").glob("*.pdf")
    text = norm(" ".join(p.extract_text() for p in PdfReader(pdf).pages))
    assert "What does the leak show?" in text
    assert "root:" not in text


def test_a_content_image_is_embedded(tmp_path: Path) -> None:
    content = tmp_path / "content"
    (content / "img").mkdir(parents=True)
    Image.new("RGB", (4, 4), "red").save(content / "img" / "dot.png")
    (content / "dot.md").write_text(
        "---\ntitle: Where is the dot?\nsubject: Tests\n---\nHere: ![dot](img/dot.png)\n",
        encoding="utf-8")
    out = tmp_path / "dist"
    result = build(content, out, ["pdf"])
    assert result.failures == [] and result.warnings == []
    (pdf,) = (out / "pdf").glob("*.pdf")
    reader = PdfReader(pdf)
    page = reader.pages[reader.page_labels.index("1")]
    assert [image.name for image in page.images], "the image did not reach the PDF"


# The fetcher on its own.

@pytest.fixture
def fetcher(content_dir: Path) -> tuple[RestrictedFetcher, list[str]]:
    """A fetcher over the default theme and an empty content folder, with its warnings."""
    warnings: list[str] = []
    return RestrictedFetcher([*Theme.load().folders, content_dir], warnings.append), warnings


def test_fetcher_serves_a_theme_stylesheet(fetcher: tuple[RestrictedFetcher, list[str]]) -> None:
    fetch, warnings = fetcher
    css = Theme.load().stylesheets("pdf")[-1]
    response = fetch(css.as_uri())
    try:
        assert response.read() == css.read_bytes()
    finally:
        response.close()
    assert warnings == []


@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    "http://example.com/x.png",
    "https://example.com/font.woff2",
    "data:text/plain,hello",
    "file:///dev/zero",
    "{theme}/css/../../../../../../etc/passwd",
    "{content}/../escape.png",
])
def test_fetcher_refuses_everything_else(fetcher: tuple[RestrictedFetcher, list[str]],
                                         content_dir: Path, url: str) -> None:
    fetch, warnings = fetcher
    (content_dir.parent / "escape.png").write_bytes(b"not really")
    url = url.format(theme=Theme.load().folders[0].as_uri(), content=content_dir.as_uri())
    with pytest.raises(FetchRefused):
        fetch(url)
    assert len(warnings) == 1 and url in warnings[0]


def test_fetcher_serves_a_content_image(fetcher: tuple[RestrictedFetcher, list[str]],
                                        content_dir: Path) -> None:
    fetch, _ = fetcher
    image = content_dir / "img" / "dot.png"
    image.parent.mkdir()
    image.write_bytes(b"\x89PNG fake")
    response = fetch(image.as_uri())
    try:
        assert response.read() == b"\x89PNG fake"
    finally:
        response.close()


def test_a_big_book_is_printed_in_volumes(tmp_path: Path, content_dir: Path) -> None:
    src = content_dir / "a.md"
    rendered = [render_article(article(key, f"Answer {key}.", src), "tex", content_dir)
                for key in ("alpha", "beta", "gamma", "delta", "epsilon")]
    ctx = ExportContext(out_dir=tmp_path / "out", theme=Theme.load(), base_url=BASE_URL)
    exporter = PdfExporter(PdfExporter.make_options({"max_articles": 2}))
    exporter.export(exporter.parts(small_book(content_dir, rendered)), ctx)
    paths = ctx.written
    assert [p.name for p in paths] == ["tests-vol-1.pdf", "tests-vol-2.pdf", "tests-vol-3.pdf"]
    outlines = [[item.title for item in outline_articles(PdfReader(p).outline)] for p in paths]
    assert outlines == [["What is alpha?", "What is beta?"], ["What is gamma?", "What is delta?"],
                        ["What is epsilon?"]]
    assert PdfReader(paths[2]).metadata["/Title"] == "Tests Study Guide, Volume 3 of 3"


def test_long_code_wraps_inside_the_page_and_is_highlighted(tmp_path: Path,
                                                            content_dir: Path) -> None:
    src = content_dir / "a.md"
    line = "result = " + " + ".join(f"value_{n}" for n in range(60))
    body = f"Code:\n\n```python\n{line}\n```\n\n| a | b |\n|---|---|\n" + "| 1 | 2 |\n" * 90
    rendered = [render_article(article("alpha", body, src), "svg", content_dir)]
    path, _ = export(small_book(content_dir, rendered), tmp_path / "out", content_dir)
    reader = PdfReader(path)
    first = reader.page_labels.index("1")
    right_edges: list[float] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            right_edges.append(cm[0] * tm[4] + cm[4] + len(text) * size * 0.3)

    page = reader.pages[first]
    page.extract_text(visitor_text=visit)
    width = float(page.mediabox.width)
    assert right_edges and max(right_edges) < width, "code ran off the page"
    text = "".join(reader.pages[first].extract_text().split())
    assert "".join(line.split()) in text, "the whole line is printed, wrapped"
    # the long table runs on over pages, each repeating its header row
    table_pages = [t for t in (norm(p.extract_text()) for p in reader.pages[first:])
                   if "1 2" in t]
    assert len(table_pages) >= 2 and all("a b" in t for t in table_pages)


def test_a_bullet_sits_on_the_baseline_beside_tall_inline_math(tmp_path: Path,
                                                              content_dir: Path) -> None:
    src = content_dir / "a.md"
    body = ("Items:\n\n- Tall $\\frac{\\sum_{k=0}^{n} a_k}{\\prod_{k=1}^{m} b_k}$ first\n\n"
            "1. Numbered $\\frac{\\frac{a}{b}}{\\frac{c}{d}}$ first\n\n   More of it.\n")
    rendered = [render_article(article("alpha", body, src), "svg", content_dir)]
    path, _ = export(small_book(content_dir, rendered), tmp_path / "out", content_dir)
    reader = PdfReader(path)
    baselines: dict[str, float] = {}

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        for word in ("•", "Tall", "1.", "Numbered"):
            if text.strip() == word or text.strip().startswith(word + " "):
                baselines.setdefault(word, cm[3] * tm[5] + cm[5])

    reader.pages[reader.page_labels.index("1")].extract_text(visitor_text=visit)
    assert set(baselines) == {"•", "Tall", "1.", "Numbered"}, baselines
    assert baselines["•"] == pytest.approx(baselines["Tall"], abs=0.5)
    assert baselines["1."] == pytest.approx(baselines["Numbered"], abs=0.5)
