"""The prefiltered pattern set must answer exactly what trying each pattern in order answers."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smtpcodes.explain.literals import required_literals, split_alternatives
from smtpcodes.explain.matching import TRIE_AFTER, PatternSet
from tests.test_corpus import load_corpus


def naive_first(patterns, text):
    for index, pattern in enumerate(patterns):
        match = re.search(pattern, text, re.IGNORECASE)
        if match:
            return index
    return None


def test_literals_every_match_must_contain():
    assert required_literals(r"greylist|graylist") == ("graylist", "greylist")
    assert required_literals(r"\[(?:TS|GL)\d+\]") == ("[gl", "[ts")
    assert required_literals(r"too\s+many\s+hops") == ("too many hops",)
    assert required_literals(r"a\s*b") == ("a b", "ab")
    assert required_literals(r"[a-z]+") is None


def test_top_level_alternatives_are_split_but_groups_and_classes_are_not():
    assert split_alternatives(r"a|b(c|d)|[|x]|\|y") == ["a", "b(c|d)", "[|x]", r"\|y"]


def _catalogue_patterns(catalogue):
    return [rule["pattern"] for rule in catalogue.rules] + [p["match"] for p in catalogue.providers.values()]


def test_agrees_with_trying_each_pattern_on_the_real_corpus(catalogue):
    patterns = _catalogue_patterns(catalogue)
    patterns_set = PatternSet.of(patterns)
    assert len(load_corpus()) > TRIE_AFTER  # so that both ways of finding literals are checked
    for case in load_corpus():
        found = patterns_set.first(case["reply"])
        assert (found[0] if found else None) == naive_first(patterns, case["reply"]), case["reply"]


WORDS = ["user", "unknown", "mailbox", "full", "relay", "access", "denied", "spf", "dkim", "rate", "limit",
         "too", "many", "greylist", "gsmtp", "blocked", "spamhaus", "[TS04]", "5.7.1", "quota", "exceeded"]
SPACES = st.sampled_from([" ", "  ", "\t", "\n", " \r\n "])


_BUSY: dict = {}


def _busy_set(patterns):
    """One set past TRIE_AFTER texts, so that its literals are searched all at once."""
    if "set" not in _BUSY:
        _BUSY["set"] = PatternSet.of(patterns)
        for _ in range(TRIE_AFTER + 1):
            _BUSY["set"].first("warming up")
    return _BUSY["set"]


@pytest.fixture(scope="module")
def pattern_set(catalogue):
    """The catalogue's patterns and their set, built once: building them for every generated
    example was a third of the whole test run."""
    patterns = _catalogue_patterns(catalogue)
    return patterns, PatternSet.of(patterns)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(WORDS) | st.text(max_size=6), SPACES), max_size=12))
def test_agrees_with_trying_each_pattern_on_generated_text(pattern_set, parts):
    text = "".join(word + space for word, space in parts)
    patterns, patterns_set = pattern_set
    expected = naive_first(patterns, text)
    found = patterns_set.first(text)
    assert (found[0] if found else None) == expected
    busy = _busy_set(patterns).first(text)
    assert (busy[0] if busy else None) == expected


# Pieces that end or join letter runs, or that lowercase oddly (the set looks literals up by runs).
JOINERS = ["", "x", "Z", "1", "-", ".", "[", "(", "_", "@", "  ", "\t", "\n", "é", "İ", "K", "ſ", "\udc80"]


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_agrees_on_the_catalogues_own_literals_glued_cut_and_recased(pattern_set, data):
    """Literals inside longer words, cut short, or glued to punctuation and to each other."""
    patterns, patterns_set = pattern_set
    literals = sorted({literal for literal, _ in patterns_set._literals})
    pieces = data.draw(st.lists(st.sampled_from(literals) | st.sampled_from(JOINERS), min_size=1, max_size=8))
    cut = data.draw(st.integers(0, 3))
    text = "".join(piece[cut:] if len(piece) > 4 else piece for piece in pieces)
    text = data.draw(st.sampled_from([text, text.upper(), text.title()]))
    expected = naive_first(patterns, text)
    found = patterns_set.first(text)
    assert (found[0] if found else None) == expected
    busy = _busy_set(patterns).first(text)
    assert (busy[0] if busy else None) == expected
