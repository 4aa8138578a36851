"""Tabular results as plain data: a title, headers and rows, shared by every renderer and format."""

from typing import TYPE_CHECKING, Any, NamedTuple, Sequence

from smtpcodes.catalogue.messages import Messages
from smtpcodes.catalogue.model import Code
from smtpcodes.explain.codewords import badge

if TYPE_CHECKING:
    from smtpcodes.explain.compare import Comparison
    from smtpcodes.explain.search import Hit


class Table(NamedTuple):
    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    class_column: int | None = None  # its cells start with the class digit, which colours the row
    text_column: int = -1  # the one long column: it wraps, or goes under its row when narrow
    wrap_columns: tuple[int, ...] = ()  # other columns that may wrap between their words


def list_table(codes: Sequence[Code], words: Messages) -> Table:
    say = words.text
    headers = (say("labels", "col_code"), say("labels", "col_class"), say("labels", "col_title"),
               say("labels", "col_status"))
    rows = tuple((c.code, badge(c), c.title, say("status-names", c.status or "unknown")) for c in codes)
    return Table(say("labels", "list_title", count=len(rows)), headers, rows, class_column=1, text_column=2)


def search_table(query: str, hits: Sequence["Hit"], words: Messages) -> Table:
    say = words.text
    headers = (say("labels", "col_code"), say("labels", "col_class"), say("labels", "col_title"),
               say("labels", "col_matched"))
    separator = say("labels", "list_separator")
    rows = tuple((h.code.code, badge(h.code), h.code.title, separator.join(h.matched)) for h in hits)
    return Table(say("labels", "search_title", count=len(rows), query=query), headers, rows, class_column=1,
                 text_column=2, wrap_columns=(3,))


def comparison_table(comparison: "Comparison", words: Messages) -> Table:
    """The codes side by side: one row per aspect, one column per code."""
    from smtpcodes.output.view import comparison_rows

    headers = (words.text("labels", "col_aspect"), *(c.code for c in comparison.codes))
    rows = tuple((label, *values) for label, values in comparison_rows(comparison, words))
    title = words.text("labels", "compare_title",
                       codes=words.text("labels", "compare_joiner").join(c.code for c in comparison.codes))
    return Table(title, headers, rows)


def languages_table(report: Any, words: Messages) -> Table:
    say = words.text
    headers = (say("languages", "col_language"), say("languages", "col_name"), say("languages", "col_direction"),
               say("languages", "col_interface"), say("languages", "col_catalogue"))

    def share(c: Any) -> str:
        return say("languages", "complete", percent=f"{c.percent:.0f}", translated=c.translated, total=c.total)

    rows = tuple(
        (i.language.tag, f"{i.language.native} ({i.language.name})", say("languages", i.language.direction),
         share(i), share(c))
        for i, c in zip(report.interface, report.catalogue, strict=True)
    )
    return Table(say("languages", "title", count=len(rows)), headers, rows, text_column=1)
