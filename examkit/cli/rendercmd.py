"""The `examkit render` command: a thin wrapper over `examkit.render.render_folder`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

# Not examkit.render: that imports pydantic and jinja2, and the weasyprint import should start first.
from ..documents import DOCUMENTS, lays_out_pdf

DEFAULT_FOLDER = Path("output") / "aif-c01-task-2.1-practice"
ALL_DOCUMENTS = ",".join(DOCUMENTS)


@click.command("render", short_help="Render an exam folder as HTML and PDF.")
@click.argument("folder", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--format", "formats", default="html,pdf", show_default=True, metavar="LIST",
              help="Comma-separated formats: html, pdf.")
@click.option("--only", default=ALL_DOCUMENTS, show_default=True, metavar="LIST",
              help="Comma-separated documents: exam, sheet, key, teacher, practice.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Parallel processes  [default: the number of cores]")
@click.option("--templates", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder of your own templates; files it lacks come from examkit's.")
@click.option("--paper", type=click.Choice(["a4", "letter"]), default="a4", show_default=True,
              help="Paper size of the PDFs and the answer sheet layout.")
@click.option("--print", "class_set", is_flag=True,
              help="Write class-set.pdf instead: per copy the exam and its answer sheet, each starting "
                   "on a new sheet of paper when printed on both sides, in one print job.")
@click.option("--copies", type=click.IntRange(min=1), default=None, metavar="N",
              help="With --print: how many copies, taking the forms in turn  [default: one per form]")
@click.pass_context
def render_command(ctx: click.Context, folder: Path | None, formats: str, only: str, jobs: int | None,
                   templates: Path | None, paper: str, class_set: bool, copies: int | None) -> None:
    """Render a generated exam folder (default: output/aif-c01-task-2.1-practice).

    \b
    Writes into the folder, per form X:
      exam-X.html/.pdf      the exam to hand out
      sheet-X.html/.pdf     the answer sheet, and sheet-X.layout.json (bubble positions)
      teacher-X.html/.pdf   the teacher edition: answers, rationales, sources
      practice-X.html       a self-grading page (offline, one file)
    and once: key.html/.pdf, the answer key of every form.
    With --print: class-set.pdf (and sheet-X.layout.json), ready for the copier.
    """
    from ..warmup import import_in_background

    if class_set or lays_out_pdf(formats, only):
        import_in_background("weasyprint")  # overlaps examkit's own imports and set-up
    from ..render import render_folder

    folder = folder or DEFAULT_FOLDER
    if class_set or copies is not None:
        _class_set(ctx, folder, copies, templates, paper)
        return
    if sys.stdout.isatty():
        # The number of jobs is known once the exam set is read; the first report sizes the bar.
        with click.progressbar(length=1, label="rendering", show_pos=True) as bar:

            def advance(result, total: int) -> None:
                bar.length = total
                bar.update(1)

            report = render_folder(folder, formats=formats, only=only, jobs=jobs, templates=templates,
                                   paper=paper, progress=advance)
    else:
        report = render_folder(folder, formats=formats, only=only, jobs=jobs, templates=templates, paper=paper)

    for message in report.refused:
        click.echo(f"warning: {message}", err=True)
    for note in report.notes:
        click.echo(f"note: {note}", err=True)
    if report.removed:
        click.echo(f"note: removed {len(report.removed)} document(s) of forms this exam set no longer has "
                   f"({', '.join(report.removed[:3])}{', ...' if len(report.removed) > 3 else ''})", err=True)
    by_doc: dict[str, list[str]] = {}
    for result in sorted(report.results, key=lambda r: DOCUMENTS.index(r.job.doc)):
        by_doc.setdefault(result.job.doc, []).extend(p.name for p in result.written)
    shown = _shown(report.folder)
    click.echo(f"rendered {shown} in {report.seconds:.1f} s ({report.workers} "
               f"{'process' if report.workers == 1 else 'processes'}):")
    for doc, names in by_doc.items():
        listed = ", ".join(names) if len(names) <= 6 else f"{', '.join(names[:3])}, … {names[-1]}"
        files = "file" if len(names) == 1 else "files"
        click.echo(f"  {doc:<9} {len(names):>3} {files:<5}  {listed}")


def _class_set(ctx: click.Context, folder: Path, copies: int | None, templates: Path | None, paper: str) -> None:
    from click.core import ParameterSource

    from ..render.printset import render_class_set

    if not ctx.params["class_set"]:
        raise click.UsageError("--copies goes with --print (the class set); add --print")
    clashing = [f"--{name}" for name in ("only", "format", "jobs")
                if ctx.get_parameter_source("formats" if name == "format" else name) is ParameterSource.COMMANDLINE]
    if clashing:
        raise click.UsageError(f"--print writes the class set only (exams and answer sheets as one PDF); "
                               f"drop {', '.join(clashing)}, or render without --print")
    report = render_class_set(folder, copies=copies, templates=templates, paper=paper)
    for message in report.refused:
        click.echo(f"warning: {message}", err=True)
    letters = report.copy_forms
    forms = list(dict.fromkeys(letters))
    which = f"form {forms[0]}" if len(forms) == 1 else f"forms {', '.join(forms)} in turn"
    click.echo(f"rendered {_shown(report.path)} in {report.seconds:.1f} s: {len(letters)} "
               f"{'copy' if len(letters) == 1 else 'copies'} ({which}), {report.pages} pages "
               f"for double-sided printing; answer sheet layouts: "
               f"{', '.join(p.name for p in report.written[1:])}")


def _shown(folder: Path) -> str:
    from ..errors import display_path

    return display_path(folder)
