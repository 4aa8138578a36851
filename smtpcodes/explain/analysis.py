"""Explain a whole reply: its codes, the reason behind it, verdicts, provider and advice."""

from typing import Literal, NamedTuple

from smtpcodes.catalogue.load import Catalogue
from smtpcodes.catalogue.model import Code
from smtpcodes.errors import BadInput
from smtpcodes.explain.causes import Cause, Reasoner, from_codes
from smtpcodes.explain.lookup import explain_code
from smtpcodes.explain.matching import PatternSet
from smtpcodes.explain.replies import Reply, nested_reply, parse_reply, reported
from smtpcodes.explain.verdicts import CLIENT_STAGES, CONNECTION_STAGES, Wording, bounce, fix_steps, outcome, warnings

Bounce = Literal["hard", "soft"]
NOT_A_DELIVERY = CLIENT_STAGES + CONNECTION_STAGES


class Provider(NamedTuple):
    """A mail provider or server program recognisable from its replies."""

    id: str
    name: str
    advice: str
    docs: tuple[str, ...]
    reasons: dict[str, str]


class Nested(NamedTuple):
    """A reply quoted inside another (the last error a relay got before giving up)."""

    reply: Reply
    reason: str | None
    reason_title: str | None
    retryable: bool | None
    confidence: str | None


class Analysis(NamedTuple):
    """A whole reply explained: codes, reason with evidence, verdicts and advice."""

    reply: Reply
    basic: Code | None  # None for a status that carries an enhanced code alone, or no code at all
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
    confidence: str | None = None  # text, enhanced-code or basic-code; None for 2yz/3yz
    outcome: str | None = None  # accepted, continue, deferred, bounced, not-sent, retry-later
    nested: Nested | None = None
    cause: str | None = None  # "reply" or "nested": which reply the reason comes from


class Analyser:
    """Everything compiled from one catalogue that reply analysis needs, built once."""

    def __init__(self, catalogue: Catalogue):
        self.catalogue = catalogue
        data = catalogue.data
        tables = data["_patterns"]
        self.reasoner = Reasoner(catalogue.rules, tables["rules"], data.get("prefixes", []))
        self.provider_ids = list(catalogue.providers)
        self.provider_patterns = PatternSet(tables["providers"])
        self.wording = Wording(data.get("messages", {}).get("analysis", {}))
        reasons = catalogue.reasons
        self.client_reasons = frozenset(r for r, info in reasons.items() if info.get("client"))
        self.basic_codes = frozenset(key for key in catalogue.data.get("codes", {}) if key.isdigit())
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
        """Explain a parsed reply; `raw` is the text it came from (providers are recognised in it)."""
        basic = self.code(reply.code) if reply.code else None
        enhanced = self.code(reply.enhanced) if reply.enhanced else None
        main = basic or enhanced
        klass = main.code_class.digit if main is not None else None
        nested = cause_of = None
        if klass in (1, 4, 5, None):  # failures; 1yz is a vendor's "could not connect", never SMTP's
            cause, nested = self._cause(reply, basic, enhanced, klass)
            if main is None and cause is None:
                raise BadInput("error_no_reply", group="analysis")
            if nested is not None:
                cause_of = "nested" if cause is None or cause.reason in ("expired", "other") else "reply"
                if cause is None or cause.reason == "other":  # an expiry stays the reason; its cause is quoted
                    cause = self._cause_of_nested(nested)
            if cause is None or cause.weak:
                by_codes = from_codes(basic, enhanced)
                if cause is None or by_codes.confidence == "enhanced-code":
                    cause = by_codes
        else:
            cause = None
        evidence = [self.wording.say(key, **facts) for key, facts in cause.evidence] if cause else []
        provider = self._provider(raw, evidence)
        reason = cause.reason if cause else None
        confidence = cause.confidence if cause else None
        # Everything below depends only on these values, and real traffic repeats them.
        # Being quoted in a delivery report changes the verdicts only for replies that are not about
        # a message otherwise (the client's login, the connection, words without a code).
        in_report = (
            (main is None or (main.code_class.digit in (4, 5)
                              and (reason in self.client_reasons or reply.stage in NOT_A_DELIVERY)))
            and reported(raw)
        )
        key = (reply.code, reply.enhanced, reason, confidence, provider.id if provider else None, reply.stage,
               nested.reply.code if nested else None, nested.reason if nested else None, in_report)
        verdicts = self._verdicts.get(key)
        if verdicts is None:
            verdicts = self._verdicts[key] = self._verdicts_for(
                basic, enhanced, reason, confidence, provider, reply.stage, nested, in_report
            )
        reason_title, retryable, bounce, diagnosis, fix, warnings, result = verdicts
        return Analysis(
            reply, basic, enhanced, reason, reason_title, tuple(evidence), retryable, bounce, provider,
            reply.stage, diagnosis, fix, warnings, confidence, result, nested, cause_of,
        )

    def _cause(self, reply: Reply, basic, enhanced, klass) -> tuple[Cause | None, Nested | None]:
        """The reason the reply's own words give, and the reply it quotes, if any."""
        found = nested_reply(reply.text) if reply.text else None
        own, inner = (reply.text, None) if found is None else (reply.text[:found[0]], found[1])
        allowed = self.reasoner.allowed(klass, reply.code, reply.enhanced)
        cause = self.reasoner.from_text(own, allowed)
        if inner is None:
            return cause, None
        analysis = self.analyse_reply(inner, inner.text)
        return cause, Nested(inner, analysis.reason, analysis.reason_title, analysis.retryable, analysis.confidence)

    @staticmethod
    def _cause_of_nested(nested: Nested) -> Cause:
        """The quoted reply's reason, as the cause of the whole."""
        return Cause(nested.reason or "other", nested.confidence or "basic-code",
                     (("evidence_nested", {"code": nested.reply.code, "reason": nested.reason}),))

    def _verdicts_for(self, basic, enhanced, reason, confidence, provider, stage, nested, in_report) -> tuple:
        main = basic or enhanced  # the basic code decides what the sending server does
        reasons = self.catalogue.reasons
        info = reasons.get(reason, {}) if reason else {}
        klass = main.code_class.digit if main is not None else None
        retryable = main.retryable if main is not None else (info.get("codeless_class", 5) == 4)
        result = outcome(klass, reason, stage, self.client_reasons, in_report)
        bounce_verdict = bounce(result, retryable is False, self._hard_evidence(info, enhanced, confidence))
        # A stage's advice explains a refusal; a failed connection refused nothing.
        stage_info = self.catalogue.data.get("stages", {}).get(stage or "", {}) if result != "retry-later" else {}
        reason_title = info.get("title") if reason else None
        if main is None:  # words only: the reason's own title heads the diagnosis
            main = _Codeless(reason_title)
        quoted = (nested.reply.code or nested.reply.enhanced, nested.reason_title) if nested else None
        failure = result not in ("accepted", "continue")
        return (
            reason_title,
            retryable,
            bounce_verdict,
            self.wording.diagnosis(main, reason_title, result, bounce_verdict, confidence,
                                   stage_info.get("advice"), quoted),
            self._fix(basic, enhanced, reason, confidence, provider) if failure else (),
            warnings(self.wording, basic, enhanced),
            result,
        )

    @staticmethod
    def _hard_evidence(info: dict, enhanced: Code | None, confidence: str | None) -> bool:
        """The address itself is bad: words that say so, or an enhanced code that does (X.1.1,
        X.1.3 ...); a basic code alone is never evidence (README, "Confidence")."""
        if confidence in ("text", "enhanced-code") and info.get("hard"):
            return True
        return enhanced is not None and "X" + enhanced.code[1:] in info.get("hard_codes", ())

    def _provider(self, raw: str, evidence: list[str]) -> Provider | None:
        found = self.provider_patterns.first(raw)
        if found is None:
            return None
        index, matched = found
        provider = self.provider(self.provider_ids[index])
        evidence.append(self.wording.say("evidence_provider", matched=matched.strip(), name=provider.name))
        return provider

    def _fix(self, basic, enhanced, reason, confidence, provider) -> tuple[str, ...]:
        provider_step = None
        if provider is not None and reason in provider.reasons:
            provider_step = self.wording.say("provider_step", name=provider.name, advice=provider.reasons[reason])
        reason_steps = self.catalogue.reasons.get(reason, {}).get("fix", ()) if confidence != "basic-code" else ()
        if basic is None and enhanced is None:
            return tuple(([provider_step] if provider_step else []) + list(reason_steps))
        return fix_steps(basic, enhanced, provider_step, reason_steps, self.basic_codes)


class _Codeless(NamedTuple):
    """Stands in for the code of a reply that has none, for the diagnosis templates."""

    title: str | None
    code: str = "-"


def analyser_for(catalogue: Catalogue) -> Analyser:
    """The catalogue's analyser, built on first use."""
    analyser = getattr(catalogue, "_analyser", None)
    if analyser is None:
        analyser = catalogue._analyser = Analyser(catalogue)
    return analyser


def analyse_reply(catalogue: Catalogue, text: str, stage: str | None = None) -> Analysis:
    """Explain the SMTP reply in `text` (a pasted reply, a bounce line, a log line)."""
    return analyser_for(catalogue).analyse(text, stage)
