"""The console entry point, kept apart from cli.py so that Ctrl-C during start-up is handled too."""

import sys


def main() -> None:
    """Run smtpcodes; an interrupt while the framework is still importing ends like any other."""
    try:
        from smtpcodes.cli import main as run
    except KeyboardInterrupt:
        sys.stderr.write("smtpcodes: interrupted\n")
        sys.exit(130)
    run()


if __name__ == "__main__":
    main()
