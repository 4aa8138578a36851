"""What the scanner remembers of replies explained, so that a reply like one seen before costs a few
lookups rather than a parse and a masking.

Replies differ in their identifiers (queue ids, message ids, addresses, IP addresses), so the
explanation is computed from the reply with those masked (records.mask): a `Plan` is one masked
reply (and stage) explained, with the places of its reply lines in the masked text. Finding the
identifiers takes a regular expression that costs more than all the rest, so it runs once per
`records.mask_key` (the text reduced to the character classes the masks tell apart): a `Placed`
keeps, for one key, where the identifiers are and the plan last used, its lines as places in the
text. Parsing a reply only cuts and joins around the identifiers (they hold no code, space or
quote), so the masked parse with the identifiers put back is the parse of the text itself.
"""

from __future__ import annotations

from smtpcodes.explain.analysis import Analysis
from smtpcodes.explain.replies import Reply
from smtpcodes.scan.records import MASK, unmask

_new = tuple.__new__


class Explained:
    """One masked reply explained once, with its JSON pieces built on first use."""

    __slots__ = ("analysis", "verdict", "detail")

    def __init__(self, analysis: Analysis):
        self.analysis = analysis
        self.verdict: str | None = None
        self.detail: tuple[str, str] | None = None


class Plan:
    """A masked reply explained, and how to put a text's identifiers back into its reply.

    `lines` are the places of the reply's lines in the masked text when each occurs there as it is;
    None when some line does not (it is rebuilt per text, and checked to occur in the text); and
    `usable` is False when the masked reply cannot stand for the text (no basic code, a masked host,
    lines not found): the text is then parsed as it is.
    """

    __slots__ = ("explained", "analysis", "digit", "usable", "lines", "first")

    def __init__(self, explained: Explained, masked: str):
        analysis = self.analysis = explained.analysis
        self.explained = explained
        code = analysis.basic or analysis.enhanced
        self.digit = code.code_class.digit if code is not None else None
        reply = analysis.reply
        self.lines: tuple[tuple[int, int], ...] | None = None
        self.first = 0
        self.usable = reply.code is not None  # the log's own dsn= may be the better status: Explainer.parsed
        if not self.usable or MASK not in masked:
            return
        at = masked.find(reply.lines[0], masked.find(reply.code))
        if (reply.host is not None and MASK in reply.host) or at < 0 or not reply.lines[0]:
            self.usable = False
            return
        index = self.first = masked.count(MASK, 0, at)
        places = []
        for line in reply.lines:
            place = _place(masked, line, index)
            if place is None:
                return
            places.append(place)
            index += line.count(MASK)
        self.lines = tuple(places)


def _place(masked: str, line: str, index: int) -> tuple[int, int] | None:
    """Where `line` occurs in `masked` with `index` masks before it (so that it holds the identifiers
    numbered index, index+1, ...), or None."""
    if not line:
        return (0, 0)
    at = masked.find(line)
    while at >= 0:
        before = masked.count(MASK, 0, at)
        if before == index:
            return (at, at + len(line))
        if before > index:
            return None
        at = masked.find(line, at + 1)
    return None


MISFIT = object()  # Placed.reply: the text's masked form is another one


class Placed:
    """For one mask key and stage: where the identifiers are, the masked text and its plan last used.
    Reused, it keeps what makes reuse cheap (made on first reuse: most keys of a log are used once)."""

    __slots__ = ("spans", "masked", "plan", "pieces", "ends", "places", "fixed")

    def __init__(self, spans: tuple[tuple[int, int], ...], masked: str, plan: Plan):
        self.spans, self.masked, self.plan = spans, masked, plan
        self.pieces: tuple[tuple[str, int], ...] | None = None

    def _prepare(self) -> None:
        spans, masked, plan = self.spans, self.masked, self.plan
        # The words between the identifiers, and where they are in the text: a text with the same
        # key has the same masked form when it has the same words there.
        self.pieces = tuple(zip(masked.split(MASK), [0] + [end for _, end in spans]))
        self.ends = masked.split(MASK) if len(spans) == 1 else None  # the words around a single identifier
        reply = plan.analysis.reply
        self.fixed = (reply.code, reply.enhanced, reply.stage, reply.host)
        self.places = None  # the plan's reply lines as places in the text; None: rebuilt per text
        if plan.lines is not None and spans:
            # A place in the masked text moves right by what the identifiers before it add.
            shifts = [0]
            for start, end in spans:
                shifts.append(shifts[-1] + end - start - len(MASK))
            self.places = tuple(
                (start + shifts[masked.count(MASK, 0, start)], end + shifts[masked.count(MASK, 0, end)])
                for start, end in plan.lines
            )

    def reply(self, text: str):
        """The reply of `text` (which has this mask key) as its masked form was parsed, with the
        identifiers put back; MISFIT when the text's masked form is another; None when the text must
        be parsed as it is (the plan says so, or a line so rebuilt does not occur in the text)."""
        if self.pieces is None:
            self._prepare()
        ends = self.ends
        if ends is not None:  # one identifier, the most common case: inline
            if not (text.startswith(ends[0]) and text.endswith(ends[1])):
                return MISFIT
        elif not self.spans:
            if text != self.masked:
                return MISFIT
        else:
            for piece, at in self.pieces:
                if not text.startswith(piece, at):
                    return MISFIT
        places = self.places
        if places is None or not self.plan.usable:
            return self.rebuilt(text)
        code, enhanced, stage, host = self.fixed
        if len(places) == 1:
            (start, end), = places
            line = text[start:end]
            return _new(Reply, (code, enhanced, line, (line,), stage, host))
        lines = tuple([text[start:end] for start, end in places])
        return _new(Reply, (code, enhanced, " ".join([line for line in lines if line]), lines, stage, host))

    def rebuilt(self, text: str) -> Reply | None:
        """`reply` for a text known to have this masked form, each line put back and looked for in the text."""
        plan = self.plan
        if not plan.usable:
            return None
        reply = plan.analysis.reply
        if not self.spans:
            return reply
        tokens = [text[start:end] for start, end in self.spans]
        index = plan.first
        rebuilt = []
        for line in reply.lines:
            whole = unmask(line, index, tokens)
            if whole is None or whole not in text:
                return None
            index += line.count(MASK)
            rebuilt.append(whole)
        return _new(Reply, (reply.code, reply.enhanced, " ".join([line for line in rebuilt if line]), tuple(rebuilt),
                            reply.stage, reply.host))


def masked_text(text: str, spans: tuple[tuple[int, int], ...]) -> str:
    """`text` with the identifiers at `spans` replaced by MASK."""
    pieces = []
    last = 0
    for start, end in spans:
        pieces.append(text[last:start])
        last = end
    pieces.append(text[last:])
    return MASK.join(pieces)


class Generations:
    """A memo in two generations: a hit in the old one moves to the young one; when the young one
    fills up it becomes the old one. Entries in use stay; a flood of one-off entries cannot push
    them out at once."""

    __slots__ = ("young", "old")

    def __init__(self) -> None:
        self.young: dict = {}
        self.old: dict = {}

    def get(self, key, size: int):
        value = self.young.get(key)
        if value is None:
            value = self.old.pop(key, None)
            if value is not None:
                self.put(key, value, size)
        return value

    def put(self, key, value, size: int) -> None:
        if len(self.young) >= size:
            self.old, self.young = self.young, {}
        self.young[key] = value
