"""Loopback servers for the probe tests: aiosmtpd providers, scripted misbehaving servers, a DNS server.

Everything listens on 127.0.0.1 only and is stopped by the fixture that started it.
"""

from __future__ import annotations

import socket
import threading
from contextlib import contextmanager

import dns.flags
import dns.message
import dns.rcode
import dns.rdatatype
import dns.rrset
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

LOOPBACK = "127.0.0.1"
USER, PASSWORD = "app@example.test", "correct horse battery staple"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return probe.getsockname()[1]


class Provider:
    """Answers RCPT like real providers do, chosen by the recipient's local part."""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@")[0]
        if local == "nobody":
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown in local recipient table"
        if local == "grey":
            return f"450 4.2.0 <{address}>: Recipient address rejected: Greylisted, see http://postgrey.example/help; please try again in 300 seconds"
        if local == "listed":
            return "554 5.7.1 Service unavailable; Client host [127.0.0.1] blocked using zen.spamhaus.org"
        if local == "full":
            return "452 4.2.2 <full@example.test>: Mailbox full"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 Ok"

    async def handle_DATA(self, server, session, envelope):  # the probe must never get here
        raise AssertionError("probe sent DATA")


def check_password(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == USER and auth_data.password.decode() == PASSWORD
    return AuthResult(success=ok, handled=False)


@contextmanager
def smtp_server(**smtp_options):
    """An aiosmtpd server on a free loopback port; yields the port."""
    port = free_port()
    controller = Controller(Provider(), hostname=LOOPBACK, port=port, ready_timeout=5, **smtp_options)
    controller.start()
    try:
        yield port
    finally:
        controller.stop()


class Scripted:
    """A raw server that sends `banner`, then answers each command verb from `replies`
    (bytes, or a callable given the line); None means say nothing and hold the line."""

    def __init__(self, banner: bytes | None, replies: dict | None = None, close_after_banner: bool = False,
                 tls_context=None, starttls_context=None):
        self.banner = banner
        self.starttls_context = starttls_context  # answer STARTTLS, then switch to TLS
        self.tls_context = tls_context  # TLS from the first byte, as on port 465
        self.close_after_banner = close_after_banner
        self.replies = replies or {}
        self.received: list[bytes] = []
        self.listener = socket.create_server((LOOPBACK, 0))
        self.listener.settimeout(0.2)
        self.port = self.listener.getsockname()[1]
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self):
        while not self.stopping.is_set():
            try:
                conn, _ = self.listener.accept()
            except OSError:
                continue
            threading.Thread(target=self._talk, args=(conn,), daemon=True).start()

    def _talk(self, conn: socket.socket):
        conn.settimeout(5)
        try:
            if self.tls_context is not None:
                conn = self.tls_context.wrap_socket(conn, server_side=True)
            with conn:
                if self.banner is None:
                    self.stopping.wait(10)
                    return
                conn.sendall(self.banner)
                if self.close_after_banner:
                    return
                buffer = b""
                while not self.stopping.is_set():
                    data = conn.recv(4096)
                    if not data:
                        return
                    buffer += data
                    while b"\r\n" in buffer:
                        line, buffer = buffer.split(b"\r\n", 1)
                        self.received.append(line)
                        verb = line.split(b" ")[0].upper().decode("ascii", "replace")
                        reply = self.replies.get(verb, b"250 ok\r\n" if verb != "QUIT" else b"221 bye\r\n")
                        if callable(reply):
                            reply = reply(line)
                        if reply is None:
                            self.stopping.wait(10)
                            return
                        conn.sendall(reply)
                        if verb == "QUIT":
                            return
                        if verb == "STARTTLS" and self.starttls_context is not None:
                            conn = self.starttls_context.wrap_socket(conn, server_side=True)
                            buffer = b""
        except OSError:
            pass

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        self.listener.close()
        self.thread.join(2)


class DnsServer:
    """A tiny authoritative DNS server on loopback UDP, answering from `zone`:
    {name: {"MX": ["10 mx.example.test."], "A": ["127.0.0.1"]}}; "SERVFAIL" as a value fails the name;
    names not in the zone are NXDOMAIN."""

    def __init__(self, zone: dict):
        self.zone = {name.rstrip(".").lower(): records for name, records in zone.items()}
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind((LOOPBACK, 0))
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self):
        while not self.stopping.is_set():
            try:
                data, peer = self.sock.recvfrom(4096)
            except OSError:
                continue
            query = dns.message.from_wire(data)
            response = dns.message.make_response(query)
            response.flags |= dns.flags.AA
            question = query.question[0]
            name = question.name.to_text(omit_final_dot=True).lower()
            records = self.zone.get(name)
            rdtype = dns.rdatatype.to_text(question.rdtype)
            if records is None:
                response.set_rcode(dns.rcode.NXDOMAIN)
            elif records == "SERVFAIL":
                response.set_rcode(dns.rcode.SERVFAIL)
            elif records.get(rdtype):
                response.answer.append(dns.rrset.from_text(question.name, 300, "IN", rdtype, *records[rdtype]))
            self.sock.sendto(response.to_wire(), peer)

    def resolver(self, timeout: float):
        from smtpcodes.probe.dns import DnspythonResolver

        return DnspythonResolver(timeout, [LOOPBACK], self.port)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        self.thread.join(2)
        self.sock.close()
