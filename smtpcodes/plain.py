"""Plain, colourless text for pipes and files, from the same documents the rich renderer uses."""

from __future__ import annotations

import textwrap
from typing import Sequence

from smtpcodes.safetext import printable
from smtpcodes.view import Document


def document_text(document: Document, width: int) -> str:
    lines = [printable(document.title, one_line=True)]
    if document.meta:
        meta = " | ".join(f"{label}: {printable(value, one_line=True)}" for label, value in document.meta)
        lines.extend(textwrap.wrap(meta, width=max(width, 20), subsequent_indent="  ", break_on_hyphens=False))
    for section in document.sections:
        lines.append("")
        lines.append(printable(section.heading, one_line=True))
        for item in section.items:
            if section.verbatim:
                lines.extend("  " + printable(line, one_line=True) for line in item.splitlines() or [""])
                continue
            prefix = "  - " if section.bullets else "  "
            lines.extend(
                textwrap.wrap(
                    printable(item, one_line=True), width=max(width, 20), initial_indent=prefix,
                    subsequent_indent=" " * len(prefix), break_on_hyphens=False,
                )
                or [prefix.rstrip()]
            )
    return "\n".join(lines)


def table_text(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Columns separated by two spaces; the last column is never padded."""
    cells = [[printable(str(cell), one_line=True) for cell in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]
    out = []
    for row in [list(headers), *cells]:
        padded = [cell.ljust(widths[i]) for i, cell in enumerate(row[:-1])] + [row[-1]]
        out.append("  ".join(padded).rstrip())
    return "\n".join(out)
