"""Languages: choosing one from options and the locale, laying translations over the catalogue, bidi."""

import pytest

from smtpcodes.catalogue.load import load_catalogue
from smtpcodes.catalogue.locales import (
    UNTRANSLATED,
    available_languages,
    coverage,
    translate,
)
from smtpcodes.catalogue.language import choose_language
from smtpcodes.catalogue.translations import fingerprint, translatable
from smtpcodes.errors import BadInput
from smtpcodes.output.bidi import visual, visual_lines, wants_visual

LANGUAGES = available_languages()


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, "en"),
        ({"LANG": "ar_EG.UTF-8"}, "ar"),
        ({"LANG": "es_MX.UTF-8", "LC_MESSAGES": "ar_SA.UTF-8"}, "ar"),
        ({"LANG": "es_ES.UTF-8", "LC_ALL": "de_DE.UTF-8"}, "de"),
        ({"LANG": "fr_FR.UTF-8", "LANGUAGE": "xx:ar:es"}, "ar"),
        ({"LC_ALL": "C", "LANGUAGE": "ar"}, "en"),  # gettext ignores LANGUAGE under the C locale
        ({"LANG": "POSIX"}, "en"),
        ({"LANG": "pt_BR.UTF-8@latin"}, "pt"),
        ({"LANG": "xx_YY.UTF-8"}, "en"),
    ],
)
def test_the_locale_picks_the_language_in_gettexts_order(environ, expected):
    assert choose_language(None, environ, LANGUAGES) == expected


def test_the_option_wins_over_the_locale_and_an_unknown_one_is_refused():
    assert choose_language("es", {"LANG": "ar_EG.UTF-8"}, LANGUAGES) == "es"
    assert choose_language("AR", {}, LANGUAGES) == "ar"
    with pytest.raises(BadInput, match="no language 'klingon'.*available: en, "):
        choose_language("klingon", {}, LANGUAGES)


def test_arabic_is_right_to_left_and_the_others_are_not():
    assert LANGUAGES["ar"].direction == "rtl"
    assert {tag for tag, lang in LANGUAGES.items() if lang.direction == "rtl"} == {"ar"}
    assert {"en", "ar", "es", "de", "fr", "pt", "it", "nl", "pl", "ru", "tr", "ja", "ko", "zh"} <= set(LANGUAGES)


def _data():
    return {
        "reasons": {"blocked": {"title": "Blocked"}, "policy": {"title": "Policy"}},
        "codes": {"550": {"title": "Mailbox unavailable", "fix": ["One.", "Two."], "notes": {"gmail": "G."}}},
    }


def test_a_translation_made_from_the_current_english_replaces_it():
    data = _data()
    fields = {
        ("reasons", "blocked", "title"): {"source": fingerprint("Blocked"), "text": "محظور"},
        ("codes", "550", "fix"): {"source": fingerprint(["One.", "Two."]), "text": ["واحد.", "اثنان."]},
    }
    translated = translate(data, fields)
    assert translated["reasons"]["blocked"]["title"] == "محظور"
    assert translated["codes"]["550"]["fix"] == ["واحد.", "اثنان."]
    assert data["reasons"]["blocked"]["title"] == "Blocked"  # the English is left alone
    assert translated["codes"]["550"][UNTRANSLATED] == ["title", "notes.gmail"]
    assert translated["reasons"]["policy"][UNTRANSLATED] == ["title"]


def test_a_stale_or_misshapen_translation_falls_back_to_the_english_and_is_marked():
    fields = {
        ("codes", "550", "title"): {"source": fingerprint("Mailbox was unavailable"), "text": "قديم"},
        ("codes", "550", "fix"): {"source": fingerprint(["One.", "Two."]), "text": ["واحد فقط."]},
    }
    translated = translate(_data(), fields)
    assert translated["codes"]["550"]["title"] == "Mailbox unavailable"
    assert translated["codes"]["550"]["fix"] == ["One.", "Two."]
    assert {"title", "fix"} <= set(translated["codes"]["550"][UNTRANSLATED])
    report = coverage(_data(), LANGUAGES["ar"], fields)
    assert report.total == 5 and report.translated == 0
    assert report.stale == ("codes.550.title",) and "codes.550.fix" in report.missing


def test_every_catalogue_text_is_covered_by_translatable(catalogue):
    paths = {".".join(path) for path, _ in translatable(catalogue.data)}
    assert {"codes.535.title", "codes.535.fix", "codes.535.notes.gmail", "reasons.blocked.title"} <= paths
    data_paths = [path for path in paths if not path.startswith("messages.")]
    assert not any(path.endswith(("references", "fix_by", "pattern", "match")) for path in data_paths)
    assert "messages.labels.references" in paths  # headings are text too


def test_a_language_is_cached_and_english_fields_are_marked(tmp_path, monkeypatch):
    first = load_catalogue(lang="ar")
    second = load_catalogue(lang="ar")
    assert first.entry("535") == second.entry("535")
    english = load_catalogue().entry("535")
    entry = first.entry("535")
    for field in ("title", "description"):
        assert entry[field] != english[field] or field in entry.get(UNTRANSLATED, [])


def test_codes_and_addresses_keep_their_order_in_visual_arabic():
    line = visual("الرمز 550 5.1.1 يعني أن <user@example.com> غير موجود (RFC 5321 §4.2).")
    assert "550 5.1.1" in line and "user@example.com" in line and "RFC 5321 §4.2" in line
    assert "\u2066" not in line and "\u2069" not in line
    assert line.startswith(".(RFC 5321 §4.2)")  # the sentence ends on the left, brackets mirrored
    assert "ﺰﻣﺮﻟﺍ" in line  # letters shaped into their joined forms
    assert visual("550 5.1.1 User unknown") == "550 5.1.1 User unknown"


def test_visual_lines_are_flush_right_and_never_wider_than_asked():
    text = "الرمز 550 5.1.1 يعني أن العنوان غير موجود ولا يمكن التسليم إليه أبدًا مهما أعيدت المحاولة"
    lines = visual_lines(text, 30, indent="- ", hanging="  ")
    assert len(lines) > 1 and all(len(line) == 30 for line in lines)
    assert lines[0].endswith("-")


@pytest.mark.parametrize(
    ("choice", "environ", "tty", "expected"),
    [
        (None, {}, True, True),
        (None, {}, False, False),  # pipes and files get logical order
        (None, {"VTE_VERSION": "7600"}, True, False),  # GNOME Terminal reorders by itself
        (None, {"VTE_VERSION": "7600", "TMUX": "/tmp/x"}, True, True),
        (None, {"SMTPCODES_BIDI": "terminal"}, True, False),
        ("visual", {"SMTPCODES_BIDI": "terminal"}, False, True),
        ("terminal", {}, True, False),
    ],
)
def test_visual_order_only_where_the_terminal_will_not_do_it(choice, environ, tty, expected):
    assert wants_visual(choice, environ, tty) is expected


def test_the_quick_direction_check_agrees_with_the_language_files():
    from smtpcodes.catalogue.language import is_right_to_left

    assert all(is_right_to_left(tag) == (lang.direction == "rtl") for tag, lang in LANGUAGES.items())
