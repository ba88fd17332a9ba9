"""Math spans to markup: visible TeX for now; MathML and SVG converters plug in here."""

from __future__ import annotations

from xml.sax.saxutils import escape

from pressroom.model import MathFallback

MATH_KINDS = ("tex",)


def tex_markup(tex: str, display: bool, css_class: str = "math") -> str:
    """TeX kept visible in a styled element, with its delimiters."""
    opener, closer = ("\\[", "\\]") if display else ("\\(", "\\)")
    kind = "math-display" if display else "math-inline"
    return f'<span class="{css_class} {kind}">{escape(opener + tex + closer)}</span>'


def render_math(tex: str, display: bool, kind: str) -> tuple[str, MathFallback | None]:
    """Markup for one math span in the requested kind, and a fallback record if it failed."""
    if kind not in MATH_KINDS:
        raise ValueError(f"unknown math kind {kind!r}; known: {', '.join(MATH_KINDS)}")
    return tex_markup(tex, display), None
