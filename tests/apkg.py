"""Open an Anki .apkg as Anki does: a zip holding collection.anki2 (SQLite) and media."""

from __future__ import annotations

import json
import sqlite3
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Note:
    """One note row: ids, tags and its fields split on Anki's unit separator."""

    id: int
    guid: str
    tags: tuple[str, ...]
    fields: tuple[str, ...]


@dataclass(frozen=True)
class Deck:
    """What a package holds: notes, card (id, note id, deck id) rows, models, decks, media."""

    notes: tuple[Note, ...]
    cards: tuple[tuple[int, int, int], ...]
    models: dict[str, Any]
    decks: dict[str, Any]
    media: dict[str, bytes]


def read_apkg(path: Path) -> Deck:
    """The notes, cards, models, decks and media files of one .apkg."""
    with zipfile.ZipFile(path) as archive, tempfile.TemporaryDirectory() as folder:
        db_path = Path(folder) / "collection.anki2"
        db_path.write_bytes(archive.read("collection.anki2"))
        index = json.loads(archive.read("media"))
        media = {name: archive.read(number) for number, name in index.items()}
        db = sqlite3.connect(db_path)
        try:
            notes = tuple(Note(row[0], row[1], tuple(row[2].split()), tuple(row[3].split("\x1f")))
                          for row in db.execute("SELECT id, guid, tags, flds FROM notes "
                                                "ORDER BY id"))
            cards = tuple(db.execute("SELECT id, nid, did FROM cards ORDER BY id"))
            models_json, decks_json = db.execute("SELECT models, decks FROM col").fetchone()
        finally:
            db.close()
    return Deck(notes, cards, json.loads(models_json), json.loads(decks_json), media)
