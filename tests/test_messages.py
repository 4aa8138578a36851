"""The wording of the output lives in the catalogue's [messages.*] templates, complete and well formed."""

import re
from pathlib import Path

from smtpcodes.catalogue.messages import Messages, template_problems
from smtpcodes.catalogue.translations import translatable
from tests.catalogues import write
from tests.helpers import run

SOURCE = Path(__file__).parent.parent / "smtpcodes"
GROUPS = ("labels", "verdicts", "compare", "cli", "actors", "statuses")
LITERAL_KEY = re.compile(r"""\(\s*"(%s)",\s*(f?)"([a-z_{}.\-]+)\"""" % "|".join(GROUPS))


def test_every_template_the_code_names_is_in_the_catalogue(catalogue):
    words = catalogue.messages
    named = 0
    for path in SOURCE.rglob("*.py"):
        for group, is_fstring, key in LITERAL_KEY.findall(path.read_text(encoding="utf-8")):
            if is_fstring:  # a family of keys (outcome_{digit}): its fixed prefix must exist
                prefix = key.split("{")[0]
                assert any(k.startswith(prefix) for k in catalogue.data["messages"][group]), (path.name, key)
            else:
                assert words.has(group, key), f"{path.name}: messages.{group}.{key} is missing"
            named += 1
    assert named > 50


def test_no_output_shows_a_missing_template():
    golden = Path(__file__).parent / "golden"
    for path in golden.glob("*.txt"):
        found = re.search(r"\b(%s)\.[a-z_]+\b" % "|".join(GROUPS), path.read_text(encoding="utf-8"))
        assert found is None, f"{path.name}: {found.group()}"


def test_every_template_is_offered_for_translation(catalogue):
    paths = {path for path, _ in translatable(catalogue.data) if path[0] == "messages"}
    assert ("messages", "compare", "summary_pair") in paths and ("messages", "labels", "what_it_means") in paths


def test_a_missing_template_shows_its_path_instead_of_failing():
    words = Messages({"labels": {"hello": "Hello {name}"}})
    assert words.text("labels", "hello", name="you") == "Hello you"
    assert words.text("labels", "absent") == "labels.absent"


def test_broken_templates_are_reported_by_validate(tmp_path):
    assert template_problems({"labels": {"a": "ok {name}", "b": "broken {", "c": "{0} positional", "d": 3}}) == [
        "messages.labels.b: Single '{' encountered in format string (write {{ and }} for literal braces)",
        "messages.labels.c: placeholders are {name}, not positional or indexed",
        "messages.labels.d: must be text",
    ]
    overlay = write(tmp_path, "words.toml", '[messages.labels]\nsummary = "Sum {"\n')
    result = run("validate", overlay)
    assert result.exit_code == 3 and "messages.labels.summary" in result.stdout


def test_an_overlay_can_reword_one_template_and_keep_the_rest(tmp_path):
    overlay = write(tmp_path, "words.toml", '[messages.labels]\nwhat_it_means = "Meaning"\n')
    out = run("explain", "535", "--catalogue", overlay).stdout
    assert "Meaning" in out and "What it means" not in out and "What to do first" in out


ERROR_CLASSES = r"(?:BadInput|InputFileError|InputDamaged|SmtpcodesError|Problem|Phrase)"
ERROR_KEY = re.compile(ERROR_CLASSES + r"""\(\s*"([a-z_]+)"(?:[^()]*?group="([a-z\-]+)")?""")
HINT_KEY = re.compile(r"""return "(not_a_code[a-z_]*)\"""")


def test_every_error_the_code_raises_has_its_template(catalogue):
    """Each `BadInput("key", ...)` names a template of [messages.errors] (or of its group=)."""
    words = catalogue.messages
    named = set()
    for path in SOURCE.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert not re.search(ERROR_CLASSES + r"\(\s*f?\"[^\"]* ", source), f"{path.name}: an error built from English"
        for key, group in ERROR_KEY.findall(source):
            assert words.has(group or "errors", key), f"{path.name}: messages.{group or 'errors'}.{key} is missing"
            named.add((group or "errors", key))
        for key in HINT_KEY.findall(source):  # lookup picks one of the not-a-code lines by the input's shape
            assert words.has("errors", key), f"{path.name}: messages.errors.{key} is missing"
            named.add(("errors", key))
    assert len(named) > 30
    unused = set(catalogue.data["messages"]["errors"]) - {key for group, key in named if group == "errors"}
    assert unused == set(), f"templates no code raises: {sorted(unused)}"


def test_an_error_line_keeps_its_english_for_library_users():
    import pickle

    from smtpcodes.errors import BadInput, Problem

    error = BadInput("bad_kind", value="nope")
    assert str(error) == "--kind 'nope' is not a kind: use basic or enhanced"
    assert error.facts == {"value": "nope"} and error.key == "bad_kind"
    copy = pickle.loads(pickle.dumps(error))  # --jobs workers send errors between processes
    assert type(copy) is BadInput and str(copy) == str(error)
    problem = pickle.loads(pickle.dumps(Problem("input_shrank", path="a.log", read=1500, size=2000)))
    assert problem == "a.log: shrank while it was read (rotated or truncated?): read 1,500 of 2,000 bytes"
    assert problem.key == "input_shrank" and problem.facts["size"] == 2000


def test_an_error_is_told_with_the_template_of_the_catalogue_in_the_users_language(tmp_path):
    overlay = write(tmp_path, "words.toml", '[messages.errors]\nbad_kind = "النوع {value!r} غير معروف"\n')
    result = run("list", "--kind", "nope", "--lang", "ar", "--catalogue", overlay)
    assert result.exit_code == 2
    assert result.stderr == "smtpcodes: error: النوع 'nope' غير معروف\n"
    arabic = run("list", "--kind", "nope", "--lang", "ar")  # the shipped Arabic translation
    assert arabic.stderr.startswith("smtpcodes: error: --kind 'nope' ") and "basic" in arabic.stderr
    assert re.search("[\u0600-\u06ff]", arabic.stderr)
    english = run("list", "--kind", "nope")
    assert english.stderr == "smtpcodes: error: --kind 'nope' is not a kind: use basic or enhanced\n"


def test_an_error_stays_escaped_and_in_english_when_the_catalogue_template_cannot_be_filled(tmp_path):
    overlay = write(tmp_path, "words.toml", '[messages.errors]\nbad_kind = "kind {missing_fact}"\n')
    result = run("list", "--kind", "\x1b[31mred", "--catalogue", overlay)
    assert result.exit_code == 2 and "\x1b" not in result.stderr
    assert result.stderr.startswith("smtpcodes: error: --kind ") and "is not a kind" in result.stderr


def test_an_error_before_the_catalogue_loads_is_told_in_english(tmp_path):
    result = run("explain", "550", "--format", "nope", "--lang", "ar")
    assert result.exit_code == 2
    assert result.stderr == "smtpcodes: error: --format 'nope' is not a format: use text, json, csv, markdown\n"


def test_a_scan_problem_line_is_told_with_the_catalogues_template(tmp_path):
    overlay = write(tmp_path, "words.toml", '[messages.errors]\ninput_missing = "{path}: لا يوجد ملف بهذا الاسم"\n')
    missing = str(tmp_path / "absent.log")
    result = run("scan", missing, "--lang", "ar", "--catalogue", overlay)
    assert result.exit_code == 2
    assert f"{missing}: لا يوجد ملف بهذا الاسم" in result.stderr and "no such file" not in result.stderr
    english = run("scan", missing, "--lang", "en")
    assert f"{missing}: no such file" in english.stderr
