"""What `examkit scan` writes: responses.csv for the grader, review.csv and review.html for a person.

Page pictures and crops are written as each page is read (then dropped from memory) into
`review-images/`; review.html links to them. Every file is written whole or not at all.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from ..fileio import inside, remove_stale, spreadsheet_text, write_atomic
from ..models import ExamSet
from .reader import PageResult

RESPONSES, REVIEW_CSV, REVIEW_HTML, IMAGES = "responses.csv", "review.csv", "review.html", "review-images"
# The names ImageWriter gives: p0007.jpg (the page), p0007-id.png (student id), p0007-12.png (a cell).
_IMAGE_NAME = re.compile(r"p\d{4,}(?:-id|-\d+)?\.(?:jpg|png)")
REVIEW_COLUMNS = ["source", "page", "student", "form", "position", "reason"]


class ImageWriter:
    """Writes a page's annotated picture and crops as it arrives, then drops their bytes."""

    def __init__(self, out: Path):
        self.folder = out / IMAGES
        self.written: list[Path] = []

    def keep(self, page: PageResult, index: int) -> None:
        stem = f"p{index:04d}"
        if page.picture is not None:
            page.picture_file = self._write(f"{stem}.jpg", page.picture)
            page.picture = None
        if page.student_crop is not None:
            page.student_crop_file = self._write(f"{stem}-id.png", page.student_crop)
            page.student_crop = None
        for cell in page.cells:
            if cell.crop is not None:
                cell.crop_file = self._write(f"{stem}-{cell.position}.png", cell.crop)
                cell.crop = None

    def tidy(self) -> list[str]:
        """Remove pictures an earlier scan into this folder wrote and this one did not: crops of
        students' answers that no review.html links to any more. Only names this writer gives."""
        return remove_stale(self.folder, lambda name: _IMAGE_NAME.fullmatch(name) is not None,
                            keep={p.name for p in self.written})

    def _write(self, name: str, data: bytes) -> str:
        target = inside(self.folder, name)
        write_atomic(target, data)
        self.written.append(target)
        return f"{IMAGES}/{name}"


def responses_csv(report) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["student", "form", *range(1, report.positions + 1)])
    for sheet in report.sheets:
        writer.writerow([spreadsheet_text(sheet.student), sheet.form,
                         *(sheet.cells.get(n, "") for n in range(1, report.positions + 1))])
    return buffer.getvalue()


def review_csv(report) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(REVIEW_COLUMNS)
    for row in report.review:
        writer.writerow([spreadsheet_text(row.source), "" if row.page is None else row.page, spreadsheet_text(row.student),
                         row.form, "" if row.position is None else row.position, spreadsheet_text(row.reason)])
    return buffer.getvalue()


def review_html(report, examset: ExamSet) -> str:
    from ..render.html import template_folders
    from ..render.sandbox import sandboxed_environment

    env = sandboxed_environment(template_folders(None))
    to_review = [r for r in report.review if not r.reason.startswith("short answer")]
    short = [r for r in report.review if r.reason.startswith("short answer")]
    context = {
        "examset": examset,
        "report": report,
        "to_review": to_review,
        "short": short,
        "sheets": len(report.sheets),
        "pages": report.pages,
    }
    return env.get_template("scan-review.html.j2").render(context)


def write_outputs(report, examset: ExamSet) -> list[Path]:
    written = []
    for name, text in ((RESPONSES, responses_csv(report)), (REVIEW_CSV, review_csv(report)),
                       (REVIEW_HTML, review_html(report, examset))):
        target = inside(report.folder, name)
        write_atomic(target, text)
        written.append(target)
    return written
