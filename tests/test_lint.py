"""Each lint rule, tripped by a small hand-written item and left alone by a good one."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from examkit.bank import load_bank
from examkit.bank.lint import lint_bank
from examkit.cli import cli

from .conftest import MINI_BANK


def single(stem="Which term names the basic units of text that a model reads?",
           key="Tokens", distractors=("Chunks", "Vectors", "Prompts"), extra=""):
    options = [f"      - {{text: {key!r}, correct: true, why: Right one.}}"]
    options += [f"      - {{text: {d!r}, why: Wrong one.}}" for d in distractors]
    return f"""
  - id: q{abs(hash((stem, key, distractors))) % 10_000}
    type: single
    objective: "mini:1.1"
    stem: {stem!r}
    difficulty: easy
    explanation: Models read tokens.
    source: Notes › Tokens
    tags: [tokens]{extra}
    options:
""" + "\n".join(options) + "\n"


def lint(write_items, *items: str):
    folder = write_items("items:" + "".join(items))
    return lint_bank(load_bank([folder, MINI_BANK / "items.yaml"]))


# The mini bank's own findings (asserted in test_mini_bank_findings); rules_for leaves out the
# findings on mini-bank items so each test sees what its own items trip.
MINI_FINDINGS = {("tok-multiple", "scenario-decision"), ("shop-one", "scenario-decision"),
                 ("shop-two", "scenario-decision"), ("tok-short", "give-away")}
MINI_ITEMS = {"tok-single", "tok-multiple", "life-order", "life-match", "tok-short", "shop-one", "shop-two"}


def rules_for(report, item_id=None):
    return sorted({f.rule for f in report.errors + report.warnings
                   if (f.item == item_id if item_id else f.item not in MINI_ITEMS)})


def test_mini_bank_findings():
    """Its three scenarios only ask for a label, and its short answer 'chunks' is an option of tok-single."""
    report = lint_bank(load_bank([MINI_BANK]))
    assert report.errors == []
    assert {(f.item, f.rule) for f in report.warnings} == MINI_FINDINGS
    assert {i.id for i in load_bank([MINI_BANK]).items} == MINI_ITEMS
    (give_away,) = [f for f in report.warnings if f.rule == "give-away"]
    assert "its answer 'chunks' is shown in item 'tok-single'" in give_away.message
    assert report.stats["scenario_share"] == pytest.approx(3 / 7)
    assert report.stats["difficulty"] == {"easy": 3, "medium": 3, "hard": 1}


def test_a_good_item_trips_nothing(write_items):
    report = lint(write_items, single())
    assert rules_for(report) == []


@pytest.mark.parametrize("text", ["All of the above", "None of the above", "Both A and B"])
def test_above_options_are_errors(write_items, text):
    report = lint(write_items, single(distractors=("Chunks", "Vectors", text)))
    (finding,) = report.errors
    assert finding.rule == "above-option" and text in finding.message
    assert str(finding).startswith(f"{finding.path}:{finding.line}: item '{finding.item}': above-option: ")


def test_conspicuously_long_key_is_a_warning(write_items):
    report = lint(write_items, single(key="Tokens, which may be words, subwords or characters like a period"))
    assert rules_for(report) == ["long-key"]
    assert "1.5" not in report.warnings[0].message and "x as long" in report.warnings[0].message


def test_key_longest_share_is_reported(write_items):
    items = [single(stem=f"Question number {n} about units of text?", key="Tokens here",
                    distractors=("Chunk", "Vector", "Prompt")) for n in range(3)]
    report = lint(write_items, *items)
    # 3 new items with the longest key, plus the mini bank's 2 singles (one with a longest key)
    assert report.stats["key_longest_share"] == pytest.approx(4 / 5)
    assert report.stats["key_longest_chance"] == pytest.approx(0.25)
    assert "key is the longest option in 80% of single-choice items (chance level 25%)" in report.summary()


def test_negative_stem_must_be_in_capitals(write_items):
    bad = lint(write_items, single(stem="Which of these is not a unit of text that a model reads?"))
    assert rules_for(bad) == ["negative-stem"]
    assert "write it in capitals (NOT)" in bad.warnings[0].message
    good = lint(write_items, single(stem="Which of these is NOT a unit of text that a model reads?"))
    assert rules_for(good) == []


def test_near_duplicate_stems_name_both_items(write_items):
    a = single(stem="Which term names the basic units of text that a model reads?")
    b = single(stem="Which term names the basic unit of text that a model reads?", key="Token")
    report = lint(write_items, a, b)
    (finding,) = [f for f in report.warnings if f.rule == "similar-stems"]
    other = "q" + str(abs(hash(("Which term names the basic units of text that a model reads?", "Tokens",
                                ("Chunks", "Vectors", "Prompts")))) % 10_000)
    assert f"similar to item '{other}'" in finding.message


def test_stem_words_only_in_the_key_are_a_clue(write_items):
    bad = lint(write_items, single(stem="Which prompt part sets the output format?",
                                   key="Output indicator", distractors=("Context block", "Input data", "Instructions")))
    assert rules_for(bad) == ["clue"]
    assert "'output'" in bad.warnings[0].message
    good = lint(write_items, single(stem="Which prompt part sets the output format?",
                                    key="Output indicator", distractors=("Output context", "Input data", "Instructions")))
    assert rules_for(good) == []


def test_placeholder_rationale_is_an_error(write_items):
    report = lint(write_items, single().replace("why: Wrong one.}", "why: TODO}", 1))
    (finding,) = report.errors
    assert finding.rule == "missing-rationale" and "'why' of 'Chunks' is a placeholder" in finding.message


def test_missing_why_is_an_error_from_lint_too(write_items):
    folder = write_items("items:" + single().replace(", why: Wrong one.}", "}", 1))
    result = CliRunner().invoke(cli, ["lint", str(folder)])
    assert result.exit_code == 1
    assert "schema: missing field 'why'; add it" in result.output


def test_multiple_response_stem_says_how_many(write_items):
    text = (single().replace("type: single", "type: multiple").replace("why: Wrong one.}", "why: Wrong one., correct: true}", 1)
            + "      - {text: Weights, why: Wrong one.}\n")
    report = lint(write_items, text)
    assert rules_for(report) == ["select-count"]
    fixed = lint(write_items, text.replace("model reads?", "model reads? (Select TWO.)"))
    assert rules_for(fixed) == []


def test_coverage_errors_for_thin_objectives_and_concepts(write_items):
    folder = write_items("items:" + single())
    report = lint_bank(load_bank([folder]))
    messages = sorted(f.message for f in report.errors if f.rule == "coverage")
    assert messages == [
        "concept 'lifecycle' has 0 item(s); write at least 3",
        "concept 'tokens' has 1 item(s); write at least 3",
        "objective 'mini:1.1' has 1 item(s); write at least 3",
        "objective 'mini:1.2' has 0 item(s); write at least 3",
    ]
    same_type = lint(write_items, single(stem="Another question on units?"), single(stem="Yet one more on text units?"))
    assert not [f for f in same_type.errors if "mini:1.1" in f.message]


def test_coverage_flags_a_single_item_type(write_items):
    folder = write_items("items:" + "".join(single(stem=f"Question {n} on the units of text?") for n in range(3)))
    report = lint_bank(load_bank([folder]))
    assert "objective 'mini:1.1' is tested only by 'single' items; add another item type" in [
        f.message for f in report.errors]


def test_cli_json_and_coverage_table():
    result = CliRunner().invoke(cli, ["lint", str(MINI_BANK), "--format", "json"])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["errors"] == [] and data["stats"]["items"] == 7
    table = CliRunner().invoke(cli, ["lint", str(MINI_BANK), "--coverage"]).output
    assert "mini:1.1                   2         1         0         0         1         0       4" in table
    assert "lifecycle" in table and "Lifecycle" in table


def test_cli_exits_1_on_errors(write_items):
    folder = write_items("items:" + single(distractors=("Chunks", "Vectors", "All of the above")))
    result = CliRunner().invoke(cli, ["lint", str(folder)])
    assert result.exit_code == 1
    assert "above-option" in result.output


def test_key_length_tell_across_the_bank(write_items):
    always_longest = [single(stem=f"Question {n} about the units of text a model reads?", key="Tokens here",
                             distractors=("Chunk", "Vector", "Prompt")) for n in range(20)]
    report = lint(write_items, *always_longest)
    (finding,) = [f for f in report.warnings if f.rule == "key-length-tell"]
    assert finding.message.startswith("the key is the longest option in 95% of single-choice items (chance 25%)")
    balanced = [single(stem=f"Question {n} about the units of text a model reads?",
                       key="Tokens here" if n % 4 == 0 else "Token",
                       distractors=("Chunk", "Vector", "Prompts")) for n in range(20)]
    assert "key-length-tell" not in rules_for(lint(write_items, *balanced))


# --------------------------------------------------------------------------- issue 15 rules


def choice(item_id, stem, key, distractors, extra="", objective="mini:1.1"):
    """A single-choice item with a fixed id, for the bank-wide rules."""
    options = [f"      - {{text: {key!r}, correct: true, why: Right one.}}"]
    options += [f"      - {{text: {d!r}, why: Wrong one.}}" for d in distractors]
    return f"""
  - id: {item_id}
    type: single
    objective: "{objective}"
    stem: {stem!r}
    difficulty: medium
    explanation: The key is right.
    source: Notes › Tokens
    tags: [tokens]{extra}
    options:
""" + "\n".join(options) + "\n"


def short(item_id, stem, answers, extra=""):
    return f"""
  - id: {item_id}
    type: short
    objective: "mini:1.1"
    stem: {stem!r}
    difficulty: easy
    explanation: The answer is right.
    source: Notes › Tokens
    tags: [tokens]{extra}
    answers: {answers!r}
"""


def findings(report, rule):
    return [f for f in report.warnings + report.errors if f.rule == rule]


TOPICS = ["invoices", "contracts", "recipes", "manuals", "tickets", "emails", "reviews", "lyrics", "menus"]


def filler_bank(keyed: int):
    """Nine items on different topics; 'a diffusion model' is an option of each, keyed in `keyed` of them."""
    items = []
    for n, topic in enumerate(TOPICS):
        other = (f"Chunk {topic}", f"Translate {topic}", f"Index {topic}")
        if n < keyed:
            items.append(choice(f"fill-{n}", f"A shop must generate pictures of {topic}. Which model fits?",
                                "A diffusion model", other))
        else:
            items.append(choice(f"fill-{n}", f"A shop must sort its {topic} by urgency. Which model fits?",
                                f"Classify {topic}", (*other[:2], "A diffusion model")))
    return items


def test_filler_distractor_names_the_phrase_items_and_counts(write_items):
    report = lint(write_items, *filler_bank(keyed=0))
    (finding,) = findings(report, "filler-distractor")
    assert finding.message.startswith("the phrase 'diffusion model' is a distractor in 9 items (fill-0, fill-1,")
    assert "and the key in 0, so students learn to discard it by rule" in finding.message
    assert finding.severity == "warning"


def test_a_phrase_keyed_often_enough_is_no_filler(write_items):
    # keyed in 3 items, a distractor in 6: 3 is at least a quarter of 6
    assert findings(lint(write_items, *filler_bank(keyed=3)), "filler-distractor") == []


def test_filler_distractor_keeps_the_longest_phrase(write_items):
    items = [choice(f"scr-{n}", f"A team adapts a model for {topic}. What should it do?",
                    f"Fine-tune on {topic}", ("Pre-train a new model from scratch", f"Prompt {topic}",
                                              f"Retrieve {topic}"))
             for n, topic in enumerate(TOPICS)]
    phrases = [f.message.split("'")[1] for f in findings(lint(write_items, *items), "filler-distractor")]
    assert phrases == ["pre-train a new model from scratch"]


NEAR_A = ("A bank wants to sort support emails into fixed categories. Which model type should it choose?",
          "An encoder-only transformer such as BERT", ("A decoder-only model", "A diffusion model", "A speech model"))
NEAR_B = ("To sort emails into a fixed set of categories, which type of model should a bank choose?",
          "A BERT-style encoder-only transformer", ("A GPT-style decoder", "An image model", "A video model"))


def test_near_duplicate_pairs_same_fact_same_way(write_items):
    report = lint(write_items, choice("near-a", *NEAR_A), choice("near-b", *NEAR_B))
    (finding,) = findings(report, "near-duplicate")
    assert finding.item == "near-b" and finding.message.startswith("tests the same fact the same way as item 'near-a'")
    assert "list each in the other's enemies" in finding.message


def test_near_duplicate_spares_enemies_and_other_facts(write_items):
    enemies = lint(write_items, choice("near-a", *NEAR_A), choice("near-b", *NEAR_B, extra="\n    enemies: [near-a]"))
    assert findings(enemies, "near-duplicate") == []
    other_fact = lint(write_items, choice("near-a", *NEAR_A),
                      choice("near-c", "A bank wants to draft replies to support emails. Which model type should it choose?",
                             "A decoder-only transformer such as GPT", ("An encoder-only model", "A diffusion model",
                                                                         "A speech model")))
    assert findings(other_fact, "near-duplicate") == []


F1_MATCH = """
  - id: metric-match
    type: matching
    objective: "mini:1.2"
    stem: Match each metric to its definition.
    difficulty: medium
    explanation: Each metric has one definition.
    source: Notes › Lifecycle
    tags: [lifecycle]{extra}
    premises:
      - {{text: F1 score, answer: harm, why: F1 is the harmonic mean.}}
      - {{text: Precision, answer: prec, why: Precision is TP over predicted positives.}}
      - {{text: Recall, answer: rec, why: Recall is TP over actual positives.}}
    responses:
      - {{key: harm, text: Harmonic mean of precision and recall}}
      - {{key: prec, text: Share of flagged cases that are real}}
      - {{key: rec, text: Share of real cases that are flagged}}
"""


def test_give_away_short_answer_shown_by_another_item(write_items):
    report = lint(write_items, short("f1-short", "Which metric is the harmonic mean of precision and recall?",
                                     ["F1 score", "F1"]), F1_MATCH.format(extra=""))
    (finding,) = [f for f in findings(report, "give-away") if f.item == "f1-short"]
    assert finding.message.startswith("its answer 'F1 score' is shown in item 'metric-match'")
    declared = lint(write_items, short("f1-short", "Which metric is the harmonic mean of precision and recall?",
                                       ["F1 score", "F1"]), F1_MATCH.format(extra="\n    enemies: [f1-short]"))
    assert [f for f in findings(declared, "give-away") if f.item == "f1-short"] == []


@pytest.mark.parametrize("stem, answers, missing", [
    ("What is this process called, in which a diffusion model removes noise?", ["denoising"], ["'denoising process'"]),
    ("What kind of model reads and writes text and images together?", ["multimodal"], ["'multimodal model'"]),
    ("A model flags 50 tickets and 40 are urgent. What is its precision, as a percentage?", ["80%", "0.8"],
     ["'80.0%'"]),
    ("Which use case turns written text into spoken audio (TTS)?", ["text to speech"], ["'TTS'"]),
])
def test_short_answers_suggest_the_variants_students_type(write_items, stem, answers, missing):
    report = lint(write_items, short("typed", stem, answers))
    (finding,) = [f for f in findings(report, "short-answers") if f.item == "typed"]
    for variant in missing:
        assert variant in finding.message


def test_short_answers_with_the_variants_are_clean(write_items):
    # hyphens, spaces and joined words are the grader's business (it normalises and forgives typos)
    report = lint(write_items, short("f1", "Which metric is the harmonic mean of precision and recall?", ["F1-score"]),
                  short("typed", "What is this process called, in which a diffusion model removes noise?",
                        ["denoising", "denoising process"]),
                  short("pct", "A model flags 50 tickets and 40 are urgent. What is its precision, as a percentage?",
                        ["80%", "80.0%", "0.8", "0.80"]))
    assert [f for f in findings(report, "short-answers") if f.item in ("typed", "pct", "f1")] == []


DECISION = ("A retailer wants to answer shoppers' questions from its 2,000-page catalog without retraining a model, "
            "and it has little time to build. Which solution should it choose?")
LABEL = ("A retailer answers shoppers' questions from its 2,000-page catalog by placing the relevant pages in "
         "each prompt. Which generative AI use case is this?")


def test_a_scenario_must_ask_for_a_decision(write_items):
    report = lint(write_items, choice("sc-label", LABEL, "Search", ("Chatbots", "Translation", "Summarization"),
                                      extra="\n    style: scenario"),
                  choice("sc-decide", DECISION, "Retrieve catalog passages into the prompt",
                         ("Pre-train a new model", "Fine-tune on the catalog", "Translate the catalog"),
                         extra="\n    style: scenario"))
    assert [f.item for f in findings(report, "scenario-decision") if f.item not in MINI_ITEMS] == ["sc-label"]


def scenario_exam(write_items, aim: str, *items: str):
    folder = write_items("items:" + "".join(items))
    exam = (folder / "exam.yaml").read_text(encoding="utf-8")
    (folder / "exam.yaml").write_text(exam.replace("  scope:", f"  scenario_aim: {aim}\n  scope:"), encoding="utf-8")
    return lint_bank(load_bank([folder]))


def test_scenario_share_per_objective_against_the_declared_aim(write_items):
    decide = choice("sc-decide", DECISION, "Retrieve catalog passages into the prompt",
                    ("Pre-train a new model", "Fine-tune on the catalog", "Translate the catalog"),
                    extra="\n    style: scenario")
    recall = choice("sc-recall", "Which term names the units of text a model reads?", "Tokens",
                    ("Chunks", "Vectors", "Prompts"))
    label = choice("sc-label", LABEL, "Search", ("Chatbots", "Translation", "Summarization"), extra="\n    style: scenario")
    report = scenario_exam(write_items, "60", decide, recall, label)
    assert report.stats["decision_scenarios"]["mini:1.1"] == pytest.approx(1 / 3)
    shares = [f.message for f in findings(report, "scenario-share")]
    assert "objective 'mini:1.1': 33% of its items are decision scenarios, under the bank's aim of 60%; " \
           "turn recall items into scenarios" in shares
    assert "decision scenarios per objective (aim 60%): mini:1.1 33%, mini:1.2 0%" in report.summary()
    met = scenario_exam(write_items, "30", decide, recall, label)
    assert not [m for m in (f.message for f in findings(met, "scenario-share")) if "mini:1.1" in m]


def test_scenario_aim_is_validated(write_items):
    folder = write_items("items:" + single())
    exam = (folder / "exam.yaml").read_text(encoding="utf-8")
    (folder / "exam.yaml").write_text(exam.replace("  scope:", "  scenario_aim: 160\n  scope:"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(folder)])
    assert result.exit_code == 1 and "scenario_aim" in result.output
