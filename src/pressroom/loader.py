"""Read Markdown files with YAML front matter into Articles; bad files become ContentErrors."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import frontmatter
import yaml
from frontmatter.default_handlers import YAMLHandler

from pressroom.crosscheck import cross_check
from pressroom.errors import ContentError, ContentWarning
from pressroom.model import Article
from pressroom.profiles import detect_profile, get_profile
from pressroom.profiles.fields import line_of
from pressroom.urls import site_path
from pressroom.yamlload import load_yaml

MAX_BYTES = 10 * 1024 * 1024
_BOM = b"\xef\xbb\xbf"
_TOP_KEY = re.compile(r"""(["']?)([^\s#"'-][^:]*?)\1[ \t]*:(?:[ \t]|$)""")


@dataclass(frozen=True)
class LoadResult:
    """Everything one load produced: the good articles, and the problems as values."""

    articles: tuple[Article, ...]
    errors: tuple[ContentError, ...]
    warnings: tuple[ContentWarning, ...]


class _Handler(YAMLHandler):
    """python-frontmatter's YAML handler on pressroom's loader; remembers what it loaded."""

    loaded: Any = None

    def load(self, fm: str, **kwargs: object) -> Any:
        """Parse the front matter (yaml_rs when certain, else libyaml; aliases refused)."""
        self.loaded = load_yaml(fm)
        return self.loaded


def load_file(path: Path, profile: str = "auto") -> Article:
    """Load one article; ContentError (with a line and a hint) when the file is bad."""
    return load_source(path, read_source(path), profile)


def load_source(path: Path, data: bytes, profile: str = "auto") -> Article:
    """Load one article from the bytes of its file `path`."""
    text = _decode(path, data)
    meta, body, lines = _split(path, text)
    name = detect_profile(meta) if profile == "auto" else profile
    mapping = get_profile(name)
    article = mapping.to_article(meta, body, path, lines)
    try:
        site_path(article.url)
    except ValueError as exc:
        raise ContentError(path, line_of(lines, *mapping.URL_FIELDS),
                           f"bad url {article.url!r}: {exc}",
                           "give a site path such as /learn/<subject>/questions/<slug>") from exc
    return article


def load_content(root: Path, profile: str = "auto", paths: Sequence[Path] | None = None,
                 progress: Callable[[], None] | None = None) -> LoadResult:
    """Load every `*.md` under `root` (or the given `paths`), then run the cross-file checks."""
    if profile != "auto":
        get_profile(profile)
    articles: list[Article] = []
    errors: list[ContentError] = []
    for path in markdown_files(root) if paths is None else paths:
        try:
            articles.append(load_file(path, profile))
        except ContentError as error:
            errors.append(error)
        if progress is not None:
            progress()
    listed = cross_check(articles)
    all_errors = sorted((*errors, *listed.errors), key=lambda error: str(error.path))
    return LoadResult(tuple(listed.items), tuple(all_errors), tuple(listed.warnings))


def markdown_files(root: Path) -> list[Path]:
    """Markdown files under `root`, sorted, skipping hidden folders and files and README.md."""
    return [Path(path) for path in markdown_paths(root)]


def markdown_paths(root: Path) -> list[str]:
    """`markdown_files` as strings, in the same order (by path segment), for fast scans."""
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(name for name in dirs if not name.startswith("."))
        for name in files:
            lower = name.lower()
            if lower.endswith(".md") and lower != "readme.md" and not name.startswith("."):
                found.append(os.path.join(folder, name))
    return sorted(found, key=lambda path: path.split(os.sep))


def read_source(path: Path) -> bytes:
    """The bytes of one source file, size-checked; ContentError when it cannot be read."""
    try:
        if path.is_dir():
            raise ContentError(path, None, "is a folder, not a Markdown file", "rename the folder")
        if path.stat().st_size > MAX_BYTES:
            raise ContentError(
                path, 1, f"file is larger than {MAX_BYTES // (1024 * 1024)} MB",
                "split the article or move large data out of it",
            )
        return path.read_bytes()
    except OSError as error:
        raise ContentError(
            path, 1, f"cannot read file: {error.strerror or error}",
            "check the file's permissions",
        ) from None


def _decode(path: Path, data: bytes) -> str:
    """The file as text: BOM stripped, UTF-8 strict, newlines normalised."""
    data = data.removeprefix(_BOM)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ContentError(
            path, data[: error.start].count(b"\n") + 1,
            f"invalid UTF-8 byte 0x{data[error.start]:02x} at offset {error.start}",
            "save the file as UTF-8",
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _split(path: Path, text: str) -> tuple[dict[str, Any], str, dict[str, int]]:
    """Front matter (a mapping), body and each top-level key's line."""
    if not text.strip():
        raise ContentError(path, 1, "file is empty", "start it with a `---` front matter block")
    stripped = text.lstrip()
    fence_line = text[: len(text) - len(stripped)].count("\n") + 1
    fences = list(YAMLHandler.FM_BOUNDARY.finditer(stripped))
    if not fences or fences[0].start() != 0:
        raise ContentError(path, fence_line, "no front matter", "start the file with a `---` line")
    if len(fences) < 2:
        raise ContentError(
            path, fence_line, "front matter is not closed",
            "add a `---` line after the last front-matter field",
        )
    fm_text = stripped[fences[0].end() : fences[1].start()]
    first_line = fence_line + fences[0].group().count("\n")  # the line fm_text starts on
    handler = _Handler()
    try:
        meta, body = frontmatter.parse(stripped, handler=handler)
    except yaml.YAMLError as error:
        raise _yaml_error(path, error, fm_text, first_line) from None
    except RecursionError:
        raise ContentError(
            path, fence_line, "front matter nests too deeply", "flatten the YAML"
        ) from None
    if handler.loaded is not None and not isinstance(handler.loaded, dict):
        raise ContentError(
            path, fence_line + 1,
            f"front matter is a {type(handler.loaded).__name__}, not a mapping",
            "write the front matter as `key: value` lines",
        )
    return meta, body, _key_lines(fm_text, first_line)


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


def _key_lines(fm_text: str, first_line: int) -> dict[str, int]:
    """1-based file line of each top-level front-matter key; fm_text starts on `first_line`."""
    lines = {}
    for offset, line in enumerate(fm_text.split("\n")):
        match = _TOP_KEY.match(line)
        if match:
            lines[match.group(2).strip()] = first_line + offset
    return lines
