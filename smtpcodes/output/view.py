"""What a human sees, as plain data: the wording and order shared by the rich and plain renderers.

Every heading, label and verdict comes from the catalogue's `[messages.*]` templates (`words`).
"""

from typing import TYPE_CHECKING, NamedTuple

from smtpcodes.catalogue.messages import Messages
from smtpcodes.catalogue.model import Code
from smtpcodes.explain.codewords import badge, headline, outcome, retry_words, verdict

if TYPE_CHECKING:
    from smtpcodes.explain.analysis import Analysis
    from smtpcodes.explain.compare import Comparison


class Section(NamedTuple):
    heading: str
    items: tuple[str, ...]
    bullets: bool = False
    verbatim: bool = False  # server text: shown line by line, never reflowed
    numbered: bool = False
    level: int = 1  # 2: a sub-heading under the level-1 heading before it
    badge: str = ""  # shown before the first item, coloured by `klass`
    klass: int | None = None


class Document(NamedTuple):
    title: str
    klass: int | None
    meta: tuple[tuple[str, str], ...]
    sections: tuple[Section, ...]
    badge: str = ""  # the class as a code shape: 5xx, 5.x.x
    headline: str = ""  # the verdict in one sentence
    footer: str = ""  # where the rest is, when this view is the short one


def _class_label(code: Code) -> str:
    klass = code.code_class
    return f"{klass.digit} {klass.name}" if klass.digit is not None else klass.name


def _aliases(code: Code) -> tuple[str, ...]:
    """The common names worth showing: those the title does not already say."""
    import re

    return tuple(alias for alias in code.aliases
                 if not re.search(rf"\b{re.escape(alias)}\b", code.title, re.IGNORECASE))


def _retry(words: Messages, code: Code) -> str:
    """The Retry line of a code; for an X.y.z subject it depends on the class it is sent with."""
    if code.kind == "enhanced" and code.code.startswith("X"):
        return words.text("verdicts", "retry_by_class")
    return retry_words(words, code.retryable)


def code_meta(words: Messages, code: Code, *, full: bool = True) -> tuple[tuple[str, str], ...]:
    label = words.text
    meta = [(label("labels", "class"), _class_label(code))]
    if full:
        category = label("labels", "subject" if code.kind == "enhanced" else "category")
        meta.append((category, f"{code.category.digit} {code.category.name}"))
    meta.append((label("labels", "retry"), _retry(words, code)))
    if full or not code.known:
        meta.append((label("labels", "status"), code.status or label("labels", "not_in_catalogue")))
    if _aliases(code):
        meta.append((label("labels", "also_known_as"), label("labels", "list_separator").join(_aliases(code))))
    if code.source != "built-in":  # an organisation's overlay changed it: always worth knowing
        meta.append((label("labels", "from"), code.source))
    return tuple(meta)


def code_sections(words: Messages, code: Code, *, full: bool = True) -> list[Section]:
    label = words.text
    joined = label("labels", "list_separator").join
    if not full:
        sections = [Section(label("labels", "what_it_means"), (code.description,))]
        sections.append(Section(label("labels", "what_to_do_first"), code.fix[:1], bullets=True))
        if code.warnings:
            sections.append(Section(label("labels", "warnings"), code.warnings, bullets=True))
        return sections
    sections = [
        Section(label("labels", "what_it_means"), (code.description,)),
        Section(label("labels", "when_you_see_it"), (code.when,)),
    ]
    if code.stages:
        sections.append(Section(label("labels", "seen_after"), (joined(code.stages),)))
    sections.append(Section(label("labels", "how_to_fix"), code.fix, bullets=True))
    if code.fix_by:
        sections.append(Section(label("labels", "who_acts"), (joined(label("actors", a) for a in code.fix_by),)))
    if code.notes:
        sections.append(Section(label("labels", "provider_notes"), tuple(f"{n.name}: {n.text}" for n in code.notes),
                                bullets=True))
    if code.classes:
        sections.append(Section(label("labels", "valid_classes"), (joined(f"{c}.x.x" for c in code.classes),)))
    if code.pairs_with:
        key = "usually_sent_with" if code.kind == "basic" else "basic_codes_it_goes_with"
        sections.append(Section(label("labels", key), (joined(code.pairs_with),)))
    if code.related:
        sections.append(Section(label("labels", "related_codes"), (joined(code.related),)))
    sections.append(Section(label("labels", "references"), (joined(code.references),)))
    if code.warnings:
        sections.append(Section(label("labels", "warnings"), code.warnings, bullets=True))
    return sections


def code_document(code: Code, words: Messages, *, full: bool = False) -> Document:
    """One code; the short view fits a 100x40 screen: meaning, verdict, first step."""
    return Document(
        title=f"{code.code}  {code.title}",
        klass=code.code_class.digit,
        meta=code_meta(words, code, full=full),
        sections=tuple(code_sections(words, code, full=full)),
        badge=badge(code),
        headline=headline(words, code),
        footer="" if full else words.text("labels", "more_sections"),
    )


def comparison_document(comparison: "Comparison", words: Messages) -> Document:
    """Shaped like the reference page: summary, each code, numbered differences, when to use which."""
    label = words.text
    codes = comparison.codes
    sections = [Section(label("labels", "summary"), (comparison.summary,))]
    for code in codes:
        names = label("labels", "list_separator").join(_aliases(code))
        heading = f"{code.code}  {code.title}" + (f" ({names})" if names else "")
        sections.append(Section(heading, (headline(words, code),), badge=badge(code), klass=code.code_class.digit))
        sections.append(Section(label("labels", "what_it_means"), (code.description,), level=2))
        sections.append(Section(label("labels", "when_you_see_it"), (code.when,), level=2))
        sections.append(Section(label("labels", "how_to_fix"), code.fix, bullets=True, level=2))
    # When the classes differ, the class sentence already says what is retried.
    fields = {d.field for d in comparison.differences}
    differences = [d for d in comparison.differences if not (d.field == "retryable" and "class" in fields)]
    if differences:
        items = tuple(f"{d.sentence} {d.explanation}" for d in differences)
        sections.append(Section(label("labels", "key_differences"), items, numbered=True))
    if not comparison.same:
        sections.append(Section(label("labels", "when_to_use_which"), comparison.uses, bullets=True))
    title = label("labels", "compare_title", codes=label("labels", "compare_joiner").join(c.code for c in codes))
    return Document(title, None, (), tuple(sections))


def comparison_rows(comparison: "Comparison", words: Messages) -> list[tuple[str, list[str]]]:
    """The side-by-side table: one row per aspect, one column per code."""
    codes = comparison.codes
    say = words.text
    return [
        (say("compare", "row_title"), [c.title for c in codes]),
        (say("compare", "row_class"), [_class_label(c) for c in codes]),
        (say("compare", "row_category"), [f"{c.category.digit} {c.category.name}" for c in codes]),
        (say("compare", "row_retry"), [retry_words(words, c.retryable) for c in codes]),
        (say("compare", "row_meaning"), [c.description for c in codes]),
        (say("compare", "row_when"), [c.when for c in codes]),
        (say("compare", "row_fix"), ["\n".join(c.fix) for c in codes]),
    ]


def analysis_document(analysis: "Analysis", words: Messages, *, full: bool = False) -> Document:
    """A whole reply; the short view: what the server said, the verdicts, the diagnosis, first steps."""
    label = words.text
    reply = analysis.reply
    codes = " ".join(code for code in (reply.code, reply.enhanced) if code)
    main = analysis.basic or analysis.enhanced  # input such as "dsn=5.1.1" carries no basic code
    verdicts = [
        (label("labels", "retry"), retry_words(words, analysis.retryable)),
        (label("labels", "bounce"), label("verdicts", f"bounce_{analysis.bounce}") if analysis.bounce
         else label("labels", "none")),
        # the id, as `scan --reason` takes it; its title is the document's title
        (label("labels", "reason"), analysis.reason or label("labels", "none")),
    ]
    if analysis.confidence:
        verdicts.append((label("labels", "confidence"), label("verdicts", f"confidence_{analysis.confidence}")))
    if analysis.provider:
        verdicts.append((label("labels", "provider"), analysis.provider.name))
    if analysis.stage:
        verdicts.append((label("labels", "stage"), analysis.stage))
    sections = [Section(label("labels", "server_said"), reply.lines or (reply.text,), verbatim=True)]
    if analysis.nested is not None:
        nested = analysis.nested.reply
        heading = label("labels", "quoted_reply_cause" if analysis.cause == "nested" else "quoted_reply")
        quoted = " ".join(code for code in (nested.code, nested.enhanced) if code)
        sections.append(Section(heading, (f"{quoted} {nested.text}".strip(),), verbatim=True))
    sections.append(Section(label("labels", "diagnosis"), (analysis.diagnosis,)))
    fix = analysis.fix if full else analysis.fix[:2]
    if fix:
        sections.append(Section(label("labels", "how_to_fix" if full else "what_to_do_first"), fix, bullets=True))
    if full and analysis.evidence:
        sections.append(Section(label("labels", "evidence"), analysis.evidence, bullets=True))
    for code in (analysis.basic, analysis.enhanced) if full else ():
        if code is not None:
            text = label("labels", "code_meaning", description=code.description, verdict=verdict(words, code))
            sections.append(Section(label("labels", "code_heading", code=code.code, title=code.title), (text,)))
    if full and analysis.provider:
        provider = analysis.provider
        sections.append(Section(label("labels", "about_provider", name=provider.name),
                                (provider.advice, *provider.docs)))
    if analysis.warnings:
        sections.append(Section(label("labels", "warnings"), analysis.warnings, bullets=True))
    footer = "" if full else label("labels", "more_reply")
    if main is None:  # a reply quoted without a code: explained from its words alone
        return Document(analysis.reason_title or "", None, tuple(verdicts), tuple(sections), footer=footer)
    title = f"{codes}  {analysis.reason_title or outcome(words, main).capitalize()}"
    return Document(title, main.code_class.digit, tuple(verdicts), tuple(sections), badge=badge(main),
                    headline=_reply_headline(words, analysis, main), footer=footer)


def _reply_headline(words: Messages, analysis: "Analysis", main: Code) -> str:
    """The verdict in one sentence, from what happened to the message rather than the class alone:
    a 535 to AUTH sent nothing, so it is no bounce."""
    if analysis.outcome == "retry-later":
        return words.text("verdicts", "headline_retry_later")
    if analysis.outcome == "not-sent" and main.code_class.digit in (4, 5):
        return words.text("verdicts", f"headline_{main.code_class.digit}_not_sent")
    return headline(words, main)
