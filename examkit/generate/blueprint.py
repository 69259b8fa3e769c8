"""Loading blueprints and resolving their counts.

A blueprint is a small YAML file validated like the bank, so a mistake is reported as
`path:line: what is wrong and how to fix it`. Counts may be given directly or as weights; weights
become counts by the largest-remainder method, so they always add up to the total exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from ..bank.yamlfile import LineDict, line_of, load_yaml, validate
from ..errors import ExamkitError, Problem, display_path
from ..models import DIFFICULTIES, ITEM_TYPES, MAX_ITEMS, Blueprint

DEFAULT_BLUEPRINT = "aif-c01-task-2.1-practice.yaml"

@dataclass(frozen=True)
class Quotas:
    """A blueprint's counts, resolved: what every form must hold exactly."""

    total: int
    objectives: tuple[tuple[str, int], ...]  # in blueprint order; empty = the whole bank
    types: tuple[tuple[str, int], ...]  # only the types with an exact count
    difficulty: tuple[tuple[str, int], ...]  # empty = any mix


def largest_remainder(weights: list[float], total: int) -> list[int]:
    """Split `total` in proportion to `weights`; leftover units go to the largest remainders.

    Exact rational arithmetic keeps ties (40/30/30 of 10) from depending on float rounding;
    a tie goes to the earlier entry, so the result is the same on every machine.
    """
    exact = [Fraction(w) for w in weights]
    whole = sum(exact)
    if total == 0 or whole == 0:
        return [0] * len(weights)
    shares = [w * total / whole for w in exact]
    counts = [int(s) for s in shares]  # floor: shares are never negative
    leftover = total - sum(counts)
    by_remainder = sorted(range(len(shares)), key=lambda i: (-(shares[i] - counts[i]), i))
    for i in by_remainder[:leftover]:
        counts[i] += 1
    return counts


def resolve_quotas(bp: Blueprint) -> Quotas:
    """The counts every form must meet, or every reason they cannot add up (one problem each)."""
    problems = _listed_twice(bp)
    total = _form_total(bp, problems)
    objective_counts = _objective_counts(bp, total, problems)
    problems.extend(_type_count_problems(bp, total))
    difficulty: tuple[tuple[str, int], ...] = ()
    if bp.difficulty:
        counts = largest_remainder([bp.difficulty.get(d, 0) for d in DIFFICULTIES], total)
        difficulty = tuple(zip(DIFFICULTIES, counts))
    if problems:
        raise ExamkitError(problems)
    return Quotas(
        total=total,
        objectives=tuple((s.id, n) for s, n in zip(bp.objectives, objective_counts)),
        types=tuple((t, bp.type_counts[t]) for t in ITEM_TYPES if t in bp.type_counts),
        difficulty=difficulty,
    )


def _listed_twice(bp: Blueprint) -> list[Problem]:
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for index, share in enumerate(bp.objectives):
        if share.id in seen:
            problems.append(bp.problem(f"objective '{share.id}' is listed twice (first as entry {seen[share.id] + 1}); "
                                       "list each objective once", "objectives", index))
        seen.setdefault(share.id, index)
    return problems


def _form_total(bp: Blueprint, problems: list[Problem]) -> int:
    """Items per form: `items:`, or the objective counts' sum when the blueprint gives none."""
    fixed = sum(s.count for s in bp.objectives if s.count is not None)
    weighted = any(s.weight is not None for s in bp.objectives)
    if bp.items is not None:
        if bp.objectives and fixed > bp.items:
            problems.append(bp.problem(f"the objective counts add up to {fixed}, more than the {bp.items} items of a "
                                       "form; lower the counts or raise 'items'", "objectives"))
        elif bp.objectives and not weighted and fixed != bp.items:
            problems.append(bp.problem(f"the objective counts add up to {fixed} but 'items' is {bp.items}; make them "
                                       "agree or give some objectives a weight instead of a count", "items"))
        return bp.items
    if weighted:
        problems.append(bp.problem("objective weights need a total; add 'items:' with the number of items per form",
                                   "objectives"))
    elif not bp.objectives:
        problems.append(bp.problem("say how many items a form holds: add 'items:' or objective counts"))
    if bp.objectives and fixed == 0:
        problems.append(bp.problem("the objective counts add up to 0; give at least one objective a count",
                                   "objectives"))
    if fixed > MAX_ITEMS:
        problems.append(bp.problem(f"the objective counts add up to {fixed}; a form holds at most {MAX_ITEMS} items",
                                   "objectives"))
    return fixed


def _objective_counts(bp: Blueprint, total: int, problems: list[Problem]) -> list[int]:
    """Each objective's count: its own, or its share of what the counts leave, by largest remainder."""
    counts = [s.count or 0 for s in bp.objectives]
    weighted = [i for i, s in enumerate(bp.objectives) if s.weight is not None]
    if weighted and not problems:
        split = largest_remainder([bp.objectives[i].weight for i in weighted], total - sum(counts))
        for i, n in zip(weighted, split):
            counts[i] = n
    return counts


def _type_count_problems(bp: Blueprint, total: int) -> list[Problem]:
    problems = [bp.problem(f"type_counts names '{item_type}', which 'types' does not allow; "
                           f"add it to 'types' or remove its count", "type_counts", item_type)
                for item_type in bp.type_counts if item_type not in bp.types]
    typed = sum(bp.type_counts.values())
    if typed > total:
        problems.append(bp.problem(f"the type counts add up to {typed}, more than the {total} items of a form; lower them",
                                   "type_counts"))
    elif all(t in bp.type_counts for t in bp.types) and typed != total:
        problems.append(bp.problem(f"every allowed type has a count, but they add up to {typed}, not {total}; "
                                   "make them agree or leave one type without a count", "type_counts"))
    return problems


def load_blueprint(path: Path) -> Blueprint:
    """Read and check a blueprint file; raise ExamkitError with one `path:line` problem per mistake."""
    path = Path(path)
    shown = display_path(path)
    if not path.is_file():
        raise ExamkitError(Problem(shown, None, "no such blueprint file; check the path (or see blueprints/)"))
    data, problems = load_yaml(path)
    if problems:
        raise ExamkitError(problems)
    if data is None:
        raise ExamkitError(Problem(shown, None, "the blueprint is empty; add at least 'title:' and 'items:'"))
    if not isinstance(data, LineDict):
        raise ExamkitError(Problem(shown, getattr(data, "line", 1),
                                   "a blueprint must be a mapping with 'title:', 'items:', 'objectives:' ..."))
    blueprint, problems = validate(Blueprint, data, path)
    if problems:
        raise ExamkitError(problems)
    blueprint._file = shown
    blueprint._name = path.name
    blueprint._locate = lambda loc: line_of(data, loc)
    resolve_quotas(blueprint)  # counts that cannot add up are reported now, with their lines
    return blueprint


def find_blueprint(spec: str | Path | None) -> Path:
    """A blueprint path from what the user typed: a file, or the name of a shipped blueprint."""
    from ..resources import shipped_blueprints

    shipped = shipped_blueprints()
    if spec is None:
        return shipped / DEFAULT_BLUEPRINT
    candidate = Path(spec)
    if candidate.exists():
        return candidate
    name = candidate.name if candidate.suffix in (".yaml", ".yml") else candidate.name + ".yaml"
    if candidate.parent == Path(".") and (shipped / name).is_file():
        return shipped / name
    available = ", ".join(sorted(p.stem for p in shipped.glob("*.yaml")))
    raise ExamkitError(Problem(str(spec), None, f"no such blueprint; give a file path or a shipped one: {available}"))
