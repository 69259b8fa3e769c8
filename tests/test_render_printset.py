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
def separate(tmp_path_factory) -> dict[str, int]:
    """Page counts of each form's exam and sheet rendered as separate files, the reference."""
    folder = copy_fixture(tmp_path_factory.mktemp("separate") / "exam")
    render_folder(folder, only=("exam", "sheet"), formats=("pdf",), jobs=2)
    return {p.stem: len(PdfReader(p).pages) for p in folder.glob("*.pdf")}


def kind_of(text: str) -> str:
    """What a page of the class set is: a first page of an exam or sheet, a later page, a blank."""
    if not text:
        return "blank"
    if text.startswith("ANSWER SHEET") and "Page 1 of" in text:
        return "sheet"
    if text.startswith("PRACTICE EXAM"):
        return "exam"
    return "more"


@pytest.mark.parametrize("copies", [1, 2, 3])
def test_page_count_and_parity_for_each_number_of_copies(tmp_path, separate, copies):
    folder = copy_fixture(tmp_path / "exam")
    report = render_class_set(folder, copies=copies)
    letters = ["A", "B", "A"][:copies]
    assert report.copy_forms == letters
    assert report.path == folder / CLASS_SET_FILE
    pages = [norm(page.extract_text()) for page in PdfReader(report.path).pages]

    # Each document padded to an even count: the file is exactly that long, and even.
    expected = sum(separate[f"{doc}-{letter}"] + separate[f"{doc}-{letter}"] % 2
                   for letter in letters for doc in ("exam", "sheet"))
    assert len(pages) == report.pages == expected and expected % 2 == 0

    # Walking the file: every exam and answer sheet begins on an odd page (the front of a sheet
    # of paper), in copy order, with the right form, and only blank pages pad between them.
    starts = [(number, kind_of(text)) for number, text in enumerate(pages, start=1)]
    firsts = [(number, kind) for number, kind in starts if kind in ("exam", "sheet")]
    assert [kind for _, kind in firsts] == ["exam", "sheet"] * copies
    assert all(number % 2 == 1 for number, _ in firsts), firsts
    for (number, kind), letter in zip(firsts, [x for x in letters for _ in range(2)]):
        assert f"FORM {letter}" in pages[number - 1]
    blanks = [number for number, kind in starts if kind == "blank"]
    assert all(number % 2 == 0 for number in blanks)
    assert len(blanks) == sum(separate[f"{doc}-{letter}"] % 2 for letter in letters for doc in ("exam", "sheet"))

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
