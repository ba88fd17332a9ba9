"""decode_newlines: `\\n` becomes a newline except in TeX commands, `\\\\` and code strings."""

from __future__ import annotations

import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pressroom.profiles.newlines import decode_answer, decode_newlines

# (encoded answer text, expected decoded text); raw strings hold the two-character `\n`.
CASES = [
    ("plain", r"one\ntwo", "one\ntwo"),
    ("heading", r"intro\n\n### Steps", "intro\n\n### Steps"),
    ("neq in inline math", r"so $a \neq b$ holds", r"so $a \neq b$ holds"),
    ("ne in inline math", r"$a \ne b$", r"$a \ne b$"),
    ("nu in inline math", r"$\nu = 3$", r"$\nu = 3$"),
    ("nabla in display math", r"$$\nabla f = 0$$", r"$$\nabla f = 0$$"),
    ("newline then nabla", r"$$\n\nabla f\n$$", "$$\n" + r"\nabla f" + "\n$$"),
    ("nx in math is newline + x", r"$$\nx = 1\n$$", "$$\nx = 1\n$$"),
    ("nx_2 in math", r"$$a + \nx_2$$", "$$a + \nx_2$$"),
    ("display math opens on its own line", r"$$\ny = \beta_0\n$$", "$$\ny = \\beta_0\n$$"),
    ("block-style display opening on u", r"$$\nu_1 = 2\n$$", "$$\nu_1 = 2\n$$"),
    ("one-line display keeps nu", r"$$\nu_1 = 2$$", r"$$\nu_1 = 2$$"),
    (
        "matrix row breaks",
        r"$$\begin{pmatrix}x \\\ny\end{pmatrix}$$",
        "$$\\begin{pmatrix}x \\\\\ny\\end{pmatrix}$$",
    ),
    ("row break outside math", r"a \\\nb", "a \\\\\nb"),
    ("paren math", r"\(\neq\)", r"\(\neq\)"),
    ("bracket math with not", r"\[ \not\in \]", r"\[ \not\in \]"),
    ("notin and newline", r"\[ x \notin A \nleq \]", r"\[ x \notin A \nleq \]"),
    ("newcommand", r"$$\newcommand{\R}{x}$$", r"$$\newcommand{\R}{x}$$"),
    ("neq outside math", r"a\neq b", "a\neq b"),
    ("nabla outside math", r"x\nabla", "x\nabla"),
    ("other escapes untouched", r"\beta \frac \t C:\MinGW\bin", r"\beta \frac \t C:\MinGW\bin"),
    ("currency is not math", r"$5 and $10\nnot", "$5 and $10\nnot"),
    ("inline math does not cross a blank line", r"$x\n\nnot $", "$x\n\nnot $"),
    (
        "printf in fenced C",
        r'```c\nprintf("%d\n", x);\n```\nafter',
        '```c\nprintf("%d\\n", x);\n```\nafter',
    ),
    (
        "indented fence in a list",
        r"1. Run:\n   ```bash\n   echo 'a\nb'\n   ```\n\nok",
        "1. Run:\n   ```bash\n   echo 'a\\nb'\n   ```\n\nok",
    ),
    (
        "python docstring is multi-line",
        r'```python\ndef f():\n    """Doc.\n    More."""\n```',
        '```python\ndef f():\n    """Doc.\n    More."""\n```',
    ),
    (
        "apostrophe in a comment opens no string",
        r"```python\n# don't stop\nx = 'a\n'\n```",
        "```python\n# don't stop\nx = 'a\\n'\n```",
    ),
    (
        "string prefix f'…' still opens",
        r"```python\nx = f'{a}\n'\ny = 1\n```",
        "```python\nx = f'{a}\\n'\ny = 1\n```",
    ),
    (
        "escaped quote inside a string",
        r'```c\nputs("a\"b\n");\nx\n```',
        '```c\nputs("a\\"b\\n");\nx\n```',
    ),
    (
        "unclosed quote is plain text",
        r'```\nx = "open\ny = 2\n```',
        '```\nx = "open\ny = 2\n```',
    ),
    (
        "unclosed fence runs to the end",
        r'```c\nputs("a\n");\nend',
        '```c\nputs("a\\n");\nend',
    ),
    ("no math inside code", r"```\n$\neq$\n```", "```\n$\neq$\n```"),
    ("fence mid-line is not a fence", r"say ```x\n``` ok", "say ```x\n``` ok"),
    ("inline code keeps \\n", r"use `\n` to end a line\nnext", "use `\\n` to end a line\nnext"),
    ("double-backtick inline code", r"use ``a`\n`` here", "use ``a`\\n`` here"),
    ("unclosed backtick", r"a ` b\nc", "a ` b\nc"),
    ("inline code stops at a new list item", r"- `x\n- item`", "- `x\n- item`"),
    ("escaped dollar is not math", r"\$x\ne$", "\\$x\ne$"),
    ("empty", "", ""),
    ("trailing backslash", "a\\", "a\\"),
]


@pytest.mark.parametrize(
    ("encoded", "expected"), [case[1:] for case in CASES], ids=[case[0] for case in CASES]
)
def test_decode_newlines(encoded: str, expected: str) -> None:
    assert decode_newlines(encoded) == expected


def test_text_without_escapes_is_unchanged() -> None:
    text = "No escapes here: $x$, `code`, ```fence``` and \\beta."
    assert decode_newlines(text) == text


ALPHABET = st.sampled_from(
    ["\\", "n", "\\n", "$", "$$", "`", "```", "\\(", "\\)", "\\[", "\\]", '"', "'", '"""',
     "e", "q", "abla", "u", "x", " ", "a", "\n"]
)


@given(st.lists(ALPHABET, max_size=60).map("".join))
def test_never_adds_literal_newlines(text: str) -> None:
    assert decode_newlines(text).count("\\n") <= text.count("\\n")


@given(st.one_of(st.text(max_size=200), st.lists(ALPHABET, max_size=60).map("".join)))
def test_only_turns_escapes_into_newlines(text: str) -> None:
    decoded = decode_newlines(text)
    decoded_escapes = text.count("\\n") - decoded.count("\\n")
    assert len(text) - len(decoded) == decoded_escapes
    assert decoded.count("\n") == text.count("\n") + decoded_escapes


@given(st.lists(ALPHABET, max_size=60).map("".join))
def test_every_note_points_at_an_escape_it_read(text: str) -> None:
    decoded, notes = decode_answer(text, line=3)
    assert decoded == decode_newlines(text)
    assert sorted(note.offset for note in notes) == [note.offset for note in notes]
    for note in notes:
        assert note.written.startswith("\\n") and text.startswith(note.written, note.offset)
        assert note.line == 3 and note.rule and note.why


@pytest.mark.parametrize(
    "text",
    ["$x " * 100_000, "\\(x " * 100_000, "``x `" * 100_000, "`x\\n- " * 100_000],
    ids=["dollars", "parens", "backticks", "list-items"],
)
def test_unclosed_delimiters_stay_linear(text: str) -> None:
    started = time.perf_counter()
    assert decode_newlines(text).count("\\n") <= text.count("\\n")
    assert time.perf_counter() - started < 5


def test_spaced_dollar_math_keeps_n_commands_like_the_renderer() -> None:
    assert decode_newlines(r"impedance $ \nu $ here\nnext") == "impedance $ \\nu $ here\nnext"


def test_currency_between_dollars_is_not_math() -> None:
    assert decode_newlines(r"costs $5 and $10\nnu") == "costs $5 and $10\nnu"
