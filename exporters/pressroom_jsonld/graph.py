"""schema.org nodes for one article: WebPage, Article + LearningResource, Question, breadcrumbs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pressroom.lastmod import Moment
from pressroom.model import Article
from pressroom.seo import Site, clip

Node = dict[str, Any]

HEADLINE_LIMIT = 110


@dataclass(frozen=True)
class Page:
    """One article as its graph sees it: URL, texts, dates, related links and trail, resolved."""

    article: Article
    url: str
    answer: str
    description: str
    modified: Moment | None
    related: tuple[str, ...]
    crumbs: tuple[tuple[str, str], ...]


def organization_id(site: Site) -> str:
    """The publisher Organization's @id."""
    return site.root + "#organization"


def website_id(site: Site) -> str:
    """The WebSite's @id."""
    return site.root + "#website"


def site_nodes(site: Site) -> list[Node]:
    """The Organization (with logo and sameAs when configured) and WebSite nodes."""
    organization: Node = {"@type": "Organization", "@id": organization_id(site),
                          "name": site.publisher, "url": site.root}
    if site.logo:
        organization["logo"] = {"@type": "ImageObject", "url": site.logo}
    if site.same_as:
        organization["sameAs"] = list(site.same_as)
    website = {"@type": "WebSite", "@id": website_id(site), "url": site.root,
               "name": site.name, "inLanguage": site.language,
               "publisher": {"@id": organization_id(site)}}
    return [organization, website]


def _author(article: Article, site: Site) -> Node:
    if article.author and article.author != site.publisher:
        return {"@type": "Organization", "name": article.author}
    return {"@id": organization_id(site)}


def _dated(node: Node, page: Page) -> Node:
    if page.article.date:
        node["datePublished"] = page.article.date.isoformat()
    if page.modified:
        node["dateModified"] = page.modified.isoformat()
    return node


def article_nodes(page: Page, site: Site, page_type: str) -> list[Node]:
    """WebPage (or QAPage/FAQPage), Article + LearningResource, Question, BreadcrumbList."""
    article = page.article
    ids = {part: f"{page.url}#{part}" for part in
           ("webpage", "article", "question", "answer", "breadcrumb")}
    title = article.title or article.question
    author = _author(article, site)
    main_entity: Any = {
        "WebPage": {"@id": ids["article"]},
        "QAPage": {"@id": ids["question"]},
        "FAQPage": [{"@id": ids["question"]}],
    }[page_type]

    webpage: Node = _dated({
        "@type": page_type, "@id": ids["webpage"], "url": page.url, "name": title,
        "description": page.description, "inLanguage": site.language,
        "isPartOf": {"@id": website_id(site)}, "breadcrumb": {"@id": ids["breadcrumb"]},
        "mainEntity": main_entity,
    }, page)
    links = [url for url in dict.fromkeys(page.related) if url != page.url]
    if links:
        webpage["relatedLink"] = links

    learning: Node = _dated({
        "@type": ["Article", "LearningResource"], "@id": ids["article"],
        "headline": clip(title, HEADLINE_LIMIT), "name": title,
        "description": page.description, "author": author,
        "publisher": {"@id": organization_id(site)}, "inLanguage": site.language,
        "learningResourceType": "Q&A", "isPartOf": {"@id": ids["webpage"]},
        "mainEntity": {"@id": ids["question"]},
    }, page)
    if article.keywords:
        learning["keywords"] = list(article.keywords)
    if article.subject:
        learning["about"] = {"@type": "Thing", "name": article.subject}

    question = article.question or title
    question_node: Node = _dated({
        "@type": "Question", "@id": ids["question"], "name": question, "text": question,
        "answerCount": 1 if page.answer else 0, "author": author,
    }, page)
    if page.answer:
        question_node["acceptedAnswer"] = _dated(
            {"@type": "Answer", "@id": ids["answer"], "text": page.answer, "url": ids["answer"],
             "author": author}, page)
    breadcrumb = {
        "@type": "BreadcrumbList", "@id": ids["breadcrumb"],
        "itemListElement": [
            {"@type": "ListItem", "position": n, "name": name, "item": url}
            for n, (name, url) in enumerate(page.crumbs, start=1)
        ],
    }
    return [webpage, learning, question_node, breadcrumb]
