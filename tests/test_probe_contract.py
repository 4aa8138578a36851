"""The probe's JSON document and its documentation: keys pinned, every verdict worded and documented."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.probe_fixtures import LOOPBACK, smtp_server
from tests.helpers import run
from smtpcodes.probe.verdict import VERDICT_KEYS

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
TOP = {"kind", "target", "options", "host", "address", "verdict", "steps", "lang"}
OPTIONS = {"rcpt", "from", "port", "starttls", "implicit_tls", "auth_user", "ehlo", "timeout"}
VERDICT = {"key", "outcome", "reason", "text", "params", "exit_code"}
STEP = {"stage", "status", "note", "text", "host", "command", "reply", "facts", "explanation", "confidence"}


@pytest.fixture(autouse=True)
def no_dns(monkeypatch):
    monkeypatch.setattr("smtpcodes.probe.run.DnspythonResolver", lambda timeout: None)


def test_probe_document_keys_are_pinned():
    with smtp_server() as port:
        result = run("probe", LOOPBACK, "--port", str(port), "--rcpt", "nobody@example.test", "--json")
    assert result.exit_code == 4
    document = json.loads(result.stdout)  # stdout holds the document and nothing else
    assert set(document) == TOP and document["kind"] == "probe"
    assert set(document["options"]) == OPTIONS
    assert set(document["verdict"]) == VERDICT
    assert document["verdict"]["key"] == "mailbox-unknown" and document["verdict"]["exit_code"] == 4
    for step in document["steps"]:
        assert set(step) == STEP
        if step["reply"] is not None:
            assert set(step["reply"]) == {"code", "lines", "truncated"}
    rcpt = document["steps"][-2]
    assert rcpt["explanation"]["kind"] == "reply" and rcpt["explanation"]["reason"] == "mailbox-unknown"


def test_readme_documents_every_key_and_exit_code():
    section = README[README.index("**Probe** (`probe --json`)"):]
    for key in TOP | OPTIONS | VERDICT | STEP:
        assert f'"{key}"' in section, key
    for status in ("| 4 | `probe`", "| 5 | `probe`", "| 6 | `probe`"):
        assert status in README


def test_every_verdict_has_a_template_and_no_template_is_orphaned(catalogue):
    templates = {key.removeprefix("verdict-") for key in catalogue.data["messages"]["probe"]}
    assert templates == set(VERDICT_KEYS)
