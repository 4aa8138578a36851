"""probe's pure parts: input checks, verdict rules, certificate names, templates; and bad input on the CLI."""

from __future__ import annotations

import socket

import pytest

from tests.probe_fixtures import LOOPBACK, free_port
from tests.helpers import run
from smtpcodes.errors import BadInput
from smtpcodes.output.probeview import message
from smtpcodes.probe.model import Options, Step
from smtpcodes.probe.run import check_options, is_address, run_probe
from smtpcodes.probe.tls import name_matches
from smtpcodes.probe.verdict import blocklist_named, decide, wait_seconds


@pytest.fixture(autouse=True)
def no_dns(monkeypatch):
    """Nothing here may reach a real name server."""

    def refuse(timeout):
        raise AssertionError("a unit test tried to use DNS")

    monkeypatch.setattr("smtpcodes.probe.run.DnspythonResolver", refuse)


@pytest.mark.parametrize(
    "options",
    [Options("example.com", rcpt="not-an-address"), Options("example.com", rcpt="bob@"),
     Options("example.com", sender="a b@example.com"), Options("example.com", port=0),
     Options("example.com", port=65536), Options("exa mple.com"), Options("example..com"),
     Options("example.com", timeout=0), Options("example.com", ehlo="bad name")],
)
def test_bad_input_is_refused_before_any_network(options):
    with pytest.raises(BadInput):
        check_options(options)


@pytest.mark.parametrize(
    "args, needle",
    [(("--rcpt", "not-an-address"), "--rcpt"), (("--port", "0"), "--port"), (("--from", "<x@y.z>"), "--from"),
     (("--starttls", "sometimes"), "--starttls"), (("--timeout", "-1"), "--timeout")],
)
def test_cli_bad_input_is_one_line_and_exit_2(args, needle):
    result = run("probe", "example.com", *args)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and needle in result.stderr and "Traceback" not in result.stderr


def test_addresses():
    for good in ("bob@example.com", "a.b+tag@sub.example.co.uk", "x@[127.0.0.1]", "józef@bücher.example"):
        assert is_address(good), good
    for bad in ("bob", "@example.com", "bob@@example.com", "bob@exa mple.com", "bob@example.com>", "a\r\nb@x.com"):
        assert not is_address(bad), bad


def test_greylisting_waits_and_blocklist_names(catalogue):
    assert wait_seconds("451 4.7.1 Greylisted, try again in 5 minutes") == 300
    assert wait_seconds("450 4.2.0 please retry in 60s") == 60
    assert wait_seconds("451 4.7.1 try again later") is None
    lists = catalogue.data["messages"]["probe-blocklists"]
    assert blocklist_named("blocked using zen.spamhaus.org", lists) == "Spamhaus ZEN"
    assert blocklist_named("listed at bl.spamcop.net", lists) == "SpamCop"
    assert blocklist_named("550 5.7.1 go away", lists) is None


def test_certificate_names():
    assert name_matches("mx.example.com", ["mx.example.com"])
    assert name_matches("MX.Example.com.", ["*.example.com"])
    assert not name_matches("a.b.example.com", ["*.example.com"])  # a wildcard is one label
    assert not name_matches("example.com", ["*.example.com"])
    assert not name_matches("mx.example.com", ["mx.example.net"])
    assert name_matches("127.0.0.1", ["127.0.0.1"]) and not name_matches("127.0.0.1", ["localhost"])


def _timed_out(port):
    facts = {"address": LOOPBACK, "port": port}
    return Step("connect", "failed", "connect-timeout", "mx.example.test", params=facts, facts=facts)


def test_every_mx_timing_out_on_port_25_means_port_25_is_blocked():
    steps = [_timed_out(25), _timed_out(25)]
    blocked = decide(Options("example.test", port=25), steps, ["connect-timeout", "connect-timeout"], {})
    assert (blocked.key, blocked.outcome) == ("port25-blocked", "unreachable")
    other = decide(Options("example.test", port=2525), [_timed_out(2525)], ["connect-timeout"], {})
    assert other.key == "connect-timeout"
    mixed = decide(Options("example.test", port=25), steps, ["refused", "connect-timeout"], {})
    assert mixed.key == "connect-timeout"


def test_a_connection_that_is_never_accepted_times_out(catalogue):
    """A listener whose queue is full drops new connections, as a firewall does."""
    with socket.create_server((LOOPBACK, 0), backlog=0) as listener:
        port = listener.getsockname()[1]
        fillers = []
        for _ in range(4):
            filler = socket.socket()
            filler.setblocking(False)
            filler.connect_ex((LOOPBACK, port))
            fillers.append(filler)
        try:
            result = run_probe(catalogue, Options(LOOPBACK, port=port, timeout=0.3))
        finally:
            for filler in fillers:
                filler.close()
    assert (result.verdict.key, result.verdict.outcome) == ("connect-timeout", "unreachable")


def test_templates_fill_and_survive_missing_parameters(catalogue):
    templates = catalogue.messages
    assert message(templates, "probe", "verdict-greylisted-wait", {"seconds": 300, "minutes": 5, "host": "mx"}).startswith(
        "Greylisted: try again in 300 seconds"
    )
    for key in catalogue.data["messages"]["probe"]:
        assert "{" not in message(templates, "probe", key, {})  # every placeholder filled, if only with '?'
    assert message(templates, "probe", "verdict-cert-mismatch", {"names": ["a.test", "b.test"], "host": "c"}).count("a.test, b.test") == 1


def test_internationalised_names_match_their_a_labels():
    assert name_matches("bücher.example", ["xn--bcher-kva.example"])
    assert name_matches("mx.bücher.example", ["*.xn--bcher-kva.example"])


def test_localhost_needs_no_dns(catalogue):
    result = run_probe(catalogue, Options("localhost", port=free_port(), timeout=1))  # the no_dns fixture refuses DNS
    assert result.steps[0].note == "dns-localhost" and result.verdict.key == "refused"
