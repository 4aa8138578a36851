"""A fleet on one machine: FILES generated Postfix logs scanned on a Dask LocalCluster of 1 and of 2
workers (processes, 127.0.0.1), wall times and the speed-up, with the summaries checked equal.

Usage: python bench/fleet.py [--files 20] [--lines 1000000] [--keep DIR] [--json]
The issue's size is 20 files of 1,000,000 lines (about 3 GB); pass --lines 100000 on a busy machine.
Needs `pip install -e '.[dask]'`. Not a test; never run by pytest.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scan import GENLOG  # noqa: E402  (bench/scan.py: where the shared genlog.py is)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=20)
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--keep", metavar="DIR")
    parser.add_argument("--json", action="store_true", help="time record output (to a file) rather than the summary")
    args = parser.parse_args()
    from dask.distributed import LocalCluster

    from smtpcodes.output.scanrun import Request, run
    from smtpcodes.scan.scanner import Filters
    from smtpcodes.scan.summary import summary_object

    workdir = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="smtpcodes-fleet-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        first = workdir / "mx00.log"
        if not first.exists():
            subprocess.run([sys.executable, str(GENLOG), str(args.lines), str(first)], check=True, stdout=subprocess.DEVNULL)
        for index in range(1, args.files):
            other = workdir / f"mx{index:02d}.log"
            if not other.exists():
                shutil.copyfile(first, other)  # same content, another server's file: the work is the same
        size = sum(p.stat().st_size for p in workdir.glob("mx*.log"))
        print(f"{args.files} files x {args.lines:,} lines, {size / 2**30:.2f} GiB")
        mode = "json" if args.json else "summary"
        results = {}
        for workers in (1, 2):
            with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                              dashboard_address=None) as cluster:
                out = open(workdir / "records.json", "w")
                started = time.perf_counter()
                outcome = run(Request([str(workdir / "mx*.log")], mode, Filters(now=datetime(2026, 12, 1)), (),
                                      cluster=cluster.scheduler_address), out.write)
                results[workers] = (time.perf_counter() - started, outcome)
                out.close()
            print(f"{workers} worker(s): {results[workers][0]:7.1f} s  ({outcome.counts.lines:,} lines, "
                  f"{outcome.counts.matched:,} replies)")
        print(f"speed-up 1 -> 2 workers: {results[1][0] / results[2][0]:.2f}x (near-linear would be 2x)")
        if mode == "summary":
            same = summary_object(results[1][1].summary) == summary_object(results[2][1].summary)
            print(f"summaries equal: {same}")
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
