"""Rich renderables for a terminal. They are returned, never printed; outside text is never markup."""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.padding import Padding
from rich.panel import Panel
from rich.text import Text

from smtpcodes.output.safetext import printable
from smtpcodes.output.tableview import Table
from smtpcodes.output.view import Document, Section

if TYPE_CHECKING:
    from rich.table import Table as RichTable

CLASS_STYLES = {2: "green", 3: "cyan", 4: "yellow", 5: "red"}
PROSE = 100  # the widest a document is set, however wide the terminal: long lines are hard to read


def class_style(digit: int | None) -> str:
    return CLASS_STYLES.get(digit or 0, "blue")


class Hanging:
    """`marker` before the first line of `text` and its width of space before the others: a bullet,
    number or label with the text wrapped beside it. Drawn by hand rather than as a rich grid, which
    would cost the start of every `explain` the import of rich's table module."""

    def __init__(self, marker: str, text: Text, marker_style: str = "dim", gap: int = 1):
        self.marker = Text(end="")
        self.marker.append(marker, style=marker_style)
        self.marker.append(" " * gap)
        self.text = text

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        indent = len(self.marker)
        lines = self.text.wrap(console, max(options.max_width - indent, 8), overflow="fold")
        for index, line in enumerate(lines):
            prefix = self.marker if index == 0 else Text(" " * indent, end="")
            yield Text.assemble(prefix, line)


def _pairs(pairs: tuple[tuple[str, str], ...]) -> Group:
    """Labels in one column, values beside them: a label is never split from its value."""
    width = max(len(label) for label, _ in pairs) + 1
    return Group(*(Hanging(f"{label}:".ljust(width), Text(printable(value, one_line=True)), gap=2)
                   for label, value in pairs))


def _items(section: Section) -> list[RenderableType]:
    parts: list[RenderableType] = []
    for number, item in enumerate(section.items, start=1):
        if section.badge and number == 1:
            marker_style = f"bold black on {class_style(section.klass)}"
            parts.append(Hanging(f" {section.badge} ", Text(printable(item, one_line=True)), marker_style, gap=2))
        elif section.verbatim:  # server text keeps its own lines; over-long ones fold
            parts.append(Text(printable(item), style="italic", overflow="fold"))
        elif section.numbered:
            marker = f"{number}.".rjust(len(str(len(section.items))) + 1)
            parts.append(Hanging(marker, Text(printable(item, one_line=True))))
        elif section.bullets:
            parts.append(Hanging("•", Text(printable(item, one_line=True))))
        else:
            parts.append(Text(printable(item, one_line=True)))
    return parts


def document_panel(document: Document, width: int = PROSE) -> Panel:
    colour = class_style(document.klass)
    parts: list[RenderableType] = []
    if document.badge or document.headline:
        badge = f" {document.badge} " if document.badge else ""
        headline = Text(printable(document.headline, one_line=True), style="bold")
        parts.append(Hanging(badge, headline, marker_style=f"bold black on {colour}", gap=2))
    if document.meta:
        if parts:
            parts.append(Text())
        parts.append(_pairs(document.meta))
    for section in document.sections:
        heading_style = "bold" if section.level > 1 else f"bold {colour}"
        body: list[RenderableType] = [Text(printable(section.heading, one_line=True), style=heading_style)]
        body.extend(_items(section))
        block = Group(*body)
        if parts:
            parts.append(Text())
        parts.append(Padding(block, (0, 0, 0, 2)) if section.level > 1 else block)
    if document.footer:
        parts.extend([Text(), Text(printable(document.footer, one_line=True), style="dim")])
    width = min(width, PROSE)
    title = printable(document.title, one_line=True)
    if len(title) + 6 > width:
        # Too long for the border, where rich would cut it: the codes stay there, the title goes inside.
        codes, _, rest = title.partition("  ")
        parts[:0] = [Text(rest or codes, style="bold"), Text()]
        title = codes
    return Panel(Group(*parts), title=Text(title, style="bold"), title_align="left", border_style=colour,
                 width=width)


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], *, class_column: int | None = None,
          title: str | None = None, wrap_columns: Sequence[int] = (-1,)) -> RichTable:
    """A table whose short columns stay on one line; only `wrap_columns` (the texts) wrap."""
    from rich.table import Table as Grid  # only tables need it; it costs 4 ms to import

    grid = Grid(title=title, header_style="bold", expand=False, show_lines=False)
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


NARROWEST_TEXT = 30  # a text column narrower than this reads as a word list: the rows become cards


def table_renderable(data: Table, width: int) -> RenderableType:
    """The table if its text column gets room at this width; otherwise one card per row."""
    text_column = data.text_column % len(data.headers)
    short = [i for i in range(len(data.headers)) if i != text_column]
    widths = {i: max([len(data.headers[i])] + [_least(row[i], i in data.wrap_columns) for row in data.rows])
              for i in short}
    frame = 3 * len(data.headers) + 1  # a border and a space either side of each column
    if width - frame - sum(widths.values()) >= NARROWEST_TEXT:
        return table(data.headers, data.rows, class_column=data.class_column, title=data.title,
                     wrap_columns=(text_column, *data.wrap_columns))
    return _cards(data, text_column, short)


def _least(cell: str, wraps: bool) -> int:
    """The narrowest a cell can be drawn: its longest word if it may wrap, else all of it."""
    return max(map(len, cell.split()), default=0) if wraps else len(cell)


def _cards(data: Table, text_column: int, short: list[int]) -> Group:
    """Each row as a line of its short cells with its text under it; a longer cell (search's
    "Matched in") follows on its own line, with its header, so that it is not a bare word list."""
    inline = [i for i in short if i not in data.wrap_columns]
    below = [i for i in short if i in data.wrap_columns]
    parts: list[RenderableType] = [Text(printable(data.title, one_line=True), style="bold"), Text()]
    for row in data.rows:
        style = ""
        if data.class_column is not None and row[data.class_column][:1].isdigit():
            style = class_style(int(row[data.class_column][0]))
        line = Text()
        for position, index in enumerate(inline):
            if position:
                line.append("  ")
            line.append(printable(row[index], one_line=True), style=f"bold {style}" if position == 0 else style)
        parts.append(line)
        parts.append(Padding(Text(printable(row[text_column], one_line=True)), (0, 0, 0, 4)))
        for index in below:
            label = f"{printable(data.headers[index], one_line=True)}:"
            parts.append(Padding(Hanging(label, Text(printable(row[index], one_line=True), style="dim")), (0, 0, 0, 4)))
    return Group(*parts)
