"""click's usage errors as one line in the user's language, from [messages.usage].

Only the errors whose facts click keeps on the exception are worded here: a missing argument, an
unknown option or command, an option without its value (or with one it does not take) and an
invalid value, whose reason is click's own and stays English. Any other (unexpected extra
arguments, say) keeps click's English message; so does every error when the catalogue cannot be read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

import click

if TYPE_CHECKING:
    from smtpcodes.catalogue.messages import Messages

# click 8.4 and later raise NoSuchCommand; earlier ones a plain UsageError, left in English.
NoSuchCommand = getattr(click.exceptions, "NoSuchCommand", None)


def usage_error(error: click.UsageError, arguments: list[str]) -> str:
    """`message (see 'smtpcodes explain --help')`, in the language the run would have spoken."""
    from smtpcodes.cli.helptext import asked, chosen_language, messages

    words = messages(chosen_language(asked(arguments))[0])
    command = error.ctx.command_path if error.ctx else _command_path(arguments)
    message = (_worded(error, words, arguments) if words is not None else None) or error.format_message()
    hint = words.text("usage", "see_help", command=command) if words is not None else f"(see '{command} --help')"
    return f"{message.replace(chr(10), ' ')} {hint}"


def _worded(error: click.UsageError, words: Messages, arguments: list[str]) -> str | None:
    if isinstance(error, click.MissingParameter):
        param = error.param
        if param is None or param.param_type_name != "argument" or error.message:
            return None
        if param.type.get_missing_message(param=param, ctx=error.ctx):
            return None  # click adds the choices; left whole in English
        return words.text("usage", "missing_argument", name=param.get_error_hint(error.ctx))
    if isinstance(error, click.BadParameter):
        hint = error.param_hint if isinstance(error.param_hint, str) else None
        hint = hint or (error.param.get_error_hint(error.ctx) if error.param else None)
        return words.text("usage", "invalid_value", name=hint, reason=error.message) if hint else None
    if isinstance(error, click.NoSuchOption):
        return _with_suggestion(words, words.text("usage", "no_such_option", name=error.option_name),
                                error.possibilities)
    if NoSuchCommand is not None and isinstance(error, NoSuchCommand):
        return _with_suggestion(words, words.text("usage", "no_such_command", name=error.command_name),
                                error.possibilities)
    if isinstance(error, click.BadOptionUsage):
        # click says "does not take a value" only for a flag given one with `=`; else the value is missing
        given = any(argument.startswith(f"{error.option_name}=") for argument in _before_separator(arguments))
        return words.text("usage", "takes_no_value" if given else "needs_value", name=error.option_name)
    return None


def _with_suggestion(words: Messages, message: str, possibilities: Iterable[str] | None) -> str:
    names = sorted(possibilities or ())
    if not names:
        return message
    key = "did_you_mean" if len(names) == 1 else "did_you_mean_one_of"
    return f"{message} {words.text('usage', key, names=', '.join(repr(name) for name in names))}"


def _command_path(arguments: list[str]) -> str:
    """Where click has no context (an option's value missing): the command named on the line."""
    from smtpcodes.cli.app import COMMAND_MODULES

    first = next((argument for argument in _before_separator(arguments) if not argument.startswith("-")), None)
    return f"smtpcodes {first}" if first in COMMAND_MODULES else "smtpcodes"


def _before_separator(arguments: list[str]) -> list[str]:
    return arguments[:arguments.index("--")] if "--" in arguments else arguments
