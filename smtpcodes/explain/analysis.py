"""Explain a whole reply: its codes, the reason behind it, verdicts, provider and advice."""

from typing import Literal, NamedTuple

from smtpcodes.catalogue.load import Catalogue
from smtpcodes.explain.lookup import explain_code
from smtpcodes.explain.matching import PatternSet
from smtpcodes.catalogue.model import Code
from smtpcodes.explain.replies import Reply, parse_reply

Bounce = Literal["hard", "soft"]


class Provider(NamedTuple):
    """A mail provider or server program recognisable from its replies."""

    id: str
    name: str
    advice: str
    docs: tuple[str, ...]
    reasons: dict[str, str]


class Analysis(NamedTuple):
    """A whole reply explained: codes, reason with evidence, verdicts and advice."""

    reply: Reply
    basic: Code | None  # None only for a status that carries an enhanced code alone
    enhanced: Code | None
    reason: str | None
    reason_title: str | None
    evidence: tuple[str, ...]
    retryable: bool | None
    bounce: Bounce | None
    provider: Provider | None
    stage: str | None
    diagnosis: str
    fix: tuple[str, ...]
    warnings: tuple[str, ...]


class Analyser:
    """Everything compiled from one catalogue that reply analysis needs, built once."""

    def __init__(self, catalogue: Catalogue):
        self.catalogue = catalogue
        self.rules = catalogue.rules
        tables = catalogue.data["_patterns"]
        self.rule_patterns = PatternSet(tables["rules"])
        self._rules_by_class: dict[int, frozenset[int]] = {}
        self.provider_ids = list(catalogue.providers)
        self.provider_patterns = PatternSet(tables["providers"])
        self._codes: dict[str, Code] = {}
        self._providers: dict[str, Provider] = {}
        self._verdicts: dict[tuple, tuple] = {}

    def code(self, text: str) -> Code:
        """Codes are immutable, so each is built once per catalogue."""
        code = self._codes.get(text)
        if code is None:
            code = self._codes[text] = explain_code(self.catalogue, text)
        return code

    def provider(self, pid: str) -> Provider:
        provider = self._providers.get(pid)
        if provider is None:
            raw = self.catalogue.providers[pid]
            provider = self._providers[pid] = Provider(
                pid, raw["name"], raw["advice"], tuple(raw.get("docs", ())), dict(raw.get("reasons", {}))
            )
        return provider

    def analyse(self, text: str, stage: str | None = None) -> Analysis:
        return self.analyse_reply(parse_reply(text, stage), text)

    def analyse_reply(self, reply: Reply, raw: str) -> Analysis:
        basic = self.code(reply.code) if reply.code else None
        enhanced = self.code(reply.enhanced) if reply.enhanced else None
        klass = (basic or enhanced).code_class.digit
        evidence: list[str] = []
        reason = self._reason(reply, basic, enhanced, klass, evidence) if klass in (4, 5) else None
        provider = self._provider(raw, evidence)
        # Everything below depends only on these five values, and real traffic repeats them.
        key = (reply.code, reply.enhanced, reason, provider.id if provider else None, reply.stage)
        verdicts = self._verdicts.get(key)
        if verdicts is None:
            verdicts = self._verdicts[key] = self._verdicts_for(basic, enhanced, reason, provider, reply.stage)
        reason_title, retryable, bounce, diagnosis, fix, warnings = verdicts
        return Analysis(
            reply, basic, enhanced, reason, reason_title, tuple(evidence), retryable, bounce, provider,
            reply.stage, diagnosis, fix, warnings,
        )

    def _verdicts_for(self, basic, enhanced, reason, provider, stage) -> tuple:
        main = basic or enhanced  # the basic code decides what the sending server does
        reasons = self.catalogue.reasons
        bounce = None
        if reason is not None:
            bounce = "hard" if main.retryable is False and reasons.get(reason, {}).get("hard") else "soft"
        stage_info = self.catalogue.data.get("stages", {}).get(stage or "", {})
        return (
            reasons[reason]["title"] if reason else None,
            main.retryable,
            bounce,
            self._diagnosis(main, reason, stage_info, bounce),
            self._fix(basic, enhanced, reason, provider),
            _warnings(basic, enhanced),
        )

    def _rules_for(self, klass: int) -> frozenset[int]:
        """The rules that apply to replies of one class."""
        found = self._rules_by_class.get(klass)
        if found is None:
            found = self._rules_by_class[klass] = frozenset(
                i for i, rule in enumerate(self.rules) if klass in rule.get("classes", (klass,))
            )
        return found

    def _reason(self, reply: Reply, basic: Code | None, enhanced: Code | None, klass: int, evidence: list[str]) -> str:
        found = self.rule_patterns.first(reply.text, self._rules_for(klass)) if reply.text else None
        if found is not None:
            index, matched = found
            rule = self.rules[index]
            evidence.append(f'text: "{matched.strip()}" ({rule["label"]})')
            return rule["reason"]
        for code in (enhanced, basic):
            if code is not None and code.reason:
                evidence.append(f"code: {code.code} usually means {code.reason} (no rule matched the text)")
                return code.reason
        evidence.append("nothing in the text or the codes points to a specific reason")
        return "other"

    def _provider(self, raw: str, evidence: list[str]) -> Provider | None:
        found = self.provider_patterns.first(raw)
        if found is None:
            return None
        index, matched = found
        provider = self.provider(self.provider_ids[index])
        evidence.append(f'provider: "{matched.strip()}" identifies {provider.name}')
        return provider

    def _diagnosis(self, main: Code, reason: str | None, stage_info: dict, bounce: str | None) -> str:
        if reason is None:
            return f"{main.code}: {main.title}. This is not a failure."
        parts = [self.catalogue.reasons[reason]["title"] + "."]
        if stage_info.get("advice"):
            parts.append(stage_info["advice"])
        if bounce == "hard":
            parts.append("The address itself is bad: remove it from your lists rather than retrying.")
        elif main.retryable:
            parts.append("This is temporary: the sending server keeps the message and retries.")
        else:
            parts.append("This is permanent: the message bounced; fix the cause before sending again.")
        return " ".join(parts)

    def _fix(self, basic, enhanced, reason, provider) -> tuple[str, ...]:
        steps: list[str] = []
        if provider is not None and reason in provider.reasons:
            steps.append(f"{provider.name}: {provider.reasons[reason]}")
        # The most specific code's steps: a known enhanced code says more than the basic one,
        # whose steps cover every cause it can have.
        specific = next((c for c in (enhanced, basic) if c is not None and c.known), enhanced or basic)
        steps.extend(step for step in specific.fix if step not in steps)
        return tuple(steps)


def _warnings(basic: Code | None, enhanced: Code | None) -> tuple[str, ...]:
    warnings: list[str] = []
    for code in (basic, enhanced):
        if code is not None:
            warnings.extend(code.warnings)
            if not code.known:
                warnings.append(f"{code.code} is not in the catalogue; it was explained from its digits")
    if basic is not None and enhanced is not None:
        b, e = basic.code_class.digit, enhanced.code_class.digit
        if b in (2, 3) and e in (4, 5):
            warnings.append(
                f"the basic code {basic.code} reports success but the enhanced code {enhanced.code} reports a failure;"
                " the basic code decides what the sending server does"
            )
        elif b in (4, 5) and e is not None and e != b:
            warnings.append(
                f"the classes disagree: {basic.code} is class {b} but {enhanced.code} is class {e}"
                " (RFC 3463 requires them to match); the basic code decides retrying"
            )
    return tuple(warnings)


def analyser_for(catalogue: Catalogue) -> Analyser:
    """The catalogue's analyser, built on first use."""
    analyser = getattr(catalogue, "_analyser", None)
    if analyser is None:
        analyser = catalogue._analyser = Analyser(catalogue)
    return analyser


def analyse_reply(catalogue: Catalogue, text: str, stage: str | None = None) -> Analysis:
    """Explain the SMTP reply in `text` (a pasted reply, a bounce line, a log line)."""
    return analyser_for(catalogue).analyse(text, stage)
