"""Turn a code as typed (550, 5.7.26, X.7.26) into a Code, from the catalogue or its digits."""

from typing import NamedTuple

from smtpcodes.catalogue.language import UNTRANSLATED
from smtpcodes.catalogue.load import Catalogue
from smtpcodes.catalogue.messages import Messages
from smtpcodes.errors import BadInput, Phrase
from smtpcodes.catalogue.model import Code, Kind, Level, Note


class CodeRef(NamedTuple):
    """A syntactically valid code: its kind and digits."""

    kind: Kind
    text: str
    klass: int | None
    middle: int
    detail: int

    @property
    def registry_key(self) -> str:
        return f"X.{self.middle}.{self.detail}" if self.kind == "enhanced" else self.text


def parse_code(text: str) -> CodeRef:
    """Parse `text` as a basic or enhanced code, or raise BadInput saying what would work."""
    # Plain string tests rather than regular expressions: this runs at every start,
    # and compiling a pattern costs more than the whole lookup.
    raw = text.strip()
    if len(raw) == 3 and raw.isdigit() and raw.isascii():
        if raw[0] not in "12345":
            raise BadInput("basic_class", code=raw)
        return CodeRef("basic", raw, int(raw[0]), int(raw[1]), int(raw[2]))
    parts = raw.split(".")
    if len(parts) == 3 and len(parts[0]) == 1 and all(_is_number(p) for p in parts[1:]):
        klass, subject, detail = parts
        if klass not in "245xX":
            raise BadInput("enhanced_class", code=raw, example=f"5.{int(subject)}.{int(detail)}")
        klass_digit = None if klass in "xX" else int(klass)
        canonical = f"{klass.upper()}.{int(subject)}.{int(detail)}"
        return CodeRef("enhanced", canonical, klass_digit, int(subject), int(detail))
    raise BadInput(_hint(raw), code=_quoted(raw))


def _quoted(raw: str, limit: int = 40) -> str:
    """The input as a message quotes it, cut short: ten megabytes of digits on stdin must not come back whole."""
    return repr(raw) if len(raw) <= limit else Phrase("long_input", start=raw[:limit], length=len(raw))


def _is_number(part: str) -> bool:
    return 1 <= len(part) <= 3 and part.isdigit() and part.isascii()


def _hint(raw: str) -> str:
    """The key of the error line for text that is no code, by what it looks like."""
    import re

    if re.fullmatch(r"[0-9]?[xX]{1,2}|[0-9][0-9][xX]", raw):
        return "not_a_code_class"
    if raw.isdigit():
        return "not_a_code_digits"
    if re.fullmatch(r"[\d.xX]+", raw):
        return "not_a_code_dotted"
    return "not_a_code"


def explain_code(catalogue: Catalogue, text: str) -> Code:
    """The Code for `text`: from its catalogue entry, or from its digits when it has none."""
    ref = parse_code(text)
    words = catalogue.messages
    say = words.text
    key = _entry_key(catalogue, ref)
    if ref.kind == "basic":
        klass = _level(catalogue, "basic_classes", ref.klass)
        category = _level(catalogue, "basic_categories", ref.middle, say("lookup", "undefined_basic_category"))
    else:
        klass = _level(catalogue, "enhanced_classes", ref.klass) if ref.klass else _any_class(words)
        category = _level(catalogue, "enhanced_subjects", ref.middle, say("lookup", "undefined_subject"))
    retryable = {4: True, 5: False}.get(ref.klass or 0)
    warnings = _structural_warnings(words, ref)
    if key is None:
        return _from_structure(words, ref, klass, category, retryable, warnings)
    entry = catalogue.codes[key]
    classes = tuple(entry.get("classes", ()))
    if ref.kind == "enhanced" and ref.klass and classes and ref.klass not in classes:
        allowed = say("lookup", "or").join(f"{c}.{ref.middle}.{ref.detail}" for c in classes)
        warnings += (say("lookup", "warn_wrong_class", code=ref.text, allowed=allowed),)
    providers = catalogue.providers
    notes = tuple(
        Note(pid, providers.get(pid, {}).get("name", pid), note) for pid, note in entry.get("notes", {}).items()
    )
    return Code(
        code=ref.text,
        kind=ref.kind,
        known=True,
        title=entry["title"],
        code_class=klass,
        category=category,
        retryable=retryable,
        description=entry["description"],
        when=entry["when"],
        fix=tuple(entry["fix"]),
        references=tuple(entry["references"]),
        related=tuple(entry.get("related", ())),
        pairs_with=tuple(entry.get("pairs_with", ())),
        status=entry["status"],
        fix_by=tuple(entry["fix_by"]),
        stages=tuple(entry.get("stages", ())),
        reason=entry.get("reason"),
        classes=classes,
        notes=notes,
        provider=entry.get("provider"),
        source=catalogue.source(key),
        warnings=warnings,
        aliases=tuple(entry.get("aliases", ())),
        untranslated=tuple(entry.get(UNTRANSLATED, ())),
    )


def _entry_key(catalogue: Catalogue, ref: CodeRef) -> str | None:
    for key in (ref.text, ref.registry_key):
        if catalogue.entry(key) is not None:
            return key
    return None


def _level(catalogue: Catalogue, table: str, digit: int | None, undefined: str = "") -> Level:
    level = catalogue.level(table, digit)
    if level is None:
        return Level(digit, catalogue.messages.text("lookup", "undefined"), undefined)
    return Level(digit, level["name"], level.get("meaning", ""), tuple(level.get("fix", ())))


def _any_class(words: Messages) -> Level:
    """The class of an X.y.z code: whichever the server sends."""
    say = words.text
    return Level(None, say("lookup", "any_class_name"), say("lookup", "any_class_meaning"),
                 (say("lookup", "any_class_fix"),))


def _structural_warnings(words: Messages, ref: CodeRef) -> tuple[str, ...]:
    if ref.kind != "basic":
        return ()
    warnings = []
    if ref.klass == 1:
        warnings.append(words.text("lookup", "warn_class_1"))
    if ref.middle > 5:
        warnings.append(words.text("lookup", "warn_second_digit", code=ref.text))
    return tuple(warnings)


def _from_structure(words: Messages, ref: CodeRef, klass: Level, category: Level, retryable: bool | None,
                    warnings: tuple[str, ...]) -> Code:
    """A code with no catalogue entry, explained from what its digits mean."""
    say = words.text
    meanings = " ".join(part for part in (klass.meaning, category.meaning) if part)
    return Code(
        code=ref.text,
        kind=ref.kind,
        known=False,
        title=say("lookup", "unlisted_title", kind=say("lookup", f"kind_{ref.kind}"), klass=klass.name,
                  category=category.name),
        code_class=klass,
        category=category,
        retryable=retryable,
        description=say("lookup", "unlisted_description", code=ref.text, registry=say("lookup", f"registry_{ref.kind}"),
                        meanings=meanings),
        when=say("lookup", "unlisted_when"),
        fix=klass.fix or (say("lookup", "unlisted_fix"),),
        references=("RFC 5321 §4.2.1",) if ref.kind == "basic" else ("RFC 3463 §3.1", "RFC 5248"),
        warnings=warnings,
    )


def suggest_codes(catalogue: Catalogue, text: str, limit: int = 3) -> list[str]:
    """Catalogue codes that look like `text`, nearest first (for typos and unlisted codes)."""
    import difflib

    try:
        ref = parse_code(text)
        probe = ref.registry_key
    except BadInput:
        probe = text.strip()
    return difflib.get_close_matches(probe, list(catalogue.codes), n=limit, cutoff=0.6)


def looks_like_code(text: str) -> bool:
    """True for a lone code-shaped token (even a malformed one), false for reply text."""
    token = text.strip()
    return bool(token) and all(char in "0123456789xX." for char in token)
