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
# Past these class sizes the PDF (by default) and the per-student pages of report.html are left
# out: they would take minutes and hundreds of megabytes, and the CSV files hold every record.
PDF_LIMIT = 300
FEEDBACK_LIMIT = 2000


def write_results(run: GradeRun, out_dir: Path, *, analysis: bool = True, report: bool = True,
                  pdf: bool | None = None, templates_dir: Path | None = None) -> list[Path]:
    """Write the results folder (scores, responses, item analysis, report); all files appear together.

    Each file is staged beside its target and renamed only once every one is complete; on any
    failure the staged files are removed and earlier results stay as they were. `pdf=None`
    writes report.pdf for classes of up to PDF_LIMIT graded rows; what is left out is said in
    `run.notes`.
    """
    from ..bulk import collector_paused
    from .results import Staging

    staging = Staging(Path(out_dir))
    try:
        with collector_paused():
            _write(run, staging, analysis=analysis, report=report, pdf=pdf, templates_dir=templates_dir)
        written = staging.commit()
        if staging.removed:
            run.notes.append(f"removed {', '.join(staging.removed)}: left by an earlier run and not written this time")
        return written
    except BaseException:
        staging.discard()
        raise


def _write(run: GradeRun, staging, *, analysis: bool, report: bool, pdf: bool, templates_dir: Path | None) -> None:
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
    if report:
        from .report import render_report, write_report_pdf

        graded = sum(1 for r in run.results if r.graded)
        feedback = graded <= FEEDBACK_LIMIT
        if not feedback:
            run.notes.append(f"report.html has the class summary only: {graded:,} students are more than "
                             f"{FEEDBACK_LIMIT:,} feedback pages; responses.csv holds every answer")
        html = render_report(run, analyses, objectives, templates_dir=templates_dir, feedback=feedback)
        with staging.open("report.html") as handle:
            handle.write(html)
        if pdf is None:
            pdf = graded <= PDF_LIMIT
            if not pdf:
                run.notes.append(f"report.pdf not written for {graded:,} students (more than {PDF_LIMIT}); "
                                 "pass --pdf to write it anyway")
        if pdf:
            write_report_pdf(html, staging.reserve("report.pdf"), templates_dir)
