"""A fleet on one machine: FILES generated Postfix logs scanned on a Dask LocalCluster of 1 and of 2
workers (processes, 127.0.0.1), wall times and the speed-up, with the results checked equal.

How to run it (with the Python of the environment smtpcodes is installed in, `pip install -e '.[dask]'`):

  python bench/fleet.py                          the issue's size: 20 files x 1,000,000 lines (about 3 GB);
                                                 needs a quiet machine with 2 free cores and ~5 GB of disk
  python bench/fleet.py --files 4 --lines 20000  a quick check that everything works (seconds)
  python bench/fleet.py --gzip                   each file as a gzip file of 8 members (as `cat` of daily .gz
                                                 files): times cutting gzip files at their members
  python bench/fleet.py --json                   record output (to a file) rather than the summary
  python bench/fleet.py --output-dir             records written by the workers as partition files
                                                 (--output-dir) rather than sent back; checks that 1 and
                                                 2 workers wrote the same bytes
  python bench/fleet.py --files 4 --lines 20000 --gzip --partition 1
                                                 small partitions, so that small gzip files are cut too

The generated logs stay in --keep DIR for the next run (generating 1,000,000 lines takes a minute).
It prints each run's wall time, the speed-up from 1 to 2 workers (near-linear would be 2x) and whether
the two runs gave the same summary or the same records. Not a test; never run by pytest.
"""

from __future__ import annotations

import argparse
import gzip
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scan import GENLOG  # noqa: E402  (bench/scan.py: where the shared genlog.py is)

MEMBERS = 8  # members of each --gzip file


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=20, help="log files in the fleet (default 20)")
    parser.add_argument("--lines", type=int, default=1_000_000, help="lines of each file (default 1,000,000)")
    parser.add_argument("--keep", metavar="DIR", help="generate the logs here and keep them for the next run")
    parser.add_argument("--gzip", action="store_true", help=f"scan the files as gzip files of {MEMBERS} members each")
    parser.add_argument("--partition", type=int, default=64, metavar="MIB",
                        help="MiB of (decompressed) input per partition (default 64, as scan --cluster)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--json", action="store_true", help="time record output (to a file) rather than the summary")
    mode.add_argument("--output-dir", action="store_true",
                      help="time records written by the workers as partition files (--output-dir)")
    args = parser.parse_args()
    from dask.distributed import LocalCluster

    from smtpcodes.output.scanrun import Request, run
    from smtpcodes.scan import cluster as engine
    from smtpcodes.scan.scanner import Filters
    from smtpcodes.scan.summary import summary_object

    engine.PARTITION = args.partition << 20  # the client plans the partitions: setting it here is enough
    engine.WALK = min(engine.WALK, engine.PARTITION // 4)

    workdir = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="smtpcodes-fleet-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        pattern = _generate(workdir, args.files, args.lines, args.gzip)
        size = sum(p.stat().st_size for p in workdir.glob(pattern))
        print(f"{args.files} files x {args.lines:,} lines{' (gzip)' if args.gzip else ''}, {size / 2**30:.2f} GiB")
        mode = "json" if args.json or args.output_dir else "summary"
        results = {}
        for workers in (1, 2):
            folder = workdir / f"parts-{workers}"
            shutil.rmtree(folder, ignore_errors=True)
            with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                              dashboard_address=None) as cluster:
                out = open(workdir / f"records-{workers}.json", "w")
                started = time.perf_counter()
                outcome = run(Request([str(workdir / pattern)], mode, Filters(now=datetime(2026, 12, 1)), (),
                                      cluster=cluster.scheduler_address,
                                      folder=str(folder) if args.output_dir else None), out.write)
                results[workers] = (time.perf_counter() - started, outcome)
                out.close()
            print(f"{workers} worker(s): {results[workers][0]:7.1f} s  ({outcome.counts.lines:,} lines, "
                  f"{outcome.counts.matched:,} replies)")
        print(f"speed-up 1 -> 2 workers: {results[1][0] / results[2][0]:.2f}x (near-linear would be 2x)")
        if mode == "summary" or args.output_dir:
            same = summary_object(results[1][1].summary) == summary_object(results[2][1].summary)
            print(f"summaries equal: {same}")
        if args.output_dir:
            print(f"partition files of 1 and 2 workers equal: {_parts(workdir / 'parts-1') == _parts(workdir / 'parts-2')}")
        elif mode == "json":
            same = (workdir / "records-1.json").read_bytes() == (workdir / "records-2.json").read_bytes()
            print(f"records equal: {same}")
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


def _generate(workdir: Path, files: int, lines: int, packed: bool) -> str:
    """The fleet's files in `workdir` (made once); the glob that names them."""
    first = workdir / "mx00.log"
    if not first.exists():
        subprocess.run([sys.executable, str(GENLOG), str(lines), str(first)], check=True, stdout=subprocess.DEVNULL)
    if packed:
        archive = workdir / "mx00.log.gz"
        if not archive.exists():
            data = first.read_bytes()
            step = len(data) // MEMBERS + 1
            archive.write_bytes(b"".join(gzip.compress(data[at:at + step], 6) for at in range(0, len(data), step)))
        first = archive
    suffix = ".log.gz" if packed else ".log"
    for index in range(1, files):
        other = workdir / f"mx{index:02d}{suffix}"
        if not other.exists():
            shutil.copyfile(first, other)  # same content, another server's file: the work is the same
    return f"mx*{suffix}"


def _parts(folder: Path) -> bytes:
    return b"".join(part.read_bytes() for part in sorted(folder.glob("part-*")))


if __name__ == "__main__":
    main()
