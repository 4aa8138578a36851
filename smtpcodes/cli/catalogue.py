"""The commands about the catalogue itself: validate and languages (their help: codes.toml
[messages.help*])."""

from typing import TYPE_CHECKING, Annotated, Optional

import typer

from smtpcodes.cli.app import EXIT_CATALOGUE, app, load, reported_errors
from smtpcodes.cli.options import CatalogueFiles, with_output


if TYPE_CHECKING:
    from smtpcodes.output.emit import Output


@app.command()
@with_output("validate")
def validate(
    output: "Output",
    file: Annotated[Optional[str], typer.Argument(metavar="[FILE]")] = None,
    standalone: Annotated[bool, typer.Option("--standalone")] = False,
) -> None:
    with reported_errors():
        from smtpcodes.output.emit import emit

        from smtpcodes.catalogue.load import builtin_path, check_file, read_catalogue
        from smtpcodes.catalogue.messages import Messages
        from smtpcodes.catalogue.validate import Validation

        base_path = str(builtin_path())
        if file is not None:
            _check_readable(file)
        if file is None or standalone:
            path, base = str(file or base_path), None
        else:
            path, base = file, read_catalogue(base_path)
        data, problems = check_file(path, base)
        counts = {"codes": len(data.get("codes", {})), "rules": len(data.get("rules", [])),
                  "providers": len(data.get("providers", {}))}
        words = Messages((base or data).get("messages", {}) if isinstance((base or data).get("messages"), dict)
                         else {})
        report = None
        if file is None and not problems:
            from smtpcodes.catalogue.locales import language_report

            report = language_report(data)
        emit(Validation(path, tuple(problems), counts, report), output, words)
        if problems:
            raise typer.Exit(EXIT_CATALOGUE)




@app.command()
@with_output("languages")
def languages(output: "Output", catalogue_files: CatalogueFiles = None) -> None:
    with reported_errors():
        from smtpcodes.catalogue.locales import language_report
        from smtpcodes.output.emit import emit

        english = load(catalogue_files)
        emit(language_report(english.data), output, load(catalogue_files, output.lang).messages)


def _check_readable(path: str) -> None:
    """A path that is no readable file is bad input (exit 2), not an invalid catalogue (exit 3)."""
    from pathlib import Path

    from smtpcodes.errors import BadInput

    try:
        Path(path).read_bytes()[:0]
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise BadInput("catalogue_unreadable", path=path, reason=reason) from None
