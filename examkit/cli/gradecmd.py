"""The `examkit grade` command: a thin wrapper over `examkit.grade`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

_SHOWN_FLAGS = 20


def _partial(value: str | None) -> list[str] | None:
    if value is None:
        return None
    parts = [p.strip().lower() for p in value.split(",") if p.strip()]
    if parts in (["none"], []):
        return []
    if parts == ["all"]:
        return ["multiple", "matching", "ordering"]
    return parts


@click.command("grade", short_help="Grade answer sheets; write results/.")
@click.argument("examdir", type=click.Path(exists=True, path_type=Path))
@click.argument("responses", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Results folder.  [default: EXAMDIR/results]")
@click.option("--threshold", type=float, default=85.0, show_default=True,
              help="Similarity (1-100) a typed text needs to count as an option or accepted answer.")
@click.option("--partial", metavar="TYPES",
              help="Partial credit for these types: multiple,matching,ordering (or all, or none).  "
                   "[default: the blueprint's scoring]")
@click.option("--negative", type=float, metavar="SHARE",
              help="Share of an item's points lost for a wrong answer, e.g. 0.25.  [default: the blueprint's]")
@click.option("--void", "void", multiple=True, metavar="ITEM",
              help="Leave an item out of every score (item id, or FORM:POSITION). Repeatable.")
@click.option("--accept", "accept", multiple=True, metavar="ITEM=ANSWER",
              help="Also accept ANSWER for ITEM (an option text, letters, or a short answer). Repeatable.")
@click.option("--form", "form", metavar="LETTER", help="Grade every row as this form (for one form's export).")
@click.option("--format", "fmt", type=click.Choice(["csv", "json", "yaml", "google", "microsoft"]),
              help="Read RESPONSES in this format.  [default: detected from the file]")
@click.option("--encoding", help="Text encoding of RESPONSES, e.g. cp1252.  [default: UTF-8, or UTF-16 by its mark]")
@click.option("--override", "overrides", multiple=True, metavar="STUDENT:POSITION=ANSWER",
              help="Settle a flagged answer: grade STUDENT's answer at POSITION as ANSWER, recorded in "
                   "responses.csv as a teacher override. Repeatable.")
@click.option("--overrides", "overrides_files", multiple=True, metavar="FILE",
              type=click.Path(dir_okay=False, path_type=Path),
              help="A CSV of such decisions, with the columns student,position,answer.")
@click.option("--handouts/--no-handouts", "handouts", default=None,
              help="Write a feedback handout per student in results/students/.  [default: yes for up to 2000 students]")
@click.option("-j", "--jobs", type=click.IntRange(min=1), metavar="N",
              help="Processes rendering the handout PDFs.  [default: one per core]")
@click.option("--strict", is_flag=True, help="Exit with status 1 when any row is flagged.")
@click.option("--pdf/--no-pdf", "pdf", default=None,
              help="Write report.pdf and each handout's PDF.  [default: report.pdf for classes of up to 300 students]")
@click.option("--no-report", is_flag=True, help="Write the CSV files only.")
@click.option("--templates", "templates_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Folder with your own report.html.j2, handout.html.j2 or report.css (others fall back to the shipped templates).")
def grade_command(examdir: Path, responses: tuple[Path, ...], out_dir: Path | None, threshold: float,
                  partial: str | None, negative: float | None, void: tuple[str, ...], accept: tuple[str, ...],
                  form: str | None, fmt: str | None, encoding: str | None, strict: bool, pdf: bool | None,
                  no_report: bool, templates_dir: Path | None, overrides: tuple[str, ...],
                  overrides_files: tuple[Path, ...], handouts: bool | None, jobs: int | None) -> None:
    """Grade answer sheets against the exam set in EXAMDIR; write scores, audit, item analysis and report.

    RESPONSES are CSV (student,form,1,2,... or q1,q2,...), JSON, YAML or .xlsx answer files, or
    Google Forms / Microsoft Forms exports. Each input row comes out in scores.csv, graded or
    flagged with the reason; responses.csv records how every answer was read.
    """
    from ..errors import display_path
    from ..fileio import read_examset
    from ..grade import RESULTS_DIR, GradeOptions, grade_and_write

    examset = read_examset(examdir)
    options = GradeOptions(threshold=threshold, partial=_partial(partial), negative=negative, void=list(void),
                           accept=list(accept), form=form, fmt=fmt, encoding=encoding,
                           overrides=list(overrides), overrides_files=list(overrides_files))
    target = out_dir or (examdir if examdir.is_dir() else examdir.parent) / RESULTS_DIR

    def show_mapping(run) -> None:  # what each sheet's columns were read as, before the handouts' progress
        for sheet in run.sheets:
            for line in sheet.mapping():
                click.echo(line)

    with _Progress("handouts") as progress:
        run, tally, written = grade_and_write(examset, responses, target, options, report=not no_report, pdf=pdf,
                                              templates_dir=templates_dir, handouts=handouts, jobs=jobs,
                                              progress=progress, on_read=show_mapping)
    click.echo(f"{tally.rows} rows: {tally.graded} graded, {tally.flagged_count} flagged, "
               f"{tally.rows - tally.graded} not gradable")
    for row in tally.flagged_rows[:_SHOWN_FLAGS]:
        click.echo(f"  flagged {row.source} {row.student or '(no name)'}: {row.reason}")
    if tally.flagged_count > _SHOWN_FLAGS:
        click.echo(f"  ... and {tally.flagged_count - _SHOWN_FLAGS} more; see scores.csv")
    for note in run.notes:
        click.echo(f"note: {note}")
    top = [p.name for p in written if p.parent == target.resolve() or p.parent == target]
    handout_files = len(written) - len(top)
    also = f" and {handout_files} handout files in students/" if handout_files else ""
    click.echo(f"wrote {', '.join(top)}{also} to {display_path(target)}")
    if strict and tally.flagged_count:
        click.echo(f"error: {tally.flagged_count} rows flagged (--strict)", err=True)
        raise SystemExit(1)


class _Progress:
    """A progress bar on the terminal, drawn once the total is known (`progress(done, total)`)."""

    def __init__(self, label: str):
        self.label = label
        self.bar = None
        self.shown = 0

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            self.bar = click.progressbar(length=total, label=self.label, file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.shown)
        self.shown = done

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)
