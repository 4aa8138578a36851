"""Validation of catalogue data: every problem, each naming the entry and field."""

import re
from typing import Any, Iterator, NamedTuple

from smtpcodes.catalogue.model import ACTORS, STAGES, STATUSES

TOP_LEVEL = {
    "schema", "basic_classes", "basic_categories", "enhanced_classes", "enhanced_subjects",
    "reasons", "stages", "codes", "rules", "providers", "prefixes", "messages",
}
BASIC_KEY = re.compile(r"[1-5]\d\d")
REGISTERED_KEY = re.compile(r"X\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})")
PRIVATE_KEY = re.compile(r"[245]\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})")

REQUIRED_TEXT = ("title", "status", "description", "when")
REQUIRED_LISTS = ("fix", "fix_by", "references")
OPTIONAL_LISTS = ("related", "pairs_with", "stages", "aliases")
ENTRY_KEYS = set(REQUIRED_TEXT) | set(REQUIRED_LISTS) | set(OPTIONAL_LISTS) | {
    "reason", "classes", "notes", "provider",
}
LEVEL_KEYS = {"name", "meaning", "fix"}
RULE_KEYS = {"reason", "label", "pattern", "classes", "codes"}
PREFIX_KEYS = {"role", "words", "pattern", "fallback", "weak", "remap"}
PROVIDER_KEYS = {"name", "match", "advice", "docs", "reasons"}


Names = dict[str, set[str]]  # per table, the keys an entry may refer to


class Validation(NamedTuple):
    """The outcome of checking one catalogue file."""

    path: str
    problems: tuple[str, ...]
    counts: dict[str, int]  # codes, rules and providers found
    languages: Any = None  # the built-in catalogue's LanguageReport: coverage and stale texts


def code_kind(key: str) -> str | None:
    """'basic', 'enhanced' or None for a catalogue key."""
    if BASIC_KEY.fullmatch(key):
        return "basic"
    if REGISTERED_KEY.fullmatch(key) or PRIVATE_KEY.fullmatch(key):
        return "enhanced"
    return None


def check_catalogue(data: dict[str, Any], base: dict[str, Any] | None = None) -> list[str]:
    """Every problem in `data`; `base` is the catalogue an overlay is laid over."""
    problems: list[str] = []
    for key in data:
        if key not in TOP_LEVEL:
            problems.append(f"{key}: unknown top-level key (expected one of {', '.join(sorted(TOP_LEVEL))})")
    merged = _merged_view(data, base)
    for table in ("basic_classes", "basic_categories", "enhanced_classes", "enhanced_subjects"):
        for digit, level in _table(data, table, problems).items():
            _check_level(f"{table}.{digit}", digit, level, problems)
    for name, reason in _table(data, "reasons", problems).items():
        if not isinstance(reason, dict) or not _is_text(reason.get("title")):
            problems.append(f"reasons.{name}.title: missing or empty")
        elif not isinstance(reason.get("hard", False), bool):
            problems.append(f"reasons.{name}.hard: must be true or false")
    for name, stage in _table(data, "stages", problems).items():
        if name not in STAGES:
            problems.append(f"stages.{name}: not an SMTP stage ({', '.join(STAGES)})")
        elif not isinstance(stage, dict) or not _is_text(stage.get("advice")) or not _is_text(stage.get("name")):
            problems.append(f"stages.{name}: needs name and advice text")
    _check_rules(data.get("rules", []), merged, problems)
    _check_prefixes(data.get("prefixes", []), merged, problems)
    for pid, provider in _table(data, "providers", problems).items():
        _check_provider(pid, provider, merged, problems)
    if "messages" in data:
        from smtpcodes.catalogue.messages import template_problems

        problems.extend(template_problems(data["messages"]))
    for key, entry in _table(data, "codes", problems).items():
        is_new = base is None or key not in base.get("codes", {})
        _check_entry(key, entry, merged, is_new, problems)
    return problems


def _merged_view(data: dict[str, Any], base: dict[str, Any] | None) -> Names:
    """The names an overlay may refer to: its own plus the base catalogue's."""
    names: Names = {}
    for table in ("codes", "reasons", "providers"):
        own = data.get(table)
        names[table] = set(own if isinstance(own, dict) else {}) | set((base or {}).get(table, {}))
    return names


def _table(data: dict[str, Any], name: str, problems: list[str]) -> dict[str, Any]:
    value = data.get(name, {})
    if not isinstance(value, dict):
        problems.append(f"{name}: must be a table")
        return {}
    return value


def _known_table(where: str, value: Any, allowed: set[str], problems: list[str]) -> bool:
    """Whether `value` is a table; its keys outside `allowed` are reported."""
    if not isinstance(value, dict):
        problems.append(f"{where}: must be a table")
        return False
    for key in sorted(set(value) - allowed):
        problems.append(f"{where}.{key}: unknown field")
    return True


def _is_text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _is_text_list(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(_is_text(item) for item in value)


def _check_level(where: str, digit: str, level: Any, problems: list[str]) -> None:
    if not digit.isdigit():
        problems.append(f"{where}: key must be a digit")
    if not _known_table(where, level, LEVEL_KEYS, problems):
        return
    if not _is_text(level.get("name")):
        problems.append(f"{where}.name: missing or empty")
    if "fix" in level and not _is_text_list(level["fix"]):
        problems.append(f"{where}.fix: must be a non-empty list of text")


def _check_pattern(where: str, pattern: Any, problems: list[str]) -> None:
    if not _is_text(pattern):
        problems.append(f"{where}: missing or empty")
        return
    if "(?P<" in pattern:
        problems.append(f"{where}: named groups are reserved; use (?:...)")
        return
    try:
        re.compile(pattern, re.IGNORECASE)
    except re.error as exc:
        problems.append(f"{where}: not a valid regular expression ({exc})")


def _array_tables(name: str, value: Any, keys: set[str], problems: list[str]) -> Iterator[tuple[str, dict[str, Any]]]:
    """The well-formed tables of a `[[name]]` array, each with where it is; problems for the rest."""
    if not isinstance(value, list):
        problems.append(f"{name}: must be an array of tables ([[{name}]])")
        return
    for index, table in enumerate(value):
        where = f"{name}[{index}]"
        if _known_table(where, table, keys, problems):
            yield where, table


def _check_prefixes(prefixes: Any, names: Names, problems: list[str]) -> None:
    for where, prefix in _array_tables("prefixes", prefixes, PREFIX_KEYS, problems):
        if not _is_text(prefix.get("role")):
            problems.append(f"{where}.role: missing or empty")
        if not _is_text_list(prefix.get("words")):
            problems.append(f"{where}.words: must be a non-empty list of text")
        _check_pattern(f"{where}.pattern", prefix.get("pattern"), problems)
        remap = prefix.get("remap", {})
        reasons = [prefix["fallback"]] if "fallback" in prefix else []
        if not isinstance(remap, dict):
            problems.append(f"{where}.remap: must be a table of reason = reason")
        else:
            reasons += list(remap) + list(remap.values())
        for reason in reasons:
            if reason not in names["reasons"]:
                problems.append(f"{where}: {reason!r} is not a defined reason")
        if not isinstance(prefix.get("weak", False), bool):
            problems.append(f"{where}.weak: must be true or false")


def _check_rules(rules: Any, names: Names, problems: list[str]) -> None:
    for where, rule in _array_tables("rules", rules, RULE_KEYS, problems):
        if rule.get("reason") not in names["reasons"]:
            problems.append(f"{where}.reason: {rule.get('reason')!r} is not a defined reason")
        if not _is_text(rule.get("label")):
            problems.append(f"{where}.label: missing or empty")
        _check_pattern(f"{where}.pattern", rule.get("pattern"), problems)
        classes = rule.get("classes", [2, 3, 4, 5])
        if not isinstance(classes, list) or not set(classes) <= {1, 2, 3, 4, 5}:
            problems.append(f"{where}.classes: must be a list of class digits 1-5")


def _check_provider(pid: str, provider: Any, names: Names, problems: list[str]) -> None:
    where = f"providers.{pid}"
    if not _known_table(where, provider, PROVIDER_KEYS, problems):
        return
    for key in ("name", "advice"):
        if not _is_text(provider.get(key)):
            problems.append(f"{where}.{key}: missing or empty")
    _check_pattern(f"{where}.match", provider.get("match"), problems)
    docs = provider.get("docs", [])
    if not isinstance(docs, list) or not all(_is_text(doc) for doc in docs):
        problems.append(f"{where}.docs: must be a list of text")
    reasons = provider.get("reasons", {})
    if not isinstance(reasons, dict):
        problems.append(f"{where}.reasons: must be a table")
        return
    for reason, advice in reasons.items():
        if reason not in names["reasons"]:
            problems.append(f"{where}.reasons.{reason}: not a defined reason")
        if not _is_text(advice):
            problems.append(f"{where}.reasons.{reason}: missing or empty")


def _check_entry(key: str, entry: Any, names: Names, is_new: bool, problems: list[str]) -> None:
    where = f'codes."{key}"'
    kind = code_kind(key)
    if kind is None:
        problems.append(f"{where}: not a code (use NNN, X.N.N, or a private 2/4/5.N.N)")
        return
    if not _known_table(where, entry, ENTRY_KEYS, problems):
        return
    required = (REQUIRED_TEXT + REQUIRED_LISTS) if is_new else ()
    for field in required:
        if field not in entry:
            problems.append(f"{where}.{field}: missing")
    for field in REQUIRED_TEXT:
        if field in entry and not _is_text(entry[field]):
            problems.append(f"{where}.{field}: must be non-empty text")
    for field in REQUIRED_LISTS + OPTIONAL_LISTS:
        if field in entry and not (isinstance(entry[field], list) and all(_is_text(i) for i in entry[field])):
            problems.append(f"{where}.{field}: must be a list of non-empty text")
    for field in REQUIRED_LISTS:
        if entry.get(field) == []:
            problems.append(f"{where}.{field}: must not be empty")
    _check_closed_sets(where, entry, names, problems)
    _check_consistency(where, key, kind, entry, is_new, problems)


def _check_closed_sets(where: str, entry: dict[str, Any], names: Names, problems: list[str]) -> None:
    if "status" in entry and entry["status"] not in STATUSES:
        problems.append(f"{where}.status: {entry['status']!r} is not one of {', '.join(STATUSES)}")
    for field, allowed in (("fix_by", ACTORS), ("stages", STAGES)):
        for value in entry.get(field, []) if isinstance(entry.get(field), list) else []:
            if value not in allowed:
                problems.append(f"{where}.{field}: {value!r} is not one of {', '.join(allowed)}")
    if "reason" in entry and entry["reason"] not in names["reasons"]:
        problems.append(f"{where}.reason: {entry['reason']!r} is not a defined reason")
    for field in ("related", "pairs_with"):
        for ref in entry.get(field, []) if isinstance(entry.get(field), list) else []:
            if ref not in names["codes"]:
                problems.append(f"{where}.{field}: {ref!r} is not a code in the catalogue")
    notes = entry.get("notes", {})
    if not isinstance(notes, dict):
        problems.append(f"{where}.notes: must be a table keyed by provider id")
    else:
        for pid, text in notes.items():
            if pid not in names["providers"]:
                problems.append(f"{where}.notes.{pid}: not a provider in the catalogue")
            if not _is_text(text):
                problems.append(f"{where}.notes.{pid}: must be non-empty text")
    if "provider" in entry and entry["provider"] not in names["providers"]:
        problems.append(f"{where}.provider: {entry['provider']!r} is not a provider in the catalogue")


def _check_consistency(where: str, key: str, kind: str, entry: dict[str, Any], is_new: bool, problems: list[str]) -> None:
    """Fields that must agree with the code's own digits."""
    classes = entry.get("classes")
    if kind == "basic":
        if classes is not None:
            problems.append(f"{where}.classes: only enhanced codes list classes (a basic code's class is its first digit)")
        if key[0] in "23" and "reason" in entry:
            problems.append(f"{where}.reason: a {key[0]}yz code is not a failure and has no reason")
        return
    if is_new and classes is None:
        problems.append(f"{where}.classes: missing")
    elif classes is not None:
        if not isinstance(classes, list) or not classes or not set(classes) <= {2, 4, 5}:
            problems.append(f"{where}.classes: enhanced classes can only be 2, 4 or 5")
        elif not key.startswith("X") and int(key[0]) not in classes:
            problems.append(f"{where}.classes: {classes} contradicts the code's own class {key[0]}")
    if key.startswith("X") and "provider" in entry:
        problems.append(f"{where}.provider: registered X codes belong to no provider; use notes")
    if entry.get("status") == "private" and key.startswith("X"):
        problems.append(f"{where}.status: a registered X code cannot be private")


def find_duplicate_tables(text: str) -> list[str]:
    """Tables declared twice, which TOML forbids; tomllib only reports the first."""
    seen: dict[str, int] = {}
    problems = []
    for number, line in enumerate(text.split("\n"), 1):  # TOML lines end at \n only, unlike splitlines()
        match = re.match(r"\s*\[([^\[\]]+)\]\s*(#.*)?$", line)
        if not match:
            continue
        name = re.sub(r"\s+", "", match.group(1))
        if name in seen:
            problems.append(f"line {number}: [{name}] duplicates the table at line {seen[name]}")
        else:
            seen[name] = number
    return problems
