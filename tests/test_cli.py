"""The commands as users run them: text and JSON output, exit codes, errors on stderr only."""

import json
import os
import subprocess
import sys

import pytest

from smtpcodes import __version__
from tests.helpers import run, run_json


def test_explain_shows_title_class_and_fix_for_a_basic_code():
    result = run("explain", "535", "--full")
    assert result.exit_code == 0
    assert "535" in result.stdout and "Authentication credentials invalid" in result.stdout
    assert "Permanent Negative Completion" in result.stdout
    for heading in ("What it means", "When you see it", "How to fix", "References", "Related codes"):
        assert heading in result.stdout
    assert result.stderr == ""


def test_explain_by_default_shows_meaning_verdict_and_first_step_only(catalogue):
    from smtpcodes.explain.lookup import explain_code

    code = explain_code(catalogue, "535")
    short = run("explain", "535").stdout
    assert code.description.split()[0] in short and "Permanent failure" in short
    assert "What to do first" in short and "When you see it" not in short and "References" not in short
    assert "Authentication Failed" in short  # the common name people search for
    assert run("explain", "535", "-v").stdout == run("explain", "535", "--full").stdout
    assert len(run("explain", "535", "--full").stdout) > len(short)


def test_a_success_code_says_so_and_an_enhanced_code_has_its_own_badge():
    assert "Success: nothing went wrong" in run("explain", "250").stdout
    enhanced = run("explain", "5.7.26").stdout
    assert "[5.x.x]" in enhanced and "[5xx]" not in enhanced
    assert "[5xx]" in run("explain", "550").stdout


def test_explain_accepts_enhanced_codes_in_both_forms():
    for code in ("5.7.26", "X.7.26", "x.7.26"):
        result = run("explain", code)
        assert result.exit_code == 0, result.stderr
        assert "Multiple authentication checks failed" in result.stdout


def test_explain_json_prints_only_one_code_object():
    result, document = run_json("explain", "535")
    assert result.exit_code == 0
    assert document["code"] == "535" and document["known"] is True
    assert document["class"] == {"digit": 5, "name": "Permanent Negative Completion"}
    assert document["retryable"] is False
    assert document["reason"] == "auth-failed"


def test_an_unlisted_code_is_still_explained_but_exits_1():
    result = run("explain", "599")
    assert result.exit_code == 1
    assert "Permanent Negative Completion" in result.stdout
    assert "not in the catalogue" in result.stderr
    result, document = run_json("explain", "599")
    assert result.exit_code == 1 and document["known"] is False and document["retryable"] is False


@pytest.mark.parametrize("bad", ["6xx", "12345", "1.2.3", "600"])
def test_malformed_codes_exit_2_with_one_line_on_stderr(bad):
    result = run("explain", bad)
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("smtpcodes: error:")
    assert bad in lines[0]


def test_text_that_is_neither_code_nor_reply_exits_2():
    result = run("explain", "hello world")
    assert result.exit_code == 2
    assert "no SMTP reply code found" in result.stderr
    assert result.stdout == ""


def test_json_mode_errors_leave_stdout_empty():
    result = run("explain", "6xx", "--json")
    assert result.exit_code == 2 and result.stdout == ""


def test_compare_shows_summary_table_differences_and_actions():
    result = run("compare", "214", "535")
    assert result.exit_code == 0
    out = result.stdout
    for text in ("Summary", "What it means", "When you see it", "How to fix", "Key differences",
                 "When to use which", "Authentication Failed"):
        assert text in out
    assert out.index("Summary") < out.index("What it means") < out.index("Key differences")
    assert out.index("Key differences") < out.index("When to use which")
    assert "success" in out and "permanent failure" in out
    assert "  1. " in out  # the differences are numbered


def test_compare_json_contract():
    result, document = run_json("compare", "214", "535")
    assert result.exit_code == 0
    assert [c["code"] for c in document["codes"]] == ["214", "535"]
    assert isinstance(document["summary"], str) and document["summary"]
    fields = {d["field"] for d in document["differences"]}
    assert {"class", "retryable"} <= fields
    assert set(document["actions"]) == {"214", "535"}
    assert set(document["when_to_use"]) == {"214", "535"} and document["same"] is False
    for difference in document["differences"]:
        # a sentence naming each code, not a field dump
        assert "214" in difference["sentence"] and "535" in difference["sentence"]


def test_compare_a_code_with_itself_says_they_are_the_same():
    result, document = run_json("compare", "550", "550")
    assert result.exit_code == 0 and document["same"] is True
    assert [c["code"] for c in document["codes"]] == ["550"] and document["differences"] == []
    assert "are the same code" in document["summary"]
    text = run("compare", "550", "550").stdout
    assert "same code" in text and "Key differences" not in text


def test_compare_two_codes_of_the_same_class_still_finds_differences():
    result, document = run_json("compare", "550", "552")
    assert result.exit_code == 0
    assert document["summary"].startswith("Both 550 and 552 are permanent failures")
    assert document["differences"]


def test_compare_basic_with_enhanced_mentions_that_they_travel_together():
    result, document = run_json("compare", "550", "5.7.1")
    assert "often sent together" in document["summary"]


def test_compare_needs_two_codes():
    result = run("compare", "550")
    assert result.exit_code == 2 and "at least two codes" in result.stderr


def test_list_shows_every_entry_and_filters_by_class():
    everything = run("list")
    assert everything.exit_code == 0
    assert "535" in everything.stdout and "X.7.26" in everything.stdout
    for spelling in ("4", "4xx", "4.x.x"):
        result, codes = run_json("list", "--class", spelling)
        assert codes and all(c["class"]["digit"] in (4, None) for c in codes)
        assert all(4 in c["classes"] for c in codes if c["kind"] == "enhanced")
        assert any(c["code"] == "421" for c in codes)


def test_list_filters_by_text_kind_and_status():
    _, codes = run_json("list", "--search", "dkim")
    assert "X.7.20" in {c["code"] for c in codes}
    _, codes = run_json("list", "--kind", "basic", "--status", "non-standard")
    assert codes and all(c["kind"] == "basic" and c["status"] == "non-standard" for c in codes)


def test_list_with_no_match_exits_1_and_bad_filters_exit_2():
    assert run("list", "--search", "zzzzqqq").exit_code == 1
    assert run("list", "--class", "7").exit_code == 2
    assert run("list", "--kind", "weird").exit_code == 2


def test_version_and_help():
    result = run("--version")
    assert result.exit_code == 0 and __version__ in result.stdout
    for command in ("explain", "compare", "list", "search"):
        help_text = run(command, "--help")
        assert help_text.exit_code == 0
        assert "Example" in help_text.stdout


def test_piped_output_has_no_escape_sequences():
    result = run("explain", "550")
    assert "\x1b" not in result.stdout


def _subprocess(*args, cwd, env=None):
    return subprocess.run(
        [sys.executable, "-m", "smtpcodes", *args], capture_output=True, text=True, cwd=cwd,
        env={**os.environ, **(env or {})},
    )


def test_python_dash_m_works_from_another_directory(tmp_path):
    result = _subprocess("explain", "535", "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["code"] == "535"


def test_usage_errors_are_one_line_without_traceback(tmp_path):
    for args in (["explain"], ["nonsense"], ["list", "--bogus"]):
        result = _subprocess(*args, cwd=tmp_path)
        assert result.returncode == 2
        assert "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1


def test_a_closed_pipe_ends_quietly(tmp_path):
    command = f"{sys.executable} -m smtpcodes list | head -1"
    result = subprocess.run(command, shell=True, capture_output=True, text=True, cwd=tmp_path)
    assert result.stdout.startswith("Code")
    assert result.stderr == ""
