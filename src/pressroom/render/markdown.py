"""The one configured markdown-it parser: CommonMark, tables, strikethrough, TeX math."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.texmath import texmath_plugin

from pressroom.render.sanitize import HTML_TAGS

MATH_OPEN = "\ue000"
MATH_CLOSE = "\ue001"
_INLINE_DISPLAY = re.compile(r"^\\\[(.+?)\\\]", re.DOTALL)
_TAG_NAME = re.compile(r"^</?([A-Za-z][A-Za-z0-9-]*)")
BlockRule = Callable[[StateBlock, int, int, bool], bool]
_INLINE_MATH = ("math_inline",)
_DISPLAY_MATH = ("math_inline_double", "math_block", "math_block_label", "math_block_eqno")


def _inline_display_brackets(state: StateInline, silent: bool) -> bool:
    """Parse `\\[ … \\]` inside a paragraph as display math (texmath only does blocks)."""
    if not state.src.startswith("\\[", state.pos):
        return False
    match = _INLINE_DISPLAY.match(state.src[state.pos :])
    if not match:
        return False
    if not silent:
        token = state.push("math_inline_double", "math", 0)
        token.content = match.group(1)
        token.markup = "\\["
    state.pos += match.end()
    return True


def _math_placeholder(self: object, tokens: Sequence[Token], idx: int, options: OptionsDict,
                      env: EnvType) -> str:
    """Emit a marker the sanitiser leaves alone; math markup replaces it afterwards."""
    token = tokens[idx]
    spans = env.setdefault("math", [])
    spans.append((token.content.strip(), token.type in _DISPLAY_MATH))
    marker = f"{MATH_OPEN}{len(spans) - 1}{MATH_CLOSE}"
    return f"<p>{marker}</p>\n" if token.block else marker


def _html_or_text(self: object, tokens: Sequence[Token], idx: int, options: OptionsDict,
                  env: EnvType) -> str:
    """Real HTML goes on to the sanitiser; pseudo-tags such as `<username>` show as text."""
    content = tokens[idx].content
    match = _TAG_NAME.match(content.strip())
    if match and match.group(1).lower() in HTML_TAGS:
        return content
    escaped = content.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f"<p>{escaped}</p>\n" if tokens[idx].block else escaped


def _probe_safely(rule: BlockRule) -> BlockRule:
    """Make a block rule honour `silent` (the math plugins push tokens even when probed)."""

    def probed(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        first = state.bMarks[start] + state.tShift[start]
        if not state.src.startswith(("$$", "\\["), first):
            return False
        if not silent:
            return rule(state, start, end, False)
        tokens, line = len(state.tokens), state.line
        matched = rule(state, start, end, False)
        del state.tokens[tokens:]
        state.line = line
        return matched

    return probed


def _let_math_blocks_interrupt_paragraphs(md: MarkdownIt) -> None:
    """A `$$` or `\\[` line right under text starts display math, as authors mean it.

    Without this, `text` / `$$` / `x` / `=` / `y` / `$$` turns the text into a setext heading.
    """
    for entry in md.block.ruler.__rules__:
        if entry.name.startswith("math_block"):
            entry.fn = _probe_safely(entry.fn)
            entry.alt = ["paragraph", "reference", "blockquote", "list"]
    md.block.ruler.__cache__ = None


@cache
def parser() -> MarkdownIt:
    """The shared parser, configured once (CommonMark + tables, strikethrough and math)."""
    md = MarkdownIt("commonmark", {"html": True, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.use(dollarmath_plugin, allow_space=True, allow_digits=False, double_inline=True)
    md.use(texmath_plugin, delimiters="brackets")
    md.inline.ruler.before("escape", "math_inline_display_brackets", _inline_display_brackets)
    _let_math_blocks_interrupt_paragraphs(md)
    for name in _INLINE_MATH + _DISPLAY_MATH:
        md.add_render_rule(name, _math_placeholder)
    md.add_render_rule("html_inline", _html_or_text)
    md.add_render_rule("html_block", _html_or_text)
    return md


def markdown_to_html(source: str) -> tuple[str, list[tuple[str, bool]]]:
    """Render Markdown to (unsanitised HTML with math markers, [(tex, is_display)])."""
    env: dict[str, list[tuple[str, bool]]] = {}
    clean = source.replace(MATH_OPEN, "").replace(MATH_CLOSE, "")
    html = parser().render(clean, env)
    return html, env.get("math", [])
