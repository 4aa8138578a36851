"""Which catalogue texts a translation covers, and the fingerprint that tells when one is stale.

A language lives in `smtpcodes/locales/<lang>/`: any number of TOML files that mirror the catalogue's
tables. Each translated field is an inline table `{ source = "<fingerprint>", text = ... }`, where
`source` is the fingerprint of the English text it was translated from; when the English changes,
the fingerprints differ and the entry is reported stale. `text` has the shape of the English field
(a string, or a list of strings for `fix`).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Callable, Iterator

Path_ = tuple[str, ...]

# Per table: the fields whose text is shown to people. Everything else (codes, references, enum
# values such as reasons and actors, provider names, patterns) is the same in every language.
TEXT_FIELDS: dict[str, tuple[str, ...]] = {
    "basic_classes": ("name", "meaning", "fix"),
    "basic_categories": ("name", "meaning"),
    "enhanced_classes": ("name", "meaning", "fix"),
    "enhanced_subjects": ("name", "meaning"),
    "reasons": ("title", "fix"),
    "stages": ("name", "advice"),
    "codes": ("title", "aliases", "description", "when", "fix", "notes"),
    "providers": ("advice", "reasons"),
    "messages": ("*",),
}
NESTED = {"notes", "reasons"}  # fields that are tables of texts keyed by provider or reason
# Message groups the same in every language: proper names (Spamhaus ZEN) and the command lines of
# the --help examples.
NAMES_ONLY = {"probe-blocklists", "help-examples"}


def fingerprint(value: str | list[str]) -> str:
    """Eight hex digits of the English text's SHA-1: short to read, enough to notice a change."""
    text = "\n".join(value) if isinstance(value, list) else value
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]


def translatable(data: dict[str, Any]) -> Iterator[tuple[Path_, str | list[str]]]:
    """Every text of a catalogue that a translation should cover, with its path."""
    for index, rule in enumerate(data.get("rules") or ()):
        # Rule labels are shown as evidence. A rule is known by its place: when rules move, the
        # fingerprint no longer matches and the label falls back to English, never to another's.
        if isinstance(rule, dict) and isinstance(rule.get("label"), str):
            yield ("rules", str(index), "label"), rule["label"]
    for table, fields in TEXT_FIELDS.items():
        for key, entry in (data.get(table) or {}).items():
            if fields == ("*",):  # [messages.<group>] tables of templates, or a bare template
                if key in NAMES_ONLY:
                    continue
                if isinstance(entry, str):
                    yield (table, key), entry
                elif isinstance(entry, dict):
                    yield from (((table, key, name), text) for name, text in entry.items() if isinstance(text, str))
                continue
            if not isinstance(entry, dict):
                continue
            for field in fields:
                value = entry.get(field)
                if field in NESTED and isinstance(value, dict):
                    for name, text in value.items():
                        if isinstance(text, str):
                            yield (table, key, field, name), text
                elif isinstance(value, (str, list)) and value:
                    yield (table, key, field), value


def _toml_key(part: str) -> str:
    return part if part.replace("-", "").replace("_", "").isalnum() and part.isascii() else json.dumps(part)


def skeleton(data: dict[str, Any], select: Callable[[Path_], bool] = lambda path: True) -> str:
    """A locale file to translate: every selected text, its fingerprint, and the English as `text`."""
    lines: list[str] = []
    current: Path_ | None = None
    for path, value in translatable(data):
        if not select(path):
            continue
        table, field = path[:-1], path[-1]
        if table != current:
            lines.append(f"\n[{'.'.join(_toml_key(p) for p in table)}]")
            current = table
        text = json.dumps(value, ensure_ascii=False)
        lines.append(f"{_toml_key(field)} = {{ source = \"{fingerprint(value)}\", text = {text} }}")
    return "\n".join(lines).lstrip("\n") + "\n"


if __name__ == "__main__":
    # For translators: `python -m smtpcodes.catalogue.translations [--missing LANG] [PREFIX...]` writes
    # a file to translate: every text (under the prefixes), or only those LANG lacks or has stale.
    import sys
    import tomllib

    from smtpcodes.catalogue.load import builtin_path

    args = sys.argv[1:]
    catalogue = tomllib.loads(builtin_path().read_text(encoding="utf-8"))
    wanted: set[str] | None = None
    if args[:1] == ["--missing"]:
        from smtpcodes.catalogue.locales import available_languages, coverage

        report = coverage(catalogue, available_languages()[args[1]])
        wanted, args = set(report.stale) | set(report.missing), args[2:]
    sys.stdout.write(skeleton(catalogue, lambda p: (wanted is None or ".".join(p) in wanted)
                              and (not args or any(".".join(p).startswith(x) for x in args))))
