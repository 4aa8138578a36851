"""Parsing codes as users type them, and explaining codes that are not in the catalogue."""

import pytest

from smtpcodes.errors import BadInput
from smtpcodes.explain.lookup import explain_code, parse_code, suggest_codes


@pytest.mark.parametrize(
    "text,kind,canonical",
    [("550", "basic", "550"), (" 421 ", "basic", "421"), ("5.7.26", "enhanced", "5.7.26"),
     ("x.7.26", "enhanced", "X.7.26"), ("4.07.1", "enhanced", "4.7.1")],
)
def test_codes_are_parsed_and_normalised(text, kind, canonical):
    ref = parse_code(text)
    assert (ref.kind, ref.text) == (kind, canonical)


@pytest.mark.parametrize("text", ["abc", "6xx", "12345", "600", "055", "1.2.3", "3.1.1", "5.1234.1", "", "5.7"])
def test_malformed_codes_are_refused_with_a_suggestion(text):
    with pytest.raises(BadInput) as error:
        parse_code(text)
    message = str(error.value)
    assert "e.g." in message or "try" in message


def test_an_unlisted_basic_code_is_explained_from_its_digits(catalogue):
    code = explain_code(catalogue, "599")
    assert not code.known
    assert code.code_class.digit == 5 and code.retryable is False
    assert "not in the catalogue" in code.description
    assert code.warnings  # second digit 9 is outside RFC 5321's grammar


def test_an_unlisted_temporary_code_is_retryable(catalogue):
    code = explain_code(catalogue, "439")
    assert not code.known and code.retryable is True


def test_an_unregistered_enhanced_code_is_explained_by_class_and_subject(catalogue):
    code = explain_code(catalogue, "5.7.999")
    assert not code.known
    assert code.category.name == "Security or Policy Status"
    assert code.retryable is False


def test_the_x_form_has_no_class_and_no_retry_verdict(catalogue):
    code = explain_code(catalogue, "X.7.26")
    assert code.known and code.code_class.digit is None and code.retryable is None


def test_an_enhanced_code_used_in_a_class_it_is_not_defined_for_is_flagged(catalogue):
    code = explain_code(catalogue, "2.1.1")
    assert code.known
    assert any("not a class this code is defined for" in w for w in code.warnings)


def test_mistyped_codes_get_nearest_suggestions(catalogue):
    assert "X.7.26" in suggest_codes(catalogue, "5.7.266")
    nearest = suggest_codes(catalogue, "559")
    assert nearest and all(code.startswith("55") for code in nearest)
