"""The exceptions smtpcodes raises; the CLI turns each into one line and an exit code."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

ERRORS = "errors"  # the catalogue's [messages.errors] group holds the templates of error lines


class SmtpcodesError(Exception):
    """Base class for every error smtpcodes reports to a user: a template key and the facts it names.

    The wording is data: `text(messages)` fills the template from a catalogue in the user's
    language; `str()` fills it from the built-in English catalogue, for library users and logs."""

    exit_code = 2

    def __init__(self, key: str, /, *, group: str = ERRORS, **facts: Any):
        super().__init__(key)
        self.key = key
        self.group = group
        self.facts = facts

    def __reduce__(self) -> Any:
        # --jobs and --cluster send errors between processes: keep the facts, not just the key.
        return (_rebuilt, (type(self), self.key, self.group, self.facts))

    def text(self, messages: Any = None) -> str:
        """The error line from `messages` (a catalogue's Messages), or in English when it lacks the key."""
        if messages is not None and messages.has(self.group, self.key):
            try:
                facts = {name: value.said(messages) if isinstance(value, Phrase) else value
                         for name, value in self.facts.items()}
                return str(messages.text(self.group, self.key, **facts))
            except (KeyError, IndexError, ValueError, AttributeError):
                pass  # an overlay's template names a fact this error lacks: say it in English
        return str(self)

    def __str__(self) -> str:
        try:
            template = english_templates(self.group)[self.key]
            return str(template.format_map(self.facts))
        except Exception:  # never fail while describing a failure
            facts = ", ".join(f"{name}={value!r}" for name, value in self.facts.items())
            return f"{self.group}.{self.key}" + (f" ({facts})" if facts else "")


def _rebuilt(cls: type[SmtpcodesError], key: str, group: str, facts: dict[str, Any]) -> SmtpcodesError:
    error = cls.__new__(cls)
    SmtpcodesError.__init__(error, key, group=group, **facts)
    return error


@lru_cache(maxsize=None)
def english_templates(group: str) -> dict[str, Any]:
    """One `[messages.<group>]` table of the built-in English catalogue (served from its cache)."""
    from smtpcodes.catalogue.load import builtin_path, read_catalogue

    return dict(read_catalogue(str(builtin_path())).get("messages", {}).get(group, {}))


class BadInput(SmtpcodesError):
    """The user's input is not a code, a reply or a valid option value."""


class InputFileError(SmtpcodesError):
    """An input file could not be read."""

    def problem(self) -> Problem:
        """This error as a line of a scan's problem list (the scan goes on with the next input)."""
        return Problem(self.key, **self.facts)


class Phrase(str):
    """A piece of wording in data: its English text, with the key and facts of the [messages.errors]
    template that words it, so that the CLI can say it in the user's language."""

    key: str
    facts: dict[str, Any]

    def __new__(cls, key: str, /, **facts: Any) -> Phrase:
        line = super().__new__(cls, str(InputFileError(key, **facts)))
        line.key, line.facts = key, facts
        return line

    def __getnewargs_ex__(self) -> tuple[tuple[str], dict[str, Any]]:
        return (self.key,), self.facts

    def error(self) -> InputFileError:
        return InputFileError(self.key, **self.facts)

    def said(self, messages: Any) -> str:
        """The phrase from `messages`, or in English when they lack it."""
        return self.error().text(messages)


class Problem(Phrase):
    """An input problem a scan noted (a phrase naming the input), for the CLI to list."""


class CatalogueError(SmtpcodesError):
    """A catalogue file is missing, unparsable or fails validation.

    Its problems are diagnostics for catalogue authors and stay in English."""

    exit_code = 3

    def __init__(self, path: str, problems: list[str]):
        first = problems[0] if problems else "invalid"
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        Exception.__init__(self, f"invalid catalogue {path}: {first}{more}")
        self.key, self.group, self.facts = "", "", {}
        self.path = path
        self.problems = problems

    def __reduce__(self) -> Any:
        return (type(self), (self.path, self.problems))

    def text(self, messages: Any = None) -> str:
        return str(self)

    def __str__(self) -> str:
        return str(self.args[0])
