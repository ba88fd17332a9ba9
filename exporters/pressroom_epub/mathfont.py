"""An OpenType MATH font for the book's MathML: STIX Two Math, cut down to what the book uses.

Reading systems stretch braces, parentheses and brackets (cases, \\left…\\right, matrices)
only with a font that has a MATH table; without one in the system, WebKit leaves
`\\left( \\frac{a}{b} \\right)` one line tall. The book therefore carries its own: STIX Two
Math as ziamath ships it (SIL Open Font License 1.1, whose only Reserved Font Name is
"TM Math"), subset to the characters the book's math shows. The subset keeps the MATH
table with every size variant and glyph assembly of those characters, and the font's
name table (copyright, licence and its address) as the licence asks.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from functools import cache
from importlib.resources import files

from fontTools import subset
from fontTools.ttLib import TTFont
from lxml import etree

MATHML_NS = "http://www.w3.org/1998/Math/MathML"
FONT_NAME = "fonts/STIXTwoMath-Regular.ttf"
FONT_MEDIA_TYPE = "font/ttf"
FAMILY = "STIX Two Math"
FONT_FACE = (
    "/* STIX Two Math, subset: Copyright 2001-2021 The STIX Fonts Project Authors "
    "(https://github.com/stipub/stixfonts), SIL Open Font License 1.1 "
    "(https://scripts.sil.org/OFL). */\n"
    f'@font-face {{ font-family: "{FAMILY}"; src: url("../{FONT_NAME}"); }}\n'
)
_SKIPPED = (f"{{{MATHML_NS}}}annotation", f"{{{MATHML_NS}}}annotation-xml")
# MathML draws a one-letter <mi> in italic by mapping it to Mathematical Italic.
_ITALIC_STARTS = (("A", "Z", 0x1D434), ("a", "z", 0x1D44E), ("Α", "Ω", 0x1D6E2),
                  ("α", "ω", 0x1D6FC))
_ITALIC_HOLES = {"h": 0x210E}


def _italic(letter: str) -> str | None:
    """The Mathematical Italic form of a Latin or Greek letter, if it has one."""
    if letter in _ITALIC_HOLES:
        return chr(_ITALIC_HOLES[letter])
    for first, last, start in _ITALIC_STARTS:
        if first <= letter <= last:
            return chr(start + ord(letter) - ord(first))
    return None


def math_characters(root: etree._Element) -> frozenset[str]:
    """Every character the MathML in a document shows (TeX annotations left out)."""
    found: set[str] = set()
    for math in root.iter(f"{{{MATHML_NS}}}math"):
        for element in math.iter():
            if element.tag in _SKIPPED or any(a.tag in _SKIPPED for a in element.iterancestors()):
                continue
            text = element.text or ""
            found.update(text)
            if etree.QName(element).localname == "mi" and len(text.strip()) == 1:
                italic = _italic(text.strip())
                if italic and element.get("mathvariant") is None:
                    found.add(italic)
    return frozenset(c for c in found if not c.isspace())


@cache
def _font_bytes() -> bytes:
    return (files("ziamath") / "fonts" / "STIXTwoMath-Regular.ttf").read_bytes()


def math_font(characters: Iterable[str]) -> bytes:
    """STIX Two Math holding only `characters` and their MATH variants; same input, same bytes."""
    font = TTFont(io.BytesIO(_font_bytes()), recalcTimestamp=False)
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted({ord(c) for c in characters}))
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()
