"""Make outside text safe for a terminal: control and bidi characters become visible escapes."""

from __future__ import annotations

# C0 controls (except tab and newline), DEL, C1 controls, and the bidi embedding,
# override, isolate and mark characters that can make a line display differently
# from what it contains. str.translate with a table is faster to set up than a regex.
_UNSAFE_POINTS = [
    *range(0x00, 0x20), *range(0x7F, 0xA0), 0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A),
]


def _escape(point: int) -> str:
    return f"\\x{point:02x}" if point < 0x100 else f"\\u{point:04x}"


_ONE_LINE = {point: _escape(point) for point in _UNSAFE_POINTS}
_MULTI_LINE = {point: text for point, text in _ONE_LINE.items() if point not in (0x09, 0x0A)}


def printable(text: str, *, one_line: bool = False) -> str:
    """`text` with every character that could act on a terminal shown as an escape."""
    shown = text.translate(_ONE_LINE if one_line else _MULTI_LINE)
    if shown.isascii():  # O(1) in CPython: the common case costs nothing more
        return shown
    # Undecodable bytes in arguments arrive as lone surrogates (U+DC80-U+DCFF): written out they
    # either crash a strict UTF-8 stdout or put the raw byte (0x9b is an 8-bit CSI) on the terminal.
    return shown.encode("utf-8", "backslashreplace").decode("utf-8")


def cells(text: str) -> int:
    """Columns `text` takes on a terminal: East Asian wide and full-width characters take two."""
    if text.isascii():
        return len(text)
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, width: int) -> str:
    """`text` padded with spaces to `width` terminal columns."""
    return text + " " * (width - cells(text))


def pad_left(text: str, width: int) -> str:
    """`text` right-aligned in `width` terminal columns."""
    return " " * (width - cells(text)) + text
