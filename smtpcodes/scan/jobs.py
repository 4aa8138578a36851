"""--jobs N: one input split into chunks of whole lines, scanned by N processes, merged in input order.

The main process reads (and gunzips) each input, cuts it into chunks that end on a line boundary,
counts their lines (so each chunk knows its first line number) and keeps at most 2*N chunks in
flight; the output is written in input order, byte for byte what one process writes. An input whose
lines depend on earlier ones (a bounce message, a transcript, an Exchange log with its header) is
sent whole, as one chunk, so that it is read exactly as one process reads it.
"""

from __future__ import annotations

import os
import re
from collections import deque
from typing import Iterable, Iterator

from smtpcodes.errors import InputFileError, Problem, SmtpcodesError
from smtpcodes.scan.inputs import byte_blocks, input_name, input_problem, open_input
from smtpcodes.scan.partition import Result, Settings, scan_partition

CHUNK = 2 << 20
SPLIT_WORTH = 64 << 20  # bytes of input below which more processes cost more than they save
# A log whose lines stand alone: syslog (Postfix, Sendmail) or Exim's main log.
_LINE_LOG = rb"^(?:[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d |\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d)"


def default_jobs(paths: list[str]) -> int:
    """The machine's cores for big regular files; 1 for small inputs and for stdin."""
    if "-" in paths:
        return 1
    total = 0
    for path in paths:
        try:
            total += os.path.getsize(path)
        except (OSError, ValueError):
            pass
    return (os.cpu_count() or 1) if total >= SPLIT_WORTH else 1


def splittable(head: bytes) -> bool:
    """Whether the input's first block looks like a log of independent lines."""
    lines = head[:65536].count(b"\n") or 1
    return len(re.findall(_LINE_LOG, head[:65536], re.MULTILINE)) * 10 >= lines * 9


def chunks(paths: Iterable[str], problems: list[str], stdin=None, opened: list[str] | None = None) -> Iterator[tuple[str, bytes, int]]:
    """(input name, whole lines, lines before them) for every input, in order; problems noted as they come."""
    for path in paths:
        problem = input_problem(path)
        if problem is not None:
            problems.append(problem)
            continue
        name = input_name(path)
        try:
            with open_input(path, stdin) as (stream, _):
                if opened is not None:
                    opened.append(name)
                yield from _file_chunks(name, stream, problems)
        except InputFileError as exc:
            problems.append(exc.problem())


def _file_chunks(name: str, stream, problems: list[str]) -> Iterator[tuple[str, bytes, int]]:
    pending = bytearray()
    line = 0
    split = None
    try:
        for block in byte_blocks(stream, name):
            pending += block
            if split is None:
                split = splittable(bytes(pending[:65536]))
            if split and len(pending) >= CHUNK:
                cut = pending.rfind(b"\n") + 1
                if cut:
                    data = bytes(pending[:cut])
                    del pending[:cut]
                    yield name, data, line
                    line += data.count(b"\n")
    except InputFileError as exc:
        problems.append(exc.problem())
    except OSError as exc:
        from smtpcodes.scan.inputs import os_reason

        problems.append(Problem("input_failed", path=name, reason=os_reason(exc)))
    if pending:
        yield name, bytes(pending), line


def scan_parallel(settings: Settings, paths: list[str], jobs: int, problems: list[str], stdin=None,
                  opened: list[str] | None = None) -> Iterator[Result]:
    """Results of every chunk, in input order, computed by `jobs` processes."""
    from concurrent.futures import ProcessPoolExecutor
    import multiprocessing

    # fork: the workers start at once with the catalogue this process already imported (it has no
    # threads: the progress bar is off with --jobs); spawn where there is no fork.
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    from concurrent.futures.process import BrokenProcessPool

    try:
        with ProcessPoolExecutor(jobs, mp_context=context) as pool:
            window: deque = deque()
            for name, data, first in chunks(paths, problems, stdin, opened):
                window.append(pool.submit(scan_partition, settings, name, data, first))
                if len(window) >= 2 * jobs:
                    yield window.popleft().result()
            while window:
                yield window.popleft().result()
    except BrokenProcessPool:
        raise SmtpcodesError("jobs_worker_died") from None
