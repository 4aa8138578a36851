"""Documents laid out right to left, in visual order, for terminals that do not reorder themselves.

The same Document the left-to-right renderers draw is set flush right: each paragraph is wrapped in
logical order and every line then reordered and shaped (bidi.visual_lines), with bullets and
numbers on the right. Server text stays as the server sent it: left to right, never reordered.
Tables become one card per row, since a cell cannot be wrapped after it is reordered.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from smtpcodes.output.bidi import visual, visual_lines
from smtpcodes.output.safetext import printable
from smtpcodes.output.view import Document, Section

if TYPE_CHECKING:
    from rich.align import Align

    from smtpcodes.output.tableview import Table

Kind = Literal["title", "headline", "meta", "heading", "subheading", "text", "verbatim", "footer", "blank"]
PROSE = 100


def document_lines(document: Document, width: int) -> list[tuple[Kind, str]]:
    """Every line of the document, each `width` wide, with what it is (for styling)."""
    width = min(width, PROSE)
    lines: list[tuple[Kind, str]] = []

    def add(kind: Kind, text: str, indent: str = "", hanging: str = "") -> None:
        lines.extend((kind, line) for line in visual_lines(printable(text, one_line=True), width,
                                                           indent=indent, hanging=hanging))

    if document.badge or document.headline:
        badge = f"[{document.badge}]  " if document.badge else ""
        add("headline", document.headline, badge, " " * len(badge))
    for label, value in document.meta:
        add("meta", f"{label}: {value}")
    for section in document.sections:
        indent = "  " * (section.level - 1)
        lines.append(("blank", ""))
        if section.heading:  # a section without one continues the headline (a help's paragraphs)
            add("heading" if section.level == 1 else "subheading", section.heading, indent, indent)
        lines.extend(_items(section, width, indent + "  "))
    if document.footer:
        lines.append(("blank", ""))
        add("footer", document.footer)
    return lines


def _items(section: Section, width: int, indent: str) -> list[tuple[Kind, str]]:
    lines: list[tuple[Kind, str]] = []
    digits = len(str(len(section.items)))
    for number, item in enumerate(section.items, start=1):
        if section.verbatim:
            lines.extend(("verbatim", printable(line, one_line=True)) for line in item.split("\n"))
            continue
        if section.badge and number == 1:
            marker = f"[{section.badge}]  "
        elif section.numbered:
            marker = f"{str(number).rjust(digits)}. "
        elif section.bullets:
            marker = "- "
        else:
            marker = ""
        text = printable(item, one_line=True)
        lines.extend(("text", line) for line in visual_lines(text, width, indent=indent + marker,
                                                             hanging=indent + " " * len(marker)))
    return lines


def document_text(document: Document, width: int) -> str:
    """Plain text: the title line, then the document, flush right."""
    width = min(width, PROSE)
    title = visual(printable(document.title, one_line=True)).rjust(width)
    return "\n".join([title, *(line for _, line in document_lines(document, width))]).rstrip() + "\n"


STYLES = {"headline": "bold", "meta": "", "heading": "bold {colour}", "subheading": "bold", "text": "",
          "verbatim": "italic", "footer": "dim", "blank": "", "title": "bold"}


def document_panel(document: Document, width: int, colour: str) -> Align:
    """The document in a panel of its own colour, set against the right edge of the terminal."""
    from rich.align import Align
    from rich.console import Group
    from rich.panel import Panel
    from rich.text import Text

    inner = min(width, PROSE) - 4
    parts = [Text(line, style=STYLES[kind].format(colour=colour), no_wrap=True, overflow="fold")
             for kind, line in document_lines(document, inner)]
    title = Text(visual(printable(document.title, one_line=True)), style="bold")
    return Align.right(Panel(Group(*parts), title=title, title_align="right", border_style=colour, width=inner + 4))


def table_document(table: Table) -> Document:
    """A table as cards: one section per row, headed by its first cell, one `header: value` line per cell."""
    sections = tuple(
        Section(row[0], tuple(f"{header}: {cell}" for header, cell in zip(table.headers[1:], row[1:], strict=True) if cell))
        for row in table.rows
    )
    return Document(table.title, None, (), sections)
