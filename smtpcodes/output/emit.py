"""The one way out: a command's result as JSON, CSV, Markdown, or a view for people.

`emit(result, output, words)` picks the document for the format: the JSON builder of the result's
type, its table for CSV and Markdown, or its human view, drawn with rich on a terminal (through a
pager when it is longer than the screen) and as plain text when piped.
"""

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
TABULAR = ("Listing", "SearchResults", "Comparison", "LanguageReport")


class Output(NamedTuple):
    """How the user asked for output."""

    format: str = "text"
    color: str = "auto"
    pager: bool = True
    full: bool = False  # every section rather than the one-screen view
    command: str = ""  # named in a message when a format does not suit it
    lang: str = "en"  # the language of the text; keys and values of JSON never change
    visual: bool = False  # right-to-left text reordered and shaped here (bidi.py)


def output_settings(format: str, as_json: bool, color: str, pager: bool, full: bool = False,
                    command: str = "", *, lang: str | None = None, bidi: str | None = None) -> Output:
    """Check the options, fold --json into --format, and settle the language and its direction."""
    if format not in FORMATS:
        raise BadInput("bad_format", value=format, choices=", ".join(FORMATS))
    if color not in COLOURS:
        raise BadInput("bad_color", value=color, choices=", ".join(COLOURS))
    if as_json and format not in ("text", "json"):
        raise BadInput("json_and_format", format=format)
    format = "json" if as_json else format
    tag, visual = settle_language(lang, bidi, for_scripts=format != "text")
    return Output(format, color, pager, full, command, tag, visual)


def settle_language(option: str | None, bidi: str | None, *, for_scripts: bool) -> tuple[str, bool]:
    """The language (`--lang`, else the locale; English for scripts unless asked) and whether its
    right-to-left text is to be put in visual order here."""
    from smtpcodes.catalogue.language import ENGLISH, ShippedLanguages, choose_language, is_right_to_left

    if bidi is not None:
        from smtpcodes.output.bidi import BIDI_CHOICES

        if bidi not in BIDI_CHOICES:
            raise BadInput("bad_bidi", value=bidi, choices=", ".join(BIDI_CHOICES))
    if option is None and for_scripts:
        return ENGLISH, False
    tag = choose_language(option, os.environ, ShippedLanguages())
    if tag == ENGLISH or not is_right_to_left(tag):
        return tag, False
    from smtpcodes.output.bidi import wants_visual  # only right-to-left output pays for this

    return tag, wants_visual(bidi, os.environ, is_terminal())


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


def emit(result: Any, output: Output, words: "Messages") -> None:
    """Write `result` to stdout in the format asked for."""
    if output.format == "json":
        from smtpcodes.output.jsonout import dumps, to_json

        sys.stdout.write(dumps(with_language(to_json(result), output.lang)) + "\n")
    elif output.format in ("csv", "markdown"):
        sys.stdout.write(tabular_text(result, output, words))
    elif output.visual:
        right_to_left(result, output, words)
    elif styled(output):
        show(renderable(result, output, words, terminal_size().columns), output)
    else:
        sys.stdout.write(plain_text(result, output, words, terminal_size().columns) + "\n")
    if output.format == "text" and output.lang != "en" and shows_english(result, words):
        untranslated_note(output, words)


def untranslated_note(output: Output, words: "Messages", width: int | None = None) -> None:
    """Say under the view (`width` wide, else the prose measure) that some of its text is shown in
    English for want of a translation."""
    from smtpcodes.catalogue.locales import language

    note = words.text("languages", "untranslated_note", language=language(output.lang).native)
    width = width or min(terminal_size().columns, 100)
    if output.visual:
        from smtpcodes.output.bidi import visual_lines

        lines = visual_lines(note, width)
    else:
        import textwrap

        lines = textwrap.wrap(note, width)
    sys.stdout.write("\n".join(lines) + "\n")


def shows_english(result: Any, words: "Messages") -> bool:
    """Whether some text of this view falls back to English: a template, or a field of a code shown."""
    if any(isinstance(group, dict) and group.get("_untranslated") for group in words.table.values()):
        return True
    codes = [result] if type(result).__name__ == "Code" else []
    for name in ("basic", "enhanced"):
        codes.append(getattr(result, name, None))
    codes.extend(getattr(result, "codes", ()) or ())
    return any(getattr(code, "untranslated", ()) for code in codes)


def right_to_left(result: Any, output: Output, words: "Messages") -> None:
    """A right-to-left language in visual order: a panel on a terminal, plain lines otherwise."""
    from smtpcodes.output import rtl
    from smtpcodes.output.render import class_style
    from smtpcodes.output.view import Document

    document = document_of(result, output, words)
    if isinstance(document, str):
        document = Document(document, None, (), ())
    elif not isinstance(document, Document):
        document = rtl.table_document(document)
    width = terminal_size().columns
    if styled(output):
        show(rtl.document_panel(document, width, class_style(document.klass)), output)
    else:
        sys.stdout.write(rtl.document_text(document, width))


def with_language(document: Any, lang: str) -> Any:
    """Say which language a JSON document's text is in: on the object, or on each object of a list."""
    if isinstance(document, dict):
        return {**document, "lang": lang}
    if isinstance(document, list):
        return [with_language(item, lang) for item in document]
    return document


def table_of(result: Any, output: Output, words: "Messages") -> "Table":
    """The table behind a tabular result, or BadInput naming the formats that suit this command."""
    from smtpcodes.output import tableview

    kind = type(result).__name__
    if kind == "Listing":
        return tableview.list_table(result.codes, words)
    if kind == "SearchResults":
        return tableview.search_table(result.query, result.hits, words)
    if kind == "Comparison":
        return tableview.comparison_table(result, words)
    if kind == "LanguageReport":
        return tableview.languages_table(result, words)
    raise BadInput("not_tabular", group="cli", format=output.format, command=output.command or kind.lower())


def tabular_text(result: Any, output: Output, words: "Messages") -> str:
    from smtpcodes.output.textformats import csv_text, markdown_text

    table = table_of(result, output, words)
    return csv_text(table) if output.format == "csv" else markdown_text(table)


def document_of(result: Any, output: Output, words: "Messages") -> "Document | Table | str":
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
    if kind == "ProbeReport":
        from smtpcodes.output.probeview import probe_document

        return probe_document(result, words)
    return table_of(result, output, words)


def renderable(result: Any, output: Output, words: "Messages", width: int) -> Any:
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


def plain_text(result: Any, output: Output, words: "Messages", width: int) -> str:
    from smtpcodes.output import plain
    from smtpcodes.output.view import Document

    document = document_of(result, output, words)
    if isinstance(document, str):
        return document
    if isinstance(document, Document):
        return plain.document_text(document, width)
    return plain.table_text(document.headers, document.rows)


def validation_lines(validation: Any, words: "Messages") -> str:
    """`path: valid (counts)`, or the path and one indented line per problem."""
    from smtpcodes.output.safetext import printable

    path = printable(validation.path, one_line=True)
    problems = [printable(problem, one_line=True) for problem in validation.problems]
    if not problems:
        lines = [words.text("labels", "valid", path=path, **validation.counts)]
        if validation.languages is not None:
            lines.extend(_coverage_lines(validation.languages, words))
        return "\n".join(lines)
    if len(problems) == 1:
        return f"{path}: {problems[0]}"
    return "\n  ".join([words.text("labels", "problem_count", path=path, count=len(problems)), *problems])


def _coverage_lines(report: Any, words: "Messages") -> list[str]:
    """One line per language with its coverage, then every stale text: its English changed since."""
    lines = []
    for interface, catalogue in zip(report.interface[1:], report.catalogue[1:], strict=True):
        tag = interface.language.tag
        translated, total = interface.translated + catalogue.translated, interface.total + catalogue.total
        lines.append("  " + words.text("languages", "coverage", tag=tag, percent=f"{100 * translated / total:.0f}",
                                       translated=translated, total=total,
                                       stale=len(interface.stale) + len(catalogue.stale),
                                       missing=len(interface.missing) + len(catalogue.missing)))
        lines.extend("    " + words.text("languages", "stale_entry", tag=tag, path=path)
                     for path in interface.stale + catalogue.stale)
    return lines


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
