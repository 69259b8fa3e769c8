"""`examkit scan` on scans made here from real rendered sheets: filled as people fill them,
scanned as copiers and phones scan them, read back exactly or sent to review, never misread."""

from __future__ import annotations

import csv
import json
import random
import shutil
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image

from examkit.cli import cli
from examkit.fileio import read_examset
from examkit.render import render_folder
from examkit.scan import scan_files
from tests.fixtures.render.support import copy_fixture
from tests.fixtures.scan.paper import CLEAN, DISTORTIONS, distort, fill_page, rasterise, tally_readings

DPI = 110  # moderate, to keep the suite fast; bench/scan.py measures 150 and 300


@pytest.fixture(scope="module")
def exam(tmp_path_factory) -> Path:
    folder = copy_fixture(tmp_path_factory.mktemp("scan") / "exam")
    render_folder(folder, only=("sheet",), formats=("pdf",), jobs=1)
    return folder


def blank_pages(folder: Path, letter: str, dpi: int = DPI) -> list[np.ndarray]:
    return rasterise(folder / f"sheet-{letter}.pdf", dpi)


def layout(folder: Path, letter: str) -> dict:
    return json.loads((folder / f"sheet-{letter}.layout.json").read_text())


def items_of(folder: Path, letter: str) -> dict:
    return {i.position: i for i in read_examset(folder).form(letter).items}


def read_csv(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def save_pdf(path: Path, pages: list[np.ndarray], dpi: int = DPI) -> Path:
    images = [Image.fromarray(p) for p in pages]
    images[0].save(path, "PDF", save_all=True, append_images=images[1:], resolution=dpi)
    return path


# --------------------------------------------------------------------------- the sheet PDF


def test_every_bubble_of_the_sheet_pdf_is_drawn_where_the_layout_says(exam):
    """Read back as drawn geometry: each bubble is a path whose box is centred on the layout's
    point within half a millimetre and as wide as its radius says."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    half_mm = 72 / 25.4 / 2
    for letter in "AB":
        data = layout(exam, letter)
        document = pdfium.PdfDocument(str(exam / f"sheet-{letter}.pdf"))
        assert len(document) == len(data["pages"])
        for page_data, page in zip(data["pages"], document):
            height = page.get_height()
            paths = [obj.get_bounds() for obj in page.get_objects() if obj.type == raw.FPDF_PAGEOBJ_PATH]
            circles = np.array([((l + r) / 2, height - (b + t) / 2, (r - l) / 2) for l, b, r, t in paths])
            wanted = [(b["x"], b["y"], item["radius"]) for item in page_data["items"] for b in item.get("bubbles", [])]
            if "student_id" in page_data:
                ids = page_data["student_id"]
                wanted += [(b["x"], b["y"], ids["radius"]) for column in ids["columns"] for b in column]
            assert len(wanted) > 30
            for x, y, r in wanted:
                distance = np.hypot(circles[:, 0] - x, circles[:, 1] - y)
                nearest = int(np.argmin(distance))
                assert distance[nearest] <= half_mm, (letter, x, y)
                # its box is the circle's plus at most the ring's line width (0.8 pt)
                assert 0 <= circles[nearest, 2] - r <= 0.85, (letter, x, y)
        document.close()


# --------------------------------------------------------------------------- reading piles


def make_pile(folder: Path, rng: random.Random, distortions=DISTORTIONS, doubtful: float = 0.0,
              erased: float = 0.0, dpi: int = DPI) -> tuple[list[tuple[str, np.ndarray]], dict]:
    """One filled page per distortion per form: (name, image) and what each student meant."""
    pile, truth = [], {}
    for letter in "AB":
        blank, page, items = blank_pages(folder, letter, dpi)[0], layout(folder, letter)["pages"][0], items_of(folder, letter)
        for kind in distortions:
            image = blank.copy()
            filled = fill_page(image, page, items, dpi, rng, doubtful=doubtful, erased=erased,
                               student=str(20000000 + len(truth)))
            truth[filled.student] = (letter, kind, filled)
            pile.append((f"{len(truth):03d}-{letter}-{kind}", distort(image, kind, rng)))
    return pile, truth


def check_readings(responses: list[dict], truth: dict) -> tuple[int, int, int]:
    """(silent misreads, clean items read without review, clean items) over every cell."""
    rows = {r["student"]: r for r in responses}
    for student, (letter, _, filled) in truth.items():
        row = rows[student]
        assert row["form"] == letter
        for position in filled.short:
            assert row[str(position)] == "?"  # handwriting always goes to a person
    return tally_readings(rows, truth)


def test_every_distortion_is_read_exactly_or_flagged(exam, tmp_path):
    """Skewed, upside down, scaled, warped, noisy, blurred and JPEG'd pages, in PNG, JPEG, TIFF
    and a copier PDF, mixed forms: no silent misread, and clean marks read without review."""
    rng = random.Random(11)
    pile, truth = make_pile(exam, rng, doubtful=0.15, erased=0.15)
    scans = tmp_path / "pile"
    scans.mkdir()
    pdf_pages = []
    for n, (name, image) in enumerate(pile):
        if n % 4 == 0:
            pdf_pages.append(image)
        else:
            cv2.imwrite(str(scans / f"{name}.{('png', 'jpg', 'tif')[n % 4 - 1]}"), image)
    save_pdf(scans / "copier.pdf", pdf_pages)
    report = scan_files(exam, [scans], out=tmp_path / "out", jobs=2, dpi=DPI)
    page_problems = [r for r in report.review if r.position is None]
    assert page_problems == []
    assert len(report.pages) == len(pile) and len(report.sheets) == len(truth)
    misreads, clean_read, clean = check_readings(read_csv(tmp_path / "out" / "responses.csv"), truth)
    assert misreads == 0
    assert clean_read >= 0.98 * clean, (clean_read, clean)
    upside = {p.source for p in report.pages if p.upside_down}
    assert upside and all("upside-down" in s for s in upside)


def test_doubtful_marks_are_never_guessed(exam, tmp_path):
    """Two marks on a one-answer item, a faint tick, a half-erased mark, a gap in the student
    ID: each comes out as ? with its reason, and the clear cells are still read."""
    letter = "A"
    image, page, s = blank_pages(exam, letter)[0], layout(exam, letter)["pages"][0], DPI / 72
    items = {item["position"]: item for item in page["items"]}
    rng = random.Random(3)

    def mark(position: int, value: str, style: str = "pen") -> None:
        from tests.fixtures.scan.paper import draw_mark

        bubble = next(b for b in items[position]["bubbles"] if b["value"] == value)
        draw_mark(image, bubble["x"] * s, bubble["y"] * s, items[position]["radius"] * s, style, rng)

    single = [p for p, i in items.items() if i["type"] == "single"]
    mark(single[0], "A")
    mark(single[0], "C")  # two marks on a one-answer item
    mark(single[1], "B", "small")
    mark(single[1], "D")  # a tiny dot on B, a full mark on D
    circle = items[single[2]]["bubbles"][1]
    cv2.circle(image, (round(circle["x"] * s), round(circle["y"] * s)), round(items[single[2]]["radius"] * s * 0.9),
               160, -1)  # a half-erased, still grey mark: neither filled nor empty
    ids = page["student_id"]
    for column, digit in ((0, 1), (1, 2), (3, 4)):  # digit 3 left empty between marked digits
        b = ids["columns"][column][digit]
        cv2.circle(image, (round(b["x"] * s), round(b["y"] * s)), round(ids["radius"] * s * 0.9), 20, -1)
    path = tmp_path / "doubtful.png"
    cv2.imwrite(str(path), image)
    report = scan_files(exam, [path], out=tmp_path / "out", dpi=DPI)
    (row,) = read_csv(tmp_path / "out" / "responses.csv")
    assert row["student"].startswith("?")
    assert row[str(single[0])] == "?"
    assert row[str(single[1])] in ("?", "D")
    assert row[str(single[2])] == "?"
    reasons = {r.position: r.reason for r in report.review}
    assert reasons[single[0]].startswith("2 marks on a one-answer item (A, C)")
    assert reasons[single[2]].startswith("unclear mark at B")
    assert "student ID digit 3 is empty" in reasons[None]
    review = read_csv(tmp_path / "out" / "review.csv")
    assert list(review[0]) == ["source", "page", "student", "form", "position", "reason"]
    assert {r["position"] for r in review} >= {str(single[0]), str(single[2]), ""}
    assert next(r.read for r in report.review if r.position == single[0]) == "marked A, C"
    html = (tmp_path / "out" / "review.html").read_text()
    assert "marked A, C" in html
    for r in report.review:
        if r.crop:
            assert r.crop in html and (tmp_path / "out" / r.crop).is_file()


def test_a_page_read_as_all_marked_is_flagged_whole_not_graded(exam, tmp_path):
    """The classic failure: a dark copy (or a sheet filled in everywhere) reads every bubble
    as marked; every cell and the ID then go to review."""
    image, page, s = blank_pages(exam, "A")[0], layout(exam, "A")["pages"][0], DPI / 72
    bubbles = [(b, item["radius"]) for item in page["items"] for b in item.get("bubbles", [])]
    bubbles += [(b, page["student_id"]["radius"]) for column in page["student_id"]["columns"] for b in column]
    for b, r in bubbles:
        cv2.circle(image, (round(b["x"] * s), round(b["y"] * s)), round(r * s), 30, -1)
    cv2.imwrite(str(tmp_path / "dark.png"), image)
    report = scan_files(exam, [tmp_path / "dark.png"], out=tmp_path / "out", dpi=DPI)
    (row,) = read_csv(tmp_path / "out" / "responses.csv")
    assert row["student"].startswith("?")
    assert all(row[str(p)] == "?" for p in range(1, 9))
    assert all("almost all marked" in r.reason for r in report.review if not r.reason.startswith("short answer"))


def test_bad_input_gets_one_line_each_and_the_rest_is_read(exam, tmp_path):
    from pypdf import PdfWriter

    good = blank_pages(exam, "B")[0]
    filled = fill_page(good, layout(exam, "B")["pages"][0], items_of(exam, "B"), DPI, random.Random(1), student="4242")
    pile = tmp_path / "pile"
    pile.mkdir()
    cv2.imwrite(str(pile / "good<b>.png"), good)  # a name that must come out escaped in review.html
    (pile / "notes.pdf").write_text("these are my notes, not a scan")
    (pile / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0 truncated")
    save_pdf(pile / "broken.pdf", [good])
    (pile / "broken.pdf").write_bytes((pile / "broken.pdf").read_bytes()[:300])
    writer = PdfWriter(clone_from=save_pdf(tmp_path / "plain.pdf", [good]))
    writer.encrypt("secret")
    writer.write(pile / "locked.pdf")
    cv2.imwrite(str(pile / "blank.png"), np.full_like(good, 250))
    cropped = good.copy()
    cropped[-int(good.shape[0] * 0.06):, :] = 255  # the bottom corner marks cut off
    cv2.imwrite(str(pile / "cropped.png"), cropped)
    other = copy_fixture(tmp_path / "other")
    data = json.loads((other / "examset.json").read_text())
    data["title"] = "Another exam set"
    (other / "examset.json").write_text(json.dumps(data))
    render_folder(other, only=("sheet",), formats=("pdf",), jobs=1)
    cv2.imwrite(str(pile / "foreign.png"), rasterise(other / "sheet-A.pdf", DPI)[0])

    result = CliRunner().invoke(cli, ["scan", str(exam), str(pile), "-o", str(tmp_path / "out"), "--dpi", str(DPI)])
    assert result.exit_code == 0, result.output
    strict = CliRunner().invoke(cli, ["scan", str(exam), str(pile), "-o", str(tmp_path / "strict"), "--strict"])
    assert strict.exit_code == 1 and (tmp_path / "strict" / "review.csv").is_file()
    rows = read_csv(tmp_path / "out" / "responses.csv")
    assert [r["student"] for r in rows] == ["4242"]
    assert all(rows[0][str(p)] == a for p, a in filled.answers.items())
    review = {Path(r["source"]).name: r["reason"] for r in read_csv(tmp_path / "out" / "review.csv") if not r["position"]}
    assert "not a PDF or an image" in review["notes.pdf"]
    assert "cannot decode the image" in review["photo.jpg"]
    assert "not a readable PDF" in review["broken.pdf"]
    assert "encrypted" in review["locked.pdf"]
    assert review["blank.png"].startswith("blank page")
    assert review["cropped.png"].startswith("corner marks not found (bottom-left, bottom-right)")
    assert "another exam set" in review["foreign.png"] and "not graded" in review["foreign.png"]
    assert len(review) == 7  # every page that is not in responses.csv is in review.csv
    html = (tmp_path / "out" / "review.html").read_text()
    assert "good&lt;b&gt;.png" in html and "good<b>" not in html
    # Pages that could not be read are shown as they are (all but the blank one).
    assert len(list((tmp_path / "out" / "review-images").glob("p*.jpg"))) == 3
    assert "review: " in result.output and "locked.pdf" in result.output


def test_a_long_sheet_over_two_pages_is_one_row_and_a_missing_page_is_flagged(tmp_path):
    folder = copy_fixture(tmp_path / "exam")
    data = json.loads((folder / "examset.json").read_text())
    form = data["forms"][0]
    base = [i for i in form["items"] if i["type"] in ("single", "multiple", "matching")]
    form["items"] = [dict(base[n % len(base)], position=n + 1) for n in range(48)]
    data["forms"] = [form]
    (folder / "examset.json").write_text(json.dumps(data))
    render_folder(folder, only=("sheet",), formats=("pdf",), jobs=1)
    sheet = layout(folder, "A")
    assert len(sheet["pages"]) == 2
    items = items_of(folder, "A")
    rng = random.Random(8)
    pages = blank_pages(folder, "A")
    first = fill_page(pages[0], sheet["pages"][0], items, DPI, rng, styles=("pen",), student="777")
    second = fill_page(pages[1], sheet["pages"][1], items, DPI, rng, styles=("pen",))
    extra = blank_pages(folder, "A")
    fill_page(extra[0], sheet["pages"][0], items, DPI, rng, styles=("pen",), student="778")
    # A copier pile: student 777's two pages, then student 778's first page without its second.
    save_pdf(tmp_path / "pile.pdf", [distort(pages[0], "skew", rng), distort(pages[1], "upside-down", rng), extra[0]])
    report = scan_files(folder, [tmp_path / "pile.pdf"], out=tmp_path / "out", dpi=DPI)
    rows = {r["student"]: r for r in read_csv(tmp_path / "out" / "responses.csv")}
    assert set(rows) == {"777", "778"}
    answers = {**first.answers, **second.answers}
    assert {p: rows["777"][str(p)] for p in answers} == answers, [r.reason for r in report.review]
    late = [p for p in answers if p not in first.answers]
    assert late and all(rows["778"][str(p)] == "?" for p in late)
    assert any(r.student == "778" and "page 2 of 2 of this sheet missing" in r.reason for r in report.review)


def test_scanning_the_same_pile_twice_gives_the_same_files(exam, tmp_path):
    rng = random.Random(4)
    pile, _ = make_pile(exam, rng, distortions=("none", "phone"), doubtful=0.3)
    path = save_pdf(tmp_path / "pile.pdf", [image for _, image in pile])
    outputs = []
    for n in (1, 2):
        out = tmp_path / f"out{n}"
        scan_files(exam, [path], out=out, jobs=n, dpi=DPI)
        outputs.append({p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()})
    assert outputs[0] == outputs[1]
    # Scanning a folder that holds the scanner's own output reads the pile, not its pictures.
    shutil.copy(path, tmp_path / "out1" / "pile.pdf")
    again = scan_files(exam, [tmp_path / "out1"], out=tmp_path / "out1", dpi=DPI)
    assert len(again.pages) == len(pile)
    assert {"responses.csv", "review.csv", "review.html"} <= {str(p) for p in outputs[0]}


def test_the_cli_and_api_do_not_load_the_scanner_for_help():
    code = ("import sys; from click.testing import CliRunner; from examkit.cli import cli; "
            "r = CliRunner().invoke(cli, ['scan', '--help']); assert r.exit_code == 0, r.output; "
            "assert '--strict' in r.output and '--dpi' in r.output; "
            "print(sorted(m for m in ('cv2', 'zxingcpp', 'pypdfium2', 'numpy') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_an_output_folder_that_cannot_be_written_is_one_line(exam, tmp_path):
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the output folder should be")
    cv2.imwrite(str(tmp_path / "page.png"), blank_pages(exam, "A")[0])
    result = CliRunner().invoke(cli, ["scan", str(exam), str(tmp_path / "page.png"), "-o", str(blocked / "out")])
    assert result.exit_code == 1 and "cannot write" in result.output and "Traceback" not in result.output


def test_layouts_missing_or_stale_are_refused_with_the_fix(exam, tmp_path):
    folder = copy_fixture(tmp_path / "exam")
    result = CliRunner().invoke(cli, ["scan", str(folder), str(tmp_path)])
    assert result.exit_code == 1
    assert "no answer-sheet layout for form A; run 'examkit render" in result.output
    shutil.copy(exam / "sheet-A.layout.json", folder)
    shutil.copy(exam / "sheet-B.layout.json", folder)
    data = json.loads((folder / "examset.json").read_text())
    data["title"] = "Changed"
    (folder / "examset.json").write_text(json.dumps(data))
    result = CliRunner().invoke(cli, ["scan", str(folder), str(tmp_path)])
    assert result.exit_code == 1 and "drawn for another version of the exam set" in result.output


# --------------------------------------------------------------------------- end to end


def test_generate_render_print_fill_scan_grade(tmp_path):
    """Paper in, grades out: the scores of the scanned pile equal those of what was filled in."""
    import examkit

    bank = examkit.load_bank()
    blueprint = examkit.load_blueprint(examkit.find_blueprint("aif-c01-task-2.1-quiz"))
    examset = examkit.generate_examset(bank, blueprint, forms=2, seed=5)
    folder = tmp_path / "quiz"
    examkit.write_examset(examset, folder, force=True)
    examkit.render_folder(folder, only=("sheet",), formats=("pdf",), jobs=1)
    rng = random.Random(2)
    truth_rows, images = [], []
    for n, kind in enumerate(["none", "skew", "upside-down", "phone", "noise", "scale"]):
        form = examset.forms[n % 2]
        sheet = layout(folder, form.letter)
        items = {i.position: i for i in form.items}
        pages = blank_pages(folder, form.letter)
        answers: dict[int, str] = {}
        student = f"{5000 + n}"
        for page_data, image in zip(sheet["pages"], pages):
            filled = fill_page(image, page_data, items, DPI, rng, styles=CLEAN,
                               student=student if page_data["page"] == 1 else None)
            answers.update(filled.answers)
            answers.update({p: items[p].answers[0] for p in filled.short})  # what the teacher types in
            images.append(distort(image, kind, rng))
        truth_rows.append([student, form.letter, *(answers.get(p, "") for p in range(1, len(form.items) + 1))])
    save_pdf(tmp_path / "scans.pdf", images)
    result = CliRunner().invoke(cli, ["scan", str(folder), str(tmp_path / "scans.pdf"), "--jobs", "2", "--dpi", str(DPI)])
    assert result.exit_code == 0, result.output
    scanned = folder / "scans" / "responses.csv"
    rows = read_csv(scanned)
    assert sorted(r["student"] for r in rows) == sorted(t[0] for t in truth_rows)
    # The teacher reads the short answers from review.html and types them over the ?s.
    truth = {t[0]: t for t in truth_rows}
    with open(scanned, newline="") as handle:
        table = list(csv.reader(handle))
    for line in table[1:]:
        for column, cell in enumerate(line):
            if cell == "?":
                line[column] = truth[line[0]][column]
    with open(tmp_path / "reviewed.csv", "w", newline="") as handle:
        csv.writer(handle).writerows(table)
    with open(tmp_path / "truth.csv", "w", newline="") as handle:
        csv.writer(handle).writerows([table[0], *truth_rows])
    graded = examkit.grade_files(examset, [tmp_path / "reviewed.csv"])
    expected = examkit.grade_files(examset, [tmp_path / "truth.csv"])
    scores = {r.student: (r.points, r.max_points, r.flagged) for r in graded.results}
    assert scores == {r.student: (r.points, r.max_points, r.flagged) for r in expected.results}
    assert not any(flagged for _, _, flagged in scores.values())
    # Before review, the grader flags the ? cells (the short answers at least) rather than marking them wrong.
    before = examkit.grade_files(examset, [scanned])
    assert all(r.flagged and any("needs a person" in reason for reason in r.reasons) for r in before.results)


def test_numbers_written_in_the_digit_grid_are_read_and_graded(tmp_path):
    """Numeric items get a column of 0-9 and a point per character; the scan reads the number."""
    from examkit.bank import load_bank
    from examkit.generate import generate_examset, write_examset
    from examkit.grade import grade_files
    from examkit.models import Blueprint
    from tests.test_parametric import write_bank

    bank = load_bank([write_bank(tmp_path)])
    folder = tmp_path / "exam"
    write_examset(generate_examset(bank, Blueprint(title="Numbers", items=3, types=["numeric", "single"]),
                                   seed=2), folder)
    render_folder(folder, only=("sheet",), formats=("pdf",), jobs=1)
    items = items_of(folder, "A")
    numeric = {p: i for p, i in items.items() if i.type == "numeric"}
    assert numeric and all(len(e["bubbles"]) == 11 * 6 for page in layout(folder, "A")["pages"]
                           for e in page["items"] if e["type"] == "numeric")
    rng = random.Random(5)
    page = blank_pages(folder, "A")[0]
    filled = fill_page(page, layout(folder, "A")["pages"][0], items, DPI, rng, styles=("pen",), student="4711")
    scan = tmp_path / "scan.png"
    cv2.imwrite(str(scan), page)
    report = scan_files(folder, [scan], out=tmp_path / "scans", jobs=1)
    (row,) = read_csv(tmp_path / "scans" / "responses.csv")
    for position in numeric:
        assert row[str(position)] == filled.answers[position]  # e.g. "0.83", read column by column
    run = grade_files(read_examset(folder), [tmp_path / "scans" / "responses.csv"])
    result = run.results[0]
    keys = run.keys["A"]
    for key, outcome in zip(keys, result.outcomes):
        if key.type == "numeric":
            right = abs(float(filled.answers[key.position]) - key.correct) <= key.tolerance + 1e-9
            assert outcome.result == ("correct" if right else "wrong")
    assert report is not None


# A scan whose pages take far too long to read: the test interrupts it part way.
SLOW_SCAN = """
import signal, sys, time
# A shell without job control starts background jobs with Ctrl-C ignored: restore it.
signal.signal(signal.SIGINT, signal.default_int_handler)
from pathlib import Path
from examkit.scan import run
folder = sys.argv[1]
def slow(ref):
    Path(folder, "started-" + str(time.time())).touch()
    time.sleep(300)
run._read_ref = slow
from examkit.cli import main
sys.argv = ["examkit", "scan", folder, *sys.argv[2:], "--jobs", "2"]
main()
"""


def test_ctrl_c_stops_a_scan_with_one_line_and_no_worker_left(exam, tmp_path):
    import signal
    import time

    from .test_render_failures import ROOT, _alive, _children, wait_until_started

    folder = tmp_path / "exam"
    shutil.copytree(exam, folder)
    pages = [tmp_path / f"page-{n}.png" for n in range(4)]
    for page in pages:
        cv2.imwrite(str(page), np.full((200, 140), 255, np.uint8))
    process = subprocess.Popen([sys.executable, "-c", SLOW_SCAN, str(folder), *map(str, pages)], cwd=ROOT,
                               text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    wait_until_started(process, folder)
    workers = _children(process.pid)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=30)  # the pages would take minutes
    assert process.returncode == 1 and "Traceback" not in err, err
    (line,) = err.splitlines()
    assert line == f"error: {folder / 'scans'}: interrupted: no responses written; scan again"
    time.sleep(0.5)
    assert not [pid for pid in workers if _alive(pid)]
    assert not (folder / "scans" / "responses.csv").exists()


def test_a_smaller_rescan_into_the_same_folder_leaves_no_pictures_of_the_earlier_pile(exam, tmp_path):
    rng = random.Random(5)
    pile, _ = make_pile(exam, rng, distortions=("none", "phone"))
    out = tmp_path / "out"
    scan_files(exam, [save_pdf(tmp_path / "all.pdf", [image for _, image in pile])], out=out, jobs=1, dpi=DPI)
    assert any(p.name.startswith("p0002") for p in (out / "review-images").iterdir())  # pictures to be removed
    (out / "review-images" / "my-notes.txt").write_text("mine")  # not a name the scanner gives: kept
    report = scan_files(exam, [save_pdf(tmp_path / "one.pdf", [pile[0][1]])], out=out, jobs=1, dpi=DPI)
    left = {p.name for p in (out / "review-images").iterdir()}
    linked = {page.picture_file.rsplit("/", 1)[1] for page in report.pages if page.picture_file}
    assert "my-notes.txt" in left and linked <= left
    assert {name for name in left - {"my-notes.txt"} if not name.startswith("p0001")} == set()  # pages 2-4 gone
