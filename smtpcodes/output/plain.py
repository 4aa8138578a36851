"""Plain, colourless text for pipes and files, from the same documents the rich renderer uses."""

from __future__ import annotations

import textwrap
from typing import Sequence

from smtpcodes.output.safetext import printable
from smtpcodes.output.view import Document


def document_text(document: Document, width: int) -> str:
    lines = [printable(document.title, one_line=True)]
    if document.meta:
        lines.extend(_pack([f"{label}: {printable(value, one_line=True)}" for label, value in document.meta], width))
    for section in document.sections:
        lines.append("")
        lines.append(printable(section.heading, one_line=True))
        for item in section.items:
            if section.verbatim:  # server text: its own line breaks are kept, long lines folded
                # Only at newlines: splitlines() would also break at \x0b, \x85 or U+2028 and hide them.
                for line in item.split("\n"):
                    lines.extend(_wrap(printable(line, one_line=True), width, "  ", "    "))
                continue
            prefix = "  - " if section.bullets else "  "
            lines.extend(_wrap(printable(item, one_line=True), width, prefix, " " * len(prefix)))
    return "\n".join(lines)


def _wrap(text: str, width: int, first: str, rest: str) -> list[str]:
    if len(text) > 8192:
        # textwrap copies the rest of an over-long word for every line it cuts off, which is
        # quadratic: a 10 MB reply would take hours. Huge text is cut at the width instead.
        size = max(width - len(rest), 10)
        return [(rest if start else first) + text[start:start + size] for start in range(0, len(text), size)]
    wrapped = textwrap.wrap(text, width=max(width, 20), initial_indent=first, subsequent_indent=rest,
                            break_on_hyphens=False)
    return wrapped or [first.rstrip()]


def _pack(pairs: list[str], width: int) -> list[str]:
    """Label-value pairs joined by " | " into lines no wider than `width`; a pair is never split,
    so a value such as a file path stays whole on a line of its own if it must."""
    lines: list[str] = []
    for pair in pairs:
        if lines and len(lines[-1]) + 3 + len(pair) <= width:
            lines[-1] += " | " + pair
        else:
            lines.append(pair)
    return lines


def table_text(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Columns separated by two spaces; the last column is never padded."""
    cells = [[printable(str(cell), one_line=True) for cell in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]
    out = []
    for row in [list(headers), *cells]:
        padded = [cell.ljust(widths[i]) for i, cell in enumerate(row[:-1])] + [row[-1]]
        out.append("  ".join(padded).rstrip())
    return "\n".join(out)
