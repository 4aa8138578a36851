"""What makes a big scan fast must not change what it finds: the mask key, the memo of masked replies,
the Postfix status shapes written for speed, times converted per minute, and records made from hits."""

import random
import re
import string
from datetime import datetime

import pytest

from smtpcodes.scan.logformats import POSTFIX, SHAPES
from smtpcodes.scan.records import mask_key, mask_spans
from smtpcodes.scan.scanner import Aggregator, Filters, Scanner, summary_object
from smtpcodes.scan.times import Times, parse_time
from tests.scanlogs import LOGS

NOW = datetime(2026, 12, 1)
CLASSES = {"a": string.ascii_letters, "0": "0", "1": "12345", "6": "6789"}


def _piece(rng: random.Random) -> str:
    """A piece of a template: an id, an IP address, an address's local part, digits, a code, or punctuation."""
    def word(length: int, alphabet: str) -> str:
        return "".join(rng.choice(alphabet) for _ in range(length))

    return rng.choice((
        lambda: word(rng.randrange(8, 14), "aa0161-"),
        lambda: ".".join(word(rng.randrange(1, 4), "016") for _ in range(rng.choice((3, 4, 5)))),
        lambda: "<" + word(rng.randrange(1, 6), "aa_0.+-") + "@" + word(3, "a"),
        lambda: word(rng.randrange(8, 13), "0161"),
        lambda: "1" + word(2, "016") + rng.choice("- ") + word(9, "aa0"),
        lambda: word(rng.randrange(1, 6), ".-_:;<>@[]()=+\"/#\u00fc\u0663\t"),
        lambda: word(rng.randrange(1, 6), "a0a."),
    ))()


def test_texts_with_the_same_mask_key_are_masked_at_the_same_places():
    rng = random.Random(11)
    masked = 0
    for _ in range(4000):
        template = rng.choice(("", " ", "-", ".")).join(_piece(rng) for _ in range(rng.randrange(1, 6)))
        one, two = ("".join(rng.choice(CLASSES[c]) if c in CLASSES else c for c in template) for _ in range(2))
        assert mask_key(one) == mask_key(two)
        assert mask_spans(one) == mask_spans(two), (one, two)
        masked += bool(mask_spans(one))
    assert masked > 1000


@pytest.mark.parametrize("index, lazy", [
    (0, r"(?P<qid>\w+): to=<(?P<rcpt>[^>]*)>,.*? status=(?P<status>[\w-]+)(?: \((?P<text>.*)\))?"),
    (1, r"(?P<qid>\w+): from=<(?P<sender>[^>]*)>,.*? status=(?P<status>[\w-]+)"),
])
def test_postfix_status_shapes_stop_where_a_lazy_scan_would(index, lazy):
    reference = re.compile(POSTFIX + lazy)
    rng = random.Random(index)
    parts = (" ", "status=", "sent", "(", ")", "x", ",", "\n", " status=", " status= ", "status=-", "\u00fc", " (250 ok)")
    start = "Nov 28 09:14:02 mx1 postfix/smtp[1]: Q1: " + ("to=<a@b>," if index == 0 else "from=<a@b>,")
    matched = 0
    for _ in range(5000):
        line = start + "".join(rng.choice(parts) for _ in range(rng.randrange(0, 9)))
        fast, slow = SHAPES[index].pattern.match(line), reference.match(line)
        assert (fast.groupdict() if fast else None) == (slow.groupdict() if slow else None), line
        matched += fast is not None
    assert matched > 300


@pytest.mark.parametrize("now", [datetime(2026, 12, 1, 10), datetime(2027, 1, 1, 0, 0, 30), datetime(2024, 2, 28, 23, 59, 30)])
def test_syslog_times_converted_per_minute_are_converted_as_parsed(now):
    rng = random.Random(now.year)
    times = Times(now)
    months, days, hours = ("Jan", "Feb", "Nov", "Dec", "Foo"), (" 1", "28", "29", "31", "01"), ("00", "23", "24")
    seconds = ("00", "59", "60", "5", "\u0663\u0663")  # Arabic-Indic digits parse as digits
    for _ in range(5000):
        text = f"{rng.choice(months)} {rng.choice(days)} {rng.choice(hours)}:{rng.choice(('00', '59', '60'))}:{rng.choice(seconds)}"
        stamp = parse_time(text, now)
        assert times.iso(text) == (stamp.isoformat() if stamp else None), text


def test_29_february_more_than_a_day_ahead_is_no_time_rather_than_an_error():
    assert parse_time("Feb 29 23:59:59", datetime(2024, 2, 28, 23, 59, 30)) is None


def test_texts_with_the_same_key_and_other_words_keep_their_own_words(catalogue, tmp_path):
    log = tmp_path / "mail.log"
    words = ["OK id=abcde x", "OK id=fghij x", "OK id=abcde x", "550 5.1.1 <bob@example.com> user unknown",
             "550 5.1.1 <amy@example.com> mbox unknown"]
    log.write_text("".join(f"250 {w}\n" if w.startswith("OK") else w + "\n" for w in words))
    records = list(Scanner(catalogue, Filters(now=NOW)).records([str(log)]))
    assert [r.analysis.reply.text for r in records] == [
        "OK id=abcde x", "OK id=fghij x", "OK id=abcde x", "<bob@example.com> user unknown",
        "<amy@example.com> mbox unknown",
    ]


@pytest.mark.parametrize("name", sorted(p.name for p in LOGS.iterdir()))
def test_records_made_from_hits_are_the_records_made_one_by_one(catalogue, name):
    paths = [str(LOGS / name)]
    scanner = Scanner(catalogue, Filters(now=NOW))
    pairs = list(scanner.pairs(paths))
    from_hits = Scanner(catalogue, Filters(now=NOW))
    assert list(scanner.json_of(pairs)) == list(from_hits.json_lines(paths))  # compact_json, compact_lines
    by_records, by_hits = Aggregator(), Aggregator()
    for record, _ in pairs:
        by_records.add(record)
    hits = Scanner(catalogue, Filters(now=NOW))
    by_hits.add_hits(hits.hits(paths))
    assert summary_object(by_records.summary(scanner.counts)) == summary_object(by_hits.summary(hits.counts))
