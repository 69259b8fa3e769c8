"""The `examkit grade` command (being built)."""

import click


@click.command("grade")
def grade_command() -> None:
    """Not built yet."""
    raise click.UsageError("examkit grade is not built yet")
