"""Reading inputs: files, stdin and gzip, as decoded lines a block at a time, losing nothing to damage.

A damaged input is read as far as it is readable (as `zcat` does): every line before the damage is
returned, then `InputDamaged` says where it is. gzip is decompressed here with zlib rather than
`gzip.GzipFile`, whose reads lose up to a block of good data when they meet the damage.
"""

from __future__ import annotations

import errno
import os
import zlib
from typing import IO, Callable, Iterable, Iterator

from smtpcodes.errors import InputFileError, Problem
from smtpcodes.scan.logformats import OUTCOMES

BLOCK = 1 << 20
MAX_LINE = 32 * 1024
STDIN = "-"
STDIN_NAME = "<stdin>"
GZIP_MAGIC = b"\x1f\x8b"


class InputDamaged(InputFileError):
    """An input ended in damage; the lines before it were read."""


class LineCounts:
    """What reading the blocks noticed: lines cut at MAX_LINE."""

    truncated = 0


class Counts(LineCounts):
    """What the scan read, so that no line goes uncounted."""

    def __init__(self) -> None:
        self.files = 0
        self.lines = 0
        self.lines_used = 0  # lines that held (part of) a reply
        self.truncated = 0
        self.replies = 0
        self.matched = 0
        self.without_reply = dict.fromkeys(OUTCOMES, 0)  # log statuses that quote no SMTP reply

    @property
    def lines_skipped(self) -> int:
        return self.lines - self.lines_used

    def merge(self, later: Counts) -> None:
        for name in ("files", "lines", "lines_used", "truncated", "replies", "matched"):
            setattr(self, name, getattr(self, name) + getattr(later, name))
        for name, value in later.without_reply.items():
            self.without_reply[name] += value


def input_name(path: str) -> str:
    return STDIN_NAME if path == STDIN else path


def input_problem(path: str) -> Problem | None:
    """Why an input cannot be read (one phrase naming it), or None when it can be opened."""
    if path == STDIN:
        return None
    try:
        os.stat(path)
    except ValueError:  # a NUL in the name
        return Problem("input_bad_name", path=path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return Problem("input_link_loop", path=path)
        if exc.errno == errno.ENOENT:
            return Problem("input_dangling_link" if os.path.islink(path) else "input_missing", path=path)
        return Problem("input_unreadable", path=path, reason=_strerror(exc))
    if os.path.isdir(path):
        return Problem("input_directory", path=path)
    if not os.access(path, os.R_OK):
        return Problem("input_denied", path=path)
    return None


def check_stdin_once(paths: Iterable[str]) -> None:
    from smtpcodes.errors import BadInput

    if list(paths).count(STDIN) > 1:
        raise BadInput("stdin_twice")


class open_input:
    """An input's raw binary stream and a function giving the bytes of it read so far."""

    def __init__(self, path: str, stdin: IO[bytes] | None = None):
        self.path = path
        self.stdin = stdin
        self.raw: IO[bytes] | None = None

    def __enter__(self) -> tuple[IO[bytes], Callable[[], int]]:
        if self.path == STDIN:
            import sys

            raw = self.stdin or sys.stdin.buffer
        else:
            try:
                raw = self.raw = open(self.path, "rb")
            except OSError as exc:
                raise InputFileError("input_unreadable", path=self.path, reason=_strerror(exc)) from None
        try:
            seekable = raw.seekable()
        except (OSError, ValueError):
            seekable = False
        return raw, (lambda: raw.tell()) if seekable else (lambda: 0)

    def __exit__(self, *exc_info) -> None:
        if self.raw is not None:
            self.raw.close()


def byte_blocks(raw: IO[bytes], name: str, limit: int | None = None) -> Iterator[bytes]:
    """The input's bytes, gunzipped when it starts with gzip's magic; InputDamaged after good data."""
    first = raw.read(BLOCK if limit is None else min(BLOCK, limit))
    if not first:
        return
    if first[:2] == GZIP_MAGIC and limit is None:
        yield from _gunzip(first, raw, name)
        return
    if first[:8192].count(b"\x00") * 64 > min(len(first), 8192):  # a stray NUL in a log line is just data
        raise InputFileError("input_binary", path=name)
    yield first
    left = None if limit is None else limit - len(first)
    while left is None or left > 0:
        chunk = raw.read(BLOCK if left is None else min(BLOCK, left))
        if not chunk:
            return
        if left is not None:
            left -= len(chunk)
        yield chunk


FEED = 64 << 10  # compressed bytes per decompress call: damage costs a replay of at most this much


def gunzip_blocks(raw: IO[bytes], name: str, offset: int = 0) -> Iterator[bytes]:
    """The gzip members that start where `raw` is (byte `offset` of the input, for naming damage), decompressed."""
    first = raw.read(BLOCK)
    return _gunzip(first, raw, name, offset) if first else iter(())


def _gunzip(first: bytes, raw: IO[bytes], name: str, offset: int = 0) -> Iterator[bytes]:
    """Decompress every gzip member in turn; damage or truncation is reported after what was readable."""
    decoder = zlib.decompressobj(wbits=31)
    data = first
    consumed = offset  # compressed bytes decoded so far
    fed = False  # whether the current member has had any data
    while True:
        if not data:
            data = raw.read(BLOCK)
            if not data:
                if fed and not decoder.eof:
                    raise InputDamaged("gzip_truncated", path=name)
                return
        piece, data = data[:FEED], data[FEED:]
        while piece:
            fed = True
            backup = decoder.copy()
            try:
                out = decoder.decompress(piece)
            except zlib.error as exc:
                good, where = _replay(backup, piece)
                if good:
                    yield good
                raise InputDamaged("gzip_damaged", path=name, offset=consumed + where, reason=str(exc)) from None
            if out:
                yield out
            if not decoder.eof:
                consumed += len(piece)
                break
            rest = decoder.unused_data
            consumed += len(piece) - len(rest)
            stripped = (rest + data).lstrip(b"\x00")  # padding after the last member, as gzip tolerates
            if stripped and stripped[:2] != GZIP_MAGIC:
                raise InputDamaged("gzip_trailing", path=name)
            decoder, fed = zlib.decompressobj(wbits=31), False
            piece, data = stripped[:FEED], stripped[FEED:]


def _replay(decoder, piece: bytes) -> tuple[bytes, int]:
    """What `piece` decodes to up to its first bad byte, fed a byte at a time to a copy made before it."""
    out = []
    for index in range(len(piece)):
        try:
            out.append(decoder.decompress(piece[index:index + 1]))
        except zlib.error:
            return b"".join(out), index
    return b"".join(out), len(piece)


def read_lines(blocks: Iterable[bytes], counts: LineCounts) -> Iterator[list[str]]:
    """The blocks' lines, decoded (bad UTF-8 replaced) and cut to MAX_LINE; the last line may lack a newline."""
    carry = b""
    dropping = False  # inside a line already cut at MAX_LINE: skip to its end
    for chunk in blocks:
        if dropping:
            end = chunk.find(b"\n")
            if end < 0:
                continue
            # The cut line ends here: what was kept of it becomes a line of its own.
            chunk, dropping = b"\n" + chunk[end + 1:], False
        data = carry + chunk if carry else chunk
        cut = data.rfind(b"\n")
        if cut < 0:
            carry = data
            if len(carry) > MAX_LINE:
                carry, dropping = carry[:MAX_LINE], True
                counts.truncated += 1
            continue
        carry = data[cut + 1:]
        if len(carry) > MAX_LINE:
            carry, dropping = carry[:MAX_LINE], True
            counts.truncated += 1
        yield decode_lines(data, cut, counts)
    if carry:
        yield _cut_long([carry.decode("utf-8", "replace").rstrip("\r")], counts)


def decode_lines(data: bytes, cut: int, counts: LineCounts) -> list[str]:
    """data[:cut] (which ends before a newline) as lines."""
    text = data[:cut].decode("utf-8", "replace")
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    lines = text.split("\n")
    if cut > MAX_LINE and max(map(len, lines)) > MAX_LINE:
        lines = _cut_long(lines, counts)
    return lines


def _cut_long(lines: list[str], counts: LineCounts) -> list[str]:
    for index, line in enumerate(lines):
        if len(line) > MAX_LINE:
            lines[index] = line[:MAX_LINE]
            counts.truncated += 1
    return lines


def _strerror(exc: OSError) -> str:
    return (exc.strerror or str(exc)).lower() if exc.strerror else str(exc)


def os_reason(exc: BaseException) -> str:
    """An OSError as the lower-case phrase users know from other tools."""
    return _strerror(exc) if isinstance(exc, OSError) else str(exc)
