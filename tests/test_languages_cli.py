"""Languages through the command line: Arabic and Spanish complete, codes kept, RTL laid out right."""

import json
import re

import pytest

from smtpcodes.catalogue.load import load_catalogue
from smtpcodes.catalogue.locales import available_languages, coverage, read_translations
from smtpcodes.catalogue.translations import fingerprint, translatable
from tests.helpers import run

COMPLETE = ("ar", "es")
# What a translation must carry over from the English unchanged.
KEPT = re.compile(r"\{[a-z_]+(?:![rsa])?(?::[^{}]*)?\}|\b[245]\d\d\b|\b[245X]\.\d{1,3}\.\d{1,3}\b|\bRFC \d+")
SHAPED = re.compile("[\ufe70-\ufeff]")  # Arabic presentation forms: letters joined for display
ARABIC = re.compile("[\u0600-\u06ff]")


@pytest.fixture(scope="module")
def english():
    return load_catalogue().data


@pytest.mark.parametrize("tag", COMPLETE)
def test_every_text_is_translated_from_the_current_english(english, tag):
    report = coverage(english, available_languages()[tag])
    assert report.stale == () and report.missing == (), (report.stale[:10], report.missing[:10])


@pytest.mark.parametrize("tag", COMPLETE)
def test_translations_keep_codes_references_and_placeholders(english, tag):
    fields = read_translations(tag)
    lost = []
    for path, text in translatable(english):
        field = fields.get(path, {})
        translated = field.get("text")
        if translated is None or field.get("source") != fingerprint(text):
            continue  # missing or stale: shown in English, and reported by the test above
        source = " ".join(text) if isinstance(text, list) else text
        target = " ".join(translated) if isinstance(translated, list) else translated
        lost += [f"{'.'.join(path)}: {token}" for token in set(KEPT.findall(source)) if token not in target]
    assert lost == []


def _keys_and_values(document, path=""):
    """Every key path of a JSON document, with the values that are not text (enums, codes, numbers)."""
    if isinstance(document, dict):
        for key, value in document.items():
            yield from _keys_and_values(value, f"{path}.{key}")
    elif isinstance(document, list):
        for index, value in enumerate(document):
            yield from _keys_and_values(value, f"{path}[{index}]")
    else:
        yield path, document


@pytest.mark.parametrize("args", [("explain", "535"), ("explain", "550 5.1.1 <bob@example.com>: User unknown"),
                                  ("compare", "214", "535")])
def test_json_changes_only_its_text_and_says_the_language(args):
    english = json.loads(run(*args, "--json").stdout)
    arabic = json.loads(run(*args, "--json", "--lang", "ar").stdout)
    assert english["lang"] == "en" and arabic["lang"] == "ar"
    left, right = dict(_keys_and_values(english)), dict(_keys_and_values(arabic))
    assert left.keys() == right.keys()
    enums = [p for p in left if p.rsplit(".", 1)[-1] in ("code", "kind", "status", "reason", "bounce", "retryable",
                                                        "digit", "stage", "confidence", "known", "source")]
    assert enums and all(left[p] == right[p] for p in enums)
    texts = [p for p in left if p.endswith((".title", ".description"))]
    assert any(left[p] != right[p] and ARABIC.search(str(right[p])) for p in texts)


def test_json_is_english_under_an_arabic_locale_unless_asked(monkeypatch):
    monkeypatch.setenv("LANG", "ar_EG.UTF-8")
    assert json.loads(run("explain", "535", "--json").stdout)["lang"] == "en"
    plain = run("explain", "535").stdout  # piped human output follows the locale
    assert ARABIC.search(plain)


@pytest.mark.parametrize("width", [60, 100, 160])
@pytest.mark.parametrize("args", [("explain", "535"), ("compare", "214", "535"), ("list", "--class", "2")])
def test_arabic_is_logical_when_piped_and_visual_when_asked(monkeypatch, width, args):
    monkeypatch.setenv("COLUMNS", str(width))
    logical = run(*args, "--lang", "ar").stdout
    assert ARABIC.search(logical) and not SHAPED.search(logical)  # the reader's viewer does the bidi
    visual = run(*args, "--lang", "ar", "--bidi", "visual").stdout
    assert SHAPED.search(visual)
    lines = visual.splitlines()
    assert all(len(line) <= max(width, 60) for line in lines)
    assert "\u2066" not in visual and "\u2069" not in visual  # isolates are removed after reordering
    if args[0] == "compare":
        assert "214" in visual and "535" in visual


def test_codes_read_left_to_right_inside_visual_arabic():
    visual = run("explain", "550 5.1.1 <bob@example.com>: User unknown", "--lang", "ar", "--bidi", "visual").stdout
    assert "550 5.1.1" in visual and "1.1.5" not in visual and "bob@example.com" in visual


def test_an_unknown_language_is_one_line_and_exit_2():
    result = run("explain", "535", "--lang", "xx")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "no language 'xx'" in result.stderr and "ar" in result.stderr


def test_search_finds_codes_by_arabic_and_spanish_words_and_still_by_english():
    assert "X.2.2" in run("search", "صندوق", "البريد", "ممتلئ", "--lang", "ar", "--json").stdout
    assert "X.2.2" in run("search", "buzón", "lleno", "--lang", "es", "--json").stdout
    assert "X.2.2" in run("search", "mailbox", "full", "--lang", "es", "--json").stdout


def test_languages_lists_every_language_with_its_coverage():
    document = json.loads(run("languages", "--json").stdout)
    tags = {lang["tag"]: lang for lang in document["languages"]}
    assert {"en", "ar", "es", "de", "fr", "ja", "zh"} <= set(tags)
    assert tags["ar"]["direction"] == "rtl" and tags["es"]["direction"] == "ltr"
    assert tags["en"]["catalogue"]["percent"] == 100.0
