"""The bank loader on good files and on each kind of broken file: exact message, exact line."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from examkit.bank import load_bank
from examkit.errors import ExamkitError

from .conftest import MINI_BANK

GOOD_SINGLE = """
items:
  - id: q1
    type: single
    objective: "mini:1.1"
    stem: Which term names the units of text a model reads?
    difficulty: easy
    explanation: Models read tokens.
    source: Notes › Tokens
    options:
      - {text: Tokens, correct: true, why: Right.}
      - {text: Chunks, why: Segments.}
      - {text: Vectors, why: Arrays.}
      - {text: Prompts, why: Inputs.}
"""


def problems_of(folder: Path) -> list[str]:
    with pytest.raises(ExamkitError) as caught:
        load_bank([folder])
    return [str(p) for p in caught.value.problems]


def test_the_mini_bank_loads_with_every_type_and_its_case():
    bank = load_bank([MINI_BANK])
    assert sorted({i.type for i in bank.items}) == ["matching", "multiple", "ordering", "short", "single"]
    assert list(bank.cases) == ["case-shop"]
    assert bank.locations["tok-single"].line == 6
    assert bank.locations["tok-single"].path.endswith("items.yaml")
    assert bank.exam.rules.single.options == 4
    assert bank.objectives["mini:1.2"].parent == "mini:1"


def test_content_hash_ignores_layout_but_not_content(mini_bank_dir: Path):
    before = load_bank([mini_bank_dir]).content_hash()
    items = mini_bank_dir / "items.yaml"
    items.write_text("# a comment\n" + items.read_text(encoding="utf-8"), encoding="utf-8")
    assert load_bank([mini_bank_dir]).content_hash() == before
    items.write_text(items.read_text(encoding="utf-8").replace("Tokens are the units", "Tokens are units"),
                     encoding="utf-8")
    assert load_bank([mini_bank_dir]).content_hash() != before


def test_the_shipped_bank_validates():
    bank = load_bank()
    assert bank.exam.id == "aif-c01"
    assert len(bank.items) >= 150


def test_yaml_syntax_error_names_the_line(write_items):
    folder = write_items("items:\n  - id: q1\n    stem: [unclosed\n    type: single\n")
    (message,) = problems_of(folder)
    assert message == (f"{folder / 'items.yaml'}:4: YAML syntax error: expected ',' or ']', but got ':'; "
                       "fix the syntax at this line")


def test_duplicate_keys_are_caught(write_items):
    folder = write_items(GOOD_SINGLE.replace("    difficulty: easy\n", "    difficulty: easy\n    stem: Again?\n"))
    (message,) = problems_of(folder)
    assert message.endswith(
        "items.yaml:7: duplicate key 'stem' (first at line 5); YAML keeps only the last one, "
        "so remove or rename one of them"
    )


def test_unknown_field_suggests_the_right_name(write_items):
    folder = write_items(GOOD_SINGLE.replace("explanation:", "explaination:"))
    messages = problems_of(folder)
    assert any(m.endswith("items.yaml:2: item 'q1': missing field 'explanation'; add it") for m in messages)
    assert any(m.endswith("items.yaml:7: item 'q1': unknown field 'explaination'; did you mean 'explanation'?")
               for m in messages)


def test_comma_inside_flow_mapping_gets_a_quoting_hint(write_items):
    folder = write_items(GOOD_SINGLE.replace("why: Segments.", "why: Segments, not units."))
    (message,) = problems_of(folder)
    assert message.endswith("items.yaml:11: item 'q1': unknown field 'not units.': text after a comma inside "
                            "{...} became a field; put the text in quotes")


def test_yes_and_no_stay_text(write_items):
    folder = write_items(GOOD_SINGLE.replace("why: Arrays.", "why: No"))
    bank = load_bank([folder])
    assert bank.item("q1").options[2].why == "No"


def test_duplicate_ids_across_files(write_items):
    folder = write_items(GOOD_SINGLE)
    (folder / "more.yaml").write_text(GOOD_SINGLE.lstrip("\n"), encoding="utf-8")
    (message,) = problems_of(folder)
    assert message.endswith("more.yaml:2: item 'q1': duplicate item id (first at "
                            f"{folder / 'items.yaml'}:2); give each item its own id")


def test_unknown_objective(write_items):
    folder = write_items(GOOD_SINGLE.replace('"mini:1.1"', '"mini:9.9"'))
    (message,) = problems_of(folder)
    assert message.endswith("items.yaml:2: item 'q1': unknown objective 'mini:9.9'; use an id from the "
                            "exam's objective tree (examkit list)")


@pytest.mark.parametrize("flags, found", [(("false",) * 4, 0), (("true", "true", "false", "false"), 2)])
def test_single_choice_needs_exactly_one_correct(write_items, flags, found):
    text = GOOD_SINGLE.replace("correct: true, ", "")
    for n, flag in enumerate(flags):
        text = text.replace(f"why: {['Right.', 'Segments.', 'Arrays.', 'Inputs.'][n]}",
                            f"why: {['Right.', 'Segments.', 'Arrays.', 'Inputs.'][n]}, correct: {flag}")
    (message,) = problems_of(write_items(text))
    assert message.endswith(f"items.yaml:2: item 'q1': a single-choice item needs exactly one correct option, "
                            f"found {found}; mark one option 'correct: true' (or use type: multiple)")


def test_multiple_needs_two_correct(write_items):
    text = GOOD_SINGLE.replace("type: single", "type: multiple") + "      - {text: Weights, why: Params.}\n"
    (message,) = problems_of(write_items(text))
    assert message.endswith("items.yaml:2: item 'q1': a multiple-response item needs at least two correct "
                            "options, found 1; mark more options 'correct: true' (or use type: single)")


def test_exam_rules_are_enforced(write_items):
    text = GOOD_SINGLE.replace("      - {text: Prompts, why: Inputs.}\n", "")
    (message,) = problems_of(write_items(text))
    assert message.endswith("items.yaml:2: item 'q1': has 3 options; this exam's single-choice items have "
                            "exactly 4 (one key, 3 distractors)")


MATCHING = """
items:
  - id: m1
    type: matching
    objective: "mini:1.2"
    stem: Match each stage to its activity.
    difficulty: easy
    explanation: Stages.
    source: Notes
    premises:
      - {text: Pre-training, answer: a, why: Broad.}
      - {text: Fine-tuning, answer: b, why: Narrow.}
    responses:
      - {key: a, text: Learn broad patterns}
"""


def test_matching_needs_three_premises_and_enough_responses(write_items):
    (message,) = problems_of(write_items(MATCHING))
    assert message.endswith("items.yaml:2: item 'm1': a matching item needs at least three premises, found 2; "
                            "add premises")
    three = MATCHING.replace("    responses:", "      - {text: Deployment, answer: a, why: Serve.}\n    responses:")
    (message,) = problems_of(write_items(three))
    assert message.endswith("a matching item needs at least as many responses as premises (1 < 3); add responses")


def test_ordering_needs_three_steps(write_items):
    text = """
    items:
      - id: o1
        type: ordering
        objective: "mini:1.2"
        stem: Put these in order.
        difficulty: easy
        explanation: Order.
        source: Notes
        steps:
          - {text: First, why: Starts.}
          - {text: Second, why: Ends.}
    """
    (message,) = problems_of(write_items(text))
    assert message.endswith("items.yaml:2: item 'o1': an ordering item needs at least three steps, found 2; "
                            "add steps")


def test_short_needs_an_answer(write_items):
    text = """
    items:
      - id: s1
        type: short
        objective: "mini:1.1"
        stem: Name it.
        difficulty: easy
        explanation: It.
        source: Notes
        answers: []
    """
    (message,) = problems_of(write_items(text))
    assert message.endswith("items.yaml:9: item 's1': 'answers' needs at least 1 entry; add them")


def test_empty_text_duplicate_options_and_unsafe_ids(write_items):
    text = (GOOD_SINGLE.replace("stem: Which term names the units of text a model reads?", 'stem: "  "')
            .replace("id: q1", "id: ../Q 1"))
    messages = problems_of(write_items(text))
    assert any(m.endswith("items.yaml:2: item '../Q 1': 'id' '../Q 1' is not a safe id; use lowercase letters, "
                          "digits and single '-', '_' or '.' between them") for m in messages)
    assert any(m.endswith("items.yaml:5: item '../Q 1': 'stem' is empty; write the text") for m in messages)
    dup = GOOD_SINGLE.replace("text: Chunks", "text: tokens")
    (message,) = problems_of(write_items(dup))
    assert message.endswith("items.yaml:2: item 'q1': duplicate option 'tokens'; make every option different")


def test_every_problem_is_reported_at_once(write_items):
    text = GOOD_SINGLE + GOOD_SINGLE.replace("items:\n", "").replace("q1", "q2").replace("explanation:", "explain:")
    text = text.replace('"mini:1.1"', '"mini:7"', 1)
    messages = problems_of(write_items(text))
    assert len(messages) == 3  # unknown objective in q1; missing + unknown field in q2
    assert [m.split(": ", 1)[0].rsplit(":", 1)[1] for m in messages] == ["2", "15", "20"]


def test_file_that_is_not_utf8(write_items):
    folder = write_items("items: []\n")
    (folder / "items.yaml").write_bytes("items: []\n# caf\xe9\n".encode("latin-1"))
    (message,) = problems_of(folder)
    assert message.endswith("items.yaml:2: the file is not UTF-8 (byte 0xe9 at offset 15); "
                            "re-save it with UTF-8 encoding")


def test_alias_bomb_is_refused_quickly(write_items):
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for n in "bcdefghi":
        prev = chr(ord(n) - 1)
        lines.append(f"{n}: &{n} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]")
    lines.append("items: *i")
    folder = write_items("\n".join(lines) + "\n")
    started = time.perf_counter()
    (message,) = problems_of(folder)
    assert time.perf_counter() - started < 5  # a guard against hanging, not a speed target
    assert "expands to more than 250,000 nodes through aliases" in message


def test_unknown_top_level_key_and_missing_path(write_items, tmp_path):
    folder = write_items("itemz: []\n")
    (message,) = problems_of(folder)
    assert message.endswith("items.yaml:1: unknown top-level key 'itemz'; use 'exam', 'cases' or 'items'")
    (message,) = problems_of(tmp_path / "nowhere")
    assert message.endswith("nowhere: no such file or folder; check the path")


def test_case_study_needs_two_items(write_items):
    text = GOOD_SINGLE.replace("items:", "cases:\n  - {id: c1, title: Shop, scenario: A shop.}\nitems:")
    text = text.replace("    difficulty: easy", "    case: c1\n    difficulty: easy")
    (message,) = problems_of(write_items(text))
    assert message.endswith("items.yaml:2: case 'c1': has 1 item(s); a case study needs at least 2, "
                            "so add items with 'case: c1'")


def test_unknown_tag_enemy_and_case(write_items):
    text = GOOD_SINGLE.replace("    difficulty: easy", "    difficulty: easy\n    tags: [tokenz]\n"
                               "    enemies: [q9]\n    case: nocase")
    messages = problems_of(write_items(text))
    assert [m.split("item 'q1': ")[1] for m in messages] == [
        "unknown case 'nocase'; define it under 'cases:' or fix the id",
        "unknown concept tag 'tokenz'; declare it under exam.concepts or fix the tag",
        "unknown enemy 'q9'; name an item id of this bank",
    ]


def test_one_exam_definition_per_bank(write_items, tmp_path):
    folder = write_items(GOOD_SINGLE)
    (message,) = problems_of(folder / "items.yaml")
    assert message.endswith("items.yaml: no exam definition found; add a file with 'exam:' (id, title, "
                            "objectives) to the bank")
    (folder / "second.yaml").write_text((MINI_BANK / "exam.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (message,) = problems_of(folder)
    assert "second.yaml:2: a second exam definition (the first is in" in message
    assert message.endswith("exam.yaml); load one exam's bank at a time")
