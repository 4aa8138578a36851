"""Shared test helpers."""

import json

from typer.testing import CliRunner

from smtpcodes.cli import app

runner = CliRunner()


def run(*args: str, input: str | None = None, env: dict[str, str] | None = None):
    """Invoke the CLI in-process, with stdout and stderr kept apart."""
    return runner.invoke(app, list(args), input=input, env=env)


def run_json(*args: str):
    result = run(*args, "--json")
    return result, json.loads(result.stdout)
