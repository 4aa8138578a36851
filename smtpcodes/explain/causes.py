"""The reason behind a reply's words: generic prefixes set aside, rules tried specific to generic."""

import re
from typing import Any, NamedTuple

from smtpcodes.catalogue.model import Code
from smtpcodes.explain.matching import PatternSet

Confidence = str  # "text", "enhanced-code" or "basic-code"; see README ("Confidence")


class Cause(NamedTuple):
    """A reason with what it rests on: the confidence level and one evidence template per fact."""

    reason: str
    confidence: Confidence
    evidence: tuple[tuple[str, dict[str, str]], ...]  # (messages.analysis key, its placeholders)
    weak: bool = False  # from a prefix alone: a specific enhanced code outranks it


class Prefix(NamedTuple):
    """A generic prefix such as Postfix's `Sender address rejected:`: it says which address or
    host was refused, never why, so the words after it decide the reason."""

    role: str
    regex: re.Pattern[str]
    fallback: str | None  # the reason when nothing after it is recognised
    weak: bool
    remap: dict[str, str]  # reasons that mean something else for this role (a sender's unknown domain)


class Reasoner:
    """Finds the reason for a reply from its words, then from its codes."""

    def __init__(self, rules: list[dict[str, Any]], table: dict[str, Any], prefixes: list[dict[str, Any]]):
        self.rules = rules
        self.patterns = PatternSet(table)
        self.prefixes = [
            Prefix(p["role"], re.compile(p["pattern"], re.IGNORECASE), p.get("fallback"), p.get("weak", False),
                   dict(p.get("remap", {})))
            for p in prefixes
        ]
        # Cheap test before the prefix expressions: the words every generic prefix contains.
        # Each prefix's words share a rare token ("rejected", "unavailable"): plain substring tests
        # of the lowercased text rule most replies out faster than any expression.
        self._words = [tuple(w.lower() for w in p.get("words", ())) for p in prefixes]
        self._prefix_tokens = _shared_tokens([w for words in self._words for w in words])
        self._allowed: dict[tuple[int | None, str | None, str | None], frozenset[int]] = {}

    def allowed(self, klass: int | None, basic: str | None, enhanced: str | None) -> frozenset[int]:
        """The rules that apply to a reply of this class with these codes."""
        key = (klass, basic, enhanced)
        found = self._allowed.get(key)
        if found is None:
            codes = {basic, enhanced, "X" + enhanced[1:] if enhanced else None} - {None}
            found = self._allowed[key] = frozenset(
                i for i, rule in enumerate(self.rules)
                if (klass is None or klass in rule.get("classes", (klass,)))
                and ("codes" not in rule or codes & set(rule["codes"]))
            )
        return found

    def from_text(self, text: str, allowed: frozenset[int]) -> Cause | None:
        """The reason the words give, or None when no rule recognises them."""
        if not text:
            return None
        found_prefix = self._prefix(text)
        evidence: list[tuple[str, dict[str, str]]] = []
        said = ""
        if found_prefix is not None:
            match = found_prefix[1]
            said = match.group(0).strip()
            evidence.append(("evidence_prefix", {"prefix": said}))
            text = text[:match.start()] + " : " + text[match.end():]
        prefix = found_prefix[0] if found_prefix else None
        found = self.patterns.first(text, allowed)
        if found is None:
            if prefix is None or prefix.fallback is None:
                return None
            evidence.append(("evidence_prefix_fallback", {"prefix": said, "reason": prefix.fallback}))
            return Cause(prefix.fallback, "text", tuple(evidence), prefix.weak)
        index, matched = found
        rule = self.rules[index]
        reason: str = rule["reason"]
        evidence.append(("evidence_text", {"matched": matched.strip(), "label": rule["label"]}))
        if prefix is not None and reason in prefix.remap:
            reason = prefix.remap[reason]
            evidence.append(("evidence_prefix_role", {"prefix": said, "reason": reason}))
        return Cause(reason, "text", tuple(evidence))

    def _prefix(self, text: str) -> tuple[Prefix, re.Match[str]] | None:
        lowered = text.lower()
        if not any(map(lowered.__contains__, self._prefix_tokens)):
            return None
        for prefix, words in zip(self.prefixes, self._words, strict=True):
            if not any(map(lowered.__contains__, words)):
                continue
            match = prefix.regex.search(text)
            if match:
                return prefix, match
        return None


def _shared_tokens(phrases: list[str]) -> tuple[str, ...]:
    """Few words of which every phrase contains one, most shared first."""
    counts: dict[str, int] = {}
    for phrase in phrases:
        for token in set(phrase.split()):
            counts[token] = counts.get(token, 0) + 1
    chosen: list[str] = []
    for phrase in phrases:
        if not any(token in phrase.split() for token in chosen):
            chosen.append(max(phrase.split(), key=lambda t: (counts[t], len(t))))
    return tuple(chosen)


def from_codes(basic: Code | None, enhanced: Code | None) -> Cause:
    """The reason the codes alone suggest: a specific known enhanced code, else the basic code."""
    if enhanced is not None and enhanced.known and enhanced.reason and enhanced.reason != "other":
        return Cause(enhanced.reason, "enhanced-code",
                     (("evidence_code", {"code": enhanced.code, "reason": enhanced.reason}),))
    for code in (basic, enhanced):
        if code is not None and code.reason:
            return Cause(code.reason, "basic-code", (("evidence_code", {"code": code.code, "reason": code.reason}),))
    return Cause("other", "basic-code", (("evidence_nothing", {}),))
