"""Bytes on a socket: send one command, read one reply with bounded lines, size and time."""

from __future__ import annotations

import socket
import time

from smtpcodes.probe.model import ServerReply

MAX_LINE = 1000  # characters kept per line; RFC 5321 allows 512 octets, real servers a little more
MAX_LINES = 100
MAX_REPLY_BYTES = 64 * 1024  # a reply bigger than this is a broken or hostile server
CHUNK = 4096


class WireError(Exception):
    """The conversation cannot go on; `kind` is a [messages.probe] key."""

    def __init__(self, kind: str, partial: tuple[str, ...] = ()):
        super().__init__(kind)
        self.kind = kind
        self.partial = partial


class Wire:
    """A connected socket (plain or TLS) with an input buffer and a deadline per reply."""

    def __init__(self, sock: socket.socket, timeout: float):
        self.sock = sock
        self.timeout = timeout
        self.buffer = b""

    def send(self, line: str) -> None:
        self.sock.settimeout(self.timeout)
        try:
            self.sock.sendall(line.encode("utf-8") + b"\r\n")
        except socket.timeout:
            raise WireError("timeout") from None
        except OSError:
            raise WireError("connection-lost") from None

    def read_reply(self) -> ServerReply:
        """One whole reply (every continuation line), or WireError: a silent or endless server
        cannot hold the probe past the deadline, and a huge one cannot fill the memory."""
        deadline = time.monotonic() + self.timeout
        lines: list[str] = []
        truncated = False
        received = 0
        while True:
            raw, received = self._read_line(deadline, received, tuple(lines))
            line = raw.decode("utf-8", errors="replace")
            if len(line) > MAX_LINE:
                line, truncated = line[:MAX_LINE], True
            if len(lines) < MAX_LINES:
                lines.append(line)
            else:
                truncated = True
            code = line[:3]
            if not (code.isdigit() and code.isascii()) or line[3:4] not in ("", " ", "-"):
                raise WireError("bad-reply", tuple(lines))
            if line[3:4] != "-":
                return ServerReply(int(code), tuple(lines), truncated)

    def _read_line(self, deadline: float, received: int, partial: tuple[str, ...]) -> tuple[bytes, int]:
        while True:
            end = self.buffer.find(b"\n")
            if end >= 0:
                raw, self.buffer = self.buffer[:end], self.buffer[end + 1:]
                return raw.rstrip(b"\r"), received
            if received > MAX_REPLY_BYTES:
                raise WireError("reply-too-long", partial)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise WireError("timeout", partial)
            self.sock.settimeout(remaining)
            try:
                data = self.sock.recv(CHUNK)
            except socket.timeout:
                raise WireError("timeout", partial) from None
            except OSError:
                raise WireError("connection-lost", partial) from None
            if not data:
                raise WireError("connection-lost", partial)
            received += len(data)
            self.buffer += data

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass
