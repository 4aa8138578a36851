"""The command that asks a live server: probe (its help: codes.toml [messages.help*])."""

import os
import sys
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from smtpcodes.cli.app import app, load, reported_errors, say
from smtpcodes.cli.options import CatalogueFiles, with_output
from smtpcodes.errors import BadInput

if TYPE_CHECKING:
    from smtpcodes.output.emit import Output

PROBE_EXIT = {"accepted": 0, "rejected": 4, "temporary": 5, "unreachable": 6}
PASSWORD_VAR = "SMTPCODES_PASSWORD"


@app.command()
@with_output("probe")
def probe(
    target: Annotated[str, typer.Argument(metavar="DOMAIN_OR_HOST")],
    output: "Output",
    rcpt: Annotated[Optional[str], typer.Option("--rcpt", metavar="ADDRESS")] = None,
    sender: Annotated[Optional[str], typer.Option("--from", metavar="ADDRESS")] = None,
    port: Annotated[int, typer.Option("--port", metavar="PORT")] = 25,
    starttls: Annotated[str, typer.Option("--starttls", metavar="MODE")] = "auto",
    user: Annotated[Optional[str], typer.Option("--auth", metavar="USER")] = None,
    ehlo: Annotated[Optional[str], typer.Option("--ehlo", metavar="NAME")] = None,
    timeout: Annotated[float, typer.Option("--timeout", metavar="S")] = 20.0,
    catalogue_files: CatalogueFiles = None,
) -> None:
    with reported_errors():
        from smtpcodes.output.emit import emit
        from smtpcodes.output.probeview import ProbeReport, verdict_text
        from smtpcodes.output.safetext import printable
        from smtpcodes.probe.model import Options
        from smtpcodes.probe.run import check_options, run_probe

        if starttls not in ("auto", "require", "never"):
            raise BadInput("bad_starttls", value=starttls)
        options = Options(target, rcpt, sender, port, starttls, user, ehlo, timeout)  # type: ignore[arg-type]
        check_options(options)
        password = _password() if user else None
        catalogue = load(catalogue_files, output.lang)
        result = run_probe(catalogue, options, password)
        status = PROBE_EXIT[result.verdict.outcome]
        words = catalogue.messages
        emit(ProbeReport(result, status, words), output, words)
        if result.verdict.outcome == "unreachable":
            line = printable(verdict_text(result, words), one_line=True)
            say(words.text("probe-view", "could_not_reach", reason=line))
        if status:
            raise typer.Exit(status)


def _password() -> str:
    """From the environment, else a hidden prompt; never from an argument, never echoed."""
    password = os.environ.get(PASSWORD_VAR)
    if password:
        return password
    if not sys.stdin.isatty():
        raise BadInput("auth_password", variable=PASSWORD_VAR)
    import getpass

    return getpass.getpass("Password: ")
