"""Rank catalogue entries by relevance to free-text words (`smtpcodes search relay denied`)."""

import math
import re
from typing import Any, Iterable, NamedTuple

from smtpcodes.catalogue.load import Catalogue
from smtpcodes.explain.lookup import explain_code, looks_like_code, suggest_codes
from smtpcodes.catalogue.model import Code

# How much a word found in each field counts: the title says what a code is,
# the fix steps mention many things in passing.
FIELD_WEIGHTS = {"title": 4.0, "notes": 2.0, "reason": 2.0, "description": 1.5, "when": 1.0, "fix": 0.5}
# Words in any script: letters and digits, with the dots and hyphens inside codes and host names.
_WORD = re.compile(r"[^\W_][\w.\-]*[^\W_]|[^\W_]")
# Arabic is matched without its optional vowel marks and tatweel, with alef forms folded and the
# article al- taken off, so that a query word finds the word as it is written in a sentence.
_ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670\u0640]")
_ALEF = str.maketrans("أإآٱ", "اااا")


Scored = tuple[float, str, tuple[str, ...]]  # score, catalogue key, fields matched


class SearchResults(NamedTuple):
    """What `search` found for a query, best first."""

    query: str
    hits: tuple["Hit", ...]


class Hit(NamedTuple):
    """One search result."""

    code: Code
    score: float
    matched: tuple[str, ...]


def _words(text: str) -> set[str]:
    return {_stem(word) for word in _WORD.findall(text.casefold())}


def _stem(word: str) -> str:
    if not ("\u0600" <= word[0] <= "\u06ff"):
        return word
    word = _ARABIC_MARKS.sub("", word).translate(_ALEF)
    for article in ("وال", "بال", "لل", "ال"):
        if word.startswith(article) and len(word) - len(article) >= 2:
            return word[len(article):]
    return word


def _fields(entry: dict[str, Any], reasons: dict[str, Any]) -> dict[str, set[str]]:
    reason = entry.get("reason", "")
    return {
        "title": _words(" ".join([entry["title"], *entry.get("aliases", ())])),
        "notes": _words(" ".join(entry.get("notes", {}).values()) + " " + entry.get("provider", "")),
        "reason": _words(reason.replace("-", " ") + " " + reasons.get(reason, {}).get("title", "")),
        "description": _words(entry["description"]),
        "when": _words(entry["when"]),
        "fix": _words(" ".join(entry["fix"])),
    }


def _matches(word: str, vocabulary: set[str]) -> bool:
    """A query word matches a word it equals or begins (auth ~ authentication)."""
    return word in vocabulary or (len(word) >= 3 and any(v.startswith(word) for v in vocabulary))


def search_catalogue(catalogue: Catalogue, query: str, limit: int = 10, english: Catalogue | None = None) -> list[Hit]:
    """Entries ranked by how well they match every word of `query`, best first; with `english`,
    a catalogue in another language is searched in both."""
    words = [w for w in _words(query) if w]
    if not words:
        return []
    indexed = {key: _fields(entry, catalogue.reasons) for key, entry in catalogue.codes.items()}
    if english is not None:
        for key, entry in english.codes.items():
            for field, vocabulary in _fields(entry, english.reasons).items():
                indexed.setdefault(key, {}).setdefault(field, set()).update(vocabulary)
    idf = {word: _idf(word, indexed.values(), len(indexed)) for word in words}
    scored = []
    for key, fields in indexed.items():
        score = 0.0
        matched: set[str] = set()
        found_words = 0
        for word in words:
            word_score = 0.0
            for field, vocabulary in fields.items():
                if _matches(word, vocabulary):
                    word_score += FIELD_WEIGHTS[field]
                    matched.add(field)
            if word_score:
                found_words += 1
                score += word_score * idf[word]
        if score:
            # Entries that contain every word rank above those that contain some.
            score *= (found_words / len(words)) ** 2
            scored.append((score, key, tuple(f for f in FIELD_WEIGHTS if f in matched)))
    for token in query.split():
        if looks_like_code(token):
            scored.extend(_code_hits(catalogue, token, scored))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [Hit(explain_code(catalogue, key), round(score, 2), matched) for score, key, matched in scored[:limit]]


def _idf(word: str, all_fields: Iterable[dict[str, set[str]]], total: int) -> float:
    containing = sum(1 for fields in all_fields if any(_matches(word, v) for v in fields.values()))
    return math.log(1 + total / (1 + containing))


def _code_hits(catalogue: Catalogue, token: str, scored: list[Scored]) -> list[Scored]:
    """A code typed as a search word ranks itself first, or its nearest neighbours if mistyped."""
    present = {key for _, key, _ in scored}
    exact = [key for key in (token, "X" + token[1:] if token[:1] in "245" else token) if key in catalogue.codes]
    keys = exact or suggest_codes(catalogue, token)
    return [(100.0 - rank, key, ("code",)) for rank, key in enumerate(keys) if key not in present]
