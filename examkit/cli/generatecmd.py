"""The `examkit generate` command (being built)."""

import click


@click.command("generate")
def generate_command() -> None:
    """Not built yet."""
    raise click.UsageError("examkit generate is not built yet")
