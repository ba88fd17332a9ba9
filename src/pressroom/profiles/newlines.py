"""Decode the literal two-character `\\n` sequences QuickTakes answers use for newlines.

A quirk of one profile's input (see profiles/quicktakes.py); `mathescapes` decides the
ambiguous escapes inside math.
"""

from __future__ import annotations

import re
from collections import deque

from pressroom.model import DecodeNote
from pressroom.profiles.mathescapes import MathReader, MathSpan

# What the decoder stops at: math and code openers, a backslash pair other than `\\n`, and a
# `\\n` that starts a fence line; the runs between are prose, their `\\n`s plain newlines.
# Every branch opens with a literal, so the engine skips to the next `$`, backtick or
# backslash in C (a leading character class would have it try every branch at every
# character).
_SPECIAL = re.compile(r"\$|`|\\(?!n)|\\n(?=[ \t]*(?:`{3}|~{3}))")
_FENCE_OPEN = re.compile(r"[ \t]*(`{3,}|~{3,})")
_BACKTICKS = re.compile(r"`+")
# Where an inline code span's logical line ends: a blank line or a new block.
_LINE_BREAK = re.compile(
    r"\\n[ \t]*(?:\\n|#{1,6}[ \t]|>|[-*+][ \t]|\d{1,9}[.)][ \t]|```|~~~|\Z)"
)
_CODE_ESCAPE = re.compile(r"\\[\\n]")
_CODE_SPECIAL = re.compile(r"[\\\"']")  # what code decoding looks at
_STRING_PREFIX = re.compile(r"(?:^|[^A-Za-z0-9_])[rRbBfFuU]{0,2}$")
_MATH_OPENER = re.compile(r"\$\$?|\\[\[(]")
_CLOSER_OF = {"$$": "$$", "\\[": "\\]", "\\(": "\\)", "$": "$"}
# A math scan from just past the opener to its closer, backslash pairs skipped, in one match:
# group 1, when set, is the blank line (`\\n\\n`) that ends an inline span unclosed. A `$`
# with a digit right after it closes nothing (`$5 and $10` is no math), as in the renderer.
_CLOSERS = {
    "$$": re.compile(r"(?:[^\\$]++|\\[\s\S]|\$(?!\$))*+\$\$"),
    "\\]": re.compile(r"(?:[^\\]++|\\(?!\])[\s\S])*+\\\]"),
    "\\)": re.compile(r"(?:[^\\]++|\\(?!n\\n|\))[\s\S])*+(?:\\\)|(\\n\\n))"),
    "$": re.compile(r"(?:[^\\$]++|\\(?!n\\n)[\s\S]|\$(?=\d))*+(?:\$|(\\n\\n))"),
}


def decode_newlines(text: str) -> str:
    """Turn `\\n` into newlines, keeping TeX `\\n…` commands, `\\\\` and code string escapes."""
    return decode_answer(text)[0]


def decode_answer(text: str, line: int | None = None) -> tuple[str, tuple[DecodeNote, ...]]:
    """Decode `text` as `decode_newlines`, with a note (at `line`) for each escape guessed at."""
    out: list[str] = []
    maths: list[tuple[int, int, str]] = []  # (index in out, index in text, span as written)
    prose: list[tuple[int, str]] = []  # (index in text, plain text run)
    fails: dict[str, int] = {}  # closer -> scans starting before this index cannot close
    i, size = 0, len(text)
    line_start = True
    while i < size:
        if line_start and (fence := _FENCE_OPEN.match(text, i)):
            chunk, i = _fenced_block(text, i, fence)
            out.append(chunk)
            if chunk:
                line_start = False
                continue
        line_start = False
        special = _SPECIAL.search(text, i)
        stop = size if special is None else special.start()
        if stop > i:
            run = text[i:stop]
            out.append(run.replace("\\n", "\n"))
            prose.append((i, run))
        if special is None:
            break
        i = stop
        if text.startswith("\\n", i):
            out.append("\n")
            i += 2
            line_start = True
            continue
        end = _math_end(text, i, fails)
        if end is not None:
            raw = text[i:end]
            maths.append((len(out), i, raw))
            out.append(raw)  # as written, unless it holds an escape to decode below
        elif text[i] == "`":
            end = _inline_code_end(text, i, fails)
            out.append(text[i:end])
        else:
            end = i + (2 if text[i] == "\\" else 1)
            out.append(text[i:end])
        i = end
    notes = _decode_math(out, maths, prose, line)  # fills in the spans it decodes
    return "".join(out), notes


def _decode_math(out: list[str], maths: list[tuple[int, int, str]],
                 prose: list[tuple[int, str]], line: int | None) -> tuple[DecodeNote, ...]:
    """Decode, in `out`, the math spans that hold an escape, weighing every span and the
    prose as evidence; the notes on the escapes guessed at. Most spans hold none: they
    stay as written, and an article without such spans needs no reader at all."""
    escaped = [index for index, (_, _, raw) in enumerate(maths)
               if "\\n" in raw or "\\\\" in raw]
    if not escaped:
        return ()
    spans = [MathSpan(start, raw) for _, start, raw in maths]
    reader = MathReader(spans, prose, line)
    notes: list[DecodeNote] = []
    for index in escaped:
        out[maths[index][0]], span_notes = reader.decode(spans[index])
        notes.extend(span_notes)
    return tuple(notes)


def _math_end(text: str, i: int, fails: dict[str, int]) -> int | None:
    """End index of the math span opening at `i`, or None when none opens or closes."""
    opener = _MATH_OPENER.match(text, i)
    if opener is None:
        return None
    token = opener.group()
    if token == "$" and (i + 1 == len(text) or (i and text[i - 1].isdigit())):
        return None
    return _scan_to(text, opener.end(), _CLOSER_OF[token], fails)


def _scan_to(text: str, j: int, closer: str, fails: dict[str, int]) -> int | None:
    """Index just past `closer`, skipping backslash pairs; remembers failures (no quadratic)."""
    if j < fails.get(closer, -1):
        return None
    found = _CLOSERS[closer].match(text, j)
    if found is None:
        fails[closer] = len(text)
        return None
    if found.lastindex:  # the blank line that ends an inline span
        fails[closer] = found.start(1)
        return None
    return found.end()


def _inline_code_end(text: str, i: int, fails: dict[str, int]) -> int:
    """End of the inline code span opening at `i`; just past its backticks if it never closes."""
    ticks = _BACKTICKS.match(text, i)
    assert ticks is not None
    if ticks.end() < fails.get(ticks.group(), -1):
        return ticks.end()
    limit = fails.get("\\n", -1)  # the next logical line break, found once per line
    if limit < ticks.end():
        stop = _LINE_BREAK.search(text, ticks.end())
        limit = fails["\\n"] = stop.start() if stop else len(text)
    for run in _BACKTICKS.finditer(text, ticks.end(), limit):
        if run.group() == ticks.group():
            return run.end()
    fails[ticks.group()] = limit
    return ticks.end()


def _fenced_block(text: str, i: int, fence: re.Match[str]) -> tuple[str, int]:
    """Decode a fenced code block starting at `i`; ("", i) when the line is not a fence."""
    marker = fence.group(1)
    info_end = text.find("\\n", fence.end())
    info_end = len(text) if info_end < 0 else info_end
    if marker[0] == "`" and "`" in text[fence.end() : info_end]:
        return "", i
    closing = re.compile(
        r"\\n[ \t]*" + re.escape(marker[0]) + "{" + str(len(marker)) + r",}[ \t]*(?=\\n|\Z)"
    )
    close = closing.search(text, info_end)
    body_end = close.start() if close else len(text)
    parts = [text[i:info_end], _decode_code(text[info_end:body_end])]
    if close:
        parts.append("\n" + text[close.start() + 2 : close.end()])
        return "".join(parts), close.end()
    return "".join(parts), len(text)


def _decode_code(code: str) -> str:
    """Decode code: `\\n` is a newline except inside one-line string literals.

    Runs without a backslash or quote are copied whole; `tail` keeps the last three pieces
    as a character-by-character copy would have them, which is what a `'` looks back at."""
    out: list[str] = []
    tail: deque[str] = deque(maxlen=3)
    i = 0
    while True:
        special = _CODE_SPECIAL.search(code, i)
        stop = len(code) if special is None else special.start()
        if stop > i:
            out.append(code[i:stop])
            tail.extend(code[max(i, stop - 3):stop])
        if special is None:
            return "".join(out)
        i = stop
        char = code[i]
        if char == "\\":
            piece = "\n" if code.startswith("\\n", i) else code[i : i + 2]
            i += 2
        elif char == '"' or _quote_opens("".join(tail)):
            quote = char * 3 if code.startswith(char * 3, i) else char
            end = _string_end(code, i + len(quote), quote)
            if end is None:
                piece = quote
                i += len(quote)
            elif len(quote) == 3:
                piece = quote + _CODE_ESCAPE.sub(_code_escape, code[i + 3 : end]) + quote
                i = end + 3
            else:
                piece = code[i : end + 1]
                i = end + 1
        else:
            piece = char
            i += 1
        out.append(piece)
        tail.append(piece)


def _code_escape(match: re.Match[str]) -> str:
    return "\n" if match.group(0) == "\\n" else match.group(0)


def _quote_opens(before: str) -> bool:
    """A `'` opens a string unless a letter or digit precedes it (`don't`); `f'`, `b'` still do."""
    return _STRING_PREFIX.search(before) is not None


def _string_end(code: str, j: int, quote: str) -> int | None:
    """Index of the closing `quote`, skipping backslash escapes; None when it never closes."""
    while j < len(code):
        if code.startswith(quote, j):
            return j
        j += 2 if code[j] == "\\" else 1
    return None
