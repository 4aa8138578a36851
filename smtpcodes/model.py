"""The data model: immutable records with no I/O, no rich and no typer.

They are NamedTuples rather than frozen dataclasses because every start of the
command pays for defining them, and a NamedTuple costs a fifth as much to define.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

Kind = Literal["basic", "enhanced"]
Bounce = Literal["hard", "soft"]

STATUSES = ("standard", "registry", "experimental", "non-standard", "deprecated", "private")
ACTORS = ("sender", "sending-admin", "client-developer", "recipient", "receiving-admin", "nobody")
STAGES = (
    "CONNECT", "EHLO", "STARTTLS", "AUTH", "MAIL", "RCPT", "DATA", "BDAT",
    "ETRN", "ATRN", "VRFY", "EXPN", "HELP", "NOOP", "RSET", "QUIT", "ANY",
)


class Level(NamedTuple):
    """One level of a code's structure: a class, a category or a subject."""

    digit: int | None
    name: str
    meaning: str = ""
    fix: tuple[str, ...] = ()


class Note(NamedTuple):
    """What one provider means by a code."""

    provider: str
    name: str
    text: str


class Code(NamedTuple):
    """Everything smtpcodes knows about one basic or enhanced code."""

    code: str
    kind: Kind
    known: bool
    title: str
    code_class: Level
    category: Level
    retryable: bool | None
    description: str
    when: str
    fix: tuple[str, ...]
    references: tuple[str, ...]
    related: tuple[str, ...] = ()
    pairs_with: tuple[str, ...] = ()
    status: str | None = None
    fix_by: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()
    reason: str | None = None
    classes: tuple[int, ...] = ()
    notes: tuple[Note, ...] = ()
    provider: str | None = None
    source: str = "built-in"
    warnings: tuple[str, ...] = ()


class Difference(NamedTuple):
    """One way in which compared codes differ, with the value for each code."""

    field: str
    label: str
    values: tuple[str, ...]
    explanation: str


class Comparison(NamedTuple):
    """The result of comparing two or more codes."""

    codes: tuple[Code, ...]
    summary: str
    differences: tuple[Difference, ...]
    shared: tuple[str, ...]
    actions: tuple[str, ...]


class Reply(NamedTuple):
    """A server reply as parsed from pasted text or a log line."""

    code: str
    enhanced: str | None
    text: str
    lines: tuple[str, ...]
    stage: str | None = None
    host: str | None = None


class Provider(NamedTuple):
    """A mail provider or server program recognisable from its replies."""

    id: str
    name: str
    advice: str
    docs: tuple[str, ...]
    reasons: dict[str, str]


class Analysis(NamedTuple):
    """A whole reply explained: codes, reason with evidence, verdicts and advice."""

    reply: Reply
    basic: Code
    enhanced: Code | None
    reason: str | None
    reason_title: str | None
    evidence: tuple[str, ...]
    retryable: bool | None
    bounce: Bounce | None
    provider: Provider | None
    stage: str | None
    diagnosis: str
    fix: tuple[str, ...]
    warnings: tuple[str, ...]
