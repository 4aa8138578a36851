"""Recognise mail-log lines and bounce text, line by line: where the reply is and who it was about.

Every format is a row of one table (`SHAPES`): a family, the literal `needles` one of which a line
must contain before the row's expression is tried (substring tests cost a fraction of a regular
expression, and most lines of a mail log contain none of them), and the expression, whose named
groups say what the line holds: ts, qid, rcpt, sender, status, stage, text (the reply to parse).
A few formats need to remember something from an earlier line (the recipient of a bounce, the
command a transcript reply answers, the columns of an Exchange log); `LineReader` keeps that, per file.
`LineReader` (linereader.py) applies them. Nothing here parses the reply itself or analyses it:
see scanner.py.
"""

import re
from operator import itemgetter
from typing import Callable, Literal, NamedTuple, get_args

# What became of the message, from the log's own status where it has one, else from the reply's class.
Outcome = Literal["delivered", "deferred", "bounced", "rejected", "expired", "other"]
# Whether the mail was coming in to this server (smtpd/postscreen/cleanup rejects) or going out from it.
Direction = Literal["incoming", "outgoing"]
OUTCOMES: tuple[Outcome, ...] = get_args(Outcome)

SYSLOG_TS = (
    r"(?P<ts>[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d"
    r"|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?) (?P<host>\S+) "
)
POSTFIX = SYSLOG_TS + r"(?P<prog>postfix[\w.-]*/[\w/.-]+)\[\d+\]: "
# `.*? status=(?P<status>[\w-]+)` without trying every character: whole words (possessive), and a
# space unless a status follows it. `.*?` would stop at the same place, the first ` status=` that a
# word follows (where the rest cannot fail), and neither goes past a newline.
UP_TO_STATUS = r"(?:[^ \n]++| (?!status=[\w-]))*+ status=(?P<status>[\w-]+)"
SENDMAIL = SYSLOG_TS + r"(?P<prog>sm-mta|sendmail|sm-msp-queue)\[\d+\]: "
EXIM = (
    r"(?P<ts>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?)(?: [+-]\d{4})?(?: \[\d+\])? "
    r"(?:(?P<qid>[0-9A-Za-z]{6}-[0-9A-Za-z]{6,11}-[0-9A-Za-z]{2,4}) )?"
)
EXIM_FLAGS = {"**": "bounced", "==": "deferred", "=>": "delivered", "->": "delivered", "*>": "delivered"}

# What a log's own status word means. Postfix `status=`, Sendmail `stat=` (its first word), Exchange
# `event-id`, RFC 3464 `Action:`, and Postfix reject actions.
STATUS_WORDS: dict[str, Outcome] = {
    "sent": "delivered", "delivered": "delivered", "deliver": "delivered", "send": "delivered",
    "relayed": "delivered", "expanded": "delivered", "deferred": "deferred", "delayed": "deferred",
    "defer": "deferred", "bounced": "bounced", "expired": "expired", "undeliverable": "bounced",
    "failed": "bounced", "fail": "bounced", "reject": "rejected", "milter-reject": "rejected",
    "rejected": "rejected", "reject_warning": "other", "deliverable": "other",
}
# Stage names as logs write them, mapped to the names `explain --after` uses.
STAGE_WORDS = {
    "RCPT": "RCPT", "MAIL": "MAIL", "DATA": "DATA", "END-OF-MESSAGE": "DATA", "CONNECT": "CONNECT",
    "EHLO": "EHLO", "HELO": "EHLO", "LHLO": "EHLO", "BDAT": "BDAT", "VRFY": "VRFY", "ETRN": "ETRN",
    "STARTTLS": "STARTTLS", "AUTH": "AUTH", "QUIT": "QUIT", "RSET": "RSET", "NOOP": "NOOP",
    "RCPT TO": "RCPT", "MAIL FROM": "MAIL", ".": "DATA",
}


class Shape(NamedTuple):
    """One way a line can carry a reply (or a delivery status without one)."""

    family: str
    needles: tuple[str, ...]
    pattern: re.Pattern[str]
    fields: Callable[[tuple], tuple]  # a match's groups() + (None,) -> the groups named in FIELDS, None if absent
    status: Outcome | None = None  # fixed outcome; otherwise from the `status` group, then the reply's class
    stage: str | None = None  # fixed stage; otherwise from the `stage` group, then from the reply text
    failure: Outcome = "bounced"  # what a 5yz reply means when the line has no status of its own
    direction: Direction | None = "outgoing"


# The named groups a shape may have, in the order Shape.fields gives them.
FIELDS = ("ts", "host", "prog", "qid", "rcpt", "sender", "status", "stage", "text", "dsn")


def _shape(family: str, needles: tuple[str, ...], pattern: str, **fields) -> Shape:
    compiled = re.compile(pattern)
    # One C call picks the groups from match.groups(): an absent one is the None appended at its end.
    pick = itemgetter(*[compiled.groupindex.get(name, compiled.groups + 1) - 1 for name in FIELDS])
    return Shape(family, needles, compiled, pick, **fields)


SHAPES: tuple[Shape, ...] = (
    # Postfix smtp/lmtp/local/pipe/virtual deliveries: `status=` with the reply or the reason in brackets.
    # UP_TO_STATUS finds the first ` status=` as `.*? status=` would, a word at a time.
    _shape("postfix", ("status=",), POSTFIX + r"(?P<qid>\w+): to=<(?P<rcpt>[^>]*)>," + UP_TO_STATUS + r"(?: \((?P<text>.*)\))?"),
    _shape("postfix", ("status=",), POSTFIX + r"(?P<qid>\w+): from=<(?P<sender>[^>]*)>," + UP_TO_STATUS),
    # smtpd, postscreen and cleanup rejects: the reply ends where Postfix appends the envelope.
    _shape("postfix", ("reject",), POSTFIX + r"(?P<qid>\w+): (?P<status>(?:milter-)?reject(?:_warning)?): (?P<stage>[A-Z-]+) from [^\[;]*\[[^\]]*\](?::\d+)?: (?P<text>.*?); from=<(?P<sender>[^>]*)>,? to=<(?P<rcpt>[^>]*)>", direction="incoming"),
    _shape("postfix", ("reject",), POSTFIX + r"(?P<qid>\w+): (?P<status>(?:milter-)?reject(?:_warning)?): (?:header|body) .*?; from=<(?P<sender>[^>]*)> to=<(?P<rcpt>[^>]*)> proto=\S+(?: helo=<[^>]*>)?: (?P<text>.*)$", direction="incoming"),
    # One MX host's answer, logged before Postfix tries the next one.
    _shape("postfix", (" said: ", "refused to talk to me: "), POSTFIX + r"(?P<qid>\w+): (?P<text>host \S+ (?:said|refused to talk to me): .*)$"),
    # Sendmail: `stat=` (delivery) and `reject=` (check_* rulesets, milters).
    _shape("sendmail", ("stat=",), SENDMAIL + r"(?P<qid>\w+): to=<?(?P<rcpt>[^,>\s]+)>?.*?(?: dsn=(?P<dsn>[\d.]+),)? stat=(?P<status>\w+)(?P<text>.*)$"),
    _shape("sendmail", ("reject=",), SENDMAIL + r"(?P<qid>\w+): ruleset=check_rcpt, arg1=<?(?P<rcpt>[^>,]*)>?, .*?reject=(?P<text>.*)$", status="rejected", stage="RCPT", direction="incoming"),
    _shape("sendmail", ("reject=",), SENDMAIL + r"(?P<qid>\w+): ruleset=check_mail, arg1=<?(?P<sender>[^>,]*)>?, .*?reject=(?P<text>.*)$", status="rejected", stage="MAIL", direction="incoming"),
    _shape("sendmail", ("reject=",), SENDMAIL + r"(?P<qid>\w+): .*?reject=(?P<text>.*)$", status="rejected", direction="incoming"),
    # Exim main log: failures (`**`), deferrals (`==`) and deliveries (`=>` with the C= confirmation).
    _shape("exim", (" ** ", " == "), EXIM + r"(?P<status>\*\*|==) (?P<rcpt>[^\s:]+)(?: <[^>]*>)?.*?(?P<text>SMTP error from remote (?:mail server|mailer) .*)$"),
    _shape("exim", (" => ", " -> ", " *> "), EXIM + r"(?P<status>=>|->|\*>) (?P<rcpt>\S+).*? C=\"(?P<text>(?:[^\"\\]|\\.)*)\""),
    _shape("exim", (" ** ", " == ", " => ", " -> ", " *> "), EXIM + r"(?P<status>\*\*|==|=>|->|\*>) (?P<rcpt>[^\s:]+)"),
    _shape("exim", ("rejected ",), EXIM + r"(?:.*? F=<(?P<sender>[^>]*)>)?.*? (?:temporarily )?rejected (?P<stage>RCPT|MAIL|DATA|EHLO|HELO|connection)\b(?: <(?P<rcpt>[^>]*)>)?:? ?(?P<text>.*)$", status="rejected", direction="incoming"),
    # Exchange NDR text: the remote reply in quotes, the recipient on a line of its own above it.
    _shape("exchange", ("erver returned",), r"(?i)^\s*Remote server returned '(?P<text>.*)'\s*$", status="bounced"),
    # RFC 3464 delivery status notification (and X- variants); may continue on folded lines.
    _shape("dsn", ("iagnostic-", "IAGNOSTIC-"), r"(?i)^(?:X-)?Diagnostic-Code:\s*(?:smtp|X-[\w-]+|mailer)?\s*;?\s*(?P<text>.*)$"),
)

class Found(NamedTuple):
    """A reply (or a status without one) located in the input, before the reply is parsed."""

    line: int
    text: str | None  # what to hand to the reply parser; None when the line carries no reply
    family: str
    status: Outcome | None
    stage: str | None
    timestamp: str | None
    recipient: str | None
    sender: str | None
    queue_id: str | None
    failure: Outcome = "bounced"
    span: int = 1  # lines of the input the reply took
    dsn: str | None = None  # the enhanced status the format's own field gives (Sendmail `dsn=`); see log_dsn
    host: str | None = None  # the host that wrote the log line
    program: str | None = None  # the program that wrote it (postfix/smtp, sm-mta, exim, ...)
    direction: Direction | None = None
    raw: str | None = None  # the line a format's shape matched: log_dsn and log_delay read it when asked


_DSN = re.compile(r" dsn=([245]\.\d{1,3}\.\d{1,3})[,\s]")


def log_dsn(found: Found) -> str | None:
    """The log's own enhanced status: the shape's `dsn` group, else the line's first ` dsn=` (Postfix)."""
    if found.dsn or found.raw is None or " dsn=" not in found.raw:
        return found.dsn
    match = _DSN.search(found.raw)
    return match.group(1) if match else None


def log_delay(found: Found) -> str | None:
    """Postfix `delay=`: seconds from arrival to this attempt, as logged."""
    line = found.raw
    if found.family != "postfix" or line is None:
        return None
    at = line.find(" delay=")
    return line[at + 7:line.find(",", at)] if at > 0 else None


# Lines of these programs are read only through their own shapes above: a line of theirs without
# any of the family's needles (connects, queue manager, cleanup: most of a mail log) is skipped at
# the cost of a few substring tests, and never reaches the plain-text search.
_BY_FAMILY = {family: tuple(s for s in SHAPES if s.family == family) for family in {s.family for s in SHAPES}}


def _family(marker: str, family: str) -> tuple[str, tuple[str, ...], tuple[Shape, ...], bool]:
    shapes = _BY_FAMILY[family]
    return marker, tuple(dict.fromkeys(n for shape in shapes for n in shape.needles)), shapes, family == "postfix"


FAMILIES = (
    _family(" postfix", "postfix"), _family("sm-mta[", "sendmail"), _family("sendmail[", "sendmail"),
    _family("sm-msp-queue[", "sendmail"),
)
_TEXT_SHAPES = _BY_FAMILY["exchange"] + _BY_FAMILY["dsn"]
