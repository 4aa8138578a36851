"""--help and usage errors in the user's language: every text a template, shown only when asked for."""

import ast
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest
import typer.main

from smtpcodes.catalogue.load import load_catalogue
from smtpcodes.catalogue.locales import available_languages, coverage
from smtpcodes.cli import app
from smtpcodes.cli.helptext import option_key
from tests.helpers import run

SOURCE = Path(__file__).parent.parent / "smtpcodes"
ARABIC = re.compile("[\u0600-\u06ff]")
SHAPED = re.compile("[\ufe70-\ufeff]")  # Arabic presentation forms: letters joined for display
WIDE = {"COLUMNS": "200"}


def _console(*args: str, **env: str) -> subprocess.CompletedProcess:
    """The installed console script, whose name is the one its messages give (not `python -m smtpcodes`)."""
    script = shutil.which("smtpcodes", path=str(Path(sys.executable).parent))
    assert script, "the smtpcodes script is not installed: pip install -e '.[test]'"
    return subprocess.run([script, *args], capture_output=True, text=True,
                          env={**os.environ, "COLUMNS": "200", **env}, timeout=60)


def test_every_command_option_and_argument_has_a_help_template_and_every_template_a_use(catalogue):
    words = catalogue.messages
    group = typer.main.get_command(app)
    assert set(group.commands) == {"explain", "compare", "list", "search", "scan", "probe", "validate", "languages"}
    wanted = {("help", "smtpcodes"), ("help", "smtpcodes_epilog"), ("help-options", "help")}
    for name, command in [("smtpcodes", group), *group.commands.items()]:
        if command is not group:
            wanted |= {("help", name), ("help-examples", name)}
        for param in command.params:
            is_argument = isinstance(param, click.Argument)
            wanted.add(("help-arguments", name) if is_argument else ("help-options", option_key(param)))
    missing = sorted(".".join(key) for key in wanted if not words.has(*key))
    assert missing == [], f"no help template for: {missing}"
    table = catalogue.data["messages"]
    unused = {(group_, key) for group_ in ("help-options", "help-arguments", "help-examples") for key in table[group_]}
    assert unused - wanted == set(), "help templates no command or option uses"


def test_no_help_text_is_written_in_the_code():
    """A help= or a command's docstring would be English that no language can replace when shown."""
    commands = 0
    for path in (SOURCE / "cli").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert not re.search(r"\bhelp=\s*f?[\"']", source), f"{path.name}: help text belongs in codes.toml"
        for node in ast.walk(ast.parse(source)):
            decorators = getattr(node, "decorator_list", [])
            if any(isinstance(d, ast.Call) and getattr(d.func, "attr", "") in ("command", "callback") for d in decorators):
                commands += 1
                assert ast.get_docstring(node) is None, f"{path.name}: {node.name} has a docstring"  # type: ignore[attr-defined]
    assert commands == 9  # eight commands and the app's callback


@pytest.mark.parametrize("tag", sorted(available_languages()))
def test_every_language_translates_the_whole_interface(catalogue, tag):
    report = coverage(catalogue.data, available_languages()[tag], part="interface")
    assert report.stale == () and report.missing == (), (report.stale[:5], report.missing[:5])


def test_spanish_help_of_a_command():
    result = run("explain", "--help", "--lang", "es", env=WIDE)
    out = result.stdout
    assert result.exit_code == 0
    assert "Uso: smtpcodes explain [OPTIONS] CODE" in out
    assert "Explica un código o una respuesta completa del servidor" in out
    assert "Ejemplos: smtpcodes explain 535 · smtpcodes explain 5.7.26 --json" in out
    for words in ("Argumentos", "Opciones", "[obligatorio]", "[por defecto: text]", "Muestra este mensaje y sale.",
                  "Un código (550, 5.7.26, X.7.26)", "El comando al que corresponde la respuesta: CONNECT, EHLO"):
        assert words in out, words
    for kept in ("--after", "STAGE", "--catalogue", "FILE", "--no-pager", "$SMTPCODES_CATALOGUE", "-h"):
        assert kept in out, kept
    assert "Show this message" not in out and "Options" not in out and "[default:" not in out


def test_the_locale_chooses_the_language_of_the_apps_help_and_arabic_stays_logical_when_piped():
    arabic = load_catalogue((), "ar").messages
    result = run("--help", env={**WIDE, "LANG": "ar_EG.UTF-8"})
    out = result.stdout
    assert result.exit_code == 0
    assert out.count(arabic.text("help", "commands")) == 1 and arabic.text("help", "options") in out
    for command in ("explain", "compare", "list", "search", "scan", "probe", "validate", "languages"):
        assert re.search(rf"│ {command} +{re.escape(arabic.text('help', command)[:20])}", out), command
    assert arabic.text("help-options", "version") in out and "--install-completion" in out
    assert SHAPED.search(out) is None  # logical order: whoever reads the pipe reorders


def test_the_apps_help_takes_lang_as_the_commands_do():
    out = run("--help", "--lang", "es", env=WIDE).stdout
    assert "Uso: smtpcodes [OPTIONS] COMMAND [ARGS]..." in out and "Comandos" in out
    assert "Códigos de salida: 0 correcto" in out


def test_arabic_help_in_visual_order_is_right_to_left_with_command_lines_left_as_typed():
    result = run("explain", "--help", "--lang", "ar", "--bidi", "visual", env={"COLUMNS": "100"})
    lines = result.stdout.splitlines()
    assert result.exit_code == 0 and SHAPED.search(result.stdout)
    assert "smtpcodes explain [OPTIONS] CODE" in lines  # usage and examples: command lines, left to right
    assert 'smtpcodes explain "550 5.1.1 <bob@example.com>: User unknown" --full' in lines
    assert lines[0].endswith("smtpcodes explain") and len(lines[0]) == 100  # flush right
    option = next(line for line in lines if "--after STAGE" in line)
    assert option.rstrip().endswith(":--after STAGE")  # the option first, at the right-hand end
    assert "╭" not in result.stdout  # not Typer's left-to-right panels


@pytest.mark.parametrize("tag, columns", [("zh", "80"), ("ja", "80"), ("en", "50")])
def test_help_wraps_text_without_spaces_instead_of_cutting_it_off(tag, columns):
    words = load_catalogue((), tag).messages
    out = run("explain", "--help", "--lang", tag, env={"COLUMNS": columns}).stdout
    assert "…" not in out
    flowing = re.sub(r"\s*│\s*", "", "".join(line.strip() for line in out.splitlines()))
    for text in (words.text("help-arguments", "explain"), words.text("help-options", "after")):
        assert re.sub(r"\s+", "", text) in re.sub(r"\s+", "", flowing), text


def test_english_help_is_unchanged_after_another_language_was_shown():
    run("explain", "--help", "--lang", "ar", env=WIDE)
    out = run("explain", "--help", env=WIDE).stdout
    for words in ("Usage: smtpcodes explain [OPTIONS] CODE",
                  "Explain one code or a whole server reply: one screen by default, every section with --full.",
                  "Examples: smtpcodes explain 535 · smtpcodes explain 5.7.26 --json", "Arguments", "Options",
                  "[required]", "[default: text]", "Show this message and exit.",
                  "A code (550, 5.7.26, X.7.26), a quoted server reply, or - for stdin.",
                  "auto (default: on a terminal, unless NO_COLOR is set), always or never."):
        assert words in out, words
    assert ARABIC.search(out) is None


def test_help_through_the_console_entry_in_arabic_and_the_bare_command():
    asked = _console("explain", "--help", "--lang", "ar")
    assert asked.returncode == 0 and ARABIC.search(asked.stdout) and "--after" in asked.stdout
    by_locale = _console("--help", LANG="ar_EG.UTF-8")
    assert by_locale.returncode == 0 and ARABIC.search(by_locale.stdout) and "explain" in by_locale.stdout
    bare = _console(LANG="es_ES.UTF-8")
    assert bare.returncode == 2 and "Comandos" in bare.stdout and bare.stderr == ""


@pytest.mark.parametrize("args, env, line", [
    (("explain",), {}, "Missing argument 'CODE'. (see 'smtpcodes explain --help')"),
    (("explain", "--lang", "es"), {}, "Falta el argumento 'CODE'. (ver 'smtpcodes explain --help')"),
    (("explian", "535"), {"LANG": "es_ES.UTF-8"}, "No existe el comando 'explian'. ¿Quizás 'explain'? (ver 'smtpcodes --help')"),
    (("explain", "535", "--after"), {}, "Option '--after' requires an argument. (see 'smtpcodes explain --help')"),
    (("explain", "535", "--json=1", "--lang", "es"), {}, "La opción '--json' no admite un valor. (ver 'smtpcodes explain --help')"),
    (("list", "--bogus"), {"LANG": "ar_EG.UTF-8"}, "لا يوجد خيار باسم '--bogus'. (راجع 'smtpcodes list --help')"),
    (("search", "x", "--limit", "0", "--lang", "es"), {},
     "Valor no válido para '--limit' / '-n': 0 is not in the range 1<=x<=200. (ver 'smtpcodes search --help')"),
    # JSON is for scripts: English unless --lang says otherwise, as for the command's own errors
    (("explain", "535", "--json", "--bogus"), {"LANG": "es_ES.UTF-8"}, "No such option '--bogus'. (see 'smtpcodes explain --help')"),
])
def test_usage_errors_are_one_line_in_the_language_of_the_run(args, env, line):
    result = _console(*args, **env)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == f"smtpcodes: error: {line}\n"


def test_a_run_that_does_its_work_loads_nothing_for_help():
    code = ("import sys\nfrom smtpcodes.__main__ import main\nsys.argv = ['smtpcodes', 'explain', '535', '--json']\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "loaded = [m for m in sys.modules if m.startswith(('smtpcodes.cli.help', 'smtpcodes.cli.usage', 'typer.rich'))]\n"
            "print('LOADED', loaded, file=sys.stderr)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                            env={**os.environ, "LANG": "es_ES.UTF-8"})
    assert "LOADED []" in result.stderr, result.stderr
