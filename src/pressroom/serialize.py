"""Articles as plain JSON-ready dictionaries (for `pressroom show` and debugging)."""

from __future__ import annotations

from typing import Any

from pressroom.model import Article, ArticleRecord


def article_as_dict(article: Article) -> dict[str, Any]:
    """The article's fields as JSON-ready values; dates in ISO form, paths as strings."""
    return {
        "id": article.id,
        "key": article.key,
        "title": article.title,
        "question": article.question,
        "body": article.body_md,
        "subject": article.subject,
        "url": article.url,
        "date": article.date.isoformat() if article.date else None,
        "date_format": article.date_format,
        "author": article.author,
        "description": article.description,
        "keywords": list(article.keywords),
        "related": [
            {"id": r.id, "title": r.title, "subject": r.subject, "url": r.url}
            for r in article.related
        ],
        "score": article.score,
        "seo_title": article.seo_title,
        "file_name": article.file_name,
        "profile": article.profile,
        "source": str(article.source),
        "extra": {k: _jsonable(v) for k, v in article.extra.items()},
        "decode_notes": decode_note_lines(article),
    }


def decode_note_lines(article: Article | ArticleRecord) -> list[str]:
    """Each guess the decoder made in the article, as `path:line: read "…" as … (why)`."""
    return [
        f"{article.source}:{note.line}: {note}" if note.line else f"{article.source}: {note}"
        for note in article.decode_notes
    ]


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)
