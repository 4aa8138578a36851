"""The short phrases that describe a code's class: its badge (5xx, 5.x.x), what it means for the
message, and whether to retry. Apart from compare.py so that explaining one code does not load the
comparison."""

from smtpcodes.catalogue.messages import Messages
from smtpcodes.catalogue.model import Code


def badge(code: Code) -> str:
    """The class as a code shape: 5xx for a basic code, 5.x.x for an enhanced one."""
    digit = code.code_class.digit
    klass = str(digit) if digit is not None else "X"
    return f"{klass}xx" if code.kind == "basic" else f"{klass}.x.x"


def _suffix(code: Code) -> str:
    digit = code.code_class.digit
    return str(digit) if digit in (1, 2, 3, 4, 5) else "any"


def outcome(words: Messages, code: Code) -> str:
    """What the code's class means for the message, in two words."""
    return words.text("verdicts", f"outcome_{_suffix(code)}")


def consequence(words: Messages, code: Code) -> str:
    return words.text("verdicts", f"consequence_{_suffix(code)}")


def verdict(words: Messages, code: Code) -> str:
    """The outcome with its consequence."""
    return words.text("verdicts", "verdict", outcome=outcome(words, code), consequence=consequence(words, code))


def retry_words(words: Messages, retryable: bool | None) -> str:
    return words.text("verdicts", {True: "retry_yes", False: "retry_no", None: "retry_none"}[retryable])
