"""Field helpers the profiles share: required values, dates, ids and keyword lists."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import arrow

from pressroom.decode import xml_text
from pressroom.errors import ContentError

FRONT_MATTER_LINE = 1


def text(value: Any) -> str:
    """A front-matter scalar as stripped text without XML-illegal characters; None becomes ""."""
    return "" if value is None else xml_text(str(value)).strip()


def first_text(meta: Mapping[str, Any], *names: str) -> str:
    """The first non-empty text among `names`, or ""."""
    for name in names:
        value = text(meta.get(name))
        if value:
            return value
    return ""


def line_of(lines: Mapping[str, int], *names: str) -> int:
    """Line of the first of `names` the file has, else the front matter's first line."""
    for name in names:
        if name in lines:
            return lines[name]
    return FRONT_MATTER_LINE


def require(
    meta: Mapping[str, Any], source: Path, lines: Mapping[str, int], *names: str
) -> str:
    """The first non-empty text among `names`; ContentError when all are missing."""
    value = first_text(meta, *names)
    if value:
        return value
    wanted = " or ".join(f"`{name}`" for name in names)
    raise ContentError(
        source,
        line_of(lines, *names),
        f"missing required field {wanted}",
        f"add `{names[0]}: ...` to the front matter",
    )


def parse_date(value: Any, source: Path, line: int) -> dt.date | None:
    """A date from YAML's date/datetime or an ISO-like string; ContentError when unparsable."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return arrow.get(value.strip()).date()
        except (ValueError, TypeError):
            pass
    raise ContentError(
        source, line, f"unparsable date {value!r}", "write the date as YYYY-MM-DD"
    )


def parse_id(value: Any, source: Path, line: int, numeric: bool = False) -> int | str | None:
    """An article id as int (numeric strings too), or text unless `numeric`; else ContentError."""
    if value is None or value == "":
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    stripped = value.strip() if isinstance(value, str) else ""
    if stripped.isdigit():
        return int(stripped)
    if stripped and not numeric:
        return stripped
    raise ContentError(source, line, f"id must be an integer, got {value!r}", "write `id: 12345`")


def related_id(value: Any) -> int | str | None:
    """A related link's id, leniently: int when numeric, else text or None."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    value = text(value)
    if not value:
        return None
    return int(value) if value.isdigit() else value


def split_keywords(value: Any) -> tuple[str, ...]:
    """Keywords from a comma-separated string or a list, stripped, empties dropped."""
    if value is None:
        return ()
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list | tuple):
        items = [items]
    return tuple(word for word in (text(item) for item in items) if word)
