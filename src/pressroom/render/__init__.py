"""Markdown to sanitised XHTML, once per article and math kind."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from lxml import html as lxml_html

from pressroom.folding import Kind, fold
from pressroom.model import Article, Asset, Heading, MathFallback, RenderedArticle
from pressroom.render.alerts import apply_alerts
from pressroom.render.highlight import highlight_code
from pressroom.render.links import apply_link_policy, strip_markers
from pressroom.render.markdown import MATH_CLOSE, MATH_OPEN, markdown_to_html
from pressroom.render.mathcache import MathCache
from pressroom.render.sanitize import parse_fragment, repair_lists, sanitise, to_xhtml
from pressroom.render.shortcodes import expand
from pressroom.render.structure import accessible_structure
from pressroom.slugs import safe_slug, unique_slug
from pressroom.xmlchars import xml_text

_MARKER = re.compile(f"{MATH_OPEN}(\\d+){MATH_CLOSE}")
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_PARAGRAPH_MARKER = re.compile(f"<p>({MATH_OPEN}\\d+{MATH_CLOSE})</p>")
_EXPLICIT_ID = re.compile(r"\s*\{#([\w.-]+)\}\s*\Z")
REFUSED_IMAGE: Kind = ("image", "refused: only files inside the content folder may be embedded")
REMOVED = "removed: pressroom does not render it"


def _explicit_id(element: lxml_html.HtmlElement) -> str | None:
    """A heading's own `{#id}` (Hugo, kramdown), taken out of its text."""
    last = element[-1] if len(element) else None
    text = (last.tail if last is not None else element.text) or ""
    match = _EXPLICIT_ID.search(text)
    if match is None:
        return None
    if last is not None:
        last.tail = text[:match.start()]
    else:
        element.text = text[:match.start()]
    return match.group(1)


def _assign_heading_ids(root: lxml_html.HtmlElement, prefix: str) -> tuple[Heading, ...]:
    """Give every heading an id unique in the book: the article key, then the heading slug
    (or the heading's own `{#id}`)."""
    seen: set[str] = set()
    headings = []
    for element in root.iter(*_HEADINGS):
        own = _explicit_id(element)
        text = " ".join(element.text_content().split())
        slug = safe_slug(own or text, "section")
        candidate = unique_slug(f"{prefix}--{slug}", seen)
        element.set("id", candidate)
        headings.append(Heading(int(element.tag[1]), candidate, text))
    return tuple(headings)


def _apply_image_policy(root: lxml_html.HtmlElement, content_dir: Path | None,
                        source: Path) -> tuple[tuple[Asset, ...], list[tuple[Kind, str]]]:
    """Keep images that resolve inside the content folder (each an Asset whose href is the
    new, content-relative `src`); replace others by their alt text."""
    assets: list[Asset] = []
    warnings: list[tuple[Kind, str]] = []
    for img in list(root.iter("img")):
        src = img.get("src", "")
        target = local_asset(src, content_dir, source)
        if target is None:
            warnings.append((REFUSED_IMAGE, src))
            alt = img.get("alt", "")
            parent = img.getparent()
            span = lxml_html.Element("span", {"class": "image-refused"})
            span.text, span.tail = alt, img.tail
            parent.replace(img, span)
        else:
            href = target.relative_to(content_dir.resolve()).as_posix()  # type: ignore[union-attr]
            assets.append(Asset(href, target))
            img.set("src", href)
    return tuple(assets), warnings


def local_asset(src: str, content_dir: Path | None, source: Path) -> Path | None:
    """The file an image `src` names, when it lies inside the content folder."""
    if content_dir is None or not src or ":" in src or src.startswith(("/", "\\")):
        return None
    root = content_dir.resolve()
    target = (source.parent / unquote(src)).resolve()
    return target if root in target.parents and target.is_file() else None


@dataclass(frozen=True)
class RenderedBody:
    """The math-independent part of a render: XHTML with math markers, and what it holds."""

    xhtml: str
    spans: tuple[tuple[str, bool], ...]
    text: str
    headings: tuple[Heading, ...]
    assets: tuple[Asset, ...]
    warnings: tuple[str, ...]
    probes: tuple[tuple[str, int, int], ...] = ()
    links: tuple[str, ...] = ()  # hrefs to other pages, by the index of their marker


def file_probe(path: Path) -> tuple[str, int, int]:
    """(path, size, mtime_ns) of a file the render looked at; -1s when it is not a file."""
    try:
        stat = path.stat()
    except OSError:
        return (str(path), -1, -1)
    return (str(path), stat.st_size, stat.st_mtime_ns) if path.is_file() else (str(path), -1, -1)


def image_candidates(root: lxml_html.HtmlElement, source: Path) -> list[Path]:
    """Every local file an image of the article could name, found or not."""
    found = []
    for img in root.iter("img"):
        src = img.get("src", "")
        if src and ":" not in src and not src.startswith(("/", "\\")):
            found.append((source.parent / unquote(src)).resolve())
    return found


def render_body(article: Article, content_dir: Path | None = None) -> RenderedBody:
    """Parse and sanitise an article's Markdown once; math stays as markers for `with_math`.

    Shortcodes of the article's generator are expanded first; links to other pages stay
    as markers (see `render.links`); each kind of warning is one line per article.
    """
    markdown, removed, noun = expand(article.body_md, article.profile)
    raw, spans = markdown_to_html(strip_markers(xml_text(markdown)))
    root = parse_fragment(sanitise(raw))
    repair_lists(root)
    apply_alerts(root)
    accessible_structure(root)
    highlight_code(root)
    headings = _assign_heading_ids(root, article.key)
    probes = tuple(file_probe(path) for path in image_candidates(root, article.source))
    assets, notes = _apply_image_policy(root, content_dir, article.source)
    links, dropped = apply_link_policy(root, article.key, headings)
    notes += dropped + [((noun, REMOVED), name) for name in removed]
    text = " ".join(_MARKER.sub(lambda m: spans[int(m.group(1))][0], root.text_content()).split())
    xhtml = _PARAGRAPH_MARKER.sub(lambda m: f'<div class="math-block">{m.group(1)}</div>',
                                  to_xhtml(root))
    return RenderedBody(xhtml, tuple(spans), text, headings, assets,
                        tuple(fold(article.source, notes)), probes, links)


def with_math(article: Article, body: RenderedBody, math: str,
              math_cache: MathCache | None = None) -> RenderedArticle:
    """The rendered article with every math marker replaced by markup of kind `math`."""
    cache = math_cache or MathCache()
    fallbacks: list[MathFallback] = []

    def substitute(match: re.Match[str]) -> str:
        tex, display = body.spans[int(match.group(1))]
        markup, fallback = cache.convert(tex, display, math)
        if fallback is not None:
            fallbacks.append(fallback)
        return markup

    return RenderedArticle(
        article=article,
        html=_MARKER.sub(substitute, body.xhtml),
        text=body.text,
        headings=body.headings,
        math=math,
        has_math=bool(body.spans),
        assets=body.assets,
        math_fallbacks=tuple(fallbacks),
        warnings=body.warnings,
        links=body.links,
    )


def render_article(article: Article, math: str = "tex", content_dir: Path | None = None,
                   math_cache: MathCache | None = None) -> RenderedArticle:
    """Render one article's Markdown to sanitised XHTML with math in the requested kind."""
    return with_math(article, render_body(article, content_dir), math, math_cache)
