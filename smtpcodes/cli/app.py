"""The Typer app, the entry point and the one place errors become a line on stderr and an exit code."""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, Any, Callable, Iterator, Optional

import typer
from typer.core import TyperCommand
from typer.models import CommandFunctionType

from smtpcodes import __version__
from smtpcodes.cli.commandtypes import HelpCommand, HelpGroup
from smtpcodes.errors import CatalogueError, Phrase, SmtpcodesError

if TYPE_CHECKING:
    from smtpcodes.catalogue.load import Catalogue

EXIT_OK, EXIT_UNKNOWN, EXIT_USAGE, EXIT_CATALOGUE, EXIT_INTERRUPTED = 0, 1, 2, 3, 130

# Which module registers each command, in the order --help lists them.
COMMAND_MODULES = {"explain": "codes", "compare": "codes", "list": "codes", "search": "codes", "scan": "scan",
                   "probe": "probe", "validate": "catalogue", "languages": "catalogue"}


class Commands(typer.Typer):
    """The app, whose command modules are imported the first time its commands are asked for: the
    console entry imports only the one it runs (see main); a test runner or anything else that
    looks at the commands gets them all. Its commands are HelpCommands, whose help the catalogue
    words (commandtypes.py)."""

    loaded = False

    def command(self, name: Optional[str] = None, *, cls: Optional[type[TyperCommand]] = None,
                **settings: Any) -> Callable[[CommandFunctionType], CommandFunctionType]:
        return super().command(name, cls=cls or HelpCommand, **settings)

    @property
    def registered_commands(self) -> list[typer.models.CommandInfo]:
        if not self.loaded:
            register_commands(None)
        return self._commands

    @registered_commands.setter
    def registered_commands(self, value: list[typer.models.CommandInfo]) -> None:
        self._commands = value


def register_commands(command: str | None) -> None:
    """Import the module that defines `command`, or every command module for None or an unknown name."""
    import importlib

    app.loaded = True  # first: importing a module registers its commands through the property
    modules = [COMMAND_MODULES[command]] if command in COMMAND_MODULES else dict.fromkeys(COMMAND_MODULES.values())
    for module in modules:
        importlib.import_module(f"smtpcodes.cli.{module}")


# Every help text, the app's included, is a template of [messages.help*] in codes.toml, laid on the
# commands only when help is shown (helptext.py).
app = Commands(
    name="smtpcodes",
    cls=HelpGroup,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    # click already says "Did you mean ...?" for a mistyped command; Typer's copy said it twice.
    suggest_commands=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


# The templates of the catalogue the command loaded last in the user's language: errors are told
# in it. None until a catalogue is loaded; errors before that are told in English.
_error_words: list[Any] = [None]


@contextmanager
def reported_errors() -> Iterator[None]:
    """Turn the core's exceptions into one line on stderr and a documented exit code."""
    outer = _error_words[0]
    try:
        yield
    except BrokenPipeError:
        # The reader went away (`smtpcodes list | head -1`): end quietly. Left alone, Typer
        # would turn it into exit 1, which here means "not found".
        silence_stdout()
        raise typer.Exit(EXIT_OK) from None
    except CatalogueError as exc:
        typer.echo(f"smtpcodes: error: invalid catalogue {problem_report(exc.path, exc.problems)}", err=True)
        raise typer.Exit(exc.exit_code) from None
    except SmtpcodesError as exc:
        from smtpcodes.output.safetext import printable

        typer.echo(f"smtpcodes: error: {printable(error_text(exc), one_line=True)}", err=True)
        raise typer.Exit(exc.exit_code) from None
    finally:
        _error_words[0] = outer


def error_text(error: SmtpcodesError | Phrase) -> str:
    """An error's line (or a scan's problem) in the language of the loaded catalogue, else in
    English; never raises."""
    try:
        return error.said(_error_words[0]) if isinstance(error, Phrase) else error.text(_error_words[0])
    except Exception:  # reporting an error must not become a second one
        return f"errors.{error.key}"


def problem_report(path: str, problems: list[str]) -> str:
    """One line for one problem; a count and one indented line per problem for several."""
    from smtpcodes.output.safetext import printable

    shown = [printable(problem, one_line=True) for problem in problems]
    if len(shown) == 1:
        return f"{printable(path, one_line=True)}: {shown[0]}"
    return "\n  ".join([f"{printable(path, one_line=True)}: {len(shown)} problems", *shown])


def load(files: Optional[list[str]], lang: str = "en") -> Catalogue:
    """The built-in catalogue with the overlays from the environment and the command line, in `lang`."""
    from smtpcodes.catalogue.load import load_catalogue, overlay_paths

    catalogue = load_catalogue(overlay_paths(files or ()), lang)
    if lang != "en" or _error_words[0] is None:  # an English copy loaded beside must not replace it
        _error_words[0] = catalogue.messages
    return catalogue


def say(line: str) -> None:
    """A note on stderr (not found, nearest codes): never on stdout, which may be JSON."""
    from smtpcodes.output.safetext import printable

    typer.echo(f"smtpcodes: {printable(line, one_line=True)}", err=True)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"smtpcodes {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True)] = False,
) -> None:
    pass  # the app's own options: only --version, which answers and exits


def main() -> None:
    """Console entry point: run the app, and make sure no user ever sees a traceback."""
    import click

    arguments = sys.argv[1:]
    try:
        register_commands(next((argument for argument in arguments if not argument.startswith("-")), None))
        with _only_the_command_asked_for(arguments):
            status = app(standalone_mode=False)
    except click.exceptions.NoArgsIsHelpError:
        status = EXIT_USAGE  # a bare `smtpcodes`: its help is shown, and that is all there is to say
    except click.exceptions.UsageError as exc:
        from smtpcodes.cli.usageerrors import usage_error

        _say_error(f"smtpcodes: error: {usage_error(exc, arguments)}")
        status = EXIT_USAGE
    except click.exceptions.ClickException as exc:
        _say_error(f"smtpcodes: error: {exc.format_message()}")
        status = exc.exit_code
    except (click.exceptions.Abort, KeyboardInterrupt):
        status = EXIT_INTERRUPTED
    except BrokenPipeError:
        silence_stdout()
        status = EXIT_OK
    if status == EXIT_INTERRUPTED:
        # Typer turns Ctrl-C inside a command into a silent exit 130; say what happened, once.
        _say_error("smtpcodes: interrupted")
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        silence_stdout()
    sys.exit(status or EXIT_OK)


@contextmanager
def _only_the_command_asked_for(arguments: list[str]) -> Iterator[None]:
    """Build only the command the user named. Typer builds every command's options before it runs
    one, which is most of what the command surface costs at start-up; a run needs just its own.
    Anything else (no command, --help of the whole app, a mistyped name) gets every command, except
    --version, which needs none."""
    first = next((argument for argument in arguments if not argument.startswith("-")), None)
    everything = app.registered_commands
    chosen = [info for info in everything if first is not None and _command_name(info) == first]
    if first is None and "--version" in arguments and "--help" not in arguments and "-h" not in arguments:
        chosen = []  # --version answers before any command is looked at
    elif not chosen:
        chosen = everything
    app.registered_commands = chosen
    try:
        yield
    finally:
        app.registered_commands = everything


def _command_name(info: typer.models.CommandInfo) -> str:
    callback_name = info.callback.__name__ if info.callback else ""
    return info.name or callback_name.lower().replace("_", "-")


def _say_error(line: str) -> None:
    """One line on stderr; click's messages quote the user's arguments, so they are escaped."""
    from smtpcodes.output.safetext import printable

    sys.stderr.write(printable(line, one_line=True) + "\n")


def silence_stdout() -> None:
    """After the reader went away, stop Python complaining about the unflushed pipe at exit."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
