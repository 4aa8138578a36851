"""Whole replies as users paste them: parsing, and the accuracy corpus of real reply lines."""

import pytest

from smtpcodes.explain.analysis import analyse_reply
from smtpcodes.errors import BadInput
from smtpcodes.explain.replies import parse_reply
from tests.helpers import run, run_json

def test_multi_line_replies_are_joined_and_continuation_codes_removed():
    reply = parse_reply(
        "550-5.7.26 This mail is unauthenticated, which poses a security risk to the\r\n"
        "550-5.7.26 sender and Gmail users, and has been blocked.\r\n"
        "550 5.7.26 Learn more at https://support.google.com/mail/answer/81126 - gsmtp"
    )
    assert (reply.code, reply.enhanced) == ("550", "5.7.26")
    assert len(reply.lines) == 3
    assert "550" not in reply.text and "5.7.26" not in reply.text
    assert reply.text.startswith("This mail is unauthenticated") and reply.text.endswith("gsmtp")


def test_postfix_folded_replies_and_the_in_reply_to_suffix():
    reply = parse_reply(
        "host gmail-smtp-in.l.google.com[192.0.2.26] said: 550-5.7.26 This mail is unauthenticated, "
        "which poses a security risk to the 550-5.7.26 sender and Gmail users. 550 5.7.26 Learn more - gsmtp "
        "(in reply to end of DATA command)"
    )
    assert reply.stage == "DATA"
    assert reply.host == "gmail-smtp-in.l.google.com"
    assert "550-5.7.26" not in reply.text and "in reply to" not in reply.text


@pytest.mark.parametrize(
    "text,code,enhanced,stage",
    [
        ("Diagnostic-Code: smtp; 550 5.1.1 <a@example.com>: User unknown", "550", "5.1.1", None),
        ("Remote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound; not found'", "550", "5.1.10", None),
        ("Remote Server returned '< #5.1.1 smtp;550 5.1.1 User unknown>'", "550", "5.1.1", None),
        ("SMTP error from remote mail server after RCPT TO:<a@example.org>: 550 5.1.1 No such user", "550", "5.1.1", "RCPT"),
        ("SMTP<550 5.7.1 Message rejected", "550", "5.7.1", None),
        ("<~ 535 5.7.8 Username and Password not accepted", "535", "5.7.8", None),
        ("<<< 421 4.7.0 Try again later, closing connection.", "421", "4.7.0", None),
        ("S: 554 5.7.1 <x@example.net>: Relay access denied", "554", "5.7.1", None),
        ("451 Temporary local problem - please try later", "451", None, None),
        ("host mx.example.com[192.0.2.1] said: 452 4.5.3 Too many recipients (in reply to MAIL FROM command)", "452", "4.5.3", "MAIL"),
    ],
)
def test_prefixes_and_wrappers_users_paste(text, code, enhanced, stage):
    reply = parse_reply(text)
    assert (reply.code, reply.enhanced, reply.stage) == (code, enhanced, stage)


def test_text_without_a_code_or_any_known_words_is_refused(catalogue):
    assert parse_reply("the server said something unhelpful").code is None
    with pytest.raises(BadInput):
        analyse_reply(catalogue, "the server said something unhelpful")


def test_numbers_inside_addresses_and_ips_are_not_taken_for_codes():
    reply = parse_reply("Connection to 192.0.2.550 port 25: 421 4.4.2 Timeout")
    assert reply.code == "421"


def test_the_stage_option_changes_the_advice(catalogue):
    after_rcpt = analyse_reply(catalogue, "550 5.7.1 Rejected", stage="RCPT")
    after_data = analyse_reply(catalogue, "550 5.7.1 Rejected", stage="data")
    assert after_rcpt.stage == "RCPT" and after_data.stage == "DATA"
    assert "recipient" in after_rcpt.diagnosis and "content" in after_data.diagnosis


def test_an_unknown_stage_is_bad_input(catalogue):
    with pytest.raises(BadInput):
        analyse_reply(catalogue, "550 5.7.1 Rejected", stage="LUNCH")


def test_contradictory_replies_get_warnings(catalogue):
    success_with_failure = analyse_reply(catalogue, "250 5.1.1 weird")
    assert any("reports success" in w for w in success_with_failure.warnings)
    mismatch = analyse_reply(catalogue, "550 4.2.2 Mailbox full")
    assert any("classes disagree" in w for w in mismatch.warnings)
    undefined_class = analyse_reply(catalogue, "160 preliminary nonsense")
    assert any("no 1yz replies" in w for w in undefined_class.warnings)


def test_the_text_wins_over_a_misused_code(catalogue):
    analysis = analyse_reply(catalogue, "550 5.1.1 Too many messages, rate limit exceeded, try later")
    assert analysis.reason == "rate-limited"
    assert analysis.bounce == "soft"
    assert analysis.evidence[0].startswith("text:")


def test_a_success_reply_has_no_reason_and_no_bounce(catalogue):
    analysis = analyse_reply(catalogue, "250 2.0.0 Ok: queued as 4ABCD")
    assert analysis.reason is None and analysis.bounce is None and analysis.retryable is None


def test_explain_reply_through_the_cli():
    result = run("explain", "550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown")
    assert result.exit_code == 0
    for text in ("Server said", "Diagnosis", "How to fix", "mailbox-unknown", "hard"):
        assert text in result.stdout
    _, document = run_json("explain", "421 4.7.0 Try again later", "--after", "DATA")
    assert document["stage"] == "DATA" and document["retryable"] is True and document["bounce"] == "soft"


def test_explain_reads_a_reply_from_stdin():
    result = run("explain", "-", "--json", input="Diagnostic-Code: smtp; 552 5.2.2 Mailbox full\n")
    assert result.exit_code == 0
    assert '"mailbox-full"' in result.stdout
