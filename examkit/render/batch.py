"""Rendering a generated exam folder: which files to write, and writing them in parallel.

Every document is one job (HTML once, then the PDF from that HTML); jobs run in worker
processes because weasyprint's layout is pure Python and holds the GIL. Each file is written
to a temporary name beside its target and renamed into place.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ExamkitError, Problem, display_path
from ..fileio import inside, read_examset, write_atomic
from .html import DOCUMENTS, PER_FORM

FORMATS = ("html", "pdf")
HTML_ONLY = {"practice"}
# Costliest first, so the last job to finish is a short one and workers stay busy.
_COST = {"teacher": 0, "exam": 1, "sheet": 2, "key": 3, "practice": 4}


@dataclass(frozen=True)
class Job:
    """One document: `doc` for form `form` (None for the key, which covers every form)."""

    doc: str
    form: str | None
    formats: tuple[str, ...]

    @property
    def stem(self) -> str:
        return f"{self.doc}-{self.form}" if self.form else self.doc

    def file_names(self) -> list[str]:
        names = [f"{self.stem}.{fmt}" for fmt in self.formats]
        if self.doc == "sheet":
            names.append(f"{self.stem}.layout.json")
        return names


@dataclass
class JobResult:
    job: Job
    written: list[Path] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    seconds: float = 0.0


@dataclass
class RenderReport:
    folder: Path
    results: list[JobResult]
    notes: list[str]
    seconds: float
    workers: int

    @property
    def written(self) -> list[Path]:
        return [p for r in self.results for p in r.written]

    @property
    def refused(self) -> list[str]:
        return [f"{r.job.stem}: {message}" for r in self.results for message in r.refused]


def plan_jobs(form_letters: list[str], formats: tuple[str, ...], only: tuple[str, ...]) -> tuple[list[Job], list[str]]:
    """The jobs for these documents and formats, and notes on what was left out and why."""
    jobs: list[Job] = []
    notes: list[str] = []
    for doc in sorted(only, key=lambda d: (_COST[d], DOCUMENTS.index(d))):
        doc_formats = tuple(f for f in FORMATS if f in formats and (f == "html" or doc not in HTML_ONLY))
        if not doc_formats:
            notes.append(f"the {doc} page exists only as HTML; add html to --format to get it")
            continue
        letters = form_letters if doc in PER_FORM else [None]
        jobs.extend(Job(doc, letter, doc_formats) for letter in letters)
    return jobs, notes


# --------------------------------------------------------------------------- one job


@dataclass
class RenderContext:
    """What every job of a batch shares: the exam set, the jinja environment, the allowed roots."""

    folder: Path
    templates: Path | None
    paper: str
    examset: object = None
    env: object = None
    roots: list[Path] = field(default_factory=list)
    fingerprint: str = ""  # of the exam set, for the answer sheets; it hashes the whole set
    forms: dict = field(default_factory=dict)  # letter -> form, filled on first use


_WORKER: RenderContext | None = None


def prepare(folder: Path, templates: Path | None, paper: str) -> RenderContext:
    """Read the exam set and set up the templates once per process."""
    from .html import make_environment, template_folders

    context = RenderContext(folder.resolve(), templates, paper)
    context.examset = read_examset(context.folder)
    context.env = make_environment(templates)
    context.roots = [*template_folders(templates), context.folder]
    return context


def _init_worker(folder: Path, templates: Path | None, paper: str) -> None:
    global _WORKER
    _WORKER = prepare(folder, templates, paper)


def _run_in_worker(job: Job) -> JobResult:
    assert _WORKER is not None, "worker not initialised"
    return run_job(job, _WORKER)


def document_html(context: RenderContext, doc: str, letter: str | None):
    """The HTML of one document, and the answer sheet's layout (None for other documents)."""
    from . import sheet
    from .html import render_document

    examset = context.examset
    if doc == "sheet" and not context.fingerprint:  # only answer sheets print it; it hashes the whole set
        context.fingerprint = sheet.examset_fingerprint(examset)
    # By the exact letter the plan took from the exam set (`ExamSet.form` upper-cases it), in a
    # table: a search per job made a batch grow with the square of the number of forms.
    if not context.forms:
        context.forms.update((f.letter, f) for f in examset.forms)
    form = context.forms[letter] if letter else None
    layout = sheet.layout_sheet(examset, form, context.paper, context.fingerprint) if doc == "sheet" else None
    return render_document(context.env, doc, examset, form, paper=context.paper, layout=layout), layout


def run_job(job: Job, context: RenderContext) -> JobResult:
    """Render one document to its files; template errors come back as problems, not raised."""
    import jinja2

    from .html import template_folders
    from .pdf import render_pdf_bytes
    from .sandbox import template_problem
    from .sheet import layout_json

    started = time.perf_counter()
    result = JobResult(job)
    try:
        html, layout = document_html(context, job.doc, job.form)
    except jinja2.TemplateError as exc:
        result.problems.append(template_problem(exc, f"{job.doc}.html.j2"))
        return result
    try:
        for fmt in job.formats:
            target = inside(context.folder, f"{job.stem}.{fmt}")
            if fmt == "html":
                write_atomic(target, html)
            else:
                pdf, refused = render_pdf_bytes(html, context.roots, template_folders(context.templates)[0])
                result.refused.extend(refused)
                write_atomic(target, pdf)
            result.written.append(target)
        if layout is not None:
            target = inside(context.folder, f"{job.stem}.layout.json")
            write_atomic(target, layout_json(layout))
            result.written.append(target)
    except ExamkitError as exc:
        result.problems.extend(p if isinstance(p, Problem) else Problem(job.stem, None, str(p)) for p in exc.problems)
    except OSError as exc:
        where = display_path(exc.filename) if exc.filename else display_path(context.folder)
        result.problems.append(Problem(where, None, f"cannot write: {exc.strerror or exc}; check the folder's permissions and free space"))
    result.seconds = time.perf_counter() - started
    return result


# --------------------------------------------------------------------------- the batch


def parse_list(text: str | tuple[str, ...] | list[str], allowed: tuple[str, ...], what: str) -> tuple[str, ...]:
    """'html,pdf' -> ('html', 'pdf'), refusing names not in `allowed` with a one-line message."""
    items = text.split(",") if isinstance(text, str) else list(text)
    chosen = [i.strip().lower() for i in items if i.strip()]
    unknown = [i for i in chosen if i not in allowed]
    if unknown or not chosen:
        bad = ", ".join(unknown) or "nothing"
        raise ExamkitError(Problem(what, None, f"unknown {what} {bad}; choose from {', '.join(allowed)}"))
    return tuple(dict.fromkeys(chosen))


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def check_templates(env, docs: tuple[str, ...]) -> None:
    """Compile every template the batch needs, so a broken one fails once, before any work."""
    import jinja2

    from .html import TEMPLATE_OF
    from .sandbox import template_problem

    problems = []
    for doc in docs:
        try:
            env.get_template(TEMPLATE_OF[doc])
        except jinja2.TemplateError as exc:
            problems.append(template_problem(exc, TEMPLATE_OF[doc]))
    if problems:
        raise ExamkitError(problems)


def render_folder(
    folder: Path,
    *,
    formats: tuple[str, ...] = FORMATS,
    only: tuple[str, ...] = DOCUMENTS,
    jobs: int | None = None,
    templates: Path | None = None,
    paper: str = "a4",
    progress: Callable[[JobResult, int], None] | None = None,
) -> RenderReport:
    """Render the documents of the exam set in `folder` into `folder`; the library entry point.

    `progress(result, total)` is called as each job finishes, `total` being the number of jobs.
    """
    from ..warmup import import_in_background
    from .sheet import PAPER_SIZES

    started = time.perf_counter()
    formats = parse_list(formats, FORMATS, "format")
    only = parse_list(only, DOCUMENTS, "document")
    importing = import_in_background("weasyprint") if "pdf" in formats else None
    if paper not in PAPER_SIZES:
        raise ExamkitError(Problem("paper", None, f"unknown paper {paper}; choose from {', '.join(PAPER_SIZES)}"))
    if templates is not None and not Path(templates).is_dir():
        raise ExamkitError(Problem(display_path(templates), None, "no such templates folder; point --templates at a folder of *.html.j2 files"))
    context = prepare(Path(folder), templates, paper)
    check_templates(context.env, only)
    planned, notes = plan_jobs([f.letter for f in context.examset.forms], formats, only)
    workers = max(1, min(jobs or default_jobs(), len(planned) or 1))

    results: dict[Job, JobResult] = {}
    if workers == 1:
        for job in planned:
            results[job] = run_job(job, context)
            if progress:
                progress(results[job], len(planned))
    else:
        if importing is not None:
            importing.join()  # never fork while a thread holds the import lock
            import weasyprint  # noqa: F401  (imported once here, inherited by forked workers)
        with ProcessPoolExecutor(workers, mp_context=_mp_context(), initializer=_init_worker,
                                 initargs=(Path(folder), templates, paper)) as pool:
            futures = {pool.submit(_run_in_worker, job): job for job in planned}
            for future in as_completed(futures):
                results[futures[future]] = future.result()
                if progress:
                    progress(results[futures[future]], len(planned))
    ordered = [results[job] for job in planned]
    problems = [p for r in ordered for p in r.problems]
    if problems:
        raise ExamkitError(sorted(set(problems)))
    return RenderReport(context.folder, ordered, notes, time.perf_counter() - started, workers)


def _mp_context():
    # fork shares the already-imported weasyprint with every worker; elsewhere spawn is safe.
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")
