"""probe against a real Postfix on a high loopback port, when Postfix is installed (skipped otherwise).

The tests never install Postfix. Running it needs root (its master drops privileges to the
`postfix` user) and a private configuration and queue directory, made here under tmp_path.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time

import pytest

from tests.probe_fixtures import LOOPBACK, free_port
from smtpcodes.probe.model import Options
from smtpcodes.probe.run import run_probe

POSTFIX = shutil.which("postfix") or next(
    (path for path in ("/usr/sbin/postfix", "/usr/local/sbin/postfix") if os.path.exists(path)), None
)

pytestmark = pytest.mark.skipif(POSTFIX is None, reason="Postfix is not installed on this machine (not installed by the tests)")


@pytest.fixture(scope="module")
def postfix(tmp_path_factory):
    if os.geteuid() != 0:
        pytest.skip("Postfix is installed but starting it needs root")
    root = tmp_path_factory.mktemp("postfix")
    port = free_port()
    config = root / "etc"
    config.mkdir()
    (config / "main.cf").write_text(
        "\n".join([
            "compatibility_level = 3.6",
            f"queue_directory = {root / 'spool'}",
            f"data_directory = {root / 'data'}",
            "inet_interfaces = loopback-only",
            "inet_protocols = ipv4",
            "myhostname = postfix.example.test",
            "mydestination = example.test",
            "mynetworks = 10.255.255.0/32",  # not loopback: the probe is an outside client
            "local_recipient_maps = inline:{ {postmaster@example.test = x} }",
            "smtpd_recipient_restrictions = reject_unauth_destination",
            "smtpd_tls_security_level = none",
            "maillog_file = /dev/null",
            "",
        ])
    )
    (config / "master.cf").write_text(
        f"{LOOPBACK}:{port} inet n - n - - smtpd\n"
        "pickup unix n - n 60 1 pickup\ncleanup unix n - n - 0 cleanup\nqmgr unix n - n 300 1 qmgr\n"
        "rewrite unix - - n - - trivial-rewrite\nbounce unix - - n - 0 bounce\ndefer unix - - n - 0 bounce\n"
        "trace unix - - n - 0 bounce\nverify unix - - n - 1 verify\nproxymap unix - - n - - proxymap\n"
        "anvil unix - - n - 1 anvil\nscache unix - - n - 1 scache\npostlog unix-dgram n - n - 1 postlogd\n"
    )
    env = {**os.environ, "MAIL_CONFIG": str(config)}
    started = subprocess.run([POSTFIX, "-c", str(config), "start"], capture_output=True, text=True, timeout=20, env=env)
    if started.returncode != 0:
        pytest.skip(f"Postfix did not start: {(started.stderr or started.stdout).strip()[:200]}")
    try:
        time.sleep(1.0)  # master forks smtpd on the first connection; give master its socket
        yield port
    finally:
        subprocess.run([POSTFIX, "-c", str(config), "stop"], capture_output=True, timeout=20, env=env)


@pytest.mark.parametrize(
    "rcpt, key",
    [("postmaster@example.test", "accepted"), ("nobody@example.test", "mailbox-unknown"),
     ("someone@elsewhere.test", "relay-denied")],
)
def test_postfix_answers(catalogue, postfix, rcpt, key):
    result = run_probe(catalogue, Options(LOOPBACK, rcpt=rcpt, sender="probe@client.test", port=postfix, timeout=5))
    assert result.verdict.key == key, [step.reply for step in result.steps]
    assert result.steps[-1].stage == "quit"
