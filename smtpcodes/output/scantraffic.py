"""The Postfix traffic part of the scan summary (pflogsumm's figures): totals, domains, hours, addresses."""

from __future__ import annotations

from smtpcodes.output.safetext import printable
from smtpcodes.output.scanview import Line, pack, wrap
from smtpcodes.scan.summary import Summary

DOMAIN_HEADS = ("Delivered", "Deferred", "Bounced", "Avg delay", "Max delay", "Bytes")
HOUR_HEADS = ("received", "delivered", "deferred", "bounced", "rejected")
MAX_BUCKETS = 48  # a chart longer than two days is drawn per day


def _size(n: int) -> str:
    for unit in ("", "k", "M", "G", "T"):
        if n < 1024 or unit == "T":
            return f"{n:,}{unit}" if unit == "" else f"{n:.1f}{unit}"
        n /= 1024
    return str(n)


def _seconds(value) -> str:
    if value is None:
        return "-"
    if value >= 3600:
        return f"{value / 3600:.1f} h"
    if value >= 60:
        return f"{value / 60:.1f} m"
    return f"{value:.1f} s"


def has_traffic(summary: Summary) -> bool:
    return bool(summary.traffic) and any(summary.traffic["totals"].values())


def totals_pairs(totals: dict) -> list[str]:
    pairs = [f"{name} {totals[name]:,}" for name in ("received", "delivered", "deferred", "bounced", "rejected", "expired")]
    if totals["deferrals"]:
        pairs[2] += f" ({totals['deferrals']:,} deferrals)"
    if totals.get("reject_warnings"):
        pairs[4] += f" ({totals['reject_warnings']:,} reject warnings)"
    if totals["forwarded"]:
        pairs.append(f"forwarded {totals['forwarded']:,}")
    pairs += [f"bytes received {_size(totals['bytes_received'])}", f"bytes delivered {_size(totals['bytes_delivered'])}"]
    return pairs


def buckets(hours: list[dict]) -> tuple[str, list[tuple[str, list[int]]]]:
    """Per hour, or per day when the span is longer than MAX_BUCKETS hours."""
    rows = [(h["hour"], [h[name] for name in HOUR_HEADS]) for h in hours]
    if len(rows) <= MAX_BUCKETS:
        return "hour", rows
    days: dict[str, list[int]] = {}
    for hour, counts in rows:
        day = days.setdefault(hour[:10], [0] * len(HOUR_HEADS))
        for index, value in enumerate(counts):
            day[index] += value
    return "day", list(days.items())


def traffic_tables(summary: Summary) -> list[tuple[str, tuple[str, ...], list[tuple]]]:
    """The traffic as (title, headers, rows) tables, for Markdown and the like."""
    if not has_traffic(summary):
        return []
    traffic = summary.traffic
    tables = [("Traffic totals (Postfix)", ("Figure", "Count"),
               [(name.replace("_", " "), f"{value:,}") for name, value in traffic["totals"].items()])]
    tables.append(("Per recipient domain", ("Domain", *DOMAIN_HEADS), [
        (d["domain"], f"{d['delivered']:,}", f"{d['deferred']:,}", f"{d['bounced']:,}", _seconds(d["delay_avg"]),
         _seconds(d["delay_max"]), _size(d["bytes"])) for d in traffic["domains"]]))
    unit, rows = buckets(traffic["hours"])
    tables.append((f"Traffic per {unit}", (unit.title(), *HOUR_HEADS), [(b, *(f"{n:,}" for n in counts)) for b, counts in rows]))
    for key in ("senders", "recipients"):
        tables.append((f"Top {key}", ("Address", "Messages"), [(a["address"], f"{a['count']:,}") for a in traffic[key]]))
    return tables


def traffic_lines(summary: Summary, width: int) -> list[Line]:
    """The traffic section for people: totals, a domain table, a chart over time, top addresses."""
    if not has_traffic(summary):
        return []
    traffic = summary.traffic
    out = [Line(""), *(Line(text, bold=True) for text in wrap("Traffic (Postfix, counted as pflogsumm does)", width))]
    out += [Line(t) for t in pack(totals_pairs(traffic["totals"]), width)]
    out += _domain_lines(traffic["domains"], traffic["domains_total"], width)
    out += _chart_lines(traffic["hours"], width)
    for key in ("senders", "recipients"):
        entries = traffic[key][:5]
        if entries:
            out += [Line(""), Line(f"Top {key}", bold=True)]
            count_width = max(len(f"{e['count']:,}") for e in entries)
            for e in entries:
                address = printable(e["address"], one_line=True)
                room = width - count_width - 2
                out.append(Line(f"{e['count']:>{count_width},}  " + (address if len(address) <= room else address[: room - 1] + "…")))
    return out


def _domain_lines(domains: list[dict], total: int, width: int) -> list[Line]:
    if not domains:
        return []
    rows = [(printable(d["domain"], one_line=True), f"{d['delivered']:,}", f"{d['deferred']:,}", f"{d['bounced']:,}",
             _seconds(d["delay_avg"]), _seconds(d["delay_max"]), _size(d["bytes"])) for d in domains]
    heads = ("Recipient domain", *DOMAIN_HEADS)
    for count in (7, 6, 4):  # drop bytes, then the delays, when the width is short
        widths = [max(len(heads[i]), *(len(r[i]) for r in rows)) for i in range(count)]
        numbers = sum(widths[1:]) + 2 * (count - 1)
        if numbers + 16 <= width:
            widths[0] = min(widths[0], width - numbers - 2)
            break
    out = [Line(""), Line(f"Per recipient domain ({min(len(rows), total)} of {total:,})", bold=True)]
    out.append(Line("  ".join(h.ljust(w) if i == 0 else h.rjust(w) for i, (h, w) in enumerate(zip(heads, widths))), bold=True))
    for row in rows:
        name = row[0] if len(row[0]) <= widths[0] else row[0][: widths[0] - 1] + "…"
        cells = [name.ljust(widths[0])] + [cell.rjust(w) for cell, w in zip(row[1:count], widths[1:])]
        out.append(Line("  ".join(cells).rstrip()))
    return out


def _chart_lines(hours: list[dict], width: int) -> list[Line]:
    unit, rows = buckets(hours)
    if not rows:
        return []
    totals = [sum(counts) for _, counts in rows]
    largest = max(totals) or 1
    label_width = max(len(label) for label, _ in rows)
    number_width = max(len(f"{t:,}") for t in totals)
    bar_width = max(min(40, width - label_width - number_width - 4), 5)
    heading = f"Traffic per {unit} (received, delivered, deferred, bounced and rejected together)"
    out = [Line(""), *(Line(text, bold=True) for text in wrap(heading, width))]
    for (label, _), total in zip(rows, totals):
        length = round(total / largest * bar_width)
        out.append(Line(f"{label.ljust(label_width)}  {total:>{number_width},} {'#' * length}".rstrip(),
                        bar=(label_width + 3 + number_width, length) if length else None))
    return out
