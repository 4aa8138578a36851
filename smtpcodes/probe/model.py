"""The records of a probe: options, replies, transcript steps and the verdict, as plain data."""

from typing import Any, Literal, NamedTuple

StartTls = Literal["auto", "require", "never"]
Outcome = Literal["accepted", "rejected", "temporary", "unreachable"]
SUBMISSION_PORTS = (465, 587)


class Options(NamedTuple):
    """What to ask and how; the password is never part of it (see run_probe)."""

    target: str
    rcpt: str | None = None
    sender: str | None = None
    port: int = 25
    starttls: StartTls = "auto"
    user: str | None = None
    ehlo: str | None = None
    timeout: float = 20.0
    implicit_tls: bool | None = None  # None: only on port 465 (RFC 8314)
    cafile: str | None = None  # extra trusted roots, e.g. a private CA; the system ones otherwise
    max_addresses: int = 5  # how many MX addresses to try before giving up, as MTAs bound it

    @property
    def uses_implicit_tls(self) -> bool:
        return self.implicit_tls if self.implicit_tls is not None else self.port == 465

    @property
    def is_submission(self) -> bool:
        return self.port in SUBMISSION_PORTS


class ServerReply(NamedTuple):
    """One reply as read from the wire: its code and every line, bounded in size."""

    code: int | None
    lines: tuple[str, ...]
    truncated: bool = False

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


class Step(NamedTuple):
    """One line of the transcript: what was done, what the server said, and what it means.

    `status` is "ok", "failed", "skipped" or "info"; `note` is a [messages.probe] key with
    `params`; `facts` holds plain values (addresses, certificate names, TLS version); `analysis`
    is the explain layer's Analysis of the reply, added after the conversation.
    """

    stage: str
    status: str
    note: str
    host: str | None = None
    command: str | None = None
    reply: ServerReply | None = None
    params: dict[str, Any] = {}
    facts: dict[str, Any] = {}
    analysis: Any = None


class Verdict(NamedTuple):
    """The answer: a [messages.probe] key with its parameters, the outcome and the reason."""

    key: str
    outcome: Outcome
    params: dict[str, Any]
    reason: str | None = None  # a catalogue reason (reasons.*) when one applies


class ProbeResult(NamedTuple):
    options: Options
    steps: tuple[Step, ...]
    verdict: Verdict
    host: str | None  # the host the conversation reached, if any
    address: str | None
