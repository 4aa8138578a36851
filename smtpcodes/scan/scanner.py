"""Find and explain every SMTP reply in logs, bounces and transcripts, streaming with constant memory.

Where the reply is on a line is logformats.py's business; the reply itself is parsed and explained
by explainer.py, each kind of reply once. The record keeps the exact reply text.

An input that cannot be read, or is damaged part-way, does not stop the scan: what was readable is
scanned, the problem is kept in `problems`, and the command exits 2 at the end (as grep does).
"""

from __future__ import annotations

import os
from typing import IO, TYPE_CHECKING, Callable, Iterable, Iterator

from smtpcodes.errors import BadInput, InputFileError, Problem
from smtpcodes.explain.analysis import Analyser, Analysis, analyser_for
from smtpcodes.scan.explainer import Explainer
from smtpcodes.scan.inputs import (
    MAX_LINE, STDIN, STDIN_NAME, Counts, byte_blocks, input_name, input_problem, open_input, os_reason, read_lines,
)
from smtpcodes.scan.linereader import LineReader
from smtpcodes.scan.logformats import Found
from smtpcodes.scan.memo import Explained
from smtpcodes.scan.records import (
    MASK, Filters, Record, Source, compact_json, compact_lines, detail_json, detail_pieces, mask, verdict_json,
)
from smtpcodes.scan.times import Times, parse_bound, parse_time

_new = tuple.__new__
Hit = tuple  # (input name, Found, Reply, Explained, outcome): see Scanner.hits

if TYPE_CHECKING:  # loaded on first use by __getattr__ below: a scan without a summary never imports them
    from smtpcodes.scan.summary import Aggregator, Group, Summary, summary_object

__all__ = [
    "MAX_LINE", "STDIN", "STDIN_NAME", "Aggregator", "Counts", "Filters", "Group", "Record", "Scanner", "Source",
    "Summary", "mask", "parse_bound", "parse_time", "summary_object",
]


def __getattr__(name: str):
    """The summary's names, importable from here as before, loaded only when asked for."""
    if name in ("Aggregator", "Group", "Summary", "summary_object"):
        from smtpcodes.scan import summary

        return getattr(summary, name)
    raise AttributeError(name)


class Scanner:
    """Turns inputs into records; counts what it read in `counts`, and input problems in `problems`."""

    MEMO = 4096  # entries in each generation of each of the explainer's memos

    def __init__(self, catalogue, filters: Filters = Filters(), *, traffic: bool = False):
        self.analyser: Analyser = analyser_for(catalogue)
        self.filters = filters
        self.counts = Counts()
        self.problems: list[str] = []
        self.traffic = None
        if traffic:
            from smtpcodes.scan.traffic import Traffic

            self.traffic = Traffic()
        self.explainer = Explainer(self.analyser, self.MEMO)
        self._filtering = any(value is not None for value in filters[:4])
        self.times = Times(filters.now)
        if filters.reason is not None and filters.reason not in catalogue.reasons:
            raise BadInput("bad_reason", value=filters.reason, choices=", ".join(catalogue.reasons))

    # --- what callers use --------------------------------------------------------------------

    def records(self, paths: Iterable[str], *, stdin: IO[bytes] | None = None,
                progress: Callable[[int], None] | None = None) -> Iterator[Record]:
        """The records of every input, in order, that pass the filters."""
        for record, _ in self.pairs(paths, stdin=stdin, progress=progress):
            yield record

    def json_lines(self, paths: Iterable[str], *, stdin: IO[bytes] | None = None,
                   progress: Callable[[int], None] | None = None, detail: bool = False) -> Iterator[str]:
        """Each record as a newline-terminated line of JSON: compact (schema 2), or with `detail` schema 1."""
        if detail:
            return self.json_of(self.pairs(paths, stdin=stdin, progress=progress), detail)
        return self.compact_of(self.hits(paths, stdin=stdin, progress=progress))

    def json_of(self, pairs: Iterable[tuple[Record, Explained]], detail: bool = False) -> Iterator[str]:
        if detail:
            for record, explained in pairs:
                pieces = explained.detail
                if pieces is None:
                    pieces = explained.detail = detail_pieces(explained.analysis)
                yield detail_json(record, pieces)
        else:
            for record, explained in pairs:
                verdict = explained.verdict
                if verdict is None:
                    verdict = explained.verdict = verdict_json(explained.analysis)
                yield compact_json(record, verdict)

    def compact_of(self, hits: Iterable[Hit]) -> Iterator[str]:
        """The compact JSON line (schema 2) of each hit, as json_of gives it for the hit's record."""
        return compact_lines(hits, self.times.iso)

    def pairs(self, paths: Iterable[str], *, stdin: IO[bytes] | None = None,
              progress: Callable[[int], None] | None = None) -> Iterator[tuple[Record, Explained]]:
        """(record, its shared explanation) for every input in order; unreadable inputs go to `problems`."""
        return self.pairs_of(self.hits(paths, stdin=stdin, progress=progress))

    def scan_lines(self, name: str, lines: Iterable[list[str]], first: int = 0) -> Iterator[tuple[Record, Explained]]:
        """Records of blocks of lines already read (a --jobs chunk, a cluster partition, a Spark partition)."""
        return self.pairs_of(self.scan_hits(name, lines, first))

    def pairs_of(self, hits: Iterable[Hit]) -> Iterator[tuple[Record, Explained]]:
        """The record of each hit, with its shared explanation."""
        iso = self.times.iso
        for name, found, reply, explained, outcome in hits:
            analysis = _new(Analysis, (reply, *explained.analysis[1:]))
            source = _new(Source, (name, found.line, found.timestamp, found.recipient, found.sender, found.queue_id))
            yield _new(Record, (
                analysis, source, outcome, found.family, found.direction, found.host, found.program, iso(found.timestamp),
            )), explained

    def hits(self, paths: Iterable[str], *, stdin: IO[bytes] | None = None,
             progress: Callable[[int], None] | None = None) -> Iterator[Hit]:
        """What records are made of, for every input in order (unreadable inputs go to `problems`): for each
        reply that passes the filters, (input name, Found, Reply, shared Explained, outcome): the record's
        Analysis is the Explained one with that Reply."""
        done = 0  # bytes of the inputs before this one, so that progress counts across files
        for path in paths:
            problem = input_problem(path)
            if problem is not None:
                self.problems.append(problem)
                continue
            name = input_name(path)
            try:
                with open_input(path, stdin) as (stream, position):
                    self.counts.files += 1
                    here = (lambda: done + position()) if progress else position
                    yield from self._scan_stream(name, stream, here, progress)
                    done += position()
            except InputFileError as exc:
                self.problems.append(exc.problem())

    def scan_hits(self, name: str, lines: Iterable[list[str]], first: int = 0) -> Iterator[Hit]:
        """`hits` of blocks of lines already read (a --jobs chunk, a cluster partition)."""
        reader = self._reader(name)
        number = first
        for block in lines:
            yield from self._hits(name, reader.read(block, number))
            number += len(block)
            self.counts.lines += len(block)
        closing = reader.finish()
        if closing is not None:
            yield from self._hits(name, (closing,))

    # --- reading ----------------------------------------------------------------------------

    def _reader(self, name: str) -> LineReader:
        reader = LineReader()
        if self.traffic is not None:
            self.traffic.start(name)
            reader.tally = self.traffic.line
        return reader

    def _scan_stream(self, name, stream, position, progress) -> Iterator[Hit]:
        reader = self._reader(name)
        counts = self.counts
        number = 0  # lines of this input before the block
        size = _size(stream)
        try:
            for lines in read_lines(byte_blocks(stream, name), counts):
                yield from self._hits(name, reader.read(lines, number))
                number += len(lines)
                counts.lines += len(lines)
                if progress is not None:
                    progress(position())
        except OSError as exc:
            self.problems.append(Problem("input_failed_after", path=name, reason=os_reason(exc), line=number))
            size = None
        except InputFileError as exc:
            self.problems.append(exc.problem())
            size = None
        closing = reader.finish()
        if closing is not None:
            yield from self._hits(name, (closing,))
        if size is not None:
            try:
                read = stream.tell()
            except (OSError, ValueError):
                read = None
            if read is not None and read < size:
                self.problems.append(Problem("input_shrank", path=name, read=read, size=size))

    # --- records -----------------------------------------------------------------------------

    def _hits(self, name: str, founds: Iterable[Found]) -> Iterator[Hit]:
        """The hits of what a reader found, counted (and Postfix traffic added up when asked for)."""
        counts = self.counts
        traffic = self.traffic
        from_masked, parsed = self.explainer.from_masked, self.explainer.parsed
        replies = used = matched = 0  # added to counts at the end: this loop runs for every reply
        try:
            for found in founds:
                _, text, family, status, stage, timestamp, _, _, _, failure, span, _, _, _, _, _ = found
                if traffic is not None and family == "postfix":
                    traffic.found(found)
                known = from_masked(text, stage) if text is not None and MASK not in text else None
                if known is None:
                    known = parsed(found)
                    if known is None:
                        counts.without_reply[status or "other"] += 1
                        continue
                reply, explained, digit = known
                replies += 1
                used += span
                if self._filtering and not self._wanted(explained.analysis, digit, timestamp):
                    continue
                matched += 1
                yield name, found, reply, explained, status or (
                    failure if digit == 5 else "deferred" if digit == 4 else "other")
        finally:
            counts.replies += replies
            counts.lines_used += used
            counts.matched += matched

    def _wanted(self, analysis: Analysis, digit: int | None, timestamp: str | None) -> bool:
        filters = self.filters
        if filters.klass is not None and digit != filters.klass:
            return False
        if filters.reason is not None and analysis.reason != filters.reason:
            return False
        return not (filters.since or filters.until) or self.times.within(timestamp, filters.since, filters.until)


def _size(stream) -> int | None:
    """The size of a regular file as it was opened (to notice one that shrinks), else None."""
    try:
        info = os.fstat(stream.fileno())
    except (OSError, ValueError, AttributeError, TypeError):
        return None
    import stat

    return info.st_size if stat.S_ISREG(info.st_mode) else None
