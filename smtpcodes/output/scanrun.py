"""Runs a scan on the engine asked for (one process, --jobs, a cluster) and writes its records as they come.

The engines return plain data (records, partial summaries); this module writes record output in
input order and hands back the merged summary for the CLI to show.
"""

from __future__ import annotations

from datetime import datetime
from typing import Callable, NamedTuple

from typing import TYPE_CHECKING

from smtpcodes.scan.partition import Settings, format_records, merge
from smtpcodes.scan.scanner import Counts, Filters, Scanner

if TYPE_CHECKING:
    from smtpcodes.scan.summary import Summary


class Request(NamedTuple):
    """What the user asked `scan` for."""

    files: list[str]
    mode: str  # partition.MODES
    filters: Filters
    catalogue: tuple[str, ...]
    top: int | None = None
    jobs: int = 1
    cluster: str | None = None


class Outcome(NamedTuple):
    counts: Counts
    problems: list[str]
    summary: "Summary | None"


def run(request: Request, write: Callable[[str], object], progress=None) -> Outcome:
    """Scan; write record output through `write`; return the counts, the input problems and the summary."""
    settings = Settings(request.catalogue, request.filters, request.mode)
    if request.mode == "csv":
        from smtpcodes.output.scanformats import csv_header

        write(csv_header())
    elif request.mode == "markdown":
        from smtpcodes.output.scanformats import markdown_header

        write(markdown_header())
    summary_mode = request.mode == "summary"
    if request.cluster is None and request.jobs <= 1:
        return _single(request, settings, write, progress)
    from smtpcodes.scan.summary import Aggregator
    from smtpcodes.scan.traffic import Traffic

    counts, problems, opened = Counts(), [], []
    aggregate, traffic = Aggregator(), Traffic() if summary_mode else None
    if request.cluster is not None:
        from smtpcodes.scan.cluster import scan_cluster

        results = scan_cluster(request.cluster, settings, request.files, problems, opened)
    else:
        from smtpcodes.scan.jobs import scan_parallel

        results = scan_parallel(settings, request.files, request.jobs, problems, opened=opened)
    merge(_written(results, write), counts, aggregate, traffic, problems)
    counts.files = len(opened)
    summary = aggregate.summary(counts, request.top, traffic, request.filters.now) if summary_mode else None
    return Outcome(counts, problems, summary)


def _written(results, write):
    for result in results:
        if result.output:
            write(result.output)
        yield result


def _single(request: Request, settings: Settings, write, progress) -> Outcome:
    from smtpcodes.catalogue.load import load_catalogue

    summary_mode = request.mode == "summary"
    scanner = Scanner(load_catalogue(request.catalogue), request.filters, traffic=summary_mode)
    pairs = scanner.pairs(request.files, progress=progress)
    summary = None
    if summary_mode:
        from smtpcodes.scan.summary import Aggregator

        aggregate = Aggregator()
        add = aggregate.add
        for record, _ in pairs:
            add(record)
        summary = aggregate.summary(scanner.counts, request.top, scanner.traffic, scanner.times.now)
    else:
        for piece in format_records(scanner, pairs, request.mode):
            write(piece)
    return Outcome(scanner.counts, scanner.problems, summary)
