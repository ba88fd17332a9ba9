"""Property tests: the decoder, the loader and the renderer on arbitrary input."""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from lxml import etree

from pressroom.errors import ContentError
from pressroom.loader import load_file
from pressroom.model import Article
from pressroom.profiles.newlines import decode_newlines
from pressroom.render import render_article
from pressroom.render.links import resolve_markers
from pressroom.urls import site_path

SETTINGS = settings(max_examples=80, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*(?:--[a-z0-9-]+)?")
XHTML = "http://www.w3.org/1999/xhtml"
ACTIVE = {"script", "style", "iframe", "object", "embed", "form", "input", "base", "link"}

# Characters that matter to the decoder, Markdown, HTML, TeX and XML, plus anything at all.
SPECIAL = st.sampled_from([
    "\\", "\\n", "\\\\", "n", "$", "$$", "\\(", "\\)", "\\[", "\\]", "`", "```", "~~~", "*",
    "_", "#", "|", "<", ">", "&", "&amp;", "&#0;", "&#x1;", "\"", "'", "[", "]", "(", ")",
    "!", "-", "\n", "\n\n", "\t", " ", "\x00", "\x0b", "\x0c", "\x1f", "\x7f", "\ud7ff",
    "\ue000", "\ue001", "\ufffe", "\uffff", "\U0001f600", "\u2028", "\r",
    "<script>alert(1)</script>", "<b onclick=x>", "</b>", "<img src=x onerror=y>",
    "<a href=\"javascript:alert(1)\">", "</a>", "<iframe>", "<style>", "<svg onload=x>",
    "<math>", "<!--", "-->", "<![CDATA[", "]]>", "<div>", "</div>", "<p", "<br/>",
    "[x](javascript:alert(1))", "![i](file:///etc/passwd)", "[l](/etc/passwd)",
    "\\neq", "\\nu", "\\frac{a}{b}", "\\begin{matrix}", "\\end{matrix}", "^", "{", "}",
])
MARKDOWN = st.lists(st.one_of(SPECIAL, st.text(max_size=6)), max_size=40).map("".join)

KEYS = st.one_of(
    st.sampled_from(["id", "title", "question", "answer", "subject", "url", "permalink",
                     "file_name", "date", "seo", "score", "tags", "keywords", "slug",
                     "related_article1", "related_article2", "author", "description",
                     "date_format", "categories"]),
    st.text(max_size=10),
)
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
    st.dates(min_value=dt.date(1, 1, 1)), st.text(max_size=30), MARKDOWN,
    st.sampled_from(["/learn/x/questions/y", "https://evil.example/x", "//evil", "/a/../b",
                     "javascript:alert(1)", "2024-02-30", "-1.0", "../../etc", "/etc"]),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(KEYS, inner, max_size=3)),
    max_leaves=8,
)
WORDS = st.from_regex(r"\w[^\n]{0,15}", fullmatch=True)
URLS = st.one_of(st.from_regex(r"/learn/[a-z0-9-]{1,8}/questions/[a-z0-9%.-]{0,12}",
                                fullmatch=True), SCALARS)
# Close to a real QuickTakes article, so that many examples load.
NEAR_VALID = st.fixed_dictionaries(
    {"title": st.one_of(WORDS, SCALARS), "answer": st.one_of(WORDS, MARKDOWN),
     "subject": st.one_of(WORDS, SCALARS), "url": URLS},
    optional={"question": SCALARS, "id": SCALARS, "date": SCALARS, "score": SCALARS,
              "file_name": SCALARS, "seo": VALUES, "related_article1": VALUES},
)
FRONT_MATTER = st.one_of(
    NEAR_VALID.map(lambda meta: yaml.safe_dump(meta, allow_unicode=True)),
    st.dictionaries(KEYS, VALUES, max_size=10).map(
        lambda meta: yaml.safe_dump(meta, allow_unicode=True)),
    st.text(max_size=200),
    st.lists(st.one_of(st.sampled_from(["key: value", "- item", "  indented: 1", "\tTab: 1",
                                        "&a [x]", "*a", "? complex", ": ", "{", "[", "'",
                                        "\"", "!!python/object:os.system", "---", "..."]),
                       st.text(max_size=12)), max_size=12).map("\n".join),
)
BODY = st.one_of(st.just("&nbsp;"), st.just(""), MARKDOWN)


@pytest.fixture(scope="module")
def scratch() -> Iterator[Path]:
    """A folder reused by every example (hypothesis and function-scoped tmp_path do not mix)."""
    with tempfile.TemporaryDirectory() as folder:
        yield Path(folder)


@SETTINGS
@given(st.one_of(st.text(), MARKDOWN))
def test_decode_newlines_never_raises(text: str) -> None:
    decoded = decode_newlines(text)
    assert isinstance(decoded, str)
    if "\\" not in text:
        assert decoded == text


@SETTINGS
@given(front=FRONT_MATTER, body=BODY, crlf=st.booleans(), bom=st.booleans())
def test_load_file_raises_only_content_errors(scratch: Path, front: str, body: str,
                                              crlf: bool, bom: bool) -> None:
    text = f"---\n{front}\n---\n{body}\n"
    if crlf:
        text = text.replace("\n", "\r\n")
    path = scratch / "article.md"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8", "surrogatepass"))
    try:
        article = load_file(path)
    except ContentError as error:
        assert error.path == path and error.message
        assert error.line is None or error.line >= 1
        event("content error")
        return
    event(f"loaded ({article.profile})")
    assert site_path(article.url).startswith("/") and not article.url.startswith("//")
    assert SLUG.fullmatch(article.slug) and SLUG.fullmatch(article.key)
    assert article.title


@SETTINGS
@given(raw=st.binary(max_size=300))
def test_load_file_on_arbitrary_bytes(scratch: Path, raw: bytes) -> None:
    path = scratch / "bytes.md"
    path.write_bytes(raw)
    try:
        load_file(path)
    except ContentError as error:
        assert error.path == path


def _article(body: str) -> Article:
    return Article(id=1, key="k", slug="k", title="T", question="Q?", body_md=body,
                   subject="S", url="/learn/s/questions/k", source=Path("content/k.md"),
                   profile="quicktakes")


@SETTINGS
@given(body=MARKDOWN, math=st.sampled_from(["tex", "mathml"]))
@example(body="[l](/etc/passwd)", math="tex")  # a site path: a marker until export
def test_rendered_output_is_safe_well_formed_xhtml(body: str, math: str) -> None:
    rendered = render_article(_article(body), math)
    # Links to other pages stay markers until export resolves them from the site index;
    # check the page as an exporter writes it, with no page of the site known.
    html = resolve_markers(rendered.html, rendered.links, {}, lambda key: None)
    root = etree.fromstring(f'<div xmlns="{XHTML}">{html}</div>'.encode())
    for element in root.iter(etree.Element):
        assert etree.QName(element).localname not in ACTIVE, html
        for name, value in element.attrib.items():
            assert not etree.QName(name).localname.lower().startswith("on"), html
            if name in ("href", "src"):
                assert re.match(r"(?i)\s*(https?:|mailto:)", value) or name == "src", value
                assert not re.match(r"(?i)\s*(javascript|data|file|vbscript):", value), value
