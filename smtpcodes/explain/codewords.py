"""The short phrases that describe a code's class: its badge (5xx, 5.x.x), what it means for the
message, and whether to retry. Apart from compare.py so that explaining one code does not load the
comparison."""

from smtpcodes.catalogue.messages import Messages
from smtpcodes.catalogue.model import CLIENT_STAGES, Code


def badge(code: Code) -> str:
    """The class as a code shape: 5xx for a basic code, 5.x.x for an enhanced one."""
    digit = code.code_class.digit
    klass = str(digit) if digit is not None else "X"
    return f"{klass}xx" if code.kind == "basic" else f"{klass}.x.x"


def _suffix(code: Code) -> str:
    digit = code.code_class.digit
    return str(digit) if digit in (1, 2, 3, 4, 5) else "any"


def _failure_suffix(code: Code) -> str:
    """The class, marked when the code only ever answers a login or encryption step (535, 5.7.8):
    such a failure sends nothing, so it is no bounce of a message."""
    suffix = _suffix(code)
    if suffix in ("4", "5") and code.stages and all(stage in CLIENT_STAGES for stage in code.stages):
        return f"{suffix}_not_sent"
    return suffix


def headline(words: Messages, code: Code) -> str:
    """The verdict of a code in one sentence."""
    return words.text("verdicts", f"headline_{_failure_suffix(code)}")


def outcome(words: Messages, code: Code) -> str:
    """What the code's class means for the message, in two words."""
    return words.text("verdicts", f"outcome_{_suffix(code)}")


def consequence(words: Messages, code: Code) -> str:
    return words.text("verdicts", f"consequence_{_failure_suffix(code)}")


def verdict(words: Messages, code: Code) -> str:
    """The outcome with its consequence."""
    return words.text("verdicts", "verdict", outcome=outcome(words, code), consequence=consequence(words, code))


def retry_words(words: Messages, retryable: bool | None) -> str:
    return words.text("verdicts", {True: "retry_yes", False: "retry_no", None: "retry_none"}[retryable])
