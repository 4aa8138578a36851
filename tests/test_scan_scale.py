"""Big scans: --jobs and a Dask cluster give byte for byte what one process gives; the library call
for Spark and Beam; the memo that does not thrash; a small scan that loads none of this machinery."""

import json
import subprocess
import sys
from datetime import datetime

import pytest

from smtpcodes.output.scanrun import Request, run
from smtpcodes.scan import jobs
from smtpcodes.scan.partition import Settings, scan_lines
from smtpcodes.scan.scanner import Filters, Scanner
from smtpcodes.scan.summary import summary_object
from tests.scanlogs import LOGS, repeated_postfix

NOW = datetime(2026, 12, 1)


def scan_output(files, mode, **options):
    written = []
    outcome = run(Request([str(f) for f in files], mode, Filters(now=NOW), (), **options), written.append)
    return "".join(written), outcome


@pytest.fixture(scope="module")
def big_log(tmp_path_factory):
    return repeated_postfix(tmp_path_factory.mktemp("logs") / "mail.log", 400)  # 9,200 lines, 2 MB


@pytest.mark.parametrize("mode", ["json", "detail", "csv", "markdown"])
def test_jobs_write_the_same_bytes_as_one_process(big_log, mode, monkeypatch):
    monkeypatch.setattr(jobs, "CHUNK", 64 << 10)  # about 30 chunks, so that lines cross chunk edges
    one, _ = scan_output([big_log, LOGS / "exim.log"], mode)
    two, outcome = scan_output([big_log, LOGS / "exim.log"], mode, jobs=2)
    assert one == two and one.count("\n") > 4800
    assert outcome.counts.files == 2 and outcome.counts.lines == 9200 + 8


def test_jobs_merge_the_summary_exactly(big_log, monkeypatch):
    monkeypatch.setattr(jobs, "CHUNK", 64 << 10)
    _, one = scan_output([big_log], "summary")
    _, two = scan_output([big_log], "summary", jobs=2)
    assert summary_object(one.summary) == summary_object(two.summary)
    traffic = two.summary.traffic["totals"]
    # Each copy of postfix.log: 1 received (2,345 bytes), 3 delivered, 2 deferred, 2 bounced, 3 rejected, 1 expired.
    assert (traffic["received"], traffic["delivered"], traffic["bytes_received"]) == (400, 1200, 400 * 2345)
    assert (traffic["deferred"], traffic["bounced"], traffic["rejected"], traffic["expired"]) == (800, 800, 1200, 400)


def test_an_input_whose_lines_depend_on_each_other_is_not_split(tmp_path, monkeypatch):
    monkeypatch.setattr(jobs, "CHUNK", 256)
    bounces = tmp_path / "bounces.eml"
    bounces.write_bytes((LOGS / "bounce.eml").read_bytes() * 20)
    one, _ = scan_output([bounces], "json")
    two, _ = scan_output([bounces], "json", jobs=2)
    assert one == two and one.count("\n") >= 20


def test_default_jobs_is_one_for_small_inputs_and_stdin(big_log):
    assert jobs.default_jobs([str(big_log)]) == 1
    assert jobs.default_jobs(["-"]) == 1


def test_the_library_call_for_spark_gives_the_compact_records(catalogue):
    lines = (LOGS / "postfix.log").read_text().splitlines(keepends=True)
    records = list(scan_lines(iter(lines), Settings(filters=Filters(now=NOW), mode="json")))
    expected = [json.loads(line) for line in Scanner(catalogue, Filters(now=NOW)).json_lines([str(LOGS / "postfix.log")])]
    assert [{**r, "file": None} for r in records] == [{**e, "file": None} for e in expected]
    assert len(records) == 12 and records[1]["reason"] == "mailbox-unknown"


def test_the_memo_keeps_replies_in_use_through_a_flood_of_one_off_replies(catalogue, monkeypatch):
    scanner = Scanner(catalogue)
    monkeypatch.setattr(scanner.explainer, "size", 8)
    calls = []
    analyse = scanner.analyser.analyse
    monkeypatch.setattr(scanner.analyser, "analyse", lambda text, stage=None: calls.append(text) or analyse(text, stage))
    lines = []
    for n in range(200):
        lines.append("550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown")
        lines.append(f"451 4.3.0 Temporary failure number {n} please retry")  # a new kind each time
    records = list(scanner.scan_lines("-", [lines]))
    assert len(records) == 400
    assert calls.count("550 5.1.1 <*@example.com>: Recipient address rejected: User unknown") == 1
    assert len(calls) == 201


def test_a_one_line_scan_loads_no_parallel_or_cluster_machinery(tmp_path):
    log = tmp_path / "one.log"
    log.write_text("550 5.1.1 <bob@example.com>: User unknown\n")
    code = (
        "import sys\nfrom smtpcodes.__main__ import main\nsys.argv = ['smtpcodes', 'scan', '--json', sys.argv[1]]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('concurrent.futures', 'multiprocessing', 'dask', 'distributed', 'fsspec', 'csv', 'rich.table') if m in sys.modules]\n"
        "print('HEAVY', heavy, file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", code, str(log)], capture_output=True, text=True, timeout=60)
    assert "HEAVY []" in result.stderr, result.stderr
    assert json.loads(result.stdout)["reason"] == "mailbox-unknown"


@pytest.mark.parametrize("name", sorted(p.name for p in LOGS.iterdir()))
def test_replies_rebuilt_from_their_masked_form_equal_replies_parsed_whole(catalogue, name):
    fast = list(Scanner(catalogue, Filters(now=NOW)).json_lines([str(LOGS / name)], detail=True))
    slow_scanner = Scanner(catalogue, Filters(now=NOW))
    slow_scanner.explainer.from_masked = lambda text, stage: None  # the reference: every reply parsed as it is
    assert fast == list(slow_scanner.json_lines([str(LOGS / name)], detail=True))
