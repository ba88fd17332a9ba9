"""Read each `\\n` escape inside math as a newline or a TeX command, by the article's evidence."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import latex2mathml.converter
from latex2mathml.symbols_parser import convert_symbol

from pressroom.model import DecodeNote

# LaTeX control words that start with "n": inside math, `\n` + one of these may be TeX.
N_COMMANDS = frozenset(
    (
        "nabla", "napprox", "natural", "ncong", "ne", "nearrow", "neg", "negmedspace",
        "negthickspace", "negthinspace", "neq", "nequiv", "newcommand", "newline",
        "nexists", "ngeq", "ngeqq", "ngeqslant", "ngtr", "ni", "nleftarrow", "nLeftarrow",
        "nleftrightarrow", "nLeftrightarrow", "nleq", "nleqq", "nleqslant", "nless", "nmid",
        "nobreak", "noindent", "nolimits", "nonumber", "norm", "not", "notag", "notin",
        "nparallel", "nprec", "npreceq", "nrightarrow", "nRightarrow", "nshortmid",
        "nshortparallel", "nsim", "nsubset", "nsubseteq", "nsubseteqq", "nsucc", "nsucceq",
        "nsupset", "nsupseteq", "nsupseteqq", "ntriangleleft", "ntrianglelefteq",
        "ntriangleright", "ntrianglerighteq", "nu", "nVDash", "nVdash", "nvDash", "nvdash",
        "nwarrow",
    )
)

_ESCAPE = re.compile(r"\\(\\|n[A-Za-z]*)")
_WRITTEN = re.compile(r"\\n[^\s\\$]{0,10}")
_DELIMITERS = (("$$", "$$"), ("\\[", "\\]"), ("\\(", "\\)"), ("$", "$"))
_PARSE_LIMIT = 2_000  # longer formulas are not test-parsed (the corpus's longest is 289)
_PARSE_BUDGET = 200  # test parses per article, so that no input makes decoding slow
_PENDING = "pending"  # two readings are possible; the rules below decide


@dataclass(frozen=True)
class MathSpan:
    """A math span as written: where it starts in the field's raw text, delimiters included."""

    start: int
    raw: str

    @property
    def delimiters(self) -> tuple[str, str]:
        """The opening and closing delimiter."""
        return next(pair for pair in _DELIMITERS if self.raw.startswith(pair[0]))

    @property
    def display(self) -> bool:
        """Display math (`$$`, `\\[`): the only kind whose formula may run over lines."""
        return self.raw.startswith(("$$", "\\["))


@dataclass
class _Choice:
    """One `\\n…` escape: read as the TeX command or as newline + letters, and on what ground."""

    match: re.Match[str]
    command: bool
    rule: str | None = None  # None: no other reading was possible; else the rule that decided
    why: str = ""
    line_start: str = ""  # in display math: the opener or `\\` the escape directly follows

    @property
    def word(self) -> str:
        return self.match.group(1)


@dataclass(frozen=True)
class _Reading:
    """A span's escapes in order, and whether the span is laid out in block style."""

    choices: list[_Choice]
    block_style: bool


class MathReader:
    """Decodes the math spans of one field, weighing what the whole field writes elsewhere."""

    def __init__(self, spans: Sequence[MathSpan], prose: Sequence[tuple[int, str]],
                 line: int | None = None) -> None:
        self._inline = [span for span in spans if not span.display]
        self._runs = prose
        self._pieces: list[tuple[int, str]] | None = None
        self._line = line
        self._parses_left = _PARSE_BUDGET
        self._readings = {span.start: _first_reading(span) for span in spans}
        self._certain: dict[str, list[int]] = {}
        for span in spans:
            for choice in self._readings[span.start].choices:
                if choice.command and choice.rule is None:
                    self._certain.setdefault(choice.word, []).append(
                        span.start + choice.match.start()
                    )
        self._letters: dict[str, list[int]] = {}
        self._commands: dict[str, list[int]] = {}

    def decode(self, span: MathSpan) -> tuple[str, list[DecodeNote]]:
        """The span with its escapes decoded, and a note for each one that needed a guess."""
        reading = self._readings[span.start]
        notes = []
        for index, choice in enumerate(reading.choices):
            if choice.rule is None:
                continue
            for name, rule in _RULES:
                verdict = rule(self, span, reading, index)
                if verdict is not None:
                    choice.command, choice.why = verdict
                    choice.rule = name
                    break
            notes.append(self._note(span, choice))
        return _render(span, reading.choices), notes

    def _prose(self) -> list[tuple[int, str]]:
        """The prose runs cut at each `\\n`, with their offsets (found on first use)."""
        if self._pieces is None:
            self._pieces = []
            for start, run in self._runs:
                for piece in run.split("\\n"):
                    if piece:
                        self._pieces.append((start, piece))
                    start += len(piece) + 2
        return self._pieces

    def letter_uses(self, letters: str) -> list[int]:
        """Where `letters` stand as a symbol: alone in inline math, or `u(`, `u_`, `u^` in prose."""
        if letters not in self._letters:
            name = re.escape(letters)
            in_math = re.compile(rf"(?<![A-Za-z\\]){name}(?![A-Za-z])")
            in_prose = re.compile(rf"(?<![A-Za-z]){name}(?=[_^(])")
            self._letters[letters] = sorted(
                [span.start + m.start() for span in self._inline
                 for m in in_math.finditer(span.raw)]
                + [start + m.start() for start, piece in self._prose()
                   for m in in_prose.finditer(piece)]
            )
        return self._letters[letters]

    def command_uses(self, word: str) -> list[int]:
        """Where `\\word` stands where no newline could, or its glyph (ν for `\\nu`) in prose."""
        if word not in self._commands:
            uses = list(self._certain.get(word, ()))
            code = convert_symbol("\\" + word)
            if code:
                glyph = re.compile(re.escape(chr(int(code, 16))))
                uses += [start + m.start() for start, piece in self._prose()
                         for m in glyph.finditer(piece)]
            self._commands[word] = sorted(uses)
        return self._commands[word]

    def parse_error(self, tex: str) -> str | None:
        """The name of the error latex2mathml raises on `tex`, or None when it parses."""
        self._parses_left -= 1
        try:
            latex2mathml.converter.convert(tex)
        except Exception as exc:  # latex2mathml raises many private exception types
            return type(exc).__name__
        return None

    def may_parse(self, span: MathSpan) -> bool:
        """Whether `span` is short enough, and the field's budget left, to test-parse it twice."""
        return len(span.raw) <= _PARSE_LIMIT and self._parses_left >= 2

    def _note(self, span: MathSpan, choice: _Choice) -> DecodeNote:
        written = _WRITTEN.match(span.raw, choice.match.start())
        assert written is not None
        text = written.group()
        reading = f"TeX \\{choice.word}" if choice.command else f'newline + "{text[2:]}"'
        return DecodeNote(offset=span.start + choice.match.start(), written=text,
                          reading=reading, rule=choice.rule or "", why=choice.why,
                          line=self._line)


def _skip_back_blanks(raw: str, j: int) -> int:
    while j and raw[j - 1] in " \t":
        j -= 1
    return j


def _first_reading(span: MathSpan) -> _Reading:
    """Each escape with its certain reading; those with two possible readings tentatively TeX.

    Certain: a word that is no TeX command is newline + letters; a command is TeX in inline
    math (one line), right after `_`, `^` or a group's `{`, and right after a newline (a
    blank line cannot stand inside a formula).
    """
    if "\\n" not in span.raw and "\\\\" not in span.raw:
        return _Reading([], False)  # no escape: most spans, so skip the scan
    opener = span.delimiters[0]
    choices: list[_Choice] = []
    newline_end = row_break_end = -1
    for match in _ESCAPE.finditer(span.raw):
        word = match.group(1)
        if word == "\\":
            row_break_end = match.end()
            continue
        j = _skip_back_blanks(span.raw, match.start())
        before = span.raw[j - 1] if j else ""
        if word not in N_COMMANDS:
            choices.append(_Choice(match, command=False))
            newline_end = match.end()
        elif (not span.display or before in ("_", "^") or j == newline_end
              or (before == "{" and not span.raw.endswith("\\{", 0, j))):
            choices.append(_Choice(match, command=True))
        else:
            starts = opener if j == len(opener) else "\\\\" if j == row_break_end else ""
            choices.append(_Choice(match, command=True, rule=_PENDING, line_start=starts))
    return _Reading(choices, _block_style(span, choices))


def _block_style(span: MathSpan, choices: Sequence[_Choice]) -> bool:
    """A display whose opener is followed by an escape and whose closer follows a bare `\\n`."""
    if not (span.display and choices):
        return False
    opener, closer = span.delimiters
    first, last = choices[0].match, choices[-1].match
    return (_skip_back_blanks(span.raw, first.start()) == len(opener) and last.group(1) == "n"
            and not span.raw[last.end() : len(span.raw) - len(closer)].strip(" \t"))


def _render(span: MathSpan, choices: Sequence[_Choice], flip: int | None = None) -> str:
    """The span's text under `choices` (with choice number `flip` read the other way)."""
    if not choices:
        return span.raw
    out, last = [], 0
    for index, choice in enumerate(choices):
        command = choice.command != (index == flip)
        out.append(span.raw[last : choice.match.start()])
        out.append(choice.match.group() if command else "\n" + choice.word[1:])
        last = choice.match.end()
    out.append(span.raw[last:])
    return "".join(out)


Verdict = tuple[bool, str] | None  # (read as the TeX command?, why), or None: undecided


def _by_layout(reader: MathReader, span: MathSpan, reading: _Reading, i: int) -> Verdict:
    """Block-style display: an escape that starts a line (after the opener or `\\\\`) is newline."""
    after = reading.choices[i].line_start
    if not (after and reading.block_style):
        return None
    opener, closer = span.delimiters
    return False, f'block-style display {opener}…{closer}, the escape follows "{after}"'


def _by_symbols(reader: MathReader, span: MathSpan, reading: _Reading, i: int) -> Verdict:
    """The article writes only one of the two symbols where it is unambiguous."""
    word = reading.choices[i].word
    letters, commands = reader.letter_uses(word[1:]), reader.command_uses(word)
    if letters and not commands:
        return False, f'the article writes "{word[1:]}" in inline math or prose, and never ' \
                      f"\\{word} where no newline could stand"
    if commands and not letters:
        return True, f"the article writes \\{word} where no newline could stand, and never " \
                     f'"{word[1:]}" in inline math or prose'
    return None


def _by_parsing(reader: MathReader, span: MathSpan, reading: _Reading, i: int) -> Verdict:
    """Only one of the two readings parses (latex2mathml)."""
    if not reader.may_parse(span):
        return None
    opener, closer = span.delimiters
    errors = [reader.parse_error(_render(span, reading.choices, flip)[len(opener):-len(closer)])
              for flip in (None, i)]
    if (errors[0] is None) == (errors[1] is None):
        return None
    as_is = reading.choices[i].command
    failed = errors[0] or errors[1]
    return (as_is if errors[0] is None else not as_is), \
        f"only this reading parses: latex2mathml raises {failed} on the other"


def _by_nearest(reader: MathReader, span: MathSpan, reading: _Reading, i: int) -> Verdict:
    """Both symbols stand elsewhere: the use nearest to the escape decides."""
    word = reading.choices[i].word
    at = span.start + reading.choices[i].match.start()
    letters, commands = reader.letter_uses(word[1:]), reader.command_uses(word)
    if not (letters and commands):
        return None
    to_letters = min(abs(at - j) for j in letters)
    to_command = min(abs(at - j) for j in commands)
    if to_letters < to_command:
        return False, f'the article writes both; "{word[1:]}" stands nearer ({to_letters} ' \
                      "characters away)"
    return True, f"the article writes both; \\{word} stands nearer ({to_command} characters away)"


def _by_default(reader: MathReader, span: MathSpan, reading: _Reading, i: int) -> Verdict:
    """Nothing tells: keep the TeX command, the reading pressroom always had."""
    return True, "no evidence either way; kept the TeX command"


Rule = Callable[[MathReader, MathSpan, _Reading, int], Verdict]
_RULES: tuple[tuple[str, Rule], ...] = (
    ("block-style", _by_layout),
    ("symbols", _by_symbols),
    ("parses", _by_parsing),
    ("nearest", _by_nearest),
    ("default", _by_default),
)
