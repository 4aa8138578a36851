"""Mail traffic as pflogsumm counts it, from Postfix lines: totals, per recipient domain, per hour, top addresses.

The figures follow pflogsumm's definitions so that a postmaster can compare them: received is
smtpd `client=` and pickup lines; delivered, deferred, bounced and expired are `status=` lines
(deferred counts messages, deferrals counts attempts); rejected is smtpd/postscreen/cleanup
`reject:` and `milter-reject:` (not `reject_warning:`); bytes are qmgr's `size=` for messages received
here, and for each delivery. Joins by queue id stay within one input and remember the last KEEP ids (a message is delivered
minutes after its size is logged), so memory stays bounded; partitions (--jobs, a cluster) keep
what they could not join and `merge` completes it in input order.
"""

from __future__ import annotations

from smtpcodes.scan.logformats import Found, log_delay

TOTALS = ("received", "delivered", "forwarded", "deferred", "deferrals", "bounced", "rejected", "reject_warnings",
          "expired", "bytes_received", "bytes_delivered")
HOUR_COLUMNS = ("received", "delivered", "deferred", "bounced", "rejected")
KEEP = 20_000
# A domain's row: delivered, bytes delivered, deferrals, bounced, sum of delivery delays, largest delay.
DELIVERED, BYTES, DEFERRALS, BOUNCED, DELAY_SUM, DELAY_MAX = range(6)


def hour_of(timestamp: str | None) -> str | None:
    """The hour a log timestamp falls in, as the start of the timestamp ("Nov 28 09", "2026-11-28T09")."""
    if not timestamp:
        return None
    return timestamp[:9] if timestamp[0].isalpha() else timestamp[:13]


def _qid(line: str, end: int) -> str:
    start = line.rfind(": ", 0, end) + 2
    return line[start:end]


def _address(address: str) -> str:
    """pflogsumm's form of an address: the domain lower-cased, the local part kept."""
    local, at, domain = address.rpartition("@")
    return f"{local}@{domain.lower()}" if at else address


def _bump(table: dict, key: str, width: int, column: int) -> list:
    row = table.get(key)
    if row is None:
        row = table[key] = [0] * width
    row[column] += 1
    return row


class Recent:
    """The queue ids seen lately, in two generations of up to KEEP each: old ids age out together,
    at constant cost (dropping the oldest key one by one makes a dict slow to iterate)."""

    __slots__ = ("young", "old")

    def __init__(self) -> None:
        self.young: dict = {}
        self.old: dict = {}

    def __contains__(self, key: str) -> bool:
        return key in self.young or key in self.old

    def __len__(self) -> int:
        return len(self.young) + len(self.old)

    def get(self, key: str, default=None):
        value = self.young.get(key, self)
        if value is self:
            value = self.old.get(key, default)
        return value

    def pop(self, key: str, default=None):
        value = self.young.pop(key, self)
        if value is self:
            value = self.old.pop(key, default)
        return value

    def items(self):
        yield from self.old.items()
        yield from self.young.items()

    def __iter__(self):
        yield from self.old
        yield from self.young


def _remember(table: Recent, key: str, value) -> None:
    if len(table.young) >= KEEP:
        table.old, table.young = table.young, {}
    table.young[key] = value


TOP_KEEP = 5_000  # distinct senders (and recipients) counted exactly; beyond, the most frequent are kept


def _tally(counter: dict[str, int], key: str, by: int = 1) -> None:
    counter[key] = counter.get(key, 0) + by
    if len(counter) > 2 * TOP_KEEP:
        kept = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_KEEP]
        counter.clear()
        counter.update(kept)


class Traffic:
    """Adds up Postfix traffic line by line; `merge` adds a later partition's."""

    def __init__(self) -> None:
        self.totals = dict.fromkeys(TOTALS, 0)
        self.hours: dict[str, list[int]] = {}
        self.domains: dict[str, list] = {}
        self.senders: dict[str, int] = {}
        self.recipients: dict[str, int] = {}
        self.sizes = Recent()  # queue id -> size, first logged
        self.arrived = Recent()  # queue ids received here whose size is not yet logged
        self.deferred_ids = Recent()
        # What a partition could not join by itself, in input order, for `merge`.
        self.unsized: list[tuple[str, str, str]] = []  # deliveries (queue id, domain, address) without a size
        self.orphan_sizes: list[tuple[str, int, str]] = []  # sizes (queue id, size, sender) of ids not seen arriving
        self.first_deferrals: list[str] = []  # queue ids whose first deferral in this partition counted
        self.file: str | None = None  # the input being read: queue ids are joined within one input only

    def start(self, name: str) -> None:
        """A new input begins: its queue ids are another server's (or another day's)."""
        if name != self.file:
            self.file = name
            self.sizes, self.arrived, self.deferred_ids = Recent(), Recent(), Recent()

    def line(self, line: str) -> None:
        """A Postfix line that quotes no reply: arrivals (client=, pickup) and qmgr's size=."""
        at = line.find(": client=")
        if at > 0 and ("/smtpd[" in line or "/postscreen[" in line):
            self._arrival(line, _qid(line, at))
            return
        if " size=" in line:
            at = line.find(": from=<")
            if at > 0:
                end = line.find(">, size=", at)
                if end > 0:
                    size_end = line.find(",", end + 8)
                    try:
                        size = int(line[end + 8:size_end if size_end > 0 else None])
                    except ValueError:
                        return
                    self._size(_qid(line, at), size, line[at + 8:end])
            return
        if "/pickup[" in line and (": sender=" in line or ": uid=" in line):
            self._arrival(line, _qid(line, line.find(": ", line.find("]: ") + 3)))

    def _arrival(self, line: str, qid: str) -> None:
        self.totals["received"] += 1
        _bump(self.hours, hour_of(line[:15]), 5, 0)
        _remember(self.arrived, qid, True)

    def _size(self, qid: str, size: int, sender: str) -> None:
        if qid in self.sizes:
            return  # pflogsumm counts a message's size once
        _remember(self.sizes, qid, size)
        if self.arrived.pop(qid, None):
            self._received_bytes(size, sender)
        else:
            self.orphan_sizes.append((qid, size, sender))
            if len(self.orphan_sizes) > KEEP:
                del self.orphan_sizes[: KEEP // 2]

    def _received_bytes(self, size: int, sender: str) -> None:
        self.totals["bytes_received"] += size
        sender = _address(sender) if sender else "from=<>"
        _tally(self.senders, sender)

    def found(self, found: Found) -> None:
        """A Postfix status or reject line (found by the log formats)."""
        # Unpacked once, the helpers written out: this runs for every Postfix reply of a big scan.
        _, text, _, status, _, timestamp, recipient, _, qid, _, _, _, _, program, direction, line = found
        if status is None:
            return
        totals = self.totals
        if direction == "incoming":
            if program and program.endswith(("/smtpd", "/postscreen", "/cleanup")):
                # pflogsumm's hourly "rejected" column includes reject warnings; its totals do not.
                totals["rejected" if status == "rejected" else "reject_warnings"] += 1
                _bump(self.hours, hour_of(timestamp), 5, 4)
            return
        if status == "expired":
            totals["expired"] += 1
            return
        local, at, domain = (recipient or "").rpartition("@")  # _address, and the domain of its result
        if at:
            domain = domain.lower()
            address = f"{local}@{domain}"
        else:
            address = domain
        if status == "delivered":
            if text and "forwarded as " in text:
                totals["forwarded"] += 1
                return
            totals["delivered"] += 1
            _bump(self.hours, hour_of(timestamp), 5, 1)
            row = self.domains.get(domain)
            if row is None:
                row = self.domains[domain] = [0] * 6
            row[DELIVERED] += 1
            at = line.find(" delay=") if line is not None else -1  # log_delay
            delay = _seconds(line[at + 7:line.find(",", at)]) if at > 0 else 0.0
            row[DELAY_SUM] += delay
            if delay > row[DELAY_MAX]:
                row[DELAY_MAX] = delay
            recipients = self.recipients
            recipients[address] = recipients.get(address, 0) + 1
            if len(recipients) > 2 * TOP_KEEP:
                _tally(recipients, address, 0)
            sizes = self.sizes
            size = sizes.young.get(qid or "")
            if size is None:
                size = sizes.old.get(qid or "")
            if size is not None:
                totals["bytes_delivered"] += size
                row[BYTES] += size
            else:
                self.unsized.append((qid or "", domain, address))
                if len(self.unsized) > KEEP:
                    del self.unsized[: KEEP // 2]
        elif status == "deferred":
            totals["deferrals"] += 1
            _bump(self.hours, hour_of(timestamp), 5, 2)
            qid = qid or ""
            if qid not in self.deferred_ids:
                totals["deferred"] += 1
                self.first_deferrals.append(qid)
                if len(self.first_deferrals) > KEEP:
                    del self.first_deferrals[: KEEP // 2]
            _remember(self.deferred_ids, qid, True)
            row = _bump(self.domains, domain, 6, DEFERRALS)
            delay = _seconds(log_delay(found))
            if delay > row[DELAY_MAX]:
                row[DELAY_MAX] = delay
        elif status == "bounced":
            totals["bounced"] += 1
            _bump(self.hours, hour_of(timestamp), 5, 3)
            _bump(self.domains, domain, 6, BOUNCED)

    def merge(self, later: Traffic) -> None:
        """Add the traffic of the partition that follows this one in the input."""
        self.start(later.file)  # joins reach back only within the same input
        for qid in later.first_deferrals:
            if qid in self.deferred_ids:
                later.totals["deferred"] -= 1
        for name, value in later.totals.items():
            self.totals[name] += value
        for hour, counts in later.hours.items():
            mine = self.hours.setdefault(hour, [0] * 5)
            for index, value in enumerate(counts):
                mine[index] += value
        for domain, row in later.domains.items():
            mine = self.domains.setdefault(domain, [0] * 6)
            for index in range(5):
                mine[index] += row[index]
            mine[DELAY_MAX] = max(mine[DELAY_MAX], row[DELAY_MAX])
        for table, theirs in ((self.senders, later.senders), (self.recipients, later.recipients)):
            for key, value in theirs.items():
                _tally(table, key, value)
        # Joins across the boundary: sizes and arrivals logged in earlier partitions.
        for qid, domain, _ in later.unsized:
            size = self.sizes.get(qid)
            if size is not None:
                self.totals["bytes_delivered"] += size
                self.domains[domain][BYTES] += size
        for qid, size, sender in later.orphan_sizes:
            if qid not in self.sizes and self.arrived.pop(qid, None):
                self._received_bytes(size, sender)
        for qid, size in later.sizes.items():
            if qid not in self.sizes:
                _remember(self.sizes, qid, size)
        for qid in later.arrived:
            _remember(self.arrived, qid, True)
        for qid in later.deferred_ids:
            _remember(self.deferred_ids, qid, True)


def _seconds(delay: str | None) -> float:
    if not delay:
        return 0.0
    try:
        return float(delay)
    except ValueError:
        return 0.0
