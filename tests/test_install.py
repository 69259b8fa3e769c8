"""A non-editable install of the built wheel finds the shipped bank, blueprints and templates."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("install")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(work / "dist"), str(ROOT)], check=True, capture_output=True)
    (wheel,) = (work / "dist").glob("examkit-*.whl")
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([venv / "bin" / "python", "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)],
                   check=True, capture_output=True)
    return venv


def run_installed(venv: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    # The dependencies come from the test environment; examkit itself only from the wheel.
    env = {**os.environ, "PYTHONPATH": sysconfig.get_paths()["purelib"]}
    return subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True)


def test_wheel_validates_the_shipped_bank_from_another_directory(installed: Path, tmp_path: Path):
    result = run_installed(installed, installed / "bin" / "examkit", "validate", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok: ") and "for aif-c01" in result.stdout


def test_wheel_ships_bank_blueprints_and_templates_inside_the_package(installed: Path, tmp_path: Path):
    code = ("import examkit, examkit.resources as r; "
            "print(examkit.__file__); print(r.shipped_bank()); print(r.shipped_templates()); "
            "print(r.shipped_blueprints())")
    result = run_installed(installed, installed / "bin" / "python", "-c", code, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    package, bank, templates, blueprints = map(Path, result.stdout.split())
    assert str(package).startswith(str(installed))
    for folder in (bank, templates, blueprints):
        assert str(folder).startswith(str(package.parent / "_data"))
    assert (bank / "exam.yaml").is_file()
    assert sorted(p.name for p in bank.glob("*.yaml")) == sorted(p.name for p in (ROOT / "banks/aif-c01").glob("*.yaml"))
