"""One article as an Anki note: question front, rendered answer back, tags, stable ids."""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Iterable, Sequence
from typing import Any

import genanki

from pressroom.keywords import clean, term_key
from pressroom.model import Article, Asset, Book, RenderedArticle
from pressroom.pages import site_body

MODEL_NAME = "pressroom study card"
FIELDS = [{"name": "Question"}, {"name": "Answer"}, {"name": "Source"}]
FRONT = '<div class="card-front"><h1 class="question">{{Question}}</h1></div>'
BACK = ('<div class="card-front"><h1 class="question">{{Question}}</h1></div>'
        '<hr id="answer"><div class="card-back answer">{{Answer}}</div>'
        '<p class="meta card-source">{{Source}}</p>')
_ID_SPAN = 2 ** 38  # note ids step by 4 below 10**12 + 4 * 2**38: a note's card id is id + 1
_SPACES = re.compile(r"\s+")
_SRC = re.compile(r'(<img\b[^>]*?\ssrc=")([^"]*)(")')


def stable_id(*parts: object) -> int:
    """A positive id from `parts` alone, shaped like Anki's millisecond ids (2001-2036)."""
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode()).digest()
    return 10 ** 12 + 4 * (int.from_bytes(digest[:8], "big") % _ID_SPAN)


def article_identity(article: Article) -> tuple[object, ...]:
    """What names an article across builds: its id (with the subject, for cross-listed twins)
    or, without an id, its url."""
    return ("id", article.id, article.subject) if article.id is not None else ("url", article.url)


class StableNote(genanki.Note):  # type: ignore[misc]
    """A note whose id (and its card's) come from the article, not from the build's clock."""

    def __init__(self, note_id: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.note_id = note_id

    def write_to_db(self, cursor: Any, timestamp: float, deck_id: int, id_gen: Any) -> None:
        """Write with this note's own ids: the note's, and its card's right after it."""
        super().write_to_db(cursor, timestamp, deck_id, iter(range(self.note_id, self.note_id + 2)))


def tags(article: Article) -> list[str]:
    """The subject, then each keyword once (by its index key), as Anki tags (no spaces)."""
    found: dict[str, str] = {}
    for value in (article.subject, *article.keywords):
        text = clean(value)
        if text and term_key(text) not in found:
            found[term_key(text)] = _SPACES.sub("_", text)
    return list(found.values())


def media_name(asset: Asset) -> str:
    """The flat name Anki keeps an asset under in its media folder."""
    return asset.href.replace("/", "_")


def _with_media(body: str, assets: Iterable[Asset]) -> str:
    names = {asset.href: media_name(asset) for asset in assets}
    return _SRC.sub(lambda m: m.group(1) + names.get(html.unescape(m.group(2)), m.group(2))
                    + m.group(3), body)


def note_for(model: genanki.Model, book: Book, rendered: RenderedArticle,
             source: str) -> StableNote:
    """The note of one article: the answer as rendered (TeX between \\( \\) and \\[ \\],
    which Anki's MathJax typesets; code as <pre><code>), links pointing at the site."""
    article = rendered.article
    identity = article_identity(article)
    back = _with_media(site_body(book, rendered), rendered.assets)
    return StableNote(stable_id("pressroom-note", *identity), model=model,
                      fields=[html.escape(article.question, quote=False), back,
                              html.escape(source, quote=False)],
                      tags=tags(article), guid=genanki.guid_for("pressroom", *identity))


def card_model(css: str) -> genanki.Model:
    """The note type every deck shares, styled by the theme's `anki` stylesheets."""
    return genanki.Model(stable_id("pressroom-model", MODEL_NAME), MODEL_NAME, fields=FIELDS,
                         templates=[{"name": "Question → Answer", "qfmt": FRONT, "afmt": BACK}],
                         css=css)


def deck_assets(articles: Sequence[RenderedArticle]) -> dict[str, Asset]:
    """Every asset of the deck's articles by its media name."""
    return {media_name(a): a for r in articles for a in r.assets}
