"""Right-to-left text on terminals that draw characters in the order they receive them.

Most terminals (xterm, iTerm2, Windows Terminal, tmux, kitty) neither reorder nor shape Arabic, so
a line is sent in visual order with its letters shaped; a few (VTE, Konsole, mlterm) run the Unicode
bidirectional algorithm themselves and must get logical order, or it would be reversed twice.
Pipes, files and JSON always get logical order. Codes, numbers, addresses and other left-to-right
runs are isolated first, so `550 5.1.1` never comes out as `5.1.1 550`.
"""

from __future__ import annotations

import re
import textwrap
from typing import Literal, Mapping

BidiChoice = Literal["auto", "terminal", "visual"]
BIDI_CHOICES: tuple[str, ...] = ("auto", "terminal", "visual")
ENV_VAR = "SMTPCODES_BIDI"

LRI, PDI, NBSP = "\u2066", "\u2069", "\u00a0"
GLUE = 24  # the longest left-to-right run kept whole on a line
# A left-to-right run: starts and ends with a Latin letter or digit (or starts with the dashes of a
# command-line option or the $ of an environment variable), and may hold the punctuation found
# inside codes, addresses, host names, settings and RFC references, and single spaces: two spaces
# apart are two runs (the cells of a table), so that each is placed right to left on its own.
_LTR_RUN = re.compile(r"(?:--?(?=[A-Za-z])|\$(?=[A-Za-z_]))?"
                      r"[A-Za-z0-9](?:(?:[A-Za-z0-9.,:;@/_+\-=#%&§*'~]| (?! ))*[A-Za-z0-9])?%?")
# Brackets outside the isolated runs resolve right-to-left, where a terminal must draw the mirrored
# glyph (UAX #9 rule L4); the reordering library leaves that to the renderer.
_MIRRORED = str.maketrans("()[]{}<>«»", ")(][}{><»«")
_RTL_LETTER = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


def is_rtl_text(text: str) -> bool:
    return _RTL_LETTER.search(text) is not None


def terminal_does_bidi(environ: Mapping[str, str]) -> bool:
    """Terminals known to apply the bidirectional algorithm themselves (inside tmux none does)."""
    if environ.get("TMUX"):
        return False
    return bool(environ.get("VTE_VERSION") or environ.get("KONSOLE_VERSION")) or environ.get(
        "TERM", ""
    ).startswith("mlterm")


def wants_visual(choice: str | None, environ: Mapping[str, str], to_terminal: bool) -> bool:
    """Whether to reorder and shape: `visual` always, `terminal` never, `auto` on a terminal that
    does not do it itself. The option wins over SMTPCODES_BIDI."""
    choice = choice or environ.get(ENV_VAR) or "auto"
    if choice == "visual":
        return True
    if choice == "terminal":
        return False
    return to_terminal and not terminal_does_bidi(environ)


def visual(line: str, *, right_to_left: bool = False) -> str:
    """One line of mixed text in display order, Arabic letters in their joined forms. A line without
    right-to-left letters is left alone, unless it belongs to a right-to-left layout (a table row of
    numbers and codes under translated headers) and must be mirrored like its neighbours."""
    if not right_to_left and not is_rtl_text(line):
        return line
    import arabic_reshaper  # only RTL output pays for these
    from bidi import get_display

    parts, last = [], 0
    for match in _LTR_RUN.finditer(line):
        parts += [line[last:match.start()].translate(_MIRRORED), LRI, match.group(0), PDI]
        last = match.end()
    parts.append(line[last:].translate(_MIRRORED))
    isolated = "".join(parts)
    shown: str = get_display(arabic_reshaper.reshape(isolated), base_dir="R")
    return shown.replace(LRI, "").replace(PDI, "")


def shaped(text: str) -> str:
    """Arabic letters in their joined forms, still in logical order: shaping drops vowel marks and
    joins lam-alef, so text laid out in columns is shaped before it is measured."""
    if not is_rtl_text(text):
        return text
    import arabic_reshaper

    joined: str = arabic_reshaper.reshape(text)
    return joined


def visual_ltr(line: str) -> str:
    """A left-to-right line (server text, an address) for a terminal that does not reorder: its own
    order kept, only the right-to-left words in it (a translated label) reordered and shaped."""
    if not is_rtl_text(line):
        return line
    import arabic_reshaper
    from bidi import get_display

    shown: str = get_display(arabic_reshaper.reshape(line), base_dir="L")
    return shown


def visual_lines(text: str, width: int, *, indent: str = "", hanging: str = "") -> list[str]:
    """Wrap in logical order (so words break where they should), then show each line right to left,
    flush right, its indent and marker (a bullet, a number) on the right-hand side."""
    width = max(width, 10)
    # A short left-to-right run (`RFC 4954`, `550 5.1.1`) is kept on one line: split, its halves
    # would be reordered apart. textwrap breaks only at ASCII white space, so NBSP glues it.
    glued = _LTR_RUN.sub(lambda m: m.group(0).replace(" ", NBSP) if len(m.group(0)) <= GLUE else m.group(0), text)
    wrapped = textwrap.wrap(glued, width=width - max(len(indent), len(hanging)), break_on_hyphens=False) or [""]
    # A wrapped line of only codes and punctuation still belongs to a right-to-left paragraph.
    right_to_left = is_rtl_text(text)
    lines = []
    for index, line in enumerate(line.replace(NBSP, " ") for line in wrapped):
        margin = indent if index == 0 else hanging
        marker = margin.strip()
        lead, trail = len(margin) - len(margin.lstrip()), len(margin) - len(margin.rstrip())
        right = " " * trail + marker + " " * lead if marker else " " * len(margin)
        lines.append((visual(line, right_to_left=right_to_left) + right).rjust(width))
    return lines
