"""The command line: one app, its shared options, and one module per command group."""

# Imported for their effect, in the order --help lists the commands: each registers its commands.
from smtpcodes.cli import codes  # noqa: F401  (explain, compare, list, search)
from smtpcodes.cli import scan  # noqa: F401
from smtpcodes.cli import probe  # noqa: F401
from smtpcodes.cli import catalogue  # noqa: F401  (validate, languages)
from smtpcodes.cli.app import app, main

__all__ = ["app", "main"]
