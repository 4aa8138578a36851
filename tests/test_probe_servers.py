"""probe against real SMTP servers on loopback: providers' answers, TLS, AUTH and broken servers."""

from __future__ import annotations

import json
import ssl

import pytest
import trustme
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.probe_fixtures import LOOPBACK, PASSWORD, USER, Scripted, check_password, free_port, smtp_server
from tests.helpers import run
from smtpcodes.probe.dns import DnsFailure
from smtpcodes.probe.model import Options
from smtpcodes.probe.run import run_probe

QUICK = 3.0  # seconds: every wait in these tests is bounded by this


class LocalNames:
    """A resolver that knows only localhost (no MX: implicit MX) and refuses everything else."""

    def mx(self, name):
        raise DnsFailure("no-data" if name == "localhost" else "nxdomain")

    def addresses(self, name):
        if name == "localhost":
            return [LOOPBACK]
        raise DnsFailure("nxdomain")


@pytest.fixture(autouse=True)
def local_dns_only(monkeypatch):
    """The CLI's resolver too answers from LocalNames: no test asks a real DNS server."""
    monkeypatch.setattr("smtpcodes.probe.run.DnspythonResolver", lambda timeout: LocalNames())


def probe(catalogue, target, password=None, **options):
    options.setdefault("timeout", QUICK)
    return run_probe(catalogue, Options(target, **options), password, LocalNames())


def stages(result):
    return [(step.stage, step.status) for step in result.steps]


# -- plain servers: what providers answer at RCPT ----------------------------------------------


@pytest.fixture(scope="module")
def provider():
    with smtp_server() as port:
        yield port


@pytest.mark.parametrize(
    "local, key, outcome",
    [
        ("bob", "accepted", "accepted"),
        ("nobody", "mailbox-unknown", "rejected"),
        ("grey", "greylisted-wait", "temporary"),
        ("listed", "blocklisted-named", "rejected"),
    ],
)
def test_rcpt_verdicts_from_a_real_server(catalogue, provider, local, key, outcome):
    result = probe(catalogue, LOOPBACK, rcpt=f"{local}@example.test", port=provider)
    assert (result.verdict.key, result.verdict.outcome) == (key, outcome)
    names = [stage for stage, _ in stages(result)]
    assert names == ["dns", "connect", "banner", "ehlo", "starttls", "mail", "rcpt", "quit"]
    rcpt = result.steps[-2]
    assert rcpt.command == f"RCPT TO:<{local}@example.test>"
    assert rcpt.reply.lines and rcpt.analysis is not None


def test_verdict_parameters_carry_the_facts(catalogue, provider):
    grey = probe(catalogue, LOOPBACK, rcpt="grey@example.test", port=provider).verdict
    assert (grey.params["seconds"], grey.params["minutes"], grey.reason) == (300, 5, "greylisted")
    listed = probe(catalogue, LOOPBACK, rcpt="listed@example.test", port=provider).verdict
    assert listed.params["list"] == "Spamhaus ZEN"
    assert listed.params["code"] == 554 and listed.params["stage"] == "RCPT"


def test_without_rcpt_the_probe_stops_after_the_greeting(catalogue, provider):
    result = probe(catalogue, LOOPBACK, port=provider)
    assert result.verdict.key == "reachable"
    assert not any(step.stage in ("mail", "rcpt") for step in result.steps)
    assert result.steps[-1].stage == "quit" and result.steps[-1].reply.code == 221


def test_cli_transcript_exit_codes_and_json(provider):
    accepted = run("probe", LOOPBACK, "--port", str(provider), "--rcpt", "bob@example.test", "--timeout", "3")
    assert accepted.exit_code == 0, accepted.stderr
    assert "RCPT TO:<bob@example.test>" in accepted.stdout and "S: 250 2.1.5 Ok" in accepted.stdout
    assert "DATA" not in accepted.stdout.replace("after DATA", "")
    rejected = run("probe", LOOPBACK, "--port", str(provider), "--rcpt", "nobody@example.test", "--timeout", "3")
    assert rejected.exit_code == 4
    assert "does not exist" in rejected.stdout
    temporary = run("probe", LOOPBACK, "--port", str(provider), "--rcpt", "grey@example.test", "--json")
    assert temporary.exit_code == 5
    document = json.loads(temporary.stdout)
    assert document["verdict"]["outcome"] == "temporary" and document["verdict"]["exit_code"] == 5
    assert "300 seconds" in document["verdict"]["text"]
    rcpt = [step for step in document["steps"] if step["stage"] == "rcpt"][0]
    assert rcpt["explanation"]["reason"] == "greylisted" and rcpt["reply"]["code"] == 450


def test_the_probe_never_sends_data(catalogue):
    with Scripted(b"220 mx.example.test ESMTP\r\n") as server:
        result = probe(catalogue, LOOPBACK, rcpt="bob@example.test", sender="me@example.test", port=server.port)
    assert result.verdict.key == "accepted"
    verbs = [line.split(b" ")[0].split(b":")[0] for line in server.received]
    assert verbs == [b"EHLO", b"MAIL", b"RCPT", b"QUIT"]


# -- TLS ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory):
    """A test CA, a certificate for localhost and one for another name, and the CA file."""
    ca = trustme.CA()
    folder = tmp_path_factory.mktemp("tls")
    cafile = folder / "ca.pem"
    ca.cert_pem.write_to_path(str(cafile))
    contexts = {}
    for name in ("localhost", "mx.elsewhere.test"):
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ca.issue_cert(name).configure_cert(context)
        contexts[name] = context
    return str(cafile), contexts


def test_starttls_with_a_trusted_certificate_reports_name_chain_and_protocol(catalogue, tls_files):
    cafile, contexts = tls_files
    with smtp_server(tls_context=contexts["localhost"], require_starttls=True) as port:
        result = probe(catalogue, "localhost", rcpt="bob@example.test", port=port, cafile=cafile, starttls="require")
    assert result.verdict.key == "accepted"
    tls = next(step for step in result.steps if step.stage == "tls")
    assert tls.note == "tls-ok"
    assert tls.facts["chain_verified"] is True and tls.facts["name_matches"] is True
    assert tls.facts["names"] == ["localhost"] and tls.facts["protocol"].startswith("TLSv1.")
    assert [s for s, _ in stages(result)].count("ehlo") == 2  # EHLO again after STARTTLS (RFC 3207)


def test_a_self_signed_certificate_is_noted_and_an_mta_goes_on(catalogue, tls_files):
    _, contexts = tls_files
    with smtp_server(tls_context=contexts["localhost"], require_starttls=True) as port:
        opportunistic = probe(catalogue, "localhost", rcpt="bob@example.test", port=port)
        required = probe(catalogue, "localhost", rcpt="bob@example.test", port=port, starttls="require")
    assert opportunistic.verdict.key == "accepted"
    notes = [step.note for step in opportunistic.steps]
    assert "cert-untrusted" in notes and "reconnected-unverified" in notes and "tls-unverified" in notes
    assert (required.verdict.key, required.verdict.outcome) == ("cert-untrusted", "unreachable")


def test_a_certificate_for_another_name_does_not_match(catalogue, tls_files):
    cafile, contexts = tls_files
    with smtp_server(tls_context=contexts["mx.elsewhere.test"], require_starttls=True) as port:
        result = probe(catalogue, "localhost", rcpt="bob@example.test", port=port, cafile=cafile, starttls="require")
        cli = run("probe", "localhost", "--port", str(port), "--starttls", "require", "--timeout", "3")
    assert result.verdict.key == "cert-mismatch"
    assert result.verdict.params["names"] == ["mx.elsewhere.test"] and result.verdict.params["host"] == "localhost"
    assert cli.exit_code == 6  # the system CA does not know the test CA: untrusted, could not reach
    assert "not trusted" in cli.stdout


def test_tls_required_by_the_server(catalogue, tls_files):
    _, contexts = tls_files
    with smtp_server(tls_context=contexts["localhost"], require_starttls=True) as port:
        result = probe(catalogue, "localhost", rcpt="bob@example.test", port=port, starttls="never")
    assert (result.verdict.key, result.verdict.outcome) == ("tls-required", "rejected")
    assert result.steps[-2].stage == "mail" and result.steps[-2].reply.code == 530


def test_starttls_required_but_not_offered(catalogue, provider):
    result = probe(catalogue, LOOPBACK, rcpt="bob@example.test", port=provider, starttls="require")
    assert (result.verdict.key, result.verdict.outcome) == ("tls-unavailable", "rejected")


def test_implicit_tls_as_on_port_465(catalogue, tls_files):
    cafile, contexts = tls_files
    with smtp_server(ssl_context=contexts["localhost"]) as port:
        result = probe(catalogue, "localhost", rcpt="bob@example.test", port=port, cafile=cafile, implicit_tls=True)
    assert result.verdict.key == "accepted"
    assert [s for s, _ in stages(result)][:4] == ["dns", "connect", "tls", "banner"]


def test_plain_text_to_a_tls_port_is_not_an_smtp_reply(catalogue, tls_files):
    _, contexts = tls_files
    with smtp_server(ssl_context=contexts["localhost"]) as port:
        result = probe(catalogue, "localhost", port=port, timeout=1.0)
    assert result.verdict.outcome == "unreachable"
    assert result.verdict.key in ("timeout", "bad-reply", "connection-lost")


def test_a_tls_handshake_with_a_server_that_does_not_speak_tls(catalogue):
    with Scripted(b"garbage that is not TLS\r\n") as server:
        result = probe(catalogue, LOOPBACK, port=server.port, implicit_tls=True)
    assert (result.verdict.key, result.verdict.outcome) == ("tls-handshake-failed", "unreachable")


# -- AUTH --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def submission(tls_files):
    _, contexts = tls_files
    with smtp_server(tls_context=contexts["localhost"], require_starttls=True, auth_required=True,
                     auth_require_tls=True, authenticator=check_password) as port:
        yield port


def test_auth_required_without_credentials(catalogue, submission, tls_files):
    cafile, _ = tls_files
    result = probe(catalogue, "localhost", rcpt="bob@example.test", port=submission, cafile=cafile)
    assert (result.verdict.key, result.verdict.outcome) == ("auth-required", "rejected")


@pytest.mark.parametrize("password, key", [(PASSWORD, "accepted"), ("wrong password", "auth-failed")])
def test_auth_over_starttls(catalogue, submission, tls_files, password, key):
    cafile, _ = tls_files
    result = probe(catalogue, "localhost", password, rcpt="bob@example.test", port=submission, cafile=cafile, user=USER)
    assert result.verdict.key == key
    auth = [step for step in result.steps if step.stage == "auth"]
    assert auth and all(password not in (step.command or "") for step in auth)


def test_the_password_never_reaches_output(submission, tls_files, monkeypatch):
    cafile, _ = tls_files
    import base64

    monkeypatch.setenv("SSL_CERT_FILE", cafile)  # the system trust store, pointed at the test CA
    monkeypatch.setenv("SMTPCODES_PASSWORD", PASSWORD)
    token = base64.b64encode(f"\0{USER}\0{PASSWORD}".encode()).decode()
    for extra in ((), ("--json",)):
        result = run("probe", "localhost", "--port", str(submission), "--auth", USER, "--rcpt", "bob@example.test",
                     "--timeout", "3", *extra)
        assert result.exit_code == 0, result.stdout + result.stderr
        for secret in (PASSWORD, token, base64.b64encode(PASSWORD.encode()).decode()):
            assert secret not in result.stdout and secret not in result.stderr


def test_a_server_that_echoes_credentials_is_masked(catalogue, tls_files):
    cafile, contexts = tls_files
    echo = {"EHLO": b"250-mx\r\n250 AUTH PLAIN\r\n", "AUTH": lambda line: b"535 5.7.8 bad credentials: " + line + b"\r\n"}
    with Scripted(b"220 mx\r\n", echo, tls_context=contexts["localhost"]) as server:
        result = probe(catalogue, "localhost", "hunter2", port=server.port, user=USER, implicit_tls=True, cafile=cafile)
    assert result.verdict.key == "auth-failed"
    assert any(line.startswith(b"AUTH PLAIN ") for line in server.received)  # it was sent, over TLS
    shown = repr([(step.command, step.reply) for step in result.steps])
    assert "hunter2" not in shown and "AUTH PLAIN ********" in shown
    assert "bad credentials: AUTH PLAIN ********" in shown
    with Scripted(b"220 mx\r\n", echo) as server:
        # Plain text: the probe refuses to send a password unencrypted at all.
        refused = probe(catalogue, LOOPBACK, "hunter2", port=server.port, user=USER, starttls="never")
    assert refused.verdict.key == "auth-needs-tls"
    assert not any(line.startswith(b"AUTH") for line in server.received)


def test_auth_without_a_password_source_is_one_clear_line(monkeypatch):
    monkeypatch.delenv("SMTPCODES_PASSWORD", raising=False)
    result = run("probe", LOOPBACK, "--auth", USER)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "SMTPCODES_PASSWORD" in result.stderr


# -- servers that misbehave ----------------------------------------------------------------------


def test_a_silent_server_cannot_hang_the_probe(catalogue):
    with Scripted(None) as server:
        result = probe(catalogue, LOOPBACK, port=server.port, timeout=0.5)
    assert (result.verdict.key, result.verdict.outcome) == ("timeout", "unreachable")
    assert result.steps[-1].stage == "banner" and result.steps[-1].status == "failed"


def test_a_server_that_stops_answering_mid_conversation(catalogue):
    with Scripted(b"220 mx\r\n", {"RCPT": None}) as server:
        result = probe(catalogue, LOOPBACK, rcpt="bob@example.test", port=server.port, timeout=0.5)
    assert result.verdict.key == "timeout" and result.steps[-1].stage == "rcpt"


def test_a_server_that_closes_mid_reply(catalogue):
    with Scripted(b"220-mx.example.test ESMTP\r\n220-still going", close_after_banner=True) as server:
        result = probe(catalogue, LOOPBACK, port=server.port, timeout=QUICK)
    assert (result.verdict.key, result.verdict.outcome) == ("connection-lost", "unreachable")
    assert result.steps[-1].reply.lines == ("220-mx.example.test ESMTP",)  # what did arrive is shown


def test_a_server_that_hangs_up_in_the_middle_of_a_multiline_reply(catalogue):
    def hang_up(line):
        raise OSError("closed")  # the scripted server closes the socket on an exception

    with Scripted(b"220 mx\r\n", {"EHLO": hang_up}) as server:
        result = probe(catalogue, LOOPBACK, port=server.port)
    assert (result.verdict.key, result.steps[-1].stage) == ("connection-lost", "ehlo")


def test_a_ten_megabyte_line_is_cut_off(catalogue):
    with Scripted(b"220 " + b"A" * 10_000_000 + b"\r\n") as server:
        result = probe(catalogue, LOOPBACK, port=server.port)
    assert (result.verdict.key, result.verdict.outcome) == ("reply-too-long", "unreachable")


def test_control_characters_are_escaped_everywhere(provider):
    banner = b"220 mx\x1b[31m\x07 \xe2\x80\xae evil\x00 ESMTP\r\n"
    with Scripted(banner, {"RCPT": b"550 5.1.1 \x1b]8;;http://x\x07no such user\x1b[0m\r\n"}) as server:
        human = run("probe", LOOPBACK, "--port", str(server.port), "--rcpt", "bob@example.test", "--timeout", "3")
        machine = run("probe", LOOPBACK, "--port", str(server.port), "--rcpt", "bob@example.test", "--json")
    assert human.exit_code == machine.exit_code == 4
    for output in (human.stdout, machine.stdout):
        assert "\x1b" not in output and "\x07" not in output and "\x00" not in output and "\u202e" not in output
    assert "\\x1b[31m" in human.stdout and "\\u202e" in human.stdout
    assert json.loads(machine.stdout)["steps"][2]["reply"]["lines"][0].startswith("220 mx\x1b[31m")


def test_endless_continuation_lines_are_bounded(catalogue):
    with Scripted(b"220-mx\r\n" + b"220-more\r\n" * 20_000 + b"220 end\r\n") as server:
        result = probe(catalogue, LOOPBACK, port=server.port)
    assert result.verdict.key == "reply-too-long"


def test_ehlo_refused_falls_back_to_helo(catalogue):
    with Scripted(b"220 old.example.test SMTP\r\n", {"EHLO": b"502 5.5.1 command not recognised\r\n"}) as server:
        result = probe(catalogue, LOOPBACK, rcpt="bob@example.test", port=server.port)
    assert result.verdict.key == "accepted"
    assert [(s.stage, s.status) for s in result.steps][2:5] == [("banner", "ok"), ("ehlo", "info"), ("helo", "ok")]


def test_a_refusal_at_the_greeting(catalogue):
    banner = b"554 5.7.1 mx.example.test: Client host 127.0.0.1 rejected: listed at b.barracudacentral.org\r\n"
    with Scripted(banner) as server:
        result = probe(catalogue, LOOPBACK, port=server.port)
    assert result.verdict.key == "blocklisted-named" and result.verdict.params["stage"] == "CONNECT"
    assert result.steps[-1].stage == "quit"  # a polite QUIT even after a refusal


def test_connection_refused(catalogue):
    port = free_port()  # nothing listens there any more
    result = probe(catalogue, LOOPBACK, port=port)
    assert (result.verdict.key, result.verdict.outcome) == ("refused", "unreachable")
    cli = run("probe", LOOPBACK, "--port", str(port), "--timeout", "2")
    assert cli.exit_code == 6 and "refused" in cli.stdout


def test_auth_login_when_plain_is_not_offered(catalogue, tls_files):
    import base64

    cafile, contexts = tls_files
    user64, secret64 = (base64.b64encode(text.encode()).decode() for text in (USER, PASSWORD))
    replies = {"EHLO": b"250-mx\r\n250 AUTH LOGIN\r\n", "AUTH": b"334 VXNlcm5hbWU6\r\n",
               user64.upper(): b"334 UGFzc3dvcmQ6\r\n", secret64.upper(): b"235 2.7.0 Authentication successful\r\n"}
    with Scripted(b"220 mx\r\n", replies, tls_context=contexts["localhost"]) as server:
        result = probe(catalogue, "localhost", PASSWORD, port=server.port, user=USER, implicit_tls=True, cafile=cafile)
    assert result.verdict.key == "reachable"
    assert [step.command for step in result.steps if step.stage == "auth"] == ["AUTH LOGIN", user64, "********"]
    assert secret64.encode() in server.received


@pytest.fixture(scope="module")
def blurter():
    with Scripted(b"", close_after_banner=True) as server:
        yield server


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(garbage=st.binary(max_size=300))
def test_any_bytes_from_a_server_end_in_a_verdict_never_a_crash(catalogue, blurter, garbage):
    blurter.banner = garbage  # sent as the greeting, then the server hangs up
    result = probe(catalogue, LOOPBACK, rcpt="bob@example.test", port=blurter.port, timeout=1.0)
    assert result.verdict.outcome in ("accepted", "rejected", "temporary", "unreachable")
    from smtpcodes.output.plain import document_text
    from smtpcodes.output.probeview import ProbeReport, probe_document

    shown = document_text(probe_document(ProbeReport(result, 0, catalogue.messages), catalogue.messages), 80)
    assert not any(ord(ch) < 32 and ch != "\n" or 0x7F <= ord(ch) < 0xA0 for ch in shown)


def test_an_ip_address_target_has_no_name_to_check(catalogue, tls_files):
    cafile, contexts = tls_files
    with smtp_server(tls_context=contexts["localhost"], require_starttls=True) as port:
        result = probe(catalogue, LOOPBACK, port=port, cafile=cafile, starttls="require")
    tls = next(step for step in result.steps if step.stage == "tls")
    assert (tls.note, tls.facts["name_matches"], result.verdict.key) == ("tls-ok-address", None, "reachable")


def test_text_injected_before_tls_is_never_read_as_a_reply_inside_it(catalogue, tls_files):
    """A man in the middle appending a reply to "220 ready" must not answer the encrypted EHLO."""
    cafile, contexts = tls_files
    replies = {"EHLO": b"250-mx\r\n250 STARTTLS\r\n", "STARTTLS": b"220 ready\r\n250 injected\r\n"}
    with Scripted(b"220 mx\r\n", replies, starttls_context=contexts["localhost"]) as server:
        result = probe(catalogue, "localhost", port=server.port, cafile=cafile, starttls="require")
    ehlos = [step for step in result.steps if step.stage == "ehlo"]
    assert len(ehlos) == 2 and ehlos[1].reply.lines == ("250-mx", "250 STARTTLS")
    assert result.verdict.key == "reachable"
