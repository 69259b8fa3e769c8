"""The `examkit generate` command: a thin wrapper over generate_examset and write_examset."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("generate", short_help="Draw exam forms and their key from a bank.")
@click.option("-b", "--blueprint", "blueprint_spec", metavar="BLUEPRINT",
              help="Blueprint file, or the name of a shipped one (default: aif-c01-task-2.1-practice).")
@click.option("--bank", "banks", multiple=True, type=click.Path(path_type=Path),
              help="Bank file or folder; repeat for several (default: the shipped bank).")
@click.option("--forms", type=click.IntRange(1, 10_000), default=1, show_default=True,
              help="Number of forms, named A, B, C...")
@click.option("--seed", type=click.IntRange(0), help="Random seed; the same seed gives the same files. "
                                                       "Default: a new one, recorded in examset.json.")
@click.option("--mode", type=click.Choice(["draw", "scramble"]), default="draw", show_default=True,
              help="draw: each form draws its own items; scramble: the same items in a new order on each form.")
@click.option("--group-by-objective/--no-group-by-objective", default=None,
              help="Print items grouped by objective (default: as the blueprint says).")
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path),
              help="Output folder (default: output/<blueprint name>).")
@click.option("--force", is_flag=True, help="Overwrite the exam set in a non-empty output folder.")
@click.option("--stats", "stats", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              metavar="ITEM-ANALYSIS.CSV",
              help="item-analysis.csv from earlier classes: balance forms by the facility items showed. Repeatable.")
def generate_command(blueprint_spec: str | None, banks: tuple[Path, ...], forms: int, seed: int | None,
                     mode: str, group_by_objective: bool | None, output: Path | None, force: bool,
                     stats: tuple[Path, ...]) -> None:
    """Build randomized exam forms and their key from a bank and a blueprint.

    Writes examset.json (every form as printed, with answers and a manifest) and key.csv.
    """
    from ..bank import load_bank
    from ..generate.stats import read_facility
    from ..generate import (
        find_blueprint,
        generate_examset,
        load_blueprint,
        write_examset,
    )

    blueprint_path = find_blueprint(blueprint_spec)
    blueprint = load_blueprint(blueprint_path)
    bank = load_bank(list(banks) or None)
    facility = read_facility(list(stats)) if stats else None
    examset = generate_examset(bank, blueprint, forms=forms, seed=seed, mode=mode,
                               group_by_objective=group_by_objective, facility=facility)
    out_dir = output if output is not None else Path("output") / blueprint_path.stem
    written = write_examset(examset, out_dir, force=force)

    for line in _summary(examset, blueprint, out_dir, mode, facility):
        click.echo(line)
    for line in _folder_notes(out_dir, written):
        click.echo(line)


def _summary(examset, blueprint, out_dir: Path, mode: str, facility: dict | None) -> list[str]:
    """What was written: the forms, their size, seed and mode, and the table every form holds."""
    from ..errors import display_path
    from ..generate.table import table_lines

    letters = [form.letter for form in examset.forms]
    named = letters[0] if len(letters) == 1 else f"{letters[0]}-{letters[-1]}"
    per_form = "/".join(str(n) for n in sorted({len(form.placements) for form in examset.forms}))
    lines = [f"wrote {display_path(out_dir)}: {len(letters)} form{'s' if len(letters) > 1 else ''} ({named}), "
             f"{per_form} items each, seed {examset.manifest.seed}, mode {mode}",
             f"  {blueprint.title}; examset.json and key.csv", *table_lines(examset)]
    if facility is not None:
        known = sum(1 for item_id in examset.items if item_id in facility)
        lines.append(f"  expected means use the facility {known} of {len(examset.items)} items showed in "
                     "earlier classes, and difficulty labels for the rest")
    return lines


def _folder_notes(out_dir: Path, written) -> list[str]:
    """What else is in the folder: documents removed, temporary leftovers, other files kept."""
    from ..fileio import leftover_temporaries

    lines = []
    if written.removed:
        lines.append(f"  removed {len(written.removed)} document(s) rendered from the previous exam set "
                     f"({', '.join(written.removed[:3])}{', ...' if len(written.removed) > 3 else ''})")
    leftovers = [p.name for p in leftover_temporaries(out_dir)]
    if leftovers:
        lines.append(f"  note: {len(leftovers)} temporary file(s) left by an interrupted run "
                     f"({', '.join(leftovers[:3])}); delete them when no examkit command is running")
    others = sorted(p.name for p in out_dir.iterdir() if p.resolve() not in written and p.name not in leftovers)
    if others:
        # --force replaced the exam set only; files made from the old one would not match it.
        lines.append(f"  note: left {len(others)} other file(s) as they were ({', '.join(others[:3])}"
                     f"{', ...' if len(others) > 3 else ''}); render again so they match the new exam set")
    return lines
