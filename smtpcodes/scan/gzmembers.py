"""A gzip file of several members cut at member boundaries, so that --jobs and --cluster share it out.

`cat a.gz b.gz`, logrotate's concatenations and bgzip files hold several gzip members, each a whole
deflate stream: decompressing can start at any member's first byte. No header says where a member
ends, so the members are found by walks: each walk takes a range of the compressed file, starts at
the first offset in it that looks like a member header and decompresses member after member (zlib
says where each ends), counting their newlines. Bytes inside compressed data can look like a header,
so only the chain of members that follow one another from byte 0 is used; the first thing that does
not fit (damage, a cut, trailing bytes, padding) ends the chain, and the rest of the file goes to one
chunk read exactly as one process reads it, so that damage is reported as before.

Runs of members become chunks; a chunk owns the lines that start in it, as a byte range of a plain
file does: it skips the end of a line an earlier chunk began, and reads on into the next member to
finish its own last line. Its first line number comes from the newlines the walks counted.
"""

from __future__ import annotations

import zlib
from typing import IO, Callable, ContextManager, Iterable, Iterator, NamedTuple, Sequence

from smtpcodes.errors import InputFileError, Problem
from smtpcodes.scan.inputs import FEED, MAX_LINE, gunzip_blocks, os_reason

Opener = Callable[[str], ContextManager[IO[bytes]]]
RunAll = Callable[[Callable, Sequence[tuple]], list]  # runs a function over argument tuples, results in order
LONG = 2 * MAX_LINE  # bytes kept of a line: it is cut at MAX_LINE anyway, and counted as cut
_HEADER = b"\x1f\x8b\x08"  # gzip magic and deflate; the flags byte after it has its top three bits clear


class Member(NamedTuple):
    start: int  # compressed offsets
    end: int
    lines: int  # newlines in its decompressed data
    size: int  # decompressed bytes
    ends_line: bool  # its last decompressed byte is a newline


class MemberChunk(NamedTuple):
    """Members [start, end) of a gzip file; `end` None: from `start` to the file's end, read as one process
    reads it (damage and what follows it)."""

    start: int
    end: int | None
    first_line: int  # lines before the first line this chunk owns
    mid_line: bool  # starts inside a line that an earlier chunk owns
    size: int  # decompressed bytes of its members (with `end` None: of the first; what follows is unknown)


def open_local(path: str) -> IO[bytes]:
    return open(path, "rb")


def ranges(length: int, span: int) -> list[tuple[int, int]]:
    return [(start, min(start + span, length)) for start in range(0, length, span)]


def walk(opener: Opener, url: str, start: int, stop: int) -> list[Member]:
    """The members that follow one another from the first member header at or after `start`, while they
    start before `stop` (the last one may end past it)."""
    members: list[Member] = []
    try:
        with opener(url) as raw:
            at: int | None = start if start == 0 else next_header(raw, start, stop)
            while at is not None and at < stop:
                member = _member(raw, at)
                if member is not None:
                    members.append(member)
                    at = member.end
                elif members or at == 0:
                    break  # damage, a cut or trailing bytes: the chain ends here
                else:
                    at = next_header(raw, at + 1, stop)  # looked like a header, was not one
    except OSError:
        pass  # the chain ends where this walk could not go on; the chunk after it reports why
    return members


def next_header(raw: IO[bytes], start: int, stop: int) -> int | None:
    """The first offset in [start, stop) where the bytes look like a gzip member header."""
    raw.seek(start)
    base, pending = start, b""  # pending: the bytes read from offset `base` on, not yet searched through
    while base < stop:
        more = raw.read(1 << 20)
        pending += more
        found = pending.find(_HEADER)
        while 0 <= found and base + found < stop and found + 3 < len(pending):
            if not pending[found + 3] & 0xE0:
                return base + found
            found = pending.find(_HEADER, found + 1)
        if not more:
            return None
        keep = min(len(_HEADER), len(pending))  # a header may straddle two reads
        base += len(pending) - keep
        pending = pending[len(pending) - keep:]
    return None


def _member(raw: IO[bytes], start: int) -> Member | None:
    """The member at `start` decompressed and counted, or None where there is none or it is damaged or cut."""
    raw.seek(start)
    decoder = zlib.decompressobj(wbits=31)
    consumed = lines = size = 0
    last = b""
    while not decoder.eof:
        piece = raw.read(FEED)
        if not piece:
            return None
        try:
            out = decoder.decompress(piece)
        except zlib.error:
            return None
        consumed += len(piece)
        if out:
            lines += out.count(b"\n")
            size += len(out)
            last = out[-1:]
    return Member(start, start + consumed - len(decoder.unused_data), lines, size, last == b"\n")


def chunks_of(walks: Iterable[list[Member]], length: int, target: int) -> list[MemberChunk] | None:
    """Chunks of about `target` decompressed bytes from the walks of a file of `length` bytes; None when
    the file does not make two."""
    found = {member.start: member for members in walks for member in members}
    chain: list[Member] = []
    at = 0
    while at in found:  # each member ends after it starts: this ends
        chain.append(found[at])
        at = found[at].end
    tail = chain.pop() if at != length and chain else None  # what does not fit is read from the last good
    chunks: list[MemberChunk] = []                              # member on, as one process reads it
    lines, in_line = 0, False  # newlines before the member; whether the data before it ends inside a line
    begin: MemberChunk | None = None
    for member in chain:
        if begin is None:
            begin = MemberChunk(member.start, None, lines + int(in_line), in_line, 0)
        begin = begin._replace(end=member.end, size=begin.size + member.size)
        lines += member.lines
        if member.size:
            in_line = not member.ends_line
        if begin.size >= target:
            chunks.append(begin)
            begin = None
    if begin is not None:
        chunks.append(begin)
    if tail is not None:
        chunks.append(MemberChunk(tail.start, None, lines + int(in_line), in_line, tail.size))
    return chunks if len(chunks) > 1 else None


class _Window:
    """A stream that ends at byte `end` of another."""

    def __init__(self, raw: IO[bytes], end: int | None):
        self.raw, self.left = raw, None if end is None else end - raw.tell()

    def read(self, size: int = -1) -> bytes:
        if self.left is None:
            return self.raw.read(size)
        data = self.raw.read(self.left if size < 0 else min(size, self.left))
        self.left -= len(data)
        return data


def chunk_blocks(opener: Opener, url: str, name: str, chunk: MemberChunk, problems: list[Problem]) -> Iterator[bytes]:
    """The whole lines a chunk owns, decompressed a block at a time; damage goes to `problems`, after the
    lines before it (the line it cuts is lost, as one process loses it)."""
    try:
        with opener(url) as raw:
            raw.seek(chunk.start)
            skipping = chunk.mid_line  # the end of a line an earlier chunk owns
            held = b""  # bytes after the last newline: a line not yet known to be whole
            try:
                for block in gunzip_blocks(_Window(raw, chunk.end), name, chunk.start):
                    if skipping:
                        cut = block.find(b"\n")
                        if cut < 0:
                            continue
                        block, skipping = block[cut + 1:], False
                    cut = block.rfind(b"\n")
                    if cut < 0:
                        held = (held + block)[:LONG]
                        continue
                    yield held + block[:cut + 1]
                    held = block[cut + 1:][:LONG]
            except InputFileError as exc:
                problems.append(exc.problem())
                return
            if held and chunk.end is not None:
                raw.seek(chunk.end)
                rest = _rest_of_line(raw, name)
                held = held + rest if rest is not None else b""
            if held:
                yield held
    except OSError as exc:
        problems.append(Problem("input_failed", path=name, reason=os_reason(exc)))


def _rest_of_line(raw: IO[bytes], name: str) -> bytes | None:
    """The end of a line that goes on into the members from here; None when damage cuts it."""
    rest = b""
    try:
        for block in gunzip_blocks(raw, name):
            cut = block.find(b"\n")
            if cut >= 0:
                return rest + block[:cut + 1]
            rest = (rest + block)[:LONG]
    except InputFileError:
        return None
    return rest  # the file's last line, which has no newline
