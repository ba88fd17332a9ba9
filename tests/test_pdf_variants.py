"""PDF/A-3u and PDF/UA-1: the variants WeasyPrint writes, typeset in chunks and joined."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pressroom_pdf import PdfExporter
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from pressroom.exporter import ExportContext
from pressroom.render import render_article
from pressroom.themes import Theme
from tests.conftest import BASE_URL
from tests.test_pdf import article, small_book


def fonts(reader: PdfReader) -> Iterator[DictionaryObject]:
    """Every font dictionary the pages use (descendant fonts of Type0 fonts included)."""
    for page in reader.pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            yield font
            for descendant in font.get("/DescendantFonts") or []:
                yield descendant.get_object()


@pytest.fixture(scope="module")
def variants(tmp_path_factory: pytest.TempPathFactory) -> dict[str, PdfReader]:
    """A two-article book written as each variant, an article a chunk."""
    root = tmp_path_factory.mktemp("variants")
    content = root / "content"
    content.mkdir()
    src = content / "a.md"
    rendered = [render_article(article(key, f"The answer about **{key}**, with $x^2$.", src,
                                       keywords=(key,)), "svg", content)
                for key in ("alpha", "beta")]
    book = small_book(content, rendered)
    found = {}
    for variant in ("pdf/a-3u", "pdf/ua-1"):
        exporter = PdfExporter(PdfExporter.make_options({"variant": variant,
                                                         "chunk_articles": 1}))
        assert len(exporter.chunks(book)) == 2
        paths = []
        for run in ("first", "again"):
            ctx = ExportContext(out_dir=root / run / variant.replace("/", "-"),
                                theme=Theme.load(), base_url=BASE_URL)
            exporter.export([book], ctx)
            paths += ctx.written
        first, again = paths
        assert first.read_bytes() == again.read_bytes(), "the same input, the same bytes"
        found[variant] = PdfReader(first)
    return found


@pytest.mark.parametrize("variant", ["pdf/a-3u", "pdf/ua-1"])
def test_variants_have_title_language_and_embedded_fonts(variants: dict[str, PdfReader],
                                                         variant: str) -> None:
    reader = variants[variant]
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en"
    assert reader.metadata.title == "Tests Study Guide"
    assert b"Tests Study Guide" in root["/Metadata"].get_object().get_data()
    seen = list(fonts(reader))
    assert seen
    for font in seen:
        if font.get("/Subtype") in ("/Type0", "/Type3"):
            continue
        descriptor = font["/FontDescriptor"].get_object()
        assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), font


def test_pdf_a_3u_declares_itself_and_its_output_intent(variants: dict[str, PdfReader]) -> None:
    reader = variants["pdf/a-3u"]
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert "pdfaid:part" in xmp and ("<pdfaid:part>3<" in xmp or 'pdfaid:part="3"' in xmp)
    assert "pdfaid:conformance" in xmp and ("<pdfaid:conformance>U<" in xmp
                                            or 'pdfaid:conformance="U"' in xmp)
    (intent,) = reader.trailer["/Root"]["/OutputIntents"]
    intent = intent.get_object()
    assert intent["/S"] == "/GTS_PDFA1" and "/DestOutputProfile" in intent


def test_pdf_ua_1_is_tagged_and_shows_its_title(variants: dict[str, PdfReader]) -> None:
    reader = variants["pdf/ua-1"]
    root = reader.trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert "pdfuaid:part" in xmp
    assert root["/MarkInfo"]["/Marked"] is True or root["/MarkInfo"]["/Marked"] == True  # noqa: E712
    tree = root["/StructTreeRoot"].get_object()
    assert tree.get("/K") is not None and tree.get("/ParentTree") is not None
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "What is alpha?" in text and "What is beta?" in text


def test_an_unknown_variant_or_paper_is_refused() -> None:
    with pytest.raises(ValueError, match="variant must be one of pdf/a-3u, pdf/ua-1"):
        PdfExporter.make_options({"variant": "pdf/x-4"})
    with pytest.raises(ValueError, match="paper must be one of a4, letter"):
        PdfExporter.make_options({"paper": "a5"})
