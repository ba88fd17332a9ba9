"""Front-matter YAML: yaml_rs where the text reads the same in YAML 1.1 and 1.2, else libyaml.

yaml_rs (YAML 1.2, Rust) is about 6x faster than libyaml, but the two specs resolve some
plain scalars differently (`yes`, `0o12`, `012`, `1e3`, `1:30`, `-.5`) and yaml_rs follows
aliases, which pressroom refuses. `fast_path_safe` passes only text in which every plain
scalar is an unambiguous string, int, simple float or date; everything else, and every
error, goes to libyaml, so results and `path:line` errors are libyaml's exactly.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

try:
    import yaml_rs
except ImportError:  # pragma: no cover - the fallback is exercised by forcing it in tests
    yaml_rs = None

# `key: value`, `- value` and `- key: value` lines; the value is what follows.
_ENTRY = re.compile(r"^[ \t]*(?:-[ \t]+)*(?:(?P<key>[^\s#'\"][^:#]*?)[ \t]*:(?:[ \t]+|$))?"
                    r"(?P<value>.*)$")
_SAME_IN_BOTH = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?|\d{4}-\d\d-\d\d")
_BOOL_WORDS = frozenset({"y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
                         "on", "On", "ON", "off", "Off", "OFF"})
_RISKY_START = tuple("0123456789+-.")
_RISKY_VALUE_START = tuple("[{&*!%@`")

# Lines `_precise_check` surely passes, as one regular expression over the whole text, so
# the common case is decided in C: a plain key, then a block header (its body lines
# skipped as the line check skips them), a number or date both specs read alike, or plain
# text without a backslash, a key-like colon or a boolean word. Anything else goes to
# `_precise_check`, which decides. Runs of plain text are matched possessively, a run at a
# time rather than a character at a time through an alternation: half the time.
_BOOL = r"(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)"
_END = r"(?=\n|\Z)"
def _safe_line(n: int) -> str:
    indent = f"indent{n}"
    return (rf"(?P<{indent}> *+)(?:- +)*+"
            rf"(?:(?!{_BOOL}:)[A-Za-z_][A-Za-z0-9_-]*:(?: +|{_END}))?"
            rf"(?:[>|][-+0-9]*{_END}(?:\n(?:(?P={indent}) [^\n]*| *{_END}))*"
            rf"|-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?{_END}|\d{{4}}-\d\d-\d\d{_END}"
            rf"|(?!{_BOOL}[^\S\n]*{_END})[A-Za-z/(_'\"][^\n\\:]*+(?::(?![ \n]|\Z)[^\n\\:]*+)*+)?")


_SURELY_SAFE = re.compile(rf"(?:{_safe_line(1)}\n)*{_safe_line(2)}")


class AliasError(yaml.YAMLError):
    """The fast loader met a node twice: an alias; the precise loader says where."""


class NoAliasLoader(yaml.SafeLoader):
    """A pure-Python SafeLoader that refuses `*alias` references, at the alias's line."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        """Compose a node, raising at the first alias event."""
        if self.check_event(yaml.AliasEvent):
            raise yaml.composer.ComposerError(
                None, None, "YAML aliases (*name) are not allowed", self.peek_event().start_mark
            )
        return super().compose_node(parent, index)


class _LibyamlLoader(getattr(yaml, "CSafeLoader", NoAliasLoader)):  # type: ignore[misc]
    """libyaml's safe loader; a node constructed twice is an alias, refused."""

    def construct_object(self, node: Any, deep: bool = False) -> Any:
        if node in self.constructed_objects or node in self.recursive_objects:
            raise AliasError
        return super().construct_object(node, deep)


def _scalar_is_ambiguous(scalar: str) -> bool:
    scalar = scalar.strip()
    if scalar in _BOOL_WORDS or scalar == "=" or scalar.startswith("<<"):
        return True
    return scalar.startswith(_RISKY_START) and _SAME_IN_BOTH.fullmatch(scalar) is None


def fast_path_safe(text: str) -> bool:
    """True when yaml_rs and libyaml must give the same result for `text`.

    Lines inside a block scalar (`>-`, `|`) are text to both parsers and are skipped.
    """
    if not text.strip() or "\t" in text:
        return False
    return _SURELY_SAFE.fullmatch(text) is not None or _precise_check(text)


def _precise_check(text: str) -> bool:
    """`fast_path_safe`, line by line: the arbiter when the quick scan flags a line."""
    block_indent: int | None = None
    for line in text.split("\n"):
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        if block_indent is not None:
            if not stripped or indent > block_indent:
                continue
            block_indent = None
        if stripped.startswith(("?", "...", "---")):
            return False
        match = _ENTRY.match(line)
        key, value = match.group("key"), match.group("value")  # type: ignore[union-attr]
        if key is not None and _scalar_is_ambiguous(key):
            return False
        if value.startswith(_RISKY_VALUE_START) or _scalar_is_ambiguous(value):
            return False
        if '"' in value and "\\" in value:
            return False
        if value.startswith((">", "|")):
            block_indent = indent
    return True


def libyaml_load(text: str) -> Any:
    """Parse with libyaml (pure Python where it is absent); aliases raise at their line."""
    try:
        return yaml.load(text, Loader=_LibyamlLoader)  # noqa: S506 (a safe loader)
    except AliasError:
        return yaml.load(text, Loader=NoAliasLoader)  # noqa: S506 (raises at the alias)


def load_yaml(text: str) -> Any:
    """Parse front-matter YAML as libyaml would, through yaml_rs whenever that is certain."""
    if yaml_rs is not None and fast_path_safe(text):
        try:
            return yaml_rs.loads(text, duplicate_key_policy=yaml_rs.DuplicateKeyPolicy.LastWins)
        except (yaml_rs.YAMLDecodeError, ValueError, TypeError):
            pass  # libyaml reports the error with its own line and wording
    return libyaml_load(text)
