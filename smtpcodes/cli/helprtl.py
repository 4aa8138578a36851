"""--help right to left, for terminals that neither reorder nor shape (most of them).

Typer draws help as left-to-right panels whose columns rich wraps after the fact: a right-to-left
line reordered for display and then wrapped would read its lines bottom-up. So such a language gets
the help as a Document drawn by output/rtl.py, like every other view: flush right, shaped, each
line wrapped before it is reordered. The usage line and the examples are command lines and stay
left to right, as typed.
"""

from __future__ import annotations

import sys

import click

from smtpcodes.catalogue.messages import Messages
from smtpcodes.cli.helptext import APP, command_paragraphs, parameter_help
from smtpcodes.output.view import Document, Section

EXAMPLE_SEPARATOR = " · "


def show_right_to_left(words: Messages, command: click.Command, ctx: click.Context) -> None:
    """Draw the help of `command` on stdout: a panel on a terminal, plain lines otherwise."""
    from smtpcodes.output import rtl
    from smtpcodes.output.emit import Output, show, styled, terminal_size

    document = help_document(words, command, ctx)
    output = Output(pager=False)
    width = terminal_size().columns
    if styled(output):
        show(rtl.document_panel(document, width, "cyan"), output)
    else:
        sys.stdout.write(rtl.document_text(document, width))


def help_document(words: Messages, command: click.Command, ctx: click.Context) -> Document:
    """The help screen as a Document: the summary, the other paragraphs, usage, examples, then one
    line per argument, option and command."""
    name = APP if isinstance(command, click.Group) else command.name or APP
    summary, *paragraphs = command_paragraphs(words, name)
    examples = words.text("help-examples", name).split(EXAMPLE_SEPARATOR) if words.has("help-examples", name) else []
    if examples:
        paragraphs.pop()  # shown as a section of its own, one command line each
    usage = " ".join([ctx.command_path, *command.collect_usage_pieces(ctx)])
    sections = [Section("", tuple(paragraphs))] if paragraphs else []
    sections.append(Section(_heading(words, "usage"), (usage,), verbatim=True))
    if examples:
        sections.append(Section(_heading(words, "examples"), tuple(examples), verbatim=True))
    params = [param for param in command.get_params(ctx) if not getattr(param, "hidden", False)]
    for kind, heading in ((click.Argument, "arguments"), (click.Option, "options")):
        lines = tuple(_parameter_line(words, name, param, ctx) for param in params if isinstance(param, kind))
        if lines:
            sections.append(Section(words.text("help", heading), lines))
    if isinstance(command, click.Group):
        listed = tuple(f"{sub}: {words.text('help', sub)}" for sub in command.list_commands(ctx))
        sections.append(Section(words.text("help", "commands"), listed))
    footer = words.text("help", f"{APP}_epilog") if isinstance(command, click.Group) else ""
    return Document(ctx.command_path, None, (), tuple(sections), headline=summary, footer=footer)


def _heading(words: Messages, key: str) -> str:
    return words.text("help", key).rstrip().rstrip(":")


def _parameter_line(words: Messages, command: str, param: click.Parameter, ctx: click.Context) -> str:
    """`--after STAGE: what it does [default: ...] [required]`, its names and metavar as typed."""
    if isinstance(param, click.Argument):
        names = param.make_metavar(ctx)
    else:
        names = ", ".join([*param.opts, *param.secondary_opts])
        flag = isinstance(param, click.Option) and param.is_flag
        names += "" if flag else f" {param.make_metavar(ctx)}"
    text = f"{names}: {parameter_help(words, command, param)}"
    shown_default = isinstance(param, click.Option) and not param.is_flag and param.show_default is not False
    if shown_default and param.default is not None and not param.multiple:
        text += " " + words.text("help", "default", value=param.default)
    if param.required:
        text += " " + words.text("help", "required")
    return text
