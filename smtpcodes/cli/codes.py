"""The commands about codes: explain, compare, list and search (their help: codes.toml [messages.help*])."""

import sys
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from smtpcodes.cli.app import EXIT_UNKNOWN, app, load, reported_errors, say
from smtpcodes.cli.options import CatalogueFiles, ClassFilter, FullFlag, with_output

if TYPE_CHECKING:
    from smtpcodes.output.emit import Output
    from smtpcodes.catalogue.load import Catalogue


@app.command()
@with_output("explain")
def explain(
    code: Annotated[str, typer.Argument()],
    output: "Output",
    after: Annotated[Optional[str], typer.Option("--after", metavar="STAGE")] = None,
    full: FullFlag = False,
    catalogue_files: CatalogueFiles = None,
) -> None:
    with reported_errors():
        from smtpcodes.output.emit import emit

        catalogue = load(catalogue_files, output.lang)
        text = _read_stdin() if code == "-" else code
        from smtpcodes.explain.lookup import explain_code, looks_like_code

        if not looks_like_code(text):
            from smtpcodes.explain.analysis import analyse_reply

            emit(analyse_reply(catalogue, text, stage=after), output, catalogue.messages)
            return
        if after is not None:
            from smtpcodes.explain.replies import normalise_stage

            normalise_stage(after)  # checked, so a typo is not silently ignored; a bare code has no stage
        result = explain_code(catalogue, text)
        emit(result, output, catalogue.messages)
        if not result.known:
            _suggest(catalogue, result.code)
            raise typer.Exit(EXIT_UNKNOWN)


def _read_stdin() -> str:
    data = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode()
    return data.decode("utf-8", errors="replace")


def _suggest(catalogue: "Catalogue", code: str) -> None:
    from smtpcodes.explain.lookup import suggest_codes

    words = catalogue.messages
    near = suggest_codes(catalogue, code)
    hint = words.text("cli", "nearest", codes=", ".join(near)) if near else ""
    say(words.text("cli", "not_in_catalogue", code=code) + hint)


@app.command()
@with_output("compare")
def compare(
    codes: Annotated[list[str], typer.Argument(metavar="CODE CODE...")],
    output: "Output",
    catalogue_files: CatalogueFiles = None,
) -> None:
    from smtpcodes.errors import BadInput
    with reported_errors():
        from smtpcodes.output.emit import emit

        catalogue = load(catalogue_files, output.lang)
        if len(codes) < 2:
            raise BadInput("compare_needs_two", group="cli")
        from smtpcodes.explain.compare import compare_codes
        from smtpcodes.explain.lookup import explain_code

        comparison = compare_codes([explain_code(catalogue, code) for code in codes], catalogue.messages,
                                   catalogue.reasons)
        emit(comparison, output, catalogue.messages)
        if not all(code.known for code in comparison.codes):
            raise typer.Exit(EXIT_UNKNOWN)


@app.command(name="list")
@with_output("list")
def list_codes(
    output: "Output",
    klass: ClassFilter = None,
    kind: Annotated[Optional[str], typer.Option("--kind", metavar="KIND")] = None,
    search: Annotated[Optional[str], typer.Option("--search", "-s", metavar="TEXT")] = None,
    status: Annotated[Optional[str], typer.Option("--status", metavar="STATUS")] = None,
    catalogue_files: CatalogueFiles = None,
) -> None:
    with reported_errors():
        from smtpcodes.output.emit import emit

        from smtpcodes.explain.listing import Listing, filter_codes

        catalogue = load(catalogue_files, output.lang)
        codes = filter_codes(catalogue, klass=klass, kind=kind, words=search, status=status)
        if codes or output.format == "json":  # an empty JSON array still answers; an empty table does not
            emit(Listing(tuple(codes)), output, catalogue.messages)
        if not codes:
            say(catalogue.messages.text("cli", "no_code_matches"))
            raise typer.Exit(EXIT_UNKNOWN)


@app.command()
@with_output("search")
def search(
    words: Annotated[list[str], typer.Argument(metavar="WORDS...")],
    output: "Output",
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, max=200)] = 10,
    catalogue_files: CatalogueFiles = None,
) -> None:
    with reported_errors():
        from smtpcodes.output.emit import emit

        from smtpcodes.explain.search import SearchResults, search_catalogue

        catalogue = load(catalogue_files, output.lang)
        query = " ".join(words)
        english = load(catalogue_files) if output.lang != "en" else None  # English words find codes too
        hits = search_catalogue(catalogue, query, limit, english)
        if hits or output.format == "json":
            emit(SearchResults(query, tuple(hits)), output, catalogue.messages)
        if not hits:
            say(catalogue.messages.text("cli", "nothing_matches", query=query))
            raise typer.Exit(EXIT_UNKNOWN)
