"""Rendering a generated exam folder: which files to write, and writing them in parallel.

Every document is one job (HTML once, then the PDF from that HTML); jobs run in worker
processes because weasyprint's layout is pure Python and holds the GIL. Each file is written
to a temporary name beside its target and renamed into place.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import re
import signal
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from ..documents import DOCUMENT, DOCUMENTS, lays_out_pdf
from ..errors import ExamkitError, Problem, display_path
from ..fileio import inside, read_examset, remove_stale, write_atomic

FORMATS = ("html", "pdf")


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
    removed: list[str] = field(default_factory=list)  # stale documents of an earlier render

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
    for doc in sorted(only, key=lambda d: (DOCUMENT[d].cost, DOCUMENTS.index(d))):
        doc_formats = tuple(f for f in FORMATS if f in formats and (f == "html" or not DOCUMENT[doc].html_only))
        if not doc_formats:
            notes.append(f"the {doc} page exists only as HTML; add html to --format to get it")
            continue
        letters = form_letters if DOCUMENT[doc].per_form else [None]
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
    from .sheet import PAPER_SIZES

    if paper not in PAPER_SIZES:
        raise ExamkitError(Problem("paper", None, f"unknown paper {paper}; choose from {', '.join(PAPER_SIZES)}"))
    if templates is not None and not Path(templates).is_dir():
        raise ExamkitError(Problem(display_path(templates), None, "no such templates folder; point --templates at a folder of *.html.j2 files"))

    context = RenderContext(folder.resolve(), templates, paper)
    context.examset = read_examset(context.folder)
    context.env = make_environment(templates)
    context.roots = [*template_folders(templates), context.folder]
    return context


def _init_worker(folder: Path, templates: Path | None, paper: str) -> None:
    """A spawned worker starts empty: it reads the exam set and sets up the templates itself."""
    global _WORKER
    _WORKER = prepare(folder, templates, paper)


def _adopt(context: RenderContext) -> None:
    """A forked worker inherits the context the parent prepared (exam set read, templates
    compiled by check_templates) in its copy of the parent's memory; nothing is pickled."""
    global _WORKER
    _WORKER = context


def _init_pool_worker(initializer: Callable | None, initargs: tuple) -> None:
    # Ctrl-C reaches every process of the terminal; the main process alone decides what to do.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()
    if initializer is not None:
        initializer(*initargs)


def _exit_with_parent(parent: int) -> None:
    """A worker whose main process was killed would wait for work forever: leave instead."""
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def _run_in_worker(job: Job) -> JobResult:
    assert _WORKER is not None, "worker not initialised"
    return run_job_safely(job, _WORKER)


def document_html(context: RenderContext, doc: str, letter: str | None, *, html: bool = True):
    """The HTML of one document ("" when `html` is false), the answer sheet's layout (None for
    other documents), and the form."""
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
    text = render_document(context.env, doc, examset, form, paper=context.paper, layout=layout) if html else ""
    return text, layout, form


def run_job(job: Job, context: RenderContext) -> JobResult:
    """Render one document to its files; template errors come back as problems, not raised."""
    import jinja2

    from .html import template_folders
    from .pdf import render_pdf_bytes
    from .sandbox import template_problem
    from .sheet import layout_json

    started = time.perf_counter()
    result = JobResult(job)
    # The sheet's PDF is drawn from its geometry (sheetpdf.py); only its HTML needs the template.
    wants_html = job.doc != "sheet" or "html" in job.formats
    try:
        html, layout, form = document_html(context, job.doc, job.form, html=wants_html)
    except jinja2.TemplateError as exc:
        result.problems.append(template_problem(exc, f"{job.doc}.html.j2"))
        return result
    try:
        for fmt in job.formats:
            target = inside(context.folder, f"{job.stem}.{fmt}")
            if fmt == "html":
                write_atomic(target, html)
            elif layout is not None:
                from .sheetpdf import sheet_pdf

                write_atomic(target, sheet_pdf(layout, context.examset, form))
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


def run_job_safely(job: Job, context: RenderContext) -> JobResult:
    """run_job, with any error that is not examkit's own turned into one line about this job."""
    try:
        return run_job(job, context)
    except Exception as exc:  # noqa: BLE001  (one document failing must not hide the others)
        result = JobResult(job)
        result.problems.append(Problem(job.stem, None, f"could not render ({type(exc).__name__}: {exc}); "
                                                       "render it alone with --only and --jobs 1, and report it "
                                                       "with the template or exam set that caused it"))
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
    started = time.perf_counter()
    formats = parse_list(formats, FORMATS, "format")
    only = parse_list(only, DOCUMENTS, "document")
    importing = import_in_background("weasyprint") if lays_out_pdf(formats, only) else None
    context = prepare(Path(folder), templates, paper)
    check_templates(context.env, only)
    planned, notes = plan_jobs([f.letter for f in context.examset.forms], formats, only)
    workers = max(1, min(jobs or default_jobs(), len(planned) or 1))

    results: dict[Job, JobResult] = {}

    def done(result: JobResult) -> None:
        results[result.job] = result
        if progress:
            progress(result, len(planned))

    try:
        if workers == 1:
            for job in planned:
                done(run_job_safely(job, context))
        else:
            if importing is not None:
                importing.join()  # never fork while a thread holds the import lock
                import weasyprint  # noqa: F401  (imported once here, inherited by forked workers)
            _run_pool(planned, workers, context, done)
    except KeyboardInterrupt:
        raise ExamkitError(_stopped(context.folder, results, "interrupted")) from None
    except BrokenProcessPool:
        raise ExamkitError(_stopped(context.folder, results, "a render process stopped unexpectedly (killed, or "
                                    "out of memory?)", "render again, with --jobs 1 if memory is short")) from None
    ordered = [results[job] for job in planned]
    removed = _record_and_tidy(context, results)
    problems = sorted({p for r in ordered for p in r.problems})
    if problems:
        # What did get written is reported too, so one failed document hides nothing.
        written = any(r.written for r in ordered)
        raise ExamkitError(problems + ([_stopped(context.folder, results, "the other documents")] if written else []))
    return RenderReport(context.folder, ordered, notes, time.perf_counter() - started, workers, removed)


def _record_and_tidy(context: RenderContext, results: dict[Job, JobResult]) -> list[str]:
    """Remove documents of an earlier render that this exam set no longer has (forms dropped by a
    regenerate, say). Only files named as render names its documents are ever touched."""
    every_form = [f.letter for f in context.examset.forms]
    possible = {name for job in plan_jobs(every_form, FORMATS, DOCUMENTS)[0] for name in job.file_names()}
    return remove_stale(context.folder, is_rendered_name, keep=possible)


# The names render gives its files: exam-A.pdf, sheet-AB.layout.json, key.html, ...
_RENDERED = re.compile(r"^(?:(?:%s)-[A-Za-z]{1,3}|%s)\.(?:html|pdf|layout\.json)$" % (
    "|".join(d.name for d in DOCUMENT.values() if d.per_form),
    "|".join(d.name for d in DOCUMENT.values() if not d.per_form)))


def is_rendered_name(name: str) -> bool:
    """Whether `name` is one render gives a document it writes."""
    return _RENDERED.match(name) is not None


def _run_pool(planned: list[Job], workers: int, context: RenderContext, done: Callable[[JobResult], None]) -> None:
    if _mp_context().get_start_method() == "fork":
        initializer, initargs = _adopt, (context,)
    else:
        initializer, initargs = _init_worker, (context.folder, context.templates, context.paper)
    run_pool(_run_in_worker, planned, workers, done, initializer, initargs)


def run_pool(function: Callable, tasks: list, workers: int, done: Callable, initializer: Callable | None = None,
             initargs: tuple = ()) -> None:
    """`done(function(task))` for every task, the calls made on `workers` worker processes, in
    the order they finish; on Ctrl-C (or any error) cancel what is pending and stop the workers.
    `function` and `initializer` must be module-level functions (they are sent to the workers)."""
    # Forked workers inherit the parent's objects: frozen, the workers' collector never scans
    # them (a scan would touch, and so copy, every page of a large parent's memory).
    gc.freeze()
    pool = ProcessPoolExecutor(workers, mp_context=_mp_context(), initializer=_init_pool_worker,
                               initargs=(initializer, initargs))
    try:
        futures = [pool.submit(function, task) for task in tasks]
        for future in as_completed(futures):
            done(future.result())
    except BaseException:
        # A job in the middle of a PDF may take many seconds: stop the workers, do not wait.
        processes = list((getattr(pool, "_processes", None) or {}).values())
        for process in processes:
            process.terminate()
        for process in processes:
            process.join(2)
        # The workers are gone, so the pool's manager thread ends at once: wait for it here, or
        # the interpreter's exit waits for it and may print its error about the closed pipes.
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    finally:
        gc.unfreeze()
    pool.shutdown()


def _stopped(folder: Path, results: dict[Job, JobResult], why: str, fix: str = "render again to finish") -> Problem:
    """One line: why rendering stopped, and what it had written by then."""
    written = sorted(p.name for r in results.values() for p in r.written)
    listed = ", ".join(written[:4]) + (f", … {written[-1]}" if len(written) > 4 else "")
    what = f"wrote {len(written)} file{'' if len(written) == 1 else 's'} ({listed})" if written else "wrote nothing"
    return Problem(display_path(folder), None, f"{why}: {what}; {fix}")


def _mp_context():
    # fork shares the already-imported weasyprint with every worker; elsewhere spawn is safe.
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")
