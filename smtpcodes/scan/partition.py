"""One piece of a big scan, done the same way by every engine: --jobs processes, a Dask cluster, a
Spark or Beam job. A partition is some whole lines of one input; its result merges with the others'
in input order into exactly what one process scanning everything would give.
"""

import threading
from typing import TYPE_CHECKING, Iterable, Iterator, NamedTuple

from smtpcodes.scan.inputs import LineCounts, read_lines
from smtpcodes.scan.scanner import Counts, Filters, Scanner

if TYPE_CHECKING:
    from smtpcodes.scan.gzmembers import MemberChunk, Opener
    from smtpcodes.scan.summary import Aggregator
    from smtpcodes.scan.traffic import Traffic

MODES = ("summary", "json", "detail", "csv", "markdown")


class Settings(NamedTuple):
    """What every partition of one scan shares: the catalogue, the filters and what to produce."""

    catalogue: tuple[str, ...] = ()  # overlay files over the built-in catalogue (environment's included)
    filters: Filters = Filters()
    mode: str = "summary"  # one of MODES: the summary's parts, or the records as text in that format
    folder: str | None = None  # --output-dir: records go to a file per partition there, the summary's parts back


class Result(NamedTuple):
    """A partition's share of the scan."""

    output: str | None  # the records, formatted (record modes)
    counts: Counts
    aggregate: "Aggregator | None"  # the summary's parts (summary mode)
    traffic: "Traffic | None"
    problems: list[str]


_LOCAL = threading.local()


def scanner_for(settings: Settings) -> Scanner:
    """One scanner per thread and settings: the catalogue is loaded and the memo kept across partitions.

    Per thread, not per process: a scan keeps its counts on the scanner, and a Dask worker may run
    several partitions at once in threads (a LocalCluster without processes does).
    """
    scanners: dict[Settings, Scanner] = _LOCAL.__dict__.setdefault("scanners", {})
    scanner = scanners.get(settings)
    if scanner is None:
        from smtpcodes.catalogue.load import load_catalogue

        scanner = scanners[settings] = Scanner(load_catalogue(settings.catalogue), settings.filters)
    return scanner


def format_records(scanner: Scanner, hits, mode: str) -> Iterator[str]:
    """The records of a scan's hits (Scanner.hits) in the output format of `mode`, as text pieces."""
    if mode == "json":
        return scanner.compact_of(hits)
    pairs = scanner.pairs_of(hits)
    if mode == "detail":
        return scanner.json_of(pairs, detail=True)
    records = (record for record, _ in pairs)
    if mode == "csv":
        from smtpcodes.output.scanformats import records_csv

        return records_csv(records)
    from smtpcodes.output.scanformats import records_markdown

    return records_markdown(records)


def scan_partition(settings: Settings, name: str, data: bytes, first_line: int = 0, index: int = 0) -> Result:
    """Scan whole lines of input `name` (bytes, starting after line `first_line`); partition `index` of the scan."""
    cut = LineCounts()
    result = scan_blocks(settings, name, read_lines([data], cut), first_line, index)
    result.counts.truncated += cut.truncated
    return result


def scan_members(settings: Settings, opener: "Opener", url: str, name: str, chunk: "MemberChunk",
                 index: int = 0) -> Result:
    """Scan the lines a run of gzip members owns (gzmembers.py)."""
    from smtpcodes.scan.gzmembers import chunk_blocks

    problems: list = []
    cut = LineCounts()
    result = scan_blocks(settings, name, read_lines(chunk_blocks(opener, url, name, chunk, problems), cut),
                         chunk.first_line, index)
    result.counts.truncated += cut.truncated
    result.problems[:0] = problems
    return result


def scan_blocks(settings: Settings, name: str, blocks: Iterable[list[str]], first_line: int = 0,
                index: int = 0) -> Result:
    """Scan decoded lines (lists of str, in order) of input `name` starting after line `first_line`."""
    scanner = scanner_for(settings)
    scanner.counts, scanner.problems = Counts(), []
    summary = settings.mode == "summary" or settings.folder is not None
    scanner.traffic = None
    aggregate = None
    if summary:
        from smtpcodes.scan.summary import Aggregator
        from smtpcodes.scan.traffic import Traffic

        scanner.traffic, aggregate = Traffic(), Aggregator()
    hits = scanner.scan_hits(name, blocks, first_line)
    if aggregate is not None and settings.mode == "summary":
        aggregate.add_hits(hits)
        return Result(None, scanner.counts, aggregate, scanner.traffic, scanner.problems)
    if aggregate is not None:  # --output-dir: the records written and the summary's parts sent back
        hits = _added(hits, aggregate)
    output: str | None = "".join(format_records(scanner, hits, settings.mode))
    if settings.folder is not None:
        from smtpcodes.scan.partfiles import write_part

        write_part(settings.folder, index, settings.mode, output or "")
        output = None
    return Result(output, scanner.counts, aggregate, scanner.traffic, scanner.problems)


def _added(hits, aggregate: "Aggregator"):
    add = aggregate.add_hits
    for hit in hits:
        add((hit,))
        yield hit


def scan_lines(lines: Iterable[str], settings: Settings = Settings(mode="json"), name: str = "-") -> Iterator[dict]:
    """The compact records (as dicts) of an iterable of log lines: the call a Spark or Beam job maps over
    a partition (`rdd.mapPartitions(lambda part: scan_lines(part))`)."""
    from smtpcodes.scan.records import compact_object

    scanner = scanner_for(settings)
    blocks = _batches((line.rstrip("\r\n") for line in lines), 4096)
    for record, _ in scanner.scan_lines(name, blocks):
        yield compact_object(record)


def _batches(items: Iterable[str], size: int) -> Iterator[list[str]]:
    batch: list[str] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def merge(results: Iterable[Result], counts: Counts, aggregate: "Aggregator", traffic: "Traffic | None",
          problems: list[str]) -> None:
    """Fold partition results, in input order, into the scan's totals."""
    for result in results:
        counts.merge(result.counts)
        problems.extend(result.problems)
        if result.aggregate is not None:
            aggregate.merge(result.aggregate)
        if traffic is not None and result.traffic is not None:
            traffic.merge(result.traffic)
