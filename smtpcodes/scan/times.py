"""Log timestamps: parsing for the time filters, and ISO 8601 for records (syslog's missing year inferred)."""

from __future__ import annotations

import re
from datetime import datetime

from smtpcodes.errors import BadInput

_MONTHS = {m: i for i, m in enumerate(("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1)}
_SYSLOG_TIME = re.compile(r"([A-Z][a-z]{2}) +(\d{1,2}) (\d\d):(\d\d):(\d\d)$")
_ISO_LIKE = re.compile(r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d")
_SYSLOG_MINUTE = re.compile(r"[A-Z][a-z]{2} [ 0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]")


def parse_time(text: str, now: datetime | None = None) -> datetime | None:
    """A log timestamp as the wall-clock time it shows (offsets ignored); syslog's missing year is inferred.

    A syslog time ("Nov 28 09:14:02") takes the year of `now` (the time the scan started), unless that
    puts it more than a day after `now`: then it is last year's (a log read in January that ends in
    December).
    """
    text = text.strip()
    match = _SYSLOG_TIME.match(text)
    if match is not None:
        month = _MONTHS.get(match.group(1))
        if month is None:
            return None
        now = now or datetime.now()
        try:
            stamp = datetime(now.year, month, int(match.group(2)), *map(int, match.group(3, 4, 5)))
        except ValueError:
            if month == 2 and match.group(2) == "29":  # 29 February of last year's leap year
                try:
                    return datetime(now.year - 1, 2, 29, *map(int, match.group(3, 4, 5)))
                except ValueError:
                    return None
            return None
        if (stamp - now).days >= 1:
            if month == 2 and stamp.day == 29:
                return None  # 29 February more than a day ahead: last year had none
            stamp = stamp.replace(year=now.year - 1)
        return stamp
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).replace(tzinfo=None)
    except ValueError:
        pass
    try:
        from email.utils import parsedate_to_datetime

        return parsedate_to_datetime(text).replace(tzinfo=None)
    except (TypeError, ValueError, IndexError):
        return None


def parse_bound(text: str, option: str) -> datetime:
    """A --since/--until value: a date, or a date and time."""
    try:
        return datetime.fromisoformat(text.strip().replace("Z", "+00:00")).replace(tzinfo=None)
    except ValueError:
        raise BadInput("bad_time", option=option, value=text) from None


class Times:
    """Timestamps parsed and converted once per distinct text in a row (log lines come in bursts)."""

    def __init__(self, now: datetime | None):
        self.now = now or datetime.now()
        self._last: tuple[str | None, datetime | None] = (None, None)
        self._iso: tuple[str | None, str | None] = (None, None)
        self._minutes: dict[str, str] = {}  # see _minute

    def parsed(self, text: str | None) -> datetime | None:
        if text is None:
            return None
        if self._last[0] != text:
            self._last = (text, parse_time(text, self.now))
        return self._last[1]

    def iso(self, text: str | None) -> str | None:
        """ISO 8601: as logged when it already is (offset kept), else the wall-clock time parsed."""
        if text is None:
            return None
        if self._iso[0] == text:
            return self._iso[1]
        minute = self._minutes.get(text[:13])
        seconds = text[13:]
        if minute is not None and len(seconds) == 2 and seconds.isascii() and seconds.isdigit() and seconds < "60":
            value = minute + seconds
        elif _ISO_LIKE.match(text):
            value = text[:10] + "T" + text[11:].replace(" ", "")
        else:
            stamp = self.parsed(text)
            value = stamp.isoformat() if stamp is not None else None
            self._minute(text)
        self._iso = (text, value)
        return value

    def _minute(self, text: str) -> None:
        """Remember the ISO form of a syslog time's minute ("Nov 28 09:14:" -> "2026-11-28T09:14:"), when
        its first and last second fall in the same year: the next times of that minute are then
        converted without parsing (a log has a new time every few lines)."""
        if _SYSLOG_MINUTE.fullmatch(text) is None:
            return
        if len(self._minutes) >= 4096:
            self._minutes.clear()
        first, last = parse_time(text[:13] + "00", self.now), parse_time(text[:13] + "59", self.now)
        if first is not None and last is not None and first.year == last.year:
            self._minutes[text[:13]] = first.isoformat()[:17]

    def within(self, text: str | None, since: datetime | None, until: datetime | None) -> bool:
        stamp = self.parsed(text)
        if stamp is None:
            return False
        return (since is None or stamp >= since) and (until is None or stamp <= until)
