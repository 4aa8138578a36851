"""The accuracy corpus: real-shaped reply lines from many MTAs and providers (tests/corpus/*.tsv,
built as README "The reply corpus" describes), each with its expected codes and verdicts."""

import csv
from pathlib import Path

import pytest

from smtpcodes.explain.analysis import analyse_reply

CORPUS_DIR = Path(__file__).parent / "corpus"
FIELDS = ("code", "enhanced", "reason", "bounce", "confidence")
NOT_ORIGINS = {"rfc2034", "rfc3207", "rfc3463", "rfc4954", "rfc5321", "rfc7504", "rfc7505", "nested"}


def load_corpus() -> list[dict]:
    cases = []
    for path in sorted(CORPUS_DIR.glob("*.tsv")):
        with open(path, encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
                row["reply"] = row["reply"].replace("\\n", "\n")
                row["file"] = path.name
                cases.append(row)
    return cases


CORPUS = load_corpus()


def test_the_corpus_is_broad_enough():
    replies = [case["reply"] for case in CORPUS]
    assert len(set(replies)) == len(replies) >= 600
    origins = {case["origin"] for case in CORPUS} - NOT_ORIGINS
    assert len(origins) >= 40
    assert all(case["source"] for case in CORPUS)
    confidences = {case["confidence"] for case in CORPUS}
    assert {"text", "enhanced-code", "basic-code"} <= confidences


@pytest.mark.parametrize("case", CORPUS, ids=[f"{c['file']}:{i}-{c['origin']}" for i, c in enumerate(CORPUS)])
def test_real_replies_get_the_expected_verdicts(catalogue, case):
    analysis = analyse_reply(catalogue, case["reply"])
    got = {
        "code": analysis.reply.code or "",
        "enhanced": analysis.reply.enhanced or "",
        "reason": analysis.reason or "",
        "bounce": analysis.bounce or "",
        "confidence": analysis.confidence or "",
    }
    expected = {key: case[key] for key in FIELDS}
    assert got == expected, f"evidence: {analysis.evidence}"
