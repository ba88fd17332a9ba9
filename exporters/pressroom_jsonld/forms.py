"""The forms a graph is written in: a .jsonld document, an NDJSON line, an HTML <script> snippet."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote, urlsplit

SCHEMA_ORG = "https://schema.org"
FORMS = ("page", "ndjson", "script")
SCRIPT_SUFFIX = ".jsonld.html"

# Characters that could end a <script> element or open markup inside it, and the two
# line separators older JavaScript parsers choke on; all are legal JSON \u escapes.
_SCRIPT_UNSAFE = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                  ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))


def script_safe_json(node: Any) -> str:
    """Compact one-line JSON for `node`, with <, >, & escaped so it can sit inside <script>."""
    text = json.dumps(node, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in _SCRIPT_UNSAFE:
        text = text.replace(char, escaped)
    return text


def document(graph: list[dict[str, Any]]) -> str:
    """One page's JSON-LD document on one line: the schema.org context and its `@graph`."""
    return script_safe_json({"@context": SCHEMA_ORG, "@graph": graph})


def script_tag(document_json: str) -> str:
    """The HTML snippet a page embeds in its <head>; the JSON cannot close the element."""
    return f'<script type="application/ld+json">{document_json}</script>\n'


def output_path(page_url: str, suffix: str) -> str:
    """Where a page's file goes below dist/jsonld/: its URL path, `index` for a folder URL."""
    path = unquote(urlsplit(page_url).path, errors="replace")
    stem = path.strip("/")
    if not stem:
        return "index" + suffix
    return f"{stem}/index{suffix}" if path.endswith("/") else stem + suffix
