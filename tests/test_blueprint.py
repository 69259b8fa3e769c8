"""Blueprints: the shipped ones, counts from weights, and one located error per mistake."""

from __future__ import annotations

import textwrap
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from examkit.errors import ExamkitError
from examkit.generate import resolve_quotas
from examkit.generate.blueprint import find_blueprint, largest_remainder, load_blueprint
from examkit.models import Blueprint
from examkit.resources import shipped_blueprints

FIXTURES = Path(__file__).parent / "fixtures" / "generate"


def write(tmp_path: Path, text: str, name: str = "bp.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def errors_of(path: Path) -> list[str]:
    with pytest.raises(ExamkitError) as caught:
        load_blueprint(path)
    return [str(p) for p in caught.value.problems]


def test_shipped_practice_blueprint_is_30_items_weighted_over_task_2_1():
    bp = load_blueprint(shipped_blueprints() / "aif-c01-task-2.1-practice.yaml")
    quotas = resolve_quotas(bp)
    assert quotas.total == 30
    assert quotas.objectives == (("aif-c01:2.1.1", 12), ("aif-c01:2.1.2", 9), ("aif-c01:2.1.3", 9))
    assert bp.time_limit_minutes and bp.exam == "aif-c01"
    assert bp.scoring.scale == (100, 1000) and bp.scoring.pass_mark == 700
    assert bp.scoring.partial_credit == []  # all-or-nothing, like the real exam
    assert bp.name == "aif-c01-task-2.1-practice.yaml"


def test_shipped_quiz_blueprint_is_10_items():
    bp = load_blueprint(shipped_blueprints() / "aif-c01-task-2.1-quiz.yaml")
    quotas = resolve_quotas(bp)
    assert quotas.total == 10 and sum(n for _, n in quotas.difficulty) == 10
    assert quotas.difficulty == (("easy", 4), ("medium", 4), ("hard", 2))


def test_find_blueprint_by_path_or_shipped_name(tmp_path):
    assert find_blueprint(None).name == "aif-c01-task-2.1-practice.yaml"
    assert find_blueprint("aif-c01-task-2.1-quiz") == shipped_blueprints() / "aif-c01-task-2.1-quiz.yaml"
    assert find_blueprint("aif-c01-task-2.1-quiz.yaml") == shipped_blueprints() / "aif-c01-task-2.1-quiz.yaml"
    own = write(tmp_path, "title: Mine\nitems: 3\n")
    assert find_blueprint(str(own)) == own
    with pytest.raises(ExamkitError) as caught:
        find_blueprint("no-such-blueprint")
    message = str(caught.value)
    assert "no such blueprint" in message and "aif-c01-task-2.1-quiz" in message


def test_counts_and_weights_mix(tmp_path):
    bp = load_blueprint(write(tmp_path, """
        title: Mixed
        items: 20
        objectives:
          - {id: "x:1.1", count: 5}
          - {id: "x:1.2", weight: 2}
          - {id: "x:1.3", weight: 1}
        """))
    assert resolve_quotas(bp).objectives == (("x:1.1", 5), ("x:1.2", 10), ("x:1.3", 5))


def test_counts_alone_give_the_total(tmp_path):
    bp = load_blueprint(write(tmp_path, """
        title: Counted
        objectives:
          - {id: "x:1.1", count: 3}
          - {id: "x:1.2", count: 4}
        type_counts: {matching: 1}
        difficulty: {easy: 1, hard: 1}
        """))
    quotas = resolve_quotas(bp)
    assert quotas.total == 7 and quotas.types == (("matching", 1),)
    assert quotas.difficulty == (("easy", 4), ("medium", 0), ("hard", 3))


@pytest.mark.parametrize("body, line, expected", [
    ("title: T\nitems: 5\ntitel: oops\n", 3, "unknown field 'titel'"),
    ("title: T\nitems: 5\nobjectives:\n  - {id: 'x:1', count: 2, weight: 3}\n", 4, "either 'count' or 'weight'"),
    ("title: T\nitems: 5\nobjectives:\n  - {id: 'x:1'}\n", 4, "either 'count' or 'weight'"),
    ("title: T\nobjectives:\n  - {id: 'x:1', weight: 3}\n", 2, "weights need a total"),
    ("title: T\nitems: 5\nobjectives:\n  - {id: 'x:1', count: 2}\n", 2, "add up to 2 but 'items' is 5"),
    ("title: T\nitems: 5\nobjectives:\n  - {id: 'x:1', count: 9}\n", 3, "add up to 9, more than the 5"),
    ("title: T\nitems: 5\nobjectives:\n  - {id: 'x:1', count: 3}\n  - {id: 'x:1', count: 2}\n", 5,
     "listed twice"),
    ("title: T\nitems: 5\ntypes: [single, short]\ntype_counts: {matching: 1}\n", 4, "'types' does not allow"),
    ("title: T\nitems: 5\ntypes: [single, short]\ntype_counts: {single: 1, short: 1}\n", 4,
     "add up to 2, not 5"),
    ("title: T\nitems: 5\ntype_counts: {single: 9}\n", 3, "add up to 9, more than the 5"),
    ("title: T\nitems: 5\ntypes: [single, single]\n", 3, "listed twice"),
    ("title: T\nitems: 5\ndifficulty: {easy: 0}\n", 3, "every difficulty weight is 0"),
    ("title: T\nitems: 5\ndifficulty: {tricky: 1}\n", 3, "'tricky'"),
    ("title: T\nitems: 0\n", 2, "'items'"),
    ("title: T\nitems: 5\nobjectives:\n  - {id: 'not an id', count: 5}\n", 4, "'id'"),
    ("title: T\n", 1, "say how many items"),
])
def test_mistakes_are_one_line_with_the_line_number(tmp_path, body, line, expected):
    path = write(tmp_path, body)
    found = errors_of(path)
    assert any(message.startswith(f"{path}:{line}: ") and expected in message for message in found), found
    assert all("\n" not in message for message in found)


def test_broken_yaml_and_wrong_shapes(tmp_path):
    assert errors_of(write(tmp_path, "title: [unclosed\n"))[0].startswith(f"{tmp_path / 'bp.yaml'}:")
    assert "YAML syntax error" in errors_of(write(tmp_path, "title: [unclosed\n"))[0]
    assert "must be a mapping" in errors_of(write(tmp_path, "- a\n- b\n"))[0]
    assert "empty" in errors_of(write(tmp_path, "# nothing\n"))[0]
    assert "no such blueprint file" in errors_of(tmp_path / "missing.yaml")[0]


def test_content_hash_ignores_comments_and_key_order(tmp_path):
    a = load_blueprint(write(tmp_path, "title: T\nitems: 5\n", "a.yaml"))
    b = load_blueprint(write(tmp_path, "# a comment\nitems: 5\ntitle: T\n", "b.yaml"))
    c = load_blueprint(write(tmp_path, "title: T\nitems: 6\n", "c.yaml"))
    assert a.content_hash() == b.content_hash() != c.content_hash()


def test_blueprint_built_in_code_reports_without_a_file():
    bp = Blueprint(title="In code", items=4, objectives=[{"id": "x:1", "count": 3}])
    with pytest.raises(ExamkitError) as caught:
        resolve_quotas(bp)
    assert str(caught.value).startswith("blueprint: ")


def test_largest_remainder_examples():
    assert largest_remainder([40, 30, 30], 30) == [12, 9, 9]
    assert largest_remainder([40, 30, 30], 10) == [4, 3, 3]
    assert largest_remainder([1, 1, 1], 10) == [4, 3, 3]  # a tie goes to the earlier entry
    assert largest_remainder([1, 1, 1], 2) == [1, 1, 0]
    assert largest_remainder([0.1, 0.2, 0.7], 10) == [1, 2, 7]
    assert largest_remainder([5, 0], 3) == [3, 0]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 100), min_size=1, max_size=8).filter(any), st.integers(0, 200))
def test_largest_remainder_adds_up_and_stays_within_one_of_the_exact_share(weights, total):
    counts = largest_remainder(weights, total)
    assert sum(counts) == total
    whole = sum(weights)
    for weight, count in zip(weights, counts):
        exact = Fraction(weight * total, whole)
        assert exact - 1 < count < exact + 1
        assert weight or count == 0


def test_fixture_blueprint_loads():
    bp = load_blueprint(FIXTURES / "mini-blueprint.yaml")
    assert resolve_quotas(bp).objectives == (("mini:1.1", 4), ("mini:1.2", 2))
