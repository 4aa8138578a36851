"""--jobs on gzip files of several members (cat a.gz b.gz, bgzip): cut at member boundaries, each run
of members decompressed by a worker, the output byte for byte what one process writes, line numbers
those of the whole file, damage reported as one process reports it. And --output-dir: the records
as partition files that read, in order, as what --json prints."""

import gzip
import json
import zlib
from datetime import datetime

import pytest

from smtpcodes.output.scanrun import Request, run
from smtpcodes.scan import gzmembers, jobs
from smtpcodes.scan.summary import summary_object
from smtpcodes.scan.scanner import Filters
from tests.helpers import run as cli
from tests.scanlogs import LOGS, repeated_postfix

NOW = datetime(2026, 12, 1)


def scan(files, mode, **options):
    written = []
    outcome = run(Request([str(f) for f in files], mode, Filters(now=NOW), (), **options), written.append)
    return "".join(written), outcome


def members(data: bytes, size: int, level: int = 6) -> bytes:
    """`data` as gzip members of `size` bytes each, cut anywhere (as bgzip cuts), lines crossing members."""
    return b"".join(gzip.compress(data[at:at + size], level) for at in range(0, len(data), size))


@pytest.fixture
def small_pieces(monkeypatch):
    monkeypatch.setattr(jobs, "GZIP_WORTH", 1 << 12)
    monkeypatch.setattr(jobs, "WALK", 1 << 12)  # many walks, most starting inside a member
    monkeypatch.setattr(jobs, "CHUNK", 32 << 10)


@pytest.fixture(scope="module")
def plain(tmp_path_factory):
    return repeated_postfix(tmp_path_factory.mktemp("members") / "mail.log", 150)  # 3,450 lines, 750 kB


def test_walked_chunks_own_every_line_once_and_know_their_first_line_number(plain, tmp_path):
    data = plain.read_bytes()
    packed = tmp_path / "mail.log.gz"
    packed.write_bytes(members(data, 7777))
    length = packed.stat().st_size
    walks = [gzmembers.walk(gzmembers.open_local, str(packed), start, stop) for start, stop in gzmembers.ranges(length, 4096)]
    chunks = gzmembers.chunks_of(walks, length, 24 << 10)
    assert chunks is not None and len(chunks) > 20 and sum(chunk.mid_line for chunk in chunks) > 10
    owned = b""
    for chunk in chunks:
        problems = []
        piece = b"".join(gzmembers.chunk_blocks(gzmembers.open_local, str(packed), "mail.log.gz", chunk, problems))
        assert problems == [] and piece.endswith(b"\n")
        assert chunk.first_line == owned.count(b"\n")
        owned += piece
    assert owned == data


@pytest.mark.parametrize("mode, size", [("json", 7777), ("csv", 100_000)])  # cut anywhere; a few big members
def test_jobs_on_gzip_members_write_what_one_process_writes(plain, tmp_path, small_pieces, mode, size):
    packed = tmp_path / "mail.log.gz"
    packed.write_bytes(members(plain.read_bytes(), size))
    assert len(jobs._member_chunks(str(packed), lambda f, args: [f(*a) for a in args])) > 5
    one, _ = scan([packed, LOGS / "exim.log"], mode)
    two, outcome = scan([packed, LOGS / "exim.log"], mode, jobs=2)
    assert two == one and outcome.counts.lines == 3450 + 8 and outcome.problems == []
    from_plain, _ = scan([plain], mode)
    assert one.startswith(from_plain.replace(str(plain), str(packed)))  # the line numbers of the whole file


def test_jobs_merge_the_summary_of_gzip_members_exactly(plain, tmp_path, small_pieces):
    packed = tmp_path / "mail.log.gz"
    packed.write_bytes(members(plain.read_bytes(), 7777))
    _, one = scan([packed], "summary")
    _, two = scan([packed], "summary", jobs=2)
    assert summary_object(two.summary) == summary_object(one.summary)
    assert two.summary.traffic["totals"]["delivered"] == 3 * 150


def _damaged(member: bytes) -> bytes:
    broken = bytearray(member)
    for index in range(len(broken) // 2, len(broken) // 2 + 32):
        broken[index] ^= 0x5A
    return bytes(broken)


@pytest.mark.parametrize("damage", ["second", "sixth", "cut", "trailing"])
def test_a_damaged_member_is_reported_as_one_process_reports_it(plain, tmp_path, small_pieces, damage):
    data = plain.read_bytes()
    parts = [gzip.compress(data[at:at + 75_000]) for at in range(0, len(data), 75_000)]
    if damage == "second":
        parts[1] = _damaged(parts[1])
    elif damage == "sixth":
        parts[5] = _damaged(parts[5])
    joined = b"".join(parts)
    packed = tmp_path / "mail.log.gz"
    packed.write_bytes(joined[:-3000] if damage == "cut" else joined + b"junk" if damage == "trailing" else joined)
    one, single = scan([packed, LOGS / "exim.log"], "json")
    two, split = scan([packed, LOGS / "exim.log"], "json", jobs=2)
    assert two == one and split.problems == single.problems and len(single.problems) == 1
    assert split.counts.lines == single.counts.lines
    if damage == "sixth":  # the good members before the damage were still shared out
        assert len(jobs._member_chunks(str(packed), lambda f, args: [f(*a) for a in args])) >= 3
    if damage == "second":
        result = cli("scan", "--json", "-j2", str(packed))
        assert result.exit_code == 2 and result.stdout == one[: len(result.stdout)] and result.stderr.count("\n") == 1


def test_bytes_that_look_like_a_member_inside_a_member_are_not_taken_for_one(plain, tmp_path, small_pieces):
    data = plain.read_bytes()
    fake = gzip.compress(b"Nov 28 09:00:00 mx1 postfix/smtp[1]: fake\n")  # a whole member, stored inside another
    middle = data[:20_000] + b"Nov 28 09:00:00 mx1 kernel: " + fake + b"\n" + data[20_000:40_000]
    packed = tmp_path / "mail.log.gz"
    packed.write_bytes(gzip.compress(data[:150_000]) + gzip.compress(middle, 0) + gzip.compress(data[150_000:]))
    one, _ = scan([packed], "json")
    two, outcome = scan([packed], "json", jobs=2)
    assert two == one and outcome.problems == [] and "fake" not in one


def test_a_one_member_gzip_file_is_read_as_before(plain, tmp_path, small_pieces):
    packed = tmp_path / "mail.log.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    assert jobs._member_chunks(str(packed), lambda f, args: [f(*a) for a in args]) is None
    assert scan([packed], "json", jobs=2)[0] == scan([packed], "json")[0]


def test_jobs_count_cut_lines_and_drop_the_line_a_cut_ends_as_one_process_does(plain, tmp_path, monkeypatch):
    monkeypatch.setattr(jobs, "CHUNK", 64 << 10)
    long_line = b"Nov 28 09:00:00 mx1 postfix/smtp[1]: " + b"x" * 40_000 + b"\n"
    data = plain.read_bytes()
    packed = tmp_path / "cut.log.gz"
    whole = zlib.compress(data[:250_000] + long_line + data[250_000:], 6, wbits=31)
    packed.write_bytes(whole[: len(whole) * 2 // 3])  # ends inside a line
    _, one = scan([packed], "summary")
    _, two = scan([packed], "summary", jobs=2)
    assert summary_object(two.summary) == summary_object(one.summary)
    assert two.summary.lines_truncated == 1 and len(two.problems) == 1


# --- --output-dir ----------------------------------------------------------------------------------


@pytest.mark.parametrize("jobs_", [1, 2])
def test_partition_files_read_in_order_as_what_json_prints(plain, tmp_path, monkeypatch, jobs_):
    monkeypatch.setattr(jobs, "CHUNK", 64 << 10)
    folder = tmp_path / "replies"
    printed, single = scan([plain, LOGS / "exim.log"], "json")
    written, outcome = scan([plain, LOGS / "exim.log"], "json", jobs=jobs_, folder=str(folder))
    assert written == ""
    parts = sorted(folder.iterdir())
    assert [p.name for p in parts[:2]] == ["part-00000.jsonl", "part-00001.jsonl"] and len(parts) > 10
    assert "".join(p.read_text() for p in parts) == printed
    _, summary = scan([plain, LOGS / "exim.log"], "summary")
    assert summary_object(outcome.summary) == summary_object(summary.summary)
    assert outcome.counts.matched == single.counts.matched


def test_csv_partition_files_each_start_with_the_header(plain, tmp_path, monkeypatch):
    monkeypatch.setattr(jobs, "CHUNK", 128 << 10)
    folder = tmp_path / "csv"
    printed, _ = scan([plain], "csv")
    scan([plain], "csv", jobs=2, folder=str(folder))
    texts = [p.read_text() for p in sorted(folder.glob("part-*.csv"))]
    header = printed.split("\n", 1)[0] + "\n"
    assert len(texts) > 3 and all(text.startswith(header) for text in texts)
    assert header + "".join(text[len(header):] for text in texts) == printed


def test_a_folder_that_is_not_empty_is_refused_unless_overwrite(plain, tmp_path):
    folder = tmp_path / "out"
    first = cli("scan", "--output-dir", str(folder), "--json", str(plain))
    assert first.exit_code == 0 and json.loads(first.stdout)["replies_found"] > 1000  # the summary, as JSON
    again = cli("scan", "--output-dir", str(folder), str(plain))
    assert again.exit_code == 2 and again.stdout == ""
    assert again.stderr == f"smtpcodes: error: --output-dir {folder}: the folder is not empty; give a new or empty one, or add --overwrite to replace its part files\n"
    (folder / "notes.txt").write_text("kept")
    replaced = cli("scan", "--output-dir", str(folder), "--overwrite", "--format", "csv", "-j2", str(plain))
    assert replaced.exit_code == 0 and replaced.stdout.startswith("direction,code,enhanced,reason,count")
    assert sorted(p.suffix for p in folder.iterdir()) == [".csv", ".txt"]  # no .jsonl part is left behind
    shown = cli("scan", "--help", env={"COLUMNS": "200"}).stdout
    assert "--output-dir" in shown and "part-00000.jsonl" in shown and "--overwrite" in shown


def test_runs_of_members_too_big_to_hold_their_records_are_cut_into_lines_as_before(plain, tmp_path, small_pieces, monkeypatch):
    packed = tmp_path / "mail.log.gz"
    packed.write_bytes(members(plain.read_bytes(), 100_000))
    monkeypatch.setattr(jobs, "MEMBERS_MAX", 50_000)
    assert jobs._member_chunks(str(packed), lambda f, args: [f(*a) for a in args], jobs.MEMBERS_MAX) is None
    assert jobs._member_chunks(str(packed), lambda f, args: [f(*a) for a in args]) is not None  # the summary's way
    assert scan([packed], "json", jobs=2)[0] == scan([packed], "json")[0]
