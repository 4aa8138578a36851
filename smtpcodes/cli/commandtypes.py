"""The click classes Typer builds smtpcodes' commands from: Typer's own, whose help can be shown in
the user's language. The words are filled in by helptext.py, imported only when help is asked for,
so a run that does its work never reads them."""

from __future__ import annotations

import sys
from typing import Any, Callable, Sequence

import click
from typer.core import TyperCommand, TyperGroup

HELP_OPTIONS = ("-h", "--help")


def help_requested(arguments: Sequence[str]) -> bool:
    """Whether this run shows help: -h or --help before any `--`, or no argument at all (the
    app's help, as no_args_is_help shows it)."""
    for argument in arguments:
        if argument == "--":
            return False
        if argument in HELP_OPTIONS:
            return True
    return not arguments


class _Translatable(click.Command):
    """The three places a help screen has words of its own; each None until helptext sets it."""

    usage_prefix: str | None = None  # "Usage:"
    help_option_text: str | None = None  # the help of -h/--help, which click makes per run
    # Draws the whole help right to left in visual order (helprtl.py), instead of Typer's panels.
    right_to_left: Callable[[click.Command, click.Context], None] | None = None

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        if self.usage_prefix is None:
            super().format_usage(ctx, formatter)
        else:
            pieces = " ".join(self.collect_usage_pieces(ctx))
            formatter.write_usage(ctx.command_path, pieces, f"{self.usage_prefix} ")

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None and self.help_option_text is not None:
            option.help = self.help_option_text
        return option

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        if self.right_to_left is None:
            super().format_help(ctx, formatter)
        else:
            self.right_to_left(self, ctx)


class HelpCommand(_Translatable, TyperCommand):
    pass


class HelpGroup(_Translatable, TyperGroup):
    """The app: when this run shows help, its words are put in the user's language first."""

    def main(self, args: Sequence[str] | None = None, *rest: Any, **options: Any) -> Any:
        arguments = list(sys.argv[1:] if args is None else args)
        if not help_requested(arguments):
            return super().main(args, *rest, **options)
        from smtpcodes.cli.helptext import help_in_language

        with help_in_language(self, arguments) as arguments:
            return super().main(arguments, *rest, **options)
