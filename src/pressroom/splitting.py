"""Split a source into front matter (YAML `---`, TOML `+++` or JSON `{`) and its body."""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from frontmatter.default_handlers import BaseHandler, JSONHandler, YAMLHandler

from pressroom.errors import ContentError
from pressroom.yamlload import load_yaml

_YAML_KEY = re.compile(r"""(["']?)([^\s#"'-][^:]*?)\1[ \t]*:(?:[ \t]|$)""")
_TOML_KEY = re.compile(r"""(["']?)([A-Za-z0-9_-]+)\1[ \t]*=""")
_JSON_KEY = re.compile(r"""[ \t]*"((?:[^"\\]|\\.)*)"[ \t]*:""")
_TOML_TABLE = re.compile(r"[ \t]*\[")


class _Yaml(YAMLHandler):
    """python-frontmatter's YAML handler on pressroom's loader."""

    def load(self, fm: str, **kwargs: object) -> Any:
        """Parse the front matter (yaml_rs when certain, else libyaml; aliases refused)."""
        return load_yaml(fm)

    def split(self, text: str) -> tuple[str, str]:
        """The handler's own split (`FM_BOUNDARY.split(text, 2)`), with its boundary tried
        only where one can match: at a line start, before a `-`. The regex alone tries
        every character of the front matter; `str.find` skips to those lines. ValueError
        when the front matter is not closed, as the handler's split raises."""
        opening = self._boundary(text, 0)
        closing = self._boundary(text, opening.end()) if opening is not None else None
        if opening is None or closing is None:
            raise ValueError("front matter is not closed")
        return text[opening.end():closing.start()], text[closing.end():]

    def _boundary(self, text: str, pos: int) -> re.Match[str] | None:
        """The first boundary at or after `pos`, as `FM_BOUNDARY.search` finds it."""
        assert self.FM_BOUNDARY is not None
        if (pos == 0 or text[pos - 1] == "\n") and \
                (found := self.FM_BOUNDARY.match(text, pos)) is not None:
            return found
        while (newline := text.find("\n-", pos)) >= 0:
            pos = newline + 1
            if (found := self.FM_BOUNDARY.match(text, pos)) is not None:
                return found
        return None


class _Toml(BaseHandler):
    """Hugo's `+++` TOML front matter, read with the standard library's tomllib."""

    FM_BOUNDARY = re.compile(r"^\+{3,}\s*$", re.MULTILINE)
    START_DELIMITER = END_DELIMITER = "+++"

    def load(self, fm: str, **kwargs: object) -> Any:
        """Parse TOML front matter."""
        return tomllib.loads(fm)


class _Json(JSONHandler):
    """Hugo's JSON front matter: an object whose braces stand on lines of their own."""

    def load(self, fm: str, **kwargs: object) -> Any:
        """Parse JSON front matter."""
        return json.loads(fm)


@dataclass(frozen=True)
class Split:
    """A source's front matter (a mapping, {} when there is none), body and key lines."""

    meta: dict[str, Any]
    body: str
    lines: dict[str, int]
    format: str  # "yaml", "toml", "json" or "none"


def split_source(path: Path, text: str) -> Split:
    """Front matter, body and each top-level key's line; ContentError for bad front matter."""
    if not text.strip():
        raise ContentError(path, 1, "file is empty", "start it with a `---` front matter block")
    stripped = text.lstrip()
    fence_line = text[: len(text) - len(stripped)].count("\n") + 1
    if stripped.startswith("---"):
        return _split(path, stripped, fence_line, _Yaml(), "yaml")
    if stripped.startswith("+++"):
        return _split(path, stripped, fence_line, _Toml(), "toml")
    if re.match(r"\{[ \t]*\n", stripped):
        return _split(path, stripped, fence_line, _Json(), "json")
    return Split({}, text, {}, "none")


def _split(path: Path, stripped: str, fence_line: int,
           handler: _Yaml | _Toml | _Json, kind: str) -> Split:
    """Cut with the handler's own `split` (one scan of the text), then parse the front matter.

    python-frontmatter's `parse` would also strip and copy the text; what it gives is the
    handler's split and load, which this calls directly."""
    assert handler.FM_BOUNDARY is not None
    try:
        fm, body = handler.split(stripped)
    except ValueError:
        closing = "}" if kind == "json" else handler.END_DELIMITER
        raise ContentError(
            path, fence_line, "front matter is not closed",
            f"add a `{closing}` line after the last front-matter field",
        ) from None
    opening = handler.FM_BOUNDARY.search(stripped)
    assert opening is not None  # the split found it
    fm_text = fm[1:-1] if kind == "json" else fm  # JSONHandler puts the braces back on
    first_line = fence_line + opening.group().count("\n")  # the line fm_text starts on
    try:
        loaded = handler.load(fm)
    except yaml.YAMLError as error:
        raise _yaml_error(path, error, fm_text, first_line) from None
    except tomllib.TOMLDecodeError as error:
        raise _located(path, error, first_line, "TOML", r"line (\d+)") from None
    except json.JSONDecodeError as error:
        raise ContentError(path, first_line + error.lineno - 1,
                           f"invalid JSON front matter: {error.msg}",
                           "fix the JSON syntax (double quotes, no trailing commas)") from None
    except RecursionError:
        raise ContentError(
            path, fence_line, "front matter nests too deeply", "flatten the front matter"
        ) from None
    if loaded is not None and not isinstance(loaded, dict):
        raise ContentError(
            path, fence_line + 1,
            f"front matter is a {type(loaded).__name__}, not a mapping",
            "write the front matter as `key: value` lines",
        )
    return Split(loaded or {}, body.strip(), _key_lines(fm_text, first_line, kind), kind)


def _located(path: Path, error: Exception, first_line: int, kind: str,
             where: str) -> ContentError:
    """A ContentError at the line a parser's message names."""
    message = str(error)
    found = re.search(where, message)
    line = first_line + int(found.group(1)) - 1 if found else first_line
    return ContentError(path, line, f"invalid {kind} front matter: {message}",
                        f"fix the {kind} syntax")


def _yaml_error(path: Path, error: yaml.YAMLError, fm_text: str, first_line: int) -> ContentError:
    """A ContentError at the line YAML complained about."""
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    position = getattr(error, "position", 0)
    offset = mark.line if mark is not None else fm_text[:position].count("\n")
    fm_lines = fm_text.split("\n")
    bad_line = fm_lines[offset] if offset < len(fm_lines) else ""
    problem = getattr(error, "problem", None) or str(error).split("\n")[0]
    if "\t" in bad_line or "\\t" in problem:
        hint = "YAML does not allow tabs for indentation; use spaces"
    elif "alias" in problem:
        hint = "repeat the value instead of using `&anchor`/`*alias`"
    else:
        hint = "fix the YAML syntax (quote values that contain `: ` or start with a symbol)"
    context_mark = getattr(error, "context_mark", None)
    if context_mark is not None and context_mark.line != offset:
        problem += f", {error.context} on line {first_line + context_mark.line}"
    return ContentError(path, first_line + offset, f"invalid YAML front matter: {problem}", hint)


def _key_lines(fm_text: str, first_line: int, kind: str) -> dict[str, int]:
    """1-based file line of each top-level front-matter key; fm_text starts on `first_line`."""
    lines: dict[str, int] = {}
    top = _indent(fm_text)
    for offset, line in enumerate(fm_text.split("\n")):
        if kind == "toml":
            if _TOML_TABLE.match(line):
                break  # keys after a [table] header belong to that table
            match = _TOML_KEY.match(line)
        elif kind == "json":
            match = _JSON_KEY.match(line) if len(line) - len(line.lstrip()) == top else None
        else:
            match = _YAML_KEY.match(line)
        if match:
            lines[match.group(match.lastindex or 1).strip()] = first_line + offset
    return lines


def _indent(fm_text: str) -> int:
    """The indentation of a JSON object's first key (its top level)."""
    for line in fm_text.split("\n"):
        if line.strip():
            return len(line) - len(line.lstrip())
    return 0
