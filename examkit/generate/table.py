"""What each form holds, per blueprint objective, type and difficulty: the parallel-forms table."""

from __future__ import annotations

from ..models import ExamSet, Form

Cell = tuple[str, str, str]


def bucket_of(objective: str, buckets: list[str], parents: dict[str, str]) -> str:
    """The most specific table objective at or above an item's objective ('any' if none)."""
    node = objective
    while node:
        if node in buckets:
            return node
        node = parents.get(node, "")
    return "any"


def form_table(examset: ExamSet, form: Form) -> tuple[dict[Cell, int], int]:
    """One form's items per (objective, type, difficulty) cell of the exam set's table, and its
    number of case studies."""
    table = examset.table
    buckets = sorted({c.objective for c in table.cells}) if table else []
    parents = _parents(examset.objectives)
    counts: dict[Cell, int] = {}
    items = [examset.items[p.item] for p in form.placements]  # as stored: no need to print the form
    for item in items:
        cell = (bucket_of(item.objective, buckets, parents), item.type, item.difficulty)
        counts[cell] = counts.get(cell, 0) + 1
    return counts, len({item.case for item in items if item.case})


def tables(examset: ExamSet) -> tuple[list[Cell], list[tuple[dict[Cell, int], int]]]:
    """The cells in the exam set's order, and each form's table."""
    per_form = [form_table(examset, form) for form in examset.forms]
    order = [(c.objective, c.type, c.difficulty) for c in examset.table.cells] if examset.table else []
    extra = sorted({cell for counts, _ in per_form for cell in counts} - set(order))
    return order + extra, per_form


def _parents(objectives: dict[str, str]) -> dict[str, str]:
    """Objective ids to their parent ids, from the ids themselves (aif-c01:2.1.3 -> aif-c01:2.1)."""
    parents = {}
    for oid in objectives:
        exam, _, number = oid.partition(":")
        if "." in number:
            parents[oid] = f"{exam}:{number.rsplit('.', 1)[0]}"
    return parents


SHOWN_FORMS = 8


def table_lines(examset: ExamSet) -> list[str]:
    """The table as text, a column per form (the first few), and whether every form agrees."""
    cells, per_form = tables(examset)
    letters = [f.letter for f in examset.forms]
    shown = letters[:SHOWN_FORMS]
    width = max([len(c[0]) for c in cells] + [9])
    lines = [f"  {'objective':<{width}} {'type':<9} {'difficulty':<10} " + " ".join(f"{x:>5}" for x in shown)]
    for cell in cells:
        counts = " ".join(f"{per_form[i][0].get(cell, 0):>5}" for i in range(len(shown)))
        lines.append(f"  {cell[0]:<{width}} {cell[1]:<9} {cell[2]:<10} {counts}")
    lines.append(f"  {'case studies':<{width + 21}} " + " ".join(f"{per_form[i][1]:>5}" for i in range(len(shown))))
    means = [examset.forms[i].expected_mean for i in range(len(shown))]
    if all(m is not None for m in means):
        lines.append(f"  {'expected mean %':<{width + 21}} " + " ".join(f"{m:>5.1f}" for m in means))
    same = all(t == per_form[0] for t in per_form)
    if len(letters) > 1:
        lines.append(f"  {'every' if same else 'NOT every'} one of the {len(letters)} forms holds the same table"
                     + ("" if same else " (scramble mode reuses one draw; draw mode makes them equal)"))
    return lines
