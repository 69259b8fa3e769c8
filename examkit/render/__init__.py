"""Rendering exam sets: exam, answer sheet, key, teacher edition and practice page, as HTML and PDF.

The public API:

- `render_folder(folder, formats=, only=, jobs=, templates=, paper=)`: render a generated folder.
- `make_environment(templates_dir)` and `render_document(env, doc, examset, form)`: HTML strings.
- `write_pdf(html, target, allowed_roots, base_url)`: weasyprint behind a locked-down fetcher.
- `render_markdown(text)`: the safe Markdown subset, also the jinja filter `md`.
- `layout_sheet(examset, form, paper)` / `layout_data(layout)`: answer-sheet geometry.

Submodules import weasyprint only when a PDF is made.
"""

from .batch import FORMATS, Job, RenderReport, plan_jobs, render_folder
from .html import DOCUMENTS, make_environment, render_document
from .markdown import render_markdown
from .pdf import write_pdf
from .sheet import layout_data, layout_sheet, parse_qr_payload

__all__ = [
    "DOCUMENTS",
    "FORMATS",
    "Job",
    "RenderReport",
    "layout_data",
    "layout_sheet",
    "make_environment",
    "parse_qr_payload",
    "plan_jobs",
    "render_document",
    "render_folder",
    "render_markdown",
    "write_pdf",
]
