"""Escapes in math with two readings: the rules that decide them, the report, the corpus."""

from __future__ import annotations

import json
import time
from pathlib import Path

import latex2mathml.converter
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from typer.testing import CliRunner

from pressroom.cli import app
from pressroom.profiles.newlines import decode_answer

from .conftest import CORPUS
from .golden_corpus import GOLDEN, show_digests

# (id, encoded answer with literal `\n`, expected decoded text, rule of each note in order)
PATTERNS = [
    (
        "recurrence opening a block-style display",
        r"The balance after each month is:\n\n$$\nu_{m+1} = q u_m + d\n$$\n\nwith q > 1.",
        "The balance after each month is:\n\n$$\nu_{m+1} = q u_m + d\n$$\n\nwith q > 1.",
        ["block-style"],
    ),
    (
        "control signal opening a block-style display",
        r"The drive law:\n\n$$\nu(t) = K_d \frac{de(t)}{dt}\n$$\n\n- \( u(t) \) drives it",
        "The drive law:\n\n$$\nu(t) = K_d \\frac{de(t)}{dt}\n$$\n\n- \\( u(t) \\) drives it",
        ["block-style"],
    ),
    (
        "exponential opening a block-style display",
        r"The charge decays as:\n\n$$\ne^{-t/RC} = \frac{Q(t)}{Q_0}\n$$",
        "The charge decays as:\n\n$$\ne^{-t/RC} = \\frac{Q(t)}{Q_0}\n$$",
        ["block-style"],
    ),
    (
        "current opening a bracket display",
        r"In a capacitor:\n\[\ni_C = C \frac{dv}{dt}\n\]",
        "In a capacitor:\n\\[\ni_C = C \\frac{dv}{dt}\n\\]",
        ["block-style"],
    ),
    (
        "line after a row break in a block-style display",
        r"$$\n\begin{cases} a = 2 \\\nu = 3 \end{cases}\n$$",
        "$$\n\\begin{cases} a = 2 \\\\\nu = 3 \\end{cases}\n$$",
        ["block-style"],
    ),
    (
        "one-line display, the letter stands in inline math",
        r"$$\nu(t) = K e(t)$$ where \( u(t) \) is the output.",
        "$$\nu(t) = K e(t)$$ where \\( u(t) \\) is the output.",
        ["symbols"],
    ),
    (
        "one-line display, the letter stands in prose",
        r"$$\nu_k = 2^k$$ so u_3 is eight.",
        "$$\nu_k = 2^k$$ so u_3 is eight.",
        ["symbols"],
    ),
    (
        "mid-formula command, the command stands in inline math",
        r"$$ \tau = \mu + \nu $$ where $\nu$ is the drift.",
        r"$$ \tau = \mu + \nu $$ where $\nu$ is the drift.",
        ["symbols"],
    ),
    (
        "mid-formula command, its glyph stands in prose",
        r"$$ Re = L v / \nu $$ with ν the viscosity.",
        r"$$ Re = L v / \nu $$ with ν the viscosity.",
        ["symbols"],
    ),
    (
        "only the command reading parses",
        r"$$ a \nabla\limits_{k} $$",
        r"$$ a \nabla\limits_{k} $$",
        ["parses"],
    ),
    (
        "only the letter reading parses",
        r"$$ a \nolimits_{k} $$",
        "$$ a \nolimits_{k} $$",
        ["parses"],
    ),
    (
        "both symbols stand elsewhere: the nearer decides",
        r"Here $\nu$ is the rate of decay.\n\n$$\nu(t) = 1$$\n\nwith \( u(t) \) the input.",
        "Here $\\nu$ is the rate of decay.\n\n$$\nu(t) = 1$$\n\nwith \\( u(t) \\) the input.",
        ["nearest"],
    ),
    (
        "no evidence: the command stays, as before",
        r"$$ x \neq 0 $$",
        r"$$ x \neq 0 $$",
        ["default"],
    ),
    ("inline math holds one line", r"so $\nu_1$ and \(\ni\)", r"so $\nu_1$ and \(\ni\)", []),
    ("no command: newline", r"$$\ny = 1\n$$", "$$\ny = 1\n$$", []),
    ("a script takes the command", r"$$ x_\nu + y^\neq $$", r"$$ x_\nu + y^\neq $$", []),
    ("a group takes the command", r"$$ \frac{1}{\nu} $$", r"$$ \frac{1}{\nu} $$", []),
    ("no blank line in a formula", r"$$\n\nu = 1\n$$", "$$\n\\nu = 1\n$$", []),
]


@pytest.mark.parametrize(
    ("encoded", "expected", "rules"), [case[1:] for case in PATTERNS],
    ids=[case[0] for case in PATTERNS],
)
def test_each_pattern_reads_as_meant(encoded: str, expected: str, rules: list[str]) -> None:
    decoded, notes = decode_answer(encoded, line=9)
    assert decoded == expected
    assert [note.rule for note in notes] == rules
    for note in notes:
        assert encoded[note.offset :].startswith(note.written)
        assert note.line == 9 and note.why


def test_a_note_says_what_was_read_and_why() -> None:
    _, (note,) = decode_answer(r"Law:\n\n$$\nu(t) = 2\n$$", line=4)
    assert str(note) == (
        'read "\\nu(t)" as newline + "u(t)" (block-style display $$…$$, the escape follows "$$")'
    )
    _, (kept,) = decode_answer(r"$$ a \neq b $$")
    assert str(kept).startswith('read "\\neq" as TeX \\neq (')


def _article(answer: str) -> str:
    return (
        "---\nid: 7\ntitle: >-\n    What is the drive law?\nsubject: Engineering\n"
        "url: /learn/engineering/questions/what-is-the-drive-law\n"
        f"answer: >-\n    {answer}\n---\n&nbsp;\n"
    )


def test_check_explain_and_show_list_each_note(tmp_path: Path) -> None:
    path = tmp_path / "drive.md"
    path.write_text(_article(r"Law:\n\n$$\nu(t) = K e(t)\n$$\n\nand $$ x \neq 0 $$ too."))
    runner = CliRunner()
    explained = runner.invoke(app, ["check", "--explain", str(tmp_path)])
    assert explained.exit_code == 0, explained.output
    lines = [line for line in explained.stdout.splitlines() if line.startswith(str(path))]
    assert lines == [
        f'{path}:7: read "\\nu(t)" as newline + "u(t)" (block-style display $$…$$, '
        'the escape follows "$$")',
        f'{path}:7: read "\\neq" as TeX \\neq (no evidence either way; kept the TeX command)',
    ]
    assert "2 ambiguous decodes" in explained.stdout
    shown = runner.invoke(app, ["show", str(path)])
    assert json.loads(shown.stdout)["decode_notes"] == lines


# Formulas as an author types them: atoms the corpus uses, then encoded as the corpus does.
START = st.sampled_from(["u(t)", "u_{k+1}", "e^{kt}", "i_C", "n^2", r"\nu", r"\neq 0", r"\ni x",
                         r"\nabla f", "uv", "eq"])
ATOM = st.sampled_from(["x", "2", "u_k", "e", "i", r"\nu", r"\neq", r"\ni", r"\nabla f", "+", "=",
                        r"\frac{a}{b}", r"x_\nu", "(y)", r"\alpha", "n"])
LINE = st.tuples(START, st.lists(ATOM, max_size=6)).map(lambda t: " ".join([t[0], *t[1]]))
FORMULA = st.lists(LINE, min_size=1, max_size=3).map(" \\\\\n".join)


@given(FORMULA)
def test_block_style_formulas_read_back_exactly(formula: str) -> None:
    try:
        latex2mathml.converter.convert(formula)
    except Exception:  # an unparseable draw says nothing about the decoder
        assume(False)
    article = f"The result is:\n\n$$\n{formula}\n$$\n\nas shown."
    encoded = article.replace("\n", "\\n")
    decoded, _ = decode_answer(encoded)
    assert decoded == article


def test_many_guesses_stay_fast() -> None:
    text = "".join(f"$$ a_{n} \\nu b_{n} $$ " for n in range(20_000))
    started = time.perf_counter()
    decoded, notes = decode_answer(text)
    assert decoded == text and len(notes) == 20_000
    assert time.perf_counter() - started < 5


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not here")
def test_shared_corpus_reads_exactly_as_before() -> None:
    assert show_digests(CORPUS) == json.loads(GOLDEN.read_text())
