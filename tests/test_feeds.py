"""Atom (RFC 4287) and JSON Feed 1.1: newest pages per collection and site-wide, read back."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import feedparser
import pytest
from lxml import etree
from lxml import html as lxml_html
from pressroom_atom import AtomExporter
from pressroom_jsonfeed import JsonFeedExporter

from pressroom.books import make_book
from pressroom.exporter import ExportContext, Exporter
from pressroom.feeds import absolute_html
from pressroom.model import Article, Book, Collection
from pressroom.registry import select_exporters
from pressroom.render import render_article
from tests.conftest import BASE_URL

ATOM = "{http://www.w3.org/2005/Atom}"
NS = {"a": "http://www.w3.org/2005/Atom"}


def make_article(n: int, subject: str = "Mathematics", **fields: Any) -> Article:
    """Article `n`, published on day `n` of 2024 (so a higher n is newer)."""
    slug = subject.lower()
    values: dict[str, Any] = dict(
        id=n, key=f"q{n}", slug=f"q{n}", title=f"Question {n}?", question=f"Question {n}?",
        body_md=f"Answer {n}: $x^{n}$ and [a link](https://ex.org/{n}).", subject=subject,
        url=f"/learn/{slug}/questions/q{n}", source=Path(f"content/q{n}.md"),
        profile="quicktakes", date=dt.date(2024, 1, 1) + dt.timedelta(days=n),
        author="QuickTakes", description=f"About {n}.", keywords=("alpha",))
    values.update(fields)
    return Article(**values)


def make_books(*groups: list[Article]) -> list[Book]:
    """One book per group, slugged after the first article's subject."""
    return [make_book(Collection(group[0].subject.lower(), group[0].subject, tuple(group)),
                      [render_article(a) for a in group], base_url=BASE_URL)
            for group in groups]


def export(cls: type[Exporter], out: Path, books: list[Book], **options: Any) -> list[Path]:
    """Run a feed exporter into `out`; return the files it wrote."""
    ctx = ExportContext(out_dir=out, theme=None, base_url=BASE_URL)  # type: ignore[arg-type]
    cls(cls.make_options(options)).export(books, ctx)
    return ctx.written


def check_atom(path: Path) -> list[etree._Element]:
    """RFC 4287's required elements, a real parser's acceptance; return the entries."""
    root = etree.parse(str(path)).getroot()
    assert root.tag == ATOM + "feed"
    for name in ("id", "title", "updated"):
        assert len(root.findall(ATOM + name)) == 1 and root.findtext(ATOM + name).strip()
    self_links = root.xpath("a:link[@rel='self']/@href", namespaces=NS)
    assert len(self_links) == 1 and self_links[0].startswith(BASE_URL + "/")
    entries = root.findall(ATOM + "entry")
    feed_author = root.find(f"{ATOM}author/{ATOM}name") is not None
    ids = [entry.findtext(ATOM + "id") for entry in entries]
    assert len(set(ids)) == len(ids) and all(i.startswith(BASE_URL + "/") for i in ids)
    for entry in entries:
        for name in ("id", "title", "updated"):
            assert len(entry.findall(ATOM + name)) == 1 and entry.findtext(ATOM + name).strip()
        assert feed_author or entry.find(f"{ATOM}author/{ATOM}name") is not None
        content = entry.find(ATOM + "content")
        assert content is not None or entry.xpath("a:link[@rel='alternate']", namespaces=NS)
        if content is not None:
            assert content.get("type") == "html" and entry.find(ATOM + "summary") is not None
            _check_links(content.text)
    parsed = feedparser.parse(path.read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10" and len(parsed.entries) == len(entries)
    stamps = [entry.updated_parsed for entry in parsed.entries]
    assert all(stamps) and parsed.feed.updated_parsed == max(stamps)
    return entries


def _check_links(content: str) -> None:
    fragment = lxml_html.fragment_fromstring(content, create_parent="div")
    for element in fragment.iter("a", "img"):
        url = element.get("href") or element.get("src") or ""
        assert url.startswith(("http://", "https://", "mailto:")), url


def check_json_feed(path: Path) -> list[dict[str, Any]]:
    """JSON Feed 1.1's required fields (feedparser 6 reads no JSON) and RFC 3339 dates."""
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["version"] == "https://jsonfeed.org/version/1.1"
    assert document["title"] and isinstance(document["items"], list)
    assert document["feed_url"].startswith(BASE_URL + "/") and document["home_page_url"]
    for item in document["items"]:
        assert item["id"] and item["url"].startswith(BASE_URL + "/")
        assert item.get("content_html") or item.get("content_text")
        for key in ("date_published", "date_modified"):
            assert dt.datetime.fromisoformat(item[key]).tzinfo is not None
        if "content_html" in item:
            _check_links(item["content_html"])
        assert all(author["name"] for author in item["authors"])
    return document["items"]


@pytest.mark.parametrize("fixture", ["content_build", "corpus_build"])
def test_built_feeds_are_valid(fixture: str, request: pytest.FixtureRequest) -> None:
    out, result = request.getfixturevalue(fixture)
    assert not [f for f in result.failures if f.startswith(("atom", "jsonfeed"))]
    atom = sorted((out / "atom").rglob("*.xml"))
    jsonfeed = sorted((out / "jsonfeed").rglob("*.json"))
    assert len(atom) == len(jsonfeed) == result.books + 1
    counts = [len(check_atom(path)) for path in atom]
    assert counts == [len(check_json_feed(path)) for path in jsonfeed]
    assert len(check_atom(out / "atom" / "feed.xml")) == min(20, result.articles)


def test_newest_n_per_collection_and_site_wide(tmp_path: Path) -> None:
    books = make_books([make_article(n) for n in (1, 5, 3, 7)],
                       [make_article(n, "Physics") for n in (2, 6, 4)])
    export(AtomExporter, tmp_path / "atom", books, limit=3)
    export(JsonFeedExporter, tmp_path / "jsonfeed", books, limit=3)
    expected = {"feed": [7, 6, 5], "mathematics/feed": [7, 5, 3], "physics/feed": [6, 4, 2]}
    for stem, numbers in expected.items():
        urls = [entry.findtext(ATOM + "id") for entry in check_atom(tmp_path / "atom" /
                                                                     f"{stem}.xml")]
        assert [int(url.rsplit("q", 1)[1]) for url in urls] == numbers
        items = check_json_feed(tmp_path / "jsonfeed" / f"{stem}.json")
        assert [item["id"] for item in items] == urls


def test_entry_has_summary_html_with_tex_and_absolute_self_link(tmp_path: Path) -> None:
    export(AtomExporter, tmp_path, make_books([make_article(1)]), public_path="/feeds/",
           site_name="Quick Takes")
    root = etree.parse(str(tmp_path / "feed.xml")).getroot()
    assert root.xpath("a:link[@rel='self']/@href", namespaces=NS) == [
        f"{BASE_URL}/feeds/feed.xml"]
    assert root.findtext(ATOM + "title") == "Quick Takes"
    entry = check_atom(tmp_path / "feed.xml")[0]
    assert entry.findtext(ATOM + "summary") == "About 1."
    assert entry.findtext(ATOM + "published") == "2024-01-02T00:00:00+00:00"
    content = entry.findtext(ATOM + "content")
    assert "\\(x^1\\)" in content and '<a href="https://ex.org/1"' in content
    assert "<script" not in content


def test_excluded_pages_are_left_out_of_feeds(tmp_path: Path) -> None:
    books = make_books([make_article(1), make_article(2, extra={"noindex": True}),
                        make_article(3, extra={"sitemap": False})])
    export(JsonFeedExporter, tmp_path, books)
    assert [item["id"] for item in check_json_feed(tmp_path / "feed.json")] == [
        f"{BASE_URL}/learn/mathematics/questions/q1"]


def test_feeds_use_lastmod_and_trailing_slash_policy(tmp_path: Path) -> None:
    books = make_books([make_article(1, extra={"last_modified": "2024-05-01T09:30:00Z"})])
    export(JsonFeedExporter, tmp_path, books, trailing_slash="always")
    item = check_json_feed(tmp_path / "feed.json")[0]
    assert item["url"] == f"{BASE_URL}/learn/mathematics/questions/q1/"
    assert item["date_modified"] == "2024-05-01T09:30:00+00:00"
    assert item["date_published"] == "2024-01-02T00:00:00+00:00"


def test_feeds_are_reproducible(tmp_path: Path) -> None:
    books = make_books([make_article(n) for n in range(1, 4)])
    for run in ("one", "two"):
        export(AtomExporter, tmp_path / run, books)
    assert (tmp_path / "one" / "feed.xml").read_bytes() == \
        (tmp_path / "two" / "feed.xml").read_bytes()


def test_relative_links_in_content_become_absolute() -> None:
    page = f"{BASE_URL}/learn/x/questions/q1"
    html = absolute_html('<p>See <a href="../q2">q2</a> <img src="img/a.png" alt="a"/></p>', page)
    assert 'href="https://www.example.org/learn/x/q2"' in html
    assert 'src="https://www.example.org/learn/x/questions/img/a.png"' in html


def test_both_feed_exporters_are_registered() -> None:
    infos = {info.name: info.cls for info in select_exporters(["atom", "jsonfeed"])}
    assert infos == {"atom": AtomExporter, "jsonfeed": JsonFeedExporter}
    assert all(cls.whole_site and cls.math == "tex" for cls in infos.values())


@pytest.mark.parametrize("options", [{"limit": 0}, {"public_path": "https://x.org/"},
                                     {"trailing_slash": "both"}])
def test_bad_feed_options_are_rejected(options: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        AtomExporter.make_options(options)


def test_no_listable_page_writes_no_feed(tmp_path: Path) -> None:
    warnings: list[str] = []
    ctx = ExportContext(out_dir=tmp_path, theme=None, base_url=BASE_URL,  # type: ignore[arg-type]
                        warn=warnings.append)
    AtomExporter().export(make_books([make_article(1, extra={"noindex": True})]), ctx)
    assert not ctx.written and warnings == ["atom: no page can be listed; no feed written"]
