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


# A morning on a small Postfix relay, written for this picture: deliveries, a greylisting deferral,
# an unknown mailbox, a rate limit, an open-relay attempt and a blocklisted client.
SCAN_LOG = """\
2026-11-28T08:02:11.000000+00:00 mx1 postfix/qmgr[812]: 4QmA1b2C3d4E: from=<news@example.net>, size=18220, nrcpt=3 (queue active)
2026-11-28T08:02:12.000000+00:00 mx1 postfix/smtp[901]: 4QmA1b2C3d4E: to=<ann@example.com>, relay=mx.example.com[192.0.2.10]:25, delay=0.8, delays=0.1/0/0.3/0.4, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 7F2A91)
2026-11-28T08:02:12.000000+00:00 mx1 postfix/smtp[902]: 4QmA1b2C3d4E: to=<ben@example.org>, relay=mx.example.org[192.0.2.20]:25, delay=1.1, delays=0.1/0/0.5/0.5, dsn=5.1.1, status=bounced (host mx.example.org[192.0.2.20] said: 550 5.1.1 <ben@example.org>: Recipient address rejected: User unknown in local recipient table (in reply to RCPT TO command))
2026-11-28T08:02:13.000000+00:00 mx1 postfix/smtp[903]: 4QmA1b2C3d4E: to=<cat@example.net>, relay=mx.example.net[198.51.100.30]:25, delay=2.0, delays=0.1/0/1.4/0.5, dsn=4.2.0, status=deferred (host mx.example.net[198.51.100.30] said: 450 4.2.0 <cat@example.net>: Recipient address rejected: Greylisted, try again in 300 seconds (in reply to RCPT TO command))
2026-11-28T08:07:40.000000+00:00 mx1 postfix/smtp[903]: 4QmA1b2C3d4E: to=<cat@example.net>, relay=mx.example.net[198.51.100.30]:25, delay=329, delays=328/0/0.5/0.5, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 9C41B7)
2026-11-28T09:15:03.000000+00:00 mx1 postfix/qmgr[812]: 4QmB5f6G7h8J: from=<billing@example.com>, size=5120, nrcpt=2 (queue active)
2026-11-28T09:15:04.000000+00:00 mx1 postfix/smtp[910]: 4QmB5f6G7h8J: to=<dan@example.org>, relay=mx.example.org[192.0.2.20]:25, delay=0.6, delays=0.1/0/0.2/0.3, dsn=4.7.0, status=deferred (host mx.example.org[192.0.2.20] said: 421 4.7.0 Too many messages from your address, slow down (in reply to MAIL FROM command))
2026-11-28T09:15:05.000000+00:00 mx1 postfix/smtp[911]: 4QmB5f6G7h8J: to=<eve@example.com>, relay=mx.example.com[192.0.2.10]:25, delay=0.7, delays=0.1/0/0.3/0.3, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 3B77E0)
2026-11-28T09:40:27.000000+00:00 mx1 postfix/smtpd[920]: NOQUEUE: reject: RCPT from unknown[203.0.113.50]: 554 5.7.1 <fay@example.org>: Relay access denied; from=<offers@example.net> to=<fay@example.org> proto=ESMTP helo=<example.net>
2026-11-28T10:21:55.000000+00:00 mx1 postfix/postscreen[930]: NOQUEUE: reject: RCPT from [203.0.113.61]:40122: 550 5.7.1 Service unavailable; client [203.0.113.61] blocked using bl.example.org; from=<deals@example.net>, to=<gus@example.com>, proto=ESMTP, helo=<example.net>
2026-11-28T10:30:18.000000+00:00 mx1 postfix/smtp[940]: 4QmC9k0L1m2N: to=<ann@example.com>, relay=mx.example.com[192.0.2.10]:25, delay=0.5, delays=0.1/0/0.2/0.2, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 5D09F3)
"""


def _scan_summary() -> object:
    """The summary of SCAN_LOG, scanned as `smtpcodes scan` does."""
    import tempfile

    from smtpcodes.output.scanrun import Request, run
    from smtpcodes.scan.scanner import Filters

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "mail.log"
        path.write_text(SCAN_LOG, encoding="utf-8")
        return run(Request([str(path)], "summary", Filters(), ()), lambda _: None).summary


def render_all() -> dict[str, str]:
    """The SVG text of every picture."""
    from rich.console import Console

    from smtpcodes.catalogue.load import load_catalogue
    from smtpcodes.output.emit import Output, renderable
    from smtpcodes.output.scanview import summary_renderable

    words = load_catalogue().messages
    drawn = {name: (title, renderable(result, Output(), words, WIDTH)) for name, (title, result) in _results().items()}
    drawn["scan-summary"] = ("smtpcodes scan mail.log", summary_renderable(_scan_summary(), words, 20, WIDTH))
    drawn.update(_other_languages())
    pictures = {}
    for name, (title, item) in drawn.items():
        console = Console(record=True, width=WIDTH, force_terminal=True, color_system="truecolor",
                          file=io.StringIO(), markup=False, emoji=False, highlight=False)
        console.print(item)
        svg = console.export_svg(title=title)
        # The Arabic lines are already in the order a terminal shows them; a browser drawing the
        # SVG would run the bidirectional algorithm over them again and reverse them back.
        pictures[name] = svg.replace("<style>", "<style>\n    text { unicode-bidi: bidi-override; direction: ltr; }", 1)
    return pictures


def _other_languages() -> dict[str, tuple[str, object]]:
    """`explain 535` in Arabic, as a terminal that does not reorder shows it, and in Spanish."""
    from smtpcodes.catalogue.load import load_catalogue
    from smtpcodes.explain.lookup import explain_code
    from smtpcodes.output import rtl
    from smtpcodes.output.emit import Output, document_of, renderable
    from smtpcodes.output.render import class_style

    arabic = load_catalogue(lang="ar")
    document = document_of(explain_code(arabic, "535"), Output(lang="ar", visual=True), arabic.messages)
    spanish = load_catalogue(lang="es")
    return {
        "explain-535-ar": ("smtpcodes explain 535 --lang ar",
                           rtl.document_panel(document, WIDTH, class_style(document.klass))),
        "explain-535-es": ("smtpcodes explain 535 --lang es",
                           renderable(explain_code(spanish, "535"), Output(lang="es"), spanish.messages, WIDTH)),
    }


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
