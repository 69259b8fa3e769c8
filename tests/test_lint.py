"""Each lint rule, tripped by a small hand-written item and left alone by a good one."""

from __future__ import annotations

import hashlib
import json

import pytest
from click.testing import CliRunner

from examkit.bank import load_bank
from examkit.bank.lint import lint_bank
from examkit.cli import cli

from .conftest import MINI_BANK


def fixture_id(stem, key, distractors) -> str:
    """An item id from its text that is the same in every run (hash() varies with PYTHONHASHSEED)."""
    return "q" + hashlib.sha256(repr((stem, key, tuple(distractors))).encode()).hexdigest()[:12]


def single(stem="Which term names the basic units of text that a model reads?",
           key="Tokens", distractors=("Chunks", "Vectors", "Prompts"), extra=""):
    options = [f"      - {{text: {key!r}, correct: true, why: Right one.}}"]
    options += [f"      - {{text: {d!r}, why: Wrong one.}}" for d in distractors]
    return f"""
  - id: {fixture_id(stem, key, distractors)}
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


def rules_for(report, item_id=None):
    return sorted({f.rule for f in report.errors + report.warnings if item_id is None or f.item == item_id})


def test_mini_bank_is_clean():
    report = lint_bank(load_bank([MINI_BANK]))
    assert report.errors == [] and report.warnings == []
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
    other = fixture_id("Which term names the basic units of text that a model reads?", "Tokens",
                       ("Chunks", "Vectors", "Prompts"))
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
    assert "mini:1.1                   2         1         0         0         1       4" in table
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
