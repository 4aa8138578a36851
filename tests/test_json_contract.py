"""The JSON shapes are a public contract: these keys are documented in the README and must not change."""

import json

from tests.helpers import run, run_json
from tests.scanlogs import LOGS

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


SUMMARY_KEYS = {
    "kind", "files", "lines_read", "lines_skipped", "lines_truncated", "replies_found", "replies_matched",
    "outcomes", "directions", "statuses_without_reply", "groups", "groups_total", "reasons", "traffic", "lang",
}
OUTCOME_KEYS = {"delivered", "deferred", "bounced", "rejected", "expired", "other"}
GROUP_KEYS = {"direction", "code", "enhanced", "reason", "reason_title", "class", "count", "share", "retryable",
              "bounce", "provider", "example", "domains"}
TRAFFIC_KEYS = {"totals", "domains", "domains_total", "hours", "senders", "recipients"}
TOTALS_KEYS = {"received", "delivered", "forwarded", "deferred", "deferrals", "bounced", "rejected", "reject_warnings",
               "expired", "bytes_received", "bytes_delivered"}


def test_scan_summary_document_keys():
    """`scan --summary --json`, as the README documents it; a new key is added here and there, never renamed."""
    _, document = run_json("scan", "--summary", str(LOGS / "postfix.log"), str(LOGS / "bounce.eml"))
    assert set(document) == SUMMARY_KEYS
    assert document["kind"] == "scan-summary" and document["lang"] == "en"
    assert set(document["outcomes"]) == OUTCOME_KEYS == set(document["statuses_without_reply"])
    assert set(document["directions"]) == {"incoming", "outgoing", "unknown"}
    assert document["groups"] and document["groups_total"] == len(document["groups"])
    for group in document["groups"]:
        assert set(group) == GROUP_KEYS
        assert group["direction"] in ("incoming", "outgoing", None) and group["retryable"] in (True, False, None)
        for domain in group["domains"]:
            assert set(domain) == {"domain", "count"}
    for reason in document["reasons"]:
        assert set(reason) == {"reason", "title", "count"}
    traffic = document["traffic"]
    assert set(traffic) == TRAFFIC_KEYS and set(traffic["totals"]) == TOTALS_KEYS
    assert traffic["domains"] and traffic["hours"] and traffic["senders"] and traffic["recipients"]
    for domain in traffic["domains"]:
        assert set(domain) == {"domain", "delivered", "bytes", "deferred", "bounced", "delay_avg", "delay_max"}
    for hour in traffic["hours"]:
        assert set(hour) == {"hour", "received", "delivered", "deferred", "bounced", "rejected"}
    for address in traffic["senders"] + traffic["recipients"]:
        assert set(address) == {"address", "count"}


def test_scan_summary_in_arabic_changes_only_its_text():
    _, english = run_json("scan", "--summary", str(LOGS / "postfix.log"))
    _, arabic = run_json("scan", "--summary", str(LOGS / "postfix.log"), "--lang", "ar")
    assert arabic["lang"] == "ar" and set(arabic) == set(english)
    assert [r["reason"] for r in arabic["reasons"]] == [r["reason"] for r in english["reasons"]]
    assert [r["count"] for r in arabic["reasons"]] == [r["count"] for r in english["reasons"]]
    assert all(a["title"] != e["title"] for a, e in zip(arabic["reasons"], english["reasons"], strict=True))
    assert arabic["traffic"] == english["traffic"]
