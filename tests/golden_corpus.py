"""Digests of `pressroom show` for every shared-corpus article, for golden comparisons."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from pressroom.loader import load_file
from pressroom.serialize import article_as_dict

GOLDEN = Path(__file__).parent / "golden" / "corpus_show.json"
# Not compared: where the file was read from, and the decode report (new with issue 13).
UNCOMPARED = ("source", "decode_notes")


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def show_digests(corpus: Path) -> dict[str, dict[str, str]]:
    """Per corpus file: sha256 of its decoded body and of the rest of its `show` JSON."""
    digests = {}
    for path in sorted(corpus.rglob("*.md")):
        if path.name.lower() == "readme.md":
            continue
        shown = article_as_dict(load_file(path))
        body = shown.pop("body")
        for key in UNCOMPARED:
            shown.pop(key, None)
        digests[path.relative_to(corpus).as_posix()] = {
            "body": _digest(body),
            "fields": _digest(json.dumps(shown, ensure_ascii=False, sort_keys=True)),
        }
    return digests


if __name__ == "__main__":
    corpus = Path(__file__).resolve().parents[2] / "shared" / "corpus"
    GOLDEN.write_text(json.dumps(show_digests(corpus), indent=1, sort_keys=True) + "\n")
