"""Options shared by several commands, each declared once; the output options reach every command.

Their help, like every command's, is in codes.toml [messages.help-options], keyed by the long name.
"""

from __future__ import annotations

import functools
import inspect
from typing import Annotated, Any, Callable, Optional

import typer

ClassFilter = Annotated[Optional[str], typer.Option("--class", metavar="CLASS")]
CatalogueFiles = Annotated[Optional[list[str]], typer.Option("--catalogue", metavar="FILE")]
FullFlag = Annotated[bool, typer.Option("--full", "-v")]

_OUTPUT_OPTIONS = {
    "output_format": (str, typer.Option("--format", metavar="FORMAT"), "text"),
    "as_json": (bool, typer.Option("--json"), False),
    "color": (str, typer.Option("--color", metavar="WHEN"), "auto"),
    "no_pager": (bool, typer.Option("--no-pager"), False),
    "lang": (Optional[str], typer.Option("--lang", metavar="LANG"), None),
    "bidi": (Optional[str], typer.Option("--bidi", metavar="MODE"), None),
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
