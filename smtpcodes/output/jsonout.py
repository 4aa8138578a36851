"""The JSON contract: plain dicts built from the model. Documented in README.md."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from smtpcodes.catalogue.model import Code, Level

if TYPE_CHECKING:
    from smtpcodes.explain.analysis import Analysis
    from smtpcodes.explain.compare import Comparison


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
    }


def comparison_object(comparison: Comparison) -> dict[str, Any]:
    return {
        "codes": [code_object(code) for code in comparison.codes],
        "summary": comparison.summary,
        "differences": [
            {
                "field": d.field,
                "label": d.label,
                "values": dict(zip((c.code for c in comparison.codes), d.values)),
                "explanation": d.explanation,
            }
            for d in comparison.differences
        ],
        "shared": list(comparison.shared),
        "actions": dict(zip((c.code for c in comparison.codes), comparison.actions)),
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


def _nested_object(nested) -> dict[str, Any] | None:
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
