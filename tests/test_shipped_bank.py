"""The shipped AIF-C01 task 2.1 bank meets its brief: size, shapes, coverage, sources, style."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from examkit.bank import load_bank
from examkit.bank.lint import coverage, lint_bank, scenario_shares
from examkit.generate import generate_examset
from examkit.models import Blueprint
from examkit.resources import shipped_bank

SECTIONS = {
    "Understand foundational generative AI concepts": "Foundational generative AI concepts",
    "Identify potential use cases for generative AI models": "Potential use cases for generative AI",
    "Describe the foundation model lifecycle": "Foundation model lifecycle",
}
# The notes misspell one bold term; items cite it correctly spelt.
SPELLING = {"Diffussion Models": "Diffusion Models"}
LIFECYCLE = ["data selection", "model selection", "pre-training", "fine-tuning", "evaluation", "deployment", "feedback"]


@pytest.fixture(scope="module")
def bank():
    return load_bank()


def notes_sections() -> dict[str, set[str]]:
    """Section name -> bold terms, read from the notes the bank cites."""
    text = (shipped_bank() / "sources" / "aif-c01-task-2.1-study-notes.md").read_text(encoding="utf-8")
    sections: dict[str, set[str]] = {}
    current = None
    for line in text.splitlines():
        if line.startswith("## "):
            current = next(short for head, short in SECTIONS.items() if line[3:].startswith(head))
            sections[current] = set()
        for term in re.findall(r"\*\*(.+?)\*\*", line):
            sections[current].add(SPELLING.get(term.strip(": "), term.strip(": ")))
    return sections


def test_size_and_types(bank):
    counts = Counter(i.type for i in bank.items)
    assert len(bank.items) >= 150
    assert counts["single"] >= 70 and counts["multiple"] >= 20 and counts["matching"] >= 10
    assert counts["ordering"] >= 6 and counts["short"] >= 20


def test_items_follow_the_exam_shapes(bank):
    for item in bank.items:
        if item.type == "single":
            assert len(item.options) == 4, item.id
        if item.type == "multiple":
            assert len(item.options) >= 5 and item.choose >= 2, item.id
        if item.type == "ordering":
            assert 3 <= len(item.steps) <= 5, item.id
        if item.type == "matching":
            assert 3 <= len(item.premises) <= 7, item.id


def test_case_studies_scenarios_and_difficulty(bank):
    per_case = Counter(i.case for i in bank.items if i.case)
    assert len(per_case) >= 2 and all(n >= 2 for n in per_case.values())
    assert sum(i.style == "scenario" for i in bank.items) / len(bank.items) >= 0.60
    difficulty = Counter(i.difficulty for i in bank.items)
    assert all(difficulty[d] / len(bank.items) >= 0.15 for d in ("easy", "medium", "hard"))


def test_every_concept_is_examined_three_times_two_ways(bank):
    _, by_concept = coverage(bank)
    assert set(by_concept) == {c.id for c in bank.exam.concepts}
    thin = {c: dict(n) for c, n in by_concept.items() if sum(n.values()) < 3 or len(n) < 2}
    assert thin == {}


def test_the_concepts_are_those_of_the_notes(bank):
    declared = {c.title.lower() for c in bank.exam.concepts}
    for term in ("tokens", "chunking", "embeddings", "vectors", "prompt engineering", "diffusion models",
                 "multimodal models", "foundation models", "transformer-based llms", "summarization",
                 "recommendation engines", "customer service agents", "fine-tuning", "evaluation", "feedback"):
        assert term in declared


def cited_pages() -> set[str]:
    """The public pages the bank may cite beyond the notes: the list in sources/README.md."""
    text = (shipped_bank() / "sources" / "README.md").read_text(encoding="utf-8")
    return {line[2:].strip() for line in text.splitlines() if line.startswith(("- AWS docs › ", "- Reference › "))}


def test_every_source_names_a_section_and_term_of_the_notes_or_a_listed_page(bank):
    sections = notes_sections()
    pages = cited_pages()
    beyond = 0
    for item in bank.items:
        if item.source.startswith(("AWS docs › ", "Reference › ")):
            assert item.source in pages, item.id
            beyond += 1
            continue
        prefix, section, term = item.source.split(" › ")
        assert prefix == "Task 2.1 notes", item.id
        assert term in sections[section], (item.id, term)
    # the notes stay the main source; the pages carry what the exam adds around them
    assert 0 < beyond < len(bank.items) / 2


def test_matching_and_ordering_cover_the_lifecycle(bank):
    in_order = [i for i in bank.items if i.type == "ordering"
                and sum(any(stage == s.text.lower().strip() for s in i.steps) for stage in LIFECYCLE) >= 3]
    assert in_order, "an ordering item puts the lifecycle stages in order"
    for item in in_order:
        ranks = [LIFECYCLE.index(s.text.lower().strip()) for s in item.steps if s.text.lower().strip() in LIFECYCLE]
        assert ranks == sorted(ranks), item.id


def test_no_lint_errors_and_the_key_is_not_a_tell(bank):
    report = lint_bank(bank)
    assert [str(f) for f in report.errors] == []
    assert [str(f) for f in report.warnings] == []
    assert report.stats["key_longest_share"] <= 0.35


# --------------------------------------------------------------------------- second edition (issue 15)


def key_of(bank, item_id) -> str:
    return next(o.text for o in bank.item(item_id).options if o.correct)


def test_decision_scenarios_meet_the_declared_aim_in_every_objective(bank):
    assert bank.exam.scenario_aim == 60
    shares = scenario_shares(bank)
    assert set(shares) == {"aif-c01:2.1.1", "aif-c01:2.1.2", "aif-c01:2.1.3"}
    assert {oid: share for oid, share in shares.items() if share < 0.60} == {}


def test_the_concepts_the_exam_adds_near_task_2_1_are_examined(bank):
    declared = {c.id for c in bank.exam.concepts}
    added = {"context-window", "rag", "masked-language-modeling", "self-supervised-learning",
             "continued-pre-training", "multimodal-embeddings", "text-generation-metrics"}
    assert added <= declared
    texts = " ".join(i.stem + " " + i.explanation for i in bank.items)
    for term in ("ROUGE", "BLEU", "BERTScore", "human evaluation", "context window", "retrieval-augmented generation",
                 "Masked language modelling", "self-supervised", "Continued pre-training", "Multimodal Embeddings"):
        assert term.lower() in texts.lower(), term


def test_items_name_the_aws_services_the_exam_would(bank):
    texts = {i.id: " ".join([i.stem, *(o.text for o in getattr(i, "options", [])),
                             *(r.text for r in getattr(i, "responses", []))]) for i in bank.items}
    for service in ("Amazon Bedrock", "knowledge base", "Titan", "Nova", "SageMaker JumpStart", "Amazon Q", "PartyRock",
                    "OpenSearch", "Amazon Polly", "Amazon Translate", "Amazon Transcribe", "Amazon Comprehend",
                    "Amazon Personalize"):
        assert any(service.lower() in text.lower() for text in texts.values()), service
    assert sum("Amazon " in text for text in texts.values()) >= 30


def test_facts_that_change_are_retrieved_not_trained_in(bank):
    """The reviewer's items that taught 'retrain to add new facts' now key retrieval (issue 15)."""
    for item_id in ("life-pretrain-from-scratch", "life-feedback-drift", "case-life-bank-feedback"):
        assert "knowledge" in key_of(bank, item_id).lower(), item_id
        assert "rag" in bank.item(item_id).tags, item_id
    assert key_of(bank, "case-life-bank-method").startswith("Supervised fine-tuning")
    assert "generation" in key_of(bank, "use-vid-highlights").lower()
    assert "highlight" not in bank.item("use-vid-highlights").stem.lower()  # a highlight reel is video analysis


def test_the_reviewers_near_duplicate_pairs_are_enemies(bank):
    pairs = [("con-bert-classification", "life-model-select-classifier"),
             ("con-order-similarity-search", "use-order-semantic-search"),
             ("con-embedding-semantic-search", "use-search-embed"),
             ("con-fm-fine-tune-choice", "life-pretrain-from-scratch"),
             ("life-order-first-stages", "life-order-later-stages")]
    for first, second in pairs:
        assert second in bank.item(first).enemies or first in bank.item(second).enemies, (first, second)


def test_the_reviewers_easy_items_are_labelled_easy(bank):
    for item_id in ("use-rec-music", "use-csa-personal", "use-search-embed", "use-search-traits",
                    "con-chunking-whole-doc", "con-chunking-too-small"):
        assert bank.item(item_id).difficulty == "easy", item_id


def test_items_that_draw_their_own_numbers_make_a_numeric_quiz(bank):
    """Issue 12: at least 15 parametric or numeric items, and enough numeric items on 2.1.3 for a quiz
    in which every form has its own numbers and its own computed key."""
    assert sum(bool(i.params) or i.type == "numeric" for i in bank.items) >= 15
    assert sum(i.type == "numeric" and i.objective == "aif-c01:2.1.3" for i in bank.items) >= 5
    blueprint = Blueprint(title="Numeric quiz", exam="aif-c01", items=5, types=["numeric"],
                          objectives=[{"id": "aif-c01:2.1.3", "count": 5}])
    forms = generate_examset(bank, blueprint, forms=3, seed=1).forms
    for form in forms:
        assert all(i.type == "numeric" and i.values and i.number is not None for i in form.items)
    shared = set.intersection(*({i.item_id for i in f.items} for f in forms))
    for item_id in shared:
        keys = [next(i.key for i in f.items if i.item_id == item_id) for f in forms]
        assert len(set(keys)) > 1, item_id
