"""Answer files to try the grader with: `examkit responses-template` and `examkit simulate`."""

from __future__ import annotations

from pathlib import Path

import click

EXAMDIR = click.argument("examdir", type=click.Path(exists=True, path_type=Path))
OUTPUT = click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
                      help="The CSV file to write.")
STUDENTS = click.option("--students", type=click.IntRange(min=1, max=100_000), default=30, show_default=True,
                        help="Rows to write, one per student.")


def _write_csv(path: Path, rows: list[list[str]]) -> None:
    import csv
    import io

    from ..fileio import spreadsheet_text, write_atomic

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows([[spreadsheet_text(cell) for cell in row] for row in rows])
    write_atomic(path, buffer.getvalue())


@click.command("responses-template", short_help="Write a blank answer file for an exam.")
@EXAMDIR
@OUTPUT
@STUDENTS
def template_command(examdir: Path, output: Path, students: int) -> None:
    """Write a blank responses CSV for the exam in EXAMDIR: columns student,form,1,...,N and one
    row per student to fill, forms handed out in turn. Grade it with `examkit grade EXAMDIR FILE`."""
    from ..fileio import read_examset
    from ..grade.simulate import responses_template

    rows = responses_template(read_examset(examdir), students)
    _write_csv(output, rows)
    click.echo(f"wrote {output}: {students} rows to fill, columns {rows[0][0]},{rows[0][1]},1..{len(rows[0]) - 2}")


@click.command("simulate", short_help="Write a simulated class's answers to an exam.")
@EXAMDIR
@OUTPUT
@STUDENTS
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True,
              help="The same seed gives the same class.")
def simulate_command(examdir: Path, output: Path, students: int, seed: int) -> None:
    """Write the answers of a simulated class to the exam in EXAMDIR, to try the grader: students
    of varied ability answer by item difficulty and type as people type (b, a c, option text with
    typos, blanks). Grade it with `examkit grade EXAMDIR FILE`."""
    from ..fileio import read_examset
    from ..grade.simulate import simulate_class

    simulated = simulate_class(read_examset(examdir), students, seed)
    _write_csv(output, [simulated.header, *simulated.rows])
    click.echo(f"wrote {output}: {students} simulated students (seed {seed})")
