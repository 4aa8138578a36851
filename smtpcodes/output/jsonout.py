"""The JSON contract: plain dicts built from the model. Documented in README.md."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Callable

from smtpcodes.catalogue.model import Code, Level

if TYPE_CHECKING:
    from smtpcodes.catalogue.validate import Validation
    from smtpcodes.explain.analysis import Analysis
    from smtpcodes.explain.compare import Comparison
    from smtpcodes.explain.listing import Listing
    from smtpcodes.explain.search import SearchResults


def dumps(document: Any, *, lines: bool = False) -> str:
    """Serialise; ASCII-only so that no raw control or bidi character reaches a terminal."""
    if lines:
        return json.dumps(document, ensure_ascii=True, separators=(",", ":"))
    return json.dumps(document, ensure_ascii=True, indent=2)


def _level(level: Level) -> dict[str, Any]:
    return {"digit": level.digit, "name": level.name}


def code_object(code: Code) -> dict[str, Any]:
    """One code: the same shape for basic and enhanced, known and unlisted codes."""
    return {
        "code": code.code,
        "kind": code.kind,
        "known": code.known,
        "status": code.status,
        "standard": code.status == "standard",
        "title": code.title,
        "class": _level(code.code_class),
        "category": _level(code.category),
        "retryable": code.retryable,
        "description": code.description,
        "when": code.when,
        "fix": list(code.fix),
        "fix_by": list(code.fix_by),
        "references": list(code.references),
        "related": list(code.related),
        "pairs_with": list(code.pairs_with),
        "classes": list(code.classes),
        "stages": list(code.stages),
        "reason": code.reason,
        "provider": code.provider,
        "notes": [{"provider": n.provider, "name": n.name, "text": n.text} for n in code.notes],
        "source": code.source,
        "warnings": list(code.warnings),
        "aliases": list(code.aliases),
    }


def comparison_object(comparison: Comparison) -> dict[str, Any]:
    return {
        "codes": [code_object(code) for code in comparison.codes],
        "summary": comparison.summary,
        "differences": [
            {
                "field": d.field,
                "label": d.label,
                "values": dict(zip((c.code for c in comparison.codes), d.values, strict=True)),
                "explanation": d.explanation,
                "sentence": d.sentence,
            }
            for d in comparison.differences
        ],
        "shared": list(comparison.shared),
        "actions": dict(zip((c.code for c in comparison.codes), comparison.actions, strict=True)),
        "when_to_use": dict(zip((c.code for c in comparison.codes), comparison.uses, strict=True)),
        "same": comparison.same,
    }


def analysis_object(analysis: Analysis) -> dict[str, Any]:
    reply = analysis.reply
    provider = analysis.provider
    return {
        "kind": "reply",
        "reply": {
            "code": reply.code,
            "enhanced": reply.enhanced,
            "text": reply.text,
            "lines": list(reply.lines),
        },
        "basic": code_object(analysis.basic) if analysis.basic else None,
        "enhanced": code_object(analysis.enhanced) if analysis.enhanced else None,
        "reason": analysis.reason,
        "reason_title": analysis.reason_title,
        "evidence": list(analysis.evidence),
        "retryable": analysis.retryable,
        "bounce": analysis.bounce,
        "provider": (
            {"id": provider.id, "name": provider.name, "advice": provider.advice, "docs": list(provider.docs)}
            if provider
            else None
        ),
        "stage": analysis.stage,
        "diagnosis": analysis.diagnosis,
        "fix": list(analysis.fix),
        "warnings": list(analysis.warnings),
        "confidence": analysis.confidence,
        "outcome": analysis.outcome,
        "nested": _nested_object(analysis.nested),
        "cause": analysis.cause,
    }


def _nested_object(nested: Any) -> dict[str, Any] | None:
    """A reply quoted inside the reply (the last error before a relay gave up)."""
    if nested is None:
        return None
    reply = nested.reply
    return {
        "code": reply.code,
        "enhanced": reply.enhanced,
        "text": reply.text,
        "reason": nested.reason,
        "reason_title": nested.reason_title,
        "retryable": nested.retryable,
        "confidence": nested.confidence,
    }


def search_object(results: SearchResults) -> dict[str, Any]:
    return {
        "query": results.query,
        "results": [{"score": h.score, "matched": list(h.matched), "code": code_object(h.code)} for h in results.hits],
    }


def validation_object(validation: Validation) -> dict[str, Any]:
    document = {"file": validation.path, "valid": not validation.problems, "problems": list(validation.problems),
                **validation.counts}
    if validation.languages is not None:
        document["languages"] = languages_object(validation.languages)["languages"]
    return document


def languages_object(report: Any) -> dict[str, Any]:
    return {"languages": [{**coverage_object(c), "interface": _counts(i), "catalogue": _counts(c)}
                          for i, c in zip(report.interface, report.catalogue, strict=True)]}


def _counts(coverage: Any) -> dict[str, Any]:
    return {"total": coverage.total, "translated": coverage.translated, "percent": round(coverage.percent, 1),
            "stale": list(coverage.stale), "missing": len(coverage.missing)}


def coverage_object(coverage: Any) -> dict[str, Any]:
    lang = coverage.language
    return {"tag": lang.tag, "name": lang.name, "native": lang.native, "direction": lang.direction}


def listing_array(listing: Listing) -> list[dict[str, Any]]:
    return [code_object(code) for code in listing.codes]


def probe_object(report: Any) -> dict[str, Any]:
    """A whole probe: options (never the password), every step with its explanation, the verdict."""
    from smtpcodes.output.probeview import step_text, verdict_text

    result, exit_code, words = report
    options = result.options
    verdict = result.verdict
    return {
        "kind": "probe",
        "target": options.target,
        "options": {
            "rcpt": options.rcpt, "from": options.sender, "port": options.port, "starttls": options.starttls,
            "implicit_tls": options.uses_implicit_tls, "auth_user": options.user, "ehlo": options.ehlo,
            "timeout": options.timeout,
        },
        "host": result.host,
        "address": result.address,
        "verdict": {
            "key": verdict.key, "outcome": verdict.outcome, "reason": verdict.reason,
            "text": verdict_text(result, words), "params": dict(verdict.params), "exit_code": exit_code,
        },
        "steps": [
            {
                "stage": step.stage, "status": step.status, "note": step.note, "text": step_text(step, words),
                "host": step.host, "command": step.command,
                "reply": (
                    {"code": step.reply.code, "lines": list(step.reply.lines), "truncated": step.reply.truncated}
                    if step.reply is not None else None
                ),
                "facts": dict(step.facts),
                "explanation": analysis_object(step.analysis) if step.analysis is not None else None,
                "confidence": getattr(step.analysis, "confidence", None),
            }
            for step in result.steps
        ],
    }


BUILDERS: dict[str, Callable[[Any], Any]] = {
    "Code": code_object,
    "Analysis": analysis_object,
    "Comparison": comparison_object,
    "Listing": listing_array,
    "SearchResults": search_object,
    "Validation": validation_object,
    "LanguageReport": languages_object,
    "ProbeReport": probe_object,
}


def to_json(result: Any) -> Any:
    """The JSON document of any command's result; a dict or list is already one (the scan summary)."""
    if isinstance(result, (dict, list)):
        return result
    return BUILDERS[type(result).__name__](result)
