"""Start-up latency and peak memory of the installed `smtpcodes`, as ratios to floors measured in the same run.

Baselines:
  bare    python -c pass
  json    a minimal Typer app whose one command prints one JSON line (the framework's JSON floor)
  panel   the same app printing one rich panel (the framework's panel floor)

Human output is measured with stdout on a pseudo-terminal, so the rich path runs as a user sees it.
Usage: python bench/startup.py [--runs N]   (run it with the Python of the environment smtpcodes is installed in)
"""

from __future__ import annotations

import argparse
import os
import pty
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

JSON_FLOOR = '''
import json
import typer

app = typer.Typer()


@app.command()
def main(code: str):
    print(json.dumps({"code": code}))


app()
'''

PANEL_FLOOR = '''
import typer

app = typer.Typer()


@app.command()
def main(code: str):
    from rich.console import Console
    from rich.panel import Panel

    Console().print(Panel(f"code {code}", title="floor"))


app()
'''

REPLY = "550-5.7.26 This mail is unauthenticated, which poses a security risk to the sender and Gmail users, and has been blocked. - gsmtp"


def run_once(argv: list[str], terminal: bool) -> tuple[float, int]:
    """Wall time and peak RSS (KiB) of one run, stdout to a pty or to /dev/null."""
    if terminal:
        master, slave = pty.openpty()
        drain = threading.Thread(target=_drain, args=(master,), daemon=True)
        drain.start()
        out = slave
    else:
        out = os.open(os.devnull, os.O_WRONLY)
    env = dict(os.environ, COLUMNS="100")
    start = time.perf_counter()
    actions = [(os.POSIX_SPAWN_DUP2, out, 1), (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0)]
    pid = os.posix_spawn(argv[0], argv, env, file_actions=actions)
    _, status, usage = os.wait4(pid, 0)
    elapsed = time.perf_counter() - start
    os.close(out)
    if terminal:
        drain.join(timeout=1)
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} failed with {os.waitstatus_to_exitcode(status)}")
    return elapsed, usage.ru_maxrss


def _drain(fd: int) -> None:
    try:
        while os.read(fd, 65536):
            pass
    except OSError:
        pass
    finally:
        os.close(fd)


def measure(argv: list[str], runs: int, terminal: bool = False) -> tuple[float, int]:
    """Median wall time and maximum peak RSS over `runs` runs, after one warm-up."""
    run_once(argv, terminal)
    samples = [run_once(argv, terminal) for _ in range(runs)]
    return statistics.median(s[0] for s in samples), max(s[1] for s in samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    python = sys.executable
    command = shutil.which("smtpcodes", path=str(Path(python).parent)) or shutil.which("smtpcodes")
    if command is None:
        raise SystemExit("smtpcodes is not installed in this environment: pip install . first")
    with tempfile.TemporaryDirectory() as tmp:
        json_floor = Path(tmp, "json_floor.py")
        json_floor.write_text(JSON_FLOOR)
        panel_floor = Path(tmp, "panel_floor.py")
        panel_floor.write_text(PANEL_FLOOR)
        bare, _ = measure([python, "-c", "pass"], args.runs)
        floor_json, _ = measure([python, str(json_floor), "535"], args.runs)
        floor_panel, _ = measure([python, str(panel_floor), "535"], args.runs, terminal=True)
        rows = [
            ("explain 535 --json", [command, "explain", "535", "--json"], False, floor_json, "JSON floor", 1.1, 7),
            ("explain 535 (terminal)", [command, "explain", "535"], True, floor_panel, "panel floor", 1.1, 9),
            ("explain <reply> --json", [command, "explain", REPLY, "--json"], False, floor_json, "JSON floor", 1.1, None),
            ("explain 535 (piped)", [command, "explain", "535"], False, floor_json, "JSON floor", None, None),
        ]
        print(f"python -c pass        {bare * 1000:7.1f} ms")
        print(f"JSON floor (Typer)    {floor_json * 1000:7.1f} ms  {floor_json / bare:5.2f}x bare")
        print(f"panel floor (Typer)   {floor_panel * 1000:7.1f} ms  {floor_panel / bare:5.2f}x bare")
        print()
        print(f"{'command':26} {'median':>9} {'vs floor':>9} {'target':>7} {'vs bare':>8} {'target':>7} {'peak RSS':>9}")
        for label, argv, terminal, floor, floor_name, floor_target, bare_target in rows:
            elapsed, rss = measure(argv, args.runs, terminal)
            print(
                f"{label:26} {elapsed * 1000:7.1f}ms {elapsed / floor:8.2f}x {_target(floor_target):>7} "
                f"{elapsed / bare:7.2f}x {_target(bare_target):>7} {rss / 1024:6.1f}MiB"
            )
        print(f"\nruns per command: {args.runs} (median); memory target: 30 MiB peak RSS")


def _target(value: float | None) -> str:
    return f"<={value}x" if value else "-"


if __name__ == "__main__":
    main()
