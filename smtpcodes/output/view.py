"""What a human sees, as plain data: the wording and order shared by the rich and plain renderers."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from smtpcodes.explain.compare import Comparison, outcome, verdict
from smtpcodes.catalogue.model import Code

if TYPE_CHECKING:
    from smtpcodes.explain.analysis import Analysis

ACTOR_NAMES = {
    "sender": "the sender",
    "sending-admin": "the sending server's admin",
    "client-developer": "the client's developer",
    "recipient": "the recipient",
    "receiving-admin": "the receiving server's admin",
    "nobody": "nobody",
}
RETRY_WORDS = {True: "yes, temporary", False: "no, permanent", None: "not a failure"}
# An enhanced code typed with X as its class (X.1.1) names a subject, not an outcome.
RETRY_BY_CLASS = "depends on the class: 4.x.x temporary, 5.x.x permanent, 2.x.x success"


def retry_words(code: Code) -> str:
    """The Retry line of a code, which for an X.y.z subject depends on the class it is sent with."""
    if code.kind == "enhanced" and code.code.startswith("X"):
        return RETRY_BY_CLASS
    return RETRY_WORDS[code.retryable]


class Section(NamedTuple):
    heading: str
    items: tuple[str, ...]
    bullets: bool = False
    verbatim: bool = False  # server text: shown line by line, never reflowed


class Document(NamedTuple):
    title: str
    klass: int | None
    meta: tuple[tuple[str, str], ...]
    sections: tuple[Section, ...]


def _class_label(code: Code) -> str:
    klass = code.code_class
    return f"{klass.digit} {klass.name}" if klass.digit is not None else klass.name


def code_meta(code: Code) -> tuple[tuple[str, str], ...]:
    category = "Subject" if code.kind == "enhanced" else "Category"
    meta = [
        ("Class", _class_label(code)),
        (category, f"{code.category.digit} {code.category.name}"),
        ("Retry", retry_words(code)),
        ("Status", code.status or "not in the catalogue"),
    ]
    if code.source != "built-in":
        meta.append(("From", code.source))
    return tuple(meta)


def code_sections(code: Code) -> list[Section]:
    sections = [Section("What it means", (code.description,)), Section("When you see it", (code.when,))]
    if code.stages:
        sections.append(Section("Seen after", (", ".join(code.stages),)))
    sections.append(Section("How to fix", code.fix, bullets=True))
    if code.fix_by:
        sections.append(Section("Who acts", (", ".join(ACTOR_NAMES.get(a, a) for a in code.fix_by),)))
    if code.notes:
        sections.append(Section("Provider notes", tuple(f"{n.name}: {n.text}" for n in code.notes), bullets=True))
    if code.classes:
        sections.append(Section("Valid classes", (", ".join(f"{c}.x.x" for c in code.classes),)))
    if code.pairs_with:
        label = "Usually sent with" if code.kind == "basic" else "Basic codes it goes with"
        sections.append(Section(label, (", ".join(code.pairs_with),)))
    if code.related:
        sections.append(Section("Related codes", (", ".join(code.related),)))
    sections.append(Section("References", (", ".join(code.references),)))
    if code.warnings:
        sections.append(Section("Warnings", code.warnings, bullets=True))
    return sections


def code_document(code: Code) -> Document:
    return Document(f"{code.code}  {code.title}", code.code_class.digit, code_meta(code), tuple(code_sections(code)))


def comparison_document(comparison: Comparison, *, with_rows: bool = False) -> Document:
    """The comparison as sections; `with_rows` adds the side-by-side table as lists, for plain text."""
    codes = comparison.codes
    sections = [Section("Summary", (comparison.summary,))]
    if with_rows:
        for label, values in comparison_rows(comparison):
            items = [f"{c.code}: {line}" for c, value in zip(codes, values) for line in value.split("\n")]
            sections.append(Section(label, tuple(items), bullets=True))
    if comparison.differences:
        sections.append(
            Section(
                "Key differences",
                tuple(
                    f"{d.label}: " + "; ".join(f"{c.code} {v}" for c, v in zip(codes, d.values)) + f". {d.explanation}"
                    for d in comparison.differences
                ),
                bullets=True,
            )
        )
    if comparison.shared:
        sections.append(Section("In common", comparison.shared, bullets=True))
    sections.append(
        Section("What to do", tuple(f"{c.code}: {a}" for c, a in zip(codes, comparison.actions)), bullets=True)
    )
    title = "Compare " + " vs ".join(c.code for c in codes)
    return Document(title, None, (), tuple(sections))


def comparison_rows(comparison: Comparison) -> list[tuple[str, list[str]]]:
    """The side-by-side table: one row per aspect, one column per code."""
    codes = comparison.codes
    return [
        ("Title", [c.title for c in codes]),
        ("Class", [_class_label(c) for c in codes]),
        ("Category", [f"{c.category.digit} {c.category.name}" for c in codes]),
        ("Retry", [RETRY_WORDS[c.retryable] for c in codes]),
        ("Meaning", [c.description for c in codes]),
        ("When", [c.when for c in codes]),
        ("Fix", ["\n".join(c.fix) for c in codes]),
    ]


def analysis_document(analysis: Analysis) -> Document:
    reply = analysis.reply
    codes = " ".join(code for code in (reply.code, reply.enhanced) if code)
    main = analysis.basic or analysis.enhanced  # input such as "dsn=5.1.1" carries no basic code
    verdicts = [
        ("Retry", RETRY_WORDS[analysis.retryable]),
        ("Bounce", analysis.bounce or "none"),
        ("Reason", analysis.reason or "none"),
    ]
    if analysis.confidence:
        verdicts.append(("Confidence", analysis.confidence))
    if analysis.provider:
        verdicts.append(("Provider", analysis.provider.name))
    if analysis.stage:
        verdicts.append(("Stage", analysis.stage))
    sections = [Section("Server said", reply.lines or (reply.text,), verbatim=True)]
    if analysis.nested is not None:
        nested = analysis.nested.reply
        label = "Quoted reply (the cause)" if analysis.cause == "nested" else "Quoted reply"
        quoted = " ".join(code for code in (nested.code, nested.enhanced) if code)
        sections.append(Section(label, (f"{quoted} {nested.text}".strip(),), verbatim=True))
    sections += [
        Section("Diagnosis", (analysis.diagnosis,)),
    ]
    if analysis.fix:
        sections.append(Section("How to fix", analysis.fix, bullets=True))
    if analysis.evidence:
        sections.append(Section("Evidence", analysis.evidence, bullets=True))
    for code in (analysis.basic, analysis.enhanced):
        if code is not None:
            sections.append(
                Section(f"{code.code}: {code.title}", (f"{code.description} ({verdict(code)}.)",))
            )
    if analysis.provider:
        provider = analysis.provider
        sections.append(Section(f"About {provider.name}", (provider.advice, *provider.docs)))
    if analysis.warnings:
        sections.append(Section("Warnings", analysis.warnings, bullets=True))
    heading = analysis.reason_title or (outcome(main).capitalize() if main is not None else "")
    title = f"{codes}  {heading}" if codes else heading
    return Document(title, main.code_class.digit if main is not None else None, tuple(verdicts), tuple(sections))
