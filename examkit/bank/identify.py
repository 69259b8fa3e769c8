"""What a file given to `examkit validate` is, when it is not bank YAML: a blueprint, an exam
folder or exam set, or something else; so the user hears which command takes it instead of
bank-schema errors about a file that was never a bank file."""

from __future__ import annotations

from pathlib import Path

from ..errors import ExamkitError, Problem, display_path
from ..fileio import EXAMSET_FILE
from .yamlfile import LineDict, load_yaml

# Top-level keys only a blueprint has (a bank file has exam, cases and items, items as a list).
BLUEPRINT_KEYS = {"title", "objectives", "types", "type_counts", "difficulty", "scoring", "time_limit_minutes",
                  "case_studies", "max_case_studies", "instructions"}


def kind_of(path: Path) -> str:
    """'bank', 'blueprint', 'examset' or 'other' (a file examkit reads for none of these)."""
    if path.is_dir():
        return "examset" if (path / EXAMSET_FILE).is_file() else "bank"
    if path.name == EXAMSET_FILE:
        return "examset"
    if path.suffix == ".blueprint":
        return "blueprint"
    if path.suffix not in (".yaml", ".yml"):
        return "other" if path.exists() else "bank"  # a missing path is reported by the bank loader
    data, problems = load_yaml(path)
    if problems or not isinstance(data, LineDict):
        return "bank"  # the bank loader reports what is wrong with it, with lines
    keys = set(data)
    if ("exam" in keys and not isinstance(data["exam"], dict)) or keys & BLUEPRINT_KEYS:
        return "blueprint" if not isinstance(data.get("items"), list) else "bank"
    return "bank"


def describe(path: Path, kind: str) -> str:
    """Check a non-bank file as what it is and say which command takes it (one line)."""
    shown = display_path(path)
    if kind == "blueprint":
        from ..generate import load_blueprint, resolve_quotas

        blueprint = load_blueprint(path)
        total = resolve_quotas(blueprint).total
        return (f"ok: {shown} is a blueprint ('{blueprint.title}', {total} items per form), not a bank file; "
                f"use it with `examkit generate -b {shown}` or `examkit practice -b {shown}`")
    if kind == "examset":
        from ..fileio import read_examset

        examset = read_examset(path)
        folder = path if path.is_dir() else path.parent
        forms = len(examset.forms)
        size = len(examset.forms[0].items) if forms else 0
        where = display_path(folder)
        return (f"ok: {shown} is a generated exam ('{examset.title}', {forms} form(s) of {size} items), not a bank; "
                f"print it with `examkit render {where}`, grade answers with `examkit grade {where} RESPONSES.csv`")
    raise ExamkitError(Problem(shown, None, "not a bank file (banks are .yaml files with 'exam:', 'cases:' or "
                               "'items:'); `examkit validate` checks banks, blueprints and exam folders"))


def split_paths(paths: list[Path]) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Bank paths, and the other paths with their kind."""
    bank, others = [], []
    for path in paths:
        kind = kind_of(path)
        if kind == "bank":
            bank.append(path)
        else:
            others.append((path, kind))
    return bank, others
