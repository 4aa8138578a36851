"""The scan summary in another language, through the command line: Arabic in logical order when
piped, right to left in visual order under --bidi visual (shaped, flush right, columns mirrored,
codes left to right), and English as it was."""

import re

import pytest

from tests.helpers import run
from tests.scanlogs import LOGS, dated_postfix

SHAPED = re.compile("[\ufe70-\ufeff]")  # Arabic presentation forms: letters joined for display
ARABIC = re.compile("[\u0600-\u06ff]")
WIDTHS = (60, 100, 160)


@pytest.fixture(scope="module")
def log(tmp_path_factory):
    return str(dated_postfix(tmp_path_factory.mktemp("scan") / "mail.log"))


def _scan(log, width, *options):
    result = run("scan", log, *options, env={"COLUMNS": str(width), "LINES": "40"})
    assert result.exit_code == 0, result.stderr
    return result.stdout


def _word(lang, key):
    from smtpcodes.catalogue.load import load_catalogue

    return load_catalogue(lang=lang).messages.text("scan", key)


def _header(log, width, lang="en"):
    """The cells of the group table's header in the logical summary in `lang`, or None for cards."""
    first = _word(lang, "col_count")
    lines = _scan(log, width, "--lang", lang).splitlines()
    header = next((line for line in lines if line.startswith(first + "  ")), None)
    return re.split(r" {2,}", header.strip()) if header else None


@pytest.mark.parametrize("width", WIDTHS)
def test_arabic_piped_is_logical_order(log, width):
    text = _scan(log, width, "--lang", "ar")
    lines = text.splitlines()
    assert ARABIC.search(text) and not SHAPED.search(text)  # reason titles in Arabic, letters unjoined
    assert "صندوق البريد غير موجود" in text  # read in the order it is written
    assert max(map(len, lines)) <= width
    assert "5.1.1" in text and "1.1.5" not in text
    assert lines[0].startswith("SMTP") or ARABIC.match(lines[0])  # starts at the left edge, not padded


@pytest.mark.parametrize("width", WIDTHS)
def test_arabic_visual_is_shaped_flush_right_and_mirrored(log, width):
    text = _scan(log, width, "--lang", "ar", "--bidi", "visual")
    lines = text.splitlines()
    assert SHAPED.search(text)
    assert "\u2066" not in text and "\u2069" not in text  # isolates are removed after reordering
    assert all(len(line) == width for line in lines if line), "every line flush right at the width"
    assert "5.1.1" in text and "1.1.5" not in text and "055" not in text and "550" in text
    from smtpcodes.output.bidi import visual

    logical = _header(log, width, "ar")
    if logical is None:  # cards: a group's code and enhanced code stay one left-to-right run
        assert "550 5.1.1" in text
        return
    shown = [visual(cell) for cell in logical]
    headers = [line for line in lines if line.rstrip().endswith(shown[0])]
    assert headers, "the first column (Count) is on the right"
    cells = re.split(r" {2,}", headers[0].strip())[::-1]  # (the examples go under their rows right to left)
    assert len(cells) >= 7 and cells == shown[: len(cells)], "columns laid out right to left"
    row = next(line for line in lines if "5.1.1" in line and "mailbox-unknown" in line)
    enhanced = shown[logical.index(_word("ar", "col_enhanced"))]
    assert headers[0].index(enhanced) + len(enhanced) == row.index("5.1.1") + len("5.1.1")


def test_arabic_visual_bars_line_up(log):
    lines = _scan(log, 100, "--lang", "ar", "--bidi", "visual").splitlines()
    from smtpcodes.output.bidi import visual

    start = next(i for i, line in enumerate(lines) if line.strip() == visual(_word("ar", "reasons")))
    bars = [line for line in lines[start + 1:] if "#" in line]
    bars = bars[: next((i for i, line in enumerate(bars) if not SHAPED.search(line)), len(bars))]
    assert len(bars) > 3
    # The labels are shaped before they are measured: every bar ends where the labels begin.
    assert len({line.rindex("#") for line in bars}) == 1


def test_english_is_unchanged_by_lang_and_bidi(log):
    plain = _scan(log, 100)
    assert _scan(log, 100, "--lang", "en") == plain == _scan(log, 100, "--bidi", "visual")
    assert not ARABIC.search(plain) and plain.startswith("SMTP replies by code and reason: 12 in 23 lines")


def test_the_summary_words_come_from_the_catalogue(tmp_path, log):
    """An overlay that rewords [messages.scan] rewords the summary: no heading is built in code."""
    overlay = tmp_path / "words.toml"
    overlay.write_text('[messages.scan]\nreasons = "Why"\ncol_count = "N"\ntop_senders = "Senders, most first"\n')
    text = _scan(log, 100, "--catalogue", str(overlay))
    lines = text.splitlines()
    assert "Why" in lines and "Reasons" not in lines and "Senders, most first" in lines
    assert any(re.split(r" {2,}", line.strip())[:3] == ["N", "Share", "Code"] for line in lines)


def test_nothing_found_is_said_with_the_catalogue_words(tmp_path):
    empty = tmp_path / "empty.log"
    empty.write_text("no replies here\nnor here\n")
    result = run("scan", str(empty))
    assert result.exit_code == 1 and "no SMTP reply found in 2 lines" in result.stderr
    assert run("scan", str(LOGS / "postfix.log"), "--reason", "mailbox-full", "--class", "4").stderr.endswith(
        "no SMTP reply matching the filters found in 23 lines\n")
