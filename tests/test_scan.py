"""`scan`: replies found in each log format, record by record; the summary against a hand count;
gzip, stdin, bad bytes, long lines; exit codes and what goes to stdout and stderr."""

import gzip
import io
import json
from pathlib import Path

import pytest

from smtpcodes.explain.analysis import analyser_for
from smtpcodes.output.jsonout import analysis_object, dumps
from smtpcodes.scan.records import FIELDS, source_object
from smtpcodes.scan.scanner import MAX_LINE, Aggregator, Filters, Scanner, mask, parse_time
from tests.helpers import run, runner

LOGS = Path(__file__).parent / "data" / "logs"


def scan_records(catalogue, *names, filters=Filters(), stdin=None):
    scanner = Scanner(catalogue, filters)
    paths = [name if name == "-" else str(LOGS / name) for name in names]
    return list(scanner.records(paths, stdin=stdin)), scanner.counts


def rows(records):
    """What each record says, in the order the expectations below are written."""
    return [
        (
            r.source.line, r.analysis.reply.code, r.analysis.reply.enhanced, r.outcome, r.analysis.stage,
            r.source.timestamp, r.source.recipient, r.source.sender, r.source.queue_id,
        )
        for r in records
    ]


# --- each format, record by record -------------------------------------------------------------


def test_postfix_deliveries_deferrals_bounces_and_rejects_are_found_with_their_envelope(catalogue):
    records, counts = scan_records(catalogue, "postfix.log")
    assert rows(records) == [
        (5, "250", "2.0.0", "delivered", None, "Nov 28 09:14:02", "bob@example.com", None, "4QkTz81Xb2z9sXy"),
        (6, "550", "5.1.1", "bounced", "RCPT", "Nov 28 09:14:02", "carol@example.org", None, "4QkTz81Xb2z9sXy"),
        (10, "421", "4.7.0", "deferred", "MAIL", "Nov 28 09:20:15", None, None, "4QkV2c6RrTz4Lmn"),
        (11, "450", "4.2.0", "deferred", "RCPT", "Nov 28 09:20:16", "dave@example.com", None, "4QkV2c6RrTz4Lmn"),
        (12, None, "4.4.1", "deferred", None, "Nov 28 09:25:40", "erin@example.net", None, "4QkV8n0Jt1z5Qrs"),
        (14, "554", "5.7.1", "rejected", "RCPT", "Nov 28 09:31:08", "frank@example.org", "spam@example.net", None),
        (16, "550", "5.7.1", "rejected", "RCPT", "Nov 28 09:33:12", "grace@example.com", "promo@example.net", None),
        (17, None, "5.7.1", "rejected", None, "Nov 28 09:40:00", "heidi@example.com", "sales@example.net", "4QkVT51mNpz6Abc"),
        (18, "250", "2.0.0", "delivered", None, "Nov 28 09:45:21", "ivan@example.com", None, "4QkVZ22ZxTz7Def"),
        (19, None, "2.0.0", "delivered", None, "Nov 28 09:46:02", "judy@mx1.example.com", None, "4QkVZx1YbTz8Ghi"),
        (20, "450", "4.7.1", "other", "RCPT", "Nov 28 09:50:33", "ken@example.com", "news@example.net", None),
        (22, "550", "5.7.26", "bounced", "DATA", "Nov 28 10:05:10", "leo@example.com", None, "4QkVwQ6SsTz9Jkl"),
    ]
    texts = [r.analysis.reply.text for r in records]
    assert texts[1] == "<carol@example.org>: Recipient address rejected: User unknown in virtual mailbox table"
    assert texts[5] == "<frank@example.org>: Relay access denied"  # the envelope Postfix appends is not the reply
    assert records[11].analysis.reply.lines[1] == "sender and recipients, and has been blocked."
    # A timeout, a local delivery and cleanup's code-only reject quote no SMTP reply: their dsn= status
    # is explained with the log's words (no basic code). Expiry has neither: counted, not recorded.
    assert texts[4] == "connect to mx.example.net[198.51.100.40]:25: Connection timed out"
    assert (records[4].analysis.reason, records[7].analysis.reason) == ("network", "content-rejected")
    assert records[4].analysis.basic is None and records[4].analysis.retryable is True
    assert counts.without_reply == {"delivered": 0, "deferred": 0, "bounced": 0, "rejected": 0, "expired": 1, "other": 0}
    assert (counts.lines, counts.replies, counts.lines_skipped) == (23, 12, 11)


def test_exim_main_log_failures_deferrals_and_confirmed_deliveries(catalogue):
    records, counts = scan_records(catalogue, "exim.log")
    assert rows(records) == [
        (2, "250", "2.0.0", "delivered", None, "2026-11-28 11:02:14", "bob@example.com", None, "1tQxYz-000Ab1-Cd"),
        (3, "550", "5.1.1", "bounced", "RCPT", "2026-11-28 11:02:14", "carol@example.org", None, "1tQxYz-000Ab1-Cd"),
        (4, "451", "4.7.1", "deferred", "MAIL", "2026-11-28 11:02:15", "dave@example.com", None, "1tQxYz-000Ab1-Cd"),
        (8, "552", "5.3.4", "bounced", "DATA", "2026-11-28 11:06:01", "grace@example.com", None, "1tQy2B-000Ab9-Xy"),
    ]
    assert records[0].analysis.reply.text == "Ok: queued as 4QkX1b2Cd3z4Efg"
    assert counts.without_reply["deferred"] == 1 and counts.without_reply["rejected"] == 1


def test_sendmail_stat_and_ruleset_rejects(catalogue):
    records, counts = scan_records(catalogue, "sendmail.log")
    assert rows(records) == [
        (2, None, "2.0.0", "delivered", None, "Nov 28 12:00:03", "bob@example.com", None, "4ASC01aB005101"),
        (3, "421", "4.7.0", "deferred", None, "Nov 28 12:01:10", "carol@example.org", None, "4ASC1Ab0005103"),
        (4, None, "5.1.1", "bounced", None, "Nov 28 12:02:20", "dave@example.com", None, "4ASC2Cd0005104"),
        (5, "550", "5.7.1", "rejected", "RCPT", "Nov 28 12:03:30", "erin@example.org", None, "4ASC3Ef0005105"),
        (6, "451", "4.1.8", "rejected", "MAIL", "Nov 28 12:04:40", None, "spam@example.net", "4ASC4Gh0005106"),
    ]
    # stat=Sent and stat=User unknown carry only Sendmail's own dsn=: explained with Sendmail's words.
    unknown = records[2].analysis
    assert (unknown.reply.text, unknown.reason, unknown.bounce) == ("User unknown", "mailbox-unknown", "hard")
    assert sum(counts.without_reply.values()) == 0


def test_exchange_message_tracking_rows_follow_the_fields_header(catalogue):
    records, counts = scan_records(catalogue, "exchange-tracking.log")
    assert rows(records) == [
        (7, "250", "2.0.0", "delivered", None, "2026-11-28T13:00:02.456Z", "carol@example.org", "bob@example.com", "12884901890"),
        (8, "550", "5.1.1", "bounced", None, "2026-11-28T13:05:09.789Z", "dave@example.org", "bob@example.com", "12884901891"),
        (9, "451", "4.4.0", "deferred", None, "2026-11-28T13:06:10.000Z", "erin@example.net", "bob@example.com", "12884901892"),
    ]
    assert records[2].analysis.reply.text.startswith('Primary target IP address responded with: "421 4.4.2')
    assert counts.without_reply["other"] == 1  # the RECEIVE row has no recipient status


def test_exchange_ndr_takes_the_recipient_from_the_line_above(catalogue):
    records, _ = scan_records(catalogue, "exchange-ndr.txt")
    assert rows(records) == [(11, "550", "5.1.10", "bounced", None, None, "frank@example.org", None, None)]


def test_dsn_reads_folded_diagnostic_codes_and_ignores_the_human_part_of_the_report(catalogue):
    records, counts = scan_records(catalogue, "bounce.eml")
    stamp = "Sat, 28 Nov 2026 15:00:05 +0000 (UTC)"
    assert rows(records) == [
        (42, "550", "5.1.1", "bounced", None, stamp, "bob@example.com", None, "4QkZ9Xy2Lmz3Nop"),
        (53, "552", "5.2.2", "bounced", None, stamp, "carol@example.org", None, "4QkZ9Xy2Lmz3Nop"),
    ]
    assert records[0].analysis.reply.lines == (
        "The email account that you tried to reach does not exist. Please try",
        "double-checking the recipient's email address for typos or",
        "unnecessary spaces.",
        "https://support.example.com/mail/?p=NoSuchUser a1si2 - gsmtp",
    )
    assert counts.replies == 2  # not the "said:" lines of the notification, nor "550 people" in the headers


def test_exim_bounce_text_gives_the_stage_from_the_line_before_the_reply(catalogue):
    records, _ = scan_records(catalogue, "exim-bounce.txt")
    assert rows(records) == [(9, "550", "5.1.1", "bounced", "RCPT", None, "grace@example.com", None, None)]


def test_swaks_transcript_joins_multi_line_replies_and_knows_each_command(catalogue):
    records, _ = scan_records(catalogue, "swaks.txt")
    assert [(r.source.line, r.analysis.reply.code, r.analysis.stage, r.outcome) for r in records] == [
        (3, "220", "CONNECT", "other"),
        (5, "250", "EHLO", "other"),
        (11, "220", "STARTTLS", "other"),
        (14, "250", "EHLO", "other"),
        (17, "250", "MAIL", "other"),
        (19, "550", "RCPT", "rejected"),
        (21, "221", "QUIT", "other"),
    ]
    assert records[1].analysis.reply.lines == ("mx.example.com", "PIPELINING", "SIZE 10240000", "STARTTLS", "8BITMIME")
    assert (records[5].source.recipient, records[5].source.sender) == ("bob@example.com", "alice@example.net")
    assert records[5].analysis.reason == "mailbox-unknown"


def test_rfc_style_transcript_reply_after_the_message_answers_data(catalogue):
    records, _ = scan_records(catalogue, "transcript-rfc.txt")
    assert [(r.source.line, r.analysis.reply.code, r.analysis.stage) for r in records] == [
        (1, "220", "CONNECT"), (3, "250", "EHLO"), (6, "250", "MAIL"), (8, "250", "RCPT"),
        (10, "354", "DATA"), (13, "451", "DATA"), (15, "221", "QUIT"),
    ]
    assert records[5].source.recipient == "dave@example.org" and records[5].outcome == "deferred"


def test_plain_text_finds_replies_but_not_numbers_in_prose(catalogue):
    records, _ = scan_records(catalogue, "plain.txt")
    assert [(r.source.line, r.analysis.reply.code, r.analysis.reply.enhanced, r.analysis.reply.text) for r in records] == [
        (3, "550", "5.7.1", "Message rejected due to local policy"),
        (5, "421", "4.7.0", "Too many connections, slow down"),
        (6, "452", "4.5.3", "Too many recipients"),  # the reply quoted in prose ends at its quote
    ]


# --- the summary, against a hand count ----------------------------------------------------------


def test_summary_of_the_postfix_log_matches_a_hand_count(catalogue):
    records, counts = scan_records(catalogue, "postfix.log")
    aggregator = Aggregator()
    for record in records:
        aggregator.add(record)
    summary = aggregator.summary(counts)
    # Lines 5 and 18 are 250 2.0.0; every other reply has a code pair of its own. Delivered: 5, 18, 19;
    # deferred: 10, 11, 12; bounced: 6, 22; rejected: 14, 16, 17; other: 20 (a reject_warning).
    assert summary.outcomes == {"delivered": 3, "deferred": 3, "bounced": 2, "rejected": 3, "expired": 0, "other": 1}
    # smtpd, postscreen and cleanup refused mail coming in (14, 16, 17, and the warning on 20).
    assert summary.directions == {"incoming": 4, "outgoing": 8, "unknown": 0}
    assert {g.direction for g in summary.groups if g.code in ("554", "450") and g.enhanced in ("5.7.1", "4.7.1")} == {"incoming"}
    assert (summary.lines_read, summary.replies_found, summary.replies_matched, summary.lines_skipped) == (23, 12, 12, 11)
    assert summary.groups_total == 11
    first = summary.groups[0]
    assert (first.code, first.enhanced, first.count, first.reason) == ("250", "2.0.0", 2, None)
    assert first.share == pytest.approx(2 / 12)
    assert first.domains == (("example.com", 2),)
    assert sum(group.count for group in summary.groups) == 12
    assert {(g.code, g.enhanced) for g in summary.groups[1:]} == {
        ("550", "5.1.1"), ("421", "4.7.0"), ("450", "4.2.0"), (None, "4.4.1"), ("554", "5.7.1"), ("550", "5.7.1"),
        (None, "5.7.1"), (None, "2.0.0"), ("450", "4.7.1"), ("550", "5.7.26"),
    }
    failures = sum(n for _, _, n in summary.reasons)
    assert failures == 9  # lines 5, 18 and 19 are deliveries, with no reason


def test_summary_top_keeps_the_most_frequent_groups(catalogue):
    records, counts = scan_records(catalogue, "postfix.log")
    aggregator = Aggregator()
    for record in records:
        aggregator.add(record)
    summary = aggregator.summary(counts, top=2)
    assert len(summary.groups) == 2 and summary.groups_total == 11 and summary.groups[0].count == 2


# --- the JSON records ---------------------------------------------------------------------------


ALL_LOGS = sorted(p.name for p in LOGS.iterdir())


@pytest.mark.parametrize("name", ALL_LOGS)
def test_each_detailed_json_record_is_the_explain_reply_object_plus_its_source(catalogue, name):
    scanner = Scanner(catalogue)
    path = str(LOGS / name)
    lines = list(scanner.json_lines([path], detail=True))
    records = list(Scanner(catalogue).records([path]))
    assert len(lines) == len(records) > 0
    for line, record in zip(lines, records):
        expected = {**analysis_object(record.analysis), "source": source_object(record.source)}
        assert line == dumps(expected, lines=True) + "\n"
        assert list(json.loads(line)["source"]) == ["file", "line", "timestamp", "recipient", "sender", "queue_id"]


@pytest.mark.parametrize("name", ALL_LOGS)
def test_masking_identifiers_does_not_change_any_explanation_in_the_fixtures(catalogue, name):
    analyser = analyser_for(catalogue)
    for record in Scanner(catalogue).records([str(LOGS / name)]):
        reply = record.analysis.reply
        # The text scan handed to the parser is not kept, so rebuild an equivalent one.
        exact = analyser.analyse_reply(reply, " ".join(reply.lines))
        assert (record.analysis.reason, record.analysis.bounce, record.analysis.retryable) == (
            exact.reason, exact.bounce, exact.retryable,
        ), reply.text


def test_mask_hides_ids_addresses_and_ips_but_never_codes():
    text = "host mx2.example.com[192.0.2.4] said: 550 5.1.1 <bob.smith@example.com>: queued as 4QkTz9Hq1Wz2Kp3 1764374403"
    assert mask(text) == "host mx2.example.com[*] said: 550 5.1.1 <*@example.com>: queued as * *"
    assert mask("550-5.7.26 blocked 550 5.7.26 x") == "550-5.7.26 blocked 550 5.7.26 x"
    assert mask("id 550-abcdefgh12 here") == "id 550-abcdefgh12 here"


# --- inputs: gzip, stdin, bad bytes, long lines -------------------------------------------------


def test_gzip_files_are_read_like_plain_ones(catalogue, tmp_path):
    packed = tmp_path / "mail.log.1.gz"
    packed.write_bytes(gzip.compress((LOGS / "postfix.log").read_bytes()))
    plain, _ = scan_records(catalogue, "postfix.log")
    scanner = Scanner(catalogue)
    unpacked = list(scanner.records([str(packed)]))
    assert rows(unpacked) == rows(plain)
    assert unpacked[0].source.file == str(packed)


def test_gzip_on_stdin_is_recognised_by_its_magic_bytes(catalogue):
    stdin = io.BytesIO(gzip.compress((LOGS / "exim.log").read_bytes()))
    records, _ = scan_records(catalogue, "-", stdin=stdin)
    assert len(records) == 4 and records[0].source.file == "<stdin>"


def test_a_corrupt_gzip_file_is_an_input_error_naming_it(tmp_path):
    broken = tmp_path / "broken.gz"
    broken.write_bytes(gzip.compress(b"550 5.1.1 x\n" * 1000)[:60])
    result = run("scan", str(broken))
    assert result.exit_code == 2
    assert str(broken) in result.stderr and "gzip" in result.stderr and "Traceback" not in result.stderr


def test_invalid_utf8_is_replaced_not_fatal(catalogue, tmp_path):
    log = tmp_path / "bad.log"
    log.write_bytes(
        b"Nov 28 09:14:02 mx1 postfix/smtp[1]: 4QkTz81Xb2z9sXy: to=<bob@example.com>, relay=x, dsn=5.1.1, "
        b"status=bounced (host x[192.0.2.1] said: 550 5.1.1 Unknown user \xff\xfe\xc3 here (in reply to RCPT TO command))\n"
        b"\x80\x81 550 5.7.1 Denied \xe2\x80\n"
    )
    records = list(Scanner(catalogue).records([str(log)]))
    assert [r.analysis.reply.text for r in records] == ["Unknown user \ufffd\ufffd\ufffd here", "Denied \ufffd"]
    result = run("scan", "--json", str(log))
    assert result.exit_code == 0
    assert [json.loads(line)["text"] for line in result.stdout.splitlines()][1] == "Denied \ufffd"


def test_very_long_lines_are_cut_and_counted_and_the_next_line_still_read(catalogue, tmp_path):
    log = tmp_path / "long.log"
    with open(log, "wb") as out:
        out.write(b"550 5.1.1 <bob@example.com>: too long " + b"x" * (3 * MAX_LINE) + b"\n")
        out.write(b"y" * (5 * 1024 * 1024))  # a 5 MiB line without a reply, across several blocks
        out.write(b"\n421 4.7.0 Try later\n")
        out.write(b"z" * (2 * MAX_LINE))  # and one that never ends
    scanner = Scanner(catalogue)
    records = list(scanner.records([str(log)]))
    assert [(r.source.line, r.analysis.reply.code) for r in records] == [(1, "550"), (3, "421")]
    assert len(records[0].analysis.reply.text) < MAX_LINE
    assert (scanner.counts.lines, scanner.counts.truncated) == (4, 3)


def test_crlf_line_ends_are_tolerated(catalogue, tmp_path):
    log = tmp_path / "crlf.log"
    log.write_bytes((LOGS / "sendmail.log").read_bytes().replace(b"\n", b"\r\n"))
    records = list(Scanner(catalogue).records([str(log)]))
    plain, _ = scan_records(catalogue, "sendmail.log")
    assert rows(records) == rows(plain)


# --- filters -------------------------------------------------------------------------------------


def test_class_and_reason_filters_keep_only_matching_replies(catalogue):
    records, counts = scan_records(catalogue, "postfix.log", filters=Filters(klass=4))
    assert [r.source.line for r in records] == [10, 11, 12, 20]
    assert (counts.replies, counts.matched) == (12, 4)
    records, _ = scan_records(catalogue, "postfix.log", filters=Filters(reason="mailbox-unknown"))
    assert [r.source.line for r in records] == [6]


def test_time_filters_use_the_log_times_and_drop_replies_without_one(catalogue):
    from datetime import datetime

    now = datetime(2026, 11, 29, 12, 0)
    window = Filters(since=datetime(2026, 11, 28, 9, 20), until=datetime(2026, 11, 28, 9, 40), now=now)
    records, _ = scan_records(catalogue, "postfix.log", "exim.log", "plain.txt", filters=window)
    assert [r.source.line for r in records] == [10, 11, 12, 14, 16, 17]  # 09:40:00 is "at or before" the end


def test_syslog_times_take_the_year_that_is_not_in_the_future():
    from datetime import datetime

    assert parse_time("Dec 31 23:59:59", datetime(2027, 1, 1, 0, 5)) == datetime(2026, 12, 31, 23, 59, 59)
    assert parse_time("Nov 28 09:14:02", datetime(2026, 11, 29)) == datetime(2026, 11, 28, 9, 14, 2)
    assert parse_time("2026-11-28T13:00:01.123Z") == datetime(2026, 11, 28, 13, 0, 1, 123000)
    assert parse_time("Sat, 28 Nov 2026 15:00:05 +0000 (UTC)") == datetime(2026, 11, 28, 15, 0, 5)
    assert parse_time("not a time") is None


def test_an_unknown_reason_is_a_usage_error_listing_the_reasons():
    result = run("scan", "--reason", "nonsense", str(LOGS / "postfix.log"))
    assert result.exit_code == 2 and "mailbox-unknown" in result.stderr


# --- the command ---------------------------------------------------------------------------------


def test_scan_json_prints_one_compact_record_per_reply_and_nothing_else():
    result = run("scan", "--json", str(LOGS / "postfix.log"), str(LOGS / "exim.log"))
    assert result.exit_code == 0 and result.stderr == ""
    documents = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(documents) == 16  # 12 from postfix.log, 4 from exim.log
    assert {d["schema"] for d in documents} == {2}
    assert all(list(d) == [name for name in FIELDS if name in d] for d in documents)  # in FIELDS order, nulls left out
    year = documents[1]["time"][:4]  # syslog has no year: the scan infers it (see parse_time)
    assert documents[1] == {
        "schema": 2, "file": str(LOGS / "postfix.log"), "line": 6, "time": f"{year}-11-28T09:14:02", "host": "mx1",
        "program": "postfix/smtp", "queue_id": "4QkTz81Xb2z9sXy", "recipient": "carol@example.org",
        "domain": "example.org", "direction": "outgoing", "outcome": "bounced", "code": "550", "enhanced": "5.1.1",
        "text": "<carol@example.org>: Recipient address rejected: User unknown in virtual mailbox table",
        "reason": "mailbox-unknown", "confidence": "text", "retryable": False, "bounce": "hard", "provider": "postfix",
        "stage": "RCPT",
    }
    assert (documents[12]["file"], documents[12]["line"], documents[12]["time"]) == (str(LOGS / "exim.log"), 2, "2026-11-28T11:02:14")
    assert "code" not in documents[4] and documents[4]["enhanced"] == "4.4.1"  # dsn=4.4.1, no reply quoted
    assert (documents[5]["direction"], documents[5]["outcome"], documents[5]["program"]) == ("incoming", "rejected", "postfix/smtpd")
    # A typical record, named as a real log is ("/var/log/mail.log"); the longest carry a long server text whole.
    # This hand-written log is rich in long Postfix rejections, so its median runs a little over the 400 bytes
    # of a typical record in a busy server's log (genlog's: median 315, mean 375 bytes; see the README).
    sizes = sorted(len(line) + 1 - len(json.loads(line)["file"]) + 17 for line in result.stdout.splitlines())
    assert sizes[len(sizes) // 2] <= 420


def test_scan_detail_keeps_the_schema_1_records_and_only_for_json():
    detailed = run("scan", "--json", "--detail", str(LOGS / "postfix.log"))
    documents = [json.loads(line) for line in detailed.stdout.splitlines()]
    assert detailed.exit_code == 0 and {d["kind"] for d in documents} == {"reply"}
    assert documents[1]["source"]["timestamp"] == "Nov 28 09:14:02" and documents[1]["reply"]["code"] == "550"
    for args in (("--detail",), ("--json", "--detail", "--summary"), ("--format", "csv", "--detail")):
        result = run("scan", *args, str(LOGS / "postfix.log"))
        assert result.exit_code == 2 and "--detail" in result.stderr and result.stdout == ""


def test_scan_summary_json_is_one_document():
    result = run("scan", "--summary", "--json", "--class", "5", str(LOGS / "postfix.log"))
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert document["kind"] == "scan-summary"
    assert document["replies_found"] == 12 and document["replies_matched"] == 5  # lines 6, 14, 16, 17, 22
    assert document["outcomes"]["rejected"] == 3 and document["outcomes"]["bounced"] == 2
    assert [g["code"] for g in document["groups"]] == [None, "550", "550", "550", "554"]


def test_scan_reads_stdin():
    data = (LOGS / "exim.log").read_bytes()
    result = runner.invoke(__import__("smtpcodes.cli", fromlist=["app"]).app, ["scan", "-", "--json"], input=data)
    assert result.exit_code == 0
    assert [json.loads(line)["file"] for line in result.stdout.splitlines()] == ["<stdin>"] * 4


def test_scan_piped_output_is_a_plain_summary_without_colour():
    result = run("scan", str(LOGS / "postfix.log"))
    assert result.exit_code == 0
    assert "\x1b[" not in result.stdout
    assert result.stdout.startswith("SMTP replies by code and reason: 12 in 23 lines of 1 file")
    assert "Outcome of the replies: delivered 3 · deferred 3 · bounced 2 · rejected 3 · expired 0 · other 1" in " ".join(result.stdout.split())
    assert "Reasons" in result.stdout and "mailbox-unknown" in result.stdout


def test_scan_on_a_terminal_draws_the_rich_summary(monkeypatch):
    monkeypatch.setattr("smtpcodes.output.emit.is_terminal", lambda: True)
    result = run("scan", str(LOGS / "postfix.log"))
    assert result.exit_code == 0
    assert "SMTP replies by code and reason" in result.stdout and "█" in result.stdout


def test_control_characters_in_log_text_never_reach_the_terminal(tmp_path):
    log = tmp_path / "evil.log"
    log.write_text("550 5.7.1 Denied \x1b[31mred\x1b[0m \u202eevil\n")
    result = run("scan", str(log))
    assert result.exit_code == 0
    assert "\x1b" not in result.stdout and "\u202e" not in result.stdout and "\\x1b[31mred" in result.stdout


def test_a_missing_file_is_reported_the_others_scanned_and_the_exit_is_2(tmp_path):
    missing = tmp_path / "nope.log"
    result = run("scan", "--json", str(missing), str(LOGS / "postfix.log"))
    assert result.exit_code == 2
    assert len(result.stdout.splitlines()) == 12  # postfix.log was scanned all the same, as grep would
    assert result.stderr.strip() == f"smtpcodes: error: {missing}: no such file"


def test_a_directory_exits_2_naming_it(tmp_path):
    result = run("scan", str(tmp_path))
    assert result.exit_code == 2 and str(tmp_path) in result.stderr and "directory" in result.stderr


def test_nothing_found_exits_1_with_empty_stdout(tmp_path):
    quiet = tmp_path / "quiet.log"
    quiet.write_text("Nov 28 09:14:01 mx1 postfix/smtpd[1]: connect from unknown[203.0.113.7]\nhello\n")
    for args in (("scan", str(quiet)), ("scan", "--json", str(quiet))):
        result = run(*args)
        assert result.exit_code == 1 and result.stdout == ""
        assert "no SMTP reply found in 2 lines" in result.stderr


def test_filters_that_match_nothing_exit_1_and_say_so():
    result = run("scan", "--class", "3", str(LOGS / "postfix.log"))
    assert result.exit_code == 1 and "matching the filters" in result.stderr


def test_top_with_json_lines_is_a_usage_error():
    result = run("scan", "--json", "--top", "3", str(LOGS / "postfix.log"))
    assert result.exit_code == 2 and "--summary" in result.stderr


def test_bad_since_is_a_usage_error():
    result = run("scan", "--since", "yesterday", str(LOGS / "postfix.log"))
    assert result.exit_code == 2 and "--since 'yesterday'" in result.stderr
