"""Grading answer sheets against an exam set: read, understand, score, report.

    from examkit.fileio import read_examset
    from examkit.grade import GradeOptions, grade_files, write_results

    examset = read_examset(Path("output/practice"))
    run = grade_files(examset, [Path("responses.csv")], GradeOptions(partial=["multiple"]))
    write_results(run, Path("output/practice/results"))

Modules: `read` (file formats), `columns` and `forms_export` (what each column holds),
`notation` and `match` (what a cell says), `key` (what an item accepts), `score` (points and
the audit record), `grader` (rows to results), `tally` (what a pass over the rows keeps),
`results` (CSV files), `report` (HTML/PDF).

`grade_and_write` (what `examkit grade` does) grades a class straight into its results folder
in one pass: each row is written and tallied as it is graded, then let go.
"""

from __future__ import annotations

from pathlib import Path

from .grader import (
    GradeOptions,
    Grader,
    GradeRun,
    StudentResult,
    grade_files,
    graded_rows,
    open_run,
)

__all__ = ["GradeOptions", "GradeRun", "Grader", "StudentResult", "grade_files", "grade_and_write", "write_results",
           "RESULTS_DIR"]

RESULTS_DIR = "results"
# Past these class sizes the PDF and the handouts are left out unless asked for: they would take
# minutes and hundreds of megabytes, and the CSV files hold every record.
PDF_LIMIT = 300
FEEDBACK_LIMIT = 2000
# Past this many rows report.html leaves out its class list (scores.csv has every row), so a
# class of any size is graded without keeping its rows; --handouts or --pdf keep them all.
CLASS_LIST_LIMIT = 10_000


def write_results(run: GradeRun, out_dir: Path, *, analysis: bool = True, report: bool = True,
                  pdf: bool | None = None, templates_dir: Path | None = None, handouts: bool | None = None,
                  jobs: int | None = None, progress=None) -> list[Path]:
    """Write the results folder (scores, responses, item analysis, report, handouts) of a run
    graded in memory (`grade_files`); all files appear together.

    Each file is staged beside its target and renamed only once every one is complete; on any
    failure the staged files are removed and earlier results stay as they were. `pdf=None`
    writes report.pdf for classes of up to PDF_LIMIT graded rows, and `pdf=True` also each
    handout's PDF. `handouts=None` writes students/NAME.html for classes of up to FEEDBACK_LIMIT
    graded rows; their PDFs are rendered on `jobs` processes, `progress(done, total)` called
    after each. What is left out is said in `run.notes`.
    """
    # The rows are all in memory already: the report lists every one, however many.
    written, _ = _write_folder(run, run.results, {}, out_dir, keep=None, analysis=analysis, report=report, pdf=pdf,
                               templates_dir=templates_dir, handouts=handouts, jobs=jobs, progress=progress)
    return written


def grade_and_write(examset, paths, out_dir: Path, options: GradeOptions | None = None, *, on_read=None, **choices):
    """Grade answer-sheet files straight into a results folder, in one pass over the rows.

    Each row is written to scores.csv and responses.csv and tallied as it is graded, then let
    go. What stays is a small record per student for the duplicate check, the distinct answers
    read (up to `score.CACHE_LIMIT` per item) and, for the report's class list, up to
    CLASS_LIST_LIMIT rows.
    `choices` are those of `write_results`; `on_read(run)` is called once every row is graded,
    before the item analysis, report and handouts (the command prints each sheet's mapping
    there). Returns (run, tally, written files): the run holds the sheets and notes,
    `run.results` stays empty; the tally (`tally.ClassTally`) has the counts and flagged rows.
    """
    run, grader = open_run(examset, paths, options)
    keep = None if choices.get("handouts") is True or choices.get("pdf") is True else CLASS_LIST_LIMIT
    written, tally = _write_folder(run, graded_rows(run, grader), grader.repeated, Path(out_dir), keep=keep,
                                   on_read=on_read, **choices)
    return run, tally, written


def _write_folder(run: GradeRun, rows, repeated, out_dir: Path, *, keep: int | None, analysis: bool = True,
                  report: bool = True,
                  pdf: bool | None = None, templates_dir: Path | None = None, handouts: bool | None = None,
                  jobs: int | None = None, progress=None, on_read=None):
    """Stage every file of the results folder from one pass over `rows`, then commit them together.

    `repeated` (`Grader.repeated`) is read after the pass: the first rows of repeated students.
    `keep`: how many rows the report may keep for its class list and handouts (None: all).
    """
    from ..bulk import collector_paused
    from .handouts import STUDENTS_DIR, is_handout_name
    from .results import Staging

    staging = Staging(Path(out_dir))
    students = Staging(Path(out_dir) / STUDENTS_DIR, is_handout_name)
    # Rows are graded while the files are written: a run that fails on the way (an override
    # that applies to no row) leaves no results folder it made itself.
    made = [folder for folder in (staging.folder, students.folder) if not folder.exists()]
    try:
        with collector_paused():
            tally = _write(run, rows, repeated, staging, students, keep=keep, analysis=analysis, report=report, pdf=pdf,
                           templates_dir=templates_dir, handouts=handouts, jobs=jobs, progress=progress,
                           on_read=on_read)
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
        return written, tally
    except BaseException:
        staging.discard()
        students.discard()
        for folder in reversed(made):
            if folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
        raise


def _write(run: GradeRun, rows, repeated, staging, students, *, keep: int | None, analysis: bool, report: bool,
           pdf: bool | None, templates_dir: Path | None, handouts: bool | None, jobs: int | None, progress, on_read):
    from .analysis import analyse_run
    from .results import (
        ObjectiveColumns,
        ResponsesFile,
        ScoresFile,
        write_item_analysis,
    )
    from .tally import ClassTally

    objectives = ObjectiveColumns.of(run)
    tally = ClassTally(run, objectives, keep=keep if report else 0, analysis=analysis or report, summary=report)
    scores, responses = ScoresFile(run, objectives, staging), ResponsesFile(staging)
    try:
        add_score, add_responses, add_tally, objective_scores = scores.add, responses.add, tally.add, objectives.scores
        for result in rows:
            shares = objective_scores(result)
            add_score(result, shares)
            add_responses(result)
            add_tally(result, shares)
    finally:
        responses.close()
        scores.close()
    scores.flag(repeated)
    tally.flag_repeated(repeated)
    if on_read is not None:
        on_read(run)
    if not (analysis or report):
        return tally
    analyses = analyse_run(run, tally.analysis)
    write_item_analysis(analyses, staging)
    if not report:
        return tally
    _write_report(run, tally, objectives, analyses, staging, students, pdf=pdf, templates_dir=templates_dir,
                  handouts=handouts, jobs=jobs, progress=progress)
    return tally


def _write_report(run: GradeRun, tally, objectives, analyses, staging, students, *, pdf: bool | None,
                  templates_dir: Path | None, handouts: bool | None, jobs: int | None, progress) -> None:
    from .handouts import STUDENTS_DIR, handout_names, stage_handouts
    from .report import render_report, write_report_pdf

    rows = tally.kept
    if rows is None:
        run.notes.append(f"report.html has no class list: {tally.rows:,} rows are more than {CLASS_LIST_LIMIT:,}; "
                         "scores.csv lists every row (pass --handouts or --pdf to keep them in the report)")
        rows = []
    if handouts is None:
        handouts = tally.graded <= FEEDBACK_LIMIT and tally.kept is not None
        if not handouts:
            why = (f"{tally.graded:,} students are more than {FEEDBACK_LIMIT:,}" if tally.graded > FEEDBACK_LIMIT
                   else f"{tally.rows:,} rows are more than {CLASS_LIST_LIMIT:,}")
            run.notes.append(f"no handouts in {STUDENTS_DIR}/: {why}; pass --handouts to write them anyway")
    names = handout_names(rows) if handouts else {}
    links = {index: f"{STUDENTS_DIR}/{name}.html" for index, name in names.items()}
    html = render_report(run, analyses, objectives, templates_dir=templates_dir, handouts=links, tally=tally)
    with staging.open("report.html") as handle:
        handle.write(html)
    if pdf is None:
        report_pdf = tally.graded <= PDF_LIMIT
        if not report_pdf:
            run.notes.append(f"report.pdf not written for {tally.graded:,} students (more than {PDF_LIMIT}); "
                             "pass --pdf to write it anyway")
    else:
        report_pdf = pdf
    if report_pdf:
        write_report_pdf(html, staging.reserve("report.pdf"), templates_dir)
    if names:
        stage_handouts(run, objectives, students, rows=rows, names=names, pdf=pdf is True, jobs=jobs,
                       templates_dir=templates_dir, progress=progress)
