"""The class set for the copier (`examkit render --print`): real PDFs read back page by page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from examkit.cli import cli
from examkit.render import render_folder
from examkit.render.printset import CLASS_SET_FILE, duplex_order, forms_of_copies, render_class_set
from tests.fixtures.render.support import copy_fixture, norm


def test_forms_are_taken_in_turn():
    assert forms_of_copies(["A", "B"], 5) == ["A", "B", "A", "B", "A"]
    assert forms_of_copies(["A", "B", "C"], 2) == ["A", "B"]


def test_every_document_starts_on_the_front_of_a_sheet():
    order = duplex_order([3, 1, 2, 1])
    assert order == [(0, 0), (0, 1), (0, 2), None, (1, 0), None, (2, 0), (2, 1), (3, 0), None]
    starts = [i for i, entry in enumerate(order) if entry is not None and entry[1] == 0]
    assert all(i % 2 == 0 for i in starts) and len(order) % 2 == 0


@pytest.fixture(scope="module")
def separate(tmp_path_factory) -> dict[str, list[str]]:
    """Each form's exam and answer sheet rendered as separate files: the text of their pages."""
    folder = copy_fixture(tmp_path_factory.mktemp("separate") / "exam")
    render_folder(folder, only=("exam", "sheet"), formats=("pdf",), jobs=2)
    pages = {p.stem: [norm(page.extract_text()) for page in PdfReader(p).pages] for p in folder.glob("*.pdf")}
    # The padding is only tested if some document has an odd number of pages (the sheets do).
    assert any(len(texts) % 2 for texts in pages.values()) and all(all(texts) for texts in pages.values())
    return pages


@pytest.mark.parametrize("copies", [1, 2, 3])
def test_page_count_and_parity_for_each_number_of_copies(tmp_path, separate, copies):
    folder = copy_fixture(tmp_path / "exam")
    report = render_class_set(folder, copies=copies)
    letters = ["A", "B", "A"][:copies]
    assert report.copy_forms == letters
    assert report.path == folder / CLASS_SET_FILE

    # What the copier must get: per copy the exam, then its answer sheet, each starting on an odd
    # page (the front of a sheet of paper), a blank page after any document of odd length.
    expected: list[str] = []
    for letter in letters:
        for doc in ("exam", "sheet"):
            assert len(expected) % 2 == 0
            expected += separate[f"{doc}-{letter}"] + [""] * (len(separate[f"{doc}-{letter}"]) % 2)
    pages = [norm(page.extract_text()) for page in PdfReader(report.path).pages]
    assert len(pages) == report.pages == len(expected) and len(pages) % 2 == 0
    assert pages == expected
    assert pages.count("") == sum(len(separate[f"{doc}-{x}"]) % 2 for x in letters for doc in ("exam", "sheet"))

    # The sheets printed have their layout files, for scanning.
    for letter in set(letters):
        layout = json.loads((folder / f"sheet-{letter}.layout.json").read_text())
        assert layout["form"] == letter


def test_cli_print_writes_the_class_set_and_refuses_options_it_ignores(tmp_path):
    folder = copy_fixture(tmp_path / "exam")
    result = CliRunner().invoke(cli, ["render", str(folder), "--print", "--copies", "2"])
    assert result.exit_code == 0, result.output
    assert "2 copies (forms A, B in turn)" in result.output
    assert (folder / CLASS_SET_FILE).is_file()
    assert not list(folder.glob("exam-*.pdf"))  # the class set only

    for args, message in ((["--copies", "2"], "--copies goes with --print"),
                          (["--print", "--only", "exam"], "drop --only")):
        result = CliRunner().invoke(cli, ["render", str(folder), *args])
        assert result.exit_code == 2 and message in result.output


def test_zero_copies_is_a_one_line_error(tmp_path):
    result = CliRunner().invoke(cli, ["render", str(copy_fixture(tmp_path / "exam")), "--print", "--copies", "0"])
    assert result.exit_code == 2 and "0 is not in the range x>=1" in result.output


def test_missing_exam_set_says_to_generate_first(tmp_path: Path):
    result = CliRunner().invoke(cli, ["render", str(tmp_path / "nothing"), "--print"])
    assert result.exit_code == 1 and "run 'examkit generate' first" in result.stderr
