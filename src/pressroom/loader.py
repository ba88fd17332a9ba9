"""Read Markdown files with front matter into Articles; bad files become ContentErrors."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from stat import S_ISDIR

from pressroom.crosscheck import cross_check
from pressroom.errors import ContentError, ContentWarning
from pressroom.model import Article, SectionRecord, Skipped
from pressroom.profiles import detect_profile, folder_filter, get_profile
from pressroom.profiles.fields import line_of
from pressroom.profiles.site import Site, content_folder, detect_site, site_of_file
from pressroom.profiles.tree import NOTHING, Inherited, inherited_context
from pressroom.splitting import split_source
from pressroom.urls import check_site_path

MAX_BYTES = 10 * 1024 * 1024
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")
_BOM = b"\xef\xbb\xbf"
Parsed = Article | SectionRecord | Skipped


@dataclass(frozen=True)
class LoadResult:
    """Everything one load produced: the good articles, and the problems as values."""

    articles: tuple[Article, ...]
    errors: tuple[ContentError, ...]
    warnings: tuple[ContentWarning, ...]
    sections: tuple[SectionRecord, ...] = ()
    skipped: tuple[Skipped, ...] = ()


def load_file(path: Path, profile: str = "auto") -> Article:
    """Load one article; ContentError (with a line and a hint) when the file is bad.

    The site is found from the folders above the file (a hugo.toml or _config.yml).
    """
    return load_source(path, read_source(path), site_of_file(path, profile))


def load_source(path: Path, data: bytes, profile: str | Site = "auto",
                inherited: Inherited = NOTHING) -> Article:
    """Load one article from the bytes of its file; ContentError when it is not one."""
    parsed = parse_source(path, data, profile, inherited)
    if isinstance(parsed, SectionRecord):
        raise ContentError(path, None, "is a section page, not an article",
                           "section pages describe their folder's book")
    if isinstance(parsed, Skipped):
        raise ContentError(path, None, f"is not an article: {parsed.reason}")
    return parsed


def parse_source(path: Path, data: bytes, profile: str | Site = "auto",
                 inherited: Inherited = NOTHING) -> Parsed:
    """Read one file of a site: an article, a section's description, or a skip.

    A pure function of the path, the bytes, the site and what the file inherits from the
    sections above it (Hugo's `cascade`), so its result can be cached by their hashes.
    """
    site = profile if isinstance(profile, Site) else Site(profile)
    if inherited.bundle:
        return Skipped(path, f"a resource of the page bundle {inherited.bundle}/")
    split = split_source(path, _decode(path, data))
    meta = {**inherited.cascade, **split.meta}
    name = detect_profile(meta) if site.profile == "auto" else site.profile
    mapping = get_profile(name)
    parsed = mapping.to_article(meta, split.body, path, split.lines, site)
    if not isinstance(parsed, Article):
        return parsed
    if not parsed.section and (section := site.top_folder(path)):
        parsed = replace(parsed, section=section)
    try:
        check_site_path(parsed.url)
    except ValueError as exc:
        raise ContentError(path, line_of(split.lines, *mapping.URL_FIELDS),
                           f"bad url {parsed.url!r}: {exc}",
                           "give a site path such as /learn/<subject>/questions/<slug>") from exc
    return parsed


def load_content(root: Path, profile: str = "auto", paths: Sequence[Path] | None = None,
                 progress: Callable[[], None] | None = None,
                 drafts: bool = False) -> LoadResult:
    """Load every Markdown file under `root` (or the given `paths`), then cross-check them."""
    if profile != "auto":
        get_profile(profile)
    site = detect_site(root, profile, drafts)
    files = markdown_files(content_folder(site, root), folder_filter(site)) \
        if paths is None else list(paths)
    inherited = inherited_context(files, site, read_source)
    articles: list[Article] = []
    errors: list[ContentError] = []
    others: list[SectionRecord | Skipped] = []
    for path in files:
        try:
            parsed = parse_source(path, read_source(path), site,
                                  inherited.get(str(path), NOTHING))
        except ContentError as error:
            errors.append(error)
        else:
            (articles if isinstance(parsed, Article) else others).append(parsed)  # type: ignore[arg-type]
        if progress is not None:
            progress()
    listed = cross_check(articles)
    all_errors = sorted((*errors, *listed.errors), key=lambda error: str(error.path))
    return LoadResult(tuple(listed.items), tuple(all_errors), tuple(listed.warnings),
                      tuple(o for o in others if isinstance(o, SectionRecord)),
                      tuple(o for o in others if isinstance(o, Skipped)))


def markdown_files(root: Path, skip_folder: Callable[[str], bool] | None = None) -> list[Path]:
    """Markdown files under `root`, sorted, skipping hidden folders and files and README.md.

    `skip_folder` names folders the site's generator does not read (Jekyll's `_layouts`).
    """
    return [Path(path) for path in markdown_paths(root, skip_folder)]


def markdown_paths(root: Path, skip_folder: Callable[[str], bool] | None = None) -> list[str]:
    """`markdown_files` as strings, in the same order (by path segment), for fast scans."""
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(name for name in dirs if not name.startswith(".")
                         and not (skip_folder and skip_folder(name)))
        for name in files:
            lower = name.lower()
            if lower.endswith(MARKDOWN_SUFFIXES) and not lower.startswith("readme.") \
                    and not name.startswith("."):
                found.append(os.path.join(folder, name))
    # By path segment: the separator as NUL sorts below every character, as splitting would.
    return sorted(found, key=lambda path: path.replace(os.sep, "\0"))


def read_source(path: Path) -> bytes:
    """The bytes of one source file, size-checked; ContentError when it cannot be read.

    One open, one fstat and one read: a cold scan reads every file. When the open fails,
    the path is looked at again to say why (a folder, say, rather than "permission
    denied")."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return _read_checked(path)
    try:
        stat = os.fstat(fd)
        _check_size(path, stat)
        data = os.read(fd, stat.st_size + 1)
        if len(data) <= stat.st_size:
            return data  # a short read of a regular file: its end
        chunks = [data]  # it grew since the fstat: read on to its end
        while chunk := os.read(fd, 1 << 16):
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError as error:
        raise _unreadable(path, error) from None
    finally:
        os.close(fd)


def _read_checked(path: Path) -> bytes:
    """`read_source` through the path: stat, then read."""
    try:
        stat = path.stat()  # one call answers both questions (is_dir() would stat again)
        _check_size(path, stat)
        return path.read_bytes()
    except OSError as error:
        raise _unreadable(path, error) from None


def _check_size(path: Path, stat: os.stat_result) -> None:
    """ContentError for a folder, or for a file over MAX_BYTES."""
    if S_ISDIR(stat.st_mode):
        raise ContentError(path, None, "is a folder, not a Markdown file", "rename the folder")
    if stat.st_size > MAX_BYTES:
        raise ContentError(
            path, 1, f"file is larger than {MAX_BYTES // (1024 * 1024)} MB",
            "split the article or move large data out of it",
        )


def _unreadable(path: Path, error: OSError) -> ContentError:
    return ContentError(
        path, 1, f"cannot read file: {error.strerror or error}",
        "check the file's permissions",
    )


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
