"""The data model of a code: immutable records with no I/O, no rich and no typer.

They are NamedTuples rather than frozen dataclasses because every start of the
command pays for defining them, and a NamedTuple costs a fifth as much to define.
For the same reason the records of a reply (replies.py, analysis.py) and of a
comparison (compare.py) live beside the code that builds them, so explaining a
single code does not define them, and there is no `from __future__ import annotations`
here: with string annotations a NamedTuple compiles a ForwardRef for every field.
"""

from typing import Literal, NamedTuple

Kind = Literal["basic", "enhanced"]

STATUSES = ("standard", "registry", "experimental", "non-standard", "deprecated", "private")
ACTORS = ("sender", "sending-admin", "client-developer", "recipient", "receiving-admin", "nobody")
STAGES = (
    "CONNECT", "EHLO", "STARTTLS", "AUTH", "MAIL", "RCPT", "DATA", "BDAT",
    "ETRN", "ATRN", "VRFY", "EXPN", "HELP", "NOOP", "RSET", "QUIT", "ANY",
)
# The stages at which no message is on the table yet: a failure there is about the connection,
# the client's login or its encryption, not a bounce of a message.
CONNECTION_STAGES = ("CONNECT", "EHLO")
CLIENT_STAGES = ("AUTH", "STARTTLS")


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
    aliases: tuple[str, ...] = ()  # the common names people search for ("Authentication Failed")
    untranslated: tuple[str, ...] = ()  # fields shown in English for want of a translation
