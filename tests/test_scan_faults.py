"""Faults lose nothing: damaged gzip, files that shrink, grow or are rotated while read, a last line
without a newline, link loops, directories, binary files; every record before the damage is kept."""

import gzip
import json
import os
import zlib

from smtpcodes.scan.scanner import Scanner
from tests.helpers import run
from tests.scanlogs import LOGS, repeated_postfix


def records_of(result):
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_a_truncated_gzip_gives_every_record_before_the_cut_then_exit_2(tmp_path):
    plain = repeated_postfix(tmp_path / "mail.log", 200)
    packed = gzip.compress(plain.read_bytes())
    cut = tmp_path / "mail.log.1.gz"
    cut.write_bytes(packed[: len(packed) * 2 // 3])  # a rotated log copied while it was being written
    result = run("scan", "--json", str(cut))
    whole = records_of(run("scan", "--json", str(plain)))
    got = records_of(result)
    assert result.exit_code == 2
    assert 0.5 * len(whole) < len(got) < len(whole)
    assert [(r["line"], r["text"]) for r in got] == [(r["line"], r["text"]) for r in whole[: len(got)]]
    assert str(cut) in result.stderr and "ends early" in result.stderr and result.stderr.count("\n") == 1


def test_corrupt_gzip_data_names_where_and_keeps_what_came_before(tmp_path):
    plain = repeated_postfix(tmp_path / "mail.log", 200)
    packed = bytearray(zlib.compress(plain.read_bytes(), 9, wbits=31))
    for index in range(len(packed) // 2, len(packed) // 2 + 64):
        packed[index] ^= 0x5A
    broken = tmp_path / "broken.gz"
    broken.write_bytes(bytes(packed))
    result = run("scan", "--json", str(broken), str(LOGS / "exim.log"))
    assert result.exit_code == 2 and "damaged gzip data near compressed byte" in result.stderr
    files = [r["file"] for r in records_of(result)]
    assert files.count(str(broken)) > 1000 and files.count(str(LOGS / "exim.log")) == 4  # the next input is still read


def test_several_gzip_members_are_all_read(tmp_path):
    data = (LOGS / "postfix.log").read_bytes()
    joined = tmp_path / "joined.gz"
    joined.write_bytes(gzip.compress(data) + gzip.compress(data))
    result = run("scan", "--json", str(joined))
    assert result.exit_code == 0 and len(records_of(result)) == 24


def test_the_last_line_without_a_newline_is_read(tmp_path):
    log = tmp_path / "open.log"
    log.write_bytes((LOGS / "postfix.log").read_bytes().rstrip(b"\n"))
    assert [r["line"] for r in records_of(run("scan", "--json", str(log)))][-1] == 22
    result = run("scan", "--summary", "--json", str(log))
    assert json.loads(result.stdout)["lines_read"] == 23


def test_a_symbolic_link_loop_and_a_directory_are_named_as_such(tmp_path):
    loop = tmp_path / "loop.log"
    os.symlink(loop, loop)
    result = run("scan", "--json", str(loop), str(tmp_path), str(LOGS / "exim.log"))
    assert result.exit_code == 2 and len(records_of(result)) == 4
    assert f"{loop}: a symbolic link loop, not a file" in result.stderr
    assert f"{tmp_path}: is a directory, not a file" in result.stderr


def test_a_binary_file_is_said_to_look_binary(tmp_path):
    blob = tmp_path / "core"
    blob.write_bytes(b"\x7fELF\x02\x01\x01" + b"\x00" * 57 + bytes(range(256)) * 8)
    result = run("scan", str(blob))
    assert result.exit_code == 2 and "looks binary" in result.stderr and result.stdout == ""


def _scan_while(catalogue, path, change):
    """Scan `path`, calling `change()` once the first record is out (the first block is already read)."""
    scanner = Scanner(catalogue)
    records = []
    for record in scanner.records([str(path)]):
        if not records:
            change()
        records.append(record)
    return records, scanner


def _log_with_noise(path, noise_lines):
    """Replies first, then enough noise that the file spans several read blocks."""
    with open(path, "w") as out:
        out.write((LOGS / "postfix.log").read_text())
        for n in range(noise_lines):
            out.write(f"Nov 28 10:{n % 60:02d}:00 mx1 postfix/smtpd[9]: connect from unknown[203.0.113.{n % 250}]\n")
        out.write((LOGS / "exim.log").read_text())


def test_a_file_that_shrinks_while_read_is_reported(tmp_path, catalogue):
    log = tmp_path / "mail.log"
    _log_with_noise(log, 40000)
    records, scanner = _scan_while(catalogue, log, lambda: os.truncate(log, 1_500_000))
    assert len(records) == 12  # the replies before the cut; exim's lines at the end are gone
    assert len(scanner.problems) == 1 and scanner.problems[0].startswith(f"{log}: shrank while it was read")
    assert "read 1,500,000 of " in scanner.problems[0]


def test_a_file_that_grows_or_is_rotated_while_read_loses_nothing(tmp_path, catalogue):
    log = tmp_path / "mail.log"
    _log_with_noise(log, 40000)

    def grow():
        with open(log, "a") as out:
            out.write((LOGS / "exim.log").read_text())

    records, scanner = _scan_while(catalogue, log, grow)
    assert len(records) == 12 + 4 + 4 and scanner.problems == []

    def rotate():
        os.rename(log, tmp_path / "mail.log.1")
        log.write_text("")

    _log_with_noise(log, 40000)
    records, scanner = _scan_while(catalogue, log, rotate)
    assert len(records) == 16 and scanner.problems == []  # the open file is read to its end
