"""The JSON shapes are a public contract: these keys are documented in the README and must not change."""

import json

from tests.helpers import run, run_json

CODE_KEYS = {
    "code", "kind", "known", "status", "standard", "title", "class", "category", "retryable",
    "description", "when", "fix", "fix_by", "references", "related", "pairs_with", "classes",
    "stages", "reason", "provider", "notes", "source", "warnings", "aliases",
}
REPLY_KEYS = {
    "kind", "reply", "basic", "enhanced", "reason", "reason_title", "evidence", "retryable",
    "bounce", "provider", "stage", "diagnosis", "fix", "warnings", "confidence", "outcome", "nested", "cause",
}
NESTED_KEYS = {"code", "enhanced", "text", "reason", "reason_title", "retryable", "confidence"}


def _check_code_object(obj, document=False):
    """A code object; one that is a whole document (or an element of list's array) also says its language."""
    assert set(obj) == (CODE_KEYS | {"lang"} if document else CODE_KEYS)
    if document:
        assert obj["lang"] == "en"
    assert set(obj["class"]) == {"digit", "name"} and set(obj["category"]) == {"digit", "name"}
    assert obj["kind"] in ("basic", "enhanced")
    assert obj["retryable"] in (True, False, None)
    for key in ("fix", "fix_by", "references", "related", "pairs_with", "classes", "stages", "warnings", "notes",
                "aliases"):
        assert isinstance(obj[key], list)


def test_explain_code_object_keys_for_known_unknown_basic_and_enhanced():
    for code in ("535", "599", "5.7.26", "X.7.26", "4.9.9"):
        _, document = run_json("explain", code)
        _check_code_object(document, document=True)


def test_compare_document_keys():
    _, document = run_json("compare", "214", "535", "5.7.8")
    assert set(document) == {"codes", "summary", "differences", "shared", "actions", "when_to_use", "same", "lang"}
    for code in document["codes"]:
        _check_code_object(code)
    for difference in document["differences"]:
        assert set(difference) == {"field", "label", "values", "explanation", "sentence"}
        assert set(difference["values"]) == {"214", "535", "5.7.8"}


def test_list_is_an_array_of_code_objects():
    _, document = run_json("list", "--class", "5")
    assert isinstance(document, list) and document
    for code in document:
        _check_code_object(code, document=True)


def test_reply_document_keys():
    _, document = run_json("explain", "550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown")
    assert set(document) == REPLY_KEYS | {"lang"}
    assert document["kind"] == "reply"
    assert set(document["reply"]) == {"code", "enhanced", "text", "lines"}
    _check_code_object(document["basic"])
    _check_code_object(document["enhanced"])
    assert document["confidence"] == "text" and document["outcome"] == "bounced"
    assert document["nested"] is None and document["cause"] is None


def test_reply_document_with_a_quoted_reply():
    _, document = run_json("explain", "550 5.4.300 Message expired -> 451 4.4.0 DNS query failed")
    assert set(document) == REPLY_KEYS | {"lang"}
    assert set(document["nested"]) == NESTED_KEYS
    assert (document["nested"]["code"], document["nested"]["reason"]) == ("451", "network")
    assert document["reason"] == "expired" and document["cause"] == "nested"


def test_reply_document_without_any_code():
    _, document = run_json("explain", "Host or domain name not found. Name service error for name=example.invalid type=MX: Host not found")
    assert set(document) == REPLY_KEYS | {"lang"}
    assert document["basic"] is None and document["enhanced"] is None
    assert (document["reason"], document["confidence"], document["bounce"]) == ("domain-unknown", "text", "hard")


def test_search_and_validate_documents():
    _, document = run_json("search", "relay")
    assert set(document) == {"query", "results", "lang"}
    for hit in document["results"]:
        assert set(hit) == {"score", "matched", "code"}
        _check_code_object(hit["code"])
    _, document = run_json("validate")
    assert set(document) == {"file", "valid", "problems", "codes", "rules", "providers", "languages", "lang"}
    assert {lang["tag"] for lang in document["languages"]} >= {"en", "ar", "es"}


def test_json_output_is_ascii_and_round_trips_exact_text():
    reply = "550 5.7.1 \u202eevil\u202c \x1b[31mred\x1b[0m caf\u00e9"
    result = run("explain", reply, "--json")
    assert result.stdout.isascii()
    assert json.loads(result.stdout)["reply"]["text"] == reply[10:]
