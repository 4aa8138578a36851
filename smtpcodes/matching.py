"""A prioritised set of regular expressions searched in one pass."""

from __future__ import annotations

import re
from typing import Sequence


class PatternSet:
    """Finds which of several patterns, earliest in priority order, matches a text.

    The patterns are combined into one expression, each branch in a lookahead, so
    one scan of the text visits every position once; at each position the engine
    tries branches in priority order. The lowest branch number seen anywhere is
    exactly the first pattern, in order, that matches somewhere in the text.
    """

    def __init__(self, patterns: Sequence[str]):
        self.size = len(patterns)
        branches = "|".join(f"(?P<p{i}>{pattern})" for i, pattern in enumerate(patterns))
        self._combined = re.compile(f"(?=(?:{branches}))", re.IGNORECASE) if patterns else None

    def first(self, text: str) -> tuple[int, str] | None:
        """(index, matched text) of the highest-priority pattern found in `text`, or None."""
        if self._combined is None:
            return None
        best: tuple[int, str] | None = None
        for match in self._combined.finditer(text):
            index = int(match.lastgroup[1:])
            if best is None or index < best[0]:
                best = (index, match.group(match.lastgroup))
                if index == 0:
                    break
        return best
