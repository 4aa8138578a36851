"""What a reply means for the message (outcome, bounce), and the diagnosis, advice and warnings,
worded from the catalogue's `[messages.analysis]` templates."""

import re
from typing import Sequence

from smtpcodes.catalogue.model import CLIENT_STAGES, CONNECTION_STAGES, Code

# Codes named inside a fix step ("on 530, issue STARTTLS", "let 4.0.0 retry", "for 5.7.x").
_MENTION = re.compile(r"(?<![\d.])([245]\d\d|[245X]\.\d{1,3}\.(?:\d{1,3}|x))(?![\d.]?\d)")


def outcome(klass: int | None, reason: str | None, stage: str | None, client_reasons: frozenset[str],
            reported: bool) -> str:
    """What happened to the message: accepted, continue, deferred, bounced, not-sent or retry-later.
    A reply quoted in a delivery report answered a delivery, so it is deferred or bounced."""
    if klass == 2:
        return "accepted"
    if klass == 3:
        return "continue"
    if klass == 1:
        return "retry-later"  # 1yz is no SMTP reply: vendors use it for "could not connect"
    if reported:
        return "deferred" if klass == 4 or (klass is None and reason == "network") else "bounced"
    if stage in CLIENT_STAGES or (reason in client_reasons and stage not in ("RCPT", "DATA", "BDAT")):
        return "not-sent"  # the client's login or encryption failed: fix the client
    if klass == 4 and stage in CONNECTION_STAGES:
        return "retry-later"  # the connection was deferred; the message waits in the queue
    if klass is None:  # a failure with no code: a DNS or connection problem, from the words
        return "retry-later" if reason == "network" else "bounced"
    return "deferred" if klass == 4 else "bounced"


def bounce(result: str, permanent: bool, hard_evidence: bool) -> str | None:
    """`hard` only for a permanent failure of a delivery with evidence the address is bad."""
    if result not in ("deferred", "bounced"):
        return None
    return "hard" if permanent and hard_evidence else "soft"


class Wording:
    """The `[messages.analysis]` templates, filled in with facts."""

    def __init__(self, messages: dict[str, str]):
        self.messages = messages
        self._said: dict[tuple[object, ...], str] = {}  # replies repeat their evidence ("User unknown"), so fill each once

    def say(self, key: str, **facts: object) -> str:
        """The template `key` filled with `facts`."""
        memo = (key, *facts.values())
        said = self._said.get(memo)
        if said is None:
            template = self.messages.get(key)
            # A catalogue without the template still explains; the key shows what is missing.
            said = key if template is None else template.format(**facts)
            if len(self._said) < 4096:
                self._said[memo] = said
        return said

    def diagnosis(self, main: Code, reason_title: str | None, result: str, hard: str | None,
                  confidence: str | None, stage_advice: str | None, nested: tuple[str, str] | None) -> str:
        """What happened and what it means, from the outcome, reason, stage and quoted reply."""
        if result in ("accepted", "continue"):
            return self.say(f"outcome_{result}", code=main.code, title=main.title)
        parts = [self.say("reason_sentence", title=reason_title)]
        if nested is not None:
            parts.append(self.say("nested_cause", code=nested[0], title=nested[1]))
        if stage_advice:
            parts.append(stage_advice)
        key = "outcome_bounced_hard" if hard == "hard" else f"outcome_{result}"
        parts.append(self.say(key, code=main.code))
        if confidence == "basic-code":
            parts.append(self.say("low_confidence", code=main.code))
        return " ".join(parts)


def fix_steps(basic: Code | None, enhanced: Code | None, provider_step: str | None, reason_steps: Sequence[str],
              known: frozenset[str] = frozenset()) -> tuple[str, ...]:
    """Advice for this reply only: the provider's, the reason's, then the most specific code's
    steps without those that name some other code."""
    steps: list[str] = [provider_step] if provider_step else []
    specific = next((c for c in (enhanced, basic) if c is not None and c.known), enhanced or basic)
    if specific is None:  # a reply without any code: the reason's advice alone
        return tuple(dict.fromkeys([*steps, *reason_steps]))
    codes = [c.code for c in (basic, enhanced) if c is not None]
    # Only real reply codes count as mentions: "port 587" names no code.
    code_steps = [
        step for step in specific.fix
        if _applies([m for m in _MENTION.findall(step) if "." in m or m in known], codes)
    ]
    # A private or specific enhanced code's own steps say more than the reason's general one.
    first, then = (code_steps, reason_steps) if specific.kind == "enhanced" and specific.status == "private" \
        else (reason_steps, code_steps)
    for step in (*first, *then):
        if step not in steps:
            steps.append(step)
    return tuple(steps)


def _applies(mentioned: list[str], codes: list[str]) -> bool:
    """A step that names codes applies when it names this reply's own: its basic code when the
    step names basic codes ("on 530, issue STARTTLS" is not for a 421), else its enhanced code."""
    if not mentioned:
        return True
    basic = [m for m in mentioned if "." not in m]
    reply_basic = [c for c in codes if "." not in c]
    if basic and reply_basic:
        return any(m in reply_basic for m in basic)
    return any(_same(m, code) for m in mentioned for code in codes)


def _same(mention: str, code: str) -> bool:
    """Whether a code named in advice ("5.7.x", "X.1.1", "550") covers this reply's code."""
    if "." not in mention:
        return mention == code
    m_class, m_subject, m_detail = mention.split(".")
    parts = code.split(".")
    if len(parts) != 3:
        return False
    return (m_class in ("X", parts[0])) and m_subject == parts[1] and m_detail in ("x", parts[2])


def warnings(wording: Wording, basic: Code | None, enhanced: Code | None) -> tuple[str, ...]:
    """The codes' own warnings and the contradictions between them."""
    found: list[str] = []
    for code in (basic, enhanced):
        if code is not None:
            found.extend(code.warnings)
            if not code.known:
                found.append(wording.say("warning_unlisted", code=code.code))
    if basic is not None and enhanced is not None:
        b, e = basic.code_class.digit, enhanced.code_class.digit
        if b in (2, 3) and e in (4, 5):
            found.append(wording.say("warning_success_with_failure", basic=basic.code, enhanced=enhanced.code))
        elif b in (4, 5) and e is not None and e != b:
            found.append(wording.say("warning_classes_disagree", basic=basic.code, enhanced=enhanced.code, b=b, e=e))
    return tuple(found)
