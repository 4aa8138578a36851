"""The scan summary right to left, in visual order, for terminals that do not reorder themselves.

The summary is laid out in logical order as for any language; each line is then padded to the width
and reordered as a right-to-left paragraph, so that it comes out flush right with its columns
mirrored in place (bidi keeps each cell, two spaces from the next, a run of its own). Arabic is
shaped before the layout measures it, since shaping drops vowel marks and joins lam-alef. Lines of
outside text (a reply, domains, an address) keep their own left-to-right order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from smtpcodes.catalogue.messages import Messages
from smtpcodes.output.bidi import shaped, visual, visual_ltr

if TYPE_CHECKING:
    from smtpcodes.output.scanview import Line
    from smtpcodes.scan.summary import Summary


class ShapedMessages(Messages):
    """The templates with their Arabic letters joined, so that columns are measured as they are drawn."""

    def __init__(self, words: Messages):
        super().__init__(words.table)

    def text(self, group: str, key: str, **values: object) -> str:
        return shaped(super().text(group, key, **values))


def shaped_titles(summary: Summary) -> Summary:
    """The summary with its reason titles shaped (the reason bars are laid out by their length)."""
    titles = tuple((reason, shaped(title) if title else title, n) for reason, title, n in summary.reasons)
    return summary._replace(reasons=titles)


def visual_order(lines: list[Line], width: int) -> list[Line]:
    """Every line `width` wide, flush right, in the order a terminal draws it."""
    shown = []
    for line in lines:
        if not line.text:
            text = ""
        elif line.ltr:
            text = visual_ltr(line.text.strip()).rjust(width)
        else:
            text = visual(line.text.ljust(width), right_to_left=True).rjust(width)
        shown.append(line._replace(text=text[-width:], bar=None))
    return shown
