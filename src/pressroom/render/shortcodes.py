"""Hugo shortcodes and Jekyll Liquid tags in a page body, turned into Markdown the parser reads.

`highlight`, `figure`, `ref`/`relref`, `{% link %}` and `{% post_url %}` are rendered; the
others are removed (a paired one keeps what it wraps) and named, so a page warns once.
Escaped shortcodes (`{{</* x */>}}`) and `{% raw %}` blocks stay as written.
"""

from __future__ import annotations

import html
import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass

_HUGO = re.compile(
    r"\{\{(?P<delim>[<%])(?P<esc>/\*)?\s*(?P<close>/)?(?P<name>[\w./-]+)(?P<args>.*?)"
    r"(?P<unesc>\*/)?\s*[>%]\}\}", re.S)
_LIQUID = re.compile(
    r"\{%-?\s*raw\s*-?%\}(?P<raw>.*?)\{%-?\s*endraw\s*-?%\}"
    r"|\{%-?\s*(?P<name>\w+)(?P<args>.*?)-?%\}|\{\{-?(?P<output>.*?)-?\}\}", re.S)
_KRAMDOWN_IAL = re.compile(r"^[ \t]*\{:[^}\n]*\}[ \t]*$", re.M)
_LIQUID_DROP_INNER = frozenset({"comment"})
_SITE_PREFIXES = frozenset({"site.baseurl", "site.url", "site.url }}{{ site.baseurl"})
_URL_FILTER = re.compile(
    r"(?:site\.baseurl\s*\|\s*append:\s*)?['\"](?P<path>[^'\"]*)['\"]"
    r"\s*\|\s*(?:relative_url|absolute_url)")


@dataclass
class _Tag:
    """One shortcode or tag: its name and arguments, its text, and what it wraps if paired."""

    name: str
    args: str
    raw: str
    children: list[_Tag | str] | None = None

    def inner(self) -> str:
        """What a paired tag wraps, exactly as written."""
        return "".join(c if isinstance(c, str) else c.source() for c in self.children or [])

    def source(self) -> str:
        """The tag as written (for code inside a highlight)."""
        return self.raw + self.inner()


def _tree(items: list[_Tag | str | tuple[str, str]]) -> list[_Tag | str]:
    """Nest tags between their openers and closers (`("close", name)` items)."""
    stack: list[tuple[_Tag | None, list[_Tag | str]]] = [(None, [])]
    for item in items:
        if isinstance(item, tuple):
            name = item[1]
            if not any(tag is not None and tag.name == name for tag, _ in stack):
                continue  # a stray closer: dropped
            while True:
                tag, children = stack.pop()
                assert tag is not None
                if tag.name == name:
                    tag.children = children
                    stack[-1][1].append(tag)
                    break
                stack[-1][1].extend([tag, *children])  # an unclosed tag stands alone
        elif isinstance(item, _Tag) and item.children is None and not item.args.rstrip() \
                .endswith("/"):
            stack.append((item, []))
        else:
            stack[-1][1].append(item)
    while len(stack) > 1:
        tag, children = stack.pop()
        stack[-1][1].extend([tag, *children])  # type: ignore[list-item]
    return stack[0][1]


def _arguments(args: str) -> tuple[list[str], dict[str, str]]:
    """Positional and named arguments of a shortcode or tag."""
    try:
        words = shlex.split(args.replace("`", '"').rstrip("/ "))
    except ValueError:
        words = args.split()
    positional = [w for w in words if "=" not in w]
    named = dict(w.split("=", 1) for w in words if "=" in w)
    return positional, named


def _fence(language: str, code: str) -> str:
    code = code.strip("\n")
    fence = "~~~~" if "```" in code else "```"
    return f"\n\n{fence}{language}\n{code}\n{fence}\n\n"


def _figure(named: dict[str, str]) -> str:
    src = html.escape(named.get("src", ""), quote=True)
    alt = html.escape(named.get("alt", named.get("title", "")), quote=True)
    caption = " ".join(filter(None, (named.get("title"), named.get("caption"))))
    figcaption = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
    return f'\n\n<figure><img src="{src}" alt="{alt}"/>{figcaption}</figure>\n\n'


def _destination(target: str) -> str:
    return f"<{target}>" if " " in target else target


def _hugo_tag(tag: _Tag, removed: set[str], render: Callable[[list[_Tag | str]], str]) -> str:
    positional, named = _arguments(tag.args)
    if tag.name == "highlight":
        return _fence(positional[0] if positional else "", tag.inner())
    if tag.name == "figure":
        return _figure(named)
    if tag.name in ("ref", "relref"):
        return _destination(named.get("path", positional[0] if positional else ""))
    removed.add(tag.name)
    return render(tag.children) if tag.children else ""


def _liquid_output(expression: str) -> str | None:
    """What an output tag stands for when it is a URL: `{{ '/x/' | relative_url }}` → `/x/`."""
    if expression in _SITE_PREFIXES:
        return ""
    match = _URL_FILTER.fullmatch(expression)
    if match is None:
        return None
    return match.group("path")


def _liquid_tag(tag: _Tag, removed: set[str], render: Callable[[list[_Tag | str]], str]) -> str:
    if tag.name == "{{":
        expression = tag.args[:-2]
        url = _liquid_output(expression)
        if url is not None:
            return url
        removed.add(f"{{{{ {expression} }}}}")
        return ""
    positional, _ = _arguments(tag.args)
    if tag.name == "highlight":
        return _fence(positional[0] if positional else "", tag.inner())
    if tag.name == "link" and positional:
        return _destination("/" + positional[0].lstrip("/"))
    if tag.name == "post_url" and positional:
        return _destination("/_posts/" + positional[0].lstrip("/"))
    if tag.name in _LIQUID_DROP_INNER:
        return ""
    removed.add(tag.name)
    if not tag.children:
        return ""
    return render(tag.children)


def _hugo_tokens(body: str) -> list[_Tag | str | tuple[str, str]]:
    items: list[_Tag | str | tuple[str, str]] = []
    last = 0
    for match in _HUGO.finditer(body):
        items.append(body[last:match.start()])
        last = match.end()
        if match.group("esc"):  # {{</* x */>}} shows the shortcode itself
            delim = match.group("delim")
            closing = ">" if delim == "<" else "%"
            inner = match.group(0)[3:-3].removeprefix("/*").removesuffix("*/").strip()
            items.append(f"{{{{{delim} {inner} {closing}}}}}")
        elif match.group("close"):
            items.append(("close", match.group("name")))
        else:
            items.append(_Tag(match.group("name"), match.group("args"), match.group(0)))
    items.append(body[last:])
    return items


def _liquid_tokens(body: str) -> list[_Tag | str | tuple[str, str]]:
    items: list[_Tag | str | tuple[str, str]] = []
    last = 0
    for match in _LIQUID.finditer(body):
        items.append(body[last:match.start()])
        last = match.end()
        name = match.group("name")
        if match.group("raw") is not None:
            items.append(match.group("raw"))
        elif name is None:
            output = " ".join(match.group("output").split())
            items.append(_Tag("{{", f"{output} /", match.group(0)))  # an output tag
        elif name.startswith("end"):
            items.append(("close", name[3:]))
        elif name in ("link", "post_url", "include", "include_relative", "assign", "else",
                      "elsif", "when", "break", "continue", "cycle", "increment"):
            items.append(_Tag(name, match.group("args") + " /", match.group(0)))
        else:
            items.append(_Tag(name, match.group("args"), match.group(0)))
    items.append(body[last:])
    return items


def _renderer(tag_rule: Callable[[_Tag, set[str], Callable[[list[_Tag | str]], str]], str],
              removed: set[str]) -> Callable[[list[_Tag | str]], str]:
    def render(nodes: list[_Tag | str]) -> str:
        return "".join(n if isinstance(n, str) else tag_rule(n, removed, render) for n in nodes)
    return render


def expand_hugo(body: str) -> tuple[str, tuple[str, ...]]:
    """A Hugo page body with its shortcodes rendered or removed, and the removed names."""
    if "{{" not in body:
        return body, ()
    removed: set[str] = set()
    text = _renderer(_hugo_tag, removed)(_tree(_hugo_tokens(body)))
    return text, tuple(sorted(removed))


def expand_liquid(body: str) -> tuple[str, tuple[str, ...]]:
    """A Jekyll page body with its Liquid tags rendered or removed, and the removed names."""
    body = _KRAMDOWN_IAL.sub("", body)
    if "{%" not in body and "{{" not in body:
        return body, ()
    removed: set[str] = set()
    text = _renderer(_liquid_tag, removed)(_tree(_liquid_tokens(body)))
    return text, tuple(sorted(removed))


EXPANDERS: dict[str, tuple[Callable[[str], tuple[str, tuple[str, ...]]], str]] = {
    "hugo": (expand_hugo, "shortcode"),
    "jekyll": (expand_liquid, "Liquid tag"),
}


def expand(body: str, profile: str) -> tuple[str, tuple[str, ...], str]:
    """The body as plain Markdown for the profile's generator, what was removed, and what
    the generator calls those things."""
    if profile not in EXPANDERS:
        return body, (), ""
    expander, noun = EXPANDERS[profile]
    return (*expander(body), noun)
