"""scan's records and summary as CSV and Markdown: for spreadsheets, DuckDB, and pasting into a ticket."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING, Iterable, Iterator

from smtpcodes.output.safetext import printable
from smtpcodes.scan.records import FIELDS, Record, compact_row
from smtpcodes.scan.summary import Summary

if TYPE_CHECKING:
    from smtpcodes.catalogue.messages import Messages

SUMMARY_FIELDS = ("direction", "code", "enhanced", "reason", "count", "share", "retryable", "bounce", "provider",
                  "domains", "example")
MARKDOWN_RECORD = ("line", "time", "recipient", "direction", "outcome", "code", "enhanced", "reason", "provider", "text")
# The headers of the summary's Markdown table, in [messages.scan] (CSV keeps SUMMARY_FIELDS, which scripts read).
MARKDOWN_SUMMARY = ("col_direction", "col_count", "col_share", "col_code", "col_enhanced", "col_reason", "col_retry",
                    "col_bounce", "col_provider", "col_example")
_CSV_VALUE = {True: "true", False: "false", None: ""}


def _cell(value: object) -> object:
    if value is None or value is True or value is False:
        return _CSV_VALUE[value]
    return value


def csv_header() -> str:
    return _csv_lines([FIELDS])


def records_csv(records: Iterable[Record]) -> Iterator[str]:
    """The compact records as CSV rows (no header: csv_header() gives it), a block of rows at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    count = 0
    for record in records:
        writer.writerow([_cell(value) for value in compact_row(record)])
        count += 1
        if count == 512:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
            count = 0
    if count:
        yield buffer.getvalue()


def _csv_lines(rows: Iterable[Iterable[object]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([[_cell(v) for v in row] for row in rows])
    return buffer.getvalue()


def summary_csv(summary: Summary) -> str:
    """One row per group of the summary."""
    rows: list[tuple[object, ...]] = [SUMMARY_FIELDS]
    for g in summary.groups:
        rows.append((
            g.direction, g.code, g.enhanced, g.reason, g.count, round(g.share, 4), g.retryable, g.bounce, g.provider,
            " ".join(f"{d}:{n}" for d, n in g.domains), g.example,
        ))
    return _csv_lines(rows)


def _md(value: object) -> str:
    """A Markdown table cell: outside text made printable, pipes escaped, never a line break."""
    text = "" if value is None else str(value)
    return printable(text, one_line=True).replace("\\", "\\\\").replace("|", "\\|").replace("`", "\\`")


def _md_table(headers: Iterable[str], rows: Iterable[Iterable[object]]) -> list[str]:
    heads = [_md(head) for head in headers]
    lines = ["| " + " | ".join(heads) + " |", "|" + "|".join("---" for _ in heads) + "|"]
    lines += ["| " + " | ".join(_md(v) for v in row) + " |" for row in rows]
    return lines


def markdown_header() -> str:
    return "\n".join(_md_table(MARKDOWN_RECORD, [])) + "\n"


def records_markdown(records: Iterable[Record]) -> Iterator[str]:
    """The records as rows of a Markdown table (markdown_header() gives its head)."""
    index = {name: FIELDS.index(name) for name in MARKDOWN_RECORD}
    for record in records:
        row = compact_row(record)
        yield "| " + " | ".join(_md(row[index[name]]) for name in MARKDOWN_RECORD) + " |\n"


def summary_markdown(summary: Summary, words: Messages) -> str:
    """The summary as Markdown: totals, then the groups, then the Postfix traffic when there is any."""
    from smtpcodes.output.scantraffic import traffic_tables
    from smtpcodes.output.scanview import named, retry_word, say, totals_lines

    title = say(words, "markdown_title", matched=f"{summary.replies_matched:,}", lines=f"{summary.lines_read:,}")
    out = [f"## {_md(title)}", ""]
    out += [f"- {_md(line)}" for line in totals_lines(summary, words)]
    out += ["", f"### {_md(say(words, 'markdown_groups'))}", ""]
    out += _md_table(
        (say(words, key) for key in MARKDOWN_SUMMARY),
        (
            (named(words, "direction", g.direction) if g.direction else "-", f"{g.count:,}", f"{g.share:.1%}", g.code,
             g.enhanced or "", g.reason or "-", retry_word(words, g.retryable), g.bounce or "-", g.provider or "", g.example)
            for g in summary.groups
        ),
    )
    for title, headers, rows in traffic_tables(summary, words):
        out += ["", f"### {_md(title)}", ""] + _md_table(headers, rows)
    return "\n".join(out) + "\n"
