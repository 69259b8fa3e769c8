"""Commands about the bank itself: validate, lint, list, schema."""

from __future__ import annotations

import json
from pathlib import Path

import click

BANK_PATHS = click.argument("paths", nargs=-1, type=click.Path(path_type=Path))


def _load(paths: tuple[Path, ...]):
    from ..bank import load_bank

    return load_bank(list(paths) or None)


@click.command("validate", short_help="Check a bank; say what other files are.")
@BANK_PATHS
def validate_command(paths: tuple[Path, ...]) -> None:
    """Check bank files (default: the shipped bank); print every problem as path:line.

    Given a blueprint or a generated exam folder instead, it checks that and says which command
    takes it.
    """
    from ..bank.identify import describe, split_paths
    from ..bank.summary import type_counts

    bank_paths, others = split_paths(list(paths))
    for path, kind in others:
        click.echo(describe(path, kind))
    if others and not bank_paths:
        return
    bank = _load(tuple(bank_paths))
    counts = ", ".join(f"{n} {t}" for t, n in type_counts(bank.items).items() if n)
    click.echo(f"ok: {len(bank.items)} items ({counts}), {len(bank.cases)} case studies "
               f"in {len(bank.files)} files for {bank.exam.id}")


@click.command("lint", short_help="Check item-writing rules and coverage.")
@BANK_PATHS
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--coverage", is_flag=True, help="Print the objective-by-type matrix and concept counts.")
def lint_command(paths: tuple[Path, ...], fmt: str, coverage: bool) -> None:
    """Check item-writing rules and objective/concept coverage; exit 1 on any error."""
    from ..bank.lint import coverage_tables, lint_bank, schema_findings
    from ..errors import ExamkitError

    try:
        bank = _load(paths)
    except ExamkitError as exc:
        bank, report = None, schema_findings(exc)
        coverage = False
    else:
        report = lint_bank(bank)
    if fmt == "json":
        click.echo(json.dumps(report.as_json(), indent=2))
    else:
        for finding in report.errors + report.warnings:
            click.echo(str(finding), err=finding.severity == "error")
        click.echo(report.summary() if bank else f"{len(report.errors)} error(s): the bank does not validate")
        if coverage:
            click.echo(coverage_tables(bank, report.stats["decision_scenarios"]))
    if report.errors:
        raise SystemExit(1)


@click.command("list", short_help="Show the objective tree with item counts.")
@BANK_PATHS
@click.option("--all", "show_all", is_flag=True, help="Show objectives with no items too.")
def list_command(paths: tuple[Path, ...], show_all: bool) -> None:
    """Show the objective tree with item counts per type."""
    from ..bank.summary import objective_counts
    from ..models import ITEM_TYPES

    bank = _load(paths)
    objectives = bank.objectives
    totals = objective_counts(bank)
    header = f"{'objective':<16} " + " ".join(f"{t:>8}" for t in ITEM_TYPES) + f" {'total':>6}  title"
    click.echo(f"{bank.exam.title} (guide {bank.exam.guide_version or '?'})")
    click.echo(header)
    for oid, obj in objectives.items():
        counts = totals.get(oid, dict.fromkeys(ITEM_TYPES, 0))
        if not show_all and not sum(counts.values()):
            continue
        indent = "  " * obj.depth
        weight = f" [{obj.weight:g}%]" if obj.weight else ""
        cells = " ".join(f"{counts[t]:>8}" for t in ITEM_TYPES)
        title = obj.title if len(obj.title) <= 70 else obj.title[:67] + "..."
        click.echo(f"{indent + oid.split(':', 1)[1]:<16} {cells} {sum(counts.values()):>6}  {title}{weight}")
    hidden = "" if show_all else " (objectives without items hidden; --all shows them)"
    click.echo(f"{len(bank.items)} items, {len(bank.cases)} case studies{hidden}")


@click.command("schema", short_help="Print the JSON Schema of a file format.")
@click.option("--for", "kind", type=click.Choice(["bank", "blueprint", "examset"]), default="bank",
              show_default=True, help="Which file format to describe.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to a file.")
def schema_command(kind: str, output: Path | None) -> None:
    """Print the JSON Schema of bank files (or blueprints, exam sets), for editor autocompletion."""
    from ..models import BankFile, Blueprint, ExamSet

    model = {"bank": BankFile, "blueprint": Blueprint, "examset": ExamSet}[kind]
    schema = model.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"examkit {kind} file"
    text = json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
    if output:
        output.write_text(text, encoding="utf-8")
        click.echo(f"wrote {output}")
    else:
        click.echo(text, nl=False)
