"""Parse what users paste (a reply, a bounce line, a log excerpt) into a Reply."""

import re
from typing import NamedTuple

from smtpcodes.errors import BadInput
from smtpcodes.catalogue.model import STAGES


class Reply(NamedTuple):
    """A server reply as parsed from pasted text or a log line."""

    code: str | None  # None when only an enhanced code was found
    enhanced: str | None
    text: str
    lines: tuple[str, ...]
    stage: str | None = None
    host: str | None = None


# A basic code where a reply starts: at the start of the text or after a separator
# such as "said:", "smtp;", a quote or "<<<", never inside a number, address or IP.
# What comes before the code is checked after its first digit, `(?<![^...]5)`: an expression
# that starts with a character class skips the rest of the text quickly, one that starts with a
# look-behind tries every position.
_BASIC = re.compile(r"""([1-5](?<![^\s;:'"<(#\[=>][1-5])\d\d)(?:([ -])|$)""", re.MULTILINE)
# A failure code where a quoted reply starts (see nested_reply); most texts have none.
_FAILURE_CODE = re.compile(r"""([45](?<![^\s;:'"<(#\[=>][45])\d\d)(?:[ -]|$)""", re.MULTILINE)
_FAILURE_QUICK = re.compile(r"[45]\d\d[ -]")
_BANNER = re.compile(r"\s*220[ -]")
_ENHANCED_AFTER = re.compile(r"#?([245]\.\d{1,3}\.\d{1,3})(?!\.?\d)\s*")
_ENHANCED_ANYWHERE = re.compile(r"(?<![\d.])#?([245]\.\d{1,3}\.\d{1,3})(?!\.?\d)")
# Which command a reply answered, as logs and bounces say it: Postfix "(in reply to RCPT TO
# command)", Exim "after RCPT TO:<...>", "after end of data", "while receiving the initial server
# greeting". One expression, compiled on first use: most replies name no stage. The word boundary
# before "in", "after" and "while" is checked after the word (`in(?<!\win)`), as for _BASIC.
_STAGE = (
    r"(?:in(?<!\win)\s+reply\s+to|after(?<!\wafter))\s+(?:the\s+)?(?:initial\s+)?"
    r"(end\s+of\s+data|data|rcpt|mail|ehlo|helo|lhlo|auth|starttls|bdat|connection|greeting)\b"
    r"|while(?<!\wwhile)\s+receiving\s+the\s+initial\s+server\s+(greeting)"
    r"|while(?<!\wwhile)\s+sending\s+(end\s+of\s+data|message\s+body|data|rcpt|mail|ehlo|helo|starttls|auth)\b"
)
_STAGE_WORDS = {
    "end of data": "DATA", "data": "DATA", "rcpt": "RCPT", "mail": "MAIL", "ehlo": "EHLO", "helo": "EHLO",
    "lhlo": "EHLO", "auth": "AUTH", "starttls": "STARTTLS", "bdat": "BDAT", "connection": "CONNECT",
    "greeting": "CONNECT",
    "message body": "DATA",
}
_SUFFIX = r"\s*\((?:in reply to|after)[^()]*\)\s*$"
_HOST = r"(?:host(?<!\whost)\s+|H(?<!\wH)=)([A-Za-z0-9.-]+\.[A-Za-z]{2,})"
# Before a quoted reply inside another: what relays and NDRs write in front of it.
_NESTED_MARKER = re.compile(
    r"(?:said:|->|LED=|responded with:|returned|error:|reply:|answered|was:|response:)\s*['\"<(]?\s*$", re.IGNORECASE
)
# Labels in front of a reply that carries no code (a DSN's Diagnostic-Code, an Exim `**` line).
_CODELESS_PREFIX = re.compile(r"^(?:Diagnostic-Code:\s*)?(?:smtp|x-postfix|x-unix|x-local)\s*;\s*", re.IGNORECASE)
# What a delivery report or an MTA's delivery log puts around the reply it quotes: the reply
# then answered a delivery attempt, whatever command it came after. Plain substrings of the
# lowercased text: one expression with these alternatives cost more than the rest of parsing.
_REPORT_MARKERS = (
    "diagnostic-code", "said:", "remote server returned", "smtp error from", "refused to talk",
    "lost connection with", "conversation with", "temporarily suspended", "final-recipient", "led=",
    "generating server", "dsn=", "status=bounced", "status=deferred", "defer (", " ** ", " == ",
)
_REPORT_STARTS = ("smtp;", "smtp ;", "x-postfix;", "x-unix;", "** ", "== ")
# Expressions only some replies need, compiled on first use (and not at every start).
_LAZY: dict[tuple[str, int], re.Pattern[str]] = {}
_CONTINUATIONS: dict[tuple[str, str | None], re.Pattern[str]] = {}
STAGE_ALIASES = {"HELO": "EHLO", "LHLO": "EHLO", "RCPT TO": "RCPT", "MAIL FROM": "MAIL", "CONN": "CONNECT"}


def parse_reply(text: str, stage: str | None = None) -> Reply:
    """The first SMTP reply in `text`, with continuation lines joined and repeated codes removed."""
    source = text.replace("\r\n", "\n").replace("\r", "\n")
    match = _BASIC.search(source)
    if match is not None and match.group(1)[0] in "23" and (match.group(2) == "-" or "\n" in source):
        match = _after_banner(source, match)  # a banner is a line of its own or a 220- continuation
    if match is None:
        enhanced = _ENHANCED_ANYWHERE.search(source)
        if enhanced is None:
            # No code at all: the words may still be explained (a DNS or connection failure).
            return _reply(source, None, None, _CODELESS_PREFIX.sub("", source.strip(), count=1) or " ", stage)
        # qmail and others put the status last, "Sorry, no mailbox here by that name. (#5.1.1)":
        # the words around it are the reply.
        after = source[enhanced.end():]
        if after.strip(" \n)]'\".>"):
            return _reply(source, None, enhanced.group(1), after, stage)
        before = _CODELESS_PREFIX.sub("", source[:enhanced.start()].strip().rstrip("(['#").strip(), count=1)
        return _reply(source, None, enhanced.group(1), before or " ", stage)
    code = match.group(1)
    if stage is None and code[0] in "45" and _BANNER.match(source):
        stage = "CONNECT"  # the server's greeting banner came first: the reply is about the connection
    rest = source[match.end():]
    enhanced_match = _ENHANCED_AFTER.match(rest)
    if enhanced_match:
        enhanced = enhanced_match.group(1)
        rest = rest[enhanced_match.end():]
    else:
        # Found elsewhere, a status is this reply's only when the classes agree (RFC 3463):
        # "(RFC 5321 2.3.5)" after a 550 names a section, not a status.
        enhanced = next((m.group(1) for m in _ENHANCED_ANYWHERE.finditer(source) if m.group(1)[0] == code[0]), None)
    return _reply(source, code, enhanced, rest, stage)


def _after_banner(source: str, match: re.Match[str]) -> re.Match[str]:
    """A success or intermediate banner line (`220-mx ESMTP`) before a failure reply is a
    greeting quoted with it, so the failure that follows is the reply."""
    for later in _BASIC.finditer(source, match.end()):
        if later.group(1)[0] in "45" and _at_line_start(source, later.start()):
            return later
    return match


def _at_line_start(source: str, index: int) -> bool:
    line_start = source.rfind("\n", 0, index) + 1
    return not source[line_start:index].strip(" \t<>:;'\"S")


def nested_reply(text: str) -> tuple[int, Reply] | None:
    """A failure reply quoted inside another reply's text (`Message expired -> 451 4.4.0 ...`,
    `{LED=450 4.7.1 ...}`, `undeliverable address: host X said: 550 5.1.1 ...`) with where it
    starts, or None."""
    if _FAILURE_QUICK.search(text) is None:
        return None
    for match in _FAILURE_CODE.finditer(text):
        code = match.group(1)
        after = text[match.end():]
        enhanced = _ENHANCED_AFTER.match(after)
        marked = _NESTED_MARKER.search(text[max(0, match.start() - 24):match.start()])
        if (enhanced and enhanced.group(1)[0] == code[0]) or marked:
            quoted = text[match.start():]
            before = text[:match.start()].rstrip()
            closer = {"{": "}", "LED=": "}", '"': '"', "'": "'", "(": ")", "<": ">"}
            for opener, close in closer.items():
                if before.endswith(opener) and close in quoted:
                    quoted = quoted[:quoted.index(close)]  # the quoted reply ends where its quote does
                    break
            return match.start(), parse_reply(quoted)
    return None


def _reply(source: str, code: str | None, enhanced: str | None, rest: str, stage: str | None) -> Reply:
    lines = _reply_lines(code, enhanced, _unwrap(rest.strip()))
    if lines[-1].endswith(")"):
        lines[-1] = _without_suffix(lines[-1])
    return Reply(
        code=code,
        enhanced=enhanced,
        text=" ".join(line for line in lines if line),
        lines=tuple(lines),
        stage=normalise_stage(stage) if stage else _stage(source),
        host=_host(source),
    )


def _without_suffix(line: str) -> str:
    """The line without its "(in reply to ... command)": that parenthesis holds no other, so it
    opens at the last "(", and the expression is tried only from the white space before it."""
    opening = line.rfind("(")
    if opening < 0:
        return line
    match = _lazy(_SUFFIX, re.IGNORECASE).search(line, len(line[:opening].rstrip()))
    return line if match is None else line[:match.start()] + line[match.end():]


def _unwrap(text: str) -> str:
    """Drop the closing quote (and angle bracket) of a reply quoted inside a bounce message."""
    if text[-1:] in ("'", '"') and text.count(text[-1]) % 2 == 1:
        text = text[:-1].rstrip()
        if text.endswith(">") and text.count(">") > text.count("<"):
            text = text[:-1].rstrip()
    return text


def _reply_lines(code: str | None, enhanced: str | None, rest: str) -> list[str]:
    """Split continuation lines, whether on separate lines or folded onto one as Postfix logs them."""
    if code is None or code not in rest:  # no continuation codes to strip
        return [line.strip() for line in rest.split("\n") if line.strip()] or [""]  # not splitlines(): \x0b, \x85 are text
    continuation = _CONTINUATIONS.get((code, enhanced))
    if continuation is None:
        repeat = re.escape(code) + r"[ -]" + (r"#?" + re.escape(enhanced) + r"\s*" if enhanced else "")
        continuation = re.compile(r"(?:^|\s)" + repeat, re.MULTILINE)
        if len(_CONTINUATIONS) < 4096:  # a code with its enhanced code: a few hundred in real traffic
            _CONTINUATIONS[(code, enhanced)] = continuation
    return [part.strip() for part in continuation.split(rest) if part.strip()] or [""]


def reported(source: str) -> bool:
    """Whether the text quotes the reply in a delivery report (a DSN, a bounce, an MTA's log of
    a delivery). Asked only when a reply is explained, not for every log line parsed."""
    lowered = source.lower()
    return any(map(lowered.__contains__, _REPORT_MARKERS)) or lowered.lstrip().startswith(_REPORT_STARTS)


def _stage(source: str) -> str | None:
    lowered = source.lower()
    # Cheap tests first: most replies name no stage.
    if "reply to" in lowered or "after" in lowered or "greeting" in lowered or "while sending" in lowered:
        match = _lazy(_STAGE).search(lowered)
        if match is not None:
            words = next(group for group in match.groups() if group)
            return _STAGE_WORDS[" ".join(words.split())]
    return None


def _host(source: str) -> str | None:
    if "host" not in source and "H=" not in source:
        return None
    match = _lazy(_HOST).search(source)
    return match.group(1).lower() if match else None


def _lazy(pattern: str, flags: int = 0) -> re.Pattern[str]:
    regex = _LAZY.get((pattern, flags))
    if regex is None:
        regex = _LAZY[(pattern, flags)] = re.compile(pattern, flags)
    return regex


def normalise_stage(stage: str) -> str:
    """An SMTP stage as given on the command line, checked against the known set."""
    name = STAGE_ALIASES.get(stage.strip().upper(), stage.strip().upper())
    if name not in STAGES:
        raise BadInput("bad_stage", value=stage, choices=", ".join(STAGES[:-1]))
    return name
