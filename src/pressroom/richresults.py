"""Google's required properties for the rich-result types pressroom emits, checked per graph."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from pressroom.schemaorg import Node, Violation, walk

# page_type values (the jsonld exporter's option, the CLI's --jsonld-mode) and their types.
PAGE_TYPES = {"article": "WebPage", "qapage": "QAPage", "faqpage": "FAQPage"}
PAGE_TYPE_HELP = (
    "How each page is typed in JSON-LD. article (default): a WebPage whose main entity is "
    "the Article; right for articles the site writes itself. qapage: a QAPage around the "
    "Question; only for pages where one question is asked and readers can post answers "
    "(a forum or Q&A site), not for answers the site writes. faqpage: an FAQPage; only for "
    "questions and answers the site writes itself, with no way for readers to answer "
    "(Google shows FAQ rich results only for well-known government and health sites)."
)

# Each rule is a tuple of alternatives: at least one must be present and non-empty.
Rules = Mapping[str, tuple[tuple[str, ...], ...]]

# Google Search Central, structured data: Breadcrumb (BreadcrumbList needs itemListElement;
# each ListItem position and name, and item on all but the last), Article (no required
# properties: pressroom holds its pages to the recommended headline and author), Q&A page
# (QAPage.mainEntity; Question name, answerCount, acceptedAnswer or suggestedAnswer;
# Answer text) and FAQ (FAQPage.mainEntity; Question name and acceptedAnswer; Answer text).
_SHARED: Rules = {
    "BreadcrumbList": (("itemListElement",),),
    "ListItem": (("position",), ("name",)),
    "Article": (("headline",), ("author",)),
}
RULES: Mapping[str, Rules] = {
    "WebPage": _SHARED,
    "QAPage": {
        **_SHARED,
        "QAPage": (("mainEntity",),),
        "Question": (("name",), ("answerCount",), ("acceptedAnswer", "suggestedAnswer")),
        "Answer": (("text",),),
    },
    "FAQPage": {
        **_SHARED,
        "FAQPage": (("mainEntity",),),
        "Question": (("name",), ("acceptedAnswer",)),
        "Answer": (("text",),),
    },
}


def _present(value: Any) -> bool:
    return value is not None and value != "" and value != [] and value != {}


def _types(node: Node) -> tuple[str, ...]:
    kind = node.get("@type", ())
    return tuple(kind) if isinstance(kind, list) else (kind,) if kind else ()


def required_violations(graph: list[Node], page_type: str) -> Iterator[Violation]:
    """Required properties missing from the graph of a page of schema.org type `page_type`."""
    rules = RULES[page_type]
    for node in walk(graph):
        types = _types(node)
        for kind in types:
            for alternatives in rules.get(kind, ()):
                if not any(_present(node.get(name)) for name in alternatives):
                    yield Violation(types, " or ".join(alternatives),
                                    f"missing, and Google requires it for {kind}")
        if "BreadcrumbList" in types:
            yield from _breadcrumb_items(types, node.get("itemListElement") or [])


def _breadcrumb_items(types: tuple[str, ...], items: list[Node]) -> Iterator[Violation]:
    """Google: every ListItem but the last links to its page through `item`."""
    if not isinstance(items, list):
        return
    for position, item in enumerate(items[:-1], start=1):
        if isinstance(item, dict) and not _present(item.get("item")):
            yield Violation(types, "itemListElement",
                            f"crumb {position} has no item, and Google requires one "
                            "on all but the last")
