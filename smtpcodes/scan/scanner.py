"""Find and explain every SMTP reply in logs, bounces and transcripts, streaming with constant memory.

Inputs are read in blocks of 1 MiB, so memory does not grow with the input; a line longer than
MAX_LINE is cut there (and counted). Where the reply is on a line is logformats.py's business; the
reply itself is parsed by replies.parse_reply and explained by the catalogue's Analyser, as `explain`
does, with one difference made for speed: identical replies are explained once. Replies differ in
their identifiers (queue ids, message ids, addresses, IP addresses), so the explanation is computed
from the reply with those masked (`mask`), for every reply alike: the explanation of a reply is a
function of its masked text and stage only. The record keeps the exact reply text.
"""

from __future__ import annotations

import gzip
import io
import os
import re
import zlib
from datetime import datetime
from json.encoder import encode_basestring_ascii as _quote
from typing import IO, Callable, Iterable, Iterator, NamedTuple

from smtpcodes.explain.analysis import Analyser, Analysis, analyser_for
from smtpcodes.errors import BadInput, InputFileError
from smtpcodes.scan.logformats import OUTCOMES, Found, LineReader, Outcome
from smtpcodes.explain.replies import parse_reply

BLOCK = 1 << 20
MAX_LINE = 32 * 1024
STDIN = "-"
STDIN_NAME = "<stdin>"

# Identifiers that differ from one reply to the next and that no reason or provider is named by:
# ids of ten or more letters, digits and hyphens with at least one letter and one digit (queue ids,
# message ids, one label of a cluster's host name) with any ".123" after them, runs of ten or more
# digits (timestamps, internal ids), IPv4 addresses, and the local part of an address in angle
# brackets. Short vendor codes such as "HT204137" or "[TSS04]" stay. None of the masks can hold a
# reply code, an enhanced code or a stage phrase (an id that starts like "550-" is left alone), and
# Scanner._record checks for every reply that the masked text parses to the same codes and stage.
_MASK_IDS = re.compile(
    r"(?<![\w.-])(?:(?![1-5]\d\d-)(?=[\w-]*\d)(?=[\w-]*[A-Za-z])[A-Za-z0-9][A-Za-z0-9-]{8,}[A-Za-z0-9](?:\.\d+(?![\w.]))?"
    r"|\d{10,}|\d{1,3}(?:\.\d{1,3}){3})(?![\w-])(?!\.\d)"
)
_MASK_LOCAL = re.compile(r"<[A-Za-z_][\w+-]*(?:\.[A-Za-z_][\w+-]*)*@")
MASK = "*"


def mask(text: str) -> str:
    """`text` with per-message identifiers replaced by MASK."""
    text = _MASK_IDS.sub(MASK, text)
    return _MASK_LOCAL.sub("<" + MASK + "@", text) if "@" in text else text


class Source(NamedTuple):
    """Where a reply was found, and what the line said about the message."""

    file: str
    line: int
    timestamp: str | None
    recipient: str | None
    sender: str | None
    queue_id: str | None


class Record(NamedTuple):
    """One reply found: its explanation, where it was, and what happened to the message."""

    analysis: Analysis
    source: Source
    outcome: Outcome
    family: str  # postfix, sendmail, exim, exchange, dsn, transcript or text


class Counts:
    """What the scan read, so that no line goes uncounted."""

    def __init__(self) -> None:
        self.files = 0
        self.lines = 0
        self.lines_used = 0  # lines that held (part of) a reply
        self.truncated = 0
        self.replies = 0
        self.matched = 0
        self.without_reply = dict.fromkeys(OUTCOMES, 0)  # log statuses that quote no SMTP reply

    @property
    def lines_skipped(self) -> int:
        return self.lines - self.lines_used


class Filters(NamedTuple):
    """Which records to keep."""

    klass: int | None = None
    reason: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    now: datetime | None = None  # decides the year of syslog times, which have none


class _Explained:
    """One masked reply explained once, with its JSON pieces built on first use."""

    __slots__ = ("analysis", "json")

    def __init__(self, analysis: Analysis):
        self.analysis = analysis
        self.json: tuple[str, ...] | None = None


class Scanner:
    """Turns inputs into records; counts what it read in `counts`."""

    CACHE = 8192  # explanations kept (about 1 KiB each: the JSON pieces are shared)
    PIECES = 1024  # JSON pieces kept (a few KiB each: they hold both code objects)

    def __init__(self, catalogue, filters: Filters = Filters()):
        self.analyser: Analyser = analyser_for(catalogue)
        self.filters = filters
        self.counts = Counts()
        self._explained: dict[tuple[str, str | None], _Explained] = {}
        self._shared_pieces: dict[tuple, tuple[str, str]] = {}
        self._filtering = any(value is not None for value in filters[:4])
        self._times = _Times(filters.now)
        if filters.reason is not None and filters.reason not in catalogue.reasons:
            raise BadInput(f"--reason {filters.reason!r} is not a reason: use one of {', '.join(catalogue.reasons)}")

    def records(self, paths: Iterable[str], *, stdin: IO[bytes] | None = None,
                progress: Callable[[int], None] | None = None) -> Iterator[Record]:
        """The records of every input, in order, that pass the filters."""
        for record, _ in self._scan(paths, stdin, progress):
            yield record

    def json_lines(self, paths: Iterable[str], *, stdin: IO[bytes] | None = None,
                   progress: Callable[[int], None] | None = None) -> Iterator[str]:
        """Each record as a newline-terminated line of JSON: `explain --json`'s reply object plus "source"."""
        for record, explained in self._scan(paths, stdin, progress):
            pieces = explained.json
            if pieces is None:
                pieces = explained.json = self._pieces(explained.analysis)
            yield "".join((pieces[0], _reply_json(record.analysis.reply), pieces[1], _source_json(record.source), "}\n"))

    def _scan(self, paths, stdin, progress) -> Iterator[tuple[Record, _Explained]]:
        done = 0  # bytes of the inputs before this one, so that progress counts across files
        for path in paths:
            name = STDIN_NAME if path == STDIN else path
            with open_input(path, stdin) as (stream, position):
                self.counts.files += 1
                here = (lambda: done + position()) if progress else position
                yield from self._scan_stream(name, stream, here, progress)
                done += position()

    def _scan_stream(self, name, stream, position, progress) -> Iterator[tuple[Record, _Explained]]:
        reader = LineReader()
        record = self._record
        counts = self.counts
        number = 0  # lines of this input before the block
        try:
            for lines in read_blocks(stream, counts):
                for found in reader.read(lines, number):
                    pair = record(name, found)
                    if pair is not None:
                        yield pair
                number += len(lines)
                counts.lines += len(lines)
                if progress is not None:
                    progress(position())
            closing = reader.finish()
            if closing is not None:
                pair = record(name, closing)
                if pair is not None:
                    yield pair
        except (OSError, EOFError, zlib.error) as exc:
            raise InputFileError(f"{name}: {_reason(exc)}") from None

    def _record(self, name: str, found: Found) -> tuple[Record, _Explained] | None:
        counts = self.counts
        text = found.text
        try:
            reply = parse_reply(text, found.stage) if text is not None else None
        except BadInput:
            reply = None
        if (reply is None or reply.code is None) and found.dsn:
            # The log gives its own enhanced status but quotes no reply (Sendmail "dsn=5.1.1,
            # stat=User unknown", a Postfix timeout): explain that status with the log's words,
            # as `explain "5.1.1 User unknown"` does.
            text = f"{found.dsn} {text or ''}".rstrip()
            reply = parse_reply(text, found.stage)
        if reply is None or (reply.code is None and reply.enhanced is None):
            counts.without_reply[found.status or "other"] += 1
            return None
        counts.replies += 1
        counts.lines_used += found.span
        key = (mask(text), found.stage)
        explained = self._explained.get(key) or self._explain(key)
        analysis = explained.analysis
        masked = analysis.reply
        if masked.code != reply.code or masked.enhanced != reply.enhanced or masked.stage != reply.stage:
            # The masked text parsed differently (it cannot for the masks above); explain it as it is.
            explained = _Explained(self.analyser.analyse_reply(reply, text))
            analysis = explained.analysis
        digit = (analysis.basic or analysis.enhanced).code_class.digit
        if self._filtering and not self._wanted(analysis, digit, found.timestamp):
            return None
        counts.matched += 1
        outcome = found.status or (found.failure if digit == 5 else "deferred" if digit == 4 else "other")
        source = Source(name, found.line, found.timestamp, found.recipient, found.sender, found.queue_id)
        return Record(Analysis._make((reply, *analysis[1:])), source, outcome, found.family), explained

    def _wanted(self, analysis: Analysis, digit: int | None, timestamp: str | None) -> bool:
        filters = self.filters
        if filters.klass is not None and digit != filters.klass:
            return False
        if filters.reason is not None and analysis.reason != filters.reason:
            return False
        return not (filters.since or filters.until) or self._times.within(timestamp, filters.since, filters.until)

    def _explain(self, key: tuple[str, str | None]) -> _Explained:
        if len(self._explained) >= self.CACHE:
            self._explained.clear()  # simpler than LRU; the replies that recur come back at once
        explained = self._explained[key] = _Explained(self.analyser.analyse(*key))
        return explained

    def _pieces(self, analysis: Analysis) -> tuple[str, str]:
        """Explanations that differ only in their reply share their JSON pieces (and their memory)."""
        provider = analysis.provider
        key = (analysis.reply.code, analysis.reply.enhanced, analysis.reason,
               analysis.evidence, analysis.retryable, analysis.bounce, provider.id if provider else None,
               analysis.stage, analysis.diagnosis, analysis.fix, analysis.warnings)
        pieces = self._shared_pieces.get(key)
        if pieces is None:
            if len(self._shared_pieces) >= self.PIECES:
                self._shared_pieces.clear()
            pieces = self._shared_pieces[key] = _json_pieces(analysis)
        return pieces


_PLACE = "\x00reply\x00"


def _json_pieces(analysis: Analysis) -> tuple[str, str]:
    """The reply object's JSON cut where the reply goes, so that field order follows jsonout."""
    from smtpcodes.output.jsonout import analysis_object, dumps

    document = analysis_object(analysis)
    document["reply"] = _PLACE
    before, _, after = dumps(document, lines=True).partition(dumps(_PLACE))
    if not after.endswith("}"):
        raise AssertionError("the reply object is not a JSON object")
    return before, after[:-1] + ',"source":'


def _string(value: str | None) -> str:
    return "null" if value is None else _quote(value)


def _reply_json(reply) -> str:
    lines = ",".join([_quote(line) for line in reply.lines])
    return f'{{"code":{_string(reply.code)},"enhanced":{_string(reply.enhanced)},"text":{_quote(reply.text)},"lines":[{lines}]}}'


def _source_json(source: Source) -> str:
    return (
        f'{{"file":{_quote(source.file)},"line":{source.line},"timestamp":{_string(source.timestamp)},'
        f'"recipient":{_string(source.recipient)},"sender":{_string(source.sender)},"queue_id":{_string(source.queue_id)}}}'
    )


def source_object(source: Source) -> dict:
    """The "source" member of a record's JSON."""
    return source._asdict()


# --- reading -------------------------------------------------------------------------------------


def check_inputs(paths: Iterable[str]) -> None:
    """Fail before any output when an input is missing, a directory or unreadable."""
    if list(paths).count(STDIN) > 1:
        raise BadInput("- (stdin) can be read only once")
    for path in paths:
        if path == STDIN:
            continue
        if os.path.isdir(path):
            raise InputFileError(f"{path}: is a directory, not a file")
        if not os.path.exists(path):
            raise InputFileError(f"{path}: no such file")
        if not os.access(path, os.R_OK):
            raise InputFileError(f"{path}: permission denied")


class open_input:
    """A binary stream of an input, decompressed when it is gzip, and a function giving bytes read so far."""

    def __init__(self, path: str, stdin: IO[bytes] | None = None):
        self.path = path
        self.stdin = stdin
        self.raw: IO[bytes] | None = None
        self.wrapper: io.BufferedReader | None = None

    def __enter__(self) -> tuple[IO[bytes], Callable[[], int]]:
        name = STDIN_NAME if self.path == STDIN else self.path
        try:
            if self.path == STDIN:
                import sys

                raw = self.stdin or sys.stdin.buffer
                if not hasattr(raw, "peek"):  # a test's BytesIO: gzip detection needs to peek
                    raw = self.wrapper = io.BufferedReader(raw)
            else:
                raw = self.raw = open(self.path, "rb")
            head = raw.peek(2)[:2] if hasattr(raw, "peek") else b""
        except OSError as exc:
            raise InputFileError(f"{name}: {_reason(exc)}") from None
        if head == b"\x1f\x8b":
            stream = gzip.GzipFile(fileobj=raw, mode="rb")
        else:
            stream = raw
        return stream, (lambda: raw.tell()) if raw.seekable() else (lambda: 0)

    def __exit__(self, *exc_info) -> None:
        if self.raw is not None:
            self.raw.close()
        if self.wrapper is not None:
            self.wrapper.detach()  # stdin is the caller's to close


def read_blocks(stream: IO[bytes], counts: Counts) -> Iterator[list[str]]:
    """The stream's lines, a block at a time, decoded (bad UTF-8 replaced) and cut to MAX_LINE."""
    carry = b""
    dropping = False  # inside a line already cut at MAX_LINE: skip to its end
    while True:
        chunk = stream.read(BLOCK)
        if not chunk:
            break
        if dropping:
            end = chunk.find(b"\n")
            if end < 0:
                continue
            # The cut line ends here: what was kept of it becomes a line of its own.
            chunk, dropping = b"\n" + chunk[end + 1:], False
        data = carry + chunk if carry else chunk
        cut = data.rfind(b"\n")
        if cut < 0:
            carry = data
            if len(carry) > MAX_LINE:
                carry, dropping = carry[:MAX_LINE], True
                counts.truncated += 1
            continue
        carry = data[cut + 1:]
        if len(carry) > MAX_LINE:
            carry, dropping = carry[:MAX_LINE], True
            counts.truncated += 1
        text = data[:cut].decode("utf-8", "replace")
        if "\r" in text:
            text = text.replace("\r\n", "\n")
        lines = text.split("\n")
        if cut > MAX_LINE and max(map(len, lines)) > MAX_LINE:
            lines = _cut_long(lines, counts)
        yield lines
    if carry:
        yield _cut_long([carry.decode("utf-8", "replace").rstrip("\r")], counts)


def _cut_long(lines: list[str], counts: Counts) -> list[str]:
    for index, line in enumerate(lines):
        if len(line) > MAX_LINE:
            lines[index] = line[:MAX_LINE]
            counts.truncated += 1
    return lines


def _reason(exc: BaseException) -> str:
    if isinstance(exc, (EOFError, zlib.error, gzip.BadGzipFile)):
        return f"not a valid gzip file ({exc})"
    return (exc.strerror or str(exc)).lower() if isinstance(exc, OSError) and exc.strerror else str(exc)


# --- times ---------------------------------------------------------------------------------------

_MONTHS = {m: i for i, m in enumerate(("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1)}
_SYSLOG_TIME = re.compile(r"([A-Z][a-z]{2}) +(\d{1,2}) (\d\d):(\d\d):(\d\d)$")


def parse_time(text: str, now: datetime | None = None) -> datetime | None:
    """A log timestamp as the wall-clock time it shows (offsets ignored); syslog's missing year is guessed."""
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
            return None
        # A log read in January may end in December: a time more than a day ahead is last year's.
        if (stamp - now).days >= 1:
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
        raise BadInput(f"{option} {text!r} is not a date or time: use e.g. 2026-11-29 or 2026-11-29T14:30") from None


class _Times:
    """Parses each distinct timestamp once in a row (log lines come in bursts of the same second)."""

    def __init__(self, now: datetime | None):
        self.now = now
        self.last: tuple[str | None, datetime | None] = (None, None)

    def within(self, text: str | None, since: datetime | None, until: datetime | None) -> bool:
        if text is None:
            return False
        if self.last[0] != text:
            self.last = (text, parse_time(text, self.now))
        stamp = self.last[1]
        if stamp is None:
            return False
        return (since is None or stamp >= since) and (until is None or stamp <= until)


# --- summary -------------------------------------------------------------------------------------


class Group(NamedTuple):
    """Replies with the same basic code, enhanced code and reason."""

    code: str
    enhanced: str | None
    reason: str | None
    reason_title: str | None
    klass: int | None
    count: int
    share: float
    retryable: bool | None
    bounce: str | None
    provider: str | None
    example: str
    domains: tuple[tuple[str, int], ...]


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


class Aggregator:
    """Adds up records as they stream past, in memory bounded by MAX_GROUPS and MAX_DOMAINS."""

    MAX_GROUPS = 2000
    MAX_DOMAINS = 200
    EXAMPLE = 160

    def __init__(self) -> None:
        self.outcomes = dict.fromkeys(OUTCOMES, 0)
        self.groups: dict[tuple, list] = {}
        self.reasons: dict[str | None, list] = {}

    def add(self, record: Record) -> None:
        analysis = record.analysis
        reply = analysis.reply
        self.outcomes[record.outcome] += 1
        key = (reply.code, reply.enhanced, analysis.reason)
        group = self.groups.get(key)
        if group is None:
            if len(self.groups) >= self.MAX_GROUPS:
                key = ("other", None, None)
                group = self.groups.get(key)
            if group is None:
                provider = analysis.provider.name if analysis.provider else None
                example = reply.text if len(reply.text) <= self.EXAMPLE else reply.text[: self.EXAMPLE - 1] + "…"
                group = self.groups[key] = [0, analysis, provider, example, {}]
        group[0] += 1
        recipient = record.source.recipient
        if recipient and "@" in recipient:
            _count(group[4], recipient.rpartition("@")[2].lower().rstrip(">"), self.MAX_DOMAINS)
        if analysis.reason is not None:
            entry = self.reasons.get(analysis.reason)
            if entry is None:
                entry = self.reasons[analysis.reason] = [analysis.reason_title, 0]
            entry[1] += 1

    def summary(self, counts: Counts, top: int | None = None) -> Summary:
        total = sum(group[0] for group in self.groups.values())
        ordered = sorted(self.groups.items(), key=lambda item: (-item[1][0], item[0][0] or "", item[0][1] or ""))
        groups = []
        for (code, enhanced, reason), (count, analysis, provider, example, domains) in ordered[:top]:
            klass = (analysis.basic or analysis.enhanced).code_class.digit if code != "other" else None
            top_domains = tuple(sorted(domains.items(), key=lambda kv: (-kv[1], kv[0]))[:3])
            groups.append(Group(
                code, enhanced, reason, analysis.reason_title if code != "other" else "more kinds than the summary keeps",
                klass, count, count / total if total else 0.0, analysis.retryable, analysis.bounce, provider, example,
                top_domains,
            ))
        reasons = tuple(sorted(((r, title, n) for r, (title, n) in self.reasons.items()), key=lambda x: (-x[2], x[0])))
        return Summary(
            counts.files, counts.lines, counts.lines_skipped, counts.truncated, counts.replies, counts.matched,
            dict(self.outcomes), dict(counts.without_reply), tuple(groups), len(self.groups), reasons,
        )


def _count(counter: dict[str, int], key: str, limit: int) -> None:
    counter[key] = counter.get(key, 0) + 1
    if len(counter) > limit * 2:
        # Keep the most frequent half: the few domains that matter stay, the long tail goes.
        kept = sorted(counter.items(), key=lambda kv: -kv[1])[:limit]
        counter.clear()
        counter.update(kept)


def summary_object(summary: Summary) -> dict:
    """The summary's JSON document (`scan --summary --json`)."""
    return {
        "kind": "scan-summary",
        "files": summary.files,
        "lines_read": summary.lines_read,
        "lines_skipped": summary.lines_skipped,
        "lines_truncated": summary.lines_truncated,
        "replies_found": summary.replies_found,
        "replies_matched": summary.replies_matched,
        "outcomes": summary.outcomes,
        "statuses_without_reply": summary.without_reply,
        "groups": [
            {
                "code": g.code, "enhanced": g.enhanced, "reason": g.reason, "reason_title": g.reason_title,
                "class": g.klass, "count": g.count, "share": round(g.share, 4), "retryable": g.retryable,
                "bounce": g.bounce, "provider": g.provider, "example": g.example,
                "domains": [{"domain": d, "count": n} for d, n in g.domains],
            }
            for g in summary.groups
        ],
        "groups_total": summary.groups_total,
        "reasons": [{"reason": r, "title": t, "count": n} for r, t, n in summary.reasons],
    }
