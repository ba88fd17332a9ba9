"""Anki exporter: one flashcard deck (.apkg, genanki) per collection, ids stable across builds.

Front: the question. Back: the answer as rendered with math left as TeX between `\\( \\)`
and `\\[ \\]` (Anki typesets those with MathJax) and code as `<pre><code>`. Tags come from
the subject and keywords; note ids and guids from the article's id, so importing a newer
deck updates its cards instead of adding copies. The cards are styled by the theme.
"""

from __future__ import annotations

import itertools
import json
import sqlite3
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import genanki

from pressroom.exporter import ExportContext, Exporter, ExporterOptions
from pressroom.model import Asset, Book
from pressroom.urls import absolute_url
from pressroom_anki.cards import card_model, deck_assets, note_for, stable_id

__all__ = ["AnkiExporter", "AnkiOptions"]


@dataclass
class AnkiOptions(ExporterOptions):
    """`deck_prefix`: put every deck under one parent deck (Anki's `Parent::Child` names)."""

    deck_prefix: str = ""


class AnkiExporter(Exporter[AnkiOptions]):
    """Writes `<book.slug>.apkg` for every book: a note per article."""

    name = "anki"
    suffix = ".apkg"
    math = "tex"
    cpu_heavy = True
    description = "Anki flashcard deck (.apkg) per collection: question front, answer back"

    def export(self, books: Sequence[Book], ctx: ExportContext) -> None:
        """Write one deck per non-empty book."""
        model = card_model(ctx.theme.css("anki"))
        for book in books:
            if not book.articles:
                ctx.warn(f"anki: book {book.slug!r} has no articles; no deck written")
                continue
            name = f"{self.options.deck_prefix}::{book.title}" if self.options.deck_prefix \
                else book.title
            deck = genanki.Deck(stable_id("pressroom-deck", book.identifier), name)
            articles = list(book.articles)
            for rendered in articles:
                deck.add_note(note_for(model, book, rendered,
                                       absolute_url(ctx.base_url, rendered.article.url)))
            with ctx.open(f"{book.slug}{self.suffix}") as handle:
                write_package(genanki.Package(deck), deck_assets(articles), handle,
                              book.modified.timestamp())


def write_package(package: genanki.Package, media: dict[str, Asset], handle: BinaryIO,
                  timestamp: float) -> None:
    """The .apkg zip (collection.anki2 + media) with fixed dates, so equal decks are equal
    bytes (genanki's own writer stamps the zip with the temp file's time)."""
    stamp = (1980, 1, 1, 0, 0, 0)
    with tempfile.TemporaryDirectory(prefix="pressroom-anki-") as folder:
        db_path = Path(folder) / "collection.anki2"
        db = sqlite3.connect(db_path)
        try:
            package.write_to_db(db.cursor(), timestamp, itertools.count(int(timestamp * 1000)))
            db.commit()
        finally:
            db.close()
        with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(zipfile.ZipInfo("collection.anki2", stamp), db_path.read_bytes(),
                             zipfile.ZIP_DEFLATED)
            names = sorted(media)
            index = json.dumps({str(n): name for n, name in enumerate(names)})
            archive.writestr(zipfile.ZipInfo("media", stamp), index)
            for n, name in enumerate(names):
                archive.writestr(zipfile.ZipInfo(str(n), stamp), media[name].read())
