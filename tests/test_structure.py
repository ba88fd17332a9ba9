"""The renderer's accessible structure: nested heading levels, header cells never empty."""

from __future__ import annotations

from lxml import etree
from pressroom_pdf.document import article_fragments, book_html

from pressroom.books import make_book
from pressroom.model import Collection
from pressroom.render import render_article
from pressroom.themes import Theme
from tests.test_render import make_article, parse

NS = {"h": "http://www.w3.org/1999/xhtml"}


def levels(markdown: str) -> list[int]:
    """The heading levels of a rendered body, in document order."""
    return [h.level for h in render_article(make_article(markdown)).headings]


def test_answer_headings_start_under_the_question() -> None:
    assert levels("### Steps\n\ntext\n\n### More") == [2, 2]
    assert levels("# Big\n\n## Smaller") == [2, 3]


def test_heading_levels_never_skip_and_keep_their_shape() -> None:
    assert levels("### A\n\n##### B\n\n###### C\n\n### D\n\n#### E") == [2, 3, 4, 2, 3]
    assert levels("#### Deep first\n\n## Then shallow\n\n### Under it") == [2, 2, 3]


def test_heading_tags_match_the_recorded_levels() -> None:
    rendered = render_article(make_article("### A\n\n##### B"))
    tags = [etree.QName(e).localname for e in parse(rendered.html).iter()
            if etree.QName(e).localname in ("h1", "h2", "h3", "h4", "h5", "h6")]
    assert tags == ["h2", "h3"]


def test_empty_corner_header_gets_a_hidden_label() -> None:
    body = "|  | Shared | Adds |\n|---|---|---|\n| Series | Current | Voltage |\n"
    root = parse(render_article(make_article(body)).html)
    headers = root.findall(".//h:thead//h:th", NS)
    assert ["".join(th.itertext()) for th in headers] == ["Column 1", "Shared", "Adds"]
    assert headers[0].find("h:span", NS).get("class") == "visually-hidden"


def test_all_empty_header_row_is_dropped() -> None:
    body = "|   |   |\n|---|---|\n| a | b |\n| c | d |\n"
    root = parse(render_article(make_article(body)).html)
    assert root.find(".//h:thead", NS) is None and root.find(".//h:th", NS) is None
    assert len(root.findall(".//h:tbody/h:tr", NS)) == 2


def test_header_cells_with_math_or_image_alt_are_not_empty() -> None:
    body = "| \\(p\\) | ![q](x.png) |\n|---|---|\n| 1 | 2 |\n"
    root = parse(render_article(make_article(body)).html)
    assert root.find(".//h:span[@class='visually-hidden']", NS) is None


def test_pdf_headings_nest_under_each_question_too() -> None:
    rendered = [render_article(make_article("### A\n\n##### B\n\n### C", key=key))
                for key in ("one", "two")]
    collection = Collection("tests", "Tests", tuple(r.article for r in rendered))
    book = make_book(collection, rendered, base_url="https://example.org")
    root = etree.HTML(book_html(Theme.load(), book, ("body",), article_break="page",
                                fragments=article_fragments(Theme.load(), book, rendered)[0]))
    levels = [int(e.tag[1]) for e in root.iter("h1", "h2", "h3", "h4", "h5", "h6")]
    assert all(after <= before + 1 for before, after in zip([0, *levels], levels, strict=False))
    assert levels.count(1) >= 2 and 4 not in levels
