"""The characters XML 1.0 forbids, dropped from input so no text can make an output ill-formed."""

from __future__ import annotations

import re

# Everything outside XML 1.0's Char production: C0 controls but tab/LF/CR, surrogates, FFFE/FFFF.
_XML_ILLEGAL = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """`text` without the characters XML cannot carry (controls such as NUL or VT, U+FFFE)."""
    if text.isprintable():  # no control, surrogate or noncharacter: all of it is legal (fast)
        return text
    return _XML_ILLEGAL.sub("", text)
