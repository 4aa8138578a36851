"""Languages: find them, read one, lay it over the catalogue, and say how complete it is.

A language is a folder `smtpcodes/locales/<tag>/`: `language.toml` names it (`name`, `native`,
`direction`), every other `*.toml` file mirrors catalogue tables with `{ source, text }` fields (see
translations.py). A text whose `source` fingerprint no longer matches the English is stale: the
English is shown instead, and the field is listed under `_untranslated` so the output can say so.
"""


from pathlib import Path
from typing import Any, Iterable, Iterator, NamedTuple

from smtpcodes.errors import CatalogueError


from smtpcodes.catalogue.language import ENGLISH, UNTRANSLATED, language_tags, locales_dir


class Language(NamedTuple):
    tag: str
    name: str
    native: str
    direction: str  # "ltr" or "rtl"


class Coverage(NamedTuple):
    language: Language
    total: int
    translated: int
    stale: tuple[str, ...]
    missing: tuple[str, ...]

    @property
    def percent(self) -> float:
        return 100.0 * self.translated / self.total if self.total else 100.0


class LanguageReport(NamedTuple):
    """How complete every shipped language is: its interface (headings, labels, sentences) and the
    catalogue's own texts, counted apart since a language may have the one before the other."""

    interface: tuple[Coverage, ...]
    catalogue: tuple[Coverage, ...]


def language_report(data: dict[str, Any]) -> LanguageReport:
    languages = [language(tag) for tag in language_tags()]
    return LanguageReport(tuple(coverage(data, lang, part="interface") for lang in languages),
                          tuple(coverage(data, lang, part="catalogue") for lang in languages))


ENGLISH_LANGUAGE = Language(ENGLISH, "English", "English", "ltr")


def language(tag: str) -> Language:
    """What a shipped language is called and which way it is written."""
    if tag == ENGLISH:
        return ENGLISH_LANGUAGE
    info = _read(locales_dir() / tag / "language.toml")
    direction = "rtl" if info.get("direction") == "rtl" else "ltr"
    return Language(tag, str(info.get("name", tag)), str(info.get("native", tag)), direction)


def available_languages() -> dict[str, Language]:
    """Every language that ships, English first."""
    return {tag: language(tag) for tag in language_tags()}


def language_files(tag: str) -> list[Path]:
    folder = locales_dir() / tag
    return sorted(p for p in folder.glob("*.toml") if p.name != "language.toml") if folder.is_dir() else []


def read_translations(tag: str, extra: Iterable[dict[str, Any]] = ()) -> dict[tuple[str, ...], dict[str, Any]]:
    """Every `{source, text}` field of a language's files (and of overlays' `translations.<tag>`)."""
    fields: dict[tuple[str, ...], dict[str, Any]] = {}
    for path in language_files(tag):
        fields.update(_leaves(_read(path)))
    for table in extra:
        fields.update(_leaves(table))
    return fields


def _leaves(table: dict[str, Any], path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], dict[str, Any]]]:
    for key, value in table.items():
        if isinstance(value, dict) and "source" in value and "text" in value:
            yield path + (key,), value
        elif isinstance(value, dict):
            yield from _leaves(value, path + (key,))


def _read(path: Path) -> dict[str, Any]:
    import tomllib

    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:  # TOMLDecodeError is a ValueError
        raise CatalogueError(str(path), [f"cannot read translation: {exc}"]) from None


def _usable(english: str | list[str], field: dict[str, Any] | None) -> bool:
    """A translation is used only when it was made from this English and has its shape."""
    from smtpcodes.catalogue.translations import fingerprint

    if field is None or field.get("source") != fingerprint(english):
        return False
    text = field.get("text")
    if isinstance(english, list):
        return isinstance(text, list) and len(text) == len(english) and all(isinstance(t, str) and t for t in text)
    return isinstance(text, str) and bool(text)


def translate(data: dict[str, Any], fields: dict[tuple[str, ...], dict[str, Any]]) -> dict[str, Any]:
    """A copy of plain catalogue data with every usable translation laid over the English.

    Runs only when a language's cache is built, so a whole copy is cheap enough.
    """
    import marshal

    from smtpcodes.catalogue.translations import translatable

    result: dict[str, Any] = marshal.loads(marshal.dumps(data))
    for path, english in translatable(data):
        field = fields.get(path)
        owner: Any = result
        for key in path[:-1]:
            owner = owner[int(key)] if isinstance(owner, list) else owner[key]
        if _usable(english, field):
            owner[path[-1]] = field["text"]  # type: ignore[index]
        else:
            # Marked on the entry that owns the text (a code, a rule, a provider, a message group).
            table = result[path[0]]
            entry = (table[int(path[1])] if isinstance(table, list) else table[path[1]]) if len(path) > 2 else table
            name = ".".join(path[2:]) if len(path) > 2 else path[1]
            entry.setdefault(UNTRANSLATED, []).append(name)
    return result


def coverage(data: dict[str, Any], language: Language,
             fields: dict[tuple[str, ...], dict[str, Any]] | None = None, part: str = "all") -> Coverage:
    """How much of the catalogue's text a language covers, and which texts are stale or missing.

    `part`: "interface" (the `messages` templates), "catalogue" (everything else) or "all".
    """
    from smtpcodes.catalogue.translations import fingerprint, translatable

    texts = [(path, english) for path, english in translatable(data)
             if part == "all" or (path[0] == "messages") == (part == "interface")]
    if language.tag == ENGLISH:
        return Coverage(language, len(texts), len(texts), (), ())
    fields = read_translations(language.tag) if fields is None else fields
    total = translated = 0
    stale: list[str] = []
    missing: list[str] = []
    for path, english in texts:
        total += 1
        field = fields.get(path)
        name = ".".join(path)
        if _usable(english, field):
            translated += 1
        elif field is not None and field.get("source") != fingerprint(english):
            stale.append(name)
        else:
            missing.append(name)
    return Coverage(language, total, translated, tuple(stale), tuple(missing))
