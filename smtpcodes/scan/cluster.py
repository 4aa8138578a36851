"""--cluster: the same partitions as --jobs, scanned by the workers of a Dask cluster.

Inputs are local paths, globs or fsspec URLs (s3://, gs://, ...). Each input is cut into byte ranges
of whole lines, and a big gzip file of several members into runs of members (gzmembers.py: the
workers first walk the members, counting their lines); a single-member gzip file, or a file whose
lines depend on earlier ones, is one partition. Every worker runs the partition code of --jobs on its
partitions, and the results come back in input order and merge exactly as --jobs's do. Record output
needs each byte range's first line number: a first, cheap pass counts the lines of every range.
With --output-dir the workers write the records themselves. Dask is imported only here.
"""

from collections import deque
from typing import Iterator, NamedTuple

from smtpcodes.errors import BadInput, Problem, SmtpcodesError
from smtpcodes.scan.gzmembers import MemberChunk, RunAll
from smtpcodes.scan.inputs import GZIP_MAGIC
from smtpcodes.scan.partition import Result, Settings, scan_members, scan_partition

PARTITION = 64 << 20  # bytes per partition of a splittable input (decompressed bytes for gzip members)
WALK = 16 << 20  # compressed bytes of a gzip file whose members one task finds


class Part(NamedTuple):
    """A byte range of one input (`end` None for the whole input), or a run of its gzip members."""

    url: str
    name: str
    start: int
    end: int | None
    member: MemberChunk | None = None


def open_url(url: str):
    import fsspec

    return fsspec.open(url, mode="rb")


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


def plan(paths: list[str], problems: list[str], opened: list[str], size: int | None = None,
         run_all: RunAll | None = None) -> list[Part]:
    """The partitions of every input, in order; inputs that match nothing are problems. With `run_all`
    (which runs the walks on the cluster), big gzip files of several members are cut at members."""
    import fsspec
    from smtpcodes.scan.jobs import GZIP_RATIO, splittable

    size = size or PARTITION
    parts: list[Part] = []
    gzipped: list[tuple[int, int]] = []  # (index in parts, compressed length) of gzip files to walk
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
            if head[:2] == GZIP_MAGIC:
                if run_all is not None and length * GZIP_RATIO > size and splittable(_gunzipped(head)):
                    gzipped.append((len(parts), length))
                parts.append(Part(url, name, 0, None))
            elif length <= size or not splittable(head):
                parts.append(Part(url, name, 0, None))
            else:
                parts.extend(Part(url, name, start, min(start + size, length)) for start in range(0, length, size))
    if gzipped and run_all is not None:
        parts = _at_members(parts, gzipped, size, run_all)
    return parts


def _gunzipped(head: bytes) -> bytes:
    import zlib

    try:
        return zlib.decompressobj(wbits=31).decompress(head, 1 << 16)
    except zlib.error:
        return b""  # damaged at once: one partition, which reports it


def _at_members(parts: list[Part], gzipped: list[tuple[int, int]], size: int, run_all: RunAll) -> list[Part]:
    """The parts with the gzip files of several members as runs of members; all files walked at once."""
    from smtpcodes.scan.gzmembers import chunks_of, ranges, walk

    tasks = [(open_url, parts[index].url, start, stop) for index, length in gzipped for start, stop in ranges(length, WALK)]
    walks = iter(run_all(walk, tasks))
    split: dict[int, list[Part]] = {}
    for index, length in gzipped:
        whole = parts[index]
        chunks = chunks_of([next(walks) for _ in ranges(length, WALK)], length, size)
        if chunks:
            split[index] = [whole._replace(start=chunk.start, end=chunk.end, member=chunk) for chunk in chunks]
    return [piece for index, part in enumerate(parts) for piece in split.get(index, [part])]


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
                del data[data.rfind(b"\n") + 1:]  # the line the damage cut: one process loses it too
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


def scan_part(settings: Settings, part: Part, first_line: int, index: int = 0) -> Result:
    if part.member is not None:
        return scan_members(settings, open_url, part.url, part.name, part.member, index)
    data, problems = read_part(part)
    result = scan_partition(settings, part.name, data, first_line, index)
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
        def run_all(function, arguments):
            return client.gather(client.map(function, *zip(*arguments), pure=False)) if arguments else []

        parts = plan(paths, problems, opened, run_all=run_all)
        firsts = [part.member.first_line if part.member is not None else 0 for part in parts]
        ranged = [index for index, part in enumerate(parts) if part.member is None and part.end is not None]
        if settings.mode != "summary" and ranged:  # record output numbers lines: count each range's first
            line = 0
            for index, count in zip(ranged, run_all(count_part, [(parts[index],) for index in ranged])):
                line = 0 if parts[index].start == 0 else line
                firsts[index] = line
                line += count
        workers = max(len(client.scheduler_info().get("workers", {})), 1)
        window: deque = deque()
        for index, (part, first) in enumerate(zip(parts, firsts)):
            window.append(client.submit(scan_part, settings, part, first, index, pure=False))
            if len(window) >= 2 * workers:
                yield _result(window.popleft())
        while window:
            yield _result(window.popleft())
    finally:
        cluster = getattr(client, "cluster", None)
        client.close()
        if cluster is not None:
            cluster.close()
