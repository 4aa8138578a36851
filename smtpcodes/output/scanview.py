"""The scan summary for people, laid out for the width it gets (60 to 220 columns and beyond).

One layout, drawn as lines: plain on a pipe, coloured by reply class on a terminal. A table is never
squeezed: when its columns do not fit, the example moves to a line of its own under its row, and
when even that does not fit, each group becomes a short card. No column is cut inside a word.
Every word comes from the catalogue's `[messages.scan]` templates, so the summary can be translated.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, NamedTuple, Sequence

from smtpcodes.output.safetext import cells as columns, pad, pad_left, printable
from smtpcodes.scan.logformats import OUTCOMES

if TYPE_CHECKING:
    from rich.console import Group as RichGroup

    from smtpcodes.catalogue.messages import Messages
    from smtpcodes.scan.summary import Group, Summary

DEFAULT_ROWS = 20
MEASURE = 100  # prose wraps here even on wider terminals
MIN_EXAMPLE = 30  # an example column narrower than this is unreadable: it goes under its row instead
SECTIONS = (("outgoing", "section_outgoing"), ("incoming", "section_incoming"), (None, "section_other"))
COLUMNS = ("col_count", "col_share", "col_code", "col_enhanced", "col_reason", "col_retry", "col_bounce",
           "col_provider")
GAP = "  "  # between columns; bidi keeps runs apart at two spaces, so cells stay apart right to left


class Line(NamedTuple):
    """One line of the summary and the reply class that colours it (None: no colour)."""

    text: str
    klass: int | None = None
    bold: bool = False
    bar: tuple[int, int] | None = None  # where a bar of '#' starts and how long it is
    ltr: bool = False  # outside text (a reply, domains, an address): left to right even in a right-to-left layout


def say(words: Messages, key: str, **values: object) -> str:
    """The `[messages.scan]` template `key`, filled."""
    return words.text("scan", key, **values)


def named(words: Messages, kind: str, name: str) -> str:
    """A value's name in the language (`outcome_bounced`), or the value itself when none is given."""
    key = f"{kind}_{name}"
    return words.text("scan", key) if words.has("scan", key) else name


def retry_word(words: Messages, value: bool | None) -> str:
    """yes, no or - for a group's retryable."""
    return "-" if value is None else say(words, "yes" if value else "no")


def _cells(g: Group, words: Messages) -> tuple[str, ...]:
    return (f"{g.count:,}", f"{g.share:.1%}", g.code or "-", g.enhanced or "", g.reason or "-",
            retry_word(words, g.retryable), g.bounce or "-", printable(g.provider or "", one_line=True))


def _domains(g: Group) -> str:
    return ", ".join(f"{printable(d, one_line=True)} ({n:,})" for d, n in g.domains)


def _example(g: Group) -> str:
    return printable(g.example, one_line=True)


def _row(cells: Sequence[str], widths: Sequence[int], numeric: int = 2) -> str:
    parts = [pad_left(c, w) if i < numeric else pad(c, w) for i, (c, w) in enumerate(zip(cells, widths, strict=True))]
    return GAP.join(parts).rstrip()


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 1)] + "…"


def _widths(heads: Sequence[str], rows: list[tuple[str, ...]]) -> list[int]:
    return [max([columns(h)] + [columns(r[i]) for r in rows]) for i, h in enumerate(heads)]


def layout(groups: list[Group], width: int, words: Messages) -> tuple[str, int]:
    """How the groups fit `width`: "wide" (one row each), "under" (example under the row; with the
    provider there too when `columns` is 7), or "cards"; and how many of COLUMNS the table keeps."""
    widths = _widths([say(words, key) for key in COLUMNS], [_cells(g, words) for g in groups])
    base = sum(widths) + 2 * (len(widths) - 1)
    domain_width = min(max([len(say(words, "col_domains"))] + [len(_domains(g)) for g in groups]), 30)
    if base + 2 + domain_width + 2 + MIN_EXAMPLE <= width:
        return "wide", len(COLUMNS)
    if base <= width:
        return "under", len(COLUMNS)
    if base - widths[-1] - 2 <= width:
        return "under", len(COLUMNS) - 1
    return "cards", 0


def group_lines(groups: list[Group], width: int, shape: tuple[str, int], every: list[Group],
                words: Messages) -> list[Line]:
    """The groups as a table, a table with examples under the rows, or cards, as `layout` chose.

    Column widths come from `every` group shown, so that the tables of each direction line up."""
    kind, count = shape
    heads = [say(words, key) for key in COLUMNS[:count]]
    widths = _widths(heads, [_cells(g, words) for g in every])
    base = sum(widths) + 2 * (len(widths) - 1)
    out: list[Line] = []
    if kind == "wide":
        domains_head = say(words, "col_domains")
        domain_width = min(max([len(domains_head)] + [len(_domains(g)) for g in every]), 30)
        example_width = width - base - domain_width - 4
        all_widths = [*widths, domain_width, example_width]
        out.append(Line(_row([*heads, domains_head, say(words, "col_example")], all_widths), bold=True))
        for g in groups:
            cells = [*_cells(g, words), _clip(_domains(g), domain_width), _clip(_example(g), example_width)]
            out.append(Line(_row(cells, all_widths), g.klass))
        return out
    if kind == "under":
        out.append(Line(_row(heads, widths), bold=True))
        for g in groups:
            out.append(Line(_row(_cells(g, words)[:count], widths), g.klass))
            where = [printable(g.provider, one_line=True)] if g.provider and count < len(COLUMNS) else []
            if g.domains:
                where.append(say(words, "to_domains", domains=_domains(g)))
            if where:
                out.append(Line(_clip("    " + " · ".join(where), width), ltr=True))
            out += _example_lines(g, width, words)
        return out
    for g in groups:  # a card per group
        head = f"{g.count:,} ({g.share:.1%})  {g.code or '-'} {g.enhanced or ''}  {g.reason or '-'}"
        out.append(Line(_clip(head, width), g.klass))
        facts = [say(words, "card_retry", value=retry_word(words, g.retryable)),
                 say(words, "card_bounce", value=g.bounce or "-")]
        if g.provider:
            facts.append(say(words, "card_provider", value=printable(g.provider, one_line=True)))
        out += [Line(text) for text in pack(facts, width, "    ")]
        if g.domains:
            out += [Line(t, ltr=True) for t in wrap(say(words, "to_domains", domains=_domains(g)), width, "    ", "      ")]
        out += _example_lines(g, width, words)
    return out


def _example_lines(g: Group, width: int, words: Messages) -> list[Line]:
    return [Line(t, ltr=True) for t in wrap(say(words, "example", example=_example(g)), width, "    ", "      ", 2)]


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
    """`text` wrapped at the width, or at MEASURE on wider terminals, at most `lines` lines."""
    wrapped = textwrap.wrap(text[:4096], width=max(min(width, MEASURE), 20), initial_indent=first,
                            subsequent_indent=rest, break_on_hyphens=False, max_lines=lines, placeholder=" …")
    return wrapped or [first.rstrip()]


def _counts(words: Messages, kind: str, counts: dict[str, int], names: Sequence[str] | None = None) -> str:
    chosen = names if names is not None else [name for name, n in counts.items() if n]
    return " · ".join(f"{named(words, kind, name)} {counts.get(name, 0):,}" for name in chosen)


def totals_lines(summary: Summary, words: Messages) -> list[str]:
    """The counts of what was read and what became of the messages, one fact per line."""
    read = say(words, "lines_read", read=f"{summary.lines_read:,}",
               replied=f"{summary.lines_read - summary.lines_skipped:,}", without=f"{summary.lines_skipped:,}")
    if summary.lines_truncated:
        read += say(words, "lines_cut", count=f"{summary.lines_truncated:,}")
    found = say(words, "replies_found", count=f"{summary.replies_found:,}")
    if summary.replies_matched != summary.replies_found:
        found += say(words, "replies_matching", count=f"{summary.replies_matched:,}")
    lines = [read, found, say(words, "outcomes", counts=_counts(words, "outcome", summary.outcomes, OUTCOMES))]
    if summary.directions:
        lines.append(say(words, "directions", counts=_counts(words, "direction", summary.directions)))
    if any(summary.without_reply.values()):
        lines.append(say(words, "without_reply", counts=_counts(words, "outcome", summary.without_reply)))
    return lines


def summary_lines(summary: Summary, words: Messages, rows_shown: int | None, width: int, *,
                  rtl: bool = False) -> list[Line]:
    """The whole summary as lines no wider than `width`, in logical order. Laid out `rtl`, the
    examples go under their rows, where they keep their own order, rather than in a mirrored column."""
    from smtpcodes.output.scantraffic import traffic_lines

    width = max(width, 40)
    groups = list(summary.groups if rows_shown is None else summary.groups[:rows_shown])
    files = say(words, "files_one") if summary.files == 1 else say(words, "files_many", count=f"{summary.files:,}")
    title = say(words, "title", matched=f"{summary.replies_matched:,}", lines=f"{summary.lines_read:,}", files=files)
    out = [Line(text, bold=True) for text in wrap(title, width)]
    shape = layout(groups, width, words)
    if rtl and shape[0] == "wide":
        shape = ("under", len(COLUMNS))
    for direction, key in SECTIONS:
        part = [g for g in groups if g.direction == direction]
        if part:
            out += [Line(""), *(Line(t, bold=True) for t in wrap(say(words, key), width))]
            out += group_lines(part, width, shape, groups, words)
    left_out = summary.groups_total - len(groups)
    if left_out > 0:
        out += [Line(t) for t in wrap(say(words, "more_not_shown", count=f"{left_out:,}"), width)]
    if summary.reasons:
        out += [Line(""), Line(say(words, "reasons"), bold=True), *_reason_lines(summary, width)]
    out += traffic_lines(summary, width, words)
    out.append(Line(""))
    for text in totals_lines(summary, words):
        out += [Line(t) for t in wrap(text, width, "", "  ")]
    return out


def _reason_lines(summary: Summary, width: int) -> list[Line]:
    """One bar per reason, as long as its share of the largest."""
    classes: dict[str | None, int | None] = {}
    for group in summary.groups:
        classes.setdefault(group.reason, group.klass)
    largest = summary.reasons[0][2]
    labels = [_clip(printable(title or reason, one_line=True), max(width // 2, 12)) for reason, title, _ in summary.reasons]
    label_width = max(columns(label) for label in labels)
    bar_width = max(min(30, width - label_width - 12), 5)
    out = []
    for label, (reason, _, count) in zip(labels, summary.reasons, strict=True):
        length = max(1, round(count / largest * bar_width))
        out.append(Line(f"{pad(label, label_width)}  {'#' * length} {count:,}", classes.get(reason),
                        bar=(label_width + 2, length)))
    return out


def shown_lines(summary: Summary, words: Messages, rows_shown: int | None, width: int, *,
                visual: bool = False, blocks: bool = False) -> list[Line]:
    """The lines as they are drawn: bars of blocks on a terminal (`blocks`), and for a right-to-left
    language in `visual` order (scanrtl.py)."""
    if visual:
        from smtpcodes.output.scanrtl import ShapedMessages, shaped_titles

        words, summary = ShapedMessages(words), shaped_titles(summary)
    lines = summary_lines(summary, words, rows_shown, width, rtl=visual)
    if blocks:
        lines = [line._replace(text=_blocks(line)) for line in lines]
    if not visual:
        return lines
    from smtpcodes.output.scanrtl import visual_order

    return visual_order(lines, max(width, 40))


def _blocks(line: Line) -> str:
    if line.bar is None:
        return line.text
    start, length = line.bar
    return line.text[:start] + "█" * length + line.text[start + length:]


def summary_text(summary: Summary, words: Messages, rows_shown: int | None = DEFAULT_ROWS, width: int = 100, *,
                 visual: bool = False) -> str:
    """The summary as plain text for pipes and files: no colour, ASCII bars."""
    lines = shown_lines(summary, words, rows_shown, width, visual=visual)
    return "\n".join(line.text for line in lines)


def summary_renderable(summary: Summary, words: Messages, rows_shown: int | None = DEFAULT_ROWS,
                       width: int | None = None, *, visual: bool = False) -> RichGroup:
    """The same lines for a terminal: rows coloured by reply class, headings bold, block bars."""
    from rich.console import Group as RichGroup
    from rich.text import Text

    from smtpcodes.output.render import class_style

    if width is None:
        import shutil

        width = shutil.get_terminal_size((100, 24)).columns
    parts = []
    for line in shown_lines(summary, words, rows_shown, width, visual=visual, blocks=True):
        style = "bold" if line.bold else class_style(line.klass) if line.klass else ""
        parts.append(Text(line.text, style=style, no_wrap=True, overflow="crop"))
    return RichGroup(*parts)
