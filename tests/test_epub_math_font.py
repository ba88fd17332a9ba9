"""The math font an EPUB carries: STIX Two Math, declared, linked, and cut to the book's math."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from fontTools.ttLib import TTFont
from lxml import etree
from pressroom_epub.mathfont import FONT_NAME, math_characters

from tests.conftest import build
from tests.test_epub import NS, OPF, chapters, resolve, xml

FONT_PATH = f"EPUB/{FONT_NAME}"


def manifest_fonts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Font items of the package: package path → media type."""
    return {f"EPUB/{item.get('href')}": item.get("media-type")
            for item in xml(archive, OPF).iterfind("opf:manifest/opf:item", NS)
            if item.get("media-type", "").startswith("font/")}


def test_a_math_book_carries_a_math_font_for_every_character(
        content_epubs: dict[str, Path]) -> None:
    with zipfile.ZipFile(content_epubs["mathematics"]) as archive:
        assert manifest_fonts(archive) == {FONT_PATH: "font/ttf"}
        css = archive.read("EPUB/styles/epub.css").decode("utf-8")
        face = css[css.index("@font-face"):css.index("}") + 1]
        assert '"STIX Two Math"' in face
        assert resolve("EPUB/styles/epub.css", face.split('url("')[1].split('")')[0]) == FONT_PATH
        shown = set().union(*(math_characters(xml(archive, name)) for name in chapters(archive)))
        data = archive.read(FONT_PATH)
    font = TTFont(io.BytesIO(data))
    covered = set(font.getBestCmap())
    assert "MATH" in font and font["MATH"].table.MathVariants.VertGlyphCoverage.glyphs
    assert {"(", "{", "=", "𝑥"} <= shown  # fences, operators, an italic letter
    assert {ord(c) for c in shown} <= covered
    assert len(covered) < 3 * len(shown)  # a subset, not the whole font
    assert len(data) < 150_000
    names = {record.nameID: record.toUnicode() for record in font["name"].names}
    assert "STIX Fonts Project" in names[0] and "Open Font License" in names[13]


def test_tex_annotations_are_not_counted_as_shown() -> None:
    math = etree.fromstring(
        '<math xmlns="http://www.w3.org/1998/Math/MathML"><semantics><mrow><mi>y</mi>'
        '<mo>=</mo><mn>2</mn></mrow><annotation encoding="application/x-tex">y=2\\quad'
        '</annotation></semantics></math>')
    assert math_characters(math) == {"y", "𝑦", "=", "2"}


def test_no_math_no_font_and_the_option_turns_it_off(tmp_path: Path) -> None:
    (tmp_path / "plain").mkdir()
    (tmp_path / "plain" / "words.md").write_text("---\ntitle: Words only\ndate: 2024-01-01\n"
                                                 "---\nNo formulas here.\n", encoding="utf-8")
    (tmp_path / "math").mkdir()
    (tmp_path / "math" / "sum.md").write_text("---\ntitle: A sum\ndate: 2024-01-01\n---\n"
                                              "$$\na + b\n$$\n", encoding="utf-8")
    for folder, options, expected in (("plain", {}, {}),
                                      ("math", {"math_font": False}, {}),
                                      ("math", {}, {FONT_PATH: "font/ttf"})):
        out = tmp_path / f"out-{folder}-{len(options)}"
        result = build(tmp_path / folder, out, ["epub"], exporters={"epub": options})
        assert not result.errors and not result.failures
        (book,) = (out / "epub").glob("*.epub")
        with zipfile.ZipFile(book) as archive:
            assert manifest_fonts(archive) == expected, (folder, options)
            css = archive.read("EPUB/styles/epub.css").decode("utf-8")
            assert ("@font-face" in css) == bool(expected)
