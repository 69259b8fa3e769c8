"""The `examkit render` command (being built)."""

import click


@click.command("render")
def render_command() -> None:
    """Not built yet."""
    raise click.UsageError("examkit render is not built yet")
