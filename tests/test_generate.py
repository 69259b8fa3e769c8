"""Generating forms: counts, keys, pins, case studies, enemies, balance, modes and seeds."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from examkit.bank import load_bank
from examkit.errors import ExamkitError
from examkit.generate import (
    form_letter,
    generate_examset,
    load_blueprint,
    resolve_quotas,
)
from examkit.generate.shuffle import make_placer
from examkit.generate.writer import examset_json
from examkit.models import Blueprint, ExamSet, FormItem, PrintedOption, print_item

from .conftest import MINI_BANK
from .fixtures.generate.checks import check_examset
from .fixtures.generate.synthetic import synthetic_bank, synthetic_item

FIXTURES = Path(__file__).parent / "fixtures" / "generate"
PINS_BANK = FIXTURES / "bank-pins"


@pytest.fixture(scope="module")
def mini():
    return load_bank([MINI_BANK])


@pytest.fixture(scope="module")
def pins():
    return load_bank([PINS_BANK])


@pytest.fixture(scope="module")
def mini_blueprint():
    return load_blueprint(FIXTURES / "mini-blueprint.yaml")


def everything(bank, **extra) -> Blueprint:
    return Blueprint(title="All", items=len(bank.items), **extra)


def test_forms_meet_the_blueprint_and_every_key_is_right(mini, mini_blueprint):
    examset = generate_examset(mini, mini_blueprint, forms=8, seed=3)
    assert [f.letter for f in examset.forms] == list("ABCDEFGH")
    check_examset(examset, mini, resolve_quotas(mini_blueprint), mini_blueprint)
    assert examset.title == "Mini practice exam" and examset.exam == "mini" and examset.exam_title == "Mini exam"
    assert examset.time_limit_minutes == 10
    assert examset.scoring.scale == (100, 1000) and examset.scoring.pass_mark == 700
    assert examset.manifest.seed == 3 and examset.manifest.mode == "draw"
    assert examset.manifest.blueprint == "mini-blueprint.yaml"
    assert examset.manifest.bank_hash == mini.content_hash()
    assert examset.manifest.blueprint_hash == mini_blueprint.content_hash()


def test_the_exam_set_is_self_contained(mini):
    examset = generate_examset(mini, everything(mini), seed=1)
    # Objective titles for every objective used and its ancestors, in tree order.
    assert examset.objectives == {"mini:1": "Basics", "mini:1.1": "Concepts", "mini:1.2": "Lifecycle"}
    assert examset.cases["case-shop"].scenario.startswith("An online shop")
    printed = {p.item_id: p for p in examset.forms[0].items}
    assert printed["tok-single"].options[0].why  # rationales travel with the options
    assert printed["life-match"].premises[0].why and printed["life-order"].steps[0].why
    assert printed["tok-short"].answers == ["chunking", "chunks"]
    assert printed["tok-short"].key == "chunking | chunks"


def test_case_study_items_are_drawn_together_and_printed_consecutively(mini):
    blueprint = Blueprint(title="Small", items=4)
    for seed in range(30):
        form = generate_examset(mini, blueprint, seed=seed).forms[0]
        cases = [p.case for p in form.items]
        if "case-shop" in cases:
            at = cases.index("case-shop")
            assert cases[at:at + 2] == ["case-shop", "case-shop"]
            assert cases.count("case-shop") == 2


def test_max_case_studies_zero_leaves_cases_out(mini):
    examset = generate_examset(mini, Blueprint(title="No cases", items=5, max_case_studies=0), forms=5, seed=2)
    assert all(p.case is None for f in examset.forms for p in f.items)
    assert examset.cases == {}


def test_enemies_never_share_a_form_even_when_named_one_way(pins):
    blueprint = Blueprint(title="Rivals", items=len(pins.items) - 1)
    examset = generate_examset(pins, blueprint, forms=20, seed=5)
    for form in examset.forms:
        ids = {p.item_id for p in form.items}
        assert not {"rival-a", "rival-b"} <= ids
    # Both rivals do appear, on different forms.
    seen = {p.item_id for f in examset.forms for p in f.items}
    assert {"rival-a", "rival-b"} <= seen
    with pytest.raises(ExamkitError, match="could not fill a form"):
        generate_examset(pins, Blueprint(title="All", items=len(pins.items)), seed=1)


def test_pins_and_written_order_are_respected(pins):
    blueprint = Blueprint(title="Pins", items=7, types=["single", "matching", "ordering", "multiple"])
    # One form per seed: forms of one set are parallel, so they may all hold the same items.
    forms = [generate_examset(pins, blueprint, seed=seed).forms[0] for seed in range(25)]
    check_examset(generate_examset(pins, blueprint, forms=3, seed=9), pins)
    keys = Counter()
    for form in forms:
        printed = {p.item_id: p for p in form.items}
        assert printed["pinned-last"].options[3].text == "None of these"
        assert printed["pinned-first-key"].options[0].text == "Delta" and printed["pinned-first-key"].key == "A"
        assert [o.text for o in printed["written-order"].options] == ["Red", "Blue", "Both A and B",
                                                                     "Neither A nor B"]
        assert printed["written-order"].key == "C"
        assert [p.text for p in printed["fixed-matching"].premises] == ["Red", "Blue", "Green"]
        assert printed["fixed-matching"].key == "1-B;2-A;3-C"
        # An ordering item's written order is its answer, so it is shuffled even with shuffle: false.
        assert [s.text for s in printed["steps-fixed"].steps] != ["One", "Two", "Three"]
        keys[printed["pinned-last"].key] += 1
    # The key of the item pinned last moves among the three free slots, never to D.
    assert set(keys) == {"A", "B", "C"}


def test_ordering_items_are_never_printed_in_the_correct_order():
    item = synthetic_item(4, "ordering", "syn:1.1", "easy")
    assert len(item.steps) == 4
    placer = make_placer(item, 1.0)
    import random

    rand = random.Random(0).random
    orders = {tuple(s.text for s in print_item(item.id, placer.stored, placer.place(rand), 1).steps)
              for _ in range(400)}
    correct = tuple(s.text for s in item.steps)
    assert correct not in orders
    assert len(orders) == 2 * 3 * 4 - 1  # every other order of the four steps shows up


def test_single_choice_keys_are_balanced_across_a_form():
    bank = synthetic_bank(120, types=("single",))
    blueprint = Blueprint(title="Singles", items=40)
    for seed in range(10):
        for form in generate_examset(bank, blueprint, forms=3, seed=seed).forms:
            letters = Counter(p.key for p in form.items)
            assert max(letters.values()) <= 0.4 * len(form.items), letters
            # Nearly all keys can move; they end up within a couple of each other.
            assert max(letters.values()) - min(letters.values()) <= 3, letters


def test_key_letters_do_not_follow_a_pattern_down_the_form():
    bank = synthetic_bank(200, types=("single",))
    form = generate_examset(bank, Blueprint(title="Singles", items=40), seed=4).forms[0]
    keys = "".join(p.key for p in form.items)
    # Balanced, but not in blocks of ABCD: some letter repeats within every run of four now and then.
    blocks = [keys[i:i + 4] for i in range(0, 40, 4)]
    assert any(len(set(block)) < 4 for block in blocks), keys


def test_scramble_mode_same_items_new_order(mini, mini_blueprint):
    examset = generate_examset(mini, mini_blueprint, forms=4, seed=11, mode="scramble")
    check_examset(examset, mini, resolve_quotas(mini_blueprint), mini_blueprint)
    drawn = [sorted(p.item_id for p in f.items) for f in examset.forms]
    assert all(d == drawn[0] for d in drawn)
    orders = [tuple(p.item_id for p in f.items) for f in examset.forms]
    assert len(set(orders)) == len(orders)
    assert examset.manifest.mode == "scramble"


def test_draw_mode_draws_each_form_anew():
    bank = synthetic_bank(90)
    examset = generate_examset(bank, Blueprint(title="Draw", items=10), forms=5, seed=1)
    drawn = {frozenset(p.item_id for p in f.items) for f in examset.forms}
    assert len(drawn) == 5


def test_group_by_objective_prints_objectives_in_tree_order(mini):
    examset = generate_examset(mini, Blueprint(title="G", items=5, max_case_studies=0), forms=5, seed=6,
                               group_by_objective=True)
    for form in examset.forms:
        objectives = [p.objective for p in form.items]
        assert objectives == sorted(objectives)
    # The blueprint's own setting is the default.
    grouped = generate_examset(mini, Blueprint(title="G", items=5, max_case_studies=0, group_by_objective=True),
                               seed=6)
    assert grouped.forms[0].items == examset.forms[0].items


def test_same_seed_same_bytes_other_seed_other_forms(mini, mini_blueprint):
    first = examset_json(generate_examset(mini, mini_blueprint, forms=3, seed=42))
    again = examset_json(generate_examset(mini, mini_blueprint, forms=3, seed=42))
    other = examset_json(generate_examset(mini, mini_blueprint, forms=3, seed=43))
    assert first == again
    assert first != other


def test_more_forms_keep_the_earlier_ones(mini, mini_blueprint):
    three = generate_examset(mini, mini_blueprint, forms=3, seed=8)
    five = generate_examset(mini, mini_blueprint, forms=5, seed=8)
    assert five.forms[:3] == three.forms


def test_without_a_seed_one_is_chosen_and_recorded(mini, mini_blueprint):
    examset = generate_examset(mini, mini_blueprint)
    seed = examset.manifest.seed
    assert isinstance(seed, int) and seed >= 0
    assert generate_examset(mini, mini_blueprint, seed=seed).forms == examset.forms


def test_points_come_from_the_scoring_rules(mini):
    blueprint = Blueprint(title="Points", items=7, scoring={"points": 2, "points_by_type": {"matching": 3}})
    form = generate_examset(mini, blueprint, seed=1).forms[0]
    assert {p.item_id: p.points for p in form.items if p.type in ("matching", "single")} == {
        "life-match": 3.0, "tok-single": 2.0, "shop-one": 2.0}


def test_printed_models_equal_validated_ones_and_serialise_the_same():
    # The printed models are built without validation for speed; they must be indistinguishable.
    bank = synthetic_bank(60, cases=2, enemy_pairs=3)
    examset = generate_examset(bank, Blueprint(title="Round trip", items=30), forms=4, seed=2)
    text = examset_json(examset)
    reread = ExamSet.model_validate_json(text)
    assert reread == examset
    assert examset_json(reread) == text
    printed = examset.forms[0].items[0]
    assert FormItem.model_validate(printed.model_dump()) == printed
    # A printed option is an independent object: changing one leaves every other form alone.
    options = [p.options for f in examset.forms for p in f.items if p.options]
    options[0][0].text = "changed"
    assert sum(o.text == "changed" for group in options for o in group) == 1
    assert isinstance(options[0][0], PrintedOption) and options[0][0].model_fields_set >= {"text", "letter"}


def test_form_letters_go_on_like_spreadsheet_columns():
    assert [form_letter(n) for n in (0, 1, 25, 26, 27, 51, 52, 701, 702)] == [
        "A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"]


# ---------------------------------------------------------------------------- errors


def one_error(bank, blueprint, **options) -> str:
    with pytest.raises(ExamkitError) as caught:
        generate_examset(bank, blueprint, seed=1, **options)
    assert len(caught.value.problems) == 1, caught.value.problems
    return str(caught.value.problems[0])


def test_asking_more_than_an_objective_holds_names_the_objective_and_the_supply(tmp_path, mini):
    path = tmp_path / "greedy.yaml"
    path.write_text("title: Greedy\nitems: 6\nobjectives:\n  - {id: 'mini:1.1', count: 5}\n"
                    "  - {id: 'mini:1.2', count: 1}\n", encoding="utf-8")
    message = one_error(mini, load_blueprint(path))
    assert message.startswith(f"{path}:4: ")
    assert "asks for 5 items of mini:1.1 per form, but the bank has 4" in message


def test_asking_more_of_a_type_or_difficulty_than_the_bank_holds(mini):
    message = one_error(mini, Blueprint(title="T", items=4, type_counts={"matching": 2}))
    assert "asks for 2 matching items per form, but the bank has 1" in message
    message = one_error(mini, Blueprint(title="D", items=4, difficulty={"hard": 1, "easy": 1}))
    assert "asks for 2 hard items per form, but the bank has 1" in message
    message = one_error(mini, Blueprint(title="N", items=9))
    assert "asks for 9 items per form, but only 7 bank items fit" in message
    message = one_error(mini, Blueprint(title="S", items=3, types=["short"]))
    assert "only 2 bank items fit the blueprint (types short)" in message


def test_unknown_objective_and_wrong_exam(tmp_path, mini):
    path = tmp_path / "wrong.yaml"
    path.write_text("title: Wrong\nexam: other\nitems: 2\nobjectives:\n  - {id: 'mini:9', count: 2}\n",
                    encoding="utf-8")
    with pytest.raises(ExamkitError) as caught:
        generate_examset(mini, load_blueprint(path), seed=1)
    messages = [str(p) for p in caught.value.problems]
    assert messages[0].startswith(f"{path}:2: ") and "for exam 'other' but the bank is for 'mini'" in messages[0]
    assert messages[1].startswith(f"{path}:5: ") and "unknown objective 'mini:9'" in messages[1]


def test_bad_arguments(mini, mini_blueprint):
    with pytest.raises(ExamkitError, match="forms"):
        generate_examset(mini, mini_blueprint, forms=0)
    with pytest.raises(ExamkitError, match="unknown mode"):
        generate_examset(mini, mini_blueprint, mode="shuffle")
    with pytest.raises(ExamkitError, match="seed"):
        generate_examset(mini, mini_blueprint, seed=-1)


def test_a_task_in_the_blueprint_takes_every_item_under_it_and_the_most_specific_wins(mini):
    blueprint = Blueprint(title="Nested", items=5, max_case_studies=0,
                          objectives=[{"id": "mini:1", "count": 3}, {"id": "mini:1.2", "count": 2}])
    for form in generate_examset(mini, blueprint, forms=6, seed=3).forms:
        by_objective = Counter(p.objective for p in form.items)
        assert by_objective["mini:1.2"] == 2 and by_objective["mini:1.1"] == 3


def test_generation_leaves_the_garbage_collector_as_it_found_it(mini, mini_blueprint):
    import gc

    assert gc.isenabled()
    generate_examset(mini, mini_blueprint, seed=1)
    assert gc.isenabled() and gc.get_freeze_count() == 0
    gc.disable()
    try:
        generate_examset(mini, mini_blueprint, seed=1)
        assert not gc.isenabled()
    finally:
        gc.enable()
    with pytest.raises(ExamkitError):
        generate_examset(mini, Blueprint(title="Too many", items=50), seed=1)
    assert gc.isenabled()


def test_a_parametric_ordering_item_prints_its_own_numbers_in_its_steps():
    import random

    from examkit.models import OrderingItem, Param, Step

    from .fixtures.generate.synthetic import _common

    item = OrderingItem(type="ordering", params={"size": Param(min=2, max=9)},
                        steps=[Step(text=f"Step {k}: split into chunks of {{size}} pages", why=f"Step {k} comes here.")
                               for k in range(4)],
                        **_common(1, "syn:1.1", "easy"))
    placer = make_placer(item, 1.0)
    placement = placer.place(random.Random(3).random)
    assert placement.premises == ()  # an ordering item has no premises; its numbers go last
    (name, size), = placement.values
    assert name == "size" and 2 <= size <= 9
    printed = print_item(item.id, placer.stored, placement, 1)
    assert {s.text.rsplit(" ", 2)[1] for s in printed.steps} == {f"{size:g}"}


def test_a_numeric_item_keeps_its_percentage_tolerance_on_the_form():
    # 5% of 40 is 2: the form prints the tolerance as an absolute one, which the key and grading use.
    from examkit.models import NumericItem

    from .fixtures.generate.synthetic import _common

    item = NumericItem(type="numeric", answer=40.0, tolerance_percent=5.0, decimals=1, **_common(2, "syn:1.1", "easy"))
    placer = make_placer(item, 1.0)
    printed = print_item(item.id, placer.stored, placer.place(lambda: 0.5), 1)
    assert (printed.number, printed.tolerance, printed.key) == (40.0, 2.0, "40.0 ±2")
