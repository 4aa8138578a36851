"""Plain, colourless text for pipes and files, from the same documents the rich renderer uses."""

from __future__ import annotations

import textwrap
from typing import Sequence

from smtpcodes.output.safetext import cells, pad, printable
from smtpcodes.output.view import Document, Section

PROSE = 100  # the widest a paragraph is set, as on a terminal


def document_text(document: Document, width: int) -> str:
    width = min(width, PROSE)
    lines = [printable(document.title, one_line=True)]
    if document.badge or document.headline:
        badge = f"[{document.badge}]  " if document.badge else ""
        lines.extend(_wrap(printable(document.headline, one_line=True), width, badge, " " * len(badge)))
    if document.meta:
        lines.append("")
        label_width = max(cells(label) for label, _ in document.meta) + 3
        for label, value in document.meta:
            first = pad(f"{printable(label, one_line=True)}:", label_width)
            lines.extend(_wrap(printable(value, one_line=True), width, first, " " * label_width))
    for section in document.sections:
        indent = "  " * section.level
        lines.append("")
        lines.append(indent[2:] + printable(section.heading, one_line=True))
        lines.extend(_section_items(section, width, indent))
    if document.footer:
        lines.extend(["", *_wrap(printable(document.footer, one_line=True), width, "", "")])
    return "\n".join(lines)


def _section_items(section: Section, width: int, indent: str) -> list[str]:
    lines: list[str] = []
    digits = len(str(len(section.items)))
    for number, item in enumerate(section.items, start=1):
        if section.badge and number == 1:
            prefix = f"{indent}[{section.badge}]  "
            lines.extend(_wrap(printable(item, one_line=True), width, prefix, " " * len(prefix)))
            continue
        if section.verbatim:  # server text: its own line breaks are kept, long lines folded
            # Only at newlines: splitlines() would also break at \x0b, \x85 or U+2028 and hide them.
            for line in item.split("\n"):
                lines.extend(_wrap(printable(line, one_line=True), width, indent, indent + "  "))
            continue
        if section.numbered:
            prefix = f"{indent}{str(number).rjust(digits)}. "
        elif section.bullets:
            prefix = f"{indent}- "
        else:
            prefix = indent
        lines.extend(_wrap(printable(item, one_line=True), width, prefix, " " * len(prefix)))
    return lines


def _wrap(text: str, width: int, first: str, rest: str) -> list[str]:
    if len(text) > 8192:
        # textwrap copies the rest of an over-long word for every line it cuts off, which is
        # quadratic: a 10 MB reply would take hours. Huge text is cut at the width instead.
        size = max(width - len(rest), 10)
        return [(rest if start else first) + text[start:start + size] for start in range(0, len(text), size)]
    wrapped = textwrap.wrap(text, width=max(width, 20), initial_indent=first, subsequent_indent=rest,
                            break_on_hyphens=False)
    return wrapped or [first.rstrip()]


def table_text(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Columns separated by two spaces, one row per line for grep and awk; the last column is never padded."""
    shown = [[printable(str(cell), one_line=True) for cell in row] for row in rows]
    widths = [max([cells(h)] + [cells(r[i]) for r in shown]) for i, h in enumerate(headers)]
    out = []
    for row in [list(headers), *shown]:
        padded = [pad(cell, widths[i]) for i, cell in enumerate(row[:-1])] + [row[-1]]
        out.append("  ".join(padded).rstrip())
    return "\n".join(out)
