"""The command line: parse arguments, call the core, pick a renderer, print once, exit."""

import os
import sys
from contextlib import contextmanager
from typing import Annotated, Iterator, Optional

import typer

from smtpcodes import __version__
from smtpcodes.errors import BadInput, CatalogueError, SmtpcodesError

EXIT_OK, EXIT_UNKNOWN, EXIT_USAGE, EXIT_CATALOGUE, EXIT_INTERRUPTED = 0, 1, 2, 3, 130

app = typer.Typer(
    name="smtpcodes",
    help="Explain SMTP reply codes, enhanced status codes and whole server replies, offline.",
    epilog="Exit codes: 0 ok · 1 code not in the catalogue (still explained) or nothing found · "
    "2 bad usage or input · 3 invalid catalogue · 130 interrupted.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON (schema in the README) and nothing else.")]
ClassFilter = Annotated[
    Optional[str], typer.Option("--class", metavar="CLASS", help="Only this class: 2, 4, 5, 4xx or 4.x.x.")
]
CatalogueFiles = Annotated[
    Optional[list[str]],
    typer.Option(
        "--catalogue",
        metavar="FILE",
        help="Extra catalogue laid over the built-in one (repeatable; also $SMTPCODES_CATALOGUE).",
    ),
]


@contextmanager
def reported_errors() -> Iterator[None]:
    """Turn the core's exceptions into one line on stderr and a documented exit code."""
    try:
        yield
    except BrokenPipeError:
        # The reader went away (`smtpcodes list | head -1`): end quietly. Left alone, Typer
        # would turn it into exit 1, which here means "not found".
        _silence_stdout()
        raise typer.Exit(EXIT_OK) from None
    except CatalogueError as exc:
        typer.echo(f"smtpcodes: error: invalid catalogue {_problem_report(exc.path, exc.problems)}", err=True)
        raise typer.Exit(exc.exit_code) from None
    except SmtpcodesError as exc:
        from smtpcodes.output.safetext import printable

        typer.echo(f"smtpcodes: error: {printable(str(exc), one_line=True)}", err=True)
        raise typer.Exit(exc.exit_code) from None


def _problem_report(path: str, problems: list[str]) -> str:
    """One line for one problem; a count and one indented line per problem for several."""
    from smtpcodes.output.safetext import printable

    shown = [printable(problem, one_line=True) for problem in problems]
    if len(shown) == 1:
        return f"{printable(path, one_line=True)}: {shown[0]}"
    return "\n  ".join([f"{printable(path, one_line=True)}: {len(shown)} problems", *shown])


def _catalogue(files: Optional[list[str]]):
    from smtpcodes.catalogue.load import load_catalogue, overlay_paths

    return load_catalogue(overlay_paths(files or ()))


def _is_terminal() -> bool:
    return sys.stdout.isatty()


def _width() -> int:
    import shutil

    return shutil.get_terminal_size((80, 24)).columns


def _print_json(document: object, *, lines: bool = False) -> None:
    from smtpcodes.output.jsonout import dumps

    sys.stdout.write(dumps(document, lines=lines) + "\n")


def _print_rich(renderable: object) -> None:
    from rich.console import Console

    Console(markup=False, emoji=False, highlight=False).print(renderable)


def _print_document(document) -> None:
    if _is_terminal():
        from smtpcodes.output.render import document_panel

        _print_rich(document_panel(document))
    else:
        from smtpcodes.output.plain import document_text

        sys.stdout.write(document_text(document, _width()) + "\n")


def _print_table(headers, rows, title: str) -> None:
    if not rows:
        return  # the caller says on stderr that nothing matched
    if _is_terminal():
        from smtpcodes.output.render import table

        _print_rich(table(headers, rows, class_column=1, title=title, wrap_columns=(2,)))
    else:
        from smtpcodes.output.plain import table_text

        sys.stdout.write(table_text(headers, rows) + "\n")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"smtpcodes {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Explain SMTP reply codes (550), enhanced status codes (5.7.26) and whole server replies, offline.

    Exit codes: 0 ok, 1 code not in the catalogue (still explained), 2 bad usage or input,
    3 invalid catalogue, 130 interrupted.
    """


@app.command()
def explain(
    code: Annotated[str, typer.Argument(help="A code (550, 5.7.26, X.7.26), a quoted server reply, or - for stdin.")],
    as_json: JsonFlag = False,
    after: Annotated[
        Optional[str],
        typer.Option("--after", metavar="STAGE", help="The command the reply answered: CONNECT, EHLO, AUTH, MAIL, RCPT, DATA."),
    ] = None,
    catalogue_files: CatalogueFiles = None,
) -> None:
    """Explain one code or a whole server reply.

    Examples: smtpcodes explain 535 · smtpcodes explain 5.7.26 --json ·
    smtpcodes explain "550 5.1.1 <bob@example.com>: User unknown"
    """
    with reported_errors():
        catalogue = _catalogue(catalogue_files)
        text = _read_stdin() if code == "-" else code
        from smtpcodes.explain.lookup import explain_code, looks_like_code

        if looks_like_code(text):
            if after is not None:
                from smtpcodes.explain.replies import normalise_stage

                normalise_stage(after)  # checked, so a typo is not silently ignored; a bare code has no stage
            result = explain_code(catalogue, text)
            if as_json:
                from smtpcodes.output.jsonout import code_object

                _print_json(code_object(result))
            else:
                from smtpcodes.output.view import code_document

                _print_document(code_document(result))
            if not result.known:
                _suggest(catalogue, result.code)
                raise typer.Exit(EXIT_UNKNOWN)
            return
        from smtpcodes.explain.analysis import analyse_reply

        analysis = analyse_reply(catalogue, text, stage=after)
        if as_json:
            from smtpcodes.output.jsonout import analysis_object

            _print_json(analysis_object(analysis))
        else:
            from smtpcodes.output.view import analysis_document

            _print_document(analysis_document(analysis))


def _read_stdin() -> str:
    data = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode()
    return data.decode("utf-8", errors="replace")


def _suggest(catalogue, code: str) -> None:
    from smtpcodes.explain.lookup import suggest_codes

    near = suggest_codes(catalogue, code)
    hint = f"; nearest listed: {', '.join(near)}" if near else ""
    typer.echo(f"smtpcodes: {code} is not in the catalogue, explained from its digits{hint}", err=True)


@app.command()
def compare(
    codes: Annotated[list[str], typer.Argument(help="Two or more codes, basic or enhanced.", metavar="CODE CODE...")],
    as_json: JsonFlag = False,
    catalogue_files: CatalogueFiles = None,
) -> None:
    """Compare codes side by side: key differences and what to do for each.

    Examples: smtpcodes compare 214 535 · smtpcodes compare 550 5.7.1 --json
    """
    with reported_errors():
        if len(codes) < 2:
            raise BadInput("compare needs at least two codes, e.g. smtpcodes compare 450 550")
        from smtpcodes.explain.compare import compare_codes
        from smtpcodes.explain.lookup import explain_code

        catalogue = _catalogue(catalogue_files)
        comparison = compare_codes([explain_code(catalogue, code) for code in codes])
        if as_json:
            from smtpcodes.output.jsonout import comparison_object

            _print_json(comparison_object(comparison))
        else:
            from smtpcodes.output.view import comparison_document, comparison_rows

            if _is_terminal():
                from smtpcodes.output.render import comparison_view

                document = comparison_document(comparison)
                codes_shown = [c.code for c in comparison.codes]
                _print_rich(comparison_view(document, comparison_rows(comparison), codes_shown))
            else:
                _print_document(comparison_document(comparison, with_rows=True))
        if not all(code.known for code in comparison.codes):
            raise typer.Exit(EXIT_UNKNOWN)


@app.command(name="list")
def list_codes(
    klass: ClassFilter = None,
    kind: Annotated[Optional[str], typer.Option("--kind", metavar="KIND", help="basic or enhanced.")] = None,
    search: Annotated[
        Optional[str], typer.Option("--search", "-s", metavar="TEXT", help="Only entries whose text contains all these words.")
    ] = None,
    status: Annotated[
        Optional[str], typer.Option("--status", metavar="STATUS", help="standard, registry, experimental, non-standard, deprecated or private.")
    ] = None,
    as_json: JsonFlag = False,
    catalogue_files: CatalogueFiles = None,
) -> None:
    """List the catalogue as a table, optionally filtered.

    Examples: smtpcodes list --class 4 · smtpcodes list --kind enhanced --search dkim
    """
    with reported_errors():
        from smtpcodes.explain.listing import filter_codes

        catalogue = _catalogue(catalogue_files)
        codes = filter_codes(catalogue, klass=klass, kind=kind, words=search, status=status)
        if as_json:
            from smtpcodes.output.jsonout import code_object

            _print_json([code_object(code) for code in codes])
        else:
            headers = ("Code", "Class", "Title", "Status")
            rows = [(c.code, _class_cell(c), c.title, c.status or "") for c in codes]
            _print_table(headers, rows, f"{len(rows)} codes")
        if not codes:
            typer.echo("smtpcodes: no code matches these filters", err=True)
            raise typer.Exit(EXIT_UNKNOWN)


@app.command()
def search(
    words: Annotated[list[str], typer.Argument(help="Words to look for, or a code to find its neighbours.", metavar="WORDS...")],
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, max=200, help="Show at most this many results.")] = 10,
    as_json: JsonFlag = False,
    catalogue_files: CatalogueFiles = None,
) -> None:
    """Find codes by meaning: ranked by how well their text matches the words.

    Examples: smtpcodes search relay denied · smtpcodes search dmarc --json
    """
    with reported_errors():
        from smtpcodes.explain.search import search_catalogue

        catalogue = _catalogue(catalogue_files)
        query = " ".join(words)
        hits = search_catalogue(catalogue, query, limit)
        if as_json:
            from smtpcodes.output.jsonout import code_object

            _print_json(
                {
                    "query": query,
                    "results": [
                        {"score": h.score, "matched": list(h.matched), "code": code_object(h.code)} for h in hits
                    ],
                }
            )
        else:
            headers = ("Code", "Class", "Title", "Matched in")
            rows = [(h.code.code, _class_cell(h.code), h.code.title, ", ".join(h.matched)) for h in hits]
            _print_table(headers, rows, f"{len(rows)} results for {query!r}")
        if not hits:
            typer.echo(f"smtpcodes: nothing in the catalogue matches {query!r}", err=True)
            raise typer.Exit(EXIT_UNKNOWN)


@app.command()
def scan(
    files: Annotated[list[str], typer.Argument(help="Log files, bounces or transcripts (.gz read transparently); - for stdin.", metavar="FILE...")],
    as_json: JsonFlag = False,
    output_format: Annotated[
        Optional[str], typer.Option("--format", metavar="FORMAT", help="text (the summary), json, csv or markdown (records, or the summary with --summary).")
    ] = None,
    summary: Annotated[
        bool, typer.Option("--summary", help="The summary rather than one record per reply (json, csv, markdown); text is always the summary.")
    ] = False,
    detail: Annotated[
        bool, typer.Option("--detail", help="JSON records with the whole explanation (schema 1, the shape of 1.0) instead of the compact ones.")
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
    jobs: Annotated[
        Optional[int], typer.Option("--jobs", "-j", metavar="N", min=1, help="Processes to use (default: all cores for inputs over 64 MiB, else 1).")
    ] = None,
    cluster: Annotated[
        Optional[str], typer.Option("--cluster", metavar="ADDRESS", help="Scan on a Dask cluster: tcp://HOST:8786, or local (needs the dask extra); FILE may be a glob or URL.")
    ] = None,
    catalogue_files: CatalogueFiles = None,
) -> None:
    """Explain every SMTP reply in mail logs, bounce messages and transcripts.

    Reads Postfix, Exim, Sendmail and Exchange logs, bounces (Diagnostic-Code) and SMTP transcripts, recognised line by line. Shows a summary by direction, code and reason with Postfix traffic figures; with --json, one compact JSON record per reply.

    Exit codes: 0 replies found, 1 none found (or none matching the filters), 2 bad usage, or an input unreadable or damaged (the others are still scanned).

    Examples: smtpcodes scan /var/log/mail.log · zcat mail.log.1.gz | smtpcodes scan - --json · smtpcodes scan mail.log --format csv > replies.csv · smtpcodes scan mail.log --class 4 --top 5
    """
    with reported_errors():
        from datetime import datetime

        from smtpcodes.catalogue.load import overlay_paths
        from smtpcodes.explain.listing import parse_class
        from smtpcodes.output.scanrun import Request, run
        from smtpcodes.scan.inputs import check_stdin_once
        from smtpcodes.scan.scanner import Filters, Scanner, parse_bound

        fmt = _scan_format(output_format, as_json)
        if top is not None and fmt != "text" and not summary:
            raise BadInput("--top limits the summary: add --summary, or leave out --json/--format")
        if detail and (fmt != "json" or summary):
            raise BadInput("--detail is for JSON records: use it with --json and without --summary")
        check_stdin_once(files)
        filters = Filters(
            parse_class(klass) if klass is not None else None, reason,
            parse_bound(since, "--since") if since else None, parse_bound(until, "--until") if until else None,
            datetime.now(),
        )
        catalogue = tuple(overlay_paths(catalogue_files or ()))
        Scanner(_catalogue(catalogue_files), filters)  # checks --reason and the catalogue before any output
        mode = "summary" if fmt == "text" or summary else "detail" if detail else fmt
        if cluster is None and jobs is None:
            from smtpcodes.scan.jobs import default_jobs

            jobs = default_jobs(files)
        request = Request(files, mode, filters, catalogue, top, jobs or 1, cluster)
        from smtpcodes.output.scanview import progress_bar

        with progress_bar(files, enabled=sys.stderr.isatty() and (jobs or 1) == 1 and cluster is None) as progress:
            outcome = run(request, sys.stdout.write, progress)
        counts = outcome.counts
        if outcome.summary is not None and (counts.matched or fmt != "text"):
            _show_scan_summary(outcome.summary, fmt, top)
        sys.stdout.flush()
        for problem in outcome.problems:
            from smtpcodes.output.safetext import printable

            typer.echo(f"smtpcodes: error: {printable(problem, one_line=True)}", err=True)
        if counts.matched == 0 and not outcome.problems:
            which = "matching the filters " if counts.replies else ""
            lines = f"{counts.lines:,} line" + ("" if counts.lines == 1 else "s")
            typer.echo(f"smtpcodes: no SMTP reply {which}found in {lines}", err=True)
            raise typer.Exit(EXIT_UNKNOWN)
        if outcome.problems:
            raise typer.Exit(EXIT_USAGE)


def _scan_format(output_format: Optional[str], as_json: bool) -> str:
    if output_format is None:
        return "json" if as_json else "text"
    fmt = output_format.strip().lower()
    if fmt not in ("text", "json", "csv", "markdown"):
        raise BadInput(f"--format {output_format!r} is not a format: use text, json, csv or markdown")
    if as_json and fmt != "json":
        raise BadInput(f"--json and --format {fmt} disagree: give one of them")
    return fmt


def _show_scan_summary(result, fmt: str, top: Optional[int]) -> None:
    """The merged summary in the format asked for."""
    if fmt == "json":
        from smtpcodes.scan.summary import summary_object

        _print_json(summary_object(result))
    elif fmt == "csv":
        from smtpcodes.output.scanformats import summary_csv

        sys.stdout.write(summary_csv(result))
    elif fmt == "markdown":
        from smtpcodes.output.scanformats import summary_markdown

        sys.stdout.write(summary_markdown(result))
    elif _is_terminal():
        from smtpcodes.output.scanview import summary_renderable

        _print_rich(summary_renderable(result, top or 20))
    else:
        from smtpcodes.output.scanview import summary_text

        sys.stdout.write(summary_text(result, top or 20, _width()) + "\n")


@app.command()
def validate(
    file: Annotated[Optional[str], typer.Argument(help="Catalogue to check; the built-in one when omitted.", metavar="[FILE]")] = None,
    standalone: Annotated[
        bool, typer.Option("--standalone", help="Check FILE as a complete catalogue, not as an overlay on the built-in one.")
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """Check a catalogue and list every problem: exit 0 when valid, 3 when not.

    Examples: smtpcodes validate · smtpcodes validate ours.toml · smtpcodes validate copy.toml --standalone
    """
    with reported_errors():
        from smtpcodes.catalogue.load import builtin_path, check_file, read_catalogue

        if file is None or standalone:
            path, base = str(file or builtin_path()), None
        else:
            path, base = file, read_catalogue(str(builtin_path()))
        data, problems = check_file(path, base)
        counts = {"codes": len(data.get("codes", {})), "rules": len(data.get("rules", [])),
                  "providers": len(data.get("providers", {}))}
        if as_json:
            _print_json({"file": path, "valid": not problems, "problems": problems, **counts})
        elif problems:
            sys.stdout.write(_problem_report(path, problems) + "\n")
        else:
            from smtpcodes.output.safetext import printable

            summary = ", ".join(f"{count} {name}" for name, count in counts.items())
            sys.stdout.write(f"{printable(path, one_line=True)}: valid ({summary})\n")
        if problems:
            raise typer.Exit(EXIT_CATALOGUE)


def _class_cell(code) -> str:
    digit = code.code_class.digit
    return f"{digit}xx" if code.kind == "basic" else (f"{digit}.x.x" if digit else "X")


def main() -> None:
    """Console entry point: run the app, and make sure no user ever sees a traceback."""
    import click

    try:
        status = app(standalone_mode=False)
    except click.exceptions.UsageError as exc:
        command = exc.ctx.command_path if exc.ctx else "smtpcodes"
        message = exc.format_message().replace("\n", " ")
        _say_error(f"smtpcodes: error: {message} (see '{command} --help')")
        status = EXIT_USAGE
    except click.exceptions.ClickException as exc:
        _say_error(f"smtpcodes: error: {exc.format_message()}")
        status = exc.exit_code
    except (click.exceptions.Abort, KeyboardInterrupt):
        status = EXIT_INTERRUPTED
    except BrokenPipeError:
        _silence_stdout()
        status = EXIT_OK
    if status == EXIT_INTERRUPTED:
        # Typer turns Ctrl-C inside a command into a silent exit 130; say what happened, once.
        _say_error("smtpcodes: interrupted")
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
    sys.exit(status or EXIT_OK)


def _say_error(line: str) -> None:
    """One line on stderr; click's messages quote the user's arguments, so they are escaped."""
    from smtpcodes.output.safetext import printable

    sys.stderr.write(printable(line, one_line=True) + "\n")


def _silence_stdout() -> None:
    """After the reader went away, stop Python complaining about the unflushed pipe at exit."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
