"""Paper sizes and page margins: the page geometry every piece of a book is typeset on.

Body pages are typeset as right-hand (recto) pages: the wider inner margin on the left.
With mirrored margins a page that lands on the left (verso) is moved sideways by the
difference when the book is assembled, so line and page breaks never depend on which
side a page falls, and chunks can be typeset before anyone knows.
"""

from __future__ import annotations

from dataclasses import dataclass

MM = 72 / 25.4  # PDF points per millimetre
PAPERS = {"a4": (210.0, 297.0), "letter": (215.9, 279.4)}
TOP, BOTTOM, INNER, OUTER, SAME = 22.0, 24.0, 24.0, 16.0, 20.0
HEAD_FROM_TOP, FOOT_FROM_BOTTOM = 10.0, 12.0


@dataclass(frozen=True)
class Paper:
    """A page size in millimetres and its margins (inner and outer, for mirrored pages)."""

    name: str
    width: float
    height: float
    inner: float
    outer: float

    @classmethod
    def of(cls, name: str, mirrored: bool) -> Paper:
        """The paper called `name` (a4 or letter), with mirrored or equal side margins."""
        if name not in PAPERS:
            raise ValueError(f"pdf paper must be one of {', '.join(PAPERS)}, not {name!r}")
        width, height = PAPERS[name]
        inner, outer = (INNER, OUTER) if mirrored else (SAME, SAME)
        return cls(name, width, height, inner, outer)

    @property
    def verso_shift(self) -> float:
        """Points a recto-typeset page moves right to sit on a left-hand page."""
        return (self.outer - self.inner) * MM

    def body_css(self) -> str:
        """@page rules for body pages: every page typeset as a recto, no margin boxes."""
        return (f"@page {{ size: {self.width}mm {self.height}mm; margin: {TOP}mm "
                f"{self.outer}mm {BOTTOM}mm {self.inner}mm; }}\n"
                f":root {{ --paper-width: {self.width}mm; --paper-height: {self.height}mm; }}\n")

    def front_css(self) -> str:
        """@page rules for front matter typeset in one run: mirrored left and right pages."""
        return (f"@page {{ size: {self.width}mm {self.height}mm; margin: {TOP}mm "
                f"{self.outer}mm {BOTTOM}mm {self.inner}mm; }}\n"
                f"@page :left {{ margin-left: {self.outer}mm; margin-right: {self.inner}mm; }}\n"
                f".cover {{ height: {self.height}mm; }}\n")

    def sheet_css(self) -> str:
        """Geometry for furniture sheets: full pages whose heads sit in the margins."""
        text = self.width - self.inner - self.outer
        return (f"@page {{ size: {self.width}mm {self.height}mm; margin: 0; }}\n"
                f".sheet {{ width: {self.width}mm; height: {self.height}mm; }}\n"
                f".sheet .head {{ top: {HEAD_FROM_TOP}mm; width: {text}mm; }}\n"
                f".sheet .foot {{ bottom: {FOOT_FROM_BOTTOM}mm; width: {text}mm; }}\n"
                f".sheet.recto .head, .sheet.recto .foot {{ left: {self.inner}mm; }}\n"
                f".sheet.verso .head, .sheet.verso .foot {{ left: {self.outer}mm; }}\n")
