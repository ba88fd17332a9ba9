"""Math spans to markup: MathML (latex2mathml) for EPUB, SVG (ziamath) for PDF, TeX fallback."""

from __future__ import annotations

import functools
import re
from importlib.metadata import version
from types import ModuleType
from xml.sax.saxutils import escape, quoteattr

import latex2mathml.converter
from lxml import etree

from pressroom.model import MathFallback

MATH_KINDS = ("tex", "mathml", "svg")
MATHML_NS = "http://www.w3.org/1998/Math/MathML"
SVG_EM_PX = 16.0
CONVERTER_VERSIONS = {
    "tex": "1",
    "mathml": f"latex2mathml-{version('latex2mathml')}-2",
    "svg": f"ziamath-{version('ziamath')}-latex2mathml-{version('latex2mathml')}-3",
}
_BARE_AMPERSAND = re.compile(r"&(?!#x?[0-9a-fA-F]+;|[a-zA-Z][a-zA-Z0-9]*;)")
_ENV_REWRITES = (
    (re.compile(r"\\(begin|end)\{aligned\}"), r"\\\1{split}"),
    (re.compile(r"\\begin\{eqnarray\*?\}"), r"\\begin{array}{rcl}"),
    (re.compile(r"\\end\{eqnarray\*?\}"), r"\\end{array}"),
)
_TEXT_LEAVES = ("mi", "mo", "mn", "mtext", "ms")


@functools.cache
def _ziamath() -> ModuleType:
    """ziamath, imported on first use: it loads its fonts at import (0.1 s a process)."""
    import ziamath

    # Plain paths instead of <symbol>/<use>: many spans share one HTML page, and SVG 2
    # glyph symbols would repeat their ids (duplicate anchors) in every span using a glyph.
    ziamath.config.svg2 = False
    return ziamath


class MathError(ValueError):
    """A span the converter cannot turn into trustworthy markup."""


def _prepare(tex: str) -> str:
    """Rewrite environments latex2mathml mishandles into equivalent ones it handles."""
    for pattern, replacement in _ENV_REWRITES:
        tex = pattern.sub(replacement, tex)
    return tex


def _checked_mathml(tex: str, display: bool) -> etree._Element:
    """Convert with latex2mathml and refuse output that is not XML or leaks TeX."""
    try:
        mode = "block" if display else "inline"
        raw = latex2mathml.converter.convert(_prepare(tex), display=mode)
    except Exception as exc:  # latex2mathml raises many private exception types
        raise MathError(f"latex2mathml: {type(exc).__name__} {exc}".strip()) from exc
    try:
        root = etree.fromstring(_BARE_AMPERSAND.sub("&amp;", raw).encode("utf-8"))
    except etree.XMLSyntaxError as exc:
        raise MathError(f"converter output is not XML: {exc}") from exc
    for leaf in root.iter(*(f"{{{MATHML_NS}}}{name}" for name in _TEXT_LEAVES)):
        text = (leaf.text or "").strip()
        if "\\" in text or (text == "&" and etree.QName(leaf).localname != "mtext"):
            raise MathError(f"unsupported TeX leaked into the output: {text!r}")
    return root


def mathml_markup(tex: str, display: bool) -> str:
    """MathML with alttext and an application/x-tex annotation holding the original TeX."""
    root = _checked_mathml(tex, display)
    root.set("alttext", tex)
    semantics = etree.SubElement(root, f"{{{MATHML_NS}}}semantics")
    content = etree.SubElement(semantics, f"{{{MATHML_NS}}}mrow")
    for child in list(root):
        if child is not semantics:
            content.append(child)
    annotation = etree.SubElement(semantics, f"{{{MATHML_NS}}}annotation",
                                  encoding="application/x-tex")
    annotation.text = tex
    return etree.tostring(root, encoding="unicode")


def svg_markup(tex: str, display: bool) -> str:
    """Inline SVG typeset by ziamath, sized in em and baseline-aligned to the text."""
    mathml = etree.tostring(_checked_mathml(tex, display), encoding="unicode")
    try:
        svg_text = _ziamath().Math(mathml, size=SVG_EM_PX).svg()
        svg = etree.fromstring(svg_text.encode("utf-8"))
    except Exception as exc:  # ziamath raises many types on odd input
        raise MathError(f"ziamath: {type(exc).__name__} {exc}".strip()) from exc
    width, height = float(svg.get("width", "0")), float(svg.get("height", "0"))
    min_y = float(svg.get("viewBox", "0 0 0 0").split()[1])
    descent = (height + min_y) / SVG_EM_PX
    svg.set("width", f"{width / SVG_EM_PX:.3f}em")
    svg.set("height", f"{height / SVG_EM_PX:.3f}em")
    svg.set("class", "math-svg")
    svg.set("role", "img")
    svg.set("aria-label", tex)
    if not display:
        svg.set("style", f"vertical-align: {-descent:.3f}em")
    markup = etree.tostring(svg, encoding="unicode")
    kind = "math-display" if display else "math-inline"
    return f'<span class="math {kind}" title={quoteattr(tex)}>{markup}</span>'


def tex_markup(tex: str, display: bool, css_class: str = "math") -> str:
    """TeX kept visible in a styled element, with its delimiters."""
    opener, closer = ("\\[", "\\]") if display else ("\\(", "\\)")
    kind = "math-display" if display else "math-inline"
    tag = "code" if css_class == "math-fallback" else "span"
    return f'<{tag} class="{css_class} {kind}">{escape(opener + tex + closer)}</{tag}>'


_CONVERTERS = {"mathml": mathml_markup, "svg": svg_markup}


def convert_math(tex: str, display: bool, kind: str) -> tuple[str, MathFallback | None]:
    """Markup for one span in `kind`; a span that cannot convert falls back to visible TeX."""
    if kind not in MATH_KINDS:
        raise ValueError(f"unknown math kind {kind!r}; known: {', '.join(MATH_KINDS)}")
    if kind == "tex":
        return tex_markup(tex, display), None
    try:
        return _CONVERTERS[kind](tex, display), None
    except MathError as exc:
        return tex_markup(tex, display, "math-fallback"), MathFallback(tex, str(exc))
