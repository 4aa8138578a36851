"""The command line: one app, its shared options, and one module per command group.

Each command module registers its commands when it is imported. The app imports them when it first
runs; the console entry imports only the module of the command it runs (app.main).
"""

from smtpcodes.cli.app import app, main

__all__ = ["app", "main"]
