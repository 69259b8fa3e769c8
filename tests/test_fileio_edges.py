"""The file edge: atomic writes, safe names, paths kept inside a folder, exam-set errors, defusing."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from examkit.errors import ExamkitError
from examkit.fileio import inside, ordinary_file_mode, read_examset, safe_name, spreadsheet_text, write_atomic


def test_write_atomic_makes_missing_folders_and_replaces_in_place(tmp_path):
    target = tmp_path / "a" / "b" / "scores.csv"
    write_atomic(target, "é,1\n")
    write_atomic(target, b"second")
    assert target.read_bytes() == b"second"
    assert sorted(p.name for p in target.parent.iterdir()) == ["scores.csv"]
    write_atomic(tmp_path / "text.csv", "é")
    assert (tmp_path / "text.csv").read_bytes() == "é".encode("utf-8")


def test_write_atomic_stages_a_named_temporary_beside_the_target(tmp_path, monkeypatch):
    seen = []
    real = os.replace

    def replace(src, dst):
        seen.append(Path(src))
        return real(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    write_atomic(tmp_path / "key.csv", "x")
    (tmp,) = seen
    assert tmp.parent == tmp_path and tmp.name.startswith(".key.csv.") and tmp.name.endswith(".tmp")


def test_a_failed_write_leaves_neither_target_nor_temporary(tmp_path, monkeypatch):
    def fail(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        write_atomic(tmp_path / "key.csv", "x")
    assert list(tmp_path.iterdir()) == []


def test_written_files_get_the_mode_of_an_ordinary_write(tmp_path):
    previous = os.umask(0o027)
    try:
        assert ordinary_file_mode() == 0o640
        write_atomic(tmp_path / "f.csv", "x")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "f.csv").stat().st_mode) == 0o640


@pytest.mark.parametrize(("text", "name"), [("exam-A", "exam-A"), ("../../etc/passwd", "etc-passwd"),
                                            ("a b/c", "a-b-c"), ("...", "unnamed"), ("", "unnamed"),
                                            ("-.x.-", "x"), ("x" * 150, "x" * 100), ("XX-ray", "XX-ray")])
def test_safe_name(text, name):
    assert safe_name(text) == name


def test_inside_keeps_every_path_in_the_folder(tmp_path):
    assert inside(tmp_path, "exam-A.html") == tmp_path.resolve() / "exam-A.html"
    assert inside(tmp_path, "..", "x") == tmp_path.resolve() / "unnamed" / "x"
    (tmp_path / "link").symlink_to(tmp_path.parent)
    with pytest.raises(ExamkitError) as caught:
        inside(tmp_path, "link", "x")
    assert str(caught.value) == f"{tmp_path}: refusing to write outside the folder: ('link', 'x')"


def test_read_examset_messages(tmp_path):
    with pytest.raises(ExamkitError) as caught:
        read_examset(tmp_path)
    assert str(caught.value) == (f"{tmp_path / 'examset.json'}: no exam set here; run 'examkit generate' first "
                                 "or point at its folder")
    (tmp_path / "examset.json").write_text('{"format": "examkit.examset/1", "title": 3}')
    with pytest.raises(ExamkitError) as caught:
        read_examset(tmp_path / "examset.json")
    message = str(caught.value)
    assert message.startswith(f"{tmp_path / 'examset.json'}: not a valid exam set (title: ")
    assert message.endswith("); regenerate it")


@pytest.mark.parametrize(("text", "where"), [
    ("[1, 2]", "the file: Input should be an object"),  # JSON, but not an exam set at all
    ('{"format": "examkit.examset/1", "title": 3}', "title: "),
])
def test_read_examset_names_where_the_file_is_wrong(tmp_path, text, where):
    (tmp_path / "examset.json").write_text(text)
    with pytest.raises(ExamkitError) as caught:
        read_examset(tmp_path)
    assert str(caught.value).startswith(f"{tmp_path / 'examset.json'}: not a valid exam set ({where}")


def test_read_examset_names_a_nested_field_by_its_path(tmp_path):
    import json

    data = json.loads((Path(__file__).parent / "fixtures" / "grade" / "examset.json").read_text(encoding="utf-8"))
    data["scoring"]["pass_mark"] = "high"
    (tmp_path / "examset.json").write_text(json.dumps(data))
    with pytest.raises(ExamkitError) as caught:
        read_examset(tmp_path)
    assert str(caught.value) == (f"{tmp_path / 'examset.json'}: not a valid exam set (scoring.pass_mark: Input should be "
                                 "a valid number, unable to parse string as a number); regenerate it")


def test_leftover_temporaries_are_the_hidden_tmp_files_of_a_killed_run(tmp_path):
    from examkit.fileio import leftover_temporaries

    for name in (".exam-A.pdf.k2j4.tmp", "notes.tmp", ".examset.json.x1.TMP", ".key.csv.a1.tmp"):
        (tmp_path / name).write_text("x")
    (tmp_path / ".folder.tmp").mkdir()
    assert [p.name for p in leftover_temporaries(tmp_path)] == [".exam-A.pdf.k2j4.tmp", ".key.csv.a1.tmp"]


@pytest.mark.parametrize(("cell", "defused"), [
    ("=1+1", True), (" =1+1", True), ("\u3000=1", True), ("\n+1", True), ("\uff1d1", True), ("-", False),
    (" - ", False), ("X=1", False), ("plain", False), ("", False), ("a=b", False), ("\t", True),
])
def test_spreadsheet_text(cell, defused):
    assert spreadsheet_text(cell) == ("'" + cell if defused else cell)
