"""Syntax highlighting of fenced code by language (Pygments), shared by every exporter.

Highlighted code is spans with Pygments' short class names inside `<pre><code>`; the
colours come from the theme (`code_style`, a Pygments style name) as CSS every format adds.
"""

from __future__ import annotations

from functools import cache

from lxml import html as lxml_html
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

from pressroom.themes import Theme

LANGUAGE_PREFIX = "language-"
HIGHLIGHTED = "highlight"
DEFAULT_STYLE = "friendly"


def _language(code: lxml_html.HtmlElement) -> str | None:
    for name in (code.get("class") or "").split():
        if name.startswith(LANGUAGE_PREFIX):
            return name[len(LANGUAGE_PREFIX):]
    return None


@cache
def _formatter() -> HtmlFormatter:
    return HtmlFormatter(nowrap=True)


def highlight_code(root: lxml_html.HtmlElement) -> None:
    """Highlight every `<pre><code class="language-X">` whose language Pygments knows."""
    for code in list(root.iter("code")):
        parent = code.getparent()
        language = _language(code)
        if parent is None or parent.tag != "pre" or language is None:
            continue
        try:
            lexer = get_lexer_by_name(language, stripnl=False, ensurenl=False)
        except ClassNotFound:
            continue
        source = code.text_content()
        marked = lxml_html.fragment_fromstring(highlight(source, lexer, _formatter()),
                                               create_parent="code")
        for child in list(code):
            code.remove(child)
        code.text = marked.text
        for child in marked:
            code.append(child)
        code.set("class", f"{code.get('class')} {HIGHLIGHTED}")


@cache
def code_css(style: str = DEFAULT_STYLE) -> str:
    """CSS colouring highlighted code in a Pygments style (token colours, no background)."""
    try:
        formatter = HtmlFormatter(style=style)
    except ClassNotFound as exc:
        raise ValueError(f"theme option code_style: unknown Pygments style {style!r}") from exc
    rules = formatter.get_style_defs(f"code.{HIGHLIGHTED}").splitlines()
    kept = [rule for rule in rules if rule.startswith(f"code.{HIGHLIGHTED} .")]
    return "/* Highlighted code: Pygments style " + style + " */\n" + "\n".join(kept) + "\n"


def theme_code_css(theme: Theme) -> str:
    """The code colours of a theme: its `code_style` option (a Pygments style name)."""
    return code_css(str(theme.option("code_style", DEFAULT_STYLE)))
