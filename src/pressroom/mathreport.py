"""Which math spans convert and which fall back, per converter, across a set of articles."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pressroom.model import Article
from pressroom.render.markdown import markdown_to_html
from pressroom.render.mathcache import MathCache

REPORTED_KINDS = ("mathml", "svg")
EXCERPT = 60


@dataclass(frozen=True)
class SpanFallback:
    """One span that a converter could not handle."""

    source: Path
    kind: str
    tex: str
    reason: str

    def __str__(self) -> str:
        """`path: [kind] excerpt: reason`, one line."""
        excerpt = " ".join(self.tex.split())
        if len(excerpt) > EXCERPT:
            excerpt = excerpt[: EXCERPT - 1] + "…"
        return f"{self.source}: [{self.kind}] {excerpt}: {self.reason}"


@dataclass
class MathReport:
    """Span counts, conversions per kind, and every fallback."""

    spans: int = 0
    display: int = 0
    converted: dict[str, int] = field(default_factory=lambda: dict.fromkeys(REPORTED_KINDS, 0))
    fallbacks: list[SpanFallback] = field(default_factory=list)


def math_report(articles: Iterable[Article], cache: MathCache | None = None) -> MathReport:
    """Convert every span of every article to each reported kind and count the outcomes."""
    cache = cache or MathCache()
    report = MathReport()
    for article in articles:
        _, spans = markdown_to_html(article.body_md)
        for tex, display in spans:
            report.spans += 1
            report.display += display
            for kind in REPORTED_KINDS:
                _, fallback = cache.convert(tex, display, kind)
                if fallback is None:
                    report.converted[kind] += 1
                else:
                    report.fallbacks.append(SpanFallback(article.source, kind, tex,
                                                         fallback.reason))
    return report
