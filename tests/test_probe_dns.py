"""probe's DNS: MX order, implicit MX, Null MX, NXDOMAIN and failures, through a loopback DNS server."""

from __future__ import annotations

import json

import pytest

from tests.probe_fixtures import LOOPBACK, DnsServer, Scripted, smtp_server
from tests.helpers import run
from smtpcodes.probe.dns import plan_destinations
from smtpcodes.probe.model import Options
from smtpcodes.probe.run import run_probe

ZONE = {
    "example.test": {"MX": ["20 mx2.example.test.", "10 mx1.example.test.", "20 backup.example.test."]},
    "mx1.example.test": {},  # exists, no address: skipped as an MTA would
    "mx2.example.test": {"A": [LOOPBACK]},
    "backup.example.test": {"A": [LOOPBACK]},
    "implicit.test": {"A": [LOOPBACK]},
    "nomail.test": {"MX": ["0 ."]},
    "empty.test": {"TXT": ['"v=spf1 -all"']},
    "broken.test": "SERVFAIL",
    "dangling.test": {"MX": ["10 nowhere.dangling.test."]},
    "smtp.submit.test": {"A": [LOOPBACK], "MX": ["10 elsewhere.submit.test."]},
}


@pytest.fixture(scope="module")
def dns_server():
    with DnsServer(ZONE) as server:
        yield server


@pytest.fixture(autouse=True)
def loopback_dns(monkeypatch, dns_server):
    """The CLI resolves through the loopback server, never the system's."""
    monkeypatch.setattr("smtpcodes.probe.run.DnspythonResolver", dns_server.resolver)


def plan(dns_server, target, port=25):
    return plan_destinations(Options(target, port=port, timeout=2), dns_server.resolver(2))


def test_mx_hosts_in_preference_order_then_by_name(dns_server):
    found = plan(dns_server, "example.test")
    assert found.failure is None
    assert [d.host for d in found.destinations] == ["backup.example.test", "mx2.example.test"]
    mx = found.steps[0]
    assert mx.note == "dns-mx" and [r["preference"] for r in mx.facts["mx"]] == [10, 20, 20]
    assert found.steps[1].note == "dns-mx-host" and found.steps[1].params["host"] == "mx1.example.test"


def test_implicit_mx_uses_the_domains_own_address(dns_server):
    found = plan(dns_server, "implicit.test")
    assert found.steps[0].note == "dns-implicit-mx" and found.destinations[0].address == LOOPBACK


@pytest.mark.parametrize(
    "target, failure",
    [("nomail.test", "null-mx"), ("missing.test", "nxdomain"), ("empty.test", "no-mx-no-address"),
     ("broken.test", "dns-failure"), ("dangling.test", "mx-unresolved")],
)
def test_dns_failures(dns_server, target, failure):
    found = plan(dns_server, target)
    assert (found.failure, found.destinations) == (failure, [])


def test_submission_ports_use_the_host_as_given(dns_server):
    found = plan(dns_server, "smtp.submit.test", port=587)
    assert [(d.host, d.address) for d in found.destinations] == [("smtp.submit.test", LOOPBACK)]
    assert found.steps[0].note == "dns-host"


def test_ip_literals_skip_dns(dns_server):
    for literal in (LOOPBACK, f"[{LOOPBACK}]"):
        found = plan(dns_server, literal)
        assert found.destinations[0].address == LOOPBACK and found.steps[0].status == "skipped"


def test_probe_follows_the_mx_to_a_real_server(catalogue, dns_server):
    with smtp_server() as port:
        result = run_probe(catalogue, Options("example.test", rcpt="bob@example.test", port=port, timeout=3),
                           resolver=dns_server.resolver(2))
    assert result.verdict.key == "accepted" and result.host == "backup.example.test"


@pytest.mark.parametrize(
    "target, key, status",
    [("missing.test", "nxdomain", 6), ("nomail.test", "null-mx", 4), ("empty.test", "no-mx-no-address", 6)],
)
def test_cli_dns_verdicts_and_exit_codes(target, key, status):
    result = run("probe", target, "--rcpt", f"bob@{target}", "--json", "--timeout", "2")
    assert result.exit_code == status
    document = json.loads(result.stdout)
    assert document["verdict"]["key"] == key and document["steps"][0]["stage"] == "dns"


def test_a_name_that_does_not_resolve_is_one_clear_line_on_stderr():
    result = run("probe", "missing.test", "--timeout", "2")
    assert result.exit_code == 6
    assert result.stderr.count("\n") == 1 and "missing.test does not exist" in result.stderr
    assert "missing.test does not exist (NXDOMAIN)" in result.stdout


def test_a_busy_mx_sends_the_probe_to_the_next_one(catalogue, dns_server):
    zone = {"two.test": {"MX": ["10 busy.two.test.", "20 good.two.test."]},
            "busy.two.test": {"A": [LOOPBACK]}, "good.two.test": {"A": [LOOPBACK]}}
    with Scripted(b"421 4.3.2 busy.two.test Service not available, try again later\r\n") as busy:
        with DnsServer(zone) as names:
            result = run_probe(catalogue, Options("two.test", port=busy.port, timeout=2), resolver=names.resolver(2))
    # Both MX hosts are the same loopback server here, so both answer 421 and each is tried in turn.
    greetings = [step for step in result.steps if step.stage == "banner"]
    assert [step.host for step in greetings] == ["busy.two.test", "good.two.test"]
    assert result.verdict.outcome == "temporary" and result.verdict.params["code"] == 421
