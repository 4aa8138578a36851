"""What every match of a regular expression must contain: the literal text a prefilter can look
for before running it (see matching.PatternSet)."""

from __future__ import annotations

import re
from itertools import product
from typing import Any

try:  # The parser is private but stable across 3.11+; without it every pattern is simply tried.
    from re import _constants as sre_constants, _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    sre_parse = sre_constants = None

Element = tuple[Any, Any]  # (opcode, argument) of a parsed expression

MAX_EXPANSION = 64  # literal alternatives tracked per piece before giving up on exactness

Branches = list[tuple[str, tuple[str, ...] | None]]  # (alternative pattern, its required literals or None), ...


def index_pattern(pattern: str) -> Branches:
    """A pattern's top-level alternatives with the literals each requires."""
    return [(branch, required_literals(branch)) for branch in split_alternatives(pattern)]


def split_alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of `pattern` (`a|b(c|d)` gives `a` and `b(c|d)`)."""
    pieces, depth, start, index, in_class = [], 0, 0, 0, False
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if in_class:
            in_class = char != "]" or pattern[index - 1] == "["
        elif char == "[":
            in_class = True
            if pattern[index + 1:index + 2] == "^":
                index += 1
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            pieces.append(pattern[start:index])
            start = index + 1
        index += 1
    pieces.append(pattern[start:])
    # A piece that does not compile alone (an inline flag group, say) keeps the whole pattern.
    try:
        for piece in pieces:
            re.compile(piece)
    except re.error:
        return [pattern]
    return pieces


def required_literals(pattern: str) -> tuple[str, ...] | None:
    """Lowercase strings of which every match of `pattern` contains at least one, or None."""
    if sre_parse is None:
        return None
    try:
        parsed = sre_parse.parse(pattern, re.IGNORECASE)
    except re.error:
        return None
    found = _contained(list(parsed))
    return tuple(sorted(found)) if found else None


def _contained(items: list[Element]) -> set[str] | None:
    """The best literal set of a sequence: runs of exactly-known text, or what a part requires.
    Best is the set whose shortest string is longest, as it is the rarest in real text."""
    candidates: list[set[str]] = []
    current: set[str] = {""}
    for op, argument in items:
        exact = _exact(op, argument)
        if exact is not None and len(current) * len(exact) <= MAX_EXPANSION:
            current = {a + b for a, b in product(current, exact)}
            continue
        if all(current):
            candidates.append(current)
        current = {""}
        inner = _requirement(op, argument)
        if inner:
            candidates.append(inner)
    if all(current):
        candidates.append(current)
    # Literals are looked for in text whose white space runs are single spaces (\s+ is one
    # space there), so they are normalised the same way; one that is only white space is no use.
    candidates = [{" ".join(literal.split()) for literal in c} for c in candidates]
    candidates = [c for c in candidates if all(c)]
    if not candidates:
        return None
    return max(candidates, key=lambda c: min(len(s) for s in c))


def _requirement(op: Any, argument: Any) -> set[str] | None:
    """What an element that is not exactly known still requires a match to contain."""
    if op is sre_constants.SUBPATTERN:
        return _contained(list(argument[-1]))
    if op is sre_constants.BRANCH:
        required = [_contained(list(branch)) for branch in argument[1]]
        return set().union(*(found for found in required if found)) if all(required) else None
    if op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT) and argument[0] >= 1:
        return _contained(list(argument[2]))
    return None


def _is_space(op: Any, argument: Any) -> bool:
    return op is sre_constants.IN and argument == [(sre_constants.CATEGORY, sre_constants.CATEGORY_SPACE)]


def _exact(op: Any, argument: Any) -> set[str] | None:
    """Every string an element can match, lowercased and with white space as one space,
    when that is a small finite set."""
    if op is sre_constants.LITERAL:
        return {chr(argument).lower()}
    if _is_space(op, argument):
        return {" "}
    if op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT) and len(argument[2]) == 1 and _is_space(*argument[2][0]):
        return {" "} if argument[0] >= 1 else {"", " "}  # \s+ or \s*: one space once runs are collapsed
    if op is sre_constants.IN:
        if all(item_op is sre_constants.LITERAL for item_op, _ in argument) and len(argument) <= 8:
            return {chr(code).lower() for _, code in argument}
        return None
    if op is sre_constants.SUBPATTERN:
        return _exact_sequence(list(argument[-1]))
    if op is sre_constants.BRANCH:
        exact = [_exact_sequence(list(branch)) for branch in argument[1]]
        return set().union(*(found for found in exact if found is not None)) if None not in exact else None
    if op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT) and argument[1] == 1 and argument[0] in (0, 1):
        inner = _exact_sequence(list(argument[2]))
        if inner is None:
            return None
        return inner | {""} if argument[0] == 0 else inner
    return None


def _exact_sequence(items: list[Element]) -> set[str] | None:
    current: set[str] = {""}
    for op, argument in items:
        exact = _exact(op, argument)
        if exact is None or len(current) * len(exact) > MAX_EXPANSION:
            return None
        current = {a + b for a, b in product(current, exact)}
    return current
