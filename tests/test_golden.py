"""Golden files of the human output at five widths, drawn by the real renderers as on a terminal.

Each case is run through the CLI with stdout taken for a terminal of the given width (colour off,
so the files are plain text with the box drawing) and compared with tests/golden/<case>@<width>.txt.
After a deliberate change of the output, regenerate the files and review the diff like code:

    SMTPCODES_UPDATE_GOLDEN=1 pytest tests/test_golden.py
"""

import io
import os
import re
from pathlib import Path
from unittest import mock

import pytest

from tests.helpers import run

GOLDEN = Path(__file__).parent / "golden"
WIDTHS = (60, 80, 100, 160, 220)
REPLY = ("550-5.7.26 This mail is unauthenticated, which poses a security risk to the sender and Gmail users, "
         "and has been blocked. - gsmtp")
CASES = {
    "explain-535": ("explain", "535"),
    "explain-535-full": ("explain", "535", "--full"),
    "explain-250": ("explain", "250"),
    "explain-5.7.26": ("explain", "5.7.26"),
    "explain-599": ("explain", "599"),
    "explain-reply": ("explain", REPLY),
    "explain-reply-full": ("explain", REPLY, "--full"),
    "compare-214-535": ("compare", "214", "535"),
    "compare-550-550": ("compare", "550", "550"),
    "compare-450-550-5.1.1": ("compare", "450", "550", "5.1.1"),
    "list-class-2": ("list", "--class", "2"),
    "search-auth": ("search", "authentication", "failed", "--limit", "5"),
}
UPDATE = bool(os.environ.get("SMTPCODES_UPDATE_GOLDEN"))
PROSE = 100


def drawn(args: tuple[str, ...], width: int, *, terminal: bool = True) -> str:
    """The command's stdout as a terminal of `width` columns would show it, without colour."""
    with mock.patch("smtpcodes.output.emit.is_terminal", return_value=terminal):
        result = run(*args, "--color", "never", "--no-pager", env={"COLUMNS": str(width), "LINES": "40"})
    assert result.exit_code in (0, 1), result.stderr
    return result.stdout


def _check_against_file(name: str, text: str) -> None:
    path = GOLDEN / f"{name}.txt"
    if UPDATE:
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {path.name}: run with SMTPCODES_UPDATE_GOLDEN=1 and review it"
    assert text == path.read_text(encoding="utf-8"), f"{path.name} differs: review, then regenerate"


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("case", CASES)
def test_terminal_output_matches_its_golden_file(case, width):
    _check_against_file(f"{case}@{width}", drawn(CASES[case], width))


@pytest.mark.parametrize("case", ["explain-535", "explain-reply", "compare-214-535", "list-class-2"])
def test_piped_output_matches_its_golden_file(case):
    _check_against_file(f"{case}@piped-80", drawn(CASES[case], 80, terminal=False))


HEADINGS = ("What it means", "What to do first", "When you see it", "How to fix", "Key differences",
            "When to use which", "Server said", "Also known as", "Matched in", "Provider notes")
BOX = "│╭╮╰╯─┃┏┓┗┛━┡┩╇┳┻╋┼├┤└┘┌┐┬┴ "


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("case", CASES)
def test_layout_rules_hold_at_every_width(case, width):
    """Nothing wider than the terminal; prose no wider than 100 columns; no label alone on its line;
    no heading broken inside a word; no table column squeezed under 8 characters."""
    text = drawn(CASES[case], width)
    lines = text.splitlines()
    assert max(map(len, lines)) <= width
    if case.startswith(("explain", "compare")):
        assert max(map(len, lines)) <= PROSE
    for line in lines:
        inner = line.strip(BOX)
        assert not re.fullmatch(r"[A-Z][a-z ]+:", inner), f"a label split from its value: {line!r}"
    widest = drawn(CASES[case], max(WIDTHS))
    for heading in HEADINGS:
        if heading in widest:
            assert heading in text, f"heading {heading!r} broken or lost at {width}"
    header = next((line for line in lines if line.startswith("┃")), None)
    if header:
        cells = [cell.strip() for cell in header.strip("┃").split("┃")]
        widths = [len(cell) for cell in header.strip("┃").split("┃")]
        assert min(widths) >= 7, f"a column under 8 characters at {width}: {header!r}"
        assert all(cell for cell in cells)


def test_the_default_view_of_every_code_fits_one_screen(catalogue):
    """What it means, the verdict and the first step fit a 100x40 terminal, for every code listed."""
    from rich.console import Console

    from smtpcodes.explain.lookup import explain_code
    from smtpcodes.output.emit import Output, renderable

    too_long = []
    for key in catalogue.codes:
        console = Console(width=100, record=True, color_system=None, file=io.StringIO())
        console.print(renderable(explain_code(catalogue, key), Output(), catalogue.messages, 100))
        lines = console.export_text().count("\n")
        if lines > 40:
            too_long.append((key, lines))
    assert not too_long


@pytest.fixture(scope="module")
def scan_inputs(tmp_path_factory):
    """A Postfix log with dated lines (traffic, both directions) and a bounce message (other replies)."""
    from tests.scanlogs import LOGS, dated_postfix

    return (str(dated_postfix(tmp_path_factory.mktemp("scan") / "mail.log")), str(LOGS / "bounce.eml"))


@pytest.mark.parametrize("width", WIDTHS)
def test_scan_summary_matches_its_golden_file(scan_inputs, width):
    text = drawn(("scan", *scan_inputs), width)
    assert max(map(len, text.splitlines())) <= width
    _check_against_file(f"scan-summary@{width}", text)


def test_piped_scan_summary_matches_its_golden_file(scan_inputs):
    _check_against_file("scan-summary@piped-80", drawn(("scan", *scan_inputs), 80, terminal=False))
