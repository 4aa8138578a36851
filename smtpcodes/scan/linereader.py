"""Read one input's lines in order with the formats of logformats.py, keeping the little state some
formats need across lines: the recipient of a bounce, the command a transcript reply answers, the
columns of an Exchange log, a reply continued on the next lines."""

from __future__ import annotations

import re
from typing import Iterator

from smtpcodes.scan.exchange import EXCHANGE_ROW, exchange_row, header_fields
from smtpcodes.scan.logformats import (
    _BY_FAMILY, _TEXT_SHAPES, EXIM_FLAGS, FAMILIES, STAGE_WORDS, STATUS_WORDS, Found, Outcome, Shape,
)

# The rest of a plain text: a reply where one starts a line, follows a word that introduces one,
# or carries an enhanced code of the same class. A bare number in prose is not a reply.
_PLAIN = re.compile(
    r"""(?:^[\s>'"|*]*|(?:said|returned|smtp|response|reply|answer|error)[:;]?\s*['"]?)(?=[1-5]\d\d(?:[ -]|$))"""
    r"""|(?<![\w.,/:=+-])(?=([245])\d\d[ -]#?\1\.\d{1,3}\.\d{1,3}(?!\.?\d))""",
    re.IGNORECASE,
)
_THREE_DIGITS = re.compile(r"\d{3}")
_PLAIN_TS = re.compile(
    r"(?P<ts>[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d|\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?)"
)

# Transcripts (swaks, RFC examples, debug logs): server lines and client lines by their prefix.
_SERVER_LINE = re.compile(r"^\s*(?:<\*\*|<~\*|<-|<~|S:|<<<)\s?(?P<text>.*)$")
_CLIENT_LINE = re.compile(r"^\s*(?:\*\*>|~>|->|C:|>>>)\s?(?P<text>.*)$")
_COMMAND = re.compile(r"(?i)^(EHLO|HELO|LHLO|MAIL FROM|RCPT TO|DATA|BDAT|STARTTLS|AUTH|QUIT|RSET|NOOP|VRFY|\.)(?:\s|:|$)")
_ADDRESS_ARG = re.compile(r"<([^>]*)>")
_TRANSCRIPT_PREFIXES = ("<-", "<~", "<*", "S:", "<<<", " ", "\t", "->", "~>", "C:", ">>>", "**>")
_REPLY_START = re.compile(r"\s*([1-5]\d\d)([ -]|$)")

# Hints that later lines of a bounce use.
_HINTS = (
    ("recipient", re.compile(r"(?i)^Final-Recipient:\s*(?:rfc822\s*;)?\s*<?([^\s<>]+@[^\s<>]+?)>?\s*$")),
    ("status", re.compile(r"(?i)^Action:\s*(\w+)")),
    ("timestamp", re.compile(r"(?i)^Last-Attempt-Date:\s*(.+?)\s*$")),
    ("queue_id", re.compile(r"(?i)^X-Postfix-Queue-ID:\s*(\S+)")),
    ("recipient", re.compile(r"^\s*<?([\w.+'=-]+@[\w-]+(?:\.[\w-]+)+)>?:?\s*$")),
    ("stage", re.compile(r"(?i)SMTP error from remote (?:mail server|mailer) after (?:pipelined )?(RCPT|MAIL|DATA|end of data|initial connection|EHLO|HELO)\b[^0-9]*$")),
)
_HINT_NEEDLES = ("@", "ction:", "ast-Attempt", "ueue-ID", "SMTP error")
_STAGE_HINTS = {"end of data": "DATA", "initial connection": "CONNECT", "HELO": "EHLO"}

_ABSENT = (None,)  # what Shape.fields reads for a group its shape does not have
_new = tuple.__new__


class LineReader:
    """Reads one input's lines in order and reports what each contains; keeps the little state formats need."""

    def __init__(self) -> None:
        self.hints: dict[str, str | None] = {}
        self.report = False  # inside a multipart/report: only its Diagnostic-Code lines count
        self.exchange_fields: list[str] | None = None
        self.pending: list[str] | None = None  # a reply continuing on the next lines
        self.pending_found: Found | None = None
        self.pending_code: str | None = None
        self.command_stage: str | None = None
        self.folding = False  # the pending DSN field still continues on indented lines
        self.in_body = False  # a transcript between DATA's 354 and the lone dot
        self.tally = None  # called with each Postfix line that holds no reply (traffic.Traffic.line), if set

    def read(self, lines: list[str], number: int = 0) -> Iterator[Found]:
        """What the lines numbered number+1, number+2, ... hold, in order."""
        for line in lines:
            number += 1
            if self.pending is None:
                # The common case, inline: a line of a known log family, read only through its shapes.
                for marker, needles, shapes, tallied in FAMILIES:
                    if marker in line:
                        for needle in needles:
                            if needle in line:
                                found = self._shapes(shapes, number, line)
                                if found is not None:
                                    yield found
                                break
                        else:
                            if tallied and self.tally is not None:
                                self.tally(line)
                        break
                else:
                    found = self._unmarked(number, line)
                    if found is not None:
                        yield found
                continue
            found = self._continue(number, line)
            if found is not None:
                yield from found if type(found) is list else (found,)

    def feed(self, number: int, line: str) -> list[Found]:
        """What line `number` holds (with any reply it closes): `read` for one line."""
        return list(self.read([line], number - 1))

    def _unmarked(self, number: int, line: str) -> Found | None:
        """A line of no program in FAMILIES: Exim's main log, or text."""
        if line[4:5] == "-" and line[10:11] == " " and line[:1].isdigit():
            return self._shapes(_BY_FAMILY["exim"], number, line)
        return self._shapes(_TEXT_SHAPES, number, line, otherwise=self._other)

    def finish(self) -> Found | None:
        """The reply still open at the end of the input, if any."""
        return self._close()

    def _shapes(self, shapes: tuple[Shape, ...], number: int, line: str, otherwise=None) -> Found | None:
        """What the line holds by the first of the shapes whose needle it has and whose expression
        matches it; else what `otherwise` says, if given."""
        for shape in shapes:
            for needle in shape.needles:
                if needle in line:
                    match = shape.pattern.match(line)
                    break
            else:
                continue
            if match is not None:
                break
        else:
            return otherwise(number, line) if otherwise else None
        family, _, _, fields, status, stage, failure, direction = shape
        if self.report and family != "dsn":
            return None
        ts, host, prog, qid, rcpt, sender, word, stage_word, text, dsn = fields(match.groups() + _ABSENT)
        if word is not None:
            if family == "sendmail" and word and word.lower() not in STATUS_WORDS:
                text = word + (text or "")  # "stat=User unknown": the words are the text
            status = status or _STATUSES.get(word) or _status(word, dsn)
        if stage_word:
            stage = stage or STAGE_WORDS.get(stage_word.upper())
        hint = self.hints.get
        qid = qid or hint("queue_id")
        found = _new(Found, (
            number, text or None, family, status or hint("status"), stage, ts or hint("timestamp"),
            rcpt or hint("recipient"), sender, None if qid == "NOQUEUE" else qid, failure, 1, dsn, host,
            prog or (family if family == "exim" else None), direction, line,
        ))
        if family == "dsn":
            # The rest of the recipient's block may add to it; it ends at the next blank line.
            self.pending, self.pending_found, self.pending_code, self.folding = [found.text or ""], found, None, True
            return None
        return found

    def _continue(self, number: int, line: str) -> Found | list[Found] | None:
        """Extend the pending reply with this line, or close it and read the line on its own."""
        if self.pending_code is None:
            # A DSN recipient block: Diagnostic-Code folded onto indented lines, then more fields
            # (Last-Attempt-Date, Action) that belong to the same recipient, up to a blank line.
            if line[:1] in (" ", "\t") and line.strip():
                if self.folding:
                    self.pending.append(line.strip())
                return None
            if line.strip() and not line.startswith("--") and not line.lower().startswith("final-recipient:"):
                self.folding = False
                self._hint(line)
                return None
        else:
            server = _SERVER_LINE.match(line)
            start = _REPLY_START.match(server.group("text")) if server else None
            if start is not None and start.group(1) == self.pending_code:
                self.pending.append(server.group("text"))
                return self._close() if start.group(2) != "-" else None
        return [self._close(), *self.feed(number, line)]

    def _close(self) -> Found | None:
        if self.pending is None:
            return None
        found, hints = self.pending_found, self.hints
        if self.pending_code is None:  # header folding: the line breaks were spaces
            found = found._replace(
                text=" ".join(self.pending), status=found.status or hints.get("status"),
                timestamp=found.timestamp or hints.get("timestamp"), span=len(self.pending),
            )
        else:  # a multi-line reply: one line per line
            found = found._replace(text="\n".join(self.pending), span=len(self.pending))
        self.pending = self.pending_found = self.pending_code = None
        return found

    def _other(self, number: int, line: str) -> Found | None:
        if self.exchange_fields is not None or EXCHANGE_ROW.match(line):
            if not line.startswith("#"):
                return exchange_row(number, line, self.exchange_fields)
        if line.startswith(_TRANSCRIPT_PREFIXES):
            found = self._transcript(number, line)
            if found is not False:
                return found
        if line.startswith("#"):
            self.exchange_fields = header_fields(line, self.exchange_fields)
            return None
        lowered = line[:40].lower()
        if lowered.startswith("content-type:") and ("multipart/report" in line.lower()):
            self.report = True
        elif line.startswith("From "):  # the next message of a mailbox
            self.report, self.hints = False, {}
        elif lowered.startswith("final-recipient:"):  # the next recipient of the same report
            self.hints = {"queue_id": self.hints.get("queue_id")}
        self._hint(line)
        if self.report:
            return None
        match = _PLAIN.search(line)
        if match is None:
            return None
        stamp = _PLAIN_TS.match(line)
        hints = self.hints
        text = line[match.end():]
        quote = line[match.end() - 1:match.end()]
        if quote not in ("'", '"'):
            quote = line[:match.start()].rstrip()[-1:]
        if quote in ("'", '"') and quote in text:
            text = text[:text.index(quote)]  # a reply quoted in prose ends at its closing quote
        elif not _THREE_DIGITS.search(line, 0, match.start()):
            text = line  # the words before the reply ("host ... said:") help name the provider
        return Found(
            number, text, "text", hints.get("status"), hints.pop("stage", None),
            stamp.group("ts") if stamp else hints.get("timestamp"),
            hints.get("recipient"), None, hints.get("queue_id"),
        )

    def _hint(self, line: str) -> None:
        for needle in _HINT_NEEDLES:
            if needle in line:
                break
        else:
            return
        for name, pattern in _HINTS:
            match = pattern.search(line)
            if match is not None:
                value = match.group(1)
                if name == "status":
                    value = STATUS_WORDS.get(value.lower())
                elif name == "stage":
                    value = _STAGE_HINTS.get(value, value.upper())
                self.hints[name] = value
                return

    def _transcript(self, number: int, line: str) -> Found | None | bool:
        """A server or client line of an SMTP session; False when the line is neither."""
        client = _CLIENT_LINE.match(line)
        if client is not None:
            if self.in_body:  # the message itself: only its final dot means anything
                if client.group("text").strip() == ".":
                    self.in_body, self.command_stage = False, "DATA"
                return None
            command = _COMMAND.match(client.group("text"))
            if command is not None:
                name = command.group(1).upper()
                self.command_stage = STAGE_WORDS.get(name)
                address = _ADDRESS_ARG.search(client.group("text"))
                if name == "RCPT TO" and address:
                    self.hints["recipient"] = address.group(1)
                elif name == "MAIL FROM" and address:
                    self.hints["sender"] = address.group(1)
            return None
        server = _SERVER_LINE.match(line)
        if server is None:
            return False
        text = server.group("text")
        start = _REPLY_START.match(text)
        if start is None:
            return None
        stage = self.command_stage or "CONNECT"
        if stage == "DATA" and start.group(1) == "354":
            self.in_body = True
        found = Found(
            number, text, "transcript", None, stage, None,
            self.hints.get("recipient") if stage in ("RCPT", "DATA") else None, self.hints.get("sender"), None, "rejected",
            direction="outgoing",
        )
        if start.group(2) == "-":
            self.pending, self.pending_found, self.pending_code = [text], found, start.group(1)
            return None
        return found


def _status(word: str, dsn: str | None) -> Outcome | None:
    status = STATUS_WORDS.get(word.lower()) or EXIM_FLAGS.get(word)
    if status is None and dsn:
        return {"2": "delivered", "4": "deferred", "5": "bounced"}.get(dsn[:1])
    if status is not None and len(_STATUSES) < 1000:
        _STATUSES[word] = status  # the few words a log uses, looked up once each
    return status


_STATUSES: dict[str, Outcome] = {}
