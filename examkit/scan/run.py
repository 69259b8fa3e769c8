"""Scanning a pile: every page read (in worker processes), pages joined into answer sheets,
each sheet a row of responses.csv, everything unclear a row of review.csv.

Pages are read in the order of the pile, so the pages of a multi-page sheet follow its first
page as a copier scans them; a later page without its first page before it goes to review.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ExamkitError, Problem, display_path
from ..fileio import read_examset
from .bubbles import NORMAL
from .layouts import load_layouts
from .pages import PageError, PageRef, Rasteriser, list_pages
from .reader import PageResult, ReadContext, read_page

NEEDS_REVIEW = "?"  # the cell of responses.csv a person must fill; the grader flags it


@dataclass
class ReviewRow:
    source: str
    page: int | None
    student: str
    form: str
    position: int | None
    reason: str
    crop: str = ""  # image file (relative to the output folder) showing what to look at
    read: str = ""  # what the machine read, when it read something


@dataclass
class SheetRow:
    """One answer sheet (its pages in order): a row of responses.csv."""

    student: str
    form: str
    cells: dict[int, str]
    pages: list[PageResult]


@dataclass
class ScanReport:
    folder: Path
    pages: list[PageResult]  # every page read, images already written and dropped
    sheets: list[SheetRow]
    review: list[ReviewRow]
    positions: int
    written: list[Path] = field(default_factory=list)
    seconds: float = 0.0
    workers: int = 1


# --------------------------------------------------------------------------- reading pages

_WORKER: tuple[ReadContext, Rasteriser] | None = None


def _init_worker(context: ReadContext, dpi: int) -> None:
    global _WORKER
    _WORKER = (context, Rasteriser(dpi))


def _read_ref(ref: PageRef) -> PageResult:
    assert _WORKER is not None, "worker not initialised"
    context, rasteriser = _WORKER
    try:
        gray = rasteriser.gray(ref)
    except PageError as exc:
        return PageResult(ref.source, ref.number, problem=str(exc))
    try:
        return read_page(gray, ref.source, ref.number, context)
    except Exception as exc:  # noqa: BLE001  one strange page must not stop the pile
        return PageResult(ref.source, ref.number, problem=f"could not read this page ({type(exc).__name__}: {exc}); "
                                                          "rescan it, or type its answers")


def _read_indexed(task: tuple[int, PageRef]) -> tuple[int, PageResult]:
    index, ref = task
    return index, _read_ref(ref)


def read_pages(refs: list[PageRef], context: ReadContext, dpi: int, jobs: int,
               on_page: Callable[[int, PageResult], None]) -> list[PageResult]:
    """Each page's reading, in the order of `refs`, from `jobs` processes; `on_page(index, page)`
    as each is read (in the order they finish). Worker processes run on the render's pool, which
    stops them cleanly on Ctrl-C and leaves the interrupt to this process."""
    from ..render.batch import run_pool

    pages: list[PageResult | None] = [None] * len(refs)

    def done(indexed: tuple[int, PageResult]) -> None:
        index, page = indexed
        pages[index] = page
        on_page(index, page)

    if jobs <= 1:
        _init_worker(context, dpi)
        try:
            for task in enumerate(refs):
                done(_read_indexed(task))
        finally:
            _WORKER[1].close()
    else:
        run_pool(_read_indexed, list(enumerate(refs)), jobs, done, _init_worker, (context, dpi))
    return pages


# --------------------------------------------------------------------------- the pile


def scan_files(
    examdir: Path,
    scans: list[Path],
    *,
    out: Path | None = None,
    jobs: int = 1,
    dpi: int = 150,
    progress: Callable[[PageResult, int], None] | None = None,
) -> ScanReport:
    """Read scanned answer sheets of the exam in `examdir`; write responses.csv, review.csv
    and review.html into `out` (default `examdir/scans`). The library entry point of `examkit scan`.

    `progress(page, total)` is called as each page is read.
    """
    from .review import IMAGES, ImageWriter, write_outputs

    started = time.perf_counter()
    examdir = Path(examdir)
    examset = read_examset(examdir)
    layouts, fingerprint = load_layouts(examdir, examset)
    if not scans:
        raise ExamkitError(Problem("scan", None, "no scans given; name PDF or image files, or folders of them"))
    if not 50 <= dpi <= 600:
        raise ExamkitError(Problem("--dpi", None, f"{dpi} dpi is out of range; use 100 to 300"))
    out = Path(out) if out is not None else examdir / "scans"
    refs, file_problems = list_pages(scans, skip=out / IMAGES)
    context = ReadContext(examset.exam, fingerprint, layouts, NORMAL)
    images = ImageWriter(out)
    review = [ReviewRow(p.path, None, "", "", None, p.message) for p in file_problems]
    workers = max(1, min(jobs, len(refs) or 1))

    def on_page(index: int, page: PageResult) -> None:
        images.keep(page, index + 1)  # its pictures go to disk at once: memory stays flat
        if progress:
            progress(page, len(refs))

    try:
        pages = read_pages(refs, context, dpi, workers, on_page)
        sheets, sheet_review = assemble(pages, {f.letter: len(f.items) for f in examset.forms})
        review.extend(sheet_review)
        positions = max(len(f.items) for f in examset.forms)
        report = ScanReport(out, pages, sheets, review, positions, seconds=0.0, workers=workers)
        report.written = write_outputs(report, examset)
        images.tidy()
    except KeyboardInterrupt:
        raise ExamkitError(Problem(display_path(out), None, "interrupted: no responses written; scan again")) from None
    except BrokenProcessPool:
        raise ExamkitError(Problem(display_path(out), None, "a scan process stopped unexpectedly (killed, or out of "
                                                            "memory?): no responses written; scan again with --jobs 1")) from None
    except OSError as exc:
        where = display_path(exc.filename) if exc.filename else display_path(out)
        raise ExamkitError(Problem(where, None, f"cannot write: {exc.strerror or exc}; "
                                                "check the folder's permissions and free space")) from None
    report.seconds = time.perf_counter() - started
    return report


def assemble(pages: list[PageResult], form_sizes: dict[str, int]) -> tuple[list[SheetRow], list[ReviewRow]]:
    """Pages joined into sheets (a sheet's later pages follow its first), and what to review.

    `form_sizes` is the number of items of each form: the cells of a missing page hold ?."""
    review: list[ReviewRow] = []
    groups: list[list[PageResult]] = []
    for page in pages:
        if page.problem:
            review.append(ReviewRow(page.source, page.number, "", page.form, None, page.problem))
            continue
        current = groups[-1] if groups else None
        follows = (current is not None and page.page > 1 and current[-1].source == page.source
                   and current[0].form == page.form and current[-1].page == page.page - 1
                   and current[0].pages == page.pages)
        if page.page == 1:
            groups.append([page])
        elif follows:
            current.append(page)
        else:
            review.append(ReviewRow(page.source, page.number, "", page.form, None,
                                    f"page {page.page} of {page.pages} of form {page.form} without its page "
                                    f"{page.page - 1} just before it in the pile; type its answers on its student's row"))
    sheets = [_sheet(group, form_sizes[group[0].form], review) for group in groups]
    _check_duplicates(sheets, review)
    return sheets, review


def _sheet(group: list[PageResult], size: int, review: list[ReviewRow]) -> SheetRow:
    first = group[0]
    student = first.student or f"{NEEDS_REVIEW}{first.source}#p{first.number}"
    if first.student is None:
        review.append(ReviewRow(first.source, first.number, student, first.form, None, first.student_reason,
                                first.student_crop_file))
    cells: dict[int, str] = {}
    for page in group:
        for cell in page.cells:
            if cell.value is None:
                cells[cell.position] = NEEDS_REVIEW
                review.append(ReviewRow(page.source, page.number, student, page.form, cell.position, cell.reason,
                                        cell.crop_file, cell.read))
            else:
                cells[cell.position] = cell.value
    if len(group) < first.pages:
        cells.update({n: NEEDS_REVIEW for n in range(1, size + 1) if n not in cells})
        missing = ", ".join(str(n) for n in range(len(group) + 1, first.pages + 1))
        review.append(ReviewRow(first.source, first.number, student, first.form, None,
                                f"page {missing} of {first.pages} of this sheet missing from the pile; scan it, or type "
                                f"those answers (their cells hold {NEEDS_REVIEW})"))
    return SheetRow(student, first.form, cells, group)


def _check_duplicates(sheets: list[SheetRow], review: list[ReviewRow]) -> None:
    seen: dict[str, SheetRow] = {}
    for sheet in sheets:
        if sheet.student.startswith(NEEDS_REVIEW):
            continue
        other = seen.get(sheet.student)
        if other is None:
            seen[sheet.student] = sheet
            continue
        where = f"{other.pages[0].source} page {other.pages[0].number}"
        review.append(ReviewRow(sheet.pages[0].source, sheet.pages[0].number, sheet.student, sheet.form, None,
                                f"student ID {sheet.student} was also read on {where}; check both sheets' IDs "
                                "(a sheet scanned twice, or a misfilled ID)"))

