"""Rich renderables for a terminal. They are returned, never printed; outside text is never markup."""

from __future__ import annotations

from typing import Sequence

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.text import Text

from smtpcodes.output.safetext import printable
from smtpcodes.output.view import Document

CLASS_STYLES = {2: "green", 3: "cyan", 4: "yellow", 5: "red"}


def class_style(digit: int | None) -> str:
    return CLASS_STYLES.get(digit, "blue")


def document_panel(document: Document) -> Panel:
    colour = class_style(document.klass)
    parts: list[RenderableType] = []
    if document.meta:
        meta = Text()
        if document.klass is not None:
            meta.append(f" {document.klass}xx ", style=f"bold black on {colour}")
            meta.append("  ")
        for index, (label, value) in enumerate(document.meta):
            if index:
                meta.append("  ·  ", style="dim")
            meta.append(f"{label}: ", style="dim")
            meta.append(printable(value, one_line=True))
        parts.append(meta)
    for section in document.sections:
        body = Text()
        body.append(printable(section.heading, one_line=True), style=f"bold {colour}")
        for item in section.items:
            body.append("\n")
            if section.verbatim:
                body.append(printable(item), style="italic")
            else:
                body.append("• " if section.bullets else "", style="dim")
                body.append(printable(item, one_line=True))
        parts.append(Text())
        parts.append(body)
    title = Text(printable(document.title, one_line=True), style="bold")
    return Panel(Group(*parts), title=title, title_align="left", border_style=colour, expand=True)


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], *, class_column: int | None = None,
          title: str | None = None, wrap_columns: Sequence[int] = (-1,)):
    """A table whose short columns stay on one line; only `wrap_columns` (the texts) wrap."""
    from rich.table import Table  # only list, search, scan and compare draw tables; it costs 4 ms to import

    grid = Table(title=title, header_style="bold", expand=False, show_lines=False)
    wrapping = {column % len(headers) for column in wrap_columns}
    for index, header in enumerate(headers):
        if index in wrapping:
            grid.add_column(header, overflow="fold")
        else:
            grid.add_column(header, no_wrap=True)
    for row in rows:
        style = None
        if class_column is not None and row[class_column][:1].isdigit():
            style = class_style(int(row[class_column][0]))
        grid.add_row(*(Text(printable(str(cell))) for cell in row), style=style)
    return grid


def comparison_view(document: Document, rows: Sequence[tuple[str, Sequence[str]]], codes: Sequence[str]) -> Group:
    from rich.table import Table

    side_by_side = Table(show_lines=True, expand=True)
    side_by_side.add_column("", style="bold", no_wrap=True)
    for code in codes:
        side_by_side.add_column(Text(printable(code, one_line=True)), overflow="fold")
    for label, values in rows:
        side_by_side.add_row(label, *(Text(printable(v)) for v in values))
    return Group(side_by_side, document_panel(document))
