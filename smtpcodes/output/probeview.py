"""The probe transcript as a Document: one section per step, then the verdict; wording from the catalogue."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from smtpcodes.output.view import Document, Section

if TYPE_CHECKING:
    from smtpcodes.probe.model import ProbeResult, Step

OUTCOME_WORDS = {"accepted": "accepted", "rejected": "rejected", "temporary": "temporary failure",
                 "unreachable": "could not reach"}
OUTCOME_CLASS = {"accepted": 2, "temporary": 4, "rejected": 5, "unreachable": None}
STATUS_MARKS = {"ok": "ok", "failed": "FAILED", "skipped": "skipped", "info": "note"}
STAGE_LABELS = {"dns": "DNS", "connect": "TCP connect", "banner": "Banner", "ehlo": "EHLO", "helo": "HELO",
                "starttls": "STARTTLS", "tls": "TLS", "auth": "AUTH", "mail": "MAIL FROM", "rcpt": "RCPT TO",
                "quit": "QUIT"}


class _Blank(dict):
    """A missing placeholder shows as '?' rather than failing: an overlay may reword a template."""

    def __missing__(self, key: str) -> str:
        return "?"


def message(templates: dict[str, str], key: str, params: dict[str, Any]) -> str:
    """Fill the template `key`; lists read as comma-separated, None as '-'."""
    template = templates.get(key)
    if template is None:
        return key
    values = _Blank({name: _shown(value) for name, value in params.items()})
    return template.format_map(values)


def _shown(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return ", ".join(str(item) for item in value) or "-"
    return "-" if value is None else value


def probe_messages(catalogue) -> tuple[dict[str, str], dict[str, str]]:
    """The verdict templates and the step templates."""
    messages = catalogue.data.get("messages", {})
    return messages.get("probe", {}), messages.get("probe-steps", {})


def verdict_text(result: ProbeResult, verdicts: dict[str, str]) -> str:
    return message(verdicts, f"verdict-{result.verdict.key}", result.verdict.params)


def step_text(step: Step, notes: dict[str, str]) -> str:
    return message(notes, step.note, step.params)


def probe_document(result: ProbeResult, catalogue) -> Document:
    verdicts, notes = probe_messages(catalogue)
    verdict = result.verdict
    options = result.options
    meta = [("Outcome", OUTCOME_WORDS[verdict.outcome]), ("Target", options.target), ("Port", str(options.port))]
    if result.host and result.host != result.address:
        meta.append(("Host", result.host))
    if result.address:
        meta.append(("Address", result.address))
    sections = [Section("Verdict", (verdict_text(result, verdicts),))]
    sections.extend(_step_section(step, notes) for step in result.steps)
    title = f"probe {options.target}: {OUTCOME_WORDS[verdict.outcome]}"
    return Document(title, OUTCOME_CLASS[verdict.outcome], tuple(meta), tuple(sections))


def _step_section(step: Step, notes: dict[str, str]) -> Section:
    """`C:` what was sent, `S:` every line the server answered, then what it means."""
    heading = f"{STAGE_LABELS.get(step.stage, step.stage)}: {STATUS_MARKS.get(step.status, step.status)}"
    if step.host and step.stage in ("dns", "connect"):
        heading += f" ({step.host})"
    items: list[str] = []
    if step.command:
        items.append(f"C: {step.command}")
    if step.reply is not None:
        items.extend(f"S: {line}" for line in step.reply.lines)
        if step.reply.truncated:
            items.append("S: [reply cut short: too long]")
    analysis = step.analysis
    if analysis is not None and analysis.reason is not None:
        confidence = getattr(analysis, "confidence", None)
        how_sure = f" (confidence: {confidence})" if confidence is not None else ""
        items.append(f"= {analysis.diagnosis}")
        items.append(f"= reason: {analysis.reason}{how_sure}")
    else:
        items.append(f"= {step_text(step, notes)}")
    return Section(heading, tuple(items), verbatim=True)
