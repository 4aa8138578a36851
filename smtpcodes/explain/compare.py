"""Compare codes: differences and similarities derived from their data, never written per pair."""

from typing import Callable, NamedTuple, Sequence

from smtpcodes.catalogue.model import Code


class Difference(NamedTuple):
    """One way in which compared codes differ, with the value for each code."""

    field: str
    label: str
    values: tuple[str, ...]
    explanation: str


class Comparison(NamedTuple):
    """The result of comparing two or more codes."""

    codes: tuple[Code, ...]
    summary: str
    differences: tuple[Difference, ...]
    shared: tuple[str, ...]
    actions: tuple[str, ...]


OUTCOMES = {
    None: ("class-independent code", "the class digit the server sends decides what happens"),
    1: ("preliminary reply", "not a result yet"),
    2: ("success", "nothing to fix"),
    3: ("intermediate reply", "the server is waiting for the next step"),
    4: ("temporary failure", "the sending server keeps the message and retries"),
    5: ("permanent failure", "the message bounces and must not be resent unchanged"),
}
EXPLANATIONS = {
    "kind": "A basic code (three digits) is the reply itself; an enhanced code (class.subject.detail) refines it.",
    "class": "The first digit decides what happens next: 2 done, 3 send more, 4 retry later, 5 give up.",
    "category": "The second number says which part of the system the reply is about.",
    "retryable": "Only temporary (4) failures are retried; permanent (5) failures bounce at once.",
    "status": "Standard codes mean the same on every server; others depend on who sent them.",
    "stages": "When in the SMTP conversation the code appears tells you what was refused.",
    "fix_by": "Who has to act to clear it.",
    "reason": "The usual cause behind the code when the server's text says nothing more.",
}


def outcome(code: Code) -> str:
    """What the code's class means for the message, in two words."""
    return OUTCOMES.get(code.code_class.digit, OUTCOMES[None])[0]


def verdict(code: Code) -> str:
    """The outcome with its consequence."""
    name, consequence = OUTCOMES.get(code.code_class.digit, OUTCOMES[None])
    return f"a {name}: {consequence}"


def _class(code: Code) -> str:
    digit = code.code_class.digit
    return f"{digit} ({outcome(code)})" if digit is not None else "X (any class)"


def _category(code: Code) -> str:
    return f"{code.category.digit} {code.category.name}"


def _retryable(code: Code) -> str:
    return {True: "yes (temporary)", False: "no (permanent)"}.get(code.retryable, "not a failure")


FIELDS: tuple[tuple[str, str, Callable[[Code], str]], ...] = (
    ("kind", "Kind", lambda c: c.kind),
    ("class", "Class", _class),
    ("category", "Category / subject", _category),
    ("retryable", "Retry", _retryable),
    ("status", "Status", lambda c: c.status or "not in the catalogue"),
    ("stages", "Seen after", lambda c: ", ".join(c.stages) or "unknown"),
    ("fix_by", "Who acts", lambda c: ", ".join(c.fix_by) or "unknown"),
    ("reason", "Usual reason", lambda c: c.reason or "none"),
)


def compare_codes(codes: Sequence[Code]) -> Comparison:
    """How `codes` differ and what to do for each."""
    differences = []
    shared = []
    for field, label, value_of in FIELDS:
        values = tuple(value_of(code) for code in codes)
        if len(set(values)) > 1:
            differences.append(Difference(field, label, values, EXPLANATIONS[field]))
        else:
            shared.append(f"{label}: {values[0]}")
    return Comparison(
        codes=tuple(codes),
        summary=_summary(codes, differences),
        differences=tuple(differences),
        shared=tuple(shared),
        actions=tuple(code.fix[0] if code.fix else "Read the server's text." for code in codes),
    )


def _summary(codes: Sequence[Code], differences: list[Difference]) -> str:
    parts = [f"{code.code} ({code.title}) is {verdict(code)}" for code in codes]
    sentence = "; ".join(parts) + "."
    if len({outcome(code) for code in codes}) == 1:
        differing = ", ".join(d.label.lower() for d in differences) or "nothing the catalogue records"
        names = " and ".join(c.code for c in codes) if len(codes) == 2 else ", ".join(c.code for c in codes)
        sentence = f"{'Both' if len(codes) == 2 else 'All of'} {names} are {outcome(codes[0])}s; they differ in {differing}."
    pairing = _pairing(codes)
    return f"{sentence} {pairing}".strip()


def _pairing(codes: Sequence[Code]) -> str:
    """Say when a basic and an enhanced code are usually sent together, or cannot be."""
    notes = []
    for basic in (c for c in codes if c.kind == "basic"):
        for enhanced in (c for c in codes if c.kind == "enhanced"):
            key = "X" + enhanced.code[1:]
            together = key in basic.pairs_with or basic.code in enhanced.pairs_with
            if basic.code_class.digit in (4, 5) and enhanced.code_class.digit not in (None, basic.code_class.digit):
                notes.append(f"{basic.code} and {enhanced.code} cannot come together: their classes disagree.")
            elif together:
                notes.append(f"{basic.code} and {enhanced.code} are often sent together, the enhanced code refining the basic one.")
    return " ".join(notes)
