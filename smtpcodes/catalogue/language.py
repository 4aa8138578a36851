"""Which language to speak: the shipped languages and the choice from `--lang` or the locale.

Kept apart from locales.py because it runs at every start: it imports nothing heavy and reads no
translation, only the names of the locale folders.
"""

import os
from functools import cache
from pathlib import Path
from typing import Iterable, Iterator, Mapping

ENGLISH = "en"
UNTRANSLATED = "_untranslated"  # per entry: the fields shown in English for want of a translation


@cache
def locales_dir() -> Path:
    return Path(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))) / "locales"


@cache
def language_tags() -> list[str]:
    """The tags of the languages that ship, English first; cheap: one directory listing."""
    try:
        names = sorted(os.listdir(locales_dir()))
    except OSError:
        names = []
    return [ENGLISH, *(name for name in names if (locales_dir() / name / "language.toml").is_file())]


class ShippedLanguages:
    """The shipped tags, listed only when a choice needs them: an English locale never lists them."""

    def __iter__(self) -> Iterator[str]:
        return iter(language_tags())


def choose_language(option: str | None, environ: Mapping[str, str], languages: Iterable[str]) -> str:
    """The language to speak: `--lang` if given (it must exist), else the locale as gettext reads it.

    gettext takes the first of LC_ALL, LC_MESSAGES, LANG that is set; LANGUAGE, a colon-separated
    list of preferences, overrides it unless that locale is C/POSIX. Each name falls back from
    `pt_BR.UTF-8` to `pt_BR` to `pt`; nothing usable means English.
    """
    if option is not None:
        tag = _match(option, languages)
        if tag is None:
            from smtpcodes.errors import BadInput

            raise BadInput("bad_language", value=option, choices=", ".join(languages))
        return tag
    locale = next((environ[name] for name in ("LC_ALL", "LC_MESSAGES", "LANG") if environ.get(name)), "")
    if _is_c_locale(locale):
        return ENGLISH
    for name in [*environ.get("LANGUAGE", "").split(":"), locale]:
        tag = _match(name, languages) if name else None
        if tag is not None:
            return tag
    return ENGLISH


def _is_c_locale(name: str) -> bool:
    return name.split(".")[0] in ("C", "POSIX") if name else False


def _match(name: str, languages: Iterable[str]) -> str | None:
    """`pt_BR.UTF-8@euro` → pt_BR → pt-BR/pt; C and POSIX are English."""
    if _is_c_locale(name):
        return ENGLISH
    base = name.split(".")[0].split("@")[0].replace("_", "-")
    if base.split("-")[0].lower() == ENGLISH:
        return ENGLISH
    wanted = {tag.lower(): tag for tag in languages}
    for candidate in (base.lower(), base.split("-")[0].lower()):
        if candidate in wanted:
            return wanted[candidate]
    return None


def is_right_to_left(tag: str) -> bool:
    """Whether a shipped language is written right to left, read from its `language.toml` without
    a TOML parser: this runs at every start in that language, and the file is ours and simple."""
    import re

    try:
        text = (locales_dir() / tag / "language.toml").read_text(encoding="utf-8")
    except OSError:
        return False
    return re.search(r'^direction\s*=\s*"rtl"\s*$', text, re.MULTILINE) is not None
