"""The JSON-LD exporter: complete, self-consistent schema.org graphs, safe inside <script>."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pressroom_jsonld import JsonLdExporter, script_safe_json

from pressroom.books import make_book
from pressroom.build import BuildResult
from pressroom.exporter import ExportContext
from pressroom.model import Article, Book, Collection, RelatedLink
from pressroom.render import render_article

BASE = "https://www.example.org"
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Markup the renderer emits; plain text that merely mentions a tag (`<div>`) is fine.
MARKUP = re.compile(r"</?(p|li|ul|ol|strong|em|h[1-6]|math|span|pre|code|table|td|tr|br)\b[^>]*>")


def make_article(n: int, **fields: Any) -> Article:
    """A small article number `n`; keyword arguments override fields."""
    values: dict[str, Any] = dict(
        id=n, key=f"q{n}", slug=f"q{n}", title=f"Question {n}?", question=f"Question {n}?",
        body_md=f"Answer **{n}** with $x^{n}$.\n\n- one\n- two\n", subject="Mathematics",
        url=f"/learn/mathematics/questions/q{n}", source=Path(f"content/q{n}.md"),
        profile="quicktakes", date=dt.date(2024, 1, 1 + n % 28), author="QuickTakes",
        description=f"About {n}.", keywords=("alpha", "beta"))
    values.update(fields)
    return Article(**values)


def make_books(*groups: list[Article]) -> list[Book]:
    """One book per group of articles."""
    return [make_book(Collection(f"book{i}", f"Book {i}", tuple(group)),
                      [render_article(a) for a in group], base_url=BASE)
            for i, group in enumerate(groups)]


def export(tmp_path: Path, books: list[Book], **options: Any) -> tuple[list[Path], list[str]]:
    """Run the exporter into tmp_path; return the files and the warnings."""
    warnings: list[str] = []
    ctx = ExportContext(out_dir=tmp_path, theme=None, base_url=BASE,  # type: ignore[arg-type]
                        content_dir=tmp_path, warn=warnings.append)
    exporter = JsonLdExporter(JsonLdExporter.make_options(options))
    return exporter.export(books, ctx), warnings


def graphs(path: Path) -> list[list[dict[str, Any]]]:
    """The feed's documents: one `@graph` per article, each with the schema.org context."""
    documents = json.loads(path.read_text(encoding="utf-8"))
    assert isinstance(documents, list)
    for document in documents:
        assert document["@context"] == "https://schema.org"
    return [document["@graph"] for document in documents]


def feed_nodes(path: Path) -> list[dict[str, Any]]:
    """Every top-level node of every article graph in a feed."""
    return [node for graph in graphs(path) for node in graph]


def check_feed(path: Path, base_url: str) -> dict[str, dict[str, Any]]:
    """Assert a feed is complete and consistent; return its pages by URL."""
    raw = path.read_text(encoding="utf-8")
    assert not set("<>&") & set(raw), "feed is not safe inside <script>"
    pages: dict[str, dict[str, Any]] = {}
    for graph in graphs(path):
        page = _check_graph(graph, base_url)
        pages[page["url"]] = page
    assert pages
    return pages


def _check_graph(graph: list[dict[str, Any]], base_url: str) -> dict[str, Any]:
    """One article's graph is self-contained and complete; return its page node."""
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
    pages = [node for node in graph if node["@type"] in ("WebPage", "QAPage", "FAQPage")]
    assert len(pages) == 1
    page = pages[0]
    assert page["url"].startswith(base_url + "/")
    _check_page(page, by_id, page["url"], base_url)
    return page


def _check_page(page: dict[str, Any], by_id: dict[str, dict[str, Any]], url: str,
                base_url: str) -> None:
    assert page["@id"] == url + "#webpage" and page["name"] and page["description"]
    assert page["isPartOf"] == {"@id": base_url + "/#website"}
    assert page["inLanguage"]
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
    assert [c["position"] for c in crumbs] == [1, 2, 3]
    assert crumbs[0]["item"] == base_url + "/"
    assert re.fullmatch(re.escape(base_url) + r"/learn/[a-z0-9-]+", crumbs[1]["item"])
    assert crumbs[2]["item"] == url
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
    feeds = sorted((out / "jsonld").glob("*.jsonld"))
    assert len(feeds) == result.books
    pages = sum(len(check_feed(feed, base_url)) for feed in feeds)
    assert pages == result.articles


def test_content_build(content_build: tuple[Path, BuildResult]) -> None:
    _check_build(*content_build, "https://www.example.org")


def test_corpus_build(corpus_build: tuple[Path, BuildResult]) -> None:
    _check_build(*corpus_build, "https://www.example.org")


def test_hand_made_feed_is_complete(tmp_path: Path) -> None:
    related = (RelatedLink(2, "Q2", "Mathematics", "/learn/mathematics/questions/q2"),) * 2
    books = make_books([make_article(1, related=related), make_article(2)])
    files, warnings = export(tmp_path, books)
    assert files == [tmp_path / "book0.jsonld"] and not warnings
    pages = check_feed(files[0], BASE)
    page = pages[BASE + "/learn/mathematics/questions/q1"]
    assert page["@type"] == "WebPage"
    assert page["relatedLink"] == [BASE + "/learn/mathematics/questions/q2"]
    assert page["mainEntity"] == {"@id": page["url"] + "#article"}
    nodes = feed_nodes(files[0])
    answer = next(n for n in nodes if n["@type"] == "Question")["acceptedAnswer"]["text"]
    assert answer.startswith("Answer 1 with") and "<" not in answer


@pytest.mark.parametrize("page_type", ["QAPage", "FAQPage"])
def test_qa_and_faq_pages_only_when_configured(tmp_path: Path, page_type: str) -> None:
    books = make_books([make_article(1)])
    plain = feed_nodes(export(tmp_path / "plain", books)[0][0])
    assert {"QAPage", "FAQPage"}.isdisjoint(str(node["@type"]) for node in plain)
    files, _ = export(tmp_path / "qa", books, page_type=page_type)
    page = check_feed(files[0], BASE)[BASE + "/learn/mathematics/questions/q1"]
    assert page["@type"] == page_type
    question = {"@id": page["url"] + "#question"}
    assert page["mainEntity"] == (question if page_type == "QAPage" else [question])


def test_unknown_page_type_is_rejected() -> None:
    with pytest.raises(ValueError, match="page_type must be one of"):
        JsonLdExporter.make_options({"page_type": "BlogPosting"})


def test_script_end_tag_in_title_cannot_break_out(tmp_path: Path) -> None:
    title = "</script><script>alert('x & y')</script>"
    books = make_books([make_article(1, title=title, question=title)])
    raw = export(tmp_path, books)[0][0].read_text(encoding="utf-8")
    assert "</script" not in raw.lower() and "\\u003c/script\\u003e" in raw
    nodes = [node for document in json.loads(raw) for node in document["@graph"]]
    assert any(node.get("name") == title for node in nodes)


def test_long_title_gives_short_headline(tmp_path: Path) -> None:
    title = "Why " + "does this very long question keep going " * 10 + "?"
    files, _ = export(tmp_path, make_books([make_article(1, title=title)]))
    nodes = feed_nodes(files[0])
    article = next(n for n in nodes if n["@id"].endswith("#article"))
    assert len(article["headline"]) <= 110 and article["headline"].endswith("…")
    assert article["name"] == title


def test_empty_answer_warns_and_has_no_accepted_answer(tmp_path: Path) -> None:
    files, warnings = export(tmp_path, make_books([make_article(1, body_md="", description="")]))
    question = next(n for n in feed_nodes(files[0])
                    if n["@type"] == "Question")
    assert "acceptedAnswer" not in question and question["answerCount"] == 0
    assert warnings and "content/q1.md" in warnings[0]


def test_duplicate_url_in_a_book_is_written_once(tmp_path: Path) -> None:
    files, warnings = export(tmp_path, make_books([make_article(1), make_article(1, id=9)]))
    assert len(check_feed(files[0], BASE)) == 1
    assert len(warnings) == 1


def test_one_feed_per_book(tmp_path: Path) -> None:
    files, _ = export(tmp_path, make_books([make_article(1)], [make_article(2)]))
    assert [f.name for f in files] == ["book0.jsonld", "book1.jsonld"]


@given(st.text())
def test_script_safe_json_round_trips(text: str) -> None:
    dumped = script_safe_json({"name": text})
    assert not set("<>&\u2028\u2029") & set(dumped)
    assert json.loads(dumped) == {"name": text}
