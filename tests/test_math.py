"""The math converter wrapper: MathML and SVG for what converts, visible TeX for what doesn't."""

from __future__ import annotations

import pytest
from lxml import etree

from pressroom.render.math import MATHML_NS, convert_math
from pressroom.render.mathcache import MathCache

M = f"{{{MATHML_NS}}}"

CONVERTS = [
    ("fraction", r"\frac{a}{b}", "mfrac"),
    ("binomial", r"\binom{n}{k}", "mfrac"),
    ("matrix", r"\begin{bmatrix} a & b \\ c & d \end{bmatrix}", "mtable"),
    ("aligned", r"\begin{aligned} x &= 1 \\ y &= 2 \end{aligned}", "mtable"),
    ("eqnarray", r"\begin{eqnarray} x &=& 1 \end{eqnarray}", "mtable"),
    ("cases", r"f(x) = \begin{cases} 1 & x > 0 \\ 0 & \text{otherwise} \end{cases}", "mtable"),
    ("text with ampersand", r"\text{salt & pepper}", "mtext"),
    ("row break", r"a \\ b", "mspace"),
    ("neq and nabla", r"\nabla f \neq 0", "mo"),
]
FAILS = [
    ("unknown command", r"\notacommand x"),
    ("unbalanced braces", r"}{"),
]


@pytest.mark.parametrize(("name", "tex", "element"), CONVERTS, ids=[c[0] for c in CONVERTS])
def test_mathml_converts_to_valid_annotated_mathml(name: str, tex: str, element: str) -> None:
    markup, fallback = convert_math(tex, display=True, kind="mathml")
    assert fallback is None
    root = etree.fromstring(markup.encode("utf-8"))
    assert root.tag == f"{M}math"
    assert root.get("display") == "block"
    assert root.get("alttext") == tex
    assert root.find(f".//{M}{element}") is not None
    annotation = root.find(f"{M}semantics/{M}annotation")
    assert annotation is not None and annotation.text == tex
    assert annotation.get("encoding") == "application/x-tex"
    for leaf in root.iter(f"{M}mi", f"{M}mo", f"{M}mtext"):
        assert "\\" not in (leaf.text or ""), f"TeX leaked into {leaf.tag}: {leaf.text!r}"


@pytest.mark.parametrize(("name", "tex", "element"), CONVERTS, ids=[c[0] for c in CONVERTS])
def test_svg_converts_to_sized_svg(name: str, tex: str, element: str) -> None:
    markup, fallback = convert_math(tex, display=False, kind="svg")
    assert fallback is None
    span = etree.fromstring(markup.encode("utf-8"))
    svg = span.find("{http://www.w3.org/2000/svg}svg")
    assert svg is not None
    assert svg.get("width", "").endswith("em") and svg.get("height", "").endswith("em")
    assert "vertical-align" in svg.get("style", "")
    assert svg.get("aria-label") == tex


@pytest.mark.parametrize("kind", ["mathml", "svg"])
@pytest.mark.parametrize(("name", "tex"), FAILS, ids=[f[0] for f in FAILS])
def test_unconvertible_span_falls_back_to_visible_tex(kind: str, name: str, tex: str) -> None:
    markup, fallback = convert_math(tex, display=False, kind=kind)
    assert fallback is not None and fallback.tex == tex and fallback.reason
    code = etree.fromstring(markup.encode("utf-8"))
    assert code.tag == "code" and "math-fallback" in code.get("class", "")
    assert code.text == f"\\({tex}\\)"


def test_cache_converts_once_and_survives_reopening(tmp_path) -> None:
    path = tmp_path / "math.sqlite"
    first = MathCache(path)
    markup, _ = first.convert(r"\frac{1}{2}", False, "mathml")
    first.convert(r"\frac{1}{2}", False, "mathml")
    assert (first.misses, first.hits) == (1, 1)
    first.close()
    second = MathCache(path)
    assert second.convert(r"\frac{1}{2}", False, "mathml") == (markup, None)
    assert (second.misses, second.hits) == (0, 1)
    second.close()
