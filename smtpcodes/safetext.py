"""Make outside text safe for a terminal: control and bidi characters become visible escapes."""

from __future__ import annotations

import re

# C0 controls (keeping tab and newline), DEL, C1 controls, and the bidi embedding,
# override and isolate characters that can make a line display differently from its content.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_UNSAFE_OR_NEWLINE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    char = ord(match.group())
    return f"\\x{char:02x}" if char < 0x100 else f"\\u{char:04x}"


def printable(text: str, *, one_line: bool = False) -> str:
    """`text` with every character that could act on a terminal shown as an escape."""
    pattern = _UNSAFE_OR_NEWLINE if one_line else _UNSAFE
    return pattern.sub(_escape, text)
