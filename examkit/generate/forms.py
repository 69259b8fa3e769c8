"""Generating exam forms from a bank and a blueprint: a pure function of (bank, blueprint, seed).

All randomness comes from one `random.Random(seed)`, consumed in a fixed order: form by form,
first the draw, then the item order, the key positions, and each item's options in print order.
Nothing iterates a set or depends on hashing, so the output is the same under any
PYTHONHASHSEED, and form B of `--forms 3` is form B of `--forms 10` with the same seed.
"""

from __future__ import annotations

import random as random_module
import secrets
from collections.abc import Callable
from typing import Literal

from .. import __version__
from ..bulk import collector_paused
from ..errors import ExamkitError, Problem
from ..models import FORMAT, Blueprint, ExamSet, Form, FormTable, Manifest, TableCell
from .blueprint import resolve_quotas
from .draw import DrawPlan
from .shuffle import LETTERS, balance_key_slots, make_placer, shuffle
from .stats import MAX_SPREAD, expected_mean

Mode = Literal["draw", "scramble"]
MODES: tuple[str, ...] = ("draw", "scramble")
MAX_FORMS = 10_000
SEED_RANGE = 1_000_000_000
# How often a scrambled form may reshuffle to avoid repeating an earlier form's item order.
REORDER_TRIES = 20
# How many draws a form may try to bring its expected mean score near the first form's.
BALANCE_TRIES = 60


def new_seed() -> int:
    """A fresh seed for runs without one; it is recorded in the manifest so the run can be repeated."""
    return secrets.randbelow(SEED_RANGE)


def form_letter(number: int) -> str:
    """A, B, ... Z, AA, AB, ...: the names of forms, as on spreadsheet columns."""
    name = ""
    number += 1
    while number:
        number, rest = divmod(number - 1, len(LETTERS))
        name = LETTERS[rest] + name
    return name


def generate_examset(
    bank,
    blueprint: Blueprint,
    *,
    forms: int = 1,
    seed: int | None = None,
    mode: Mode = "draw",
    group_by_objective: bool | None = None,
    facility: dict[str, float] | None = None,
) -> ExamSet:
    """Build `forms` forms from the bank under the blueprint.

    mode "draw": each form draws its own items within the blueprint; "scramble": one draw, the
    same items on every form in a different order. `group_by_objective` (default: the
    blueprint's setting) prints items grouped by objective in tree order, shuffled within.
    `facility` (item id -> percent, from `stats.read_facility`) balances forms by the mean score
    earlier classes would have had on them; without it the difficulty labels stand in.
    """
    if not 1 <= forms <= MAX_FORMS:
        raise ExamkitError(Problem("forms", None, f"{forms} forms asked; give a number from 1 to {MAX_FORMS}"))
    if mode not in MODES:
        raise ExamkitError(Problem("mode", None, f"unknown mode {mode!r}; use 'draw' or 'scramble'"))
    if seed is None:
        seed = new_seed()
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        raise ExamkitError(Problem("seed", None, f"seed {seed!r} is not a whole number of 0 or more; give one"))
    grouped = blueprint.group_by_objective if group_by_objective is None else group_by_objective

    with collector_paused(keep=True):
        return _generate(bank, blueprint, forms, seed, mode, grouped, facility)


def _generate(bank, blueprint: Blueprint, forms: int, seed: int, mode: str, grouped: bool,
              facility: dict[str, float] | None) -> ExamSet:
    plan = DrawPlan.for_blueprint(bank, blueprint, resolve_quotas(blueprint))
    placers = [make_placer(item, blueprint.scoring.points_for(item.type)) for item in plan.items]
    rng = random_module.Random(seed)
    built, used_items, table = _draw_forms(plan, placers, rng.random, forms, mode, grouped, facility)
    used = [plan.items[i] for i in sorted(used_items)]
    examset = ExamSet.model_construct(
        format=FORMAT,
        title=blueprint.title,
        exam=bank.exam.id,
        exam_title=bank.exam.title,
        time_limit_minutes=blueprint.time_limit_minutes,
        instructions=blueprint.instructions,
        scoring=blueprint.scoring.model_copy(deep=True),
        objectives=_objective_titles(bank, used),
        cases={cid: bank.cases[cid].model_copy() for cid in sorted({i.case for i in used if i.case})},
        manifest=Manifest(
            examkit_version=__version__,
            seed=seed,
            mode=mode,
            blueprint=blueprint.name,
            blueprint_hash=blueprint.content_hash(),
            bank_hash=bank.content_hash(),
        ),
        table=FormTable(cells=[TableCell(*cell, n) for cell, n in table[0].items()], case_studies=table[1]),
        items=dict(sorted((plan.items[i].id, placers[i].stored) for i in used_items)),
        forms=built,
    )
    examset.link_forms()
    return examset


def _draw_forms(plan: DrawPlan, placers: list, rand: Callable[[], float], forms: int, mode: str, grouped: bool,
                facility: dict[str, float] | None) -> tuple[list[Form], dict[int, None], tuple]:
    """Every form, in order: drawn (the first within the blueprint, the others to its table),
    arranged, keys balanced, each item placed. Returns the forms, the items used, the table."""
    fixed_draw = plan.draw(rand) if mode == "scramble" else None
    seen_orders: set[tuple[int, ...]] = set()  # only asked for membership, never iterated
    built: list[Form] = []
    used_items: dict[int, None] = {}
    table = None
    drawing = plan
    means: list[float] = []
    for number in range(forms):
        source = drawing
        drawn = fixed_draw if fixed_draw is not None else source.draw(rand)
        if facility and table is not None and fixed_draw is None:
            drawn = _balanced(source, drawn, rand, facility, means[0])
        if table is None:
            # The first form's counts per objective, type and difficulty hold for every form.
            table = source.table(drawn)
            if fixed_draw is None and forms > 1:
                drawing = plan.parallel(*table)
        units = _arrange(source, drawn, rand, grouped, seen_orders if fixed_draw is not None else None)
        indexes = [source.origin[i] for u in units for i in source.units[u].items]
        means.append(expected_mean([_weighed_item(plan, i) for i in indexes], facility or {}))
        built.append(_placed_form(form_letter(number), [placers[i] for i in indexes], rand, means[-1]))
        used_items.update(dict.fromkeys(indexes))
    return built, used_items, table


def _placed_form(letter: str, placers: list, rand: Callable[[], float], mean: float) -> Form:
    """One form of the given items in print order: single-choice keys balanced over the letters."""
    key_slots = balance_key_slots(placers, rand)
    placements = [placer.place(rand, slot) for placer, slot in zip(placers, key_slots)]
    return Form.model_construct(letter=letter, placements=placements, expected_mean=round(mean, 2))


def _balanced(plan: DrawPlan, drawn: list[int], random, facility: dict[str, float], target: float) -> list[int]:
    """A draw whose expected mean score is within MAX_SPREAD / 2 of the first form's, so any two
    forms differ by at most MAX_SPREAD points; the closest of BALANCE_TRIES draws otherwise."""
    best, best_gap = drawn, None
    for _ in range(BALANCE_TRIES):
        items = [_weighed_item(plan, i) for u in drawn for i in plan.units[u].items]
        gap = abs(expected_mean(items, facility) - target)
        if best_gap is None or gap < best_gap:
            best, best_gap = drawn, gap
        if gap <= MAX_SPREAD / 2:
            break
        drawn = plan.draw(random)
    return best


def _weighed_item(plan: DrawPlan, index: int) -> tuple[str, str, float]:
    item = plan.items[index]
    return item.id, item.difficulty, plan.blueprint.scoring.points_for(item.type)


def _arrange(plan: DrawPlan, drawn: list[int], random: Callable[[], float], grouped: bool,
             seen: set[tuple[int, ...]] | None) -> list[int]:
    """The print order of the drawn units; with `seen`, one no earlier form used, if there is one."""
    order = drawn[:]
    for _ in range(REORDER_TRIES if seen is not None else 1):
        shuffle(order, random)
        if grouped:
            order.sort(key=lambda u: plan.units[u].group)  # stable: shuffled within each objective
        if seen is None or tuple(order) not in seen:
            break
    if seen is not None:
        seen.add(tuple(order))
    return order


def _objective_titles(bank, items) -> dict[str, str]:
    """Titles of the objectives the items test and of their ancestors, in the order of the tree."""
    objectives = bank.objectives
    needed: set[str] = set()
    for item in items:
        node = item.objective
        while node is not None and node not in needed:
            needed.add(node)
            node = objectives[node].parent
    return {oid: objective.title for oid, objective in objectives.items() if oid in needed}

