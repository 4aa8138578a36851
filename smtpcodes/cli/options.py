"""Options shared by several commands, each declared once; the output options reach every command."""

from __future__ import annotations

import functools
import inspect
from typing import Annotated, Any, Callable, Optional

import typer

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
FullFlag = Annotated[bool, typer.Option("--full", "-v", help="Every section, not just the one-screen view.")]

_OUTPUT_OPTIONS = {
    "output_format": (str, typer.Option(
        "--format", metavar="FORMAT", help="text (default), json, csv or markdown (csv and markdown: tables)."),
        "text"),
    "as_json": (bool, typer.Option("--json", help="The same as --format json: JSON (schema in the README) only."),
                False),
    "color": (str, typer.Option(
        "--color", metavar="WHEN", help="auto (default: on a terminal, unless NO_COLOR is set), always or never."),
        "auto"),
    "no_pager": (bool, typer.Option("--no-pager", help="Never page long output on a terminal ($PAGER, less -R)."),
                 False),
    "lang": (Optional[str], typer.Option(
        "--lang", metavar="LANG",
        help="Language of the text: ar, es, de, ... (smtpcodes languages lists them; default: the locale, "
             "LANGUAGE/LC_ALL/LC_MESSAGES/LANG; JSON, CSV and Markdown stay English unless --lang is given)."),
        None),
    "bidi": (Optional[str], typer.Option(
        "--bidi", metavar="MODE",
        help="Right-to-left text on a terminal: auto (default; also $SMTPCODES_BIDI), terminal (it reorders "
             "itself) or visual (reorder and shape here)."),
        None),
}


_PARAMETERS: list[inspect.Parameter] = []


def _output_parameters() -> list[inspect.Parameter]:
    """The output options as parameters, made once and shared by every command (start-up time)."""
    if not _PARAMETERS:
        _PARAMETERS.extend(
            inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=Annotated[kind, option])
            for name, (kind, option, default) in _OUTPUT_OPTIONS.items()
        )
    return _PARAMETERS


def with_output(command: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Give a command the output options and pass it the checked `output` they make.

    The options are added to the command's signature here, so they are declared once for every
    command and read the same everywhere; the command receives one `Output`.
    """

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        signature = inspect.signature(func)
        own = [p for name, p in signature.parameters.items() if name != "output"]
        added = _output_parameters()

        @functools.wraps(func)
        def run(**values: Any) -> Any:
            from smtpcodes.cli.app import reported_errors
            from smtpcodes.output.emit import output_settings

            settings = {name: values.pop(name) for name in _OUTPUT_OPTIONS}
            with reported_errors():
                output = output_settings(settings["output_format"], settings["as_json"], settings["color"],
                                         not settings["no_pager"], values.get("full", False), command,
                                         lang=settings["lang"], bidi=settings["bidi"])
            return func(output=output, **values)

        run.__signature__ = signature.replace(parameters=own + added)  # type: ignore[attr-defined]
        run.__annotations__ = {**func.__annotations__, **{p.name: p.annotation for p in added}}
        run.__annotations__.pop("output", None)
        return run

    return decorate
