"""From the transcript to the answer: a [messages.probe] key, its parameters and the outcome."""

from __future__ import annotations

import re
from typing import Any

from smtpcodes.probe.model import Options, Outcome, Step, Verdict

# A catalogue reason that has a verdict of its own; every other refusal gets the generic one.
REASON_VERDICTS = {
    "mailbox-unknown": "mailbox-unknown", "mailbox-disabled": "mailbox-disabled", "mailbox-full": "mailbox-full",
    "domain-unknown": "domain-unknown", "blocked": "blocklisted", "greylisted": "greylisted",
    "tls-required": "tls-required", "auth-required": "auth-required", "auth-failed": "auth-failed",
    "relay-denied": "relay-denied", "rate-limited": "rate-limited", "reverse-dns": "reverse-dns",
    "sender-rejected": "sender-rejected",
}
SUCCESS = {"accepted", "reachable", "sender-accepted"}
# Every verdict key a probe can end with; each has a `verdict-KEY` template in [messages.probe].
VERDICT_KEYS = frozenset({
    *SUCCESS, *REASON_VERDICTS.values(), "blocklisted-named", "greylisted-wait", "refused-permanent",
    "refused-temporary", "port25-blocked", "nxdomain", "no-mx-no-address", "no-address", "null-mx",
    "mx-unresolved", "dns-failure", "refused", "connect-timeout", "network-unreachable", "timeout",
    "connection-lost", "reply-too-long", "bad-reply", "tls-unavailable", "cert-mismatch", "cert-untrusted",
    "cert-expired", "tls-handshake-failed", "tls-timeout", "auth-needs-tls", "auth-not-offered",
})
REFUSALS = {"null-mx", "tls-unavailable", "auth-needs-tls", "auth-not-offered"}
# Everything else that ends a probe before a reply refused it: DNS, TCP, TLS and broken servers.
# The wait a greylisting server asks for: "try again in 5 minutes", "retry in 300 seconds".
_WAIT = re.compile(
    r"(?:again|retry|later|wait)\D{0,20}?(\d{1,5})\s*(s|secs?|seconds?|m|mins?|minutes?)\b", re.IGNORECASE
)
STAGE_NAMES = {"banner": "CONNECT", "ehlo": "EHLO", "helo": "EHLO", "starttls": "STARTTLS", "auth": "AUTH",
               "mail": "MAIL", "rcpt": "RCPT", "quit": "QUIT"}


def decide(options: Options, steps: list[Step], ends: list[str], blocklists: dict[str, str]) -> Verdict:
    """The verdict for the whole probe, from how each attempt ended and the last refusal."""
    base: dict[str, Any] = {"target": options.target, "rcpt": options.rcpt or "", "sender": options.sender or "",
                            "port": options.port}
    last = ends[-1] if ends else "mx-unresolved"
    if last in SUCCESS:
        host = next((s.host for s in reversed(steps) if s.stage == "connect"), None)
        address = next((s.facts.get("address") for s in reversed(steps) if s.stage == "connect"), "")
        return Verdict(last, "accepted", {**base, "host": host or address, "address": address})
    if last == "reply":
        address = next((s.facts.get("address") for s in reversed(steps) if s.stage == "connect"), "")
        return _refusal(base, next(s for s in reversed(steps) if s.status == "failed"), blocklists, address)
    if ends and all(end == "connect-timeout" for end in ends) and options.port == 25:
        # Every MX timing out on 25 (and only on 25) is the signature of an outbound block.
        return Verdict("port25-blocked", "unreachable", base, "network")
    failed = next((s for s in reversed(steps) if s.status == "failed"), None)
    params = {**base, **(failed.params if failed else {})}
    outcome: Outcome = "rejected" if last in REFUSALS else "unreachable"
    reason = "tls-required" if last == "tls-unavailable" else ("domain-unknown" if last == "null-mx" else None)
    return Verdict(last, outcome, params, reason or ("network" if outcome == "unreachable" else None))


def _refusal(base: dict[str, Any], step: Step, blocklists: dict[str, str], address: str) -> Verdict:
    analysis = step.analysis
    reply = step.reply
    code = reply.code if reply else None
    outcome: Outcome = "rejected" if code is not None and code >= 500 else "temporary"
    reason = analysis.reason if analysis is not None else None
    key = REASON_VERDICTS.get(reason or "", "refused-permanent" if outcome == "rejected" else "refused-temporary")
    params = {
        **base, "code": code, "enhanced": analysis.reply.enhanced if analysis else None,
        "stage": STAGE_NAMES.get(step.stage, step.stage.upper()), "host": step.host or address,
        "reason_title": (analysis.reason_title if analysis else None) or "",
    }
    text = reply.text if reply else ""
    if key == "blocklisted":
        listed = blocklist_named(text, blocklists)
        if listed:
            key, params["list"] = "blocklisted-named", listed
    elif key == "greylisted":
        seconds = wait_seconds(text)
        if seconds is not None:
            key, params["seconds"] = "greylisted-wait", seconds
            params["minutes"] = max(1, round(seconds / 60))
    return Verdict(key, outcome, params, reason)


def blocklist_named(text: str, blocklists: dict[str, str]) -> str | None:
    """The name of the first known blocklist the reply mentions (the catalogue lists them)."""
    lowered = text.lower()
    return next((name for token, name in blocklists.items() if token.lower() in lowered), None)


def wait_seconds(text: str) -> int | None:
    match = _WAIT.search(text)
    if match is None:
        return None
    number, unit = int(match.group(1)), match.group(2).lower()
    return number * 60 if unit.startswith("m") else number
