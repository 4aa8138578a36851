"""A prioritised set of regular expressions: which one, first in order, matches a text."""

from __future__ import annotations

import re
from typing import Any, Callable, Sequence

from smtpcodes.explain.literals import Branches

TRIE_AFTER = 64  # texts looked at before the `inside` runs are searched for all at once
RUNS_KEPT = 50_000  # letter runs (and combinations of them) remembered; real traffic repeats its words

# A text's letter runs: its UTF-8 with every ASCII byte but a-z made a space, split. A literal found
# in a text lies within it, so each letter run of the literal lies within one of the text's, and
# a run that the literal's own punctuation or spaces bound is bounded there too: "access" in
# "relay access denied" is a whole run of the text, "tss" in "[tss" starts one, "blocked" may lie
# anywhere in one ("isblocked"). Digits and punctuation end a run, so addresses, IPs and queue ids
# split into the same few words ("user", "example", "com"), and what each run holds is worked out once.
_NOT_LETTERS = bytes(byte if 97 <= byte <= 122 or byte >= 128 else 32 for byte in range(256))
# How a run of a literal lies in a run of a text that holds the literal: the literal's features.
KINDS = ("exact", "prefix", "suffix", "inside")  # the run itself, its start, its end, anywhere in it


def letter_runs(lowered: str) -> list[bytes]:
    return lowered.encode("utf-8", "surrogatepass").translate(_NOT_LETTERS).split()


def _needs(literal: str) -> list[tuple[str, bytes]]:
    """A literal's features, (kind, run), for each of its runs of three letters or more, or of two
    when it has no longer one: shorter runs are in every text."""
    encoded = literal.encode("utf-8", "surrogatepass")
    runs = encoded.translate(_NOT_LETTERS).split()
    needs = []
    for number, run in enumerate(runs):
        first, last = number == 0 and encoded.startswith(run), number == len(runs) - 1 and encoded.endswith(run)
        kind = "inside" if first and last else "suffix" if first else "prefix" if last else "exact"
        needs.append((len(run), kind, run))
    longest = max((length for length, _, _ in needs), default=0)
    return [(kind, run) for length, kind, run in needs if length >= min(3, longest) and length >= 2]


def build_index(indexed: Sequence[Branches]) -> dict[str, Any]:
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
    features: dict[str, dict[bytes, int]] = {kind: {} for kind in KINDS}  # kind -> run -> feature number
    needs: list[list[int]] = []  # for each literal, the features a text that holds it has
    for literal in unlocks:
        needs.append([])
        for kind, run in _needs(literal):
            number = features[kind].setdefault(run, sum(map(len, features.values())) + 1)
            needs[-1].append(number)
    return {"branches": branches, "always": always, "literals": list(unlocks.items()), "features": features,
            "needs": needs}


Combined = tuple[list[int], tuple[tuple[str, list[int]], ...]]


class PatternSet:
    """Finds the first pattern, in priority order, that matches somewhere in a text.

    Trying hundreds of case-insensitive expressions on every line is slow. So each pattern is
    split into its top-level alternatives, and each alternative is known to require some literal
    text in every match ("spamhaus", "relay access denied"; see literals.index_pattern). Only
    alternatives whose literal occurs in the text (lowercased, white space runs made one space),
    and those that need none, are compiled and run, in priority order. A pattern matches when any
    of its alternatives does, so the answer is exactly what trying the whole patterns in order gives.

    Finding the literals present is itself the cost. A literal's letter runs (see _NOT_LETTERS)
    lie in the text's runs in known ways, and what each distinct run of a text has of them is
    worked out once. Texts of one kind share the runs that have something ("user unknown" whatever
    the address), so what a combination of such runs unlocks is kept too: the alternatives of a
    literal that is one run alone ("spamhaus"), and the literals all of whose runs are there,
    which are then looked for ("relay access denied", "[ts", ".google.com"). A text costs splitting
    it, a lookup, and looking for those few literals.
    """

    def __init__(self, index: dict[str, Any]):
        self._branches: list[tuple[int, str]] = index["branches"]
        self._always: list[int] = index["always"]
        self._literals: list[tuple[str, list[int]]] = index["literals"]
        self._features: dict[str, dict[bytes, int]] = index["features"]
        self._needs: list[frozenset[int]] = [frozenset(needs) for needs in index["needs"]]
        self._lengths = {kind: sorted({len(run) for run in self._features[kind]}) for kind in ("prefix", "suffix")}
        inside = {number: run for run, number in self._features["inside"].items()}
        self._sure: dict[int, list[int]] = {}  # feature -> the alternatives of the literal that is that run
        self._needed_by: dict[int, list[int]] = {}  # feature -> the other literals that have it
        unkeyed = []  # literals without a run of two letters: looked for in every text
        for number, ((literal, positions), needs) in enumerate(zip(self._literals, self._needs, strict=True)):
            if not needs:
                unkeyed.append((literal, positions))
            elif len(needs) == 1 and inside.get(min(needs)) == literal.encode("utf-8", "surrogatepass"):
                self._sure[min(needs)] = positions
            else:
                self._needed_by.setdefault(min(needs), []).append(number)
        self._unkeyed = tuple(unkeyed)
        self._compiled: dict[str, re.Pattern[str]] = {}
        self._calls = 0
        self._trie: re.Pattern[bytes] | None = None  # every `inside` run at once, built when busy
        self._within: dict[bytes, list[bytes]] = {}  # an `inside` run -> those it starts with
        self._forget()

    def _forget(self) -> None:
        """Start remembering afresh (what runs have is numbered, and combinations use the numbers)."""
        nothing: frozenset[int] = frozenset()
        self._run_ids = _Learning(self._learn)  # letter run -> the number of the features it has (0: none)
        self._held: list[frozenset[int]] = [nothing]
        self._held_ids: dict[frozenset[int], int] = {nothing: 0}
        self._combined: dict[tuple[int, ...], Combined] = {}

    @classmethod
    def of(cls, patterns: Sequence[str]) -> PatternSet:
        from smtpcodes.explain.literals import index_pattern

        return cls(build_index([index_pattern(pattern) for pattern in patterns]))

    def _candidates(self, text: str) -> list[int]:
        lowered = " ".join(text.lower().split())
        if self._trie is None:
            self._calls += 1
            if self._calls > TRIE_AFTER:
                self._build_trie()
        if len(self._run_ids) > RUNS_KEPT:
            self._forget()
        # The runs that have features, by what they have (a run seen first is looked at then).
        combination = tuple(filter(None, map(self._run_ids.__getitem__, letter_runs(lowered))))
        combined = self._combined.get(combination)
        if combined is None:
            combined = self._combine(combination)
        sure, maybe = combined
        present = [positions for literal, positions in maybe if literal in lowered]
        if not present:
            return sure
        found = set(sure)
        for positions in present:
            found.update(positions)
        return sorted(found)

    def _learn(self, run: bytes) -> int:
        """The number of the features a run has, numbered when first seen."""
        held = self._has(run)
        number = self._held_ids.get(held)
        if number is None:
            number = self._held_ids[held] = len(self._held)
            self._held.append(held)
        return number

    def _has(self, run: bytes) -> frozenset[int]:
        """The features a run of a text has: literals' runs that are it, start it, end it or lie in it."""
        features = self._features
        found = {features["inside"][inside] for inside in self._inside(run)}
        if run in features["exact"]:
            found.add(features["exact"][run])
        for kind, part in (("prefix", lambda n: run[:n]), ("suffix", lambda n: run[-n:])):
            for length in self._lengths[kind]:
                if length > len(run):
                    break
                if part(length) in features[kind]:
                    found.add(features[kind][part(length)])
        return frozenset(found)

    def _inside(self, run: bytes) -> list[bytes]:
        if self._trie is None:
            return [inside for inside in self._features["inside"] if inside in run]
        return [inside for found in self._trie.findall(run) for inside in self._within[found]]

    def _combine(self, combination: tuple[int, ...]) -> Combined:
        """The alternatives that the features of a combination of runs unlock for sure, in order,
        and the literals to look for: those whose every run is there (and that unlock more)."""
        has = frozenset().union(*(self._held[number] for number in combination))
        sure = set(self._always)
        maybe = []
        for feature in has:
            sure.update(self._sure.get(feature, ()))
            maybe.extend(number for number in self._needed_by.get(feature, ()) if self._needs[number] <= has)
        # Literals without a run of two letters are looked for in every text: a plain search
        # each, as one expression for them all costs more.
        literals = [self._literals[number] for number in sorted(maybe)] + list(self._unkeyed)
        combined = (sorted(sure), tuple(literal for literal in literals if not sure.issuperset(literal[1])))
        if len(self._combined) >= RUNS_KEPT:
            self._combined.clear()
        self._combined[combination] = combined
        return combined

    def _build_trie(self) -> None:
        """One expression that finds, at every position, the longest `inside` run starting there;
        every one that is a prefix of it starts there too. Compiling it costs a few milliseconds,
        so a single explanation never pays for it: only a busy set (scan, the benchmark) builds it."""
        runs = list(self._features["inside"])
        self._within = {run: [other for other in runs if run.startswith(other)] for run in runs}
        texts = [run.decode("utf-8", "surrogatepass") for run in runs]
        pattern = "(?=(" + _trie_pattern(texts) + "))" if texts else "(?!)"
        self._trie = re.compile(pattern.encode("utf-8", "surrogatepass"))

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


class _Learning(dict[bytes, int]):
    """What each letter run has, worked out the first time it is asked for."""

    def __init__(self, learn: Callable[[bytes], int]):
        super().__init__()
        self._learn = learn

    def __missing__(self, run: bytes) -> int:
        number = self[run] = self._learn(run)
        return number


def _trie_pattern(literals: list[str]) -> str:
    """A regular expression matching exactly the literals, shaped as a trie so that each
    position costs a few character tests instead of one per literal."""
    trie: dict[str, Any] = {}
    for literal in literals:
        node = trie
        for char in literal:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        ends = "" in node
        branches = [re.escape(char) + emit(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:
            return ("(?:" + body + ")?") if len(branches) == 1 else body + "?"
        return body

    return emit(trie)
