"""schema.org nodes for one article: WebPage, Article + LearningResource, Question, breadcrumbs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pressroom.model import Article, absolute_url
from pressroom.slugs import safe_slug

Node = dict[str, Any]

HEADLINE_LIMIT = 110
DESCRIPTION_LIMIT = 160


@dataclass(frozen=True)
class Site:
    """What every page of one feed shares: base URL, publisher, site and language."""

    base_url: str
    publisher: str
    language: str
    page_type: str

    @property
    def root(self) -> str:
        """The site's home page URL."""
        return absolute_url(self.base_url, "")

    @property
    def organization_id(self) -> str:
        """The publisher Organization's @id."""
        return self.root + "#organization"

    @property
    def website_id(self) -> str:
        """The WebSite's @id."""
        return self.root + "#website"


def site_nodes(site: Site) -> list[Node]:
    """The Organization and WebSite nodes, written once per feed."""
    organization = {"@type": "Organization", "@id": site.organization_id,
                    "name": site.publisher, "url": site.root}
    website = {"@type": "WebSite", "@id": site.website_id, "url": site.root,
               "name": site.publisher, "inLanguage": site.language,
               "publisher": {"@id": site.organization_id}}
    return [organization, website]


def clip(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters at a word boundary, with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    head, space, _ = cut.rpartition(" ")
    return (head if space and len(head) > limit // 2 else cut).rstrip(" ,;:.-") + "…"


def _author(article: Article, site: Site) -> Node:
    if article.author and article.author != site.publisher:
        return {"@type": "Organization", "name": article.author}
    return {"@id": site.organization_id}


def _dated(node: Node, date: str | None) -> Node:
    if date:
        node["datePublished"] = date
    return node


def article_nodes(article: Article, answer: str, related: list[str], site: Site) -> list[Node]:
    """WebPage, Article + LearningResource, Question (with its Answer) and BreadcrumbList."""
    page = absolute_url(site.base_url, article.url)
    ids = {part: f"{page}#{part}" for part in
           ("webpage", "article", "question", "answer", "breadcrumb")}
    title = article.title or article.question
    question = article.question or title
    description = article.description or clip(answer, DESCRIPTION_LIMIT)
    date = article.date.isoformat() if article.date else None
    author = _author(article, site)
    main_entity: Any = {
        "WebPage": {"@id": ids["article"]},
        "QAPage": {"@id": ids["question"]},
        "FAQPage": [{"@id": ids["question"]}],
    }[site.page_type]

    webpage: Node = {
        "@type": site.page_type, "@id": ids["webpage"], "url": page, "name": title,
        "description": description, "inLanguage": site.language,
        "isPartOf": {"@id": site.website_id}, "breadcrumb": {"@id": ids["breadcrumb"]},
        "mainEntity": main_entity,
    }
    _dated(webpage, date)
    links = list(dict.fromkeys(url for url in related if url != page))
    if links:
        webpage["relatedLink"] = links

    learning: Node = {
        "@type": ["Article", "LearningResource"], "@id": ids["article"],
        "headline": clip(title, HEADLINE_LIMIT), "name": title, "description": description,
        "author": author, "publisher": {"@id": site.organization_id},
        "inLanguage": site.language, "learningResourceType": "Q&A",
        "isPartOf": {"@id": ids["webpage"]}, "mainEntity": {"@id": ids["question"]},
    }
    _dated(learning, date)
    if article.keywords:
        learning["keywords"] = list(article.keywords)
    if article.subject:
        learning["about"] = {"@type": "Thing", "name": article.subject}

    question_node: Node = {"@type": "Question", "@id": ids["question"], "name": question,
                           "text": question, "answerCount": 1 if answer else 0,
                           "author": author}
    _dated(question_node, date)
    if answer:
        question_node["acceptedAnswer"] = _dated(
            {"@type": "Answer", "@id": ids["answer"], "text": answer, "url": ids["answer"],
             "author": author}, date)

    return [webpage, learning, question_node, _breadcrumb(article, title, page, ids, site)]


def _breadcrumb(article: Article, title: str, page: str, ids: dict[str, str],
                site: Site) -> Node:
    subject_url = absolute_url(site.base_url, "/learn/" + safe_slug(article.subject, "articles"))
    trail = [("Home", site.root), (article.subject or "Articles", subject_url), (title, page)]
    return {
        "@type": "BreadcrumbList", "@id": ids["breadcrumb"],
        "itemListElement": [
            {"@type": "ListItem", "position": n, "name": name, "item": url}
            for n, (name, url) in enumerate(trail, start=1)
        ],
    }
