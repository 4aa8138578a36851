"""One record per reply found: what it holds, the masks that let identical replies share one
explanation, and the record's two JSON shapes (compact, schema 2; detailed, schema 1) and CSV row."""

import re
from datetime import datetime
from string import ascii_letters
from json.encoder import encode_basestring_ascii as _quote
from typing import Callable, Iterable, Iterator, NamedTuple

from smtpcodes.explain.analysis import Analysis
from smtpcodes.scan.logformats import Direction, Outcome

SCHEMA = 2  # the compact record; schema 1 is the detailed one (`--detail`), unchanged since 1.0

# Identifiers that differ from one reply to the next and that no reason or provider is named by:
# ids of ten or more letters, digits and hyphens with at least one letter and one digit (queue ids,
# message ids, one label of a cluster's host name) with any ".123" after them, runs of ten or more
# digits (timestamps, internal ids), IPv4 addresses, and the local part of an address in angle
# brackets. Short vendor codes such as "HT204137" or "[TSS04]" stay. None of the masks can hold a
# reply code, an enhanced code or a stage phrase (an id that starts like "550-" is left alone), and
# the scanner checks that each reply rebuilt from its masked form occurs in the text.
_IDS = (
    r"(?<![\w.-])(?:(?![1-5]\d\d-)(?=[\w-]*\d)(?=[\w-]*[A-Za-z])[A-Za-z0-9][A-Za-z0-9-]{8,}[A-Za-z0-9](?:\.\d+(?![\w.]))?"
    r"|\d{10,}|\d{1,3}(?:\.\d{1,3}){3})(?![\w-])(?!\.\d)"
)
_LOCAL_PART = r"(?<=<)[A-Za-z_][\w+-]*(?:\.[A-Za-z_][\w+-]*)*(?=@)"
MASK = "*"

# Both masks in one pass, each identifier captured: splitting on it gives the text around the
# identifiers and the identifiers themselves, in order (see `unmask`).
_MASK_ANY = re.compile("(" + _IDS + "|" + _LOCAL_PART + ")")


# What the masks above tell apart, one representative character each: letters, 0, 1-5 and 6-9 (the
# other characters stand for themselves). Two texts with the same `mask_key` are masked at the same
# places, so the places found in one serve for the other: the key costs one pass at C speed.
_CLASS_FROM, _CLASS_TO = "0123456789" + ascii_letters, "0111116666" + "a" * 52
MASK_CLASSES = bytes.maketrans(_CLASS_FROM.encode(), _CLASS_TO.encode())  # for bytes.translate
_CLASS_TEXT = str.maketrans(_CLASS_FROM, _CLASS_TO)


def mask_key(text: str) -> bytes | str:
    """`text` with each character replaced by its class's representative (bytes when ASCII)."""
    if text.isascii():
        return text.encode().translate(MASK_CLASSES)
    return text.translate(_CLASS_TEXT)


def mask_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Where `text`'s identifiers are, in order: the same for every text with its `mask_key`."""
    return tuple(match.span() for match in _MASK_ANY.finditer(text))


def mask(text: str) -> str:
    """`text` with per-message identifiers replaced by MASK."""
    return masked_parts(text)[0]


def masked_parts(text: str) -> tuple[str, list[str]]:
    """`text` with its identifiers replaced by MASK, and the identifiers replaced, in order."""
    parts = _MASK_ANY.split(text)
    if len(parts) == 1:
        return text, []
    return MASK.join(parts[0::2]), parts[1::2]


def unmask(masked: str, first: int, tokens: list[str]) -> str | None:
    """`masked` (a piece of a masked text) with its MASKs replaced by tokens[first:], in order;
    None when the count does not add up."""
    pieces = masked.split(MASK)
    count = len(pieces) - 1
    if first + count > len(tokens):
        return None
    out = [pieces[0]]
    for index in range(count):
        out.append(tokens[first + index])
        out.append(pieces[index + 1])
    return "".join(out)


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
    direction: Direction | None = None
    host: str | None = None
    program: str | None = None
    time: str | None = None  # the timestamp in ISO 8601


class Filters(NamedTuple):
    """Which records to keep."""

    klass: int | None = None
    reason: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    now: datetime | None = None  # decides the year of syslog times, which have none


# The compact record's fields, in order: also the CSV header.
FIELDS = (
    "schema", "file", "line", "time", "host", "program", "queue_id", "sender", "recipient", "domain",
    "direction", "outcome", "code", "enhanced", "text", "reason", "confidence", "retryable", "bounce",
    "provider", "stage",
)


def recipient_domain(recipient: str | None) -> str | None:
    if not recipient or "@" not in recipient:
        return None
    return recipient.rpartition("@")[2].rstrip(">").lower() or None


def confidence_of(analysis: Analysis):
    """The analysis's confidence when the analyser gives one (newer catalogues do), else None."""
    return getattr(analysis, "confidence", None)


def _string(value: str | None) -> str:
    return "null" if value is None else _quote(value)


_BOOL = {True: "true", False: "false", None: "null"}


def _member(name: str, value: str | None) -> str:
    """`,"name":"value"`, or nothing for None: the compact record leaves null members out."""
    return "" if value is None else f',"{name}":{_quote(value)}'


def verdict_json(analysis: Analysis) -> str:
    """The compact record's tail after "text": the same for every reply explained alike."""
    provider = analysis.provider
    confidence = confidence_of(analysis)
    return "".join((
        _member("reason", analysis.reason),
        "" if confidence is None else f',"confidence":{_json_value(confidence)}',
        "" if analysis.retryable is None else f',"retryable":{_BOOL[analysis.retryable]}',
        _member("bounce", analysis.bounce), _member("provider", provider.id if provider else None),
        _member("stage", analysis.stage), "}\n",
    ))


def _json_value(value) -> str:
    from json import dumps

    return dumps(value, ensure_ascii=True)


def compact_json(record: Record, verdict: str) -> str:
    """The compact record (schema 2) as one line of JSON; members that would be null are left out."""
    analysis, (name, line, _, recipient, sender, qid), outcome, family, direction, host, program, time = record
    # compact_lines is the one writer: given the record's values where a hit has them (its time as is).
    found = (line, None, family, None, None, time, recipient, sender, qid, None, 1, None, host, program, direction, None)
    return next(compact_lines([(name, found, analysis.reply, _Verdict(verdict), outcome)], _as_is))


class _Verdict:
    __slots__ = ("verdict",)

    def __init__(self, verdict: str):
        self.verdict = verdict


def _as_is(time: str | None) -> str | None:
    return time


def compact_lines(hits: Iterable[tuple], iso: Callable[[str | None], str | None]) -> Iterator[str]:
    """The compact record (schema 2) of each of a scan's hits (scanner.Scanner.hits), made without
    the records, as one line of JSON; members that would be null are left out."""
    # Every record of a big scan comes through here: the members that repeat from one record to the
    # next are joined once (the file, time, host and program) or looked up (direction to enhanced code).
    name = time = host = program = None
    head = when = where = ""
    middles: dict[tuple, str] = {}
    for file, found, reply, explained, outcome in hits:
        line, _, _, _, _, timestamp, recipient, sender, qid, _, _, _, machine, writer, direction, _ = found
        code, enhanced, text = reply[:3]
        if file != name:
            name, head = file, '{"schema":2,"file":' + _quote(file) + ',"line":'
        if timestamp != time:
            time = timestamp
            stamp = iso(timestamp)
            when = "" if stamp is None else ',"time":' + _quote(stamp)
        if machine != host or writer != program:
            host, program = machine, writer
            where = "".join((
                "" if host is None else ',"host":' + _quote(host), "" if program is None else ',"program":' + _quote(program),
            ))
        key = (direction, outcome, code, enhanced)
        middle = middles.get(key)
        if middle is None:
            middle = middles[key] = "".join((
                "" if direction is None else f',"direction":"{direction}"', f',"outcome":"{outcome}"',
                "" if code is None else f',"code":"{code}"', "" if enhanced is None else f',"enhanced":"{enhanced}"',
                ',"text":',
            ))
        if recipient is None:
            rcpt = ""
        elif "@" in recipient:
            domain = recipient.rpartition("@")[2].rstrip(">").lower()  # recipient_domain
            rcpt = f',"recipient":{_quote(recipient)},"domain":{_quote(domain)}' if domain else \
                f',"recipient":{_quote(recipient)}'
        else:
            rcpt = f',"recipient":{_quote(recipient)}'
        verdict = explained.verdict
        if verdict is None:
            verdict = explained.verdict = verdict_json(explained.analysis)
        qid = "" if qid is None else f',"queue_id":{_quote(qid)}'
        sender = "" if sender is None else f',"sender":{_quote(sender)}'
        yield f"{head}{line}{when}{where}{qid}{sender}{rcpt}{middle}{_quote(text)}{verdict}"


def compact_row(record: Record) -> tuple:
    """The compact record's values in FIELDS order (for CSV and Markdown)."""
    source, analysis = record.source, record.analysis
    reply, provider = analysis.reply, analysis.provider
    return (
        SCHEMA, source.file, source.line, record.time, record.host, record.program, source.queue_id, source.sender,
        source.recipient, recipient_domain(source.recipient), record.direction, record.outcome, reply.code,
        reply.enhanced, reply.text, analysis.reason, confidence_of(analysis), analysis.retryable, analysis.bounce,
        provider.id if provider else None, analysis.stage,
    )


def compact_object(record: Record) -> dict:
    """The compact record as a dict (the library form of one JSON line): null members left out."""
    return {name: value for name, value in zip(FIELDS, compact_row(record)) if value is not None}


# --- the detailed record (schema 1): `explain --json`'s reply object plus "source" ----------------

_PLACE = "\x00reply\x00"


def detail_pieces(analysis: Analysis) -> tuple[str, str]:
    """The reply object's JSON cut where the reply goes, so that field order follows jsonout."""
    from smtpcodes.output.jsonout import analysis_object, dumps

    document = analysis_object(analysis)
    document["reply"] = _PLACE
    before, _, after = dumps(document, lines=True).partition(dumps(_PLACE))
    if not after.endswith("}"):
        raise AssertionError("the reply object is not a JSON object")
    return before, after[:-1] + ',"source":'


def detail_json(record: Record, pieces: tuple[str, str]) -> str:
    reply = record.analysis.reply
    lines = ",".join([_quote(line) for line in reply.lines])
    reply_json = f'{{"code":{_string(reply.code)},"enhanced":{_string(reply.enhanced)},"text":{_quote(reply.text)},"lines":[{lines}]}}'
    return "".join((pieces[0], reply_json, pieces[1], _source_json(record.source), "}\n"))


def _source_json(source: Source) -> str:
    return (
        f'{{"file":{_quote(source.file)},"line":{source.line},"timestamp":{_string(source.timestamp)},'
        f'"recipient":{_string(source.recipient)},"sender":{_string(source.sender)},"queue_id":{_string(source.queue_id)}}}'
    )


def source_object(source: Source) -> dict:
    """The "source" member of a detailed record's JSON."""
    return source._asdict()
