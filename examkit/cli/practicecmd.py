"""The `examkit practice` command: a thin wrapper over `examkit.render.practice.build_practice`."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("practice", short_help="Build an offline study page from a bank.")
@click.argument("bank", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("-b", "--blueprint", default=None, metavar="BLUEPRINT",
              help="Draw by this blueprint (a file, or a shipped name) from its pool; default: every item of the bank.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The HTML file to write.")
@click.option("--items", type=click.IntRange(min=1), default=None,
              help="Questions per attempt without a blueprint  [default: 20, or the whole bank if smaller]")
@click.option("--templates", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder of your own templates; files it lacks come from examkit's.")
def practice_command(bank: tuple[Path, ...], blueprint: str | None, output: Path, items: int | None,
                     templates: Path | None) -> None:
    """Build one offline HTML study page from BANK (default: the shipped bank).

    Every attempt draws a fresh set by the blueprint (counts per objective, type and difficulty
    as far as the pool allows, case studies whole), keeps answers in the browser across reloads,
    shows a timer when the blueprint has a time limit, and brings back missed questions more
    often than ones answered right. Unlike practice-X.html from `examkit render`, it holds no
    exam form's answers in a fixed order: it is made for studying.
    """
    from ..render.practice import build_practice

    built = build_practice(output, list(bank) or None, blueprint, items=items, templates=templates)
    timer = f", {built['time_limit_minutes']}-minute timer" if built["time_limit_minutes"] else ""
    click.echo(f"wrote {built['path']}: {built['items']} questions, {built['draw']} per attempt{timer}")
    for kind in built["skipped_types"]:
        click.echo(f"note: {kind} questions are left out: the study page cannot show them yet", err=True)
