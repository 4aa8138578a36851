"""Server text and catalogue text reach the terminal only as visible escapes: never as markup, never as control."""

import json
import os
import re
import subprocess
import sys
from unittest import mock

import pytest
from typer.testing import CliRunner

from smtpcodes import cli
from tests.catalogues import acme_catalogue, toml_string, write

MARKUP = ("[bold red]x[/]", "[link=https://evil.example]y[/link]", "[/]")
# Each attack as it would arrive, and how it must appear instead.
CONTROLS = {
    "\x1b[2J": "\\x1b[2J",                                   # CSI: clear the screen
    "\x1b[31m": "\\x1b[31m",                                 # CSI: colour
    "\x1b]8;;https://evil.example\x07": "\\x1b]8;;https://evil.example\\x07",  # OSC 8 hyperlink
    "\x1b]52;c;ZXZpbA==\x07": "\\x1b]52;c;ZXZpbA==\\x07",   # OSC 52: write the clipboard
    "\x1b=": "\\x1b=",                                       # bare ESC
    "\x07": "\\x07",                                         # BEL
    "\x00": "\\x00",
    "\x08": "\\x08",
    "\x0b": "\\x0b",
    "\x7f": "\\x7f",
    "\x85": "\\x85",                                         # C1 NEL
    "\x9b31m": "\\x9b31m",                                   # C1 CSI
    "\x9d0;title\x9c": "\\x9d0;title\\x9c",                  # C1 OSC and ST
    **{chr(point): f"\\u{point:04x}" for point in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]},
}
# Hostile text that survives reply parsing unchanged: no CR or LF, no whitespace at either end.
EVIL = "start " + " ".join(MARKUP) + " " + " ".join(CONTROLS) + " end"
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
RICH_STYLE = re.compile("\x1b\\[[0-9;]*m")  # the colours rich itself writes on a terminal

runner = CliRunner()


def shown(*args: str, input: bytes | str | None = None, terminal: bool = False):
    """Run a command as on a terminal: ANSI is not stripped, and `terminal` takes the rich path."""
    env = {"COLUMNS": "2000", "NO_COLOR": None}
    if terminal:
        env |= {"FORCE_COLOR": "1", "TERM": "xterm-256color"}
    with mock.patch("smtpcodes.output.emit.is_terminal", return_value=terminal):
        return runner.invoke(cli.app, list(args), input=input, color=True, env=env)


def assert_safe(output: str, *, styled: bool = False) -> None:
    """Nothing in `output` can act on a terminal; `styled` output may carry rich's own colours."""
    if styled:
        assert RICH_STYLE.search(output), "expected the rich, coloured rendering"
        output = RICH_STYLE.sub("", output)
    found = UNSAFE.search(output)
    assert found is None, f"raw {found.group()!r} in {output[max(found.start() - 40, 0):found.end() + 40]!r}"


def assert_shown_literally(output: str, *, styled: bool = False) -> None:
    assert_safe(output, styled=styled)
    plain = RICH_STYLE.sub("", output)
    for text in MARKUP:
        assert text in plain
    for escaped in CONTROLS.values():
        assert escaped in plain


@pytest.fixture
def evil_overlay(tmp_path):
    return write(tmp_path, "evil.toml", acme_catalogue(" " + EVIL))


@pytest.mark.parametrize("terminal", [False, True], ids=["piped", "terminal"])
def test_a_hostile_reply_is_shown_literally(terminal):
    result = shown("explain", "550 5.7.1 " + EVIL, terminal=terminal)
    assert result.exit_code == 0, result.output
    assert_shown_literally(result.stdout, styled=terminal)


@pytest.mark.parametrize("terminal", [False, True], ids=["piped", "terminal"])
def test_a_hostile_reply_on_stdin_with_crlf_and_tabs_is_shown_literally(terminal):
    reply = ("550-5.7.1 " + EVIL + "\r\n550 5.7.1 \tsecond\rline\r\n").encode()
    result = shown("explain", "-", input=reply, terminal=terminal)
    assert result.exit_code == 0, result.output
    assert_shown_literally(result.stdout, styled=terminal)


def test_json_keeps_the_exact_hostile_text_and_is_ascii():
    result = shown("explain", "550 5.7.1 " + EVIL, "--json")
    assert result.exit_code == 0
    assert result.stdout.isascii()
    assert json.loads(result.stdout)["reply"]["text"] == EVIL


def test_json_keeps_the_exact_catalogue_text_of_an_overlay(evil_overlay):
    result = shown("explain", "5.7.900", "--json", "--catalogue", evil_overlay)
    assert result.stdout.isascii()
    document = json.loads(result.stdout)
    assert document["title"] == "Acme tenant quota exceeded " + EVIL
    assert document["fix"][0].endswith(" " + EVIL)


@pytest.mark.parametrize("terminal", [False, True], ids=["piped", "terminal"])
@pytest.mark.parametrize(
    "args",
    [
        ("explain", "5.7.900"),
        ("explain", "550", "--full"),
        ("explain", "550 5.7.900 acmemail: tenant over quota", "--full"),
        ("compare", "5.7.900", "550"),
        ("list", "--search", "zzacme"),
        ("search", "zzacme"),
    ],
    ids=["explain-code", "explain-note", "explain-reply", "compare", "list", "search"],
)
def test_hostile_catalogue_text_from_an_overlay_is_shown_literally(evil_overlay, args, terminal):
    result = shown(*args, "--catalogue", evil_overlay, terminal=terminal)
    assert result.exit_code == 0, result.output
    assert_safe(result.stdout, styled=terminal)
    # Tables fold long cells on a terminal, so the literal text is checked where it is not folded.
    if not (terminal and args[0] in ("list", "search")):
        assert_shown_literally(result.stdout, styled=terminal)


def test_hostile_text_in_lone_surrogates_from_undecodable_arguments_is_escaped():
    # An argument with bytes that are not UTF-8 arrives as lone surrogates; 0x9b is an 8-bit CSI.
    result = shown("explain", "550 5.7.1 a\udc9b[31m b\udcff")
    assert result.exit_code == 0, result.exception
    assert_safe(result.stdout)
    assert "a\\udc9b[31m b\\udcff" in result.stdout


def test_validate_shows_hostile_keys_and_values_escaped(tmp_path):
    path = write(
        tmp_path,
        "bad.toml",
        f"{toml_string(EVIL)} = 1\n"
        f"[codes.{toml_string('5.7.9' + EVIL)}]\ntitle = 'x'\n"
        f"[codes.\"550\"]\nstatus = {toml_string(EVIL)}\nfix_by = [{toml_string(EVIL)}]\n",
    )
    result = shown("validate", path)
    assert result.exit_code == 3
    assert_shown_literally(result.stdout)
    assert len(result.stdout.splitlines()) == 1 + 4


def test_a_hostile_file_name_is_escaped_in_validate_and_in_errors(tmp_path):
    path = write(tmp_path, "\x1b]52;c;ZXZpbA==\x07\u202e.toml", "not toml at all [")
    for args in (("validate", path), ("explain", "550", "--catalogue", path)):
        result = shown(*args)
        assert result.exit_code == 3
        assert_safe(result.stdout + result.stderr)
        assert "\\x1b]52;c;ZXZpbA==\\x07\\u202e.toml" in result.stdout + result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("list", "--class", EVIL),
        ("list", "--kind", EVIL),
        ("list", "--status", EVIL),
        ("explain", "550 x", "--after", EVIL),
        ("search", "\x1b]52;c;ZXZpbA==\x07 \u202e"),
        ("compare", EVIL),
        ("explain", "5.5.\x1b[2J"),
    ],
)
def test_error_messages_on_stderr_never_carry_raw_control_characters(args):
    result = shown(*args)
    assert result.exit_code in (1, 2)
    assert result.stderr
    assert_safe(result.stdout + result.stderr)


def _console(*args: bytes, encoding: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": "2000"}
    if encoding:
        env["PYTHONIOENCODING"] = encoding
    return subprocess.run([sys.executable, "-m", "smtpcodes", *args], capture_output=True, env=env)


@pytest.mark.parametrize(
    "args",
    [
        (b"list", b"\x1b]52;c;ZXZpbA==\x07"),
        (b"explain", b"550", b"--\x1b[2J"),
        (b"\x1b]8;;https://evil.example\x07",),
        (b"compare", b"550", b"--limit=\xe2\x80\xae"),
    ],
)
def test_usage_errors_from_the_console_entry_escape_the_arguments_they_quote(args):
    result = _console(*args)
    assert result.returncode == 2
    assert b"Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert_safe(result.stderr.decode("utf-8"))


@pytest.mark.parametrize("encoding", [None, "utf-8"], ids=["default", "strict-utf-8"])
def test_undecodable_argument_bytes_never_reach_the_terminal_raw(encoding):
    result = _console(b"explain", b"550 5.7.1 a\x9b[31m b\xff\xfe", encoding=encoding)
    assert result.returncode == 0, result.stderr
    assert b"\x9b" not in result.stdout and b"\xff" not in result.stdout
    assert b"a\\udc9b[31m b\\udcff\\udcfe" in result.stdout


def _scan_ready() -> bool:
    result = shown("scan", "-", input="")
    return "not implemented" not in result.stderr


@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
def test_scan_shows_hostile_log_lines_escaped(as_json):
    if not _scan_ready():
        pytest.skip("scan is not implemented yet")
    log = (
        "Jan  1 00:00:00 mx postfix/smtp[1]: ABC: to=<bob@example.com>, relay=mx.example.com[192.0.2.1]:25, "
        f"status=bounced (host mx.example.com[192.0.2.1] said: 550 5.7.1 {EVIL} (in reply to RCPT TO command))\n"
    )
    result = shown("scan", "-", *(["--json"] if as_json else []), input=log.encode())
    assert result.exit_code in (0, 1), result.output
    assert_safe(result.stdout + result.stderr)
    if as_json:
        assert result.stdout.isascii()
        documents = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
        assert any(document.get("text") == EVIL for document in documents)  # scan's compact record (schema 2)
