"""Overlay catalogues (`--catalogue FILE`, $SMTPCODES_CATALOGUE): an organisation's own codes and notes."""

import json
import os
import re

import pytest

from tests.catalogues import acme_catalogue, write
from tests.helpers import run, run_json


@pytest.fixture(autouse=True)
def wide_text(monkeypatch):
    """Plain text wraps at the terminal width; keep a long temporary path on one line."""
    monkeypatch.setenv("COLUMNS", "1000")


@pytest.fixture
def acme(tmp_path):
    return write(tmp_path, "acme.toml", acme_catalogue())


def test_a_private_code_is_explained_through_the_option(acme):
    result = run("explain", "5.7.900", "--catalogue", acme)
    assert result.exit_code == 0, result.output
    assert "Acme tenant quota exceeded" in result.stdout
    assert re.search(rf"From: +{re.escape(acme)}", result.stdout)
    _, document = run_json("explain", "5.7.900", "--catalogue", acme)
    assert document["known"] is True and document["status"] == "private"
    assert document["provider"] == "acme" and document["source"] == acme
    assert document["reason"] == "rate-limited"


def test_a_private_code_is_explained_through_the_environment(acme, monkeypatch):
    monkeypatch.setenv("SMTPCODES_CATALOGUE", os.pathsep.join(["", acme, ""]))
    _, document = run_json("explain", "5.7.900")
    assert document["known"] is True and document["source"] == acme


def test_without_the_overlay_the_private_code_is_unknown(acme):
    result = run("explain", "5.7.900")
    assert result.exit_code == 1 and "not in the catalogue" in result.stderr


def test_the_overlay_provider_is_recognised_in_a_reply(acme):
    _, document = run_json("explain", "550 5.7.900 acmemail: tenant over its quota", "--catalogue", acme)
    assert document["provider"]["id"] == "acme" and document["provider"]["name"] == "Acme Mail"
    assert document["enhanced"]["source"] == acme
    assert document["fix"][0].startswith("Sending admin: raise the tenant quota")


def test_overlay_codes_are_listed_searched_and_compared(acme):
    _, listed = run_json("list", "--search", "zzacme", "--catalogue", acme)
    assert [code["code"] for code in listed] == ["5.7.900"]
    _, found = run_json("search", "tenant quota", "--catalogue", acme)
    assert found["results"][0]["code"]["code"] == "5.7.900"
    _, compared = run_json("compare", "5.7.900", "X.7.1", "--catalogue", acme)
    assert [c["source"] for c in compared["codes"]] == [acme, "built-in"]


def test_text_fields_are_replaced_and_lists_and_notes_extended(tmp_path):
    path = write(
        tmp_path,
        "ours.toml",
        '[providers.acme]\nname = "Acme"\nmatch = "acme"\nadvice = "Ask the Acme mail team."\n'
        '[codes."550"]\ntitle = "Rejected by the recipient system (see runbook MAIL-12)"\n'
        'fix = ["Helpdesk: follow https://runbooks.acme.example/MAIL-12 before escalating."]\n'
        'references = ["Acme runbook MAIL-12"]\n'
        '[codes."550".notes]\nacme = "Our gateway uses 550 for quarantined attachments too."\n',
    )
    _, builtin = run_json("explain", "550")
    _, document = run_json("explain", "550", "--catalogue", path)
    assert document["title"] == "Rejected by the recipient system (see runbook MAIL-12)"
    assert document["description"] == builtin["description"]
    assert document["fix"] == builtin["fix"] + ["Helpdesk: follow https://runbooks.acme.example/MAIL-12 before escalating."]
    assert document["references"] == builtin["references"] + ["Acme runbook MAIL-12"]
    assert document["notes"][:-1] == builtin["notes"]
    assert document["notes"][-1] == {"provider": "acme", "name": "Acme", "text": "Our gateway uses 550 for quarantined attachments too."}
    assert document["source"] == f"built-in + {path}"
    assert re.search(rf"From: +built-in \+ {re.escape(path)}", run("explain", "550", "--catalogue", path).stdout)


def test_repeated_overlays_apply_in_order_environment_first(tmp_path, monkeypatch):
    first = write(tmp_path, "first.toml", '[codes."550"]\ntitle = "First wording"\nfix = ["One: first step."]\n')
    second = write(tmp_path, "second.toml", '[codes."550"]\ntitle = "Second wording"\nfix = ["Two: second step."]\n')
    third = write(tmp_path, "third.toml", '[codes."550"]\ntitle = "Third wording"\n')
    _, document = run_json("explain", "550", "--catalogue", first, "--catalogue", second)
    assert document["title"] == "Second wording"
    assert document["fix"][-2:] == ["One: first step.", "Two: second step."]
    assert document["source"] == f"built-in + {first} + {second}"
    monkeypatch.setenv("SMTPCODES_CATALOGUE", third)
    _, document = run_json("explain", "550", "--catalogue", first)
    assert document["title"] == "First wording"
    assert document["source"] == f"built-in + {third} + {first}"


def test_a_later_overlay_may_build_on_an_earlier_one(acme, tmp_path):
    later = write(tmp_path, "later.toml", acme_catalogue(key="5.7.901") + '[codes."5.7.900"]\nrelated = ["5.7.901"]\n')
    _, document = run_json("explain", "5.7.900", "--catalogue", acme, "--catalogue", later)
    assert document["related"][-1] == "5.7.901"
    assert document["source"] == f"{acme} + {later}"


def test_overlay_rules_are_tried_before_the_built_in_ones(tmp_path):
    path = write(
        tmp_path,
        "rules.toml",
        '[[rules]]\nreason = "mailbox-full"\nlabel = "Acme quota wording"\npattern = \'tenant storage exhausted\'\n',
    )
    reply = "550 5.7.1 tenant storage exhausted, relay denied"
    _, builtin = run_json("explain", reply)
    _, document = run_json("explain", reply, "--catalogue", path)
    assert builtin["reason"] != "mailbox-full"
    assert document["reason"] == "mailbox-full"
    assert "Acme quota wording" in document["evidence"][0]


def test_a_broken_overlay_is_reported_in_full_and_nothing_is_loaded(acme, tmp_path):
    broken = write(
        tmp_path, "broken.toml",
        '[codes."5.7.901"]\ntitle = ""\nstatus = "private"\nclasses = [3]\n[codes."550"]\nheadline = "x"\n',
    )
    result = run("explain", "5.7.900", "--catalogue", acme, "--catalogue", broken)
    assert result.exit_code == 3
    assert result.stdout == ""
    header, *problems = result.stderr.splitlines()
    assert header == f"smtpcodes: error: invalid catalogue {broken}: {len(problems)} problems"
    assert len(problems) == len(run("validate", broken).stdout.splitlines()) - 1 >= 6
    for expected in ('codes."5.7.901".title', 'codes."5.7.901".classes', 'codes."550".headline: unknown field'):
        assert any(expected in line for line in problems)


@pytest.mark.parametrize("command", [["list"], ["search", "relay"], ["compare", "550", "450"], ["explain", "550 x"]])
def test_every_command_refuses_a_broken_overlay_from_the_environment(tmp_path, monkeypatch, command):
    monkeypatch.setenv("SMTPCODES_CATALOGUE", write(tmp_path, "bad.toml", "[codes.\"550\"]\nstatus = 'maybe'\n"))
    result = run(*command, "--json")
    assert result.exit_code == 3 and result.stdout == ""
    assert "codes.\"550\".status: 'maybe' is not one of" in result.stderr


def test_an_overlay_fixed_after_an_error_is_used_at_once(tmp_path):
    path = write(tmp_path, "acme.toml", acme_catalogue().replace('status = "private"', 'status = "secret"'))
    assert run("explain", "5.7.900", "--catalogue", path).exit_code == 3
    write(tmp_path, "acme.toml", acme_catalogue())
    _, document = run_json("explain", "5.7.900", "--catalogue", path)
    assert document["known"] is True


def test_json_source_shows_built_in_for_untouched_entries(acme):
    _, document = run_json("explain", "535", "--catalogue", acme)
    assert document["source"] == "built-in"
    assert json.loads(run("explain", "550", "--json", "--catalogue", acme).stdout)["source"] == f"built-in + {acme}"
