"""Catalogue files the tests write: a made-up organisation (Acme) with its own provider and private code."""

import json
from pathlib import Path


def toml_string(text: str) -> str:
    """A TOML basic string holding exactly `text`: JSON's escapes (\\u001b, \\") are valid TOML."""
    return json.dumps(text)


def acme_catalogue(extra: str = "", *, key: str = "5.7.900") -> str:
    """An overlay adding provider `acme` and its private code `key`; `extra` ends every text field."""

    def text(value: str) -> str:
        return toml_string(value + extra)

    return f"""
[providers.acme]
name = {text("Acme Mail")}
match = '\\bacmemail\\b'
advice = {text("Acme runbook: check the tenant quota dashboard first.")}
docs = [{text("https://runbooks.acme.example/smtp")}]

[codes."{key}"]
title = {text("Acme tenant quota exceeded")}
status = "private"
description = {text("Acme's gateway refuses mail from a tenant over its daily sending quota (zzacme).")}
when = {text("After RCPT, once the sending tenant has used up its quota.")}
fix = [{text("Sending admin: raise the tenant quota in the Acme console or wait for the daily reset.")}]
fix_by = ["sending-admin"]
references = [{text("Acme runbook SMTP-900")}]
related = ["X.7.1", "550"]
pairs_with = ["550"]
classes = [5]
provider = "acme"
reason = "rate-limited"

[codes."550".notes]
acme = {text("Acme's gateway also uses 550 5.7.900 for tenants over quota.")}
"""


def write(directory: Path, name: str, text: str) -> str:
    """Write a catalogue file and return its path as the command line would give it."""
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return str(path)
