"""Handouts: one feedback file per student under results/students/ (HTML, and PDF on request).

Each handout is rendered from that student's row alone (`report.handout_context`), so it can
never show another student's answers. File names come from student names through
`fileio.safe_name` and `fileio.inside`; two students whose names give the same file name get
`-2`, `-3`... in input order, so neither overwrites the other. The HTML is rendered here (jinja
is fast); the PDFs, a few tenths of a second each in weasyprint's pure-Python layout, are laid
out on worker processes (`render.batch.run_pool`, which also stops them cleanly on Ctrl-C).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..errors import ExamkitError, Problem, display_path
from ..fileio import inside, safe_name
from .grader import GradeRun, StudentResult
from .results import ObjectiveColumns, Staging

STUDENTS_DIR = "students"
HANDOUT_SUFFIXES = (".html", ".pdf")


def handout_names(rows: list[StudentResult]) -> dict[int, str]:
    """index of a graded row in `rows` -> its handout's file stem, unique whatever the case."""
    names: dict[int, str] = {}
    used: set[str] = set()
    for index, result in enumerate(rows):
        if not result.graded:
            continue
        base = safe_name(result.student or "unnamed")
        name, number = base, 2
        while name.casefold() in used:
            name, number = f"{base}-{number}", number + 1
        used.add(name.casefold())
        names[index] = name
    return names


def is_handout_name(name: str) -> bool:
    return name.endswith(HANDOUT_SUFFIXES) and not name.startswith(".")


def stage_handouts(run: GradeRun, objectives: ObjectiveColumns, staging: Staging, *, rows: list[StudentResult],
                   names: dict[int, str],
                   pdf: bool = False, jobs: int | None = None, templates_dir: Path | None = None,
                   progress: Callable[[int, int], None] | None = None) -> None:
    """Write the handout of every row `names` names (an index into `rows`) into `staging`, a
    Staging of the students folder.

    `progress(done, total)` is called after each PDF (or, without PDFs, each HTML file).
    """
    from .report import (
        HANDOUT_TEMPLATE,
        handout_context,
        render_template,
        report_environment,
    )

    env = report_environment(templates_dir)
    total = len(names)
    pages: list[tuple[str, str]] = []
    for count, (index, name) in enumerate(names.items(), start=1):
        target = inside(staging.folder, f"{name}.html")
        html = render_template(env, HANDOUT_TEMPLATE, handout_context(run, objectives, rows[index]))
        with staging.open(target.name) as handle:
            handle.write(html)
        pages.append((name, html))
        if progress and not pdf:
            progress(count, total)
    if pdf:
        _stage_pdfs(pages, staging, jobs, templates_dir, progress)


def _stage_pdfs(pages: list[tuple[str, str]], staging: Staging, jobs: int | None, templates_dir: Path | None,
                progress: Callable[[int, int], None] | None) -> None:
    from ..render.batch import default_jobs, run_pool
    from ..render.html import template_folders

    roots = template_folders(templates_dir)
    tasks = [(html, str(staging.reserve(inside(staging.folder, f"{name}.pdf").name)), roots) for name, html in pages]
    workers = max(1, min(jobs or default_jobs(), len(tasks) or 1))
    finished = 0

    def done(refused: list[str]) -> None:
        nonlocal finished
        finished += 1
        if progress:
            progress(finished, len(tasks))

    try:
        if workers == 1:
            for task in tasks:
                done(_handout_pdf(task))
        else:
            import weasyprint  # noqa: F401  (imported once here, inherited by the forked workers)

            run_pool(_handout_pdf, tasks, workers, done)
    except ExamkitError:
        raise
    except KeyboardInterrupt:
        raise ExamkitError(Problem(display_path(staging.folder), None, f"interrupted after {finished} of "
                                   f"{len(tasks)} handout PDFs: no results written; grade again")) from None
    except Exception as exc:  # a worker killed (BrokenProcessPool) or weasyprint failing on one page
        raise ExamkitError(Problem(display_path(staging.folder), None, f"a handout PDF could not be made "
                                   f"({type(exc).__name__}: {exc}); no results written; grade again, "
                                   "with --jobs 1 if memory is short")) from None


def _handout_pdf(task: tuple[str, str, list[Path]]) -> list[str]:
    """One handout's PDF into its reserved temporary file (on a worker process); the refused fetches."""
    from ..render.pdf import render_pdf_bytes

    html, target, roots = task
    pdf, refused = render_pdf_bytes(html, roots, roots[0])
    Path(target).write_bytes(pdf)
    return refused
