"""Atomic writes and output paths that no id or file name can steer outside the folder."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from examkit.errors import ExamkitError
from examkit.fileio import (
    inside,
    read_examset,
    safe_name,
    spreadsheet_text,
    write_atomic,
)


def test_write_atomic_replaces_whole_files_with_ordinary_permissions(tmp_path: Path):
    target = tmp_path / "deep" / "file.txt"
    write_atomic(target, "first")
    write_atomic(target, b"second")
    assert target.read_text() == "second"
    assert [p.name for p in target.parent.iterdir()] == ["file.txt"]  # no temporary left behind
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~mask


@pytest.mark.parametrize("name", ["../../etc/passwd", "/etc/passwd", "..", "a/../../b", "", "C:\\x"])
def test_inside_never_leaves_the_folder(tmp_path: Path, name: str):
    path = inside(tmp_path, name)
    assert tmp_path.resolve() in path.parents
    assert "/" not in safe_name(name) and safe_name(name) not in ("", ".", "..")


def test_read_examset_errors_are_one_line(tmp_path: Path):
    with pytest.raises(ExamkitError, match="no exam set here; run 'examkit generate' first"):
        read_examset(tmp_path)
    (tmp_path / "examset.json").write_text('{"title": 3}')
    with pytest.raises(ExamkitError, match=r"examset.json: not a valid exam set \(.*\); regenerate it"):
        read_examset(tmp_path)


@pytest.mark.parametrize("typed, written", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"), ("+1", "'+1"), ("@SUM(A1)", "'@SUM(A1)"),
    ("-", "-"), ("Tokens", "Tokens"), ("", ""),
])
def test_spreadsheet_text_defuses_formulas(typed, written):
    assert spreadsheet_text(typed) == written
