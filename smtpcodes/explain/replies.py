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
_BASIC = re.compile(r"""(?:^|(?<=[\s;:'"<(#\[=>]))([1-5]\d\d)(?:([ -])|$)""", re.MULTILINE)
_ENHANCED_AFTER = re.compile(r"#?([245]\.\d{1,3}\.\d{1,3})(?!\.?\d)\s*")
_ENHANCED_ANYWHERE = re.compile(r"(?<![\d.])#?([245]\.\d{1,3}\.\d{1,3})(?!\.?\d)")
# Which command a reply answered, as logs and bounces say it: Postfix "(in reply to RCPT TO
# command)", Exim "after RCPT TO:<...>", "after end of data", "while receiving the initial server
# greeting". One expression, compiled on first use: most replies name no stage.
_STAGE = (
    r"\b(?:in\s+reply\s+to|after)\s+(?:the\s+)?(?:initial\s+)?"
    r"(end\s+of\s+data|data|rcpt|mail|ehlo|helo|lhlo|auth|starttls|bdat|connection|greeting)\b"
    r"|\bwhile\s+receiving\s+the\s+initial\s+server\s+(greeting)"
)
_STAGE_WORDS = {
    "end of data": "DATA", "data": "DATA", "rcpt": "RCPT", "mail": "MAIL", "ehlo": "EHLO", "helo": "EHLO",
    "lhlo": "EHLO", "auth": "AUTH", "starttls": "STARTTLS", "bdat": "BDAT", "connection": "CONNECT",
    "greeting": "CONNECT",
}
_SUFFIX = r"\s*\((?:in reply to|after)[^()]*\)\s*$"
_HOST = r"(?:\bhost\s+|\bH=)([A-Za-z0-9.-]+\.[A-Za-z]{2,})"
STAGE_ALIASES = {"HELO": "EHLO", "LHLO": "EHLO", "RCPT TO": "RCPT", "MAIL FROM": "MAIL", "CONN": "CONNECT"}


def parse_reply(text: str, stage: str | None = None) -> Reply:
    """The first SMTP reply in `text`, with continuation lines joined and repeated codes removed."""
    source = text.replace("\r\n", "\n").replace("\r", "\n")
    match = _BASIC.search(source)
    if match is None:
        enhanced = _ENHANCED_ANYWHERE.search(source)
        if enhanced is None:
            raise BadInput(
                "no SMTP reply code found: give a code (e.g. 550) or a reply such as "
                "'550 5.1.1 <bob@example.com>: User unknown'"
            )
        return _reply(source, None, enhanced.group(1), source[enhanced.end():], stage)
    code = match.group(1)
    rest = source[match.end():]
    enhanced_match = _ENHANCED_AFTER.match(rest)
    if enhanced_match:
        enhanced = enhanced_match.group(1)
        rest = rest[enhanced_match.end():]
    else:
        elsewhere = _ENHANCED_ANYWHERE.search(source)
        enhanced = elsewhere.group(1) if elsewhere else None
    return _reply(source, code, enhanced, rest, stage)


def _reply(source: str, code: str | None, enhanced: str | None, rest: str, stage: str | None) -> Reply:
    lines = _reply_lines(code, enhanced, _unwrap(rest.strip()))
    if lines[-1].endswith(")"):
        lines[-1] = re.sub(_SUFFIX, "", lines[-1], flags=re.IGNORECASE)
    return Reply(
        code=code,
        enhanced=enhanced,
        text=" ".join(line for line in lines if line),
        lines=tuple(lines),
        stage=normalise_stage(stage) if stage else _stage(source),
        host=_host(source),
    )


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
    repeat = re.escape(code) + r"[ -]" + (r"#?" + re.escape(enhanced) + r"\s*" if enhanced else "")
    continuation = re.compile(r"(?:^|\s)" + repeat, re.MULTILINE)
    return [part.strip() for part in continuation.split(rest) if part.strip()] or [""]


def _stage(source: str) -> str | None:
    lowered = source.lower()
    if "reply to" not in lowered and "after" not in lowered and "greeting" not in lowered:
        return None  # cheap test first: most replies name no stage
    match = re.search(_STAGE, lowered)
    if match is None:
        return None
    return _STAGE_WORDS[" ".join((match.group(1) or match.group(2)).split())]


def _host(source: str) -> str | None:
    if "host" not in source and "H=" not in source:
        return None
    match = re.search(_HOST, source)
    return match.group(1).lower() if match else None


def normalise_stage(stage: str) -> str:
    """An SMTP stage as given on the command line, checked against the known set."""
    name = STAGE_ALIASES.get(stage.strip().upper(), stage.strip().upper())
    if name not in STAGES:
        raise BadInput(f"--after {stage!r} is not an SMTP stage: use one of {', '.join(STAGES[:-1])}")
    return name
