"""LMS interchange commands: export (to Moodle, GIFT, Aiken, QTI 2.1, Canvas, Google Forms) and import."""

from __future__ import annotations

from pathlib import Path

import click

EXPORT_FORMATS = ("moodle-xml", "gift", "aiken", "qti21", "canvas", "google-forms")
IMPORT_FORMATS = ("gift", "aiken", "moodle-xml", "qti21", "canvas")


@click.command("export", short_help="Write a bank or exam in an LMS's format.")
@click.argument("source", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--to", "fmt", type=click.Choice(EXPORT_FORMATS), required=True, help="The LMS format to write.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="File to write (default: output/<exam>.<format>, or EXAMDIR/lms/ for an exam folder).")
def export_command(source: tuple[Path, ...], fmt: str, output: Path | None) -> None:
    """Write a bank (every item, grouped by objective) or a generated exam folder (each form one
    quiz, in printed order) in an LMS's format. Default SOURCE: the shipped bank."""
    from ..errors import display_path
    from ..interop import export_lms
    from ..resources import shipped_bank

    report = export_lms(list(source) or [shipped_bank()], fmt, output)
    for skipped in report.skipped:
        click.echo(f"left out: {skipped}", err=True)
    left = f"; {len(report.skipped)} left out (listed above)" if report.skipped else ""
    click.echo(f"wrote {display_path(report.path)}: {report.written} items in {report.quizzes} "
               f"quiz{'zes' if report.quizzes != 1 else ''} as {fmt}{left}")


@click.command("import", short_help="Turn LMS question files into a bank.")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--from", "fmt", type=click.Choice(IMPORT_FORMATS), help="Format of the files (default: detected).")
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Bank folder to write.")
@click.option("--exam", help="Put every item under --objective of this existing exam (its id or bank folder).")
@click.option("--objective", help="Objective id of --exam for every imported item.")
def import_command(files: tuple[Path, ...], fmt: str | None, out_dir: Path, exam: str | None,
                   objective: str | None) -> None:
    """Turn GIFT, Aiken, Moodle XML, QTI 2.1 or Canvas QTI 1.2 files into an examkit bank."""
    from ..errors import display_path
    from ..interop import import_lms

    report = import_lms(list(files), out_dir, fmt, exam, objective)
    for problem in report.problems:
        click.echo(f"error: {problem}", err=True)
    for skipped in report.skipped:
        click.echo(f"not imported: {skipped}", err=True)
    click.echo(f"imported {report.imported} items into {display_path(out_dir)} "
               f"({', '.join(p.name for p in report.files)}); "
               f"{len(report.skipped) + len(report.problems)} not imported")
    if report.missing_rationales:
        click.echo(f"  {report.missing_rationales} rationale(s) the source did not have say TODO; "
                   f"examkit lint {display_path(out_dir)} lists them")
    # Questions imported into an existing exam (--exam) validate only together with that exam's bank.
    paths = [display_path(p) for p in report.bank_paths]
    click.echo(f"  next: examkit validate {' '.join(paths)}; examkit generate -b "
               f"{display_path(report.blueprint)} {' '.join(f'--bank {p}' for p in paths)}")
