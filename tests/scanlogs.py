"""Small generated logs for the scan tests: the Postfix fixture repeated with fresh queue ids."""

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
