"""--cluster: the same partitions as --jobs, scanned by the workers of a Dask cluster.

Inputs are local paths, globs or fsspec URLs (s3://, gs://, ...). Each input is cut into byte ranges
of whole lines (a gzip file, or a file whose lines depend on earlier ones, is one partition); every
worker runs partition.scan_partition on its ranges, and the results come back in input order and merge
exactly as --jobs's do. Record output needs each partition's first line number: a first, cheap pass
counts the lines of every range. Dask is imported only here.
"""

from collections import deque
from typing import Iterator, NamedTuple

from smtpcodes.errors import BadInput, Problem, SmtpcodesError
from smtpcodes.scan.inputs import GZIP_MAGIC
from smtpcodes.scan.partition import Result, Settings, scan_partition

PARTITION = 64 << 20  # bytes per partition of a splittable input


class Part(NamedTuple):
    """A byte range of one input; `end` None for the whole input."""

    url: str
    name: str
    start: int
    end: int | None


def connect(address: str):
    """A Dask client for `address`: tcp://host:port, or "local" for a cluster of this machine's cores."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise BadInput("cluster_needs_dask") from None
    if address == "local":
        import os

        cluster = LocalCluster(n_workers=os.cpu_count() or 1, threads_per_worker=1, host="127.0.0.1",
                               dashboard_address=None, processes=True)
        return Client(cluster)
    try:
        return Client(address, timeout="10s")
    except (OSError, TimeoutError) as exc:
        raise BadInput("cluster_unreachable", address=address, reason=str(exc)) from None


def plan(paths: list[str], problems: list[str], opened: list[str], size: int | None = None) -> list[Part]:
    """The partitions of every input, in order; inputs that match nothing are problems."""
    import fsspec
    from smtpcodes.scan.jobs import splittable

    size = size or PARTITION
    parts: list[Part] = []
    for path in paths:
        if path == "-":
            problems.append(Problem("cluster_stdin"))
            continue
        try:
            files = fsspec.open_files(path, mode="rb")
        except (OSError, ValueError) as exc:
            problems.append(Problem("input_unreadable", path=path, reason=str(exc)))
            continue
        if not files:
            problems.append(Problem("input_missing", path=path))
            continue
        for file in files:
            url = file.fs.unstrip_protocol(file.path)
            name = _name(path, url, file.path, len(files))
            try:
                length = file.fs.size(file.path)
                with file as stream:
                    head = stream.read(65536)
            except (OSError, IsADirectoryError) as exc:
                problems.append(Problem("input_unreadable", path=name, reason=str(exc)))
                continue
            opened.append(name)
            if head[:2] == GZIP_MAGIC or length <= size or not splittable(head):
                parts.append(Part(url, name, 0, None))
                continue
            parts.extend(Part(url, name, start, min(start + size, length)) for start in range(0, length, size))
    return parts


def _name(pattern: str, url: str, path: str, matches: int) -> str:
    """An input's name in records: as given, or as a shell would expand the glob."""
    import os

    if "://" in pattern:
        return url if matches > 1 or any(c in pattern for c in "*?[") else pattern
    if matches == 1 and not any(c in pattern for c in "*?["):
        return pattern
    return path if os.path.isabs(pattern) else os.path.relpath(path)


def read_part(part: Part) -> tuple[bytes, list[str]]:
    """The whole lines of a part: those starting in [start, end), gunzipped for a whole gzip input."""
    import fsspec

    with fsspec.open(part.url, mode="rb") as stream:
        if part.end is None:
            from smtpcodes.errors import InputFileError
            from smtpcodes.scan.inputs import byte_blocks

            problems: list[str] = []
            data = bytearray()
            try:
                for block in byte_blocks(stream, part.name):
                    data += block
            except InputFileError as exc:
                problems.append(exc.problem())
            return bytes(data), problems
        start = part.start
        if start:
            stream.seek(start - 1)
            if stream.read(1) != b"\n":  # the range starts inside a line: that line is the previous part's
                stream.readline()
        data = stream.read(max(part.end - stream.tell(), 0)) if stream.tell() < part.end else b""
        if data and not data.endswith(b"\n"):
            data += stream.readline()
        return data, []


def count_part(part: Part) -> int:
    data, _ = read_part(part)
    return data.count(b"\n") + (0 if not data or data.endswith(b"\n") else 1)


def scan_part(settings: Settings, part: Part, first_line: int) -> Result:
    data, problems = read_part(part)
    result = scan_partition(settings, part.name, data, first_line)
    result.problems[:0] = problems
    return result


def _result(future) -> Result:
    try:
        return future.result()
    except (OSError, ValueError, RuntimeError, TimeoutError) as exc:
        raise SmtpcodesError("cluster_failed", reason=str(exc)) from None


def scan_cluster(address: str, settings: Settings, paths: list[str], problems: list[str],
                 opened: list[str]) -> Iterator[Result]:
    """Results of every partition in input order, computed on the cluster at `address`."""
    client = connect(address)
    try:
        parts = plan(paths, problems, opened)
        firsts = [0] * len(parts)
        if settings.mode != "summary":  # record output numbers lines: count each part's first
            counts = client.gather(client.map(count_part, parts, pure=False))
            line, name = 0, None
            for index, (part, count) in enumerate(zip(parts, counts)):
                if part.name != name:
                    line, name = 0, part.name
                firsts[index] = line
                line += count
        workers = max(len(client.scheduler_info().get("workers", {})), 1)
        window: deque = deque()
        for part, first in zip(parts, firsts):
            window.append(client.submit(scan_part, settings, part, first, pure=False))
            if len(window) >= 2 * workers:
                yield _result(window.popleft())
        while window:
            yield _result(window.popleft())
    finally:
        cluster = getattr(client, "cluster", None)
        client.close()
        if cluster is not None:
            cluster.close()
