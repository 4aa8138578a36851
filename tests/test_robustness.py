"""Closed pipes, Ctrl-C and files that cannot be read end with one clear line, never a traceback."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from smtpcodes import cli
from tests.catalogues import acme_catalogue, write
from tests.helpers import run

SMTPCODES = [sys.executable, "-m", "smtpcodes"]


def _scan_ready() -> bool:
    return "not implemented" not in run("scan", "-", input="").stderr


@pytest.mark.parametrize(
    "command",
    ["list | head -1", "list | head", "list --json | head -c 10", "search mailbox | head -1",
     "explain - < big.txt | head -2", "scan - < log.txt | head -1"],
)
def test_a_reader_that_stops_early_ends_the_command_quietly(tmp_path, command):
    if command.startswith("scan") and not _scan_ready():
        pytest.skip("scan is not implemented yet")
    (tmp_path / "big.txt").write_text("550 5.1.1 " + "user unknown " * 100_000)
    (tmp_path / "log.txt").write_text("status=bounced (host mx.example.com said: 550 5.1.1 User unknown)\n" * 50_000)
    script = f"{sys.executable} -m smtpcodes {command}; echo \"status=${{PIPESTATUS[0]}}\""
    result = subprocess.run(["bash", "-c", script], capture_output=True, text=True, cwd=tmp_path)
    assert result.stderr == ""
    assert result.stdout.rstrip().endswith("status=0")


@pytest.mark.parametrize("args", [["list"], ["list", "--json"], ["explain", "550"], ["compare", "550", "450"]])
def test_a_reader_gone_before_the_first_write_ends_with_status_0_and_nothing_on_stderr(args):
    process = subprocess.Popen([*SMTPCODES, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.close()  # long before the command has loaded anything to print
    _, stderr = process.communicate(timeout=30)
    assert stderr == b""
    assert process.returncode == 0


def _blocked_reading_stdin(pid: int) -> bool:
    """Linux: the process sits in read(0, ...) (syscall 0 on x86-64, 63 on arm64)."""
    try:
        syscall = Path(f"/proc/{pid}/syscall").read_text().split()
    except OSError:
        return False
    return len(syscall) > 1 and syscall[0] in ("0", "63") and syscall[1] == "0x0"


def test_ctrl_c_while_reading_stdin_ends_with_130_and_one_line():
    process = subprocess.Popen(
        [*SMTPCODES, "explain", "-"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        # A shell may start background jobs with SIGINT ignored; a user's Ctrl-C reaches a default handler.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 20
    while not _blocked_reading_stdin(process.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    if not Path(f"/proc/{process.pid}/syscall").exists():
        time.sleep(2)  # no /proc: give it time to reach the read
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=20)
    process.stdin.close()
    assert process.returncode == 130
    assert stdout == b""
    assert stderr.decode() == "smtpcodes: interrupted\n"


def test_ctrl_c_anywhere_in_a_command_is_reported_once(monkeypatch, capsys):
    def interrupted():
        raise KeyboardInterrupt

    monkeypatch.setattr(cli.codes, "_read_stdin", interrupted)
    monkeypatch.setattr(sys, "argv", ["smtpcodes", "explain", "-"])
    with pytest.raises(SystemExit) as exit_:
        cli.main()
    assert exit_.value.code == 130
    assert capsys.readouterr().err == "smtpcodes: interrupted\n"


def _unreadable(tmp_path: Path, monkeypatch) -> str:
    """A file reading fails on with EACCES, as root too (chmod 000 does not stop root)."""
    path = write(tmp_path, "secret.toml", acme_catalogue())
    real = Path.read_bytes

    def read_bytes(self):
        if str(self) == path:
            raise PermissionError(13, "Permission denied", path)
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    return path


BAD_PATHS = {
    "missing": (lambda tmp_path, monkeypatch: str(tmp_path / "nowhere.toml"), "No such file or directory"),
    "directory": (lambda tmp_path, monkeypatch: str(tmp_path), "Is a directory"),
    "unreadable": (_unreadable, "Permission denied"),
}


@pytest.mark.parametrize("kind", BAD_PATHS)
@pytest.mark.parametrize("how", ["option", "environment", "validate"])
def test_a_catalogue_that_cannot_be_read_gets_one_line_naming_it(tmp_path, monkeypatch, kind, how):
    make, reason = BAD_PATHS[kind]
    path = make(tmp_path, monkeypatch)
    if how == "option":
        result = run("explain", "550", "--catalogue", path)
        output = result.stderr
    elif how == "environment":
        monkeypatch.setenv("SMTPCODES_CATALOGUE", path)
        result = run("list")
        output = result.stderr
    else:
        result = run("validate", path)  # a path that is no readable file is bad input, as the README says
        output = result.stderr
    assert result.exit_code == (2 if how == "validate" else 3)
    assert output.count("\n") == 1
    assert path in output and reason in output
    if how != "validate":
        assert result.stdout == ""


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a chmod 000 file anyway; the EACCES case is simulated above")
def test_a_chmod_000_catalogue_is_reported_as_unreadable(tmp_path):
    path = write(tmp_path, "locked.toml", acme_catalogue())
    os.chmod(path, 0)
    result = run("validate", path)
    assert result.exit_code == 2 and "Permission denied" in result.stderr and path in result.stderr


@pytest.mark.parametrize("kind", BAD_PATHS)
def test_scan_names_a_file_it_cannot_read_in_one_line(tmp_path, monkeypatch, kind):
    if not _scan_ready():
        pytest.skip("scan is not implemented yet")
    make, _ = BAD_PATHS[kind]
    path = make(tmp_path, monkeypatch)
    if kind == "unreadable":
        os.chmod(path, 0)
        if os.geteuid() == 0:
            pytest.skip("root reads a chmod 000 file anyway")
    result = run("scan", path)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and path in result.stderr


def test_a_huge_code_like_input_is_not_echoed_back_whole():
    result = run("explain", "-", input="5" * 10_000_000)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and len(result.stderr) < 300
    assert "10000000 characters" in result.stderr
