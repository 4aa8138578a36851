"""A prioritised set of regular expressions: which one, first in order, matches a text."""

from __future__ import annotations

import re
from itertools import product
from typing import Sequence

try:  # The parser is private but stable across 3.11+; without it every pattern is simply tried.
    from re import _constants as sre_constants, _parser as sre_parse
except ImportError:  # pragma: no cover
    sre_parse = sre_constants = None

TRIE_AFTER = 64  # texts looked at before the `anywhere` literals are searched all at once
MAX_EXPANSION = 64  # literal alternatives tracked per piece before giving up on exactness


Branches = list  # [(alternative pattern, its required literals or None), ...] for one pattern


def index_pattern(pattern: str) -> Branches:
    """A pattern's top-level alternatives with the literals each requires."""
    return [(branch, required_literals(branch)) for branch in split_alternatives(pattern)]


def build_index(indexed: Sequence[Branches]) -> dict:
    """The lookup tables of a PatternSet, as plain data so that the catalogue cache can keep
    them: building them is a loop over every literal, which a single explanation cannot afford."""
    branches: list[tuple[int, str]] = []
    always: list[int] = []  # alternatives that need no literal
    unlocks: dict[str, list[int]] = {}  # literal -> alternatives that need it (or another)
    for index, alternatives in enumerate(indexed):
        for branch, literals in alternatives:
            position = len(branches)
            branches.append((index, branch))
            if literals is None:
                always.append(position)
            for literal in literals or ():
                unlocks.setdefault(literal, []).append(position)
    by_word: dict[str, list[tuple[str, list[int]]]] = {}
    anywhere: list[tuple[str, list[int]]] = []
    for literal, positions in unlocks.items():
        later_words = [word for word in literal.split(" ")[1:] if len(word) >= 4]
        if later_words:
            by_word.setdefault(max(later_words, key=len)[:4], []).append((literal, positions))
        else:
            anywhere.append((literal, positions))
    return {"branches": branches, "always": always, "by_word": by_word, "anywhere": anywhere}


class PatternSet:
    """Finds the first pattern, in priority order, that matches somewhere in a text.

    Trying hundreds of case-insensitive expressions on every line is slow. So each pattern is
    split into its top-level alternatives, and each alternative is known to require some literal
    text in every match ("spamhaus", "relay access denied"; see index_pattern). Only alternatives
    whose literal occurs in the text (lowercased, white space runs made one space), and those
    that need none, are compiled and run, in priority order. A pattern matches when any of its
    alternatives does, so the answer is exactly what trying the whole patterns in order gives.

    Finding the literals present is itself the cost, so phrases are indexed by a later word: in
    the text that word begins a space-separated token, so only phrases whose word start occurs
    among the tokens' first four characters are looked for. Single words are looked for directly.
    """

    def __init__(self, index: dict):
        self._branches = index["branches"]
        self._always = index["always"]
        self._by_word = index["by_word"]
        self._anywhere = index["anywhere"]
        self._compiled: dict[str, re.Pattern[str]] = {}
        self._calls = 0
        self._trie: re.Pattern[str] | None = None  # all `anywhere` literals at once, built when busy
        self._found_with: dict[str, list[list[int]]] = {}

    @classmethod
    def of(cls, patterns: Sequence[str]) -> "PatternSet":
        return cls(build_index([index_pattern(pattern) for pattern in patterns]))

    def _candidates(self, text: str) -> list[int]:
        tokens = text.lower().split()
        lowered = " ".join(tokens)
        found = set(self._always)
        by_word = self._by_word
        for start in by_word.keys() & {token[:4] for token in tokens}:
            for literal, positions in by_word[start]:
                if literal in lowered:
                    found.update(positions)
        if self._trie is None:
            self._calls += 1
            if self._calls <= TRIE_AFTER:
                for literal, positions in self._anywhere:
                    if literal in lowered:
                        found.update(positions)
                return sorted(found)
            self._build_trie()
        found_with = self._found_with
        for match in self._trie.finditer(lowered):
            for positions in found_with[match.group(1)]:
                found.update(positions)
        return sorted(found)

    def _build_trie(self) -> None:
        """One expression that finds, at every position, the longest `anywhere` literal starting
        there; every literal that is a prefix of it starts there too. Compiling it costs a few
        milliseconds, so a single explanation never pays for it: only a busy set (scan, the
        benchmark) builds it."""
        literals = [literal for literal, _ in self._anywhere]
        positions = {literal: found for literal, found in self._anywhere}
        self._found_with = {
            literal: [positions[other] for other in literals if literal.startswith(other)] for literal in literals
        }
        self._trie = re.compile("(?=(" + _trie_pattern(literals) + "))") if literals else re.compile("(?!)")

    def first(self, text: str, allowed: set[int] | frozenset[int] | None = None) -> tuple[int, str] | None:
        """(index, matched text) of the highest-priority pattern found in `text`, or None;
        `allowed` limits the search to those pattern indices."""
        compiled = self._compiled
        for position in self._candidates(text):
            index, branch = self._branches[position]
            if allowed is not None and index not in allowed:
                continue
            regex = compiled.get(branch)
            if regex is None:
                regex = compiled[branch] = re.compile(branch, re.IGNORECASE)
            match = regex.search(text)
            if match:
                return index, match.group(0)
        return None


def _trie_pattern(literals: list[str]) -> str:
    """A regular expression matching exactly the literals, shaped as a trie so that each
    position costs a few character tests instead of one per literal."""
    trie: dict = {}
    for literal in literals:
        node = trie
        for char in literal:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict) -> str:
        ends = "" in node
        branches = [re.escape(char) + emit(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:
            return ("(?:" + body + ")?") if len(branches) == 1 else body + "?"
        return body

    return emit(trie)


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


def _contained(items: list) -> set[str] | None:
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


def _requirement(op, argument) -> set[str] | None:
    """What an element that is not exactly known still requires a match to contain."""
    if op is sre_constants.SUBPATTERN:
        return _contained(list(argument[-1]))
    if op is sre_constants.BRANCH:
        branches = [_contained(list(branch)) for branch in argument[1]]
        return set().union(*branches) if all(branches) else None
    if op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT) and argument[0] >= 1:
        return _contained(list(argument[2]))
    return None


def _is_space(op, argument) -> bool:
    return op is sre_constants.IN and argument == [(sre_constants.CATEGORY, sre_constants.CATEGORY_SPACE)]


def _exact(op, argument) -> set[str] | None:
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
        branches = [_exact_sequence(list(branch)) for branch in argument[1]]
        return set().union(*branches) if all(b is not None for b in branches) else None
    if op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT) and argument[1] == 1 and argument[0] in (0, 1):
        inner = _exact_sequence(list(argument[2]))
        if inner is None:
            return None
        return inner | {""} if argument[0] == 0 else inner
    return None


def _exact_sequence(items: list) -> set[str] | None:
    current: set[str] = {""}
    for op, argument in items:
        exact = _exact(op, argument)
        if exact is None or len(current) * len(exact) > MAX_EXPANSION:
            return None
        current = {a + b for a, b in product(current, exact)}
    return current
