"""The output seam: formats, colour, the pager, and the one emit path every command goes through."""

import csv
import io
import json
import os
import sys
from unittest import mock

import pytest

from smtpcodes.output import emit as emit_module
from smtpcodes.output.emit import Output, output_settings
from tests.helpers import run

COMMANDS = [
    ("explain", "535"),
    ("explain", "550 5.1.1 <bob@example.com>: User unknown"),
    ("compare", "214", "535"),
    ("list", "--class", "2"),
    ("search", "relay"),
    ("validate",),
]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: a[0])
def test_format_json_is_the_same_as_the_json_alias(args):
    by_alias = run(*args, "--json")
    by_format = run(*args, "--format", "json")
    assert by_alias.exit_code == by_format.exit_code == 0
    assert by_alias.stdout == by_format.stdout
    json.loads(by_format.stdout)


def test_list_as_csv_has_a_header_and_one_row_per_code(catalogue):
    result = run("list", "--class", "2", "--format", "csv")
    assert result.exit_code == 0
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["Code", "Class", "Title", "Status"]
    codes = [row[0] for row in rows[1:]]
    assert "250" in codes and all(len(row) == 4 for row in rows)
    assert len(codes) == len(json.loads(run("list", "--class", "2", "--json").stdout))


def test_search_and_compare_as_markdown_tables():
    search = run("search", "relay", "--format", "markdown").stdout
    lines = search.splitlines()
    assert lines[0].startswith("**") and lines[2].startswith("| Code | Class | Title | Matched in |")
    assert lines[3].startswith("|---|")
    compare = run("compare", "214", "535", "--format", "markdown").stdout
    assert "| Aspect | 214 | 535 |" in compare and "| Retry |" in compare


def test_markdown_escapes_pipes_and_html_in_cells(tmp_path):
    from tests.catalogues import write

    overlay = write(tmp_path, "pipes.toml", '[codes."5.7.901"]\ntitle = "a | b <script>"\nstatus = "private"\n'
                    'description = "d"\nwhen = "w"\nfix = ["f"]\nfix_by = ["sender"]\nreferences = ["r"]\n'
                    'classes = [5]\n')
    out = run("list", "--search", "script", "--format", "markdown", "--catalogue", overlay).stdout
    assert "a \\| b &lt;script&gt;" in out


def test_explain_has_no_table_so_csv_is_refused_with_one_line():
    result = run("explain", "535", "--format", "csv")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "list, search, compare" in result.stderr


@pytest.mark.parametrize("args", [("--format", "yaml"), ("--color", "sometimes"), ("--json", "--format", "csv")])
def test_bad_output_options_exit_2_with_one_line(args):
    result = run("list", *args)
    assert result.exit_code == 2 and result.stdout == "" and result.stderr.count("\n") == 1


def _coloured(output: str) -> bool:
    return "\x1b[" in output


def test_color_always_colours_even_when_piped_and_never_does_not_on_a_terminal():
    assert _coloured(run("explain", "535", "--color", "always").stdout)
    assert not _coloured(run("explain", "535").stdout)  # piped, auto
    with mock.patch("smtpcodes.output.emit.is_terminal", return_value=True):
        assert _coloured(run("explain", "535", env={"TERM": "xterm-256color"}).stdout)
        assert not _coloured(run("explain", "535", "--color", "never").stdout)
        assert not _coloured(run("explain", "535", env={"NO_COLOR": "1"}).stdout)
        # An explicit choice wins over the environment
        assert _coloured(run("explain", "535", "--color", "always", env={"NO_COLOR": "1"}).stdout)


def test_force_color_colours_piped_output_under_auto():
    assert _coloured(run("explain", "535", env={"FORCE_COLOR": "1"}).stdout)
    assert not _coloured(run("explain", "535", "--color", "never", env={"FORCE_COLOR": "1"}).stdout)


def test_json_is_never_coloured_or_paged():
    result = run("compare", "214", "535", "--json", "--color", "always")
    assert not _coloured(result.stdout)
    json.loads(result.stdout)


def _fake_tty(monkeypatch, lines: int):
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(emit_module, "terminal_size", lambda: os.terminal_size((80, lines)))


def test_long_output_on_a_terminal_goes_through_the_pager(tmp_path, monkeypatch, capsys):
    paged = tmp_path / "paged.txt"
    monkeypatch.setenv("PAGER", f"tee {paged}")
    _fake_tty(monkeypatch, lines=10)
    emit_module.show("\n".join(f"line {n}" for n in range(50)), Output(color="never"))
    assert "line 49" in paged.read_text()


def test_short_output_no_pager_and_pipes_are_never_paged(tmp_path, monkeypatch, capsys):
    paged = tmp_path / "paged.txt"
    monkeypatch.setenv("PAGER", f"tee {paged}")
    _fake_tty(monkeypatch, lines=100)
    emit_module.show("short", Output(color="never"))
    _fake_tty(monkeypatch, lines=10)
    emit_module.show("\n".join(f"line {n}" for n in range(50)), Output(color="never", pager=False))
    monkeypatch.setattr(sys.stdout, "isatty", lambda: False, raising=False)
    emit_module.show("\n".join(f"line {n}" for n in range(50)), Output(color="never"))
    assert not paged.exists()
    assert capsys.readouterr().out.count("line 49") == 2


def test_a_pager_that_cannot_start_falls_back_to_stdout(monkeypatch, capsys):
    monkeypatch.setenv("PAGER", "/nonexistent/pager")
    _fake_tty(monkeypatch, lines=10)
    emit_module.show("\n".join(f"line {n}" for n in range(50)), Output(color="never"))
    assert "line 49" in capsys.readouterr().out


def test_output_settings_fold_json_into_format():
    assert output_settings("text", True, "auto", True).format == "json"
    assert output_settings("csv", False, "never", False) == Output("csv", "never", False)


def test_every_command_takes_the_output_options():
    for command in ("explain", "compare", "list", "search", "scan", "validate"):
        help_text = run(command, "--help", env={"COLUMNS": "200"}).stdout
        for option in ("--format", "--json", "--color", "--no-pager"):
            assert option in help_text, (command, option)


def test_a_mistyped_command_gets_one_suggestion():
    import subprocess

    result = subprocess.run([sys.executable, "-m", "smtpcodes", "explian", "535"], capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr.count("Did you mean 'explain'?") == 1


def test_validate_of_a_missing_file_exits_2():
    result = run("validate", "/nonexistent")
    assert result.exit_code == 2 and "cannot read /nonexistent" in result.stderr and result.stdout == ""


def test_search_finds_a_code_by_its_common_name():
    document = json.loads(run("search", "authentication", "failed", "--json").stdout)
    assert document["results"][0]["code"]["code"] == "535"
    assert "Authentication Failed" in document["results"][0]["code"]["aliases"]


def test_the_entry_point_builds_the_named_command_and_still_lists_them_all():
    """main() builds only the command asked for (start-up time); help and errors still see every one."""
    import subprocess

    def entry(*args):
        return subprocess.run([sys.executable, "-m", "smtpcodes", *args], capture_output=True, text=True,
                              env={**os.environ, "COLUMNS": "120"})

    listed = entry("--help").stdout
    for command in ("explain", "compare", "list", "search", "scan", "validate"):
        assert command in listed
    assert entry("list", "--class", "2", "--format", "csv").stdout.startswith("Code,Class,Title,Status\n")
    assert entry("search", "list").returncode in (0, 1)  # a command's name as an argument is just a word
    assert json.loads(entry("explain", "535", "--json").stdout)["code"] == "535"
    assert entry("--version").stdout.startswith("smtpcodes ")


@pytest.mark.parametrize(("args", "sent"), [
    (["explain", "535"], False),  # a code that only answers AUTH: nothing was sent
    (["explain", "5.7.8"], False),
    (["explain", "535 5.7.8 Username and Password not accepted"], False),
    (["explain", "550 5.1.1 <a@example.com>: Recipient address rejected: User unknown"], True),
    (["explain", "550"], True),
])
def test_the_headline_of_a_login_failure_says_no_message_was_sent(args, sent):
    out = run(*args).stdout
    headline = out.splitlines()[1]
    assert ("no message was sent" in headline) is not sent
    assert ("bounce" in headline) is sent


def test_a_connection_put_off_at_the_greeting_is_not_called_a_delivery_failure():
    out = run("explain", "220-mx.example.com ESMTP\n421 4.3.2 Service shutting down").stdout
    assert "No message was refused" in out.splitlines()[1]
