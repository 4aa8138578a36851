"""Small generated logs for the scan tests: the Postfix fixture repeated with fresh queue ids."""

import re
from pathlib import Path

LOGS = Path(__file__).parent / "data" / "logs"


def repeated_postfix(path: Path, times: int) -> Path:
    """postfix.log `times` over, each copy with its own queue ids and hour: whole transactions, many lines."""
    lines = (LOGS / "postfix.log").read_text().splitlines()
    with open(path, "w") as out:
        for copy in range(times):
            hour = f"{copy % 24:02d}"
            for line in lines:
                out.write(line.replace("4Qk", f"{copy:05d}Qk").replace("Nov 28 09:", f"Nov 28 {hour}:") + "\n")
    return path


def dated_postfix(path: Path) -> Path:
    """postfix.log with ISO 8601 timestamps (as rsyslog's high-precision format writes them): the same
    summary every year, since no year has to be inferred. For golden files and pictures."""
    lines = (LOGS / "postfix.log").read_text().splitlines()
    path.write_text("".join(re.sub(r"^Nov (\d\d) (\S+)", r"2026-11-\1T\2.000000+00:00", line) + "\n" for line in lines))
    return path
