"""The probe as one call: check the input, plan from DNS, talk to each address, explain, decide."""

from __future__ import annotations

import re
import time
from typing import TYPE_CHECKING, Any

from smtpcodes.errors import BadInput
from smtpcodes.probe.dns import DnspythonResolver, Resolver, ip_literal, plan_destinations
from smtpcodes.probe.model import Options, ProbeResult, Step
from smtpcodes.probe.session import converse
from smtpcodes.probe.verdict import STAGE_NAMES, decide

if TYPE_CHECKING:
    from smtpcodes.catalogue.load import Catalogue

# Ends after which an MTA tries the next MX address (RFC 5321 §5.1): nothing was refused yet.
NEXT_ADDRESS = {"refused", "connect-timeout", "network-unreachable", "timeout", "connection-lost"}
# No new address is tried once this many timeouts' worth of time has gone: five silent MX hosts
# would otherwise keep a user waiting for minutes.
BUDGET_TIMEOUTS = 4
_LABEL = re.compile(r"(?!-)[^\s.@<>()\[\]\\,;:\"\x00-\x1f\x7f]{1,63}(?<!-)")
_LOCAL = re.compile(r"[^\s<>()\[\]\\,;:@\x00-\x1f\x7f]{1,64}|\"[^\"\\\x00-\x1f\x7f]{0,62}\"")


def check_options(options: Options) -> None:
    """Bad input raises BadInput before anything touches the network."""
    if not is_domain(options.target) and ip_literal(options.target) is None:
        raise BadInput("probe_target", target=options.target)
    if not 1 <= options.port <= 65535:
        raise BadInput("probe_port", port=options.port)
    if not 0 < options.timeout <= 600:
        raise BadInput("probe_timeout", timeout=options.timeout)
    for flag, address in (("--rcpt", options.rcpt), ("--from", options.sender)):
        if address is not None and not is_address(address):
            raise BadInput("probe_address", flag=flag, address=address)
    if options.ehlo is not None and not (is_domain(options.ehlo) or ip_literal(options.ehlo)):
        raise BadInput("probe_ehlo", ehlo=options.ehlo)


def is_domain(text: str) -> bool:
    name = text[:-1] if text.endswith(".") else text
    labels = name.split(".")
    return 0 < len(name) <= 253 and all(_LABEL.fullmatch(label) for label in labels)


def is_local(name: str) -> bool:
    lowered = name.lower().rstrip(".")
    return lowered == "localhost" or lowered.endswith(".localhost")


def is_address(text: str) -> bool:
    """An RFC 5321 mailbox, loosely: local part @ domain or address literal; no spaces or brackets."""
    local, at, domain = text.rpartition("@")
    if not at or len(text) > 254 or not _LOCAL.fullmatch(local):
        return False
    return is_domain(domain) or (domain.startswith("[") and ip_literal(domain) is not None)


def run_probe(catalogue: Catalogue, options: Options, password: str | None = None,
              resolver: Resolver | None = None) -> ProbeResult:
    """Probe `options.target`; the password is used for AUTH and never stored in the result."""
    check_options(options)
    if resolver is None and ip_literal(options.target) is None and not is_local(options.target):
        # an IP address or localhost needs no DNS (nor dnspython)
        resolver = DnspythonResolver(options.timeout)
    plan = plan_destinations(options, resolver)  # type: ignore[arg-type]
    steps: list[Step] = list(plan.steps)
    ends: list[str] = [plan.failure] if plan.failure else []
    started = time.monotonic()
    for destination in plan.destinations:
        if ends and time.monotonic() - started > BUDGET_TIMEOUTS * options.timeout:
            break
        attempt = converse(options, destination, password)
        if attempt.end == "retry-unverified":
            # An MTA encrypts opportunistically: an untrusted certificate is noted, then used anyway.
            steps.extend(attempt.steps)
            attempt = converse(options, destination, password, verify=False)
        steps.extend(attempt.steps)
        ends.append(attempt.end)
        if attempt.end not in NEXT_ADDRESS and not _greeting_deferred(attempt.steps):
            break
    steps = [_explained(catalogue, step) for step in steps]
    verdict = decide(options, steps, ends, _messages(catalogue, "probe-blocklists"))
    connected = [s for s in steps if s.stage == "connect" and s.status == "ok"]
    host = connected[-1].host if connected else None
    address = connected[-1].facts.get("address") if connected else None
    return ProbeResult(options, tuple(steps), verdict, host, address)


def _greeting_deferred(steps: list[Step]) -> bool:
    """A 4yz greeting (421 busy) sends an MTA on to the next MX, as a failed connection does."""
    refused = next((s for s in reversed(steps) if s.status == "failed"), None)
    return bool(refused and refused.stage == "banner" and refused.reply and refused.reply.code
                and 400 <= refused.reply.code < 500)


def _explained(catalogue: Catalogue, step: Step) -> Step:
    """The explain layer's analysis of the step's reply, for the stage it answered."""
    if step.reply is None or step.reply.code is None:
        return step
    from smtpcodes.explain.analysis import analyse_reply

    try:
        analysis = analyse_reply(catalogue, step.reply.text, stage=STAGE_NAMES.get(step.stage))
    except BadInput:
        return step
    return step._replace(analysis=analysis)


def _messages(catalogue: Catalogue, group: str) -> dict[str, Any]:
    table: dict[str, Any] = catalogue.data.get("messages", {}).get(group, {})
    return table
