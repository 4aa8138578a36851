"""Whole replies as users paste them: parsing, and the accuracy corpus of real reply lines."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


def test_an_enhanced_code_elsewhere_counts_only_when_its_class_agrees():
    # Haraka's helo.checks cites a section of RFC 5321; the status is the one of the reply's class.
    assert parse_reply("550 HELO host must be a FQDN or address literal (RFC 5321 2.3.5)").enhanced is None
    assert parse_reply("550 Requested action not taken (RFC 5321 2.3.5) (#5.7.1)").enhanced == "5.7.1"


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
    result = run("explain", "550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown", "--full")
    assert result.exit_code == 0
    for text in ("Server said", "Diagnosis", "How to fix", "mailbox-unknown", "hard"):
        assert text in result.stdout
    _, document = run_json("explain", "421 4.7.0 Try again later", "--after", "DATA")
    assert document["stage"] == "DATA" and document["retryable"] is True and document["bounce"] == "soft"


def test_explain_reads_a_reply_from_stdin():
    result = run("explain", "-", "--json", input="Diagnostic-Code: smtp; 552 5.2.2 Mailbox full\n")
    assert result.exit_code == 0
    assert '"mailbox-full"' in result.stdout


# --- Verdicts that must hold for every reply, whatever its wording (issue 10) ---------------------

GENERIC_PREFIXES = [
    "Recipient address rejected:", "Sender address rejected:", "Client host rejected:", "Helo command rejected:",
    "RCPT rejected:", "Recipient rejected:", "Requested action not taken: mailbox unavailable",
]
CONTENT_OR_POLICY = [
    "Spam detected", "Virus detected", "Message too big", "Policy violation", "Access denied",
    "Blocked by policy", "Greylisted, please try again later", "blocked using zen.spamhaus.org",
    "Message content rejected", "Rejected by SPF", "Too many connections, slow down", "Relay access denied",
    "Message rejected as spam by Content Filtering", "DMARC policy of reject", "Your IP is listed in bl.spamcop.net",
    "Service refused by local policy", "Malware found in attachment", "rate limit exceeded",
]
FAILURE_CODES = ["450", "451", "452", "550", "551", "552", "553", "554"]
ENHANCED = ["", "5.7.1 ", "5.1.1 ", "4.7.1 ", "5.0.0 ", "4.2.0 ", "5.7.0 "]


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(FAILURE_CODES), st.sampled_from(ENHANCED), st.sampled_from(["", "<u@example.com>: "]),
    st.sampled_from(GENERIC_PREFIXES), st.sampled_from(CONTENT_OR_POLICY),
)
def test_a_generic_prefix_before_a_content_or_policy_cause_is_never_an_unknown_mailbox(
    catalogue, code, enhanced, address, prefix, cause
):
    analysis = analyse_reply(catalogue, f"{code} {enhanced}{address}{prefix} {cause}")
    assert analysis.reason != "mailbox-unknown", analysis.evidence
    assert analysis.bounce != "hard"


WORDS = ["no", "today", "refused", "go away", "user", "unknown", "quota", "mailbox", "policy", "please", "try",
         "later", "rejected", "sorry", "transaction", "failed", "spam", "address", "not", "here", "x"]


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(["421", "450", "451", "452", "454", "500", "501", "530", "535", "550", "551", "552", "553",
                     "554", "556"]),
    st.sampled_from(["", "5.0.0 ", "4.0.0 ", "5.7.1 ", "5.1.1 ", "5.2.1 ", "4.2.2 ", "5.9.9 "]),
    st.lists(st.sampled_from(WORDS), max_size=6),
)
def test_hard_needs_evidence_that_the_address_is_bad(catalogue, code, enhanced, words):
    analysis = analyse_reply(catalogue, f"{code} {enhanced}{' '.join(words)}")
    if analysis.bounce == "hard":
        assert analysis.confidence in ("text", "enhanced-code") and analysis.retryable is False
        assert analysis.reason in ("mailbox-unknown", "mailbox-disabled", "domain-unknown") or enhanced == "5.1.3 "
    if analysis.confidence == "basic-code":
        assert analysis.bounce != "hard"


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(["211", "214", "220", "221", "235", "250", "251", "252", "334", "354"]),
    st.sampled_from(["", "2.0.0 ", "2.1.5 ", "5.1.1 ", "4.7.1 ", "2.7.0 "]),
    st.lists(st.sampled_from(WORDS + ["spam", "blocked", "STARTTLS"]), max_size=6),
)
def test_success_and_intermediate_replies_get_no_failure_advice(catalogue, code, enhanced, words):
    analysis = analyse_reply(catalogue, f"{code} {enhanced}{' '.join(words)}")
    assert analysis.fix == () and analysis.bounce is None and analysis.reason is None
    assert analysis.outcome in ("accepted", "continue")


@pytest.mark.parametrize(
    "text,reason",
    [
        # Each line holds words of two rules; the more specific one, earlier in the catalogue, wins.
        ("550 5.7.1 SPF check failed: access denied", "sender-authentication"),
        ("554 5.7.1 Your IP 192.0.2.1 is blocked by policy", "blocked"),
        ("552 5.2.2 Mailbox full, message refused by policy", "mailbox-full"),
        ("550 5.7.1 User unknown (policy)", "mailbox-unknown"),
        ("421 4.7.0 Rate limit exceeded, policy applies", "rate-limited"),
        ("550 5.4.7 Message expired, last error: user unknown", "expired"),
        ("451 4.7.1 Greylisted while the spam check runs", "greylisted"),
        ("450 4.1.8 <b@example.net>: Sender address rejected: Domain not found", "sender-rejected"),
        ("504 5.5.2 <localhost>: Helo command rejected: need fully-qualified hostname", "syntax"),
        ("550 5.4.1 Recipient address rejected: Access denied", "mailbox-unknown"),
        ("550 5.7.1 Recipient address rejected: Access denied", "policy"),
        ("554 5.7.1 Message rejected: virus found, policy violation", "content-rejected"),
        ("550 5.7.1 <u@example.net>... Relaying denied. IP name lookup failed [192.0.2.47]", "relay-denied"),
        ("450 4.7.1 Error: too many recipients from 192.0.2.10", "rate-limited"),
        ("550 5.7.27 Null MX: example.org does not send mail", "sender-rejected"),
        ("501 Syntactically invalid HELO argument(s)", "syntax"),
        ("554 5.7.1 Recipient address rejected: this system does not accept mail from your country", "policy"),
    ],
)
def test_rules_are_ordered_from_specific_to_generic(catalogue, text, reason):
    assert analyse_reply(catalogue, text).reason == reason


def test_the_catalogue_keeps_generic_rules_last_and_code_specific_rules_first(catalogue):
    rules = catalogue.rules
    labels = [rule["label"] for rule in rules]
    assert labels[-2:] == ["policy refusal", "delay notice that gives no cause"]
    with_codes = [i for i, rule in enumerate(rules) if "codes" in rule]
    assert with_codes == list(range(len(with_codes)))


def test_a_bare_code_with_unknown_words_is_a_guess_not_a_hard_bounce(catalogue):
    analysis = analyse_reply(catalogue, "550 Not today")
    assert (analysis.confidence, analysis.bounce, analysis.retryable) == ("basic-code", "soft", False)
    assert analysis.outcome == "bounced"


@pytest.mark.parametrize(
    "text,after,outcome,bounce",
    [
        ("535 5.7.8 Authentication credentials invalid", None, "not-sent", None),
        ("530 5.7.0 Must issue a STARTTLS command first", None, "not-sent", None),
        ("550 5.1.1 User unknown", "AUTH", "not-sent", None),
        ("421 4.7.0 Too many connections", "CONNECT", "retry-later", None),
        ("220-mx.example.com ESMTP\n421 4.7.0 Too many connections", None, "retry-later", None),
        ("connect to mx.example.com[192.0.2.1]:25: Connection refused", None, "retry-later", None),
        ("550 5.1.1 User unknown", "RCPT", "bounced", "hard"),
        ("451 4.7.1 Greylisted", "RCPT", "deferred", "soft"),
        ("Diagnostic-Code: smtp; 535 5.7.8 Authentication credentials invalid", None, "bounced", "soft"),
    ],
)
def test_the_stage_decides_whether_a_failure_is_a_bounce(catalogue, text, after, outcome, bounce):
    analysis = analyse_reply(catalogue, text, stage=after)
    assert (analysis.outcome, analysis.bounce) == (outcome, bounce)


def test_replies_without_a_code_are_explained_from_their_words():
    for text, reason in [
        ("Host or domain name not found. Name service error for name=example.invalid type=MX: Host not found",
         "domain-unknown"),
        ("connect to mx.example.com[192.0.2.1]:25: Connection timed out", "network"),
        ("Domain example.com does not accept mail (nullMX)", "domain-unknown"),
    ]:
        result, document = run_json("explain", text)
        assert result.exit_code == 0
        assert (document["reply"]["code"], document["reason"], document["confidence"]) == (None, reason, "text")
    assert run("explain", "hello world").exit_code == 2


def test_a_quoted_reply_is_reported_with_which_one_is_the_cause(catalogue):
    analysis = analyse_reply(
        catalogue, "550 4.4.7 QUEUE.Expired; message expired [{LED=450 4.7.1 Greylisting in action};{FQDN=mx.example.com}]"
    )
    assert analysis.reason == "expired" and analysis.cause == "nested"
    assert (analysis.nested.reply.code, analysis.nested.reason) == ("450", "greylisted")
    wrapper = analyse_reply(
        catalogue, "450 4.1.1 <u@example.com>: Recipient address rejected: unverified address: host mx.example.com"
        "[192.0.2.2] said: 550 5.1.1 <u@example.com>: User unknown (in reply to RCPT TO command)"
    )
    assert wrapper.reason == "mailbox-unknown" and wrapper.cause == "nested" and wrapper.bounce == "soft"


def test_decorated_codes_are_found():
    assert parse_reply("Sorry, no mailbox here by that name. (#5.1.1)").enhanced == "5.1.1"
    assert parse_reply("220-mx.example.com ESMTP\n421 4.7.0 Try later").code == "421"
    assert parse_reply("X-Postfix; Host or domain name not found").text.startswith("Host or domain")


def test_advice_is_filtered_to_the_reply(catalogue):
    yahoo = analyse_reply(catalogue, "421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to "
                                     "unexpected volume or user complaints")
    assert not any("530" in step or "STARTTLS" in step for step in yahoo.fix)
    assert analyse_reply(catalogue, "250 2.0.0 OK").fix == ()
    result = run("explain", "250 2.0.0 OK")
    assert "How to fix" not in result.stdout


def test_enhanced_codes_typed_with_x_or_another_class_do_not_contradict_themselves():
    result = run("explain", "X.1.1")
    assert "depends on the class" in result.stdout and "not a failure" not in result.stdout
    result = run("explain", "4.7.26")
    assert "yes, temporary" in result.stdout and "It is permanent" not in result.stdout


def test_overlays_add_prefixes_and_reword_single_templates(tmp_path):
    overlay = tmp_path / "ours.toml"
    overlay.write_text(
        '[[prefixes]]\nrole = "gateway"\nwords = ["gw refused"]\npattern = "gw refused:"\nfallback = "policy"\n'
        '[messages.analysis]\nreason_sentence = "Cause: {title}."\n',
        encoding="utf-8",
    )
    _, ours = run_json("explain", "550 gw refused: nope", "--catalogue", str(overlay))
    assert (ours["reason"], ours["confidence"]) == ("policy", "text")
    assert ours["diagnosis"].startswith("Cause: Refused by the receiver's policy.")
    _, builtin_prefix = run_json("explain", "554 5.7.1 <u@example.com>: Recipient address rejected: Access denied",
                                 "--catalogue", str(overlay))
    assert builtin_prefix["reason"] == "policy"  # the built-in prefixes still apply
    broken = tmp_path / "broken.toml"
    broken.write_text('[[prefixes]]\nrole = "x"\n', encoding="utf-8")
    result = run("explain", "550 x", "--catalogue", str(broken))
    assert result.exit_code == 3 and "prefixes[0].pattern" in result.stderr
