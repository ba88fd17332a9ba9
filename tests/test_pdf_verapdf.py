"""PDF/A-3u and PDF/UA-1 books pass veraPDF, the reference validator (tests/verapdf.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pressroom_pdf import PdfExporter

from pressroom.build import run_build
from pressroom.config import BuildConfig
from pressroom.exporter import ExportContext
from pressroom.render import render_article
from pressroom.themes import Theme
from tests.conftest import BASE_URL, CONTENT
from tests.test_pdf import article, small_book
from tests.verapdf import missing, validate

pytestmark = pytest.mark.skipif(missing() is not None, reason=f"veraPDF: {missing()}")


@pytest.fixture(scope="module")
def variant_books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Path]]:
    """The sample content (math, code, tables, images, links) printed as each variant, in
    chunks of two articles on two workers."""
    root = tmp_path_factory.mktemp("verapdf")
    books = {}
    for variant in ("pdf/a-3u", "pdf/ua-1"):
        out = root / variant.replace("/", "-")
        config = BuildConfig(content=CONTENT, out=out, formats=["pdf"], base_url=BASE_URL,
                             jobs=2, exporters={"pdf": {"variant": variant,
                                                        "chunk_articles": 2}})
        result = run_build(config)
        assert not result.failures
        books[variant] = sorted((out / "pdf").glob("*.pdf"))
        assert len(books[variant]) >= 4
        assert result.chunks_run > len(books[variant]), "several books are in chunks"
    return books


@pytest.mark.parametrize("variant", ["pdf/a-3u", "pdf/ua-1"])
def test_every_book_passes_verapdf(variant_books: dict[str, list[Path]], variant: str) -> None:
    failed = {path.name: checks for path, checks in
              validate(variant, variant_books[variant]).items() if checks}
    assert failed == {}


def test_verapdf_finds_typeset_math_without_a_description(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    """The control: math SVGs left without their <title> fail PDF/UA-1's rule 7.3."""
    monkeypatch.setattr("pressroom_pdf.document.titled_svgs", lambda markup: markup)
    content = tmp_path / "content"
    content.mkdir()
    rendered = [render_article(article("sums", "The sum $a^2 + b^2$ of two squares.",
                                       content / "sums.md"), "svg", content)]
    ctx = ExportContext(out_dir=tmp_path / "out", theme=Theme.load(), base_url=BASE_URL)
    PdfExporter(PdfExporter.make_options({"variant": "pdf/ua-1"})).export(
        [small_book(content, rendered)], ctx)
    (path,) = ctx.written
    (checks,) = validate("pdf/ua-1", [path]).values()
    assert any(check.startswith("7.3-1\t") for check in checks), checks
