"""The `examkit` command line: thin click commands over the library.

Each command lives in its own module and imports what it needs inside the function, so
`examkit --help` stays fast and never loads weasyprint.
"""

from __future__ import annotations

import sys

import click

from .. import __version__
from ..errors import ExamkitError
from .classcmds import simulate_command, template_command
from .bankcmds import lint_command, list_command, schema_command, validate_command
from .generatecmd import generate_command
from .gradecmd import grade_command
from .interopcmds import export_command, import_command
from .practicecmd import practice_command
from .rendercmd import render_command
from .scancmd import scan_command


class _Group(click.Group):
    """Prints user errors as one line each and exits 1, never with a traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except ExamkitError as exc:
            for problem in exc.problems:
                click.echo(f"error: {problem}", err=True)
            sys.exit(1)
        except OSError as exc:
            # A read-only folder, a path under a regular file, a full disk: one line, any command.
            from ..errors import display_path

            where = display_path(exc.filename) if exc.filename else "examkit"
            click.echo(f"error: {where}: cannot write: {exc.strerror or exc}; check the folder, its permissions "
                       "and free space", err=True)
            sys.exit(1)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="examkit")
def cli() -> None:
    """Turn a question bank into randomized practice exams, print them, and grade the answers.

    With no paths, commands work on the shipped AIF-C01 task 2.1 bank.
    """


for command in (
    validate_command,
    lint_command,
    list_command,
    schema_command,
    generate_command,
    render_command,
    practice_command,
    grade_command,
    template_command,
    simulate_command,
    export_command,
    import_command,
    scan_command,
):
    cli.add_command(command)


def main() -> None:
    cli(prog_name="examkit")
