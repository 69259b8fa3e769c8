"""A class set for the copier: one PDF holding, per student copy, the exam and its answer sheet.

Copies take the forms in turn (A, B, C, A, B, ...). Every document starts on the front of a new
sheet of paper when the file is printed on both sides: a document with an odd number of pages
is followed by a blank page, so a student's answer sheet can be handed in on its own and the
next copy never begins on the back of the last one.

Each form's exam and sheet are laid out once, however many copies print them, and all pages
go into one weasyprint document written in one pass, so fonts are embedded once for the whole
file instead of once per file. Memory grows with the number of forms (about 10 MB each), not
with the number of copies.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ExamkitError, Problem
from ..fileio import inside, write_atomic

CLASS_SET_FILE = "class-set.pdf"
DOCUMENTS_PER_COPY = ("exam", "sheet")


@dataclass
class ClassSetReport:
    path: Path
    copy_forms: list[str]  # the form letter of each copy, in print order
    pages: int  # pages in the file, blank ones included; always even
    written: list[Path] = field(default_factory=list)  # the PDF and the sheets' layout files
    refused: list[str] = field(default_factory=list)
    seconds: float = 0.0


def forms_of_copies(letters: list[str], copies: int) -> list[str]:
    """The form each copy prints: the forms in turn, as many times as it takes."""
    return [letters[i % len(letters)] for i in range(copies)]


def duplex_order(documents: list[int]) -> list[tuple[int, int] | None]:
    """Pages in print order for documents of the given page counts: (document, page) pairs,
    None for a blank page added so that the next document starts on the front of a sheet."""
    order: list[tuple[int, int] | None] = []
    for index, count in enumerate(documents):
        order.extend((index, page) for page in range(count))
        if count % 2:
            order.append(None)
    return order


def render_class_set(
    folder: Path,
    *,
    copies: int | None = None,
    templates: Path | None = None,
    paper: str = "a4",
) -> ClassSetReport:
    """Write `folder/class-set.pdf` (and each printed form's `sheet-X.layout.json`).

    `copies` defaults to one per form of the exam set.
    """
    import jinja2

    from .batch import check_templates, document_html, prepare
    from .html import template_folders
    from ..warmup import import_in_background
    from .pdf import render_pages
    from .sandbox import template_problem
    from .sheet import layout_json

    started = time.perf_counter()
    import_in_background("weasyprint")
    if copies is not None and copies < 1:
        raise ExamkitError(Problem("copies", None, f"{copies} copies; ask for at least 1"))
    context = prepare(Path(folder), templates, paper)
    check_templates(context.env, DOCUMENTS_PER_COPY)
    letters = forms_of_copies([f.letter for f in context.examset.forms], copies or len(context.examset.forms))
    report = ClassSetReport(inside(context.folder, CLASS_SET_FILE), letters, 0)

    # Each form laid out once; its pages are reused by every copy of that form.
    laid_out: dict[str, list] = {}
    base = template_folders(templates)[0]
    for letter in dict.fromkeys(letters):
        laid_out[letter] = []
        for doc in DOCUMENTS_PER_COPY:
            try:
                html, layout, _ = document_html(context, doc, letter)
            except jinja2.TemplateError as exc:
                raise ExamkitError(template_problem(exc, f"{doc}.html.j2")) from None
            document, refused = render_pages(html, context.roots, base)
            report.refused.extend(f"{doc}-{letter}: {message}" for message in refused)
            laid_out[letter].append(document)
            if layout is not None:
                report.written.append(write_atomic(inside(context.folder, f"sheet-{letter}.layout.json"), layout_json(layout)))

    documents = [document for letter in letters for document in laid_out[letter]]
    blanks: dict[tuple[float, float], object] = {}
    pages = []
    for entry in duplex_order([len(d.pages) for d in documents]):
        if entry is None:
            # A blank the size of the page before it (weasyprint's pages are in CSS pixels).
            size = (pages[-1].width, pages[-1].height)
            if size not in blanks:
                blanks[size] = _blank_page(*size)
            pages.append(blanks[size])
        else:
            pages.append(documents[entry[0]].pages[entry[1]])
    combined = documents[0].copy(pages)
    combined.metadata.title = f"{context.examset.title}: class set of {len(letters)} copies"
    write_atomic(report.path, combined.write_pdf())
    report.written.insert(0, report.path)
    report.pages = len(pages)
    report.seconds = time.perf_counter() - started
    return report


def _blank_page(width_px: float, height_px: float):
    from .pdf import render_pages

    page = f"<!DOCTYPE html><title>blank</title><style>@page {{ size: {width_px}px {height_px}px; margin: 0 }}</style>"
    return render_pages(page, [])[0].pages[0]
