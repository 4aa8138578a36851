"""Render the README's pictures: real output drawn by the real renderers, exported as SVG by rich.

Usage: python docs/screenshots.py            (rewrites docs/*.svg)
       python docs/screenshots.py --check    (exit 1 if a committed picture is stale; the tests run this)
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

HERE = Path(__file__).parent
WIDTH = 100
REPLY = ("550-5.7.26 This mail is unauthenticated, which poses a security risk to the sender and Gmail users, "
         "and has been blocked. - gsmtp")


def _results() -> dict[str, tuple[str, object]]:
    """Each picture: its command line (the window title) and the result the command would show."""
    from smtpcodes.catalogue.load import load_catalogue
    from smtpcodes.explain.analysis import analyse_reply
    from smtpcodes.explain.compare import compare_codes
    from smtpcodes.explain.lookup import explain_code

    catalogue = load_catalogue()
    return {
        "explain-535": ("smtpcodes explain 535", explain_code(catalogue, "535")),
        "explain-reply": (f"smtpcodes explain '{REPLY[:40]}...'", analyse_reply(catalogue, REPLY)),
        "compare-214-535": ("smtpcodes compare 214 535", compare_codes(
            [explain_code(catalogue, "214"), explain_code(catalogue, "535")], catalogue.messages, catalogue.reasons)),
    }


def render_all() -> dict[str, str]:
    """The SVG text of every picture."""
    from rich.console import Console

    from smtpcodes.catalogue.load import load_catalogue
    from smtpcodes.output.emit import Output, renderable

    words = load_catalogue().messages
    pictures = {}
    for name, (title, result) in _results().items():
        console = Console(record=True, width=WIDTH, force_terminal=True, color_system="truecolor",
                          file=io.StringIO(), markup=False, emoji=False, highlight=False)
        console.print(renderable(result, Output(), words, WIDTH))
        pictures[name] = console.export_svg(title=title)
    return pictures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale pictures")
    args = parser.parse_args()
    stale = []
    for name, svg in render_all().items():
        path = HERE / f"{name}.svg"
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != svg:
                stale.append(path.name)
        else:
            path.write_text(svg, encoding="utf-8")
    if stale:
        print(f"stale: {', '.join(stale)}: run python docs/screenshots.py", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
