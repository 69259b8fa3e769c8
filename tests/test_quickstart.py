"""The README's Quick start runs as written (in a fresh folder, with this installation's
console script), so the documentation cannot drift from the program; and `make test` waits for
a busy package manager and says what it installs before it does."""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"


def quick_start_block() -> str:
    section = README.read_text(encoding="utf-8").split("## Quick start", 1)[1].split("\n## ", 1)[0]
    (block,) = re.findall(r"```sh\n(.*?)```", section, re.S)
    return block


def test_the_quick_start_runs_as_written(tmp_path: Path):
    block = quick_start_block()
    assert block.splitlines()[0] == ". .venv/bin/activate"
    # The folder a fresh clone has after `make demo`: its .venv is this test's installation.
    activate = Path(sys.prefix) / "bin" / "activate"
    if activate.is_file():
        (tmp_path / ".venv").symlink_to(sys.prefix, target_is_directory=True)
    else:  # not in a virtualenv: an activate that puts this Python's scripts on PATH
        (tmp_path / ".venv" / "bin").mkdir(parents=True)
        (tmp_path / ".venv" / "bin" / "activate").write_text(f'PATH="{Path(sys.executable).parent}:$PATH"\n')
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    done = subprocess.run(["bash", "-euo", "pipefail", "-c", block], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"the Quick start failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"

    exam = tmp_path / "output" / "aif-c01-task-2.1-quiz"
    assert (exam / "exam-A.pdf").is_file() and (exam / "practice-B.html").is_file()
    with (tmp_path / "output" / "answers.csv").open(newline="", encoding="utf-8") as handle:
        assert len(list(csv.reader(handle))) == 1 + 25
    with (exam / "results" / "scores.csv").open(newline="", encoding="utf-8") as handle:
        scores = list(csv.DictReader(handle))
    assert len(scores) == 30 and {row["status"] for row in scores} <= {"graded", "flagged"}
    assert (exam / "results" / "report.pdf").is_file()
    assert "examkit-practice:" in (tmp_path / "output" / "study.html").read_text(encoding="utf-8")


def test_system_deps_say_what_they_install_and_wait_for_the_lock(tmp_path: Path):
    fake = tmp_path / "bin"
    fake.mkdir()
    log = tmp_path / "apt.log"
    for name, body in {
        "dpkg-query": "exit 1",  # nothing is installed
        "apt-get": f'echo "apt-get $*" >> "{log}"; echo "ran apt-get $1 $2 $3"',
        "id": 'echo 0',  # as root, so no sudo
    }.items():
        (fake / name).write_text(f"#!/bin/sh\n{body}\n")
        (fake / name).chmod(0o755)
    env = dict(os.environ, PATH=f"{fake}:{os.environ['PATH']}")
    done = subprocess.run([str(ROOT / "scripts" / "system-deps"), "runtime"], env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("examkit: installing system-wide with apt-get: libpango-1.0-0")
    assert "waiting up to 600s" in lines[1]
    assert lines[2].startswith("ran apt-get")  # told first, installed after
    calls = log.read_text().splitlines()
    assert len(calls) == 2 and all("-o DPkg::Lock::Timeout=600" in call for call in calls)
    assert calls[0].endswith("update -qq") and "install -y" in calls[1]
