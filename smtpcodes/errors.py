"""The exceptions smtpcodes raises; the CLI turns each into one line and an exit code."""


class SmtpcodesError(Exception):
    """Base class for every error smtpcodes reports to a user."""

    exit_code = 2


class BadInput(SmtpcodesError):
    """The user's input is not a code, a reply or a valid option value."""


class InputFileError(SmtpcodesError):
    """An input file could not be read."""


class CatalogueError(SmtpcodesError):
    """A catalogue file is missing, unparsable or fails validation."""

    exit_code = 3

    def __init__(self, path: str, problems: list[str]):
        self.path = path
        self.problems = problems
        first = problems[0] if problems else "invalid"
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        super().__init__(f"invalid catalogue {path}: {first}{more}")
