"""The scan command: explain every SMTP reply in logs, bounces and transcripts (its help: codes.toml
[messages.help*])."""

import sys
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from smtpcodes.cli.app import EXIT_UNKNOWN, EXIT_USAGE, app, error_text, load, reported_errors, say
from smtpcodes.cli.options import CatalogueFiles, ClassFilter, with_output
from smtpcodes.errors import BadInput, Phrase

if TYPE_CHECKING:
    from smtpcodes.catalogue.messages import Messages
    from smtpcodes.output.emit import Output
    from smtpcodes.scan.summary import Summary


@app.command()
@with_output("scan")
def scan(
    files: Annotated[list[str], typer.Argument(metavar="FILE...")],
    output: "Output",
    summary: Annotated[bool, typer.Option("--summary")] = False,
    detail: Annotated[bool, typer.Option("--detail")] = False,
    klass: ClassFilter = None,
    reason: Annotated[Optional[str], typer.Option("--reason", metavar="REASON")] = None,
    since: Annotated[Optional[str], typer.Option("--since", metavar="TIME")] = None,
    until: Annotated[Optional[str], typer.Option("--until", metavar="TIME")] = None,
    top: Annotated[Optional[int], typer.Option("--top", metavar="N", min=1)] = None,
    jobs: Annotated[Optional[int], typer.Option("--jobs", "-j", metavar="N", min=1)] = None,
    cluster: Annotated[Optional[str], typer.Option("--cluster", metavar="ADDRESS")] = None,
    output_dir: Annotated[Optional[str], typer.Option("--output-dir", metavar="DIR")] = None,
    overwrite: Annotated[bool, typer.Option("--overwrite")] = False,
    catalogue_files: CatalogueFiles = None,
) -> None:
    with reported_errors():
        from datetime import datetime

        from smtpcodes.catalogue.load import overlay_paths
        from smtpcodes.explain.listing import parse_class
        from smtpcodes.output.scanrun import Request, progress_bar, run
        from smtpcodes.scan.inputs import check_stdin_once
        from smtpcodes.scan.scanner import Filters, Scanner, parse_bound

        catalogue = load(catalogue_files)
        in_language = catalogue if output.lang == "en" else load(catalogue_files, output.lang)
        words = in_language.messages
        fmt = output.format
        if top is not None and fmt != "text" and not summary and output_dir is None:
            raise BadInput("top_needs_summary", group="scan")
        if detail and (fmt != "json" or summary):
            raise BadInput("detail_needs_json", group="scan")
        check_stdin_once(files)
        filters = Filters(
            parse_class(klass) if klass is not None else None, reason,
            parse_bound(since, "--since") if since else None, parse_bound(until, "--until") if until else None,
            datetime.now(),
        )
        overlays = tuple(overlay_paths(catalogue_files or ()))
        Scanner(catalogue, filters)  # checks --reason and the catalogue before any output
        mode = "summary" if fmt == "text" or summary else "detail" if detail else fmt
        if output_dir is not None:  # records to the folder (JSON Lines unless CSV), the summary shown
            mode = "detail" if detail else "csv" if fmt == "csv" else "json"
        if cluster is None and jobs is None:
            from smtpcodes.scan.jobs import default_jobs

            jobs = default_jobs(files)
        request = Request(files, mode, filters, overlays, top, jobs or 1, cluster, output_dir, overwrite)
        with progress_bar(files, enabled=sys.stderr.isatty() and (jobs or 1) == 1 and cluster is None) as progress:
            outcome = run(request, sys.stdout.write, progress)
        counts = outcome.counts
        if outcome.summary is not None and (counts.matched or fmt != "text"):
            _show_summary(_reason_titles(outcome.summary, in_language.reasons), output, words, top)
        sys.stdout.flush()
        for problem in outcome.problems:
            line = error_text(problem) if isinstance(problem, Phrase) else problem
            say(words.text("scan", "input_error", problem=line))
        if counts.matched == 0 and not outcome.problems:
            lines = words.text("scan", "line_one" if counts.lines == 1 else "line_many", count=f"{counts.lines:,}")
            say(words.text("scan", "none_matching" if counts.replies else "none_found", lines=lines))
            raise typer.Exit(EXIT_UNKNOWN)
        if outcome.problems:
            raise typer.Exit(EXIT_USAGE)


def _reason_titles(summary: "Summary", reasons: "dict[str, dict[str, Any]]") -> "Summary":
    """The summary with its reasons' titles in the language of `reasons` (once per summary)."""
    def title(reason: str | None, english: str | None) -> str | None:
        translated = reasons.get(reason or "", {}).get("title")
        return translated if isinstance(translated, str) else english

    groups = tuple(g._replace(reason_title=title(g.reason, g.reason_title)) for g in summary.groups)
    titles = tuple((reason, title(reason, english) or english, count) for reason, english, count in summary.reasons)
    return summary._replace(groups=groups, reasons=titles)


def _show_summary(result: "Summary", output: "Output", words: "Messages", top: Optional[int]) -> None:
    """The merged summary in the format asked for, its text in the language asked for."""
    from smtpcodes.output.emit import show, styled, terminal_size

    if output.format == "json":
        from smtpcodes.output.emit import with_language
        from smtpcodes.output.jsonout import dumps
        from smtpcodes.scan.summary import summary_object

        sys.stdout.write(dumps(with_language(summary_object(result), output.lang)) + "\n")
    elif output.format in ("csv", "markdown"):
        from smtpcodes.output.scanformats import summary_csv, summary_markdown

        sys.stdout.write(summary_csv(result) if output.format == "csv" else summary_markdown(result, words))
    elif styled(output):
        from smtpcodes.output.scanview import summary_renderable

        width = terminal_size().columns
        show(summary_renderable(result, words, top or 20, width, visual=output.visual), output)
    else:
        from smtpcodes.output.scanview import summary_text

        sys.stdout.write(summary_text(result, words, top or 20, terminal_size().columns, visual=output.visual) + "\n")
    if output.format == "text" and output.lang != "en" and (words.table.get("scan") or {}).get("_untranslated"):
        from smtpcodes.output.emit import untranslated_note

        # the summary's words are shown in English until translated; right to left, flush with it
        untranslated_note(output, words, max(terminal_size().columns, 40) if output.visual else None)
