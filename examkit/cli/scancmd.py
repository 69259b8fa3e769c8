"""The `examkit scan` command: a thin wrapper over `examkit.scan.scan_files`."""

from __future__ import annotations

import sys
from pathlib import Path

import click


@click.command("scan", short_help="Read scanned answer sheets into responses.")
@click.argument("examdir", type=click.Path(file_okay=False, path_type=Path))
@click.argument("scans", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", "out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for responses.csv, review.csv, review.html  [default: EXAMDIR/scans]")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=1, show_default=True,
              help="Parallel processes reading pages.")
@click.option("--dpi", type=click.IntRange(min=50, max=600), default=150, show_default=True,
              help="Resolution PDF pages are drawn at, at most 1800 px on the long side (about 150 dpi on A4; "
                   "the bubbles are read at 144 dpi). Image files and a copier's JPEG pages are decoded as they are.")
@click.option("--strict", is_flag=True,
              help="Exit 1 when anything needs review (the files are written all the same), as grade --strict.")
def scan_command(examdir: Path, scans: tuple[Path, ...], out: Path | None, jobs: int, dpi: int, strict: bool) -> None:
    """Read scanned answer sheets (PDFs, PNG/JPEG/TIFF images, or folders of them).

    \b
    Writes into the output folder:
      responses.csv   student,form,1..N: grade it with 'examkit grade EXAMDIR DIR/responses.csv';
                      a cell holding ? needs a person (the grader flags it)
      review.csv      source,page,student,form,position,reason: one row per thing to check
      review.html     each flagged cell beside its crop, short answers to read, every page annotated
    """
    from ..errors import display_path
    from ..scan import scan_files

    if sys.stdout.isatty():
        with click.progressbar(length=1, label="scanning", show_pos=True) as bar:

            def advance(page, total: int) -> None:
                bar.length = total
                bar.update(1)

            report = scan_files(examdir, list(scans), out=out, jobs=jobs, dpi=dpi, progress=advance)
    else:
        report = scan_files(examdir, list(scans), out=out, jobs=jobs, dpi=dpi)
    pages = len(report.pages)
    problems = sum(1 for r in report.review if r.position is None)
    cells = sum(1 for r in report.review if r.position is not None)
    click.echo(f"scanned {pages} {'page' if pages == 1 else 'pages'} in {report.seconds:.1f} s: "
               f"{len(report.sheets)} answer sheets, {cells} cells and {problems} page or sheet problems to review")
    folder = display_path(report.folder)
    click.echo(f"  {folder}/responses.csv  grade it with: examkit grade {display_path(examdir)} {folder}/responses.csv")
    click.echo(f"  {folder}/review.csv, {folder}/review.html")
    for row in report.review:
        if row.position is None:
            where = f"{row.source}" + (f" page {row.page}" if row.page is not None else "")
            click.echo(f"review: {where}: {row.reason}", err=True)
    if strict and report.review:
        sys.exit(1)
