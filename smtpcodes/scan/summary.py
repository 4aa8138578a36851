"""The scan summary: records added up by direction, code and reason, plus Postfix traffic; plain data.

Partial summaries (one per --jobs chunk or cluster partition) merge exactly: everything is a sum,
and a group's example is that of its first record in input order.
"""

from datetime import datetime
from typing import TYPE_CHECKING, Iterable, NamedTuple

from smtpcodes.scan.logformats import OUTCOMES
from smtpcodes.scan.memo import Explained
from smtpcodes.scan.records import Record
from smtpcodes.scan.times import parse_time
from smtpcodes.scan.traffic import BOUNCED, BYTES, DEFERRALS, DELAY_MAX, DELAY_SUM, DELIVERED, HOUR_COLUMNS, Traffic

if TYPE_CHECKING:
    from smtpcodes.explain.analysis import Analysis
    from smtpcodes.explain.replies import Reply

MIXED = "mixed"
DIRECTIONS = ("incoming", "outgoing", None)


class Group(NamedTuple):
    """Replies with the same direction, basic code, enhanced code and reason."""

    code: str
    enhanced: str | None
    reason: str | None
    reason_title: str | None
    klass: int | None
    count: int
    share: float
    retryable: bool | None
    bounce: str | None
    provider: str | None  # the provider of most of the group's records, "mixed", or None
    example: str
    domains: tuple[tuple[str, int], ...]
    direction: str | None = None


class Summary(NamedTuple):
    """What a scan found, aggregated: plain data for the renderers and for JSON."""

    files: int
    lines_read: int
    lines_skipped: int
    lines_truncated: int
    replies_found: int
    replies_matched: int
    outcomes: dict[str, int]
    without_reply: dict[str, int]
    groups: tuple[Group, ...]
    groups_total: int
    reasons: tuple[tuple[str, str, int], ...]
    directions: dict[str, int] | None = None
    traffic: dict | None = None


class Aggregator:
    """Adds up records as they stream past, in memory bounded by MAX_GROUPS and MAX_DOMAINS."""

    MAX_GROUPS = 2000
    MAX_DOMAINS = 200
    EXAMPLE = 160

    def __init__(self) -> None:
        self.outcomes = dict.fromkeys(OUTCOMES, 0)
        self.groups: dict[tuple, list] = {}
        self.reasons: dict[str | None, list] = {}
        self.directions: dict[str, int] = {"incoming": 0, "outgoing": 0, "unknown": 0}

    def add(self, record: Record) -> None:
        # add_hits is the one adder: given the record as a hit (the Found fields it reads, and the analysis).
        found = (None,) * 6 + (record.source.recipient,) + (None,) * 7 + (record.direction, None)
        self.add_hits(((None, found, record.analysis.reply, Explained(record.analysis), record.outcome),))

    def add_hits(self, hits: Iterable[tuple]) -> None:
        """Add the record of each of a scan's hits (scanner.Scanner.hits), without making the records."""
        # Written out in one loop: it runs for every record of a big scan.
        outcomes, directions, groups, reasons = self.outcomes, self.directions, self.groups, self.reasons
        for _, found, reply, explained, outcome in hits:
            direction, recipient = found[14], found[6]
            analysis = explained.analysis  # the record's analysis but for its reply
            reason = analysis.reason
            outcomes[outcome] += 1
            directions[direction or "unknown"] += 1
            key = (direction, reply[0], reply[1], reason)
            group = groups.get(key)
            if group is None:
                group = self._group(key, analysis, reply)
            group[0] += 1
            provider = analysis.provider
            provider = provider.name if provider else None
            providers = group[2]
            providers[provider] = providers.get(provider, 0) + 1
            if recipient and "@" in recipient:
                domain = recipient.rpartition("@")[2].rstrip(">").lower()  # records.recipient_domain
                if domain:
                    _count(group[4], domain, self.MAX_DOMAINS)
            if reason is not None:
                entry = reasons.get(reason)
                if entry is None:
                    entry = reasons[reason] = [analysis.reason_title, 0]
                entry[1] += 1

    def _group(self, key: tuple, analysis: "Analysis", reply: "Reply") -> list:
        """The group a record with this key starts: the catch-all one past MAX_GROUPS."""
        if len(self.groups) >= self.MAX_GROUPS:
            key = (None, "other", None, None)
            group = self.groups.get(key)
            if group is not None:
                return group
        text = reply.text
        example = text if len(text) <= self.EXAMPLE else text[: self.EXAMPLE - 1] + "…"
        # What the summary shows of the group's verdict: plain values, cheap to send between processes.
        verdict = ((analysis.basic or analysis.enhanced).code_class.digit, analysis.reason_title,
                   analysis.retryable, analysis.bounce)
        group = self.groups[key] = [0, verdict, {}, example, {}]
        return group

    def merge(self, later: "Aggregator") -> None:
        """Add the aggregate of the records that follow this one's in the input."""
        for name, value in later.outcomes.items():
            self.outcomes[name] += value
        for name, value in later.directions.items():
            self.directions[name] += value
        for key, (count, verdict, providers, example, domains) in later.groups.items():
            group = self.groups.get(key)
            if group is None and len(self.groups) >= self.MAX_GROUPS:
                key = (None, "other", None, None)
                group = self.groups.get(key)
            if group is None:
                self.groups[key] = [count, verdict, dict(providers), example, dict(domains)]
                continue
            group[0] += count
            for name, value in providers.items():
                group[2][name] = group[2].get(name, 0) + value
            for domain, value in domains.items():
                _count(group[4], domain, self.MAX_DOMAINS, value)
        for reason, (title, count) in later.reasons.items():
            entry = self.reasons.setdefault(reason, [title, 0])
            entry[1] += count

    def summary(self, counts, top: int | None = None, traffic: Traffic | None = None,
                now: datetime | None = None, top_addresses: int = 10) -> Summary:
        total = sum(group[0] for group in self.groups.values())
        ordered = sorted(
            self.groups.items(),
            key=lambda item: (-item[1][0], item[0][1] or "", item[0][2] or "", item[0][3] or "", item[0][0] or ""),
        )
        groups = []
        for (direction, code, enhanced, reason), (count, verdict, providers, example, domains) in ordered[:top]:
            klass, title, retryable, bounce = verdict
            if code == "other":
                klass, title = None, "more kinds than the summary keeps"
            top_domains = tuple(sorted(domains.items(), key=lambda kv: (-kv[1], kv[0]))[:3])
            groups.append(Group(
                code, enhanced, reason, title, klass, count, count / total if total else 0.0, retryable, bounce,
                majority(providers, count), example, top_domains, direction,
            ))
        reasons = tuple(sorted(((r, title, n) for r, (title, n) in self.reasons.items()), key=lambda x: (-x[2], x[0])))
        return Summary(
            counts.files, counts.lines, counts.lines_skipped, counts.truncated, counts.replies, counts.matched,
            dict(self.outcomes), dict(counts.without_reply), tuple(groups), len(self.groups), reasons,
            dict(self.directions), traffic_data(traffic, now, top_addresses) if traffic is not None else None,
        )


def majority(providers: dict[str | None, int], count: int) -> str | None:
    """The provider of more than half the records; "mixed" when recognised providers share them."""
    name, most = max(providers.items(), key=lambda kv: (kv[1], kv[0] or ""))
    if most * 2 > count:
        return name
    return MIXED if any(key is not None for key in providers) else None


def _count(counter: dict[str, int], key: str, limit: int, by: int = 1) -> None:
    counter[key] = counter.get(key, 0) + by
    if len(counter) > limit * 2:
        # Keep the most frequent half: the few domains that matter stay, the long tail goes.
        kept = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
        counter.clear()
        counter.update(kept)


def traffic_data(traffic: Traffic, now: datetime | None, top: int) -> dict:
    """The traffic figures as plain data, ordered for people (most first, hours in time order)."""
    hours = []
    for hour, counts in traffic.hours.items():
        if hour is None:
            continue
        stamp = parse_time(hour + ":00:00", now) if hour[0].isalpha() else parse_time(hour + ":00:00")
        hours.append(((stamp.isoformat(timespec="hours") if stamp else hour), counts))
    hours.sort()
    domains = sorted(traffic.domains.items(), key=lambda kv: (-(kv[1][DELIVERED] + kv[1][DEFERRALS] + kv[1][BOUNCED]), kv[0]))
    return {
        "totals": dict(traffic.totals),
        "domains": [
            {
                "domain": domain, "delivered": row[DELIVERED], "bytes": row[BYTES], "deferred": row[DEFERRALS],
                "bounced": row[BOUNCED], "delay_avg": round(row[DELAY_SUM] / row[DELIVERED], 1) if row[DELIVERED] else None,
                "delay_max": round(row[DELAY_MAX], 1),
            }
            for domain, row in domains[:top]
        ],
        "domains_total": len(domains),
        "hours": [{"hour": hour, **dict(zip(HOUR_COLUMNS, counts))} for hour, counts in hours],
        "senders": [{"address": a, "count": n} for a, n in _top(traffic.senders, top)],
        "recipients": [{"address": a, "count": n} for a, n in _top(traffic.recipients, top)],
    }


def _top(counter: dict[str, int], limit: int) -> list[tuple[str, int]]:
    return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]


def summary_object(summary: Summary) -> dict:
    """The summary's JSON document (`scan --summary --json`)."""
    document = {
        "kind": "scan-summary",
        "files": summary.files,
        "lines_read": summary.lines_read,
        "lines_skipped": summary.lines_skipped,
        "lines_truncated": summary.lines_truncated,
        "replies_found": summary.replies_found,
        "replies_matched": summary.replies_matched,
        "outcomes": summary.outcomes,
        "directions": summary.directions,
        "statuses_without_reply": summary.without_reply,
        "groups": [
            {
                "direction": g.direction, "code": g.code, "enhanced": g.enhanced, "reason": g.reason,
                "reason_title": g.reason_title, "class": g.klass, "count": g.count, "share": round(g.share, 4),
                "retryable": g.retryable, "bounce": g.bounce, "provider": g.provider, "example": g.example,
                "domains": [{"domain": d, "count": n} for d, n in g.domains],
            }
            for g in summary.groups
        ],
        "groups_total": summary.groups_total,
        "reasons": [{"reason": r, "title": t, "count": n} for r, t, n in summary.reasons],
    }
    if summary.traffic is not None:
        document["traffic"] = summary.traffic
    return document
