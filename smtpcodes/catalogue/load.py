"""Load the catalogue once: parse, validate, overlay, and cache the result."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from smtpcodes.catalogue.cache import LazyEntries, cache_file, file_stamp, load_cache, store_cache
from smtpcodes.errors import CatalogueError

if TYPE_CHECKING:
    from smtpcodes.catalogue.messages import Messages

BUILTIN = "built-in"
ENV_VAR = "SMTPCODES_CATALOGUE"
LIST_FIELDS = ("fix", "fix_by", "references", "related", "pairs_with", "stages", "classes", "aliases")


def builtin_path() -> Path:
    """codes.toml inside the installed package, or at the root of a source checkout."""
    package = Path(__file__).resolve().parent.parent
    packaged = package / "codes.toml"
    if packaged.exists():
        return packaged
    return package.parent / "codes.toml"


def overlay_paths(options: Iterable[str] = ()) -> list[str]:
    """Overlay catalogues: those named in the environment, then on the command line."""
    from_env = [p for p in os.environ.get(ENV_VAR, "").split(os.pathsep) if p]
    return from_env + list(options)


class Catalogue:
    """The validated, merged catalogue as plain data, with lookups."""

    def __init__(self, data: dict[str, Any], sources: dict[str, str]):
        self.data = data
        self.codes: dict[str, dict[str, Any]] = data.get("codes", {})
        self.sources = sources
        self._messages: Messages | None = None

    def entry(self, key: str) -> dict[str, Any] | None:
        return self.codes.get(key)

    def source(self, key: str) -> str:
        return self.sources.get(key, BUILTIN)

    def level(self, table: str, digit: int | None) -> dict[str, Any] | None:
        level: dict[str, Any] | None = self.data.get(table, {}).get(str(digit))
        return level

    @property
    def providers(self) -> dict[str, dict[str, Any]]:
        providers: dict[str, dict[str, Any]] = self.data.get("providers", {})
        return providers

    @property
    def reasons(self) -> dict[str, dict[str, Any]]:
        reasons: dict[str, dict[str, Any]] = self.data.get("reasons", {})
        return reasons

    @property
    def messages(self) -> Messages:
        """The output's wording; made once, since every code explained reads it."""
        if self._messages is None:
            from smtpcodes.catalogue.messages import Messages

            self._messages = Messages(self.data.get("messages", {}))
        return self._messages

    @property
    def rules(self) -> list[dict[str, Any]]:
        rules: list[dict[str, Any]] = self.data.get("rules", [])
        return rules


def load_catalogue(overlays: Iterable[str] = (), lang: str = "en") -> Catalogue:
    """The built-in catalogue with `overlays` laid over it, in order, its text in language `lang`."""
    overlays = list(overlays)
    if lang != "en" and not overlays:
        return Catalogue(_translated_builtin(lang), {})
    data = read_catalogue(str(builtin_path()))
    sources: dict[str, str] = {}
    for path in overlays:
        overlay = read_catalogue(path, base=data)
        for key in overlay.get("codes", {}):
            earlier = sources.get(key) or (BUILTIN if key in data["codes"] else None)
            sources[key] = f"{earlier} + {path}" if earlier else path
        data = merge(data, overlay)
    if overlays:
        _build_pattern_tables(data)  # the merged rules and providers need their own tables
    if lang != "en":
        from smtpcodes.catalogue.locales import read_translations, translate

        data = translate(_unpacked(data), read_translations(lang))
    return Catalogue(data, sources)


def _translated_builtin(lang: str) -> dict[str, Any]:
    """The built-in catalogue in another language, cached beside the English one."""
    from smtpcodes.catalogue.locales import language_files

    path = str(builtin_path())
    files = language_files(lang)
    cache = cache_file(path, lang)
    stamp: tuple[Any, ...] = (file_stamp(path), tuple((f.name, *file_stamp(str(f))[3:]) for f in files))
    cached = load_cache(cache, stamp)
    if cached is not None:
        return cached
    from smtpcodes.catalogue.locales import read_translations, translate

    data = translate(_unpacked(read_catalogue(path)), read_translations(lang))
    store_cache(cache, stamp, data)
    return data


def _unpacked(data: dict[str, Any]) -> dict[str, Any]:
    """Plain dicts all the way down, for copying or marshalling."""
    return {name: dict(value.items()) if isinstance(value, LazyEntries) else value for name, value in data.items()}


def read_catalogue(path: str, base: dict[str, Any] | None = None) -> dict[str, Any]:
    """One catalogue file, validated; served from the cache while the file is unchanged."""
    try:
        stamp = file_stamp(path)
    except (OSError, ValueError) as exc:
        raise CatalogueError(path, [_cannot_read(exc)]) from None
    cache = cache_file(path) if base is None else None
    cached = load_cache(cache, stamp)
    if cached is not None:
        return cached
    data = parse_and_check(path, base)
    _index_patterns(data)
    if base is None:
        _build_pattern_tables(data)  # an overlay's are built once, for the merged catalogue
    store_cache(cache, stamp, data)
    return data


def _index_patterns(data: dict[str, Any]) -> None:
    """Analyse each rule's and provider's pattern once and keep the result with it, so that
    the cache holds it too (see matching.PatternSet)."""
    from smtpcodes.explain.literals import index_pattern

    for rule in data.get("rules", []):
        rule["_branches"] = index_pattern(rule["pattern"])
    for provider in data.get("providers", {}).values():
        provider["_branches"] = index_pattern(provider["match"])


def _build_pattern_tables(data: dict[str, Any]) -> None:
    from smtpcodes.explain.matching import build_index

    data["_patterns"] = {
        "rules": build_index([rule["_branches"] for rule in data.get("rules", [])]),
        "providers": build_index([p["_branches"] for p in data.get("providers", {}).values()]),
    }


def parse_and_check(path: str, base: dict[str, Any] | None = None) -> dict[str, Any]:
    """Parse a catalogue file and raise CatalogueError listing every problem."""
    data, problems = check_file(path, base)
    if problems:
        raise CatalogueError(path, problems)
    return data


def check_file(path: str, base: dict[str, Any] | None = None) -> tuple[dict[str, Any], list[str]]:
    """A catalogue file's data and every problem found in it (TOML syntax, then content)."""
    import tomllib

    from smtpcodes.catalogue.validate import check_catalogue, find_duplicate_tables

    try:
        raw = Path(path).read_bytes()
    except (OSError, ValueError) as exc:
        return {}, [_cannot_read(exc)]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return {}, [f"not UTF-8 text (byte {exc.start}, at {_line_column(raw, exc.start)})"]
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return {}, _syntax_problems(text, str(exc), find_duplicate_tables(text))
    return data, check_catalogue(data, base)


def _cannot_read(exc: OSError | ValueError) -> str:
    # ValueError: a path no file can have (a NUL, a lone surrogate), from the API rather than a shell.
    return f"cannot read: {getattr(exc, 'strerror', None) or exc}"


def _syntax_problems(text: str, error: str, duplicates: list[str]) -> list[str]:
    """tomllib's error with a position, and every duplicate table (tomllib stops at its first error)."""
    import re

    # tomllib gives no line for an error at the very end ("fix = [" with nothing after it).
    error = error.replace("(at end of document)", f"(at end of document, {_line_column(text, len(text))})")
    at_line = re.search(r"\bline (\d+),", error)
    if at_line and any(problem.startswith(f"line {at_line.group(1)}:") for problem in duplicates):
        return duplicates  # that error is one of the duplicates, already listed
    return [f"TOML syntax: {error}", *duplicates]


def _line_column(text: str | bytes, index: int) -> str:
    """'line L, column C' (from 1) of a position in a text or in its bytes."""
    if isinstance(text, bytes):
        line, start = text.count(b"\n", 0, index), text.rfind(b"\n", 0, index)
    else:
        line, start = text.count("\n", 0, index), text.rfind("\n", 0, index)
    return f"line {line + 1}, column {index - start}"


def merge(base: dict[str, Any], overlay: dict[str, Any]) -> dict[str, Any]:
    """Overlay one catalogue on another: new codes are added, text replaces, lists extend."""
    merged = {key: dict(value.items()) if isinstance(value, dict) else value for key, value in base.items()}
    for table, value in overlay.items():
        if table in ("rules", "prefixes"):
            # The organisation's own rules are more specific, so they are tried first.
            merged[table] = list(value) + list(base.get(table, []))
        elif table == "messages" and isinstance(value, dict):
            # A translation or an overlay may reword some templates of a group, not all of them.
            messages = merged.setdefault("messages", {})
            for group, templates in value.items():
                messages[group] = {**messages.get(group, {}), **templates} if isinstance(templates, dict) else templates
        elif table == "codes":
            codes = merged.setdefault("codes", {})
            for key, entry in value.items():
                codes[key] = _merge_entry(codes.get(key), entry)
        elif isinstance(value, dict):
            merged.setdefault(table, {}).update(value)
        else:
            merged[table] = value
    return merged


def _merge_entry(old: dict[str, Any] | None, new: dict[str, Any]) -> dict[str, Any]:
    if old is None:
        return dict(new)
    entry = dict(old)
    for field, value in new.items():
        if field in LIST_FIELDS:
            entry[field] = list(old.get(field, [])) + [v for v in value if v not in old.get(field, [])]
        elif field == "notes":
            entry["notes"] = {**old.get("notes", {}), **value}
        else:
            entry[field] = value
    return entry


