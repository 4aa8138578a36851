"""Filter and order the catalogue for `list`."""

import re
from typing import Any, NamedTuple

from smtpcodes.catalogue.load import Catalogue
from smtpcodes.errors import BadInput
from smtpcodes.explain.lookup import explain_code
from smtpcodes.catalogue.model import STATUSES, Code

KINDS = ("basic", "enhanced")


class Listing(NamedTuple):
    """The codes `list` shows, in catalogue order."""

    codes: tuple[Code, ...]


def parse_class(text: str) -> int:
    """'4', '4xx', '4XX' or '4.x.x' as the class digit 4."""
    match = re.fullmatch(r"([1-5])(?:[xX]{2}|\.[xX]\.[xX])?", text.strip())
    if not match:
        raise BadInput("bad_class", value=text)
    return int(match.group(1))


def sort_key(key: str) -> tuple[int, int, int, int]:
    """Basic codes first in numeric order, then enhanced codes by subject and detail."""
    if "." not in key:
        return (0, int(key), 0, 0)
    klass, subject, detail = key.split(".")
    return (1, int(subject), int(detail), 0 if klass == "X" else int(klass))


def filter_codes(
    catalogue: Catalogue,
    *,
    klass: str | None = None,
    kind: str | None = None,
    words: str | None = None,
    status: str | None = None,
) -> list[Code]:
    """Catalogue codes matching every filter given, in catalogue order."""
    if kind is not None and kind not in KINDS:
        raise BadInput("bad_kind", value=kind)
    if status is not None and status not in STATUSES:
        raise BadInput("bad_status", value=status, choices=", ".join(STATUSES))
    digit = parse_class(klass) if klass is not None else None
    needles = words.lower().split() if words else []
    codes = []
    for key in sorted(catalogue.codes, key=sort_key):
        entry = catalogue.codes[key]
        is_basic = "." not in key
        if kind and (kind == "basic") != is_basic:
            continue
        if status and entry["status"] != status:
            continue
        if digit is not None and not _has_class(key, entry, digit):
            continue
        if needles and not _mentions(entry, needles):
            continue
        codes.append(explain_code(catalogue, key))
    return codes


def _has_class(key: str, entry: dict[str, Any], digit: int) -> bool:
    if key.startswith("X"):
        return digit in entry.get("classes", ())
    return key[0] == str(digit)


def _mentions(entry: dict[str, Any], needles: list[str]) -> bool:
    texts = [entry["title"], *entry.get("aliases", ()), entry["description"], *entry.get("notes", {}).values()]
    haystack = " ".join(texts).lower()
    return all(needle in haystack for needle in needles)
