"""The scan command: explain every SMTP reply in logs, bounces and transcripts."""

import sys
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from smtpcodes.cli.app import EXIT_UNKNOWN, app, load, reported_errors
from smtpcodes.cli.options import CatalogueFiles, ClassFilter, with_output
from smtpcodes.errors import BadInput


if TYPE_CHECKING:
    from smtpcodes.output.emit import Output


@app.command()
@with_output("scan")
def scan(
    files: Annotated[list[str], typer.Argument(help="Log files, bounces or transcripts (.gz read transparently); - for stdin.", metavar="FILE...")],
    output: "Output",
    summary: Annotated[
        bool, typer.Option("--summary", help="With --json: one JSON document of the summary instead of one line per reply.")
    ] = False,
    klass: ClassFilter = None,
    reason: Annotated[
        Optional[str], typer.Option("--reason", metavar="REASON", help="Only replies with this reason, e.g. rate-limited.")
    ] = None,
    since: Annotated[
        Optional[str], typer.Option("--since", metavar="TIME", help="Only replies logged at or after TIME (2026-11-29 or 2026-11-29T14:30).")
    ] = None,
    until: Annotated[
        Optional[str], typer.Option("--until", metavar="TIME", help="Only replies logged at or before TIME.")
    ] = None,
    top: Annotated[
        Optional[int], typer.Option("--top", metavar="N", min=1, help="Only the N most frequent kinds of reply in the summary.")
    ] = None,
    catalogue_files: CatalogueFiles = None,
) -> None:
    """Explain every SMTP reply in mail logs, bounce messages and transcripts.

    Reads Postfix, Exim, Sendmail and Exchange logs, bounces (Diagnostic-Code) and SMTP transcripts, recognised line by line. Shows a summary by code and reason; with --json, one JSON line per reply.

    Exit codes: 0 replies found, 1 none found (or none matching the filters), 2 bad usage or unreadable input.

    Examples: smtpcodes scan /var/log/mail.log · zcat mail.log.1.gz | smtpcodes scan - --json · smtpcodes scan mail.log --class 4 --top 5
    """
    with reported_errors():
        from smtpcodes.output.emit import emit

        from smtpcodes.explain.listing import parse_class
        from smtpcodes.scan.scanner import Aggregator, Filters, Scanner, check_inputs, parse_bound

        as_json = output.format == "json"
        if output.format in ("csv", "markdown"):
            raise BadInput(f"--format {output.format} is not available for scan yet: use text or json")
        if top is not None and as_json and not summary:
            raise BadInput("--top limits the summary: add --summary, or leave out --json")
        filters = Filters(
            parse_class(klass) if klass is not None else None, reason,
            parse_bound(since, "--since") if since else None, parse_bound(until, "--until") if until else None,
        )
        check_inputs(files)
        catalogue = load(catalogue_files, output.lang)
        scanner = Scanner(catalogue, filters)
        from smtpcodes.output.scanview import progress_bar

        with progress_bar(files, enabled=sys.stderr.isatty()) as progress:
            if as_json and not summary:
                write = sys.stdout.write
                for line in scanner.json_lines(files, progress=progress):
                    write(line)
            else:
                aggregator = Aggregator()
                for record in scanner.records(files, progress=progress):
                    aggregator.add(record)
        counts = scanner.counts
        if as_json and summary:
            from smtpcodes.scan.scanner import summary_object

            emit(summary_object(aggregator.summary(counts, top)), output, catalogue.messages)
        elif not as_json and counts.matched:
            from smtpcodes.output.emit import show, styled

            result = aggregator.summary(counts, top)
            if styled(output):
                from smtpcodes.output.scanview import summary_renderable

                show(summary_renderable(result, top or 20), output)
            else:
                from smtpcodes.output.scanview import summary_text

                sys.stdout.write(summary_text(result, top or 20) + "\n")
        if counts.matched == 0:
            which = "matching the filters " if counts.replies else ""
            lines = f"{counts.lines:,} line" + ("" if counts.lines == 1 else "s")
            typer.echo(f"smtpcodes: no SMTP reply {which}found in {lines}", err=True)
            raise typer.Exit(EXIT_UNKNOWN)
