"""Find and explain every SMTP reply in logs, bounces and transcripts, streaming with constant memory.

Where the reply is on a line is logformats.py's business; the reply itself is parsed by
replies.parse_reply and explained by the catalogue's Analyser, as `explain` does, with one
difference made for speed: identical replies are explained once. Replies differ in their identifiers
(queue ids, message ids, addresses, IP addresses), so the explanation is computed from the reply with
those masked (records.mask), for every reply alike: the explanation of a reply is a function of its
masked text and stage only. The record keeps the exact reply text.

An input that cannot be read, or is damaged part-way, does not stop the scan: what was readable is
scanned, the problem is kept in `problems`, and the command exits 2 at the end (as grep does).
"""

from __future__ import annotations

import os
from typing import IO, TYPE_CHECKING, Callable, Iterable, Iterator

from smtpcodes.errors import BadInput, InputFileError, Problem
from smtpcodes.explain.analysis import Analyser, Analysis, analyser_for
from smtpcodes.explain.replies import Reply, parse_reply
from smtpcodes.scan.inputs import (
    MAX_LINE, STDIN, STDIN_NAME, Counts, byte_blocks, input_name, input_problem, open_input, os_reason, read_lines,
)
from smtpcodes.scan.linereader import LineReader
from smtpcodes.scan.logformats import Found
from smtpcodes.scan.records import (
    MASK, Filters, Record, Source, compact_json, detail_json, detail_pieces, mask, masked_parts, unmask, verdict_json,
)
from smtpcodes.scan.times import Times, parse_bound, parse_time

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


class _Explained:
    """One masked reply explained once, with its JSON pieces built on first use."""

    __slots__ = ("analysis", "verdict", "detail")

    def __init__(self, analysis: Analysis):
        self.analysis = analysis
        self.verdict: str | None = None
        self.detail: tuple[str, str] | None = None


class Scanner:
    """Turns inputs into records; counts what it read in `counts`, and input problems in `problems`."""

    MEMO = 4096  # explanations in each of the memo's two generations

    def __init__(self, catalogue, filters: Filters = Filters(), *, traffic: bool = False):
        self.analyser: Analyser = analyser_for(catalogue)
        self.filters = filters
        self.counts = Counts()
        self.problems: list[str] = []
        self.traffic = None
        if traffic:
            from smtpcodes.scan.traffic import Traffic

            self.traffic = Traffic()
        # Two generations: a hit in the old one moves to the young one; when the young one fills up it
        # becomes the old one. Replies in use stay; a flood of one-off replies cannot push them out at once.
        self._young: dict[tuple[str, str | None], _Explained] = {}
        self._old: dict[tuple[str, str | None], _Explained] = {}
        self._exact: dict[tuple, tuple] = {}
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
        return self.json_of(self.pairs(paths, stdin=stdin, progress=progress), detail)

    def json_of(self, pairs: Iterable[tuple[Record, _Explained]], detail: bool = False) -> Iterator[str]:
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

    def scan_lines(self, name: str, lines: Iterable[list[str]], first: int = 0) -> Iterator[tuple[Record, _Explained]]:
        """Records of blocks of lines already read (a --jobs chunk, a cluster partition, a Spark partition)."""
        reader = self._reader(name)
        number = first
        for block in lines:
            yield from self._found(name, reader.read(block, number))
            number += len(block)
            self.counts.lines += len(block)
        closing = reader.finish()
        if closing is not None:
            yield from self._found(name, (closing,))

    # --- reading ----------------------------------------------------------------------------

    def _reader(self, name: str) -> LineReader:
        reader = LineReader()
        if self.traffic is not None:
            self.traffic.start(name)
            reader.tally = self.traffic.line
        return reader

    def pairs(self, paths: Iterable[str], *, stdin: IO[bytes] | None = None,
              progress: Callable[[int], None] | None = None) -> Iterator[tuple[Record, _Explained]]:
        """(record, its shared explanation) for every input in order; unreadable inputs go to `problems`."""
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

    def _scan_stream(self, name, stream, position, progress) -> Iterator[tuple[Record, _Explained]]:
        reader = self._reader(name)
        counts = self.counts
        number = 0  # lines of this input before the block
        size = _size(stream)
        try:
            for lines in read_lines(byte_blocks(stream, name), counts):
                yield from self._found(name, reader.read(lines, number))
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
            yield from self._found(name, (closing,))
        if size is not None:
            try:
                read = stream.tell()
            except (OSError, ValueError):
                read = None
            if read is not None and read < size:
                self.problems.append(Problem("input_shrank", path=name, read=read, size=size))

    # --- records -----------------------------------------------------------------------------

    def _found(self, name: str, founds: Iterable[Found]) -> Iterator[tuple[Record, _Explained]]:
        record = self._record
        for found in founds:
            pair = record(name, found)
            if pair is not None:
                yield pair

    def _record(self, name: str, found: Found) -> tuple[Record, _Explained] | None:
        counts = self.counts
        if self.traffic is not None and found.family == "postfix":
            self.traffic.found(found)
        # Lines that quote the very same reply (same server, same words) skip parsing and masking.
        exact = (found.text, found.stage, found.dsn)
        known = self._exact.get(exact)
        if known is None:
            known = self._understand(found)
            if known is None:
                counts.without_reply[found.status or "other"] += 1
                return None
            if len(self._exact) >= self.MEMO:
                self._exact.clear()  # exact repeats come in bursts; what recurs is back at once
            self._exact[exact] = known
        analysis, explained, digit = known
        counts.replies += 1
        counts.lines_used += found.span
        if self._filtering and not self._wanted(analysis, digit, found.timestamp):
            return None
        counts.matched += 1
        outcome = found.status or (found.failure if digit == 5 else "deferred" if digit == 4 else "other")
        source = Source(name, found.line, found.timestamp, found.recipient, found.sender, found.queue_id)
        return Record(
            analysis, source, outcome, found.family, found.direction, found.host, found.program,
            self.times.iso(found.timestamp),
        ), explained

    def _understand(self, found: Found) -> tuple[Analysis, _Explained, int | None] | None:
        """The found reply parsed and explained (through the memo of masked replies), or None."""
        text = found.text
        if text is not None and MASK not in text:
            fast = self._from_masked(text, found.stage)
            if fast is not None:
                return fast
        try:
            reply = parse_reply(text, found.stage) if text is not None else None
        except BadInput:
            reply = None
        if (reply is None or reply.code is None) and found.dsn:
            # The log gives its own enhanced status but quotes no reply (Sendmail "dsn=5.1.1,
            # stat=User unknown", a Postfix timeout): explain that status with the log's words,
            # as `explain "5.1.1 User unknown"` does.
            text = f"{found.dsn} {text or ''}".rstrip()
            reply = parse_reply(text, found.stage)
        if reply is None or (reply.code is None and reply.enhanced is None):
            return None
        key = (mask(text), found.stage)
        explained = self._young.get(key) or self._explain(key)
        analysis = explained.analysis
        masked = analysis.reply
        if masked.code != reply.code or masked.enhanced != reply.enhanced or masked.stage != reply.stage:
            # The masked text parsed differently (it cannot for the masks above); explain it as it is.
            explained = _Explained(self.analyser.analyse_reply(reply, text))
            analysis = explained.analysis
        digit = (analysis.basic or analysis.enhanced).code_class.digit
        return Analysis._make((reply, *analysis[1:])), explained, digit

    def _from_masked(self, text: str, stage: str | None) -> tuple[Analysis, _Explained, int | None] | None:
        """The reply explained from its masked form, its exact text put back from the identifiers masked.

        Parsing a reply only cuts and joins around the identifiers (they hold no code, space or quote),
        so the masked parse with the identifiers put back in order is the parse of the text itself;
        each line so rebuilt must also occur in the text, or the reply is parsed the slow way."""
        masked, tokens = masked_parts(text)
        key = (masked, stage)
        explained = self._young.get(key)
        if explained is None:
            try:
                explained = self._explain(key)
            except BadInput:
                return None
        analysis = explained.analysis
        reply = analysis.reply
        if reply.code is None:
            return None  # the log's own dsn= may be the better status: see the slow path
        if tokens:
            if reply.host is not None and MASK in reply.host:
                return None
            at = masked.find(reply.lines[0], masked.find(reply.code))
            if at < 0 or not reply.lines[0]:
                return None
            index = masked.count(MASK, 0, at)
            lines = []
            for line in reply.lines:
                rebuilt = unmask(line, index, tokens)
                if rebuilt is None or rebuilt not in text:
                    return None
                index += line.count(MASK)
                lines.append(rebuilt)
            reply = Reply(reply.code, reply.enhanced, " ".join([line for line in lines if line]), tuple(lines),
                          reply.stage, reply.host)
        digit = (analysis.basic or analysis.enhanced).code_class.digit
        return Analysis._make((reply, *analysis[1:])), explained, digit

    def _wanted(self, analysis: Analysis, digit: int | None, timestamp: str | None) -> bool:
        filters = self.filters
        if filters.klass is not None and digit != filters.klass:
            return False
        if filters.reason is not None and analysis.reason != filters.reason:
            return False
        return not (filters.since or filters.until) or self.times.within(timestamp, filters.since, filters.until)

    def _explain(self, key: tuple[str, str | None]) -> _Explained:
        explained = self._old.pop(key, None)
        if explained is None:
            explained = _Explained(self.analyser.analyse(*key))
        if len(self._young) >= self.MEMO:
            self._old, self._young = self._young, {}
        self._young[key] = explained
        return explained


def _size(stream) -> int | None:
    """The size of a regular file as it was opened (to notice one that shrinks), else None."""
    try:
        info = os.fstat(stream.fileno())
    except (OSError, ValueError, AttributeError, TypeError):
        return None
    import stat

    return info.st_size if stat.S_ISREG(info.st_mode) else None
