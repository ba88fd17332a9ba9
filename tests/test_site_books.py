"""Books from the Hugo and Jekyll fixtures: EPUBCheck-clean, links that resolve, quiet logs,
and incremental builds equal to clean ones when a cascade or a link target changes."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from pypdf import PdfReader

from pressroom.build import BuildResult, run_build
from pressroom.config import BuildConfig
from pressroom.render import render_article
from pressroom.render.shortcodes import expand
from tests.conftest import BASE_URL
from tests.epubcheck_batch import check_books
from tests.test_incremental import age, outputs

from .test_sites import HUGO, JEKYLL

XHTML = "{http://www.w3.org/1999/xhtml}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def site_config(content: Path, out: Path, **overrides: object) -> BuildConfig:
    """A one-process build of a fixture site into EPUB and a sitemap, a book per section."""
    base = BuildConfig(content=content, out=out, formats=["epub", "sitemap"],
                       base_url=BASE_URL, jobs=1, group_by="section")
    return base.with_overrides(**overrides)


@pytest.fixture(scope="module")
def hugo_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildResult]:
    """The Hugo fixture built once."""
    out = tmp_path_factory.mktemp("hugo-dist")
    return out, run_build(site_config(HUGO, out, formats=["epub", "pdf", "sitemap", "atom"]))


def chapters(epub: Path) -> dict[str, etree._Element]:
    """Every chapter of an EPUB, parsed, by its name in the package."""
    with zipfile.ZipFile(epub) as archive:
        return {n.removeprefix("EPUB/text/"): etree.fromstring(archive.read(n))
                for n in archive.namelist() if n.startswith("EPUB/text/")
                and n.endswith(".xhtml")}


def test_hugo_books_pass_epubcheck(hugo_build: tuple[Path, BuildResult]) -> None:
    out, result = hugo_build
    assert not result.errors and not result.failures
    epubs = {p.stem: p for p in sorted((out / "epub").glob("*.epub"))}
    assert sorted(epubs) == ["about", "configuration", "getting-started", "news"]
    problems = check_books(list(epubs.values()))
    assert all(not p for p in problems.values()), problems


def test_links_resolve_to_chapters_inside_and_urls_outside(
        hugo_build: tuple[Path, BuildResult]) -> None:
    out, _ = hugo_build
    start = chapters(out / "epub" / "getting-started.epub")["getting-started-quick-start.xhtml"]
    hrefs = [a.get("href") for a in start.iter(f"{XHTML}a")]
    assert "getting-started-installing.xhtml#getting-started-installing" in hrefs  # ref
    assert f"{BASE_URL}/configuration/introduction/" in hrefs  # relref to another book
    assert f"{BASE_URL}/about/introduction/#history" in hrefs  # a site path with a fragment
    assert f"{BASE_URL}/configuration/all-settings/#color" in hrefs  # ../../x.md#color
    assert "#getting-started-quick-start--step-1" in hrefs  # an in-page anchor
    figure = start.find(f".//{XHTML}figure")
    assert figure is not None and figure.find(f"{XHTML}img").get("src") == \
        "content/getting-started/quick-start/screenshot.png"  # a bundle's own image
    text = "".join(start.itertext())
    assert '{{< figure src="x.png" >}}' in text and "youtube" not in text
    installing = chapters(out / "epub" / "getting-started.epub")[
        "getting-started-installing.xhtml"]
    assert installing.find(f".//{XHTML}div[@class='admonition admonition-note']") is not None
    assert any("language-bash" in code.get("class", "").split()
               for code in installing.iterfind(f".//{XHTML}pre/{XHTML}code"))


def test_pdf_links_go_to_pages_inside_and_urls_outside(
        hugo_build: tuple[Path, BuildResult]) -> None:
    out, _ = hugo_build
    uris, internal = [], 0
    for page in PdfReader(out / "pdf" / "getting-started.pdf").pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A") or {}
            if "/URI" in action:
                uris.append(str(action["/URI"]))
            else:
                internal += 1
    assert sorted(uris) == [f"{BASE_URL}/about/introduction/#history",
                            f"{BASE_URL}/configuration/all-settings/#color",
                            f"{BASE_URL}/configuration/introduction/"]
    assert internal >= 3  # ref to installing, back to the quick start, in-page #step-1


def test_no_output_holds_a_link_without_href(hugo_build: tuple[Path, BuildResult]) -> None:
    out, _ = hugo_build
    for epub in (out / "epub").glob("*.epub"):
        for name, tree in chapters(epub).items():
            assert all(a.get("href") for a in tree.iter(f"{XHTML}a")), (epub.name, name)
            assert "\ue002" not in etree.tostring(tree, encoding="unicode"), name


def test_a_long_page_warns_once_per_kind(hugo_build: tuple[Path, BuildResult]) -> None:
    _, result = hugo_build
    page = [w for w in result.warnings if "all-settings.md" in w]
    assert sorted(page) == sorted([
        f"{HUGO}/content/configuration/all-settings.md: link '#top' unlinked: no heading "
        "with that id on this page (40 times)",
        f"{HUGO}/content/configuration/all-settings.md: link '../old-reference.md' unlinked: "
        "no page of the site has that path or name"])
    assert len(result.warnings) == 3  # and the youtube shortcode, named once


def test_sitemap_lists_every_page_once(hugo_build: tuple[Path, BuildResult]) -> None:
    out, result = hugo_build
    tree = etree.parse(str(out / "sitemap" / "sitemap.xml"))
    urls = [loc.text for loc in tree.iter(f"{SITEMAP}loc")]
    assert len(urls) == len(set(urls)) == result.articles == 7
    assert f"{BASE_URL}/news/2024/05/widget-0-2/" in urls


def test_feeds_hold_site_links_and_sitemaps_the_modified_dates(
        hugo_build: tuple[Path, BuildResult]) -> None:
    out, _ = hugo_build
    feed = (out / "atom" / "feed.xml").read_text(encoding="utf-8")
    assert "\ue002" not in feed and "\ue003" not in feed
    assert f'href="{BASE_URL}/getting-started/installing/"' in feed.replace("&amp;", "&")
    tree = etree.parse(str(out / "sitemap" / "sitemap.xml"))
    lastmod = {u.findtext(f"{SITEMAP}loc"): u.findtext(f"{SITEMAP}lastmod")
               for u in tree.iter(f"{SITEMAP}url")}
    assert lastmod[f"{BASE_URL}/getting-started/installing/"] == "2024-03-02"  # lastmod
    assert lastmod[f"{BASE_URL}/getting-started/quick-start/"] == "2024-01-16"  # date


def test_jekyll_book_links_posts_and_pages(tmp_path: Path) -> None:
    result = run_build(site_config(JEKYLL, tmp_path, group_by="none"))
    assert result.articles == 8 and not result.errors
    [epub] = (tmp_path / "epub").glob("*.epub")
    assert check_books([epub]) == {epub: []}
    books = chapters(epub)
    welcome = books["meta-news-2013-05-06-welcome-to-field-notes.xhtml"]
    hrefs = {a.text: a.get("href") for a in welcome.iter(f"{XHTML}a")}
    assert hrefs["handbook"] == "docs.xhtml#docs"  # {% link docs/index.md %}
    assert hrefs["about us"] == "about.xhtml#about"  # {{ '/about/' | relative_url }}
    assert hrefs["a late release"] == \
        "release-2014-03-02-late-night-release.xhtml#release-2014-03-02-late-night-release"
    late = books["release-2014-03-02-late-night-release.xhtml"]
    assert "{{ page.title }}" in "".join(late.itertext())  # {% raw %} stays as written
    assert [w for w in result.warnings if "2016-01-10" in w] == [
        f"{JEKYLL}/_posts/2016-01-10-code-and-links.mdown: Liquid tag 'include' removed: "
        "pressroom does not render it",
        f"{JEKYLL}/_posts/2016-01-10-code-and-links.mdown: link '../2012/gone.md' unlinked: "
        "no page of the site has that path or name"]


def test_shortcodes_render_or_are_named_once() -> None:
    text, removed, noun = expand('{{< notice tip >}}Keep **this**.{{< /notice >}}'
                                 '{{< notice warning >}}And this.{{< /notice >}}', "hugo")
    assert (text, removed, noun) == ("Keep **this**.And this.", ("notice",), "shortcode")
    text, removed, _ = expand("{% comment %}gone{% endcomment %}{% if x %}kept{% endif %}",
                              "jekyll")
    assert (text, removed) == ("kept", ("if",))


def test_alerts_become_admonitions_in_any_profile() -> None:
    from tests.test_render import make_article
    html = render_article(make_article("> [!CAUTION]\n> Hot surface.\n\n> A quote.")).html
    assert re.search(r'<div class="admonition admonition-caution" role="note">'
                     r'<p class="admonition-title">Caution</p>\s*<p>Hot surface.</p>', html)
    assert "<blockquote>" in html and "[!CAUTION]" not in html


def _edit(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


@pytest.mark.parametrize("change", ["cascade", "target-url", "render-never"])
def test_cross_file_edits_build_incrementally_to_the_bytes_of_a_clean_build(
        change: str, tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(HUGO, site)
    age(site)
    out = tmp_path / "out"
    run_build(site_config(site, out))
    content = site / "content"
    if change == "cascade":  # every news page's author comes from news/_index.md
        _edit(content / "news" / "_index.md", "The Widget Team", "The Widget Crew")
    elif change == "target-url":  # pages that link to installing.md now link elsewhere
        _edit(content / "getting-started" / "installing.md", "weight: 20",
              "weight: 20\nurl: /install/")
    else:  # a whole section stops being rendered
        _edit(content / "about" / "_index.md", '"weight": 30',
              '"weight": 30,\n  "cascade": {"build": {"render": "never"}}')
    incremental = run_build(site_config(site, out))
    clean = run_build(site_config(site, tmp_path / "clean", cache=False))
    assert outputs(out) == outputs(tmp_path / "clean")
    assert (incremental.articles, incremental.warnings) == (clean.articles, clean.warnings)
    if change != "render-never":
        assert incremental.files_read < 16  # only the edited file and what it reaches
