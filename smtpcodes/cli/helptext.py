"""--help in the user's language: the catalogue's `[messages.help*]` templates laid on the click
commands Typer built, just before click shows them.

Imported only when help is asked for (commandtypes.help_requested): a run that does its work never
loads the templates for its help. The language is the one the run would speak: --lang, else the
locale; on a terminal that does not reorder right-to-left text itself, such a language is drawn by
helprtl.py instead of Typer's left-to-right panels.
"""

from __future__ import annotations

import functools
from contextlib import contextmanager
from typing import TYPE_CHECKING, Callable, Iterator, NamedTuple

import click

if TYPE_CHECKING:
    from rich.text import Text

    from smtpcodes.catalogue.messages import Messages
    from smtpcodes.cli.commandtypes import HelpGroup

APP = "smtpcodes"
LANGUAGE_OPTIONS = ("--lang", "--bidi")


class Asked(NamedTuple):
    """What the command line says about its language, read before click has parsed it."""

    lang: str | None
    bidi: str | None
    for_scripts: bool  # --json or a --format other than text: English unless --lang is given


def asked(arguments: list[str]) -> Asked:
    """The last --lang, --bidi and --format/--json before `--`, as click would take them."""
    values: dict[str, str] = {}
    as_json = False
    for index, argument in enumerate(arguments):
        if argument == "--":
            break
        name, equals, value = argument.partition("=")
        if name in (*LANGUAGE_OPTIONS, "--format"):
            if equals:
                values[name] = value
            elif index + 1 < len(arguments):
                values[name] = arguments[index + 1]
        as_json = as_json or argument == "--json"
    fmt = values.get("--format", "text")
    return Asked(values.get("--lang"), values.get("--bidi"), as_json or fmt != "text")


def chosen_language(choice: Asked) -> tuple[str, bool]:
    """The language and whether to put it in visual order; a bad --lang or --bidi is ignored here
    (help never fails for it; a command run reports it)."""
    from smtpcodes.errors import SmtpcodesError
    from smtpcodes.output.emit import settle_language

    try:
        return settle_language(choice.lang, choice.bidi, for_scripts=choice.for_scripts)
    except SmtpcodesError:
        return settle_language(None, None, for_scripts=choice.for_scripts)


def messages(lang: str) -> Messages | None:
    """The built-in templates in `lang` (overlays are left out: help must not fail for one)."""
    from smtpcodes.catalogue.load import load_catalogue
    from smtpcodes.errors import SmtpcodesError

    for tag in dict.fromkeys((lang, "en")):
        try:
            return load_catalogue((), tag).messages
        except SmtpcodesError:
            continue
    return None


@contextmanager
def help_in_language(group: HelpGroup, arguments: list[str]) -> Iterator[list[str]]:
    """Put the help of `group` and its commands in the language asked for while click shows it;
    yields the arguments to run, without the --lang/--bidi given to the app itself."""
    lang, visual = chosen_language(asked(arguments)._replace(for_scripts=False))  # help is text
    words = messages(lang)
    if words is None:
        yield arguments
        return
    translate(group, words, visual)
    with _typer_screen(words):
        yield _without_app_language(arguments)


def translate(group: HelpGroup, words: Messages, visual: bool) -> None:
    """Every command's help and short help, every parameter's help, and the help screen's words."""
    from rich.markup import escape  # Typer reads help as rich markup; ours is text

    group.help = escape(words.text("help", APP))
    group.epilog = escape(words.text("help", f"{APP}_epilog"))
    for name, command in group.commands.items():
        command.short_help = escape(words.text("help", name))
        command.help = "\n\n".join(escape(paragraph) for paragraph in command_paragraphs(words, name))
    right_to_left = None
    if visual:
        from smtpcodes.cli.helprtl import show_right_to_left

        right_to_left = functools.partial(show_right_to_left, words)
    for name, command in [(APP, group), *group.commands.items()]:
        for param in command.params:
            param.help = escape(parameter_help(words, name, param))
        command.usage_prefix = words.text("help", "usage")  # type: ignore[attr-defined]
        command.help_option_text = escape(words.text("help-options", "help"))  # type: ignore[attr-defined]
        command.right_to_left = right_to_left  # type: ignore[attr-defined]


def command_paragraphs(words: Messages, name: str) -> list[str]:
    """A command's help: its summary, further paragraphs, then its examples."""
    paragraphs = [words.text("help", name)]
    if words.has("help", f"{name}_details"):
        paragraphs.extend(words.text("help", f"{name}_details").split("\n\n"))
    if words.has("help-examples", name):
        paragraphs.append(f"{words.text('help', 'examples')} {words.text('help-examples', name)}")
    return paragraphs


def parameter_help(words: Messages, command: str, param: click.Parameter) -> str:
    """An argument's help is keyed by its command (each has one at most), an option's by its long name."""
    if isinstance(param, click.Argument):
        return words.text("help-arguments", command)
    return words.text("help-options", option_key(param))


def option_key(param: click.Parameter) -> str:
    return next((name for name in param.opts if name.startswith("--")), param.opts[0]).lstrip("-")


# Typer's words on a help screen, as the module-level names its renderer reads when it draws.
_TYPER_WORDS = {"ARGUMENTS_PANEL_TITLE": "arguments", "OPTIONS_PANEL_TITLE": "options",
                "COMMANDS_PANEL_TITLE": "commands", "REQUIRED_LONG_STRING": "required"}


@contextmanager
def _typer_screen(words: Messages) -> Iterator[None]:
    """Typer's panel titles, [default: ...] and [required] in the language, and its texts folding
    a word too long for its column instead of cutting it off ("…"): Chinese and Japanese have no
    spaces to wrap at. All put back afterwards (one process may show other help, as tests do)."""
    from typer import rich_utils

    saved = {name: getattr(rich_utils, name) for name in (*_TYPER_WORDS, "DEFAULT_STRING", "highlighter")}
    for name, key in _TYPER_WORDS.items():
        setattr(rich_utils, name, words.text("help", key))
    # Typer fills "[default: {}]" positionally: our {value}, and any literal brace, made to fit.
    default = words.text("help", "default", value="\0").replace("{", "{{").replace("}", "}}")
    rich_utils.DEFAULT_STRING = default.replace("\0", "{}")
    rich_utils.highlighter = _Folding(saved["highlighter"])  # type: ignore[assignment]  # every help text passes it
    try:
        yield
    finally:
        for name, value in saved.items():
            setattr(rich_utils, name, value)


class _Folding:
    """Typer's highlighter, whose texts fold where a line is full rather than end in an ellipsis."""

    def __init__(self, highlighter: Callable[[str | Text], Text]):
        self.highlighter = highlighter

    def __call__(self, text: str | Text) -> Text:
        highlighted = self.highlighter(text)
        highlighted.overflow = "fold"
        return highlighted


def _without_app_language(arguments: list[str]) -> list[str]:
    """`smtpcodes --help --lang ar`: the app takes no --lang of its own (its commands do), so it is
    taken out before the command's name, once it has chosen the language of the help."""
    kept: list[str] = []
    skip = False
    for index, argument in enumerate(arguments):
        if skip:
            skip = False
            continue
        if argument == "--" or not argument.startswith("-"):
            return kept + arguments[index:]
        if argument in LANGUAGE_OPTIONS:
            skip = True
        elif argument.partition("=")[0] not in LANGUAGE_OPTIONS:
            kept.append(argument)
    return kept
