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
