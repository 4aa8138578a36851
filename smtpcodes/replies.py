"""Placeholder until whole-reply parsing lands."""
from smtpcodes.errors import BadInput


def analyse_reply(catalogue, text, stage=None):
    raise BadInput("not a code")
