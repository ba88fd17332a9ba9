"""Field helpers the profiles share: required values, dates, ids and keyword lists."""

from __future__ import annotations

import datetime as dt
import re
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from dateutil import parser as dateparser

from pressroom.errors import ContentError
from pressroom.xmlchars import xml_text

FRONT_MATTER_LINE = 1
_YEAR = re.compile(r"\d{4}")
_DAY = re.compile(r"\d{4}-\d\d-\d\d")
_NO_DEFAULT = dt.datetime(2000, 1, 1)  # fills only what a date string leaves out
_HEADING = re.compile(r"\A\s*#[ \t]+(.+?)[ \t#]*(?:\n|\Z)")


def text(value: Any) -> str:
    """A front-matter scalar as stripped text without XML-illegal characters; None becomes ""."""
    if value is None:
        return ""
    return xml_text(value if type(value) is str else str(value)).strip()


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


def parse_moment(value: Any, source: Path, line: int) -> dt.date | None:
    """A date or datetime (with its offset) from YAML/TOML values or a date string.

    Strings are read as Hugo and Jekyll accept them: `YYYY-MM-DD`, `YYYY-MM-DD HH:MM:SS
    +0200`, ISO 8601 with `T`, `Z` or an offset, RFC 1123; ContentError when unparsable.
    """
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _YEAR.search(value):
        text_value = value.strip()
        try:
            moment = dateparser.isoparse(text_value)
            return moment.date() if _DAY.fullmatch(text_value) else moment
        except (ValueError, OverflowError):
            pass
        try:
            with warnings.catch_warnings():  # a zone name it cannot place: the wall time
                warnings.simplefilter("ignore", dateparser.UnknownTimezoneWarning)
                return dateparser.parse(text_value, default=_NO_DEFAULT)
        except (ValueError, OverflowError):
            pass
    raise ContentError(
        source, line, f"unparsable date {value!r}",
        "write the date as YYYY-MM-DD or YYYY-MM-DD HH:MM:SS +0200",
    )


def calendar_date(moment: dt.date | None) -> dt.date | None:
    """The calendar date of a date or datetime, in the datetime's own offset."""
    return moment.date() if isinstance(moment, dt.datetime) else moment


def parse_date(value: Any, source: Path, line: int) -> dt.date | None:
    """The calendar date of a front-matter date (see `parse_moment`)."""
    return calendar_date(parse_moment(value, source, line))


def first_date(meta: Mapping[str, Any], lines: Mapping[str, int], source: Path,
               *names: str) -> dt.date | None:
    """The date of the first of `names` the front matter sets."""
    for name in names:
        if meta.get(name) not in (None, ""):
            return parse_date(meta[name], source, line_of(lines, name))
    return None


def title_from_body(body: str) -> tuple[str, str] | None:
    """(title, rest of the body) when the body opens with a `# heading`."""
    match = _HEADING.match(body)
    if match is None:
        return None
    return text(match.group(1)), body[match.end():]


def parse_weight(value: Any, source: Path, line: int) -> int | None:
    """An ordering weight: an integer (numeric strings too); ContentError otherwise."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        value = str(value)
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ContentError(source, line, f"weight must be an integer, got {value!r}",
                           "write e.g. `weight: 10`") from None


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
    if isinstance(value, str):  # one pass drops XML-illegal characters (never a comma)
        return tuple(word for word in (item.strip() for item in xml_text(value).split(","))
                     if word)
    items = value if isinstance(value, list | tuple) else [value]
    return tuple(word for word in (text(item) for item in items) if word)
