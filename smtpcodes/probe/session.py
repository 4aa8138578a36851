"""One SMTP conversation with one address: connect, banner, EHLO, STARTTLS, AUTH, MAIL, RCPT, QUIT.

It never sends DATA. Each step becomes a transcript Step; the conversation stops at the first
refusal (after a polite QUIT) and says why in `Attempt.end`.
"""

import base64
import socket
from typing import Any, NamedTuple, NoReturn

from smtpcodes.probe.dns import Destination
from smtpcodes.probe.model import Options, ServerReply, Step
from smtpcodes.probe.tls import TlsFailure, certificate_facts, client_context, handshake
from smtpcodes.probe.wire import Wire, WireError

MASK = "********"


class Attempt(NamedTuple):
    """The steps with one address and how it ended: "accepted", "reachable", "sender-accepted",
    "reply" (a refusal: the last step holds it), "retry-unverified" or a failure key."""

    steps: list[Step]
    end: str


class Stop(Exception):
    """End the conversation with `end` (after QUIT when the connection still works)."""

    def __init__(self, end: str, polite: bool = True):
        super().__init__(end)
        self.end = end
        self.polite = polite


class Conversation:
    def __init__(self, options: Options, destination: Destination, password: str | None, verify: bool):
        self.options = options
        self.host = destination.host
        self.address = destination.address
        self.password = password
        self.verify = verify
        self.steps: list[Step] = []
        self.wire: Wire | None = None
        self.extensions: dict[str, str] = {}
        self.secure = False
        self.secrets: list[str] = []

    def run(self) -> Attempt:
        end = "accepted"
        try:
            self._connect()
            end = self._talk()
        except Stop as stop:
            end = stop.end
            if stop.polite and self.wire is not None:
                self._quit()
        finally:
            if self.wire is not None:
                self.wire.close()
        return Attempt(self.steps, end)

    def _talk(self) -> str:
        options = self.options
        if options.uses_implicit_tls:
            self._tls()
        self._expect("banner", None, 220)
        self._hello()
        if not options.uses_implicit_tls and options.starttls != "never":
            self._starttls()
        if options.user:
            self._auth()
        if options.sender is None and options.rcpt is None:
            self._quit()
            return "reachable"
        self._expect("mail", f"MAIL FROM:<{options.sender or ''}>{self._utf8()}", 250)
        if options.rcpt is None:
            self._quit()
            return "sender-accepted"
        self._expect("rcpt", f"RCPT TO:<{options.rcpt}>", 250, 251, 252)
        self._quit()
        return "accepted"

    # -- steps -------------------------------------------------------------------------------

    def _connect(self) -> None:
        port, timeout = self.options.port, self.options.timeout
        facts = {"address": self.address, "port": port}
        try:
            sock = socket.create_connection((self.address, port), timeout=timeout)
        except ConnectionRefusedError:
            raise self._fail("connect", "refused", facts) from None
        except (socket.timeout, TimeoutError):
            raise self._fail("connect", "connect-timeout", facts) from None
        except OSError as exc:
            raise self._fail("connect", "network-unreachable", {**facts, "error": exc.strerror or ""}) from None
        self.wire = Wire(sock, timeout)
        note = "connected" if self.verify else "reconnected-unverified"
        self.steps.append(Step("connect", "ok", note, self.host, params=facts, facts=facts))

    def _hello(self) -> None:
        name = self.options.ehlo or self._own_name()
        reply = self._exchange("ehlo", f"EHLO {name}")
        if reply.code == 250:
            self._add("ehlo", "ok", f"EHLO {name}", reply)
            self.extensions = _extensions(reply)
            return
        if reply.code in (500, 502, 504, 550):  # EHLO unknown: an old server speaks HELO (RFC 5321 §4.1.4)
            self._add("ehlo", "info", f"EHLO {name}", reply, note="ehlo-unsupported")
            self._expect("helo", f"HELO {name}", 250)
            return
        self._refused("ehlo", f"EHLO {name}", reply)

    def _starttls(self) -> None:
        options = self.options
        if "STARTTLS" not in self.extensions:
            if options.starttls == "require":
                self.steps.append(Step("starttls", "failed", "starttls-not-offered", self.host))
                raise Stop("tls-unavailable")
            self.steps.append(Step("starttls", "info", "starttls-not-offered", self.host))
            return
        reply = self._exchange("starttls", "STARTTLS")
        if reply.code != 220:
            if options.starttls == "require" or self._strict:
                self._refused("starttls", "STARTTLS", reply)
            self._add("starttls", "info", "STARTTLS", reply, note="starttls-declined")
            return
        self._add("starttls", "ok", "STARTTLS", reply)
        self._tls()
        self._hello()  # the pre-TLS EHLO answer is void (RFC 3207 §4.2)

    def _tls(self) -> None:
        assert self.wire is not None
        context = client_context(self.verify, self.options.cafile)
        try:
            tls = handshake(self.wire.sock, self.host, context, self.options.timeout)
        except TlsFailure as failure:
            facts = {**failure.facts, "host": self.host}
            self.steps.append(Step("tls", "failed", failure.kind, self.host, params=facts, facts=facts))
            self.wire.close()
            self.wire = None  # a failed handshake leaves nothing to QUIT on
            if failure.kind in ("cert-untrusted", "cert-expired") and not self._strict:
                raise Stop("retry-unverified", polite=False) from None
            raise Stop(failure.kind, polite=False) from None
        self.wire = Wire(tls, self.options.timeout)
        self.secure = True
        facts = certificate_facts(tls, self.host, self.verify)
        params = {**facts, "host": self.host or self.address}
        if facts.get("name_matches") is False:
            self.steps.append(Step("tls", "failed" if self._strict else "info", "cert-mismatch", self.host,
                                   params=params, facts=facts))
            if self._strict:
                raise Stop("cert-mismatch")
            return
        note = "tls-unverified" if not self.verify else ("tls-ok" if self.host else "tls-ok-address")
        self.steps.append(Step("tls", "ok", note, self.host, params=params, facts=facts))

    def _auth(self) -> None:
        user, password = self.options.user or "", self.password or ""
        mechanisms = self.extensions.get("AUTH", "").upper().split()
        if not self.secure:
            self.steps.append(Step("auth", "skipped", "auth-needs-tls", self.host))
            raise Stop("auth-needs-tls")
        if "PLAIN" in mechanisms:
            token = base64.b64encode(f"\0{user}\0{password}".encode()).decode()
            self.secrets += [password, token]
            self._expect("auth", f"AUTH PLAIN {token}", 235, shown=f"AUTH PLAIN {MASK}")
        elif "LOGIN" in mechanisms:
            secret = base64.b64encode(password.encode()).decode()
            self.secrets += [password, secret]
            self._expect("auth", "AUTH LOGIN", 334)
            self._expect("auth", base64.b64encode(user.encode()).decode(), 334)
            self._expect("auth", secret, 235, shown=MASK)
        else:
            facts = {"mechanisms": mechanisms}
            self.steps.append(Step("auth", "failed", "auth-not-offered", self.host, params=facts, facts=facts))
            raise Stop("auth-not-offered")

    def _quit(self) -> None:
        if self.wire is None:
            return
        try:
            reply = self._exchange("quit", "QUIT")
        except Stop:
            # A server that hangs up without answering QUIT is common and harmless.
            self.steps[-1] = self.steps[-1]._replace(status="info")
            return
        self._add("quit", "ok" if reply.code == 221 else "info", "QUIT", reply)
        self.wire.close()
        self.wire = None

    # -- plumbing ----------------------------------------------------------------------------

    @property
    def _strict(self) -> bool:
        """Clients that submit mail (and an explicit `require`) refuse a bad certificate; an MTA
        relaying to an MX encrypts opportunistically and goes on."""
        options = self.options
        return options.starttls == "require" or options.is_submission or options.uses_implicit_tls or bool(options.user)

    def _expect(self, stage: str, command: str | None, *wanted: int, shown: str | None = None) -> ServerReply:
        reply = self._exchange(stage, command, shown)
        if reply.code not in wanted:
            self._refused(stage, shown or command, reply)
        self._add(stage, "ok", shown or command, reply)
        return reply

    def _exchange(self, stage: str, command: str | None, shown: str | None = None) -> ServerReply:
        assert self.wire is not None
        try:
            if command is not None:
                self.wire.send(command)
            return self._redacted(self.wire.read_reply())
        except WireError as error:
            reply = ServerReply(None, self._redacted(ServerReply(None, error.partial)).lines) if error.partial else None
            self.steps.append(Step(stage, "failed", error.kind, self.host, shown or command, reply))
            self.wire.close()
            self.wire = None
            raise Stop(error.kind, polite=False) from None

    def _refused(self, stage: str, command: str | None, reply: ServerReply) -> NoReturn:
        permanent = reply.code is not None and reply.code >= 500
        self._add(stage, "failed", command, reply, note="reply-permanent" if permanent else "reply-temporary")
        raise Stop("reply")

    def _add(self, stage: str, status: str, command: str | None, reply: ServerReply, note: str | None = None) -> None:
        self.steps.append(Step(stage, status, note or f"{stage}-{status}", self.host, command, reply))

    def _fail(self, stage: str, kind: str, facts: dict[str, Any]) -> Stop:
        self.steps.append(Step(stage, "failed", kind, self.host, params=facts, facts=facts))
        return Stop(kind, polite=False)

    def _redacted(self, reply: ServerReply) -> ServerReply:
        """A server may echo what it was sent; a secret never reaches the transcript."""
        secrets = [s for s in self.secrets if s]
        if not secrets:
            return reply
        lines = []
        for line in reply.lines:
            for secret in secrets:
                line = line.replace(secret, MASK)
            lines.append(line)
        return reply._replace(lines=tuple(lines))

    def _utf8(self) -> str:
        addresses = (self.options.sender or "") + (self.options.rcpt or "")
        return " SMTPUTF8" if not addresses.isascii() and "SMTPUTF8" in self.extensions else ""

    def _own_name(self) -> str:
        """The local host name when it is a domain, else our address literal (RFC 5321 §4.1.3)."""
        name = socket.gethostname()
        if "." in name and not name.endswith(".localdomain"):
            return name
        assert self.wire is not None
        local = self.wire.sock.getsockname()[0]
        return f"[IPv6:{local}]" if ":" in local else f"[{local}]"


def _extensions(reply: ServerReply) -> dict[str, str]:
    """EHLO keywords (upper case) and their parameters, from every line after the first."""
    found: dict[str, str] = {}
    for line in reply.lines[1:]:
        keyword, _, params = line[4:].strip().partition(" ")
        if keyword:
            found[keyword.upper()] = params
    return found


def converse(options: Options, destination: Destination, password: str | None, verify: bool = True) -> Attempt:
    """Talk to one address; see Attempt for how it ends."""
    return Conversation(options, destination, password, verify).run()
