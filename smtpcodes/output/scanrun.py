"""Runs a scan on the engine asked for (one process, --jobs, a cluster) and writes its records as they come.

The engines return plain data (records, partial summaries); this module writes record output in
input order and hands back the merged summary for the CLI to show.
"""

from contextlib import contextmanager
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, NamedTuple

from smtpcodes.scan.partition import Result, Settings, format_records, merge
from smtpcodes.scan.scanner import Counts, Filters, Scanner

if TYPE_CHECKING:
    from smtpcodes.scan.summary import Summary

Write = Callable[[str], object]
Tick = Callable[[int], None]
LARGE = 64 << 20  # bytes of input below which a progress bar would only flicker


class Request(NamedTuple):
    """What the user asked `scan` for."""

    files: list[str]
    mode: str  # partition.MODES
    filters: Filters
    catalogue: tuple[str, ...]
    top: int | None = None
    jobs: int = 1
    cluster: str | None = None
    folder: str | None = None  # --output-dir: the records as partition files there (mode json, detail or csv)
    overwrite: bool = False  # replace the part files a folder holds


class Outcome(NamedTuple):
    counts: Counts
    problems: list[str]
    summary: "Summary | None"


def run(request: Request, write: Write, progress: Tick | None = None) -> Outcome:
    """Scan; write record output through `write` (or, with a folder, to its partition files); return the
    counts, the input problems and the summary."""
    folder = None
    if request.folder is not None:
        from smtpcodes.scan.partfiles import prepare

        folder = prepare(request.folder, request.overwrite)
    settings = Settings(request.catalogue, request.filters, request.mode, folder)
    if folder is not None:
        pass  # each CSV partition file starts with its own header
    elif request.mode == "csv":
        from smtpcodes.output.scanformats import csv_header

        write(csv_header())
    elif request.mode == "markdown":
        from smtpcodes.output.scanformats import markdown_header

        write(markdown_header())
    summary_mode = request.mode == "summary" or folder is not None
    if request.cluster is None and request.jobs <= 1 and folder is None:
        return _single(request, settings, write, progress)
    from smtpcodes.scan.summary import Aggregator
    from smtpcodes.scan.traffic import Traffic

    counts = Counts()
    problems: list[str] = []
    opened: list[str] = []
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


def _written(results: Iterable[Result], write: Write) -> Iterator[Result]:
    for result in results:
        if result.output:
            write(result.output)
        yield result


def _single(request: Request, settings: Settings, write: Write, progress: Tick | None) -> Outcome:
    from smtpcodes.catalogue.load import load_catalogue

    summary_mode = request.mode == "summary"
    scanner = Scanner(load_catalogue(request.catalogue), request.filters, traffic=summary_mode)
    hits = scanner.hits(request.files, progress=progress)
    summary = None
    if summary_mode:
        from smtpcodes.scan.summary import Aggregator

        aggregate = Aggregator()
        aggregate.add_hits(hits)
        summary = aggregate.summary(scanner.counts, request.top, scanner.traffic, scanner.times.now)
    else:
        # Records written a batch at a time: one write per record costs as much as making the record.
        batch: list[str] = []
        for piece in format_records(scanner, hits, request.mode):
            batch.append(piece)
            if len(batch) >= 512:
                write("".join(batch))
                batch.clear()
        if batch:
            write("".join(batch))
    return Outcome(scanner.counts, scanner.problems, summary)


@contextmanager
def progress_bar(paths: list[str], *, enabled: bool) -> Iterator[Tick | None]:
    """A callback drawing progress on stderr for large regular files, or None."""
    import os

    sizes = [os.path.getsize(p) for p in paths if p != "-" and os.path.isfile(p)]
    if not enabled or "-" in paths or sum(sizes) < LARGE:
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

    with Progress(BarColumn(), DownloadColumn(), TimeRemainingColumn(), console=Console(stderr=True),
                  transient=True) as bar:
        task = bar.add_task("scan", total=sum(sizes))
        yield lambda done: bar.update(task, completed=done)
