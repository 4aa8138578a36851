"""The replies a scan finds, explained with the catalogue's Analyser as `explain` does, each kind of
reply once, through the memos of memo.py.

Replies differ in their identifiers (queue ids, message ids, addresses, IP addresses), so the
explanation is computed from the reply with those masked (records.mask), for every reply alike: the
explanation of a reply is a function of its masked text and stage only. A reply whose masked form
cannot stand for it (no basic code, a masked host name, a line that cannot be put back) is parsed as
it is, and remembered exactly.
"""

from __future__ import annotations

from smtpcodes.errors import BadInput
from smtpcodes.explain.analysis import Analyser
from smtpcodes.explain.replies import parse_reply
from smtpcodes.scan.logformats import Found, log_dsn
from smtpcodes.scan.memo import MISFIT, Explained, Generations, Placed, Plan, masked_text
from smtpcodes.scan.records import MASK_CLASSES, mask, mask_key, mask_spans

Known = tuple  # (the exact Reply, its shared Explained, the class digit): the record's Analysis is
# the Explained one with that Reply


class Explainer:
    """Explains found replies; `size` is the entries in each generation of each memo."""

    def __init__(self, analyser: Analyser, size: int):
        self.analyser = analyser
        self.size = size
        self._plans = Generations()  # (masked text, stage) -> Plan
        self._placed = Generations()  # (mask key, stage) -> Placed
        self._exact: dict[tuple, Known] = {}  # (text, stage, dsn) -> Known, for replies parsed as they are

    def from_masked(self, text: str, stage: str | None) -> Known | None:
        """The reply explained from its masked form, its exact text put back (see memo.py); None when
        it must be parsed as it is (see `parsed`). The text holds no MASK."""
        key = (text.encode().translate(MASK_CLASSES) if text.isascii() else mask_key(text), stage)  # mask_key inline
        placed = self._placed.young.get(key)
        reply = MISFIT if placed is None else placed.reply(text)
        if reply is MISFIT:
            placed = self._placed_for(key, text, placed)
            if placed is None:
                return None
            reply = placed.rebuilt(text)
        if reply is None:
            return None
        plan = placed.plan
        return reply, plan.explained, plan.digit

    def _placed_for(self, key: tuple, text: str, known: Placed | None) -> Placed | None:
        """The Placed for a key not in the young generation, or whose masked form differs from the text's."""
        if known is None:
            known = self._placed.get(key, self.size)  # from the old generation, when there
            if known is not None and (masked_text(text, known.spans) if known.spans else text) == known.masked:
                return known
        spans = known.spans if known is not None else mask_spans(text)
        masked = masked_text(text, spans) if spans else text
        try:
            plan = self._plan((masked, key[1]))
        except BadInput:
            return None
        placed = Placed(spans, masked, plan)
        self._placed.put(key, placed, self.size)
        return placed

    def parsed(self, found: Found) -> Known | None:
        """The found reply parsed as it is, or None when it holds none; remembered exactly: the same
        timeout or status repeats in bursts."""
        exact = (found.text, found.stage, log_dsn(found))
        known = self._exact.get(exact)
        if known is None:
            known = self._understand(*exact)
            if known is None:
                return None
            if len(self._exact) >= self.size:
                self._exact.clear()
            self._exact[exact] = known
        return known

    def _understand(self, text: str | None, stage: str | None, dsn: str | None) -> Known | None:
        try:
            reply = parse_reply(text, stage) if text is not None else None
        except BadInput:
            reply = None
        if (reply is None or reply.code is None) and dsn:
            # The log gives its own enhanced status but quotes no reply (Sendmail "dsn=5.1.1,
            # stat=User unknown", a Postfix timeout): explain that status with the log's words,
            # as `explain "5.1.1 User unknown"` does.
            text = f"{dsn} {text or ''}".rstrip()
            reply = parse_reply(text, stage)
        if reply is None or (reply.code is None and reply.enhanced is None):
            return None
        plan = self._plan((mask(text), stage))
        explained, analysis = plan.explained, plan.analysis
        masked = analysis.reply
        if masked.code != reply.code or masked.enhanced != reply.enhanced or masked.stage != reply.stage:
            # The masked text parsed differently (it cannot for the masks above); explain it as it is.
            explained = Explained(self.analyser.analyse_reply(reply, text))
            analysis = explained.analysis
        digit = (analysis.basic or analysis.enhanced).code_class.digit
        return reply, explained, digit

    def _plan(self, key: tuple[str, str | None]) -> Plan:
        plan = self._plans.get(key, self.size)
        if plan is None:
            plan = Plan(Explained(self.analyser.analyse(*key)), key[0])
            self._plans.put(key, plan, self.size)
        return plan

