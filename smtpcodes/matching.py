"""A prioritised set of regular expressions: which one, first in order, matches a text."""

from __future__ import annotations

import re
from typing import Sequence

try:  # The parser is private but stable across 3.11+; without it every pattern is simply tried.
    from re import _constants as sre_constants, _parser as sre_parse
except ImportError:  # pragma: no cover
    sre_parse = sre_constants = None


class PatternSet:
    """Finds the first pattern, in priority order, that matches somewhere in a text.

    Trying a hundred case-insensitive expressions on every line is slow, so each pattern
    is analysed once for literal text that every match must contain ("spamhaus", or one
    of "greylist"/"graylist"). A pattern is only run when one of its literals occurs in
    the lowercased text; a pattern with no such literal is always run.
    """

    def __init__(self, patterns: Sequence[str]):
        self._compiled = [re.compile(p, re.IGNORECASE) for p in patterns]
        self._literals = [required_literals(p) for p in patterns]

    def first(self, text: str) -> tuple[int, str] | None:
        """(index, matched text) of the highest-priority pattern found in `text`, or None."""
        lowered = text.lower()
        for index, literals in enumerate(self._literals):
            if literals is not None and not any(literal in lowered for literal in literals):
                continue
            match = self._compiled[index].search(text)
            if match:
                return index, match.group(0)
        return None


def required_literals(pattern: str) -> tuple[str, ...] | None:
    """Lowercase strings of which every match of `pattern` contains at least one, or None."""
    if sre_parse is None:
        return None
    try:
        parsed = sre_parse.parse(pattern, re.IGNORECASE)
    except re.error:
        return None
    found = _sequence(list(parsed))
    return tuple(sorted(found)) if found else None


def _sequence(items: list) -> set[str] | None:
    """The best literal set among the parts of a sequence: the one whose shortest string is longest."""
    candidates: list[set[str]] = []
    run: list[str] = []
    for op, argument in items:
        if op is sre_constants.LITERAL:
            run.append(chr(argument))
            continue
        if run:
            candidates.append({"".join(run).lower()})
            run = []
        inner = _element(op, argument)
        if inner:
            candidates.append(inner)
    if run:
        candidates.append({"".join(run).lower()})
    candidates = [c for c in candidates if all(c)]
    if not candidates:
        return None
    return max(candidates, key=lambda c: min(len(s) for s in c))


def _element(op, argument) -> set[str] | None:
    if op is sre_constants.SUBPATTERN:
        return _sequence(list(argument[-1]))
    if op is sre_constants.BRANCH:
        branches = [_sequence(list(branch)) for branch in argument[1]]
        if all(branches):
            return set().union(*branches)
        return None
    if op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT) and argument[0] >= 1:
        return _sequence(list(argument[2]))
    return None
