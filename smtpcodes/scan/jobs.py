"""--jobs N: one input split into chunks of whole lines, scanned by N processes, merged in input order.

The main process reads (and gunzips) each input, cuts it into chunks that end on a line boundary,
counts their lines (so each chunk knows its first line number) and keeps at most 2*N chunks in
flight; the output is written in input order, byte for byte what one process writes. A big gzip file
of several members is instead cut at member boundaries (gzmembers.py), and the workers decompress
their own runs of members. An input whose lines depend on earlier ones (a bounce message, a
transcript, an Exchange log with its header) is sent whole, as one chunk, so that it is read exactly
as one process reads it.
"""

from __future__ import annotations

import os
import re
from collections import deque
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

from smtpcodes.errors import InputFileError, Problem, SmtpcodesError
from smtpcodes.scan.inputs import GZIP_MAGIC, STDIN, byte_blocks, input_name, input_problem, open_input
from smtpcodes.scan.partition import Result, Settings, scan_members, scan_partition

if TYPE_CHECKING:
    from smtpcodes.scan.gzmembers import MemberChunk, RunAll

CHUNK = 2 << 20
SPLIT_WORTH = 64 << 20  # bytes of input below which more processes cost more than they save
GZIP_WORTH = 2 << 20  # compressed bytes below which a gzip file is not cut at its members
WALK = 16 << 20  # compressed bytes whose members one task finds
GZIP_RATIO = 8  # about how many times its size a gzip file of logs decompresses to
MEMBERS_MAX = 8 << 20  # decompressed bytes of the largest run of gzip members whose records one result holds
# A log whose lines stand alone: syslog (Postfix, Sendmail) or Exim's main log.
_LINE_LOG = rb"^(?:[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d |\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d)"


def default_jobs(paths: list[str]) -> int:
    """The machine's cores for big regular files; 1 for small inputs and for stdin."""
    if "-" in paths:
        return 1
    total = 0
    for path in paths:
        size = _regular_size(path)
        if size:
            try:
                with open(path, "rb") as raw:
                    total += size * (GZIP_RATIO if raw.read(2) == GZIP_MAGIC else 1)
            except OSError:
                pass
    return (os.cpu_count() or 1) if total >= SPLIT_WORTH else 1


def _regular_size(path: str) -> int | None:
    import stat

    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return info.st_size if stat.S_ISREG(info.st_mode) else None


def splittable(head: bytes) -> bool:
    """Whether the input's first block looks like a log of independent lines."""
    lines = head[:65536].count(b"\n") or 1
    return len(re.findall(_LINE_LOG, head[:65536], re.MULTILINE)) * 10 >= lines * 9


Piece = tuple[Callable[..., Result], tuple]  # a partition's scan: the function and its arguments after the settings


def pieces(paths: Iterable[str], problems: list[str], stdin=None, opened: list[str] | None = None,
           run_all: "RunAll | None" = None, largest: int | None = None) -> Iterator[Piece]:
    """Every partition of the inputs in order; with `run_all` (to find gzip members), big gzip files of
    several members as runs of members of at most `largest` decompressed bytes."""
    for path in paths:
        problem = input_problem(path)
        if problem is not None:
            problems.append(problem)
            continue
        name = input_name(path)
        members = _member_chunks(path, run_all, largest) if run_all is not None and path != STDIN else None
        if members:
            from smtpcodes.scan.gzmembers import open_local

            if opened is not None:
                opened.append(name)
            for chunk in members:
                yield scan_members, (open_local, path, name, chunk)
            continue
        try:
            with open_input(path, stdin) as (stream, _):
                if opened is not None:
                    opened.append(name)
                for piece in _file_chunks(name, stream, problems):
                    yield scan_partition, piece
        except InputFileError as exc:
            problems.append(exc.problem())


def _member_chunks(path: str, run_all: "RunAll", largest: int | None = None) -> "list[MemberChunk] | None":
    """A big gzip file's runs of members, when it has several members and lines that stand alone (and,
    with `largest`, no run of more decompressed bytes than that)."""
    import zlib

    from smtpcodes.scan.gzmembers import chunks_of, next_header, open_local, ranges, walk

    length = _regular_size(path)  # only a regular file is read twice (never a pipe: <(zcat ...))
    if length is None or length < GZIP_WORTH:
        return None
    try:
        with open(path, "rb") as raw:
            if raw.read(2) != GZIP_MAGIC:
                return None
            raw.seek(0)
            head = zlib.decompressobj(wbits=31).decompress(raw.read(1 << 16), 1 << 16)
            if not splittable(head) or next_header(raw, 1, length) is None:
                return None  # one member (the usual gzip file): read here, cut into lines as they come
    except (OSError, zlib.error):
        return None  # read as usual, which reports why
    walks = run_all(walk, [(open_local, path, start, stop) for start, stop in ranges(length, WALK)])
    chunks = chunks_of(walks, length, CHUNK)
    if chunks is not None and largest is not None:
        tail = chunks[-1]
        if max(chunk.size for chunk in chunks) > largest or (tail.end is None and (length - tail.start) * GZIP_RATIO > largest):
            return None  # members too big to hold one's records at once: cut into lines here, as they come
    return chunks


def _file_chunks(name: str, stream, problems: list[str]) -> Iterator[tuple[str, bytes, int]]:
    pending = bytearray()
    line = 0
    split = None
    try:
        for block in byte_blocks(stream, name):
            pending += block
            if split is None:
                split = splittable(bytes(pending[:65536]))
            while split and len(pending) >= CHUNK:  # chunks of about CHUNK bytes, whatever the blocks read
                cut = (pending.rfind(b"\n", 0, CHUNK) + 1) or (pending.find(b"\n", CHUNK) + 1)
                if not cut:
                    break
                data = bytes(pending[:cut])
                del pending[:cut]
                yield name, data, line
                line += data.count(b"\n")
    except InputFileError as exc:
        problems.append(exc.problem())
        del pending[pending.rfind(b"\n") + 1:]  # the line the damage cut: one process loses it too
    except OSError as exc:
        from smtpcodes.scan.inputs import os_reason

        problems.append(Problem("input_failed", path=name, reason=os_reason(exc)))
        del pending[pending.rfind(b"\n") + 1:]
    if pending:
        yield name, bytes(pending), line


def scan_parallel(settings: Settings, paths: list[str], jobs: int, problems: list[str], stdin=None,
                  opened: list[str] | None = None) -> Iterator[Result]:
    """Results of every chunk, in input order, computed by `jobs` processes (one thread for 1)."""
    from concurrent.futures.process import BrokenProcessPool

    try:
        with _pool(jobs) as pool:
            def run_all(function, arguments):
                return list(pool.map(function, *zip(*arguments))) if arguments else []

            window: deque = deque()
            # Records of a run of members come back at once: runs too big for that are cut into lines here.
            largest = None if settings.mode == "summary" else MEMBERS_MAX
            for index, (function, arguments) in enumerate(pieces(paths, problems, stdin, opened, run_all, largest)):
                window.append(pool.submit(function, settings, *arguments, index))
                if len(window) >= 2 * jobs:
                    yield window.popleft().result()
            while window:
                yield window.popleft().result()
    except BrokenProcessPool:
        raise SmtpcodesError("jobs_worker_died") from None


def _pool(jobs: int):
    from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
    import multiprocessing

    if jobs == 1:  # --output-dir without --jobs: the same partitions, one at a time, in this process
        return ThreadPoolExecutor(1)
    # fork: the workers start at once with the catalogue this process already imported (it has no
    # threads: the progress bar is off with --jobs); spawn where there is no fork.
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    return ProcessPoolExecutor(jobs, mp_context=context)
