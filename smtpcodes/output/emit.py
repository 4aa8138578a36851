"""The one way out: a command's result as JSON, CSV, Markdown, or a view for people.

`emit(result, output, words)` picks the document for the format: the JSON builder of the result's
type, its table for CSV and Markdown, or its human view, drawn with rich on a terminal (through a
pager when it is longer than the screen) and as plain text when piped.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any, NamedTuple

from smtpcodes.errors import BadInput

if TYPE_CHECKING:
    from smtpcodes.catalogue.messages import Messages
    from smtpcodes.output.tableview import Table
    from smtpcodes.output.view import Document

FORMATS = ("text", "json", "csv", "markdown")
COLOURS = ("auto", "always", "never")
TABULAR = ("Listing", "SearchResults", "Comparison")


class Output(NamedTuple):
    """How the user asked for output."""

    format: str = "text"
    color: str = "auto"
    pager: bool = True
    full: bool = False  # every section rather than the one-screen view
    command: str = ""  # named in a message when a format does not suit it


def output_settings(format: str, as_json: bool, color: str, pager: bool, full: bool = False,
                    command: str = "") -> Output:
    """Check the options and fold --json into --format."""
    if format not in FORMATS:
        raise BadInput(f"--format {format!r} is not a format: use {', '.join(FORMATS)}")
    if color not in COLOURS:
        raise BadInput(f"--color {color!r} is not a choice: use {', '.join(COLOURS)}")
    if as_json and format not in ("text", "json"):
        raise BadInput(f"--json and --format {format} ask for two formats: give one")
    return Output("json" if as_json else format, color, pager, full, command)


def is_terminal() -> bool:
    return sys.stdout.isatty()


def styled(output: Output) -> bool:
    """Draw with rich (boxes, colour) rather than plain text: on a terminal, or when forced."""
    if output.color == "always":
        return True
    if output.color == "auto" and os.environ.get("FORCE_COLOR"):
        return True
    return is_terminal()


def colour_system(output: Output) -> str | None:
    """None means no colour at all: --color never, or NO_COLOR under auto (https://no-color.org)."""
    if output.color == "never" or (output.color == "auto" and os.environ.get("NO_COLOR")):
        return None
    return "auto"


def terminal_size() -> os.terminal_size:
    import shutil

    return shutil.get_terminal_size((80, 24))


def emit(result: Any, output: Output, words: Messages) -> None:
    """Write `result` to stdout in the format asked for."""
    if output.format == "json":
        from smtpcodes.output.jsonout import dumps, to_json

        sys.stdout.write(dumps(to_json(result)) + "\n")
    elif output.format in ("csv", "markdown"):
        sys.stdout.write(tabular_text(result, output, words))
    elif styled(output):
        show(renderable(result, output, words, terminal_size().columns), output)
    else:
        sys.stdout.write(plain_text(result, output, words, terminal_size().columns) + "\n")


def table_of(result: Any, output: Output, words: Messages) -> Table:
    """The table behind a tabular result, or BadInput naming the formats that suit this command."""
    from smtpcodes.output import tableview

    kind = type(result).__name__
    if kind == "Listing":
        return tableview.list_table(result.codes, words)
    if kind == "SearchResults":
        return tableview.search_table(result.query, result.hits, words)
    if kind == "Comparison":
        return tableview.comparison_table(result, words)
    raise BadInput(words.text("cli", "not_tabular", format=output.format, command=output.command or kind.lower()))


def tabular_text(result: Any, output: Output, words: Messages) -> str:
    from smtpcodes.output.textformats import csv_text, markdown_text

    table = table_of(result, output, words)
    return csv_text(table) if output.format == "csv" else markdown_text(table)


def document_of(result: Any, output: Output, words: Messages) -> Document | Table | str:
    """The human view of a result: a Document, or a Table for list and search."""
    from smtpcodes.output import view

    kind = type(result).__name__
    if kind == "Code":
        return view.code_document(result, words, full=output.full)
    if kind == "Analysis":
        return view.analysis_document(result, words, full=output.full)
    if kind == "Comparison":
        return view.comparison_document(result, words)
    if kind == "Validation":
        return validation_lines(result, words)
    return table_of(result, output, words)


def renderable(result: Any, output: Output, words: Messages, width: int) -> Any:
    """The rich view of a result at this width."""
    from smtpcodes.output import render
    from smtpcodes.output.view import Document

    document = document_of(result, output, words)
    if isinstance(document, str):
        from rich.text import Text

        return Text(document)
    if isinstance(document, Document):
        return render.document_panel(document, width)
    return render.table_renderable(document, width)


def plain_text(result: Any, output: Output, words: Messages, width: int) -> str:
    from smtpcodes.output import plain
    from smtpcodes.output.view import Document

    document = document_of(result, output, words)
    if isinstance(document, str):
        return document
    if isinstance(document, Document):
        return plain.document_text(document, width)
    return plain.table_text(document.headers, document.rows)


def validation_lines(validation: Any, words: Messages) -> str:
    """`path: valid (counts)`, or the path and one indented line per problem."""
    from smtpcodes.output.safetext import printable

    path = printable(validation.path, one_line=True)
    problems = [printable(problem, one_line=True) for problem in validation.problems]
    if not problems:
        return words.text("labels", "valid", path=path, **validation.counts)
    if len(problems) == 1:
        return f"{path}: {problems[0]}"
    return "\n  ".join([words.text("labels", "problem_count", path=path, count=len(problems)), *problems])


def show(item: Any, output: Output) -> None:
    """Print a rich renderable; through a pager when it is taller than the terminal."""
    from rich.console import Console

    size = terminal_size()
    on_terminal = sys.stdout.isatty()  # the real stream: a pager needs a person in front of it
    console = Console(markup=False, emoji=False, highlight=False, width=size.columns, force_terminal=True,
                      color_system=colour_system(output))  # type: ignore[arg-type]
    with console.capture() as capture:
        console.print(item)
    text = capture.get()
    if on_terminal and output.pager and text.count("\n") >= size.lines and page(text):
        return
    sys.stdout.write(text)


def page(text: str) -> bool:
    """Show `text` through $PAGER (default `less -R`, with LESS=FRX as git sets it); False if none runs."""
    import shlex
    import subprocess

    command = os.environ.get("PAGER", "").strip() or "less -R"
    environment = dict(os.environ)
    environment.setdefault("LESS", "FRX")  # quit if one screen, keep colours, leave the text on screen
    try:
        argv = shlex.split(command)
        pager = subprocess.Popen(argv, stdin=subprocess.PIPE, env=environment)
    except (OSError, ValueError):
        return False
    assert pager.stdin is not None
    try:
        pager.stdin.write(text.encode("utf-8", "backslashreplace"))
        pager.stdin.close()
    except BrokenPipeError:
        pass  # the reader quit the pager before the end: that is fine
    while True:
        try:
            pager.wait()
            return True
        except KeyboardInterrupt:
            continue  # Ctrl-C is the pager's to handle (less ignores it); wait for it to end
