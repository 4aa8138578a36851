"""The summary: pflogsumm's traffic figures against a hand count (and pflogsumm itself when installed),
providers by majority, incoming and outgoing apart, the layout at 60 to 220 columns, CSV and Markdown."""

import csv
import io
import json
import re
import shutil
import subprocess

import pytest

from smtpcodes.output.scanview import COLUMNS, summary_text
from smtpcodes.scan.scanner import Aggregator, Filters, Scanner
from smtpcodes.scan.summary import majority
from tests.helpers import run
from tests.scanlogs import LOGS

D = "delays=0.1/0/0.2/0.2"
TRAFFIC_LOG = f"""\
Dec  1 08:00:01 mx1 postfix/smtpd[100]: AAA1: client=a.example.net[198.51.100.1]
Dec  1 08:00:01 mx1 postfix/qmgr[50]: AAA1: from=<alice@Example.NET>, size=1000, nrcpt=2 (queue active)
Dec  1 08:00:02 mx1 postfix/smtp[101]: AAA1: to=<bob@Example.COM>, relay=mx.example.com[192.0.2.1]:25, delay=1.5, {D}, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as X1)
Dec  1 08:00:03 mx1 postfix/smtp[101]: AAA1: to=<carol@example.org>, relay=mx.example.org[192.0.2.2]:25, delay=2.5, {D}, dsn=4.2.0, status=deferred (host mx.example.org[192.0.2.2] said: 450 4.2.0 Greylisted (in reply to RCPT TO command))
Dec  1 09:10:00 mx1 postfix/smtp[102]: AAA1: to=<carol@example.org>, relay=mx.example.org[192.0.2.2]:25, delay=4200, {D}, dsn=2.0.0, status=sent (250 2.0.0 Ok)
Dec  1 09:11:00 mx1 postfix/pickup[103]: BBB2: uid=1000 from=<root>
Dec  1 09:11:00 mx1 postfix/qmgr[50]: BBB2: from=<root@mx1.example.net>, size=500, nrcpt=1 (queue active)
Dec  1 09:11:01 mx1 postfix/smtp[104]: BBB2: to=<dave@example.com>, relay=mx.example.com[192.0.2.1]:25, delay=0.5, {D}, dsn=5.1.1, status=bounced (host mx.example.com[192.0.2.1] said: 550 5.1.1 <dave@example.com>: User unknown (in reply to RCPT TO command))
Dec  1 09:12:00 mx1 postfix/smtpd[105]: NOQUEUE: reject: RCPT from unknown[203.0.113.5]: 554 5.7.1 <x@example.org>: Relay access denied; from=<s@spam.example> to=<x@example.org> proto=ESMTP helo=<spam>
Dec  1 09:13:00 mx1 postfix/smtpd[105]: CCC3: client=b.example.net[198.51.100.2]
Dec  1 09:13:00 mx1 postfix/qmgr[50]: CCC3: from=<alice@example.net>, size=2000, nrcpt=1 (queue active)
Dec  1 09:13:01 mx1 postfix/smtp[106]: CCC3: to=<bob@example.com>, relay=mx.example.com[192.0.2.1]:25, delay=0.5, {D}, dsn=2.0.0, status=sent (250 2.0.0 Ok)
Dec  1 10:00:00 mx1 postfix/qmgr[50]: DDD4: from=<old@example.net>, status=expired, returned to sender
"""
# Counted by hand, line by line, with pflogsumm's definitions (see smtpcodes/scan/traffic.py).
HAND_TOTALS = {
    "received": 3, "delivered": 3, "forwarded": 0, "deferred": 1, "deferrals": 1, "bounced": 1, "rejected": 1,
    "reject_warnings": 0, "expired": 1, "bytes_received": 3500, "bytes_delivered": 4000,
}
HAND_DOMAINS = [
    {"domain": "example.com", "delivered": 2, "bytes": 3000, "deferred": 0, "bounced": 1, "delay_avg": 1.0, "delay_max": 1.5},
    {"domain": "example.org", "delivered": 1, "bytes": 1000, "deferred": 1, "bounced": 0, "delay_avg": 4200.0, "delay_max": 4200.0},
]


@pytest.fixture
def traffic_log(tmp_path):
    path = tmp_path / "mail.log"
    path.write_text(TRAFFIC_LOG)
    return path


def test_traffic_figures_match_the_hand_count(traffic_log):
    result = run("scan", "--summary", "--json", str(traffic_log))
    traffic = json.loads(result.stdout)["traffic"]
    assert traffic["totals"] == HAND_TOTALS
    assert traffic["domains"] == HAND_DOMAINS
    hours = {h["hour"][-2:]: [h[k] for k in ("received", "delivered", "deferred", "bounced", "rejected")] for h in traffic["hours"]}
    assert hours == {"08": [1, 1, 1, 0, 0], "09": [2, 2, 0, 1, 1]}
    assert traffic["senders"] == [{"address": "alice@example.net", "count": 2}, {"address": "root@mx1.example.net", "count": 1}]
    assert traffic["recipients"] == [{"address": "bob@example.com", "count": 2}, {"address": "carol@example.org", "count": 1}]


@pytest.mark.skipif(shutil.which("pflogsumm") is None, reason="pflogsumm is not installed")
def test_traffic_figures_match_pflogsumm_on_the_same_log(traffic_log):
    report = subprocess.run(["pflogsumm", str(traffic_log)], capture_output=True, text=True, timeout=60).stdout
    theirs = {name: int(n) for n, name in re.findall(r"^\s+(\d+)\s+(received|delivered|forwarded|deferred|bounced|rejected|bytes received|bytes delivered)\b", report, re.M)}
    deferrals = int(re.search(r"\((\d+)\s+deferrals\)", report).group(1))
    ours = json.loads(run("scan", "--summary", "--json", str(traffic_log)).stdout)["traffic"]["totals"]
    assert theirs == {name: ours[name.replace(" ", "_")] for name in theirs} and len(theirs) == 8
    assert deferrals == ours["deferrals"]
    rows = re.findall(r"^\s+(\d+)\s+(\d+)\s+(\d+)\s+([\d.]+ \w)\s+([\d.]+ \w)\s+(\S+)$", report.split("Message Delivery")[1], re.M)
    assert {r[5]: r[:3] for r in rows} == {d["domain"]: (str(d["delivered"]), str(d["bytes"]), str(d["deferred"])) for d in HAND_DOMAINS}


def test_the_text_summary_shows_the_traffic_and_keeps_directions_apart(traffic_log):
    text = run("scan", str(traffic_log)).stdout
    assert "Traffic (Postfix" in text and "bytes delivered 3.9k" in text
    assert text.index("Outgoing:") < text.index("Incoming:")
    incoming = text[text.index("Incoming:"):text.index("Reasons")]
    assert "554" in incoming and "550" not in incoming  # the relay reject is mail to us; the bounce is ours


def test_a_group_names_the_provider_of_most_of_its_records_or_says_mixed():
    assert majority({"Gmail": 3, None: 1}, 4) == "Gmail"
    assert majority({"Gmail": 2, "Outlook": 2}, 4) == "mixed"
    assert majority({None: 3, "Gmail": 1}, 4) is None


def test_a_group_is_not_named_after_its_first_record(catalogue, tmp_path):
    log = tmp_path / "mixed.log"
    log.write_text(
        "host mx.example.com said: 550 5.1.1 <a@example.com>: Recipient address rejected: User unknown in virtual mailbox table\n"
        + "550 5.1.1 The email account that you tried to reach does not exist. https://support.google.com/mail/?p=NoSuchUser - gsmtp\n" * 3
    )
    aggregator = Aggregator()
    scanner = Scanner(catalogue)
    for record in scanner.records([str(log)]):
        aggregator.add(record)
    (group,) = [g for g in aggregator.summary(scanner.counts).groups if g.enhanced == "5.1.1"]
    assert group.count == 4 and group.provider == "Gmail / Google Workspace"


@pytest.mark.parametrize("width", [60, 80, 100, 160, 220])
def test_the_summary_fits_every_width_without_breaking_a_header(catalogue, width):
    scanner = Scanner(catalogue, Filters(), traffic=True)
    aggregator = Aggregator()
    for name in ("postfix.log", "exim.log", "sendmail.log", "bounce.eml"):
        for record in scanner.records([str(LOGS / name)]):
            aggregator.add(record)
    text = summary_text(aggregator.summary(scanner.counts, traffic=scanner.traffic), catalogue.messages, 20, width)
    heads = [catalogue.messages.text("scan", key) for key in COLUMNS]
    assert "Per recipient domain" in text and "Traffic per hour" in " ".join(text.split())
    assert max(len(line) for line in text.splitlines()) <= width
    headers = [line for line in text.splitlines() if line.startswith("Count  ")]
    if width >= 100:
        assert headers and all(line.split()[: len(heads)] == heads for line in headers)
    if width == 60:
        assert not headers and "retry: no" in text  # a card per group
    if width >= 160:
        assert "Example" in headers[0] and "Recipient domains" in headers[0]


def test_csv_records_carry_the_json_records_fields(tmp_path):
    path = str(LOGS / "postfix.log")
    rows = list(csv.DictReader(io.StringIO(run("scan", "--format", "csv", path).stdout)))
    documents = [json.loads(line) for line in run("scan", "--json", path).stdout.splitlines()]
    assert len(rows) == len(documents) == 12
    for row, document in zip(rows, documents, strict=True):
        assert {k: v for k, v in row.items() if v != ""} == {
            k: ("true" if v is True else "false" if v is False else str(v)) for k, v in document.items()
        }


def test_summary_as_csv_and_markdown():
    path = str(LOGS / "postfix.log")
    rows = list(csv.DictReader(io.StringIO(run("scan", "--summary", "--format", "csv", path).stdout)))
    assert sum(int(r["count"]) for r in rows) == 12 and {r["direction"] for r in rows} == {"incoming", "outgoing"}
    markdown = run("scan", "--summary", "--format", "markdown", path).stdout
    assert markdown.startswith("## SMTP replies: 12 in 23 lines") and "| Direction | Count |" in markdown
    assert "### Per recipient domain" in markdown
    records = run("scan", "--format", "markdown", path).stdout.splitlines()
    assert records[0].startswith("| line | time |") and len(records) == 2 + 12


def test_summary_without_json_is_the_summary_not_ignored():
    plain = run("scan", str(LOGS / "postfix.log"))
    asked = run("scan", "--summary", str(LOGS / "postfix.log"))
    assert asked.exit_code == plain.exit_code == 0 and asked.stdout == plain.stdout
    assert run("scan", "--format", "yaml", str(LOGS / "postfix.log")).exit_code == 2
    assert run("scan", "--json", "--format", "csv", str(LOGS / "postfix.log")).exit_code == 2
