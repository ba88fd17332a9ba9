"""Math in real outputs: MathML in every EPUB chapter that has math, typeset SVG in the PDF."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from pypdf import PdfReader

from pressroom.build import BuildResult
from pressroom.loader import load_content
from pressroom.mathreport import math_report
from tests.conftest import CONTENT

MATHML = "{http://www.w3.org/1998/Math/MathML}"
RAW_TEX = re.compile(
    r"\\(frac|begin|end|binom|sum|int|neq|nabla|nu|text|mathbf|cdot)\b|\$\$|\\\(|\\\["
)


def _outputs(build: tuple[Path, BuildResult], fmt: str) -> list[Path]:
    out, result = build
    assert not result.failures, result.failures
    return sorted((out / fmt).glob(f"*.{fmt}"))


@pytest.fixture(scope="module", params=["content", "corpus"])
def built(request: pytest.FixtureRequest) -> tuple[Path, BuildResult]:
    """The content/ build and, where ../shared exists, the corpus build."""
    return request.getfixturevalue(f"{request.param}_build")


def test_every_sample_span_converts_to_both_kinds() -> None:
    report = math_report(load_content(CONTENT).articles)
    assert report.spans > 50
    assert report.fallbacks == []
    assert report.converted == {"mathml": report.spans, "svg": report.spans}


def test_corpus_spans_convert_without_fallback(corpus_dir: Path) -> None:
    report = math_report(load_content(corpus_dir).articles)
    assert report.spans > 400
    assert [str(f) for f in report.fallbacks] == []


def test_epub_chapters_carry_annotated_mathml(built: tuple[Path, BuildResult]) -> None:
    math_chapters = 0
    for epub in _outputs(built, "epub"):
        with zipfile.ZipFile(epub) as archive:
            opf = etree.fromstring(archive.read("EPUB/content.opf"))
            items = {i.get("href"): i.get("properties", "") for i in opf.iter()
                     if i.get("media-type") == "application/xhtml+xml"}
            for href, properties in items.items():
                root = etree.fromstring(archive.read(f"EPUB/{href}"))
                maths = list(root.iter(f"{MATHML}math"))
                assert ("mathml" in properties.split()) == bool(maths), href
                for math in maths:
                    math_chapters += 1
                    assert math.get("alttext")
                    annotation = math.find(f"{MATHML}semantics/{MATHML}annotation")
                    assert annotation is not None and annotation.text == math.get("alttext")
                assert not [e for e in root.iter() if "math-fallback" in (e.get("class") or "")]
    assert math_chapters > 0


def test_pdf_pages_show_no_raw_tex(built: tuple[Path, BuildResult]) -> None:
    pages_checked = 0
    for pdf in _outputs(built, "pdf"):
        for page in PdfReader(pdf).pages:
            text = page.extract_text() or ""
            leaked = RAW_TEX.findall(text)
            assert not leaked, f"{pdf.name}: raw TeX {leaked[:3]} on a page: {text[:200]!r}"
            pages_checked += 1
    assert pages_checked > 0
