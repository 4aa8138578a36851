"""The scan summary for people: one set of rows and wording, drawn with rich or as plain text."""

from __future__ import annotations

from contextlib import contextmanager
from typing import NamedTuple

from smtpcodes.output.safetext import printable
from smtpcodes.scan.scanner import OUTCOMES, Summary

HEADERS = ("Count", "Share", "Code", "Enhanced", "Reason", "Retry", "Bounce", "Provider", "Recipient domains", "Example")
RETRY = {True: "yes", False: "no", None: "-"}
BAR_WIDTH = 30
DEFAULT_ROWS = 20
EXAMPLE = 90  # characters of the example reply in a row: enough to recognise it


def _shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


class View(NamedTuple):
    """Everything the summary shows, as strings: rows of the table, bars, totals."""

    title: str
    rows: tuple[tuple[str, ...], ...]
    more: str | None  # a note when groups were left out
    bars: tuple[tuple[str, int, float, int | None], ...]  # (label, count, fraction of the largest, class)
    totals: tuple[str, ...]


def summary_view_data(summary: Summary, rows_shown: int | None) -> View:
    groups = summary.groups if rows_shown is None else summary.groups[:rows_shown]
    rows = tuple(
        (
            f"{g.count:,}", f"{g.share:.1%}", g.code or "-", g.enhanced or "", g.reason or "-", RETRY[g.retryable],
            g.bounce or "-", g.provider or "", ", ".join(f"{d} ({n:,})" for d, n in g.domains),
            _shorten(printable(g.example, one_line=True), EXAMPLE),
        )
        for g in groups
    )
    left_out = summary.groups_total - len(groups)
    more = f"{left_out:,} more kinds of reply not shown (--top N shows more)" if left_out > 0 else None
    largest = summary.reasons[0][2] if summary.reasons else 0
    classes = {}
    for group in summary.groups:
        classes.setdefault(group.reason, group.klass)
    bars = tuple((title or reason, count, count / largest, classes.get(reason)) for reason, title, count in summary.reasons)
    return View(_title(summary), rows, more, bars, _totals(summary))


def _title(summary: Summary) -> str:
    files = "1 file" if summary.files == 1 else f"{summary.files:,} files"
    return f"SMTP replies by code and reason: {summary.replies_matched:,} in {summary.lines_read:,} lines of {files}"


def _totals(summary: Summary) -> tuple[str, ...]:
    lines = [
        f"Lines read: {summary.lines_read:,}; with a reply: {summary.lines_read - summary.lines_skipped:,}; "
        f"without one: {summary.lines_skipped:,}"
        + (f"; cut at 32 KiB: {summary.lines_truncated:,}" if summary.lines_truncated else ""),
        f"Replies found: {summary.replies_found:,}"
        + (f"; matching the filters: {summary.replies_matched:,}" if summary.replies_matched != summary.replies_found else ""),
        "Outcome: " + " · ".join(f"{name} {summary.outcomes[name]:,}" for name in OUTCOMES),
    ]
    without = {name: n for name, n in summary.without_reply.items() if n}
    if without:
        lines.append(
            "Log statuses that quote no SMTP reply (timeouts, DNS errors, local deliveries): "
            + " · ".join(f"{name} {n:,}" for name, n in without.items())
        )
    return tuple(lines)


def summary_renderable(summary: Summary, rows_shown: int | None = DEFAULT_ROWS):
    """Rich renderables: the table with rows coloured by class, a bar chart of reasons, the totals."""
    from rich.console import Group
    from rich.text import Text

    from smtpcodes.output.render import class_style, table

    view = summary_view_data(summary, rows_shown)
    parts = [table(HEADERS, view.rows, class_column=2, title=view.title, wrap_columns=range(len(HEADERS)))]
    if view.more:
        parts.append(Text(view.more, style="dim"))
    if view.bars:
        parts.append(Text("\nReasons", style="bold"))
        width = max(len(label) for label, *_ in view.bars)
        for label, count, fraction, klass in view.bars:
            line = Text(printable(label, one_line=True).ljust(width) + "  ")
            line.append("█" * max(1, round(fraction * BAR_WIDTH)), style=class_style(klass))
            line.append(f" {count:,}")
            parts.append(line)
    parts.append(Text(""))
    parts.extend(Text(line) for line in view.totals)
    return Group(*parts)


def summary_text(summary: Summary, rows_shown: int | None = DEFAULT_ROWS) -> str:
    """The same summary as plain text for pipes and files: no colour, ASCII bars."""
    from smtpcodes.output.plain import table_text

    view = summary_view_data(summary, rows_shown)
    out = [view.title, "", table_text(HEADERS, view.rows)]
    if view.more:
        out.append(view.more)
    if view.bars:
        out += ["", "Reasons"]
        width = max(len(label) for label, *_ in view.bars)
        out += [
            f"{printable(label, one_line=True).ljust(width)}  {'#' * max(1, round(fraction * BAR_WIDTH))} {count:,}"
            for label, count, fraction, _ in view.bars
        ]
    out.append("")
    out.extend(view.totals)
    return "\n".join(out)


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
