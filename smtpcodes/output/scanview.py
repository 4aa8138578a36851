"""The scan summary for people, laid out for the width it gets (60 to 220 columns and beyond).

One layout, drawn as lines: plain on a pipe, coloured by reply class on a terminal. A table is never
squeezed: when its columns do not fit, the example moves to a line of its own under its row, and
when even that does not fit, each group becomes a short card. No column is cut inside a word.
"""

from __future__ import annotations

import textwrap
from contextlib import contextmanager
from typing import TYPE_CHECKING, NamedTuple

from smtpcodes.output.safetext import printable
from smtpcodes.scan.logformats import OUTCOMES

if TYPE_CHECKING:
    from smtpcodes.scan.summary import Group, Summary

RETRY = {True: "yes", False: "no", None: "-"}
DEFAULT_ROWS = 20
MEASURE = 100  # prose wraps here even on wider terminals
MIN_EXAMPLE = 30  # an example column narrower than this is unreadable: it goes under its row instead
SECTIONS = (
    ("outgoing", "Outgoing: mail from this server deferred, bounced or delivered"),
    ("incoming", "Incoming: mail to this server refused (smtpd, postscreen, cleanup)"),
    (None, "Other replies (bounce messages, transcripts, text)"),
)
COLUMNS = ("Count", "Share", "Code", "Enhanced", "Reason", "Retry", "Bounce", "Provider")


class Line(NamedTuple):
    """One line of the summary and the reply class that colours it (None: no colour)."""

    text: str
    klass: int | None = None
    bold: bool = False
    bar: tuple[int, int] | None = None  # where a bar of '#' starts and how long it is


def _cells(g: Group) -> tuple[str, ...]:
    return (f"{g.count:,}", f"{g.share:.1%}", g.code or "-", g.enhanced or "", g.reason or "-", RETRY[g.retryable],
            g.bounce or "-", printable(g.provider or "", one_line=True))


def _domains(g: Group) -> str:
    return ", ".join(f"{printable(d, one_line=True)} ({n:,})" for d, n in g.domains)


def _example(g: Group) -> str:
    return printable(g.example, one_line=True)


def _row(cells, widths, numeric=2) -> str:
    parts = [c.rjust(w) if i < numeric else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths))]
    return "  ".join(parts).rstrip()


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 1)] + "…"


def layout(groups: list[Group], width: int) -> tuple[str, int]:
    """How the groups fit `width`: "wide" (one row each), "under" (example under the row; with the
    provider there too when `columns` is 7), or "cards"; and how many of COLUMNS the table keeps."""
    cells = [_cells(g) for g in groups]
    widths = [max([len(h)] + [len(c[i]) for c in cells]) for i, h in enumerate(COLUMNS)]
    base = sum(widths) + 2 * (len(widths) - 1)
    domain_width = min(max([len("Recipient domains")] + [len(_domains(g)) for g in groups]), 30)
    if base + 2 + domain_width + 2 + MIN_EXAMPLE <= width:
        return "wide", len(COLUMNS)
    if base <= width:
        return "under", len(COLUMNS)
    if base - widths[-1] - 2 <= width:
        return "under", len(COLUMNS) - 1
    return "cards", 0


def group_lines(groups: list[Group], width: int, shape: tuple[str, int], every: list[Group]) -> list[Line]:
    """The groups as a table, a table with examples under the rows, or cards, as `layout` chose.

    Column widths come from `every` group shown, so that the tables of each direction line up."""
    kind, count = shape
    heads = COLUMNS[:count]
    widths = [max([len(h)] + [len(_cells(g)[i]) for g in every]) for i, h in enumerate(heads)]
    base = sum(widths) + 2 * (len(widths) - 1)
    out: list[Line] = []
    if kind == "wide":
        domain_width = min(max([len("Recipient domains")] + [len(_domains(g)) for g in every]), 30)
        example_width = width - base - domain_width - 4
        all_widths = [*widths, domain_width, example_width]
        out.append(Line(_row([*heads, "Recipient domains", "Example"], all_widths), bold=True))
        for g in groups:
            cells = [*_cells(g), _clip(_domains(g), domain_width), _clip(_example(g), example_width)]
            out.append(Line(_row(cells, all_widths), g.klass))
        return out
    if kind == "under":
        out.append(Line(_row(heads, widths), bold=True))
        for g in groups:
            out.append(Line(_row(_cells(g)[:count], widths), g.klass))
            where = [printable(g.provider, one_line=True)] if g.provider and count < len(COLUMNS) else []
            if g.domains:
                where.append("to " + _domains(g))
            if where:
                out.append(Line(_clip("    " + " · ".join(where), width)))
            out += [Line(text) for text in wrap("e.g. " + _example(g), width, "    ", "      ", lines=2)]
        return out
    for g in groups:  # a card per group
        out.append(Line(_clip(f"{g.count:,} ({g.share:.1%})  {g.code or '-'} {g.enhanced or ''}  {g.reason or '-'}", width), g.klass))
        facts = [f"retry: {RETRY[g.retryable]}", f"bounce: {g.bounce or '-'}"]
        if g.provider:
            facts.append(f"provider: {printable(g.provider, one_line=True)}")
        out += [Line(text) for text in pack(facts, width, "    ")]
        if g.domains:
            out += [Line(text) for text in wrap("to " + _domains(g), width, "    ", "      ")]
        out += [Line(text) for text in wrap("e.g. " + _example(g), width, "    ", "      ", lines=2)]
    return out


def pack(pairs: list[str], width: int, indent: str = "") -> list[str]:
    """Label-value pairs joined by " · " into lines no wider than `width`; a pair is never split."""
    lines: list[str] = []
    for pair in pairs:
        if lines and len(lines[-1]) + 3 + len(pair) <= width:
            lines[-1] += " · " + pair
        else:
            lines.append(indent + pair)
    return lines


def wrap(text: str, width: int, first: str = "", rest: str = "", lines: int | None = None) -> list[str]:
    wrapped = textwrap.wrap(text[:4096], width=max(min(width, MEASURE), 20), initial_indent=first,
                            subsequent_indent=rest, break_on_hyphens=False, max_lines=lines, placeholder=" …")
    return wrapped or [first.rstrip()]


def totals_lines(summary: Summary) -> list[str]:
    """The counts of what was read and what became of the messages, one fact per line."""
    lines = [
        f"Lines read: {summary.lines_read:,}; with a reply: {summary.lines_read - summary.lines_skipped:,}; "
        f"without one: {summary.lines_skipped:,}"
        + (f"; cut at 32 KiB: {summary.lines_truncated:,}" if summary.lines_truncated else ""),
        f"Replies found: {summary.replies_found:,}"
        + (f"; matching the filters: {summary.replies_matched:,}" if summary.replies_matched != summary.replies_found else ""),
        "Outcome of the replies: " + " · ".join(f"{name} {summary.outcomes.get(name, 0):,}" for name in OUTCOMES),
    ]
    if summary.directions:
        lines.append("Direction: " + " · ".join(f"{name} {n:,}" for name, n in summary.directions.items() if n))
    without = {name: n for name, n in summary.without_reply.items() if n}
    if without:
        lines.append(
            "Log statuses that quote no SMTP reply (timeouts, DNS errors, local deliveries, expiry): "
            + " · ".join(f"{name} {n:,}" for name, n in without.items())
        )
    return lines


def summary_lines(summary: Summary, rows_shown: int | None, width: int) -> list[Line]:
    """The whole summary as lines no wider than `width`."""
    from smtpcodes.output.scantraffic import traffic_lines

    width = max(width, 40)
    groups = list(summary.groups if rows_shown is None else summary.groups[:rows_shown])
    files = "1 file" if summary.files == 1 else f"{summary.files:,} files"
    out = [Line(text, bold=True) for text in
           wrap(f"SMTP replies by code and reason: {summary.replies_matched:,} in {summary.lines_read:,} lines of {files}", width)]
    shape = layout(groups, width)
    for direction, title in SECTIONS:
        part = [g for g in groups if g.direction == direction]
        if part:
            out += [Line(""), *(Line(t, bold=True) for t in wrap(title, width)), *group_lines(part, width, shape, groups)]
    left_out = summary.groups_total - len(groups)
    if left_out > 0:
        out += [Line(t) for t in wrap(f"{left_out:,} more kinds of reply not shown (--top N shows more)", width)]
    if summary.reasons:
        out += [Line(""), Line("Reasons", bold=True)]
        classes: dict = {}
        for group in summary.groups:
            classes.setdefault(group.reason, group.klass)
        largest = summary.reasons[0][2]
        labels = [_clip(printable(title or reason, one_line=True), max(width // 2, 12)) for reason, title, _ in summary.reasons]
        label_width = max(len(label) for label in labels)
        bar_width = max(min(30, width - label_width - 12), 5)
        for label, (reason, _, count) in zip(labels, summary.reasons):
            length = max(1, round(count / largest * bar_width))
            out.append(Line(f"{label.ljust(label_width)}  {'#' * length} {count:,}", classes.get(reason),
                            bar=(label_width + 2, length)))
    out += traffic_lines(summary, width)
    out.append(Line(""))
    for text in totals_lines(summary):
        out += [Line(t) for t in wrap(text, width, "", "  ")]
    return out


def summary_text(summary: Summary, rows_shown: int | None = DEFAULT_ROWS, width: int = 100) -> str:
    """The summary as plain text for pipes and files: no colour, ASCII bars."""
    return "\n".join(line.text for line in summary_lines(summary, rows_shown, width))


def summary_renderable(summary: Summary, rows_shown: int | None = DEFAULT_ROWS, width: int | None = None):
    """The same lines for a terminal: rows coloured by reply class, headings bold, block bars."""
    from rich.console import Group as RichGroup
    from rich.text import Text

    from smtpcodes.output.render import class_style

    if width is None:
        import shutil

        width = shutil.get_terminal_size((100, 24)).columns
    parts = []
    for line in summary_lines(summary, rows_shown, width):
        text = line.text
        if line.bar is not None:
            start, length = line.bar
            text = text[:start] + "█" * length + text[start + length:]
        parts.append(Text(text, style="bold" if line.bold else class_style(line.klass) if line.klass else "", no_wrap=True, overflow="crop"))
    return RichGroup(*parts)


LARGE = 64 << 20  # bytes of input below which a progress bar would only flicker


@contextmanager
def progress_bar(paths: list[str], *, enabled: bool):
    """A callback drawing progress on stderr for large regular files, or None."""
    import os

    sizes = [os.path.getsize(p) for p in paths if p != "-" and os.path.isfile(p)]
    if not enabled or "-" in paths or sum(sizes) < LARGE:
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

    with Progress(BarColumn(), DownloadColumn(), TimeRemainingColumn(), console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("scan", total=sum(sizes))
        yield lambda done: bar.update(task, completed=done)
