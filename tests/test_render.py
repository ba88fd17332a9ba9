"""The renderer: CommonMark + tables + math, sanitised, well-formed XHTML, unique heading ids."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from pressroom.model import Article, Asset
from pressroom.render import render_article


def make_article(body: str, key: str = "sample", source: Path = Path("content/x.md")) -> Article:
    """A minimal article around a Markdown body."""
    return Article(id=1, key=key, slug=key, title="T", question="Q?", body_md=body,
                   subject="Mathematics", url=f"/learn/mathematics/questions/{key}",
                   source=source, profile="quicktakes")


def parse(xhtml: str) -> etree._Element:
    """Parse a fragment as XML: raises if it is not well-formed."""
    return etree.fromstring(f"<div xmlns='http://www.w3.org/1999/xhtml'>{xhtml}</div>")


def test_tables_strikethrough_and_code() -> None:
    body = "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~gone~~\n\n```c\nprintf(\"%d\\n\", x);\n```\n"
    root = parse(render_article(make_article(body)).html)
    ns = {"h": "http://www.w3.org/1999/xhtml"}
    assert len(root.findall(".//h:td", ns)) == 2
    assert root.find(".//h:s", ns) is not None
    assert "".join(root.find(".//h:pre/h:code", ns).itertext()) == 'printf("%d\\n", x);\n'


@pytest.mark.parametrize(("source", "tex", "display"), [
    (r"Inline \(a^2\) here", "a^2", False),
    (r"Display \[b^2\] inline", "b^2", True),
    ("$$\nc^2\n$$", "c^2", True),
    ("Dollar $d^2$ math", "d^2", False),
    (r"$x \neq 0$", r"x \neq 0", False),
])
def test_math_delimiters_are_kept_as_math(source: str, tex: str, display: bool) -> None:
    rendered = render_article(make_article(source))
    kind = "math-display" if display else "math-inline"
    spans = [e for e in parse(rendered.html).iter() if kind in (e.get("class") or "")]
    assert len(spans) == 1
    assert tex in "".join(spans[0].itertext())
    assert rendered.has_math


def test_currency_dollars_stay_text() -> None:
    rendered = render_article(make_article("It costs $5 and $10, or \\$20 in all."))
    assert "math" not in rendered.html
    assert "$5 and $10" in rendered.text and "$20" in rendered.text
    assert not rendered.has_math


def test_hostile_html_is_removed_and_unknown_tags_shown_as_text() -> None:
    body = ('<script>alert(1)</script><b onclick="x()">bold</b> '
            '<a href="javascript:alert(1)">j</a> <iframe src="https://e.com"></iframe> '
            "<style>p{}</style>\n\nssh <username>@host [click](javascript:alert(2))")
    html = render_article(make_article(body)).html
    root = parse(html)
    tags = {etree.QName(e).localname for e in root.iter()}
    assert not tags & {"script", "iframe", "style"}
    for element in root.iter():
        for name, value in element.attrib.items():
            assert not name.startswith("on")
            assert not value.strip().lower().startswith(("javascript:", "data:"))
    assert "alert(1)" not in html
    assert "<b>bold</b>" in html
    assert "&lt;username&gt;@host" in html


def test_images_outside_content_are_refused(tmp_path: Path) -> None:
    (tmp_path / "pic.png").write_bytes(b"\x89PNG")
    body = "![ok](pic.png) ![no](file:///etc/passwd) ![far](http://e.com/x.png) ![up](../x.png)"
    rendered = render_article(make_article(body, source=tmp_path / "a.md"), content_dir=tmp_path)
    root = parse(rendered.html)
    srcs = [img.get("src") for img in root.iter("{http://www.w3.org/1999/xhtml}img")]
    assert srcs == ["pic.png"]
    assert rendered.assets == (Asset("pic.png", (tmp_path / "pic.png").resolve()),)
    [warning] = rendered.warnings  # one line per kind and file, naming each image
    assert warning.startswith(f"{tmp_path / 'a.md'}: 2 images refused")
    assert "'http://e.com/x.png'" in warning and "'../x.png'" in warning


def test_heading_ids_are_unique_and_prefixed_by_article_key() -> None:
    rendered = render_article(make_article("## Steps\n\n## Steps\n\n### Steps", key="k"))
    ids = [h.id for h in rendered.headings]
    assert ids == ["k--steps", "k--steps-2", "k--steps-3"]


def test_empty_elements_are_not_self_closed_for_html_parsers() -> None:
    html = render_article(make_article("<div></div>\n\ntext")).html
    assert "<div/>" not in html


def test_a_list_written_inside_a_list_moves_into_an_item() -> None:
    html = render_article(make_article("<ul>\n<li>a</li>\n<ul><li>b</li></ul>\n</ul>\n\n"
                                       "<ol><ul><li>c</li></ul></ol>")).html
    root = parse(html)
    xhtml = "{http://www.w3.org/1999/xhtml}"
    assert all(child.tag == f"{xhtml}li" for lst in root.iter(f"{xhtml}ul", f"{xhtml}ol")
               for child in lst)
    assert [li.text for li in root.iter(f"{xhtml}li")] == ["a", "b", None, "c"]


def test_fenced_code_is_highlighted_by_language_and_keeps_its_text() -> None:
    source = 'def f(x):\n    return "%d\\n" % x  # done\n'
    body = f"```python\n{source}```\n\n```nosuchlanguage\nplain <b>\n```\n"
    root = parse(render_article(make_article(body)).html)
    ns = {"h": "http://www.w3.org/1999/xhtml"}
    python, plain = root.findall(".//h:pre/h:code", ns)
    assert "".join(python.itertext()) == source
    assert "highlight" in python.get("class").split()
    classes = {span.get("class") for span in python.iter("{*}span")}
    assert {"k", "s2", "c1"} <= classes  # keyword, string, comment
    assert plain.get("class") == "language-nosuchlanguage" and len(plain) == 0
    assert plain.text == "plain <b>\n"


def test_code_colours_come_from_the_theme_code_style() -> None:
    from pressroom.render.highlight import code_css, theme_code_css
    from pressroom.themes import Theme

    assert theme_code_css(Theme.load()) == code_css("friendly")
    assert "code.highlight .k {" in code_css("monokai") != code_css("friendly")
    with pytest.raises(ValueError, match="unknown Pygments style 'nope'"):
        code_css("nope")
