"""Grading answer sheets against an exam set: read, understand, score, report.

    from examkit.fileio import read_examset
    from examkit.grade import GradeOptions, grade_files, write_results

    examset = read_examset(Path("output/practice"))
    run = grade_files(examset, [Path("responses.csv")], GradeOptions(partial=["multiple"]))
    write_results(run, Path("output/practice/results"))

Modules: `read` (file formats), `columns` and `forms_export` (what each column holds),
`notation` and `match` (what a cell says), `key` (what an item accepts), `score` (points and
the audit record), `grader` (rows to results), `results` (CSV files), `report` (HTML/PDF).
"""

from __future__ import annotations

from pathlib import Path

from .grader import GradeOptions, Grader, GradeRun, StudentResult, grade_files

__all__ = ["GradeOptions", "GradeRun", "Grader", "StudentResult", "grade_files", "write_results", "RESULTS_DIR"]

RESULTS_DIR = "results"
# Past these class sizes the PDF and the handouts are left out unless asked for: they would take
# minutes and hundreds of megabytes, and the CSV files hold every record.
PDF_LIMIT = 300
FEEDBACK_LIMIT = 2000


def write_results(run: GradeRun, out_dir: Path, *, analysis: bool = True, report: bool = True,
                  pdf: bool | None = None, templates_dir: Path | None = None, handouts: bool | None = None,
                  jobs: int | None = None, progress=None) -> list[Path]:
    """Write the results folder (scores, responses, item analysis, report, handouts); all files appear together.

    Each file is staged beside its target and renamed only once every one is complete; on any
    failure the staged files are removed and earlier results stay as they were. `pdf=None`
    writes report.pdf for classes of up to PDF_LIMIT graded rows, and `pdf=True` also each
    handout's PDF. `handouts=None` writes students/NAME.html for classes of up to FEEDBACK_LIMIT
    graded rows; their PDFs are rendered on `jobs` processes, `progress(done, total)` called
    after each. What is left out is said in `run.notes`.
    """
    from ..bulk import collector_paused
    from .handouts import STUDENTS_DIR, is_handout_name
    from .results import Staging

    staging = Staging(Path(out_dir))
    students = Staging(Path(out_dir) / STUDENTS_DIR, is_handout_name)
    try:
        with collector_paused():
            _write(run, staging, students, analysis=analysis, report=report, pdf=pdf, templates_dir=templates_dir,
                   handouts=handouts, jobs=jobs, progress=progress)
        written = staging.commit()
        written += students.commit()
        if students.folder.is_dir() and not any(students.folder.iterdir()):
            students.folder.rmdir()  # no handouts this time, and nothing else was kept in it
        if staging.removed:
            run.notes.append(f"removed {', '.join(staging.removed)}: left by an earlier run and not written this time")
        if students.removed:
            count = len(students.removed)
            run.notes.append(f"removed {count} handout file{'s' if count > 1 else ''} from {STUDENTS_DIR}/: "
                             "left by an earlier run and not written this time")
        return written
    except BaseException:
        staging.discard()
        students.discard()
        raise


def _write(run: GradeRun, staging, students, *, analysis: bool, report: bool, pdf: bool | None,
           templates_dir: Path | None, handouts: bool | None, jobs: int | None, progress) -> None:
    from .analysis import analyse_run
    from .results import (
        ObjectiveColumns,
        write_item_analysis,
        write_responses,
        write_scores,
    )

    objectives = ObjectiveColumns.of(run)
    write_scores(run, staging, objectives)
    write_responses(run, staging)
    if not (analysis or report):
        return
    analyses = analyse_run(run)
    write_item_analysis(analyses, staging)
    if not report:
        return
    from .handouts import STUDENTS_DIR, handout_names, stage_handouts
    from .report import render_report, write_report_pdf

    graded = sum(1 for r in run.results if r.graded)
    if handouts is None:
        handouts = graded <= FEEDBACK_LIMIT
        if not handouts:
            run.notes.append(f"no handouts in {STUDENTS_DIR}/: {graded:,} students are more than "
                             f"{FEEDBACK_LIMIT:,}; pass --handouts to write them anyway")
    names = handout_names(run) if handouts else {}
    links = {index: f"{STUDENTS_DIR}/{name}.html" for index, name in names.items()}
    html = render_report(run, analyses, objectives, templates_dir=templates_dir, handouts=links)
    with staging.open("report.html") as handle:
        handle.write(html)
    if pdf is None:
        report_pdf = graded <= PDF_LIMIT
        if not report_pdf:
            run.notes.append(f"report.pdf not written for {graded:,} students (more than {PDF_LIMIT}); "
                             "pass --pdf to write it anyway")
    else:
        report_pdf = pdf
    if report_pdf:
        write_report_pdf(html, staging.reserve("report.pdf"), templates_dir)
    if names:
        stage_handouts(run, objectives, students, names=names, pdf=pdf is True, jobs=jobs,
                       templates_dir=templates_dir, progress=progress)
