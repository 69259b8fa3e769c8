"""examset.json format 2: each item stored once, each form as placements; format 1 still read."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from examkit.errors import ExamkitError
from examkit.fileio import read_examset
from examkit.generate import generate_examset, write_examset
from examkit.generate.writer import key_csv
from examkit.models import Blueprint, FormItem

from .fixtures.generate.synthetic import synthetic_bank

V1_FIXTURE = Path(__file__).parent / "fixtures" / "render" / "examset.json"


def test_a_written_set_reads_back_to_the_same_printed_forms_and_key(tmp_path):
    bank = synthetic_bank(90, cases=2, enemy_pairs=2)
    examset = generate_examset(bank, Blueprint(title="Round trip", items=25), forms=6, seed=3)
    write_examset(examset, tmp_path)
    reread = read_examset(tmp_path)
    assert reread.format == "examkit.examset/2"
    for generated, read in zip(examset.forms, reread.forms, strict=True):
        assert [i.model_dump() for i in read.items] == [i.model_dump() for i in generated.items]
    with (tmp_path / "key.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    printed = [(f.letter, i.position, i.item_id, i.key) for f in examset.forms for i in f.items]
    assert [(r["form"], int(r["position"]), r["item_id"], r["answer"]) for r in rows] == printed


def test_the_file_grows_with_items_plus_forms_not_items_times_forms(tmp_path):
    bank = synthetic_bank(120)
    blueprint = Blueprint(title="Size", items=30)
    sizes = {}
    for forms in (20, 220):
        write_examset(generate_examset(bank, blueprint, forms=forms, seed=1), tmp_path / str(forms))
        sizes[forms] = (tmp_path / str(forms) / "examset.json").stat().st_size
    per_form = (sizes[220] - sizes[20]) / 200
    # A form is its letter and 30 placements of some 30 bytes each; an item printed in full is
    # several hundred bytes, so storing forms the old way would add over 10 kB per form.
    assert per_form < 35 * 30, per_form
    data = json.loads((tmp_path / "220" / "examset.json").read_text(encoding="utf-8"))
    assert len(data["items"]) <= 120 and all(len(f["placements"]) == 30 for f in data["forms"])
    assert all(isinstance(p, list) and isinstance(p[0], str) for p in data["forms"][0]["placements"])


def test_a_version_1_set_reads_as_the_forms_it_printed(tmp_path):
    shutil.copy(V1_FIXTURE, tmp_path / "examset.json")
    examset = read_examset(tmp_path)
    raw = json.loads(V1_FIXTURE.read_text(encoding="utf-8"))
    assert raw["format"] == "examkit.examset/1"
    for raw_form, form in zip(raw["forms"], examset.forms, strict=True):
        assert form.letter == raw_form["letter"]
        expected = [FormItem.model_validate(i).model_dump() for i in raw_form["items"]]
        assert [i.model_dump() for i in form.items] == expected
    # Each item is stored once although both forms print it.
    shared = {i["item_id"] for i in raw["forms"][0]["items"]} & {i["item_id"] for i in raw["forms"][1]["items"]}
    assert shared and shared <= set(examset.items)
    assert key_csv(examset).count("\n") == 1 + sum(len(f["items"]) for f in raw["forms"])


def edited_v1(tmp_path: Path, edit) -> Path:
    data = json.loads(V1_FIXTURE.read_text(encoding="utf-8"))
    edit(data)
    (tmp_path / "examset.json").write_text(json.dumps(data), encoding="utf-8")
    return tmp_path


def item_on(data: dict, letter: str, item_id: str) -> dict:
    form = next(f for f in data["forms"] if f["letter"] == letter)
    return next(i for i in form["items"] if i["item_id"] == item_id)


def shared_single(data: dict) -> str:
    ids = [{i["item_id"] for i in f["items"] if i["type"] == "single"} for f in data["forms"]]
    return sorted(ids[0] & ids[1])[0]


@pytest.mark.parametrize("edit, message", [
    (lambda d: item_on(d, "B", shared_single(d)).update(stem="Another stem"), "its text differs from another form's"),
    (lambda d: item_on(d, "B", shared_single(d))["options"][0].update(text="A new option"),
     "its options differ from another form's"),
    (lambda d: item_on(d, "A", shared_single(d)).update(key="Z"), "the key 'Z' disagrees with the marked answers"),
])
def test_a_version_1_set_that_cannot_be_stored_once_is_refused_in_one_line(tmp_path, edit, message):
    folder = edited_v1(tmp_path, edit)
    with pytest.raises(ExamkitError) as caught:
        read_examset(folder)
    (problem,) = caught.value.problems
    assert problem.path.endswith("examset.json") and message in problem.message


@pytest.mark.parametrize("edit, message", [
    (lambda d: d["forms"][0]["placements"].__setitem__(0, ["no-such-item", [], []]),
     "form A position 1 names item 'no-such-item'"),
    (lambda d: d["forms"][1]["placements"][2].__setitem__(1, [0, 0, 1, 2]),
     "form B position 3: 'order' must list each of the item's"),
])
def test_a_version_2_set_with_broken_placements_is_refused(tmp_path, edit, message):
    examset = generate_examset(synthetic_bank(45, types=("single",)), Blueprint(title="T", items=5), forms=2, seed=1)
    write_examset(examset, tmp_path)
    data = json.loads((tmp_path / "examset.json").read_text(encoding="utf-8"))
    edit(data)
    (tmp_path / "examset.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ExamkitError) as caught:
        read_examset(tmp_path)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_key_csv_points_are_written_as_people_write_them():
    examset = generate_examset(synthetic_bank(45, types=("single",)),
                               Blueprint(title="T", items=3, scoring={"points": 1.5}), seed=1)
    rows = list(csv.DictReader(io.StringIO(key_csv(examset))))
    assert {r["points"] for r in rows} == {"1.5"}
