"""Compare codes: differences and similarities derived from their data, never written per pair.

Every sentence is a `[messages.compare]` template of the catalogue filled with the codes' data.
"""

from typing import Any, Callable, Mapping, NamedTuple, Sequence

from smtpcodes.catalogue.messages import Messages
from smtpcodes.catalogue.model import Code
from smtpcodes.explain.codewords import badge, consequence, outcome, retry_words, verdict


class Difference(NamedTuple):
    """One way in which compared codes differ, with the value for each code."""

    field: str
    label: str
    values: tuple[str, ...]
    explanation: str  # why the difference matters
    sentence: str  # the difference said in a sentence naming each code


class Comparison(NamedTuple):
    """The result of comparing two or more codes."""

    codes: tuple[Code, ...]
    summary: str
    differences: tuple[Difference, ...]
    shared: tuple[str, ...]
    actions: tuple[str, ...]
    uses: tuple[str, ...]  # per code: when you meet it and what to do
    same: bool  # every code given is the same one


def _values(words: Messages) -> dict[str, Callable[[Code], str]]:
    """How each compared field is shown as a value (for the JSON `values` and the shared list)."""
    def klass(c: Code) -> str:
        return f"{badge(c)} ({outcome(words, c)})"

    return {
        "kind": lambda c: c.kind,
        "class": klass,
        "category": lambda c: f"{c.category.digit} {c.category.name}",
        "retryable": lambda c: retry_words(words, c.retryable),
        "status": lambda c: c.status or words.text("statuses", "unknown"),
        "stages": lambda c: ", ".join(c.stages) or words.text("labels", "none"),
        "fix_by": lambda c: ", ".join(c.fix_by) or words.text("labels", "none"),
        "reason": lambda c: c.reason or words.text("labels", "none"),
    }


def _clause(words: Messages, field: str, code: Code, reasons: Mapping[str, Any]) -> str:
    """One code's part of a difference sentence."""
    say = words.text
    if field == "kind":
        return say("compare", f"kind_{code.kind}", code=code.code)
    if field == "class":
        return say("compare", "class_clause", code=code.code, outcome=outcome(words, code), badge=badge(code),
                   consequence=consequence(words, code))
    if field == "category":
        return say("compare", "category_clause", code=code.code, name=code.category.name, digit=code.category.digit)
    if field == "retryable":
        key = {True: "retry_yes", False: "retry_no", None: "retry_none"}[code.retryable]
        return say("compare", key, code=code.code)
    if field == "status":
        return say("compare", "status_clause", code=code.code, status=say("statuses", code.status or "unknown"))
    if field == "stages":
        if not code.stages:
            return say("compare", "stages_unknown", code=code.code)
        return say("compare", "stages_clause", code=code.code, stages=_joined(words, code.stages))
    if field == "fix_by":
        if not code.fix_by:
            return say("compare", "fix_by_unknown", code=code.code)
        if code.fix_by == ("nobody",):
            return say("compare", "fix_by_nobody", code=code.code)
        actors = _joined(words, [say("actors", a) for a in code.fix_by if a != "nobody"], last=True)
        return say("compare", "fix_by_clause", code=code.code, actors=actors)
    if not code.reason:
        return say("compare", "reason_none", code=code.code)
    reason = reasons.get(code.reason, {}).get("title") or code.reason
    return say("compare", "reason_clause", code=code.code, reason=reason)


def _joined(words: Messages, items: Sequence[str], *, last: bool = False) -> str:
    """Items joined by the list separator; `last` joins the final two as a phrase ("a, b and c")."""
    separator = words.text("labels", "list_separator")
    if not last or len(items) < 2:
        return separator.join(items)
    return separator.join(items[:-1]) + words.text("labels", "list_last_separator") + items[-1]


def _sentence(words: Messages, clauses: Sequence[str]) -> str:
    if len(clauses) == 2:
        return words.text("compare", "clause_join_pair", first=clauses[0], second=clauses[1])
    return words.text("compare", "clause_join_many", clauses=words.text("compare", "clause_separator").join(clauses))


FIELDS = ("kind", "class", "category", "retryable", "status", "stages", "fix_by", "reason")


def compare_codes(codes: Sequence[Code], words: Messages, reasons: Mapping[str, Any] | None = None) -> Comparison:
    """How `codes` differ and what to do for each; a code given twice is compared once."""
    unique = tuple({code.code: code for code in codes}.values())
    value_of = _values(words)
    differences, shared = [], []
    for field in FIELDS:
        values = tuple(value_of[field](code) for code in unique)
        label = words.text("compare", f"label_{field}")
        if len(set(values)) > 1:
            sentence = _sentence(words, [_clause(words, field, code, reasons or {}) for code in unique])
            differences.append(Difference(field, label, values, words.text("compare", f"why_{field}"), sentence))
        else:
            shared.append(words.text("compare", "shared", label=label, value=values[0]))
    same = len(unique) == 1
    return Comparison(
        codes=unique,
        summary=_summary(words, unique, differences),
        differences=tuple(differences),
        shared=tuple(shared),
        actions=tuple(code.fix[0] if code.fix else words.text("compare", "no_fix") for code in unique),
        uses=tuple(_use(words, code) for code in unique),
        same=same,
    )


def _first_sentence(text: str) -> str:
    """The opening sentence of a catalogue description: the summary quotes no more."""
    end = text.find(". ")
    return text if end < 0 else text[: end + 1]


def _summary(words: Messages, codes: Sequence[Code], differences: list[Difference]) -> str:
    say = words.text
    if len(codes) == 1:
        code = codes[0]
        return say("compare", "same_code", code=code.code, title=code.title, verdict=verdict(words, code))
    outcomes = {outcome(words, code) for code in codes}
    if len(outcomes) == 1:
        fields = _joined(words, [say("compare", f"field_{d.field}") for d in differences])
        fields = fields or say("compare", "summary_nothing_differs")
        if len(codes) == 2:
            opening = say("compare", "summary_same_outcome_pair", first=codes[0].code, second=codes[1].code,
                          outcome=outcomes.pop(), fields=fields)
        else:
            opening = say("compare", "summary_same_outcome", codes=_joined(words, [c.code for c in codes]),
                          outcome=outcomes.pop(), fields=fields)
    elif len(codes) == 2:
        first, second = codes
        opening = say("compare", "summary_pair", first=first.code, first_title=first.title,
                      first_verdict=verdict(words, first), second=second.code, second_title=second.title,
                      second_verdict=verdict(words, second))
    else:
        opening = " ".join(say("compare", "summary_each", code=c.code, title=c.title, verdict=verdict(words, c))
                           for c in codes)
    contrast = len(codes) == 2  # "in contrast" reads well between two codes, not along a list
    meanings = [say("compare", "summary_contrast" if contrast and index else "summary_meaning", code=code.code,
                    meaning=_first_sentence(code.description)) for index, code in enumerate(codes)]
    return " ".join([opening, *meanings, *_pairing(words, codes)])


def _pairing(words: Messages, codes: Sequence[Code]) -> list[str]:
    """Say when a basic and an enhanced code are usually sent together, or cannot be."""
    notes = []
    for basic in (c for c in codes if c.kind == "basic"):
        for enhanced in (c for c in codes if c.kind == "enhanced"):
            key = "X" + enhanced.code[1:]
            together = key in basic.pairs_with or basic.code in enhanced.pairs_with
            if basic.code_class.digit in (4, 5) and enhanced.code_class.digit not in (None, basic.code_class.digit):
                notes.append(words.text("compare", "pair_conflict", basic=basic.code, enhanced=enhanced.code))
            elif together:
                notes.append(words.text("compare", "pair_together", basic=basic.code, enhanced=enhanced.code))
    return notes


def _use(words: Messages, code: Code) -> str:
    """When you meet the code and what to do about it."""
    say = words.text
    if code.stages and "ANY" not in code.stages:
        when = say("compare", "when_stages", stages=_joined(words, code.stages))
    else:
        when = say("compare", "when_any")
    digit = code.code_class.digit
    if digit == 2:
        return say("compare", "use_success", code=code.code, title=code.title, when_clause=when)
    if digit in (4, 5) and code.fix:
        return say("compare", "use_failure", code=code.code, title=code.title, when_clause=when,
                   first_fix=code.fix[0])
    return say("compare", "use_other", code=code.code, title=code.title, when_clause=when,
               consequence=consequence(words, code))

