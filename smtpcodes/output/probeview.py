"""The probe transcript as a Document: one section per step, then the verdict; wording from the catalogue."""

from typing import TYPE_CHECKING, Any, NamedTuple

from smtpcodes.output.view import Document, Section

if TYPE_CHECKING:
    from smtpcodes.catalogue.messages import Messages
    from smtpcodes.probe.model import ProbeResult, Step

OUTCOME_CLASS = {"accepted": 2, "temporary": 4, "rejected": 5, "unreachable": None}


class ProbeReport(NamedTuple):
    """A probe's result with the exit code it ends with and the words to tell it in."""

    result: "ProbeResult"
    exit_code: int
    words: "Messages"


class _Blank(dict[str, Any]):
    """A missing placeholder shows as '?' rather than failing: an overlay may reword a template."""

    def __missing__(self, key: str) -> str:
        return "?"


def message(words: "Messages", group: str, key: str, params: dict[str, Any]) -> str:
    """Fill the template `key`; lists read as comma-separated, None as '-'."""
    template = (words.table.get(group) or {}).get(key)
    if not isinstance(template, str):
        return key
    values = _Blank({name: _shown(value) for name, value in params.items()})
    return template.format_map(values)


def _shown(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return ", ".join(str(item) for item in value) or "-"
    return "-" if value is None else value


def verdict_text(result: "ProbeResult", words: "Messages") -> str:
    return message(words, "probe", f"verdict-{result.verdict.key}", dict(result.verdict.params))


def step_text(step: "Step", words: "Messages") -> str:
    return message(words, "probe-steps", step.note, dict(step.params))


def probe_document(report: ProbeReport, words: "Messages") -> Document:
    result = report.result
    verdict = result.verdict
    options = result.options
    say = words.text
    outcome = say("probe-view", f"outcome_{verdict.outcome}")
    meta = [(say("probe-view", "outcome"), outcome), (say("probe-view", "target"), options.target),
            (say("probe-view", "port"), str(options.port))]
    if result.host and result.host != result.address:
        meta.append((say("probe-view", "host"), result.host))
    if result.address:
        meta.append((say("probe-view", "address"), result.address))
    sections = [Section(say("probe-view", "verdict"), (verdict_text(result, words),))]
    sections.extend(_step_section(step, words) for step in result.steps)
    title = say("probe-view", "title", target=options.target, outcome=outcome)
    return Document(title, OUTCOME_CLASS[verdict.outcome], tuple(meta), tuple(sections))


def _step_section(step: "Step", words: "Messages") -> Section:
    """`C:` what was sent, `S:` every line the server answered, then what it means."""
    say = words.text
    stage = say("probe-view", f"stage_{step.stage}") if words.has("probe-view", f"stage_{step.stage}") else step.stage
    status = say("probe-view", f"status_{step.status}") if words.has("probe-view", f"status_{step.status}") \
        else step.status
    heading = say("probe-view", "step", stage=stage, status=status)
    if step.host and step.stage in ("dns", "connect"):
        heading = say("probe-view", "step_host", stage=stage, status=status, host=step.host)
    items: list[str] = []
    if step.command:
        items.append(f"C: {step.command}")
    if step.reply is not None:
        items.extend(f"S: {line}" for line in step.reply.lines)
        if step.reply.truncated:
            items.append("S: " + say("probe-view", "cut_short"))
    analysis = step.analysis
    if analysis is not None and analysis.reason is not None:
        confidence = getattr(analysis, "confidence", None)
        items.append(f"= {analysis.diagnosis}")
        key = "reason_confidence" if confidence is not None else "reason"
        items.append("= " + say("probe-view", key, reason=analysis.reason, confidence=confidence))
    else:
        items.append(f"= {step_text(step, words)}")
    return Section(heading, tuple(items), verbatim=True)
