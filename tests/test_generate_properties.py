"""Property-based tests: over seeds and blueprints, every form satisfies its blueprint exactly,
every key is right for the item as printed, enemies never meet, and the output is reproducible."""

from __future__ import annotations

import os
from functools import cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from examkit.generate import generate_examset, resolve_quotas
from examkit.generate.table import tables
from examkit.generate.writer import examset_json, key_csv
from examkit.models import ITEM_TYPES, Blueprint

from .fixtures.generate.checks import check_examset
from .fixtures.generate.synthetic import OBJECTIVES, synthetic_bank

MAX_TOTAL = 15
# EXAMKIT_EXAMPLES=1000 runs a longer search by hand; the suite keeps it short.
SETTINGS = settings(max_examples=int(os.environ.get("EXAMKIT_EXAMPLES", 40)), deadline=None, suppress_health_check=[HealthCheck.too_slow])


@cache
def rich_bank():
    """30 items in every (objective, type, difficulty) cell: any blueprint up to 15 items is feasible."""
    return synthetic_bank(45 * 30, enemy_pairs=10)


@cache
def case_bank():
    """20 items per (objective, type) with case studies among them: any blueprint up to 15 items fits."""
    return synthetic_bank(300, cases=8, enemy_pairs=6)


@st.composite
def blueprints(draw, *, counted: bool = True) -> Blueprint:
    total = draw(st.integers(1, MAX_TOTAL))
    types = draw(st.lists(st.sampled_from(ITEM_TYPES), min_size=1, max_size=5, unique=True))
    fields: dict = {"title": "Generated", "items": total, "types": types}
    style = draw(st.sampled_from(["none", "weights", "counts", "task"]))
    chosen = draw(st.lists(st.sampled_from(OBJECTIVES), min_size=1, max_size=3, unique=True))
    if style == "weights":
        fields["objectives"] = [{"id": oid, "weight": draw(st.integers(1, 10))} for oid in chosen]
    elif style == "counts":
        cuts = sorted(draw(st.lists(st.integers(0, total), min_size=len(chosen) - 1, max_size=len(chosen) - 1)))
        bounds = [0, *cuts, total]
        fields["objectives"] = [{"id": oid, "count": bounds[i + 1] - bounds[i]} for i, oid in enumerate(chosen)]
    elif style == "task":  # a task and, inside it, one objective that takes its own share
        fields["objectives"] = [{"id": "syn:1", "weight": 2}, {"id": chosen[0], "weight": 1}]
    if counted:
        counted_types = draw(st.lists(st.sampled_from(types), max_size=len(types), unique=True))
        budget = total
        type_counts = {}
        for item_type in counted_types:
            n = draw(st.integers(0, budget))
            type_counts[item_type] = n
            budget -= n
        if type_counts and len(type_counts) == len(types):  # all counted: they must add up
            type_counts[counted_types[-1]] += budget
        fields["type_counts"] = type_counts
        if draw(st.booleans()):
            fields["difficulty"] = {d: draw(st.integers(0, 5)) for d in ("easy", "medium", "hard")}
            if not any(fields["difficulty"].values()):
                fields["difficulty"]["medium"] = 1
    fields["group_by_objective"] = draw(st.booleans())
    return Blueprint(**fields)


@SETTINGS
@given(blueprint=blueprints(), seed=st.integers(0, 2**32), forms=st.integers(1, 3),
       mode=st.sampled_from(["draw", "scramble"]))
def test_every_form_satisfies_its_blueprint_and_every_key_is_right(blueprint, seed, forms, mode):
    bank = rich_bank()
    examset = generate_examset(bank, blueprint, forms=forms, seed=seed, mode=mode)
    assert len(examset.forms) == forms
    check_examset(examset, bank, resolve_quotas(blueprint), blueprint)
    if mode == "scramble":
        assert len({frozenset(p.item_id for p in f.items) for f in examset.forms}) == 1
    assert_parallel(examset)
    if blueprint.group_by_objective:
        for form in examset.forms:
            objectives = [p.objective for p in form.items]
            assert objectives == sorted(objectives)


@SETTINGS
@given(blueprint=blueprints(counted=False), seed=st.integers(0, 2**32), forms=st.integers(1, 3))
def test_case_studies_come_whole_and_together_and_enemies_apart(blueprint, seed, forms):
    bank = case_bank()
    examset = generate_examset(bank, blueprint, forms=forms, seed=seed)
    check_examset(examset, bank, resolve_quotas(blueprint), blueprint)
    assert_parallel(examset)


def assert_parallel(examset) -> None:
    """Every form holds the recorded table: items per objective, type and difficulty, and cases."""
    cells, per_form = tables(examset)
    recorded = ({(c.objective, c.type, c.difficulty): c.count for c in examset.table.cells},
                examset.table.case_studies)
    for counts, cases in per_form:
        assert (counts, cases) == recorded
    assert sum(recorded[0].values()) == len(examset.forms[0].items)


@settings(max_examples=15, deadline=None)
@given(blueprint=blueprints(), seed=st.integers(0, 2**32))
def test_same_inputs_same_bytes(blueprint, seed):
    bank = rich_bank()
    first = generate_examset(bank, blueprint, forms=2, seed=seed)
    second = generate_examset(bank, blueprint, forms=2, seed=seed)
    assert examset_json(first) == examset_json(second)
    assert key_csv(first) == key_csv(second)
