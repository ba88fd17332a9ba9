"""No widowed headings: no printed page ends with a heading whose text went on overleaf."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pressroom_pdf import PdfExporter
from pypdf import PdfReader

from pressroom.exporter import ExportContext
from pressroom.render import render_article
from pressroom.themes import Theme
from tests.conftest import BASE_URL
from tests.test_pdf import article, small_book

MARK = re.compile(r"(Topic \d+|Detail \d+-\d+)")
# The theme's `break-after: avoid` repeats WeasyPrint's own default: taking the rule out
# means overriding both.
NO_RULE = "h1, h2, h3, h4, h5, h6 { break-after: auto; }\n"


def sections() -> str:
    """Forty sections of one to nine one-line paragraphs: with these lengths three page
    ends fall right after a heading (topics 11, 34 and 39 on A4) unless the stylesheet
    keeps each heading with the text after it."""
    parts = []
    for n in range(1, 41):
        parts.append(f"## Topic {n}")
        parts += [f"Detail {n}-{k}: a short line of the section's text."
                  for k in range(1, (n * 6) % 9 + 2)]
    return "\n\n".join(parts)


def last_marks(theme: Theme, out: Path) -> list[str]:
    """Typeset the article in a book with `theme`: the last heading or line on each page
    (the running heads and folios, laid over the page, carry no mark)."""
    content = out / "content"
    content.mkdir(parents=True)
    rendered = [render_article(article("widows", sections(), content / "widows.md"),
                               "svg", content)]
    ctx = ExportContext(out_dir=out / "pdf", theme=theme, base_url=BASE_URL)
    PdfExporter().export([small_book(content, rendered)], ctx)
    (path,) = ctx.written
    found = [MARK.findall(page.extract_text()) for page in PdfReader(path).pages]
    return [marks[-1] for marks in found if marks]


def theme_without_the_rule(folder: Path) -> Theme:
    """The default theme with headings free to part from the text after them."""
    (folder / "css").mkdir(parents=True)
    (folder / "css" / "free.css").write_text(NO_RULE, encoding="utf-8")
    (folder / "theme.toml").write_text('name = "free"\nparent = "default"\n\n[stylesheets]\n'
                                       'pdf = ["css/free.css"]\n', encoding="utf-8")
    return Theme.load(str(folder))


@pytest.mark.parametrize("kept", [True, False], ids=["default theme", "rule removed"])
def test_no_page_ends_with_a_heading(tmp_path: Path, kept: bool) -> None:
    theme = Theme.load() if kept else theme_without_the_rule(tmp_path / "free")
    ends = last_marks(theme, tmp_path / "book")
    assert len(ends) >= 6, "the article runs over several pages"
    widowed = [mark for mark in ends if mark.startswith("Topic")]
    if kept:
        assert widowed == [], f"pages end with the headings {widowed}"
    else:  # the same article, the rule taken out: the test above would fail
        assert widowed, "without the rule a heading lands at the foot of a page"
