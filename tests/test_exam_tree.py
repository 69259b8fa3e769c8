"""The shipped AIF-C01 objective tree matches the official exam guide (version 1.4)."""

from __future__ import annotations

import json

from examkit.bank import load_bank
from examkit.bank.yamlfile import load_yaml, validate
from examkit.models import ExamFile
from examkit.resources import shipped_bank

# Words the outline broke across lines at a hyphen; the printed guide reads them joined.
REJOINED = {"cost- benefit": "cost-benefit", "chain-of- thought": "chain-of-thought"}


def _official_title(text: str) -> str:
    for broken, joined in REJOINED.items():
        text = text.replace(broken, joined)
    return text


def _exam():
    data, problems = load_yaml(shipped_bank() / "exam.yaml")
    assert problems == []
    exam_file, problems = validate(ExamFile, data, shipped_bank() / "exam.yaml")
    assert problems == []
    return exam_file.exam


def test_every_domain_task_and_objective_with_official_titles_and_weights():
    outline = json.loads((shipped_bank() / "sources" / "aif-c01-exam-outline.json").read_text(encoding="utf-8"))
    exam = _exam()
    assert exam.guide_version == outline["guide_version"]
    assert [(d.id, d.title, d.weight) for d in exam.objectives] == [
        (f"aif-c01:{d['domain']}", d["title"], d["weight_percent"]) for d in outline["domains"]
    ]
    expected = {}
    for domain in outline["domains"]:
        for task in domain["task_statements"]:
            expected[f"aif-c01:{task['id']}"] = task["title"]
            for n, objective in enumerate(task["objectives"], 1):
                expected[f"aif-c01:{task['id']}.{n}"] = _official_title(objective)
    actual = {o.id: o.title for o in load_bank([shipped_bank() / "exam.yaml"]).objectives.values() if o.depth > 0}
    assert actual == expected
    assert sum(d.weight for d in exam.objectives) == 100


def test_exam_facts_and_item_shapes():
    exam = _exam()
    facts = exam.facts
    assert (facts.scored_questions, facts.unscored_questions) == (50, 15)
    assert facts.score_scale == (100, 1000) and facts.passing_score == 700
    assert facts.duration_minutes == 90
    rules = exam.rules
    assert rules.single.options == 4
    assert (rules.multiple.min_options, rules.multiple.min_correct) == (5, 2)
    assert (rules.ordering.min, rules.ordering.max) == (3, 5)
    assert (rules.matching.min, rules.matching.max) == (3, 7)
    assert rules.case_min_items == 2
    assert exam.scope == ["aif-c01:2.1"]
