"""Round trips on the shipped bank: export to each format, import the file, and the imported bank
has the same stems, options, keys, feedback and objectives as far as the format carries them;
it validates, lints clean of everything but the rationales the format could not carry, and
generates an exam from the blueprint the import wrote."""

from __future__ import annotations


import pytest

import examkit
from examkit.interop.bankwrite import MISSING

# format -> (item types it carries, carries per-option rationales, carries objectives)
CARRIES = {
    "moodle-xml": ({"single", "multiple", "matching", "ordering", "short"}, True, True),
    "gift": ({"single", "multiple", "matching", "short"}, True, True),
    "aiken": ({"single"}, False, False),
    "qti21": ({"single", "multiple", "matching", "ordering", "short"}, True, True),
    "canvas": ({"single", "multiple", "matching", "short"}, True, True),
}


@pytest.fixture(scope="module")
def original():
    return examkit.load_bank()


def _pairs(item) -> list[tuple[str, str, str | None]]:
    text = {r.key: r.text for r in item.responses}
    return [(p.text, text[p.answer], p.why) for p in item.premises]


@pytest.fixture(scope="module", params=sorted(CARRIES))
def round_trip(request, tmp_path_factory, original):
    fmt = request.param
    folder = tmp_path_factory.mktemp(f"rt-{fmt}")
    exported = examkit.export_lms(original, fmt, folder / f"bank.{fmt}")
    report = examkit.import_lms(exported.path, folder / "bank")
    return fmt, report, report.bank


def test_items_come_back(round_trip, original):
    fmt, report, imported = round_trip
    types, with_why, with_objectives = CARRIES[fmt]
    # a bank export leaves parametric items out: their numbers exist only on a generated form
    expected = {i.id: i for i in original.items if i.type in types and not i.params}
    got = {i.id: i for i in imported.items}
    if fmt == "aiken":  # Aiken has no question names: ids are made from the stems
        got = {i.id: next(n for n in imported.items if n.stem.endswith(i.stem)) for i in expected.values()}
        assert len({n.id for n in got.values()}) == len(imported.items)
    assert set(got) == set(expected)
    assert not report.skipped and not report.problems
    for item_id, old in expected.items():
        new = got[item_id]
        assert new.type == old.type
        if old.case and not new.case:  # its case partners were of types the format cannot hold
            scenario = " ".join(original.cases[old.case].scenario.split())
            assert new.stem.endswith(old.stem) and scenario in new.stem
        else:
            assert new.stem == old.stem, item_id
        if old.case and new.case:
            assert imported.cases[new.case].scenario == original.cases[old.case].scenario
            assert imported.cases[new.case].title == original.cases[old.case].title
        if with_objectives:
            assert new.objective == old.objective
            assert imported.objectives[new.objective].title == original.objectives[old.objective].title
        if old.type in ("single", "multiple"):
            assert [(o.text, o.correct) for o in new.options] == [(o.text, o.correct) for o in old.options]
            whys = [o.why for o in new.options]
            assert whys == ([o.why for o in old.options] if with_why else [MISSING] * len(whys))
        elif old.type == "matching":
            assert _pairs(new) == _pairs(old)
            assert sorted(r.text for r in new.responses) == sorted(r.text for r in old.responses)
        elif old.type == "ordering":
            assert [(s.text, s.why) for s in new.steps] == [(s.text, s.why) for s in old.steps]
        else:
            assert new.answers == old.answers
        assert new.explanation == (old.explanation if with_why else MISSING)
        if fmt == "moodle-xml":
            assert new.tags == old.tags


def test_imported_bank_lints_and_generates(round_trip, tmp_path):
    fmt, report, imported = round_trip
    lint = examkit.lint_bank(imported)
    if CARRIES[fmt][1]:
        assert lint.errors == []
    else:  # one missing-rationale error per TODO; every item sits on one objective, all of one type
        missing = [f for f in lint.errors if f.rule == "missing-rationale"]
        assert len(missing) == report.missing_rationales
        assert {f.rule for f in lint.errors} == {"missing-rationale", "coverage"}
    blueprint = examkit.load_blueprint(report.blueprint)
    examset = examkit.generate_examset(imported, blueprint, forms=1, seed=1)
    assert len(examset.forms[0].items) == len(imported.items)


def test_reimport_updates_instead_of_duplicating(tmp_path, original):
    exported = examkit.export_lms(original, "gift", tmp_path / "bank.gift")
    first = examkit.import_lms(exported.path, tmp_path / "bank")
    text = exported.path.read_text(encoding="utf-8")
    exported.path.write_text(text.replace("[markdown]", "[markdown]Changed: ", 1), encoding="utf-8")
    second = examkit.import_lms(exported.path, tmp_path / "bank")
    assert first.imported == second.imported
    bank = second.bank
    assert len(bank.items) == first.imported
    changed = [i for i in bank.items if i.stem.startswith("Changed: ")]
    assert len(changed) == 1 and changed[0].id in {i.id for i in original.items}


def test_exam_folder_round_trip(tmp_path, original):
    blueprint = examkit.load_blueprint(examkit.find_blueprint("aif-c01-task-2.1-quiz"))
    examset = examkit.generate_examset(original, blueprint, forms=2, seed=9)
    examkit.write_examset(examset, tmp_path / "exam")
    exported = examkit.export_lms(tmp_path / "exam", "moodle-xml", tmp_path / "exam.xml")
    report = examkit.import_lms(exported.path, tmp_path / "bank")
    bank = report.bank
    printed = {fi.item_id: fi for form in examset.forms for fi in form.items}
    # Forms are parallel and may share items: an item on two forms is a question in each quiz
    # (one question when both print it alike, as a short answer).
    ids = {i.id for i in bank.items}
    assert set(printed) <= ids and len(ids) <= sum(len(f.items) for f in examset.forms)
    on_one_form = {i for i in printed if sum(i == fi.item_id for f in examset.forms for fi in f.items) == 1}
    # Each form became one category, so each form is one objective of the imported exam.
    assert sorted(o.title for o in bank.objectives.values()) == sorted(
        f"{examset.title} (form {f.letter})" for f in examset.forms)
    for item in bank.items:
        if item.type in ("single", "multiple") and item.id in on_one_form:  # options in the printed order
            assert [o.text for o in item.options] == [o.text for o in printed[item.id].options]
    assert report.blueprint.is_file()
