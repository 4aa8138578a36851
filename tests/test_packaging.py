"""The built wheel carries the catalogue, and the installed command runs from any directory."""

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("dist")
    result = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(ROOT)],
        capture_output=True, text=True,
    )
    if result.returncode != 0:
        pytest.fail(f"building the wheel failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    return next(out.glob("smtpcodes-*.whl"))


def test_the_wheel_contains_the_catalogue_and_the_entry_point(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        assert "smtpcodes/codes.toml" in names
        assert archive.read("smtpcodes/codes.toml") == (ROOT / "codes.toml").read_bytes()
        entry_points = next(n for n in names if n.endswith("entry_points.txt"))
        assert "smtpcodes = smtpcodes.__main__:main" in archive.read(entry_points).decode()


def test_the_installed_package_runs_from_another_directory(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target), str(wheel)],
        check=True, capture_output=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target), "SMTPCODES_CACHE_DIR": str(tmp_path / "cache")}
    probe = subprocess.run(
        [sys.executable, "-c", "import smtpcodes.catalogue.load as c; print(c.builtin_path())"],
        capture_output=True, text=True, cwd=elsewhere, env=env, check=True,
    )
    assert Path(probe.stdout.strip()).is_relative_to(target)
    result = subprocess.run(
        [sys.executable, "-m", "smtpcodes", "explain", "535", "--json"],
        capture_output=True, text=True, cwd=elsewhere, env=env,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["title"]
