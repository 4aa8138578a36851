"""The Postfix traffic part of the scan summary (pflogsumm's figures): totals, domains, hours, addresses."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from smtpcodes.output.safetext import cells as columns, pad, pad_left, printable
from smtpcodes.output.scanview import GAP, Line, named, pack, say, wrap
from smtpcodes.scan.summary import Summary

if TYPE_CHECKING:
    from smtpcodes.catalogue.messages import Messages

DOMAIN_HEADS = ("col_delivered", "col_deferred", "col_bounced", "col_delay_avg", "col_delay_max", "col_bytes")
HOUR_HEADS = ("received", "delivered", "deferred", "bounced", "rejected")
TOTALS = ("received", "delivered", "deferred", "bounced", "rejected", "expired")
MAX_BUCKETS = 48  # a chart longer than two days is drawn per day
Table = tuple[str, tuple[str, ...], list[tuple[str, ...]]]


def _size(n: float) -> str:
    for unit in ("", "k", "M", "G", "T"):
        if n < 1024 or unit == "T":
            return f"{int(n):,}" if unit == "" else f"{n:.1f}{unit}"
        n /= 1024
    return str(n)


def _seconds(value: float | None, words: Messages) -> str:
    if value is None:
        return "-"
    if value >= 3600:
        return say(words, "hours", value=f"{value / 3600:.1f}")
    if value >= 60:
        return say(words, "minutes", value=f"{value / 60:.1f}")
    return say(words, "seconds", value=f"{value:.1f}")


def _traffic(summary: Summary) -> dict[str, Any] | None:
    """The traffic figures when the log had any."""
    traffic = summary.traffic
    return traffic if traffic and any(traffic["totals"].values()) else None


def has_traffic(summary: Summary) -> bool:
    return _traffic(summary) is not None


def totals_pairs(totals: dict[str, int], words: Messages) -> list[str]:
    """`name count` for each total, with the deferrals and warnings beside the messages they concern."""
    pairs = [say(words, "figure", name=named(words, "outcome", name), count=f"{totals[name]:,}") for name in TOTALS]
    if totals["deferrals"]:
        pairs[2] += say(words, "deferrals", count=f"{totals['deferrals']:,}")
    if totals.get("reject_warnings"):
        pairs[4] += say(words, "reject_warnings", count=f"{totals['reject_warnings']:,}")
    if totals["forwarded"]:
        pairs.append(say(words, "figure", name=named(words, "outcome", "forwarded"), count=f"{totals['forwarded']:,}"))
    pairs += [say(words, "bytes_received", size=_size(totals["bytes_received"])),
              say(words, "bytes_delivered", size=_size(totals["bytes_delivered"]))]
    return pairs


def buckets(hours: list[dict[str, Any]]) -> tuple[str, list[tuple[str, list[int]]]]:
    """Per hour, or per day when the span is longer than MAX_BUCKETS hours."""
    rows = [(str(h["hour"]), [int(h[name]) for name in HOUR_HEADS]) for h in hours]
    if len(rows) <= MAX_BUCKETS:
        return "hour", rows
    days: dict[str, list[int]] = {}
    for hour, counts in rows:
        day = days.setdefault(hour[:10], [0] * len(HOUR_HEADS))
        for index, value in enumerate(counts):
            day[index] += value
    return "day", list(days.items())


def traffic_tables(summary: Summary, words: Messages) -> list[Table]:
    """The traffic as (title, headers, rows) tables, for Markdown and the like."""
    traffic = _traffic(summary)
    if traffic is None:
        return []
    tables: list[Table] = [(say(words, "totals_title"), (say(words, "col_figure"), say(words, "col_count")),
                            [(named(words, "outcome", name), f"{value:,}") for name, value in traffic["totals"].items()])]
    tables.append((say(words, "domains_title"), (say(words, "col_domain"), *(say(words, h) for h in DOMAIN_HEADS)), [
        (d["domain"], f"{d['delivered']:,}", f"{d['deferred']:,}", f"{d['bounced']:,}", _seconds(d["delay_avg"], words),
         _seconds(d["delay_max"], words), _size(d["bytes"])) for d in traffic["domains"]]))
    unit, rows = buckets(traffic["hours"])
    heads = (say(words, f"col_{unit}"), *(named(words, "outcome", name) for name in HOUR_HEADS))
    tables.append((say(words, f"per_{unit}"), heads, [(b, *(f"{n:,}" for n in counts)) for b, counts in rows]))
    for key in ("senders", "recipients"):
        tables.append((say(words, f"top_{key}"), (say(words, "col_address"), say(words, "col_messages")),
                       [(a["address"], f"{a['count']:,}") for a in traffic[key]]))
    return tables


def traffic_lines(summary: Summary, width: int, words: Messages) -> list[Line]:
    """The traffic section for people: totals, a domain table, a chart over time, top addresses."""
    traffic = _traffic(summary)
    if traffic is None:
        return []
    out = [Line(""), *(Line(text, bold=True) for text in wrap(say(words, "traffic_title"), width))]
    out += [Line(t) for t in pack(totals_pairs(traffic["totals"], words), width)]
    out += _domain_lines(traffic["domains"], traffic["domains_total"], width, words)
    out += _chart_lines(traffic["hours"], width, words)
    for key in ("senders", "recipients"):
        entries = traffic[key][:5]
        if entries:
            out += [Line(""), Line(say(words, f"top_{key}"), bold=True)]
            count_width = max(len(f"{e['count']:,}") for e in entries)
            room = width - count_width - 2
            for e in entries:
                address = printable(e["address"], one_line=True)
                shown = address if len(address) <= room else address[: room - 1] + "…"
                out.append(Line(f"{e['count']:>{count_width},}{GAP}{shown}", ltr=True))
    return out


def _domain_lines(domains: list[dict[str, Any]], total: int, width: int, words: Messages) -> list[Line]:
    if not domains:
        return []
    rows = [(printable(d["domain"], one_line=True), f"{d['delivered']:,}", f"{d['deferred']:,}", f"{d['bounced']:,}",
             _seconds(d["delay_avg"], words), _seconds(d["delay_max"], words), _size(d["bytes"])) for d in domains]
    heads = (say(words, "col_domain"), *(say(words, h) for h in DOMAIN_HEADS))
    count, widths = 4, [0] * 4
    for count in (7, 6, 4):  # drop bytes, then the delays, when the width is short
        widths = [max(columns(heads[i]), *(columns(r[i]) for r in rows)) for i in range(count)]
        numbers = sum(widths[1:]) + 2 * (count - 1)
        if numbers + 16 <= width:
            widths[0] = min(widths[0], width - numbers - 2)
            break
    title = say(words, "domains_shown", shown=f"{min(len(rows), total):,}", total=f"{total:,}")
    out = [Line(""), Line(title, bold=True)]
    head_cells = [pad(h, w) if i == 0 else pad_left(h, w)
                  for i, (h, w) in enumerate(zip(heads[:count], widths, strict=True))]
    out.append(Line(GAP.join(head_cells), bold=True))
    for row in rows:
        name = row[0] if len(row[0]) <= widths[0] else row[0][: widths[0] - 1] + "…"
        cells = [pad(name, widths[0])] + [pad_left(cell, w) for cell, w in zip(row[1:count], widths[1:], strict=True)]
        out.append(Line(GAP.join(cells).rstrip()))
    return out


def _chart_lines(hours: list[dict[str, Any]], width: int, words: Messages) -> list[Line]:
    unit, rows = buckets(hours)
    if not rows:
        return []
    totals = [sum(counts) for _, counts in rows]
    largest = max(totals) or 1
    label_width = max(columns(label) for label, _ in rows)
    number_width = max(len(f"{t:,}") for t in totals)
    bar_width = max(min(40, width - label_width - number_width - 4), 5)
    out = [Line(""), *(Line(text, bold=True) for text in wrap(say(words, f"chart_{unit}"), width))]
    for (label, _), total in zip(rows, totals, strict=True):
        length = round(total / largest * bar_width)
        out.append(Line(f"{pad(label, label_width)}{GAP}{total:>{number_width},} {'#' * length}".rstrip(),
                        bar=(label_width + 3 + number_width, length) if length else None))
    return out
