"""--cluster on a real dask.distributed LocalCluster (2 workers, loopback only): the same records and
summary as one process. Skipped when Dask is not installed (pip install 'smtpcodes[dask]')."""

import gzip
from datetime import datetime

import pytest

pytest.importorskip("dask.distributed")

from smtpcodes.output.scanrun import Request, run  # noqa: E402
from smtpcodes.scan import cluster  # noqa: E402
from smtpcodes.scan.scanner import Filters  # noqa: E402
from smtpcodes.scan.summary import summary_object  # noqa: E402
from tests.scanlogs import LOGS, repeated_postfix  # noqa: E402

NOW = datetime(2026, 12, 1)


@pytest.fixture(scope="module")
def scheduler():
    from dask.distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, protocol="tcp", host="127.0.0.1",
                      dashboard_address=None) as local:
        yield local.scheduler_address


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fleet")
    repeated_postfix(folder / "mx1.log", 150)
    repeated_postfix(folder / "mx2.log", 60)
    (folder / "mx3.log.gz").write_bytes(gzip.compress((LOGS / "exim.log").read_bytes()))
    return folder


def scan(files, mode, address=None):
    written = []
    outcome = run(Request(files, mode, Filters(now=NOW), (), cluster=address), written.append)
    return "".join(written), outcome


@pytest.mark.parametrize("mode", ["json", "csv"])
def test_records_from_the_cluster_equal_one_process_record_for_record(scheduler, inputs, mode, monkeypatch):
    monkeypatch.setattr(cluster, "PARTITION", 16 << 10)  # mx1.log becomes about 20 byte ranges
    files = [str(inputs / "mx1.log"), str(inputs / "mx2.log"), str(inputs / "mx3.log.gz")]
    local, _ = scan(files, mode)
    remote, outcome = scan([str(inputs / "mx*")], mode, scheduler)
    assert remote == local and local.count("\n") > 2000
    assert outcome.counts.files == 3 and outcome.problems == []


def test_the_summary_from_the_cluster_is_the_merged_sum(scheduler, inputs, monkeypatch):
    monkeypatch.setattr(cluster, "PARTITION", 16 << 10)
    files = [str(inputs / "mx1.log"), str(inputs / "mx2.log")]
    _, local = scan(files, "summary")
    _, remote = scan(files, "summary", scheduler)
    assert summary_object(remote.summary) == summary_object(local.summary)
    assert remote.summary.traffic["totals"]["delivered"] == 3 * 210


def test_a_glob_that_matches_nothing_is_reported_and_the_rest_scanned(scheduler, inputs):
    _, outcome = scan([str(inputs / "nothing*.log"), str(inputs / "mx2.log")], "json", scheduler)
    assert outcome.problems == [f"{inputs / 'nothing*.log'}: no such file"] and outcome.counts.matched == 60 * 12


@pytest.fixture(scope="module")
def members_gz(tmp_path_factory):
    """A log as gzip members cut every 5,000 bytes (as bgzip cuts: lines cross members), and one member damaged."""
    folder = tmp_path_factory.mktemp("members")
    data = repeated_postfix(folder / "plain.log", 100).read_bytes()
    pieces = [gzip.compress(data[at:at + 5000]) for at in range(0, len(data), 5000)]
    (folder / "mx.log.gz").write_bytes(b"".join(pieces))
    broken = bytearray(pieces[60])
    broken[len(broken) // 2:len(broken) // 2 + 16] = bytes(16)
    (folder / "broken.log.gz").write_bytes(b"".join(pieces[:60]) + bytes(broken) + b"".join(pieces[61:]))
    return folder


@pytest.mark.parametrize("name", ["mx.log.gz", "broken.log.gz"])
def test_the_cluster_cuts_a_gzip_file_at_its_members(scheduler, members_gz, name, monkeypatch):
    monkeypatch.setattr(cluster, "PARTITION", 16 << 10)
    monkeypatch.setattr(cluster, "WALK", 8 << 10)
    planned = cluster.plan([str(members_gz / name)], [], [], run_all=lambda f, args: [f(*a) for a in args])
    assert len(planned) > 10 and all(part.member is not None for part in planned)
    files = [str(members_gz / name), str(LOGS / "exim.log")]
    local, single = scan(files, "json")
    remote, outcome = scan(files, "json", scheduler)
    assert remote == local and outcome.problems == single.problems and outcome.counts.lines == single.counts.lines
    if name == "mx.log.gz":
        plain, _ = scan([str(members_gz / "plain.log")], "json")
        assert local.startswith(plain.replace(str(members_gz / "plain.log"), str(members_gz / name)))
        _, here = scan(files, "summary")
        _, there = scan(files, "summary", scheduler)
        assert summary_object(there.summary) == summary_object(here.summary)
    else:
        assert len(outcome.problems) == 1 and "damaged gzip data" in outcome.problems[0]


def test_cluster_workers_write_partition_files_that_read_as_json(scheduler, inputs, members_gz, tmp_path, monkeypatch):
    monkeypatch.setattr(cluster, "PARTITION", 16 << 10)
    monkeypatch.setattr(cluster, "WALK", 8 << 10)
    files = [str(inputs / "mx2.log"), str(members_gz / "mx.log.gz"), str(inputs / "mx3.log.gz")]
    printed, _ = scan(files, "json")
    _, summary = scan(files, "summary")
    written = []
    outcome = run(Request(files, "json", Filters(now=NOW), (), cluster=scheduler, folder=str(tmp_path / "out")),
                  written.append)
    parts = sorted((tmp_path / "out").iterdir())
    assert written == [] and len(parts) > 15 and parts[0].name == "part-00000.jsonl"
    assert "".join(part.read_text() for part in parts) == printed
    assert summary_object(outcome.summary) == summary_object(summary.summary)
