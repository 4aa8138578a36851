"""The shipped catalogue: complete, consistent with the RFC structure, validated on load, cached."""

import os
from pathlib import Path

import pytest

from smtpcodes.catalogue.load import builtin_path, load_catalogue, parse_and_check, read_catalogue
from smtpcodes.errors import CatalogueError
from smtpcodes.explain.lookup import explain_code
from smtpcodes.catalogue.model import ACTORS, STAGES

REQUIRED = [
    line.split("\t") for line in (Path(__file__).parent / "data" / "required_codes.tsv").read_text().splitlines()
]


def test_the_reference_list_is_read():
    assert len(REQUIRED) == 144
    assert sum(1 for kind, _, _ in REQUIRED if kind == "basic") == 63


@pytest.mark.parametrize("kind,code,source", REQUIRED, ids=[c for _, c, _ in REQUIRED])
def test_every_reference_code_has_a_complete_entry(catalogue, kind, code, source):
    entry = catalogue.entry(code)
    assert entry is not None, f"{code} missing from codes.toml"
    for field in ("title", "description", "when"):
        assert len(entry[field].strip()) >= 10, f"{code}.{field} is too thin"
    assert entry["fix"] and all(len(step) >= 15 for step in entry["fix"])
    assert entry["references"] and entry["fix_by"]
    assert set(entry["fix_by"]) <= set(ACTORS)
    assert set(entry.get("stages", [])) <= set(STAGES)
    explained = explain_code(catalogue, code)
    assert explained.known and explained.kind == kind


@pytest.mark.parametrize("kind,code,source", REQUIRED, ids=[c for _, c, _ in REQUIRED])
def test_standard_and_vendor_codes_are_marked_as_the_reference_says(catalogue, kind, code, source):
    status = catalogue.entry(code)["status"]
    if source == "non-standard":
        assert status == "non-standard"
    else:
        assert status != "non-standard"


def test_basic_entries_agree_with_their_digits(catalogue):
    for key, entry in catalogue.codes.items():
        if "." in key:
            continue
        code = explain_code(catalogue, key)
        assert code.code_class.digit == int(key[0])
        assert code.retryable == {4: True, 5: False}.get(int(key[0]))
        if key[0] in "23":
            assert "reason" not in entry, f"{key} is not a failure but has a reason"
        elif key[0] in "45":
            assert entry.get("reason") in catalogue.reasons, f"{key} needs a default reason"


def test_enhanced_entries_allow_only_real_classes_and_pair_with_listed_basic_codes(catalogue):
    enhanced = {k: e for k, e in catalogue.codes.items() if "." in k}
    assert len([k for k in enhanced if k.startswith("X.")]) == 81
    for key, entry in enhanced.items():
        assert entry["classes"] and set(entry["classes"]) <= {2, 4, 5}
        for basic in entry.get("pairs_with", []):
            assert basic in catalogue.codes, f"{key} pairs with unknown {basic}"


def test_related_codes_all_exist(catalogue):
    for key, entry in catalogue.codes.items():
        for related in entry.get("related", []):
            assert related in catalogue.codes, f"{key} relates to missing {related}"


def test_catalogue_text_carries_no_rich_markup(catalogue):
    import re

    markup = re.compile(r"\[/?(bold|italic|red|green|link|b|i|u|/)\b[^\]]*\]")
    for key, entry in catalogue.codes.items():
        for field in ("title", "description", "when"):
            assert not markup.search(entry[field]), f"{key}.{field} contains rich markup"


def test_the_catalogue_is_found_from_any_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert builtin_path().is_file()
    assert "535" in load_catalogue().codes


def _broken_copy(tmp_path, old: str, new: str) -> str:
    text = builtin_path().read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "broken.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return str(path)


def test_a_missing_field_is_reported_with_entry_and_field(tmp_path):
    path = _broken_copy(tmp_path, '[codes."535"]\ntitle =', '[codes."535"]\nheadline =')
    with pytest.raises(CatalogueError) as error:
        parse_and_check(path)
    assert 'codes."535".title: missing' in error.value.problems
    assert 'codes."535".headline: unknown field' in error.value.problems


def test_a_toml_syntax_error_names_line_and_column(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text('[codes."550"]\ntitle = "unterminated\n', encoding="utf-8")
    with pytest.raises(CatalogueError) as error:
        parse_and_check(str(path))
    assert "line 2" in str(error.value) and "column" in str(error.value)


def test_loading_is_served_from_the_cache_until_the_file_changes(tmp_path, monkeypatch):
    monkeypatch.setenv("SMTPCODES_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "codes.toml"
    path.write_bytes(builtin_path().read_bytes())
    first = read_catalogue(str(path))
    cache_files = list(Path(os.environ["SMTPCODES_CACHE_DIR"]).rglob("*.marshal"))
    assert len(cache_files) == 1
    cached = read_catalogue(str(path))
    assert dict(cached["codes"].items()) == first["codes"]
    assert cached["reasons"] == first["reasons"]
    path.write_text(path.read_text(encoding="utf-8").replace('[codes."535"]\ntitle = "', '[codes."535"]\ntitle = "Edited: ', 1), encoding="utf-8")
    os.utime(path, ns=(1, 1))
    assert read_catalogue(str(path))["codes"]["535"]["title"].startswith("Edited: ")


def test_an_unwritable_cache_directory_only_costs_a_parse(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("SMTPCODES_CACHE_DIR", str(blocker))
    assert "550" in load_catalogue().codes
