"""The sitemap exporter: XSD-valid sitemaps.org files, split into an index at scale, safe URLs."""

from __future__ import annotations

import datetime as dt
import gzip
import re
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from pressroom_sitemap import SitemapExporter

from pressroom.build import BuildResult
from pressroom.exporter import ExportContext
from pressroom.loader import load_content
from pressroom.model import Article, Book, Collection, RenderedArticle
from pressroom.urls import absolute_url, site_path
from tests.conftest import BASE_URL, CONTENT, SCHEMAS

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def schema(name: str) -> etree.XMLSchema:
    """One of the shared sitemaps.org schemas, or a clean skip without ../shared."""
    path = SCHEMAS / name
    if not path.is_file():
        pytest.skip(f"{path} is not here")
    return etree.XMLSchema(etree.parse(str(path)))


def valid(path: Path, name: str = "sitemap.xsd") -> etree._ElementTree:
    """Parse a (possibly gzipped) sitemap file and assert it is valid against `name`."""
    data = path.read_bytes()
    tree = etree.ElementTree(etree.fromstring(gzip.decompress(data) if path.suffix == ".gz"
                                              else data))
    xsd = schema(name)
    assert xsd.validate(tree), xsd.error_log
    return tree


def locs(tree: etree._ElementTree) -> list[str]:
    """Every <loc> in a urlset or index, in order."""
    return tree.xpath("//s:loc/text()", namespaces=NS)


def make_article(n: int, **fields: Any) -> Article:
    """A small article number `n`; keyword arguments override fields."""
    values: dict[str, Any] = dict(
        id=n, key=f"q{n}", slug=f"q{n}", title=f"Q{n}", question=f"Q{n}?", body_md="",
        subject="Mathematics", url=f"/learn/mathematics/questions/q{n:03d}",
        source=Path(f"content/q{n}.md"), profile="quicktakes", date=dt.date(2024, 1, 1 + n % 28))
    values.update(fields)
    return Article(**values)


def make_book(articles: list[Article], slug: str = "book") -> Book:
    """A book around articles; the sitemap never looks at rendered bodies."""
    rendered = tuple(RenderedArticle(a, "", "", (), "tex") for a in articles)
    return Book(Collection(slug, slug, tuple(articles)), rendered, slug, "QuickTakes", "en",
                f"urn:{slug}", dt.datetime(2024, 1, 1, tzinfo=dt.UTC), {})


def export(out: Path, books: list[Book], **options: Any) -> tuple[list[Path], list[str]]:
    """Run the sitemap exporter into `out`; return the files and the warnings."""
    warnings: list[str] = []
    ctx = ExportContext(out_dir=out, theme=None, base_url=BASE_URL,  # type: ignore[arg-type]
                        warn=warnings.append)
    exporter = SitemapExporter(SitemapExporter.make_options(options))
    exporter.export(books, ctx)
    return ctx.written, warnings


def _check_build(out: Path, result: BuildResult, content: Path) -> None:
    assert not [f for f in result.failures if f.startswith("sitemap")]
    tree = valid(out / "sitemap" / "sitemap.xml")
    found = locs(tree)
    assert found == sorted(found)
    assert all(loc.startswith(BASE_URL + "/") for loc in found)
    assert all(DAY.match(day) for day in tree.xpath("//s:lastmod/text()", namespaces=NS))
    urls = {absolute_url(BASE_URL, a.url) for a in load_content(content).articles}
    assert set(found) == urls and len(found) == len(urls)
    robots = (out / "sitemap" / "robots.txt").read_text()
    assert robots == f"Sitemap: {BASE_URL}/sitemap.xml\n"


def test_content_build(content_build: tuple[Path, BuildResult]) -> None:
    _check_build(*content_build, CONTENT)


def test_corpus_build(corpus_build: tuple[Path, BuildResult], corpus_dir: Path) -> None:
    _check_build(*corpus_build, corpus_dir)


def test_single_file_dedupes_across_books(tmp_path: Path) -> None:
    shared = make_article(1, date=dt.date(2024, 5, 1))
    books = [make_book([shared, make_article(2, date=None)], "a"),
             make_book([make_article(1, date=dt.date(2024, 6, 1)), make_article(3)], "b")]
    files, warnings = export(tmp_path, books)
    assert sorted(f.name for f in files) == ["robots.txt", "sitemap.xml"] and not warnings
    tree = valid(tmp_path / "sitemap.xml")
    assert len(locs(tree)) == 3
    first, second = tree.getroot()[:2]
    assert first.findtext("s:lastmod", namespaces=NS) == "2024-06-01"
    assert second.find("s:lastmod", namespaces=NS) is None


def test_split_into_index(tmp_path: Path) -> None:
    articles = [make_article(n) for n in range(35)]
    files, _ = export(tmp_path, [make_book(articles)], max_urls=10, public_path="/maps/")
    parts = [tmp_path / f"sitemap-{n}.xml" for n in range(1, 5)]
    assert sorted(files) == sorted([*parts, tmp_path / "sitemap.xml", tmp_path / "robots.txt"])
    index = valid(tmp_path / "sitemap.xml", "siteindex.xsd")
    assert locs(index) == [f"{BASE_URL}/maps/sitemap-{n}.xml" for n in range(1, 5)]
    counts = [len(locs(valid(part))) for part in parts]
    assert counts == [10, 10, 10, 5]
    assert sum((locs(valid(p)) for p in parts), []) == sorted(
        absolute_url(BASE_URL, a.url) for a in articles)
    assert (tmp_path / "robots.txt").read_text() == f"Sitemap: {BASE_URL}/maps/sitemap.xml\n"


def test_split_by_size_keeps_every_file_under_the_limit(tmp_path: Path) -> None:
    articles = [make_article(n, url=f"/learn/x/{'long-' * 60}{n}") for n in range(40)]
    export(tmp_path, [make_book(articles)], max_bytes=4096)
    parts = sorted(tmp_path.glob("sitemap-*.xml"))
    assert len(parts) > 1
    assert all(part.stat().st_size <= 4096 for part in parts)
    assert sum(len(locs(valid(part))) for part in parts) == 40


def test_gzip_is_valid_and_reproducible(tmp_path: Path) -> None:
    books = [make_book([make_article(n) for n in range(12)])]
    export(tmp_path / "one", books, gzip=True, max_urls=10)
    export(tmp_path / "two", books, gzip=True, max_urls=10)
    index = valid(tmp_path / "one" / "sitemap.xml", "siteindex.xsd")
    assert locs(index) == [f"{BASE_URL}/sitemap-1.xml.gz", f"{BASE_URL}/sitemap-2.xml.gz"]
    for name in ("sitemap-1.xml.gz", "sitemap-2.xml.gz"):
        one = (tmp_path / "one" / name).read_bytes()
        assert one == (tmp_path / "two" / name).read_bytes()
        assert one[4:8] == b"\0\0\0\0" and not one[3] & 0x08  # mtime 0, no file name
        valid(tmp_path / "one" / name)


def test_robots_can_be_turned_off(tmp_path: Path) -> None:
    files, _ = export(tmp_path, [make_book([make_article(1)])], robots=False)
    assert [f.name for f in files] == ["sitemap.xml"]
    assert not (tmp_path / "robots.txt").exists()


def test_urls_are_escaped_and_percent_encoded(tmp_path: Path) -> None:
    books = [make_book([make_article(1, url="/learn/q?a=1&b=<2>"),
                        make_article(2, url="/learn/café/ünï"),
                        make_article(3, url="/learn/100%/done%20ok")])]
    export(tmp_path, books)
    assert b"&amp;" in (tmp_path / "sitemap.xml").read_bytes()
    assert locs(valid(tmp_path / "sitemap.xml")) == [
        f"{BASE_URL}/learn/100%25/done%20ok",
        f"{BASE_URL}/learn/caf%C3%A9/%C3%BCn%C3%AF",
        f"{BASE_URL}/learn/q?a=1&b=%3C2%3E",
    ]


@pytest.mark.parametrize("url", [
    "https://evil.com/x", "//evil.com/x", "javascript:alert(1)", "/\\evil.com", "",
    "learn/relative", "/a b", "/a\nb", "/a\tb", "/a\x00b", "/a\u202eb", "/x/../y",
    "/x/%2e%2E/y", "/x/./y", "/page#frag",
])
def test_foreign_or_unsafe_urls_are_skipped_with_a_warning(tmp_path: Path, url: str) -> None:
    books = [make_book([make_article(1, url=url), make_article(2)])]
    _, warnings = export(tmp_path, books)
    assert len(warnings) == 1 and warnings[0].startswith("content/q1.md")
    assert locs(valid(tmp_path / "sitemap.xml")) == [f"{BASE_URL}/learn/mathematics/questions/q002"]


def test_warning_names_the_line_when_known(tmp_path: Path) -> None:
    article = make_article(1, url="//evil.com", lines={"url": 7})
    _, warnings = export(tmp_path, [make_book([article])])
    assert warnings[0].startswith("content/q1.md:7: ")


def test_site_path_keeps_ordinary_paths() -> None:
    path = "/learn/computer-science/questions/x-y?page=2"
    assert site_path(path) == path


@pytest.mark.parametrize("options", [
    {"max_urls": 0}, {"max_urls": 50_001}, {"max_bytes": 10}, {"public_path": "https://x.org/"},
    {"public_path": "/a/../b"}, {"colour": "red"},
])
def test_bad_options_are_rejected(options: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        SitemapExporter.make_options(options)


def test_no_usable_url_writes_nothing_and_warns(tmp_path: Path) -> None:
    files, warnings = export(tmp_path, [make_book([make_article(1, url="//evil.com")])])
    assert files == [] and not list(tmp_path.iterdir())
    assert warnings[-1] == "sitemap: no page has a usable url; no sitemap written"


def test_relative_base_url_is_rejected(tmp_path: Path) -> None:
    ctx = ExportContext(out_dir=tmp_path, theme=None, base_url="/site")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="base_url"):
        SitemapExporter().export([make_book([make_article(1)])], ctx)


@pytest.mark.parametrize("extra", [{"sitemap": False}, {"noindex": True}, {"sitemap": "no"},
                                   {"noindex": "yes"}])
def test_front_matter_excludes_a_page(tmp_path: Path, extra: dict[str, Any]) -> None:
    books = [make_book([make_article(1, extra=extra), make_article(2),
                        make_article(3, extra={"sitemap": True, "noindex": False})])]
    _, warnings = export(tmp_path, books)
    assert not warnings
    assert locs(valid(tmp_path / "sitemap.xml")) == [
        f"{BASE_URL}/learn/mathematics/questions/q002",
        f"{BASE_URL}/learn/mathematics/questions/q003"]


def test_a_flag_that_is_not_a_boolean_is_a_content_error(tmp_path: Path) -> None:
    ctx = ExportContext(out_dir=tmp_path, theme=None, base_url=BASE_URL)  # type: ignore[arg-type]
    article = make_article(1, extra={"noindex": "maybe"}, lines={"noindex": 14})
    SitemapExporter().export([make_book([article])], ctx)
    assert [str(e) for e in ctx.errors] == [
        "content/q1.md:14: noindex must be true or false, not 'maybe' (write `noindex: false`)"]
    assert len(locs(valid(tmp_path / "sitemap.xml"))) == 1


@pytest.mark.parametrize(("extra", "day"), [
    ({"last_modified": dt.date(2024, 3, 9)}, "2024-03-09"),
    ({"dateModified": "2024-03-10T23:30:00-05:00"}, "2024-03-11"),
    ({"last_modified": "2024-03-12", "dateModified": "2020-01-01"}, "2024-03-12"),
    ({"last_modified": dt.date(2023, 1, 1)}, "2024-01-02"),  # never before `date`
    ({}, "2024-01-02"),
])
def test_lastmod_from_front_matter_else_date(tmp_path: Path, extra: dict[str, Any],
                                             day: str) -> None:
    export(tmp_path, [make_book([make_article(1, extra=extra)])])
    assert valid(tmp_path / "sitemap.xml").xpath("//s:lastmod/text()", namespaces=NS) == [day]


def test_unparsable_lastmod_is_reported_and_date_used(tmp_path: Path) -> None:
    ctx = ExportContext(out_dir=tmp_path, theme=None, base_url=BASE_URL)  # type: ignore[arg-type]
    article = make_article(1, extra={"last_modified": "last tuesday"},
                           lines={"last_modified": 5})
    SitemapExporter().export([make_book([article])], ctx)
    assert [e.line for e in ctx.errors] == [5] and "last_modified" in ctx.errors[0].message
    tree = valid(tmp_path / "sitemap.xml")
    assert tree.xpath("//s:lastmod/text()", namespaces=NS) == ["2024-01-02"]


@pytest.mark.parametrize(("policy", "expected"), [
    ("always", ["/learn/a/", "/learn/b/", "/learn/c.html", "/learn/d/?page=2"]),
    ("never", ["/learn/a", "/learn/b", "/learn/c.html", "/learn/d?page=2"]),
    ("keep", ["/learn/a", "/learn/b/", "/learn/c.html", "/learn/d/?page=2"]),
])
def test_trailing_slash_policy(tmp_path: Path, policy: str, expected: list[str]) -> None:
    urls = ["/learn/a", "/learn/b/", "/learn/c.html", "/learn/d/?page=2"]
    books = [make_book([make_article(n, url=url) for n, url in enumerate(urls)])]
    export(tmp_path, books, trailing_slash=policy)
    assert locs(valid(tmp_path / "sitemap.xml")) == [BASE_URL + path for path in expected]
