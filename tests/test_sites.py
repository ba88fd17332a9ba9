"""Jekyll and Hugo sites read as those tools define them: files, dates, URLs, structure."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pressroom.cli import app
from pressroom.errors import ContentError
from pressroom.grouping import group_articles, resolve_order
from pressroom.loader import load_content, load_file
from pressroom.profiles.fields import parse_date, parse_moment
from pressroom.profiles.site import detect_site

SITES = Path(__file__).parent / "sites"
JEKYLL = SITES / "jekyll-blog"
HUGO = SITES / "hugo-docs"

runner = CliRunner()


def by_url(root: Path, **options: object) -> dict[str, object]:
    """The articles a site loads, by URL; no errors allowed."""
    result = load_content(root, **options)  # type: ignore[arg-type]
    assert not result.errors, [str(e) for e in result.errors]
    return {a.url: a for a in result.articles}


@pytest.mark.parametrize(("text", "expected"), [
    ("2013-05-06", dt.date(2013, 5, 6)),
    ("2013-05-06 02:12:52 +0200", dt.datetime(2013, 5, 6, 2, 12, 52,
                                               tzinfo=dt.timezone(dt.timedelta(hours=2)))),
    ("2017-01-02T15:04:05Z", dt.datetime(2017, 1, 2, 15, 4, 5, tzinfo=dt.UTC)),
    ("2017-01-02T15:04:05-07:00", dt.datetime(2017, 1, 2, 15, 4, 5,
                                               tzinfo=dt.timezone(dt.timedelta(hours=-7)))),
    ("Mon, 02 Jan 2006 15:04:05 +0000", dt.datetime(2006, 1, 2, 15, 4, 5, tzinfo=dt.UTC)),
])
def test_dates_as_jekyll_and_hugo_write_them(text: str, expected: dt.date) -> None:
    assert parse_moment(text, Path("x.md"), 3) == expected
    assert parse_date(text, Path("x.md"), 3) == expected.date() if isinstance(
        expected, dt.datetime) else expected


@pytest.mark.parametrize("text", ["someday", "12", "2013-13-45"])
def test_unparsable_dates_name_the_line(text: str) -> None:
    with pytest.raises(ContentError, match="unparsable date") as caught:
        parse_date(text, Path("x.md"), 7)
    assert caught.value.line == 7


def test_sites_are_detected_by_config_and_overridden_by_profile(tmp_path: Path) -> None:
    assert detect_site(JEKYLL).profile == "jekyll"
    assert detect_site(HUGO).profile == "hugo"
    assert detect_site(HUGO / "content").root == (HUGO / "content").resolve()
    assert detect_site(HUGO / "content" / "news").root == (HUGO / "content").resolve()
    assert detect_site(HUGO, "generic").profile == "generic"
    (tmp_path / "_posts").mkdir()
    assert detect_site(tmp_path).profile == "jekyll"  # by layout, without a config
    assert detect_site(tmp_path / "_posts", depth=0).profile == "auto"


def test_jekyll_posts_pages_and_drafts() -> None:
    pages = by_url(JEKYLL)
    assert sorted(pages) == [
        "/2016/01/10/code-and-links/", "/2017/09/01/weekly-notes/", "/about/", "/docs/",
        "/docs/setup/", "/howto/2015/07/21/dates-from-file-names/",
        "/meta/news/2013/05/06/welcome-to-field-notes/",
        "/release/2014/03/02/late-night-release/"]
    welcome = pages["/meta/news/2013/05/06/welcome-to-field-notes/"]
    assert (welcome.date, welcome.subject, welcome.keywords) == (
        dt.date(2013, 5, 6), "Meta", ("welcome", "blogging"))
    assert welcome.author == "Field Notes Team"  # from _config.yml defaults
    late = pages["/release/2014/03/02/late-night-release/"]
    assert late.date == dt.date(2014, 3, 2)  # 23:30 in New York is 05:30 in Berlin
    assert late.author == "Dana"
    assert pages["/howto/2015/07/21/dates-from-file-names/"].date == dt.date(2015, 7, 21)
    code = pages["/2016/01/10/code-and-links/"]
    assert code.modified == dt.date(2016, 2, 1) and code.keywords == ("code", "links")
    assert pages["/docs/setup/"].subject == "Handbook"  # scoped default
    assert {p.source.suffix for p in pages.values()} >= {".markdown", ".mdown", ".mkd", ".md"}


def test_jekyll_skips_what_jekyll_does_not_publish() -> None:
    result = load_content(JEKYLL)
    assert {s.source.name for s in result.skipped} == {
        "2016-02-14-unpublished-idea.md", "a-post-in-progress.md"}
    read = {a.source.parent.name for a in result.articles}
    assert not read & {"_includes", "_site", "_layouts"}
    with_drafts = by_url(JEKYLL, drafts=True)
    assert len(with_drafts) == len(result.articles) + 2


def test_jekyll_collections_are_pages_only_when_output(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(JEKYLL, site)
    for name in ("recipes", "notes"):
        (site / f"_{name}").mkdir()
        (site / f"_{name}" / "bread.md").write_text("---\ntitle: Bread\n---\nFlour.\n")
    config = site / "_config.yml"
    config.write_text(config.read_text() + "collections:\n  recipes:\n    output: true\n"
                      "    permalink: /:collection/:path/\n  notes: {}\n")
    result = load_content(site)
    assert "/recipes/bread/" in {a.url for a in result.articles}
    assert any("'notes' is not output" in s.reason for s in result.skipped)


def test_hugo_urls_from_sections_bundles_slugs_and_permalinks() -> None:
    pages = by_url(HUGO)
    assert sorted(pages) == [
        "/about/introduction/", "/configuration/all-settings/",
        "/configuration/introduction/", "/getting-started/installing/",
        "/getting-started/quick-start/", "/news/0001/01/changelog/",
        "/news/2024/05/widget-0-2/"]
    keys = [a.key for a in pages.values()]  # type: ignore[attr-defined]
    assert len(set(keys)) == len(keys)  # two introduction.md never collide


def test_hugo_front_matter_formats_dates_weights_and_cascade() -> None:
    pages = by_url(HUGO / "content")
    toml = pages["/configuration/introduction/"]
    assert (toml.date, toml.weight, toml.keywords) == (dt.date(2024, 2, 1), 1, ("config",))
    json_page = pages["/about/introduction/"]
    assert (json_page.title, json_page.author, json_page.date) == (
        "Introduction", "Ada, Grace", dt.date(2023, 11, 5))
    installing = pages["/getting-started/installing/"]
    assert (installing.date, installing.modified) == (dt.date(2024, 1, 15), dt.date(2024, 3, 2))
    news = pages["/news/2024/05/widget-0-2/"]
    assert news.author == "The Widget Team"  # cascaded from news/_index.md
    changelog = pages["/news/0001/01/changelog/"]
    assert changelog.title == "Changelog" and "# Changelog" not in changelog.body_md


def test_hugo_sections_are_not_articles_and_partials_are_skipped() -> None:
    result = load_content(HUGO)
    assert {s.path: s.title for s in result.sections} == {
        "": "Widget documentation", "getting-started": "Getting started",
        "configuration": "Configuration", "about": "About Widget", "news": "News",
        "_partials": "Partials"}
    reasons = {s.source.name: s.reason for s in result.skipped}
    assert set(reasons) == {"install-note.md", "notes.md", "next-release.md"}
    assert "render is never" in reasons["install-note.md"]
    assert "bundle" in reasons["notes.md"] and "draft" in reasons["next-release.md"]
    assert "/news/2024/06/what-comes-next/" in by_url(HUGO, drafts=True)


def test_grouping_by_section_follows_section_titles_and_weights() -> None:
    result = load_content(HUGO)
    books = group_articles(result.articles, "section", resolve_order("auto", "hugo"),
                           sections=result.sections)
    assert [b.title for b in books] == ["Getting started", "Configuration", "About Widget",
                                        "News"]
    assert [a.url for a in books[0].articles] == ["/getting-started/quick-start/",
                                                  "/getting-started/installing/"]
    jekyll = load_content(JEKYLL).articles
    posts = [a for a in group_articles(jekyll, "none", resolve_order("auto", "jekyll"))[0]
             .articles if a.date]
    assert [a.date for a in posts] == sorted(a.date for a in posts)


def test_show_finds_the_site_above_a_file() -> None:
    article = load_file(HUGO / "content" / "news" / "widget-0-2-released.md")
    assert (article.profile, article.url) == ("hugo", "/news/2024/05/widget-0-2/")


def test_check_prints_a_summary_by_kind(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(HUGO, site)
    for n in range(3):
        bad = site / "content" / "news" / f"bad-{n}.md"
        bad.write_text(f"---\ntitle: Bad {n}\ndate: day {n}\n---\nx\n")
    result = runner.invoke(app, ["check", str(site), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "7 articles loaded" in result.stdout and "(profile hugo)" in result.stdout
    assert "errors: 3 × unparsable date …" in result.stdout
    assert "skipped: 1 × a draft (build with --drafts to include it)" in result.stdout
