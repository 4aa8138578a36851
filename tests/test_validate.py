"""`smtpcodes validate [FILE]`: every problem in a catalogue, named by entry and field; exit 0 valid, 3 not."""

import json

import pytest

from tests.catalogues import acme_catalogue, write
from tests.helpers import run

# One file with a problem of every kind the validator knows, each on its own entry or field.
MANY_PROBLEMS = """
colour = "blue"

[codes."4.7.950"]
title = "Acme greylisting"
status = "private"
description = ""
when = "   "
fix = []
fix_by = ["sender", "the-boss"]
classes = [5]
related = ["5.9.999", "550"]
pairs_with = ["999"]
colour = "red"
provider = "nobody-inc"

[codes."2.1.950"]
title = "Acme address rewritten"
status = "invented"
description = "d"
when = "w"
fix = ["f"]
fix_by = ["sender"]
references = ["r"]
classes = [3, 5]

[codes."250"]
reason = "policy"
classes = [2]

[codes."650"]
title = "not a class"

[providers.acme]
name = "Acme"
match = "(unclosed"
advice = "a"
homepage = "https://acme.example"

[[rules]]
reason = "no-such-reason"
label = "l"
pattern = "x"
priority = 1
"""
EXPECTED = [
    "colour: unknown top-level key",
    'codes."4.7.950".colour: unknown field',
    'codes."4.7.950".references: missing',
    'codes."4.7.950".description: must be non-empty text',
    'codes."4.7.950".when: must be non-empty text',
    'codes."4.7.950".fix: must not be empty',
    "codes.\"4.7.950\".fix_by: 'the-boss' is not one of",
    "codes.\"4.7.950\".related: '5.9.999' is not a code in the catalogue",
    "codes.\"4.7.950\".pairs_with: '999' is not a code in the catalogue",
    "codes.\"4.7.950\".provider: 'nobody-inc' is not a provider",
    'codes."4.7.950".classes: [5] contradicts the code\'s own class 4',
    "codes.\"2.1.950\".status: 'invented' is not one of",
    'codes."2.1.950".classes: enhanced classes can only be 2, 4 or 5',
    'codes."250".classes: only enhanced codes list classes',
    'codes."250".reason: a 2yz code is not a failure',
    'codes."650": not a code',
    "providers.acme.homepage: unknown field",
    "providers.acme.match: not a valid regular expression",
    "rules[0].priority: unknown field",
    "rules[0].reason: 'no-such-reason' is not a defined reason",
]


def _problems_in(result) -> list[str]:
    header, *problems = result.stdout.splitlines()
    assert header.endswith(f": {len(problems)} problems")
    return [line.strip() for line in problems]


def test_the_built_in_catalogue_is_valid():
    result = run("validate")
    assert result.exit_code == 0, result.stdout
    assert "valid (" in result.stdout and result.stderr == ""


def test_a_good_overlay_is_valid_and_counted(tmp_path):
    result = run("validate", write(tmp_path, "acme.toml", acme_catalogue()))
    assert result.exit_code == 0, result.stdout
    assert result.stdout.endswith("acme.toml: valid (2 codes, 0 rules, 1 providers)\n")


def test_every_problem_is_listed_not_only_the_first(tmp_path):
    result = run("validate", write(tmp_path, "many.toml", MANY_PROBLEMS))
    assert result.exit_code == 3
    problems = _problems_in(result)
    for expected in EXPECTED:
        assert sum(p.startswith(expected) for p in problems) == 1, f"{expected!r} not listed once in {problems}"
    assert len(problems) == len(EXPECTED)


def test_json_lists_the_same_problems(tmp_path):
    path = write(tmp_path, "many.toml", MANY_PROBLEMS)
    text = run("validate", path)
    result = run("validate", path, "--json")
    assert result.exit_code == 3
    document = json.loads(result.stdout)
    assert document == {
        "file": path, "valid": False, "problems": document["problems"], "codes": 4, "rules": 1, "providers": 1,
        "lang": "en",
    }
    assert document["problems"] == _problems_in(text)


def test_json_of_a_valid_file(tmp_path):
    result = run("validate", write(tmp_path, "acme.toml", acme_catalogue()), "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["valid"] is True and json.loads(result.stdout)["problems"] == []


@pytest.mark.parametrize(
    "text,where",
    [
        ('[codes."550"]\ntitle = "unterminated\n', "line 2, column"),
        ('[codes."550"]\ntitle = \n', "line 2, column"),
        ("schema = 1\n[codes\n", "line 2, column"),
        ('[codes."550"]\nfix = ["a",\n', "line 3, column"),
    ],
)
def test_a_toml_syntax_error_gives_line_and_column(tmp_path, text, where):
    result = run("validate", write(tmp_path, "bad.toml", text))
    assert result.exit_code == 3
    assert "TOML syntax" in result.stdout and where in result.stdout
    assert result.stdout.count("\n") == 1


def test_every_duplicate_table_is_listed_with_its_lines(tmp_path):
    text = '[codes."550"]\ntitle = "x"\n[codes."550"]\nwhen = "y"\n\n[ codes."550" ]  # again\n[codes."421"]\n[codes."421"]\n'
    result = run("validate", write(tmp_path, "dup.toml", text))
    assert result.exit_code == 3
    assert _problems_in(result) == [
        'line 3: [codes."550"] duplicates the table at line 1',
        'line 6: [codes."550"] duplicates the table at line 1',
        'line 8: [codes."421"] duplicates the table at line 7',
    ]


def test_a_syntax_error_before_a_duplicate_is_not_hidden_by_it(tmp_path):
    text = '[codes."550"]\ntitle = "unterminated\n[codes."421"]\n[codes."421"]\n'
    result = run("validate", write(tmp_path, "mixed.toml", text))
    problems = _problems_in(result)
    assert problems[0].startswith("TOML syntax:") and "line 2" in problems[0]
    assert problems[1] == 'line 4: [codes."421"] duplicates the table at line 3'


def test_duplicate_line_numbers_count_only_real_newlines(tmp_path):
    # \x0c and U+2028 inside a string are not TOML line breaks, though str.splitlines() breaks at them.
    text = '[codes."550"]\nwhen = "a\\u000cb"\ntitle = "x\u2028y"\n[codes."550"]\n'
    result = run("validate", write(tmp_path, "dup.toml", text))
    assert 'line 4: [codes."550"] duplicates the table at line 1' in result.stdout


def test_a_file_that_is_not_utf8_is_reported(tmp_path):
    path = tmp_path / "latin1.toml"
    path.write_bytes('[codes."550"]\ntitle = "caf\u00e9"\n'.encode("latin-1"))
    result = run("validate", str(path))
    assert result.exit_code == 3 and "not UTF-8 text (byte 26, at line 2, column 13)" in result.stdout


def test_an_overlay_may_refer_to_built_in_codes_but_not_standalone(tmp_path):
    path = write(tmp_path, "acme.toml", acme_catalogue())
    assert run("validate", path).exit_code == 0
    standalone = run("validate", path, "--standalone")
    assert standalone.exit_code == 3
    assert "codes.\"5.7.900\".related: 'X.7.1' is not a code in the catalogue" in standalone.stdout
    assert "codes.\"5.7.900\".reason: 'rate-limited' is not a defined reason" in standalone.stdout


def test_an_overlay_changing_an_existing_code_needs_no_repeated_fields(tmp_path):
    result = run("validate", write(tmp_path, "tweak.toml", '[codes."550"]\ntitle = "Our wording"\n'))
    assert result.exit_code == 0, result.stdout
