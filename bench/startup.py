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


def measure_all(commands: dict[str, tuple[list[str], bool]], runs: int) -> dict[str, tuple[float, int]]:
    """Median wall time and peak RSS of each command. Runs are interleaved round-robin,
    so that a change in machine load affects the baselines and smtpcodes alike."""
    for argv, terminal in commands.values():
        run_once(argv, terminal)  # warm-up: file cache, catalogue parse cache
    samples: dict[str, list[tuple[float, int]]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, (argv, terminal) in commands.items():
            samples[name].append(run_once(argv, terminal))
    return {
        name: (statistics.median(s[0] for s in runs_), max(s[1] for s in runs_)) for name, runs_ in samples.items()
    }


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
        rows = [
            # label, argv, on a terminal, floor, target vs floor, target vs bare
            ("explain 535 --json", [command, "explain", "535", "--json"], False, "json floor", 1.1, 7),
            ("explain 535 (terminal)", [command, "explain", "535"], True, "panel floor", 1.1, 9),
            ("explain <reply> --json", [command, "explain", REPLY, "--json"], False, "json floor", 1.1, None),
            ("explain 535 (piped)", [command, "explain", "535"], False, "json floor", None, None),
            # Another language against English on the same terminal: Arabic is reordered and shaped
            # there (python-bidi, arabic-reshaper), Spanish only read from its cached translation.
            ("explain 535 --lang ar (term)", [command, "explain", "535", "--lang", "ar"], True,
             "explain 535 (terminal)", 1.1, None),
            ("explain 535 --lang es (term)", [command, "explain", "535", "--lang", "es"], True,
             "explain 535 (terminal)", 1.1, None),
            # Builds the whole command surface, then stops before any catalogue work: what the
            # six commands' Typer definitions cost on their own.
            ("--version", [command, "--version"], False, "json floor", None, None),
        ]
        commands = {
            "bare": ([python, "-c", "pass"], False),
            "json floor": ([python, str(json_floor), "535"], False),
            "panel floor": ([python, str(panel_floor), "535"], True),
            **{label: (argv, terminal) for label, argv, terminal, *_ in rows},
        }
        results = measure_all(commands, args.runs)
    bare = results["bare"][0]
    for name in ("bare", "json floor", "panel floor"):
        elapsed = results[name][0]
        print(f"{name:22} {elapsed * 1000:7.1f} ms  {elapsed / bare:5.2f}x bare")
    print()
    print(f"{'command':26} {'median':>9} {'vs floor':>9} {'target':>7} {'vs bare':>8} {'target':>7} {'peak RSS':>9}")
    for label, _, _, floor_name, floor_target, bare_target in rows:
        elapsed, rss = results[label]
        floor = results[floor_name][0]
        print(
            f"{label:26} {elapsed * 1000:7.1f}ms {elapsed / floor:8.2f}x {_target(floor_target):>7} "
            f"{elapsed / bare:7.2f}x {_target(bare_target):>7} {rss / 1024:6.1f}MiB"
        )
    print(f"\nruns per command: {args.runs}, interleaved (median); memory target: 30 MiB peak RSS")


def _target(value: float | None) -> str:
    return f"<={value}x" if value else "-"


if __name__ == "__main__":
    main()
