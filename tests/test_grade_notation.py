"""Reading answer cells: every notation of the issue and its human variants, texts, typos, flags.

The exam set is the hand-written fixture (tests/fixtures/grade/examset.json). Form A prints:
  1 tok-single   A Tokens* B Chunks C Vectors D Prompts
  2 tok-multiple A whole word* B always one sentence C single period* D image file E GPU type
  3 life-order   A Fine-tuning B Data selection C Pre-training D Evaluation; key B,C,A,D
  4 life-match   premises 1 Pre-training 2 Fine-tuning 3 Deployment; key 1-B;2-A;3-D
  5 tok-short    chunking | chunks
  6 shop-one     A The context B The output indicator* C The input data D The instructions
"""

from __future__ import annotations

from pathlib import Path

import pytest

from examkit.fileio import read_examset
from examkit.grade.key import ItemKey
from examkit.grade.match import TextMatcher, normalise
from examkit.grade.notation import (
    AMBIGUOUS,
    ANSWER,
    BLANK,
    REVIEW,
    UNREADABLE,
    notation,
    parse_rank,
    read_answer,
)

EXAMSET = Path(__file__).parent / "fixtures" / "grade" / "examset.json"


@pytest.fixture(scope="module")
def form_a() -> dict[int, ItemKey]:
    examset = read_examset(EXAMSET)
    return {item.position: ItemKey("A", item) for item in examset.form("A").items}


def read(key: ItemKey, cell):
    reading = read_answer(key, cell)
    return reading.status, notation(key, reading), reading


@pytest.mark.parametrize("cell", ["b", "(B)", "B)", "b.", " B ", "[b]", "Option B", "answer: b"])
def test_single_letter_variants(form_a, cell):
    status, answer, reading = read(form_a[1], cell)
    assert (status, answer, reading.method) == (ANSWER, "B", "letter")


@pytest.mark.parametrize("cell, expected, method", [
    ("Tokens", "A", "text"),
    ("  tokens. ", "A", "text"),
    ("TOKENS", "A", "text"),
    ("Tokns", "A", "fuzzy 91"),
    ("output indicator", None, None),  # not an option of item 1: checked below on item 6
])
def test_single_option_text_and_typos(form_a, cell, expected, method):
    status, answer, reading = read(form_a[1], cell)
    if expected is None:
        assert status == UNREADABLE and "matches no option" in reading.note
    else:
        assert (status, answer, reading.method) == (ANSWER, expected, method)


def test_option_text_without_article_and_with_typo(form_a):
    assert read(form_a[6], "output indicator")[:2] == (ANSWER, "B")
    status, answer, reading = read(form_a[6], "The outptu indicator")
    assert (status, answer) == (ANSWER, "B") and reading.method.startswith("fuzzy ")


def test_letter_with_its_text_must_agree(form_a):
    status, answer, reading = read(form_a[1], "A) Tokens")
    assert (status, answer, reading.method) == (ANSWER, "A", "letter and text")
    status, _, reading = read(form_a[1], "B) Tokens")
    assert status == AMBIGUOUS
    assert "the letter says B but the text is option A" in reading.note


def test_letter_outside_the_options_is_flagged_not_guessed(form_a):
    status, answer, reading = read(form_a[1], "E")
    assert (status, answer) == (UNREADABLE, "")
    assert reading.note == "E is not an option letter (A-D)"


@pytest.mark.parametrize("cell", ["", "   ", "-", "??", "--", "\u2014"])
def test_blank_marks(form_a, cell):
    for key in form_a.values():
        assert read_answer(key, cell).status == BLANK


def test_a_lone_question_mark_is_flagged_for_review_not_blank(form_a):
    """`examkit scan` writes ? where a person must look; graded as blank it would cost points silently."""
    for key in form_a.values():
        reading = read_answer(key, " ? ")
        assert reading.flagged and reading.status == REVIEW and "person" in reading.note


def test_two_letters_on_a_single_item_are_a_wrong_answer_not_a_flag(form_a):
    status, answer, _ = read(form_a[1], "AB")
    assert (status, answer) == (ANSWER, "A,B")


@pytest.mark.parametrize("cell", ["A,C", "a c", "C, A", "AC", "A;C", "A and C", "(A)(C)", "c / a", "A & C"])
def test_multiple_letter_variants(form_a, cell):
    status, answer, reading = read(form_a[2], cell)
    assert (status, answer, reading.method) == (ANSWER, "A,C", "letter")


@pytest.mark.parametrize("cell, method", [
    ("A token can be a whole word, A token can be a single period", "text"),          # Google Forms
    ("A token can be a whole word;A token can be a single period;", "text"),          # Microsoft Forms
    ("a token can be a single period\na token can be a whole word", "text"),
    ("A token can be a whole wrd, A token can be a singel period", "fuzzy 96"),
])
def test_multiple_option_texts(form_a, cell, method):
    status, answer, reading = read(form_a[2], cell)
    assert (status, answer, reading.method) == (ANSWER, "A,C", method)


def test_multiple_with_an_unknown_text_is_flagged(form_a):
    status, _, reading = read(form_a[2], "A token can be a whole word, Tokens are magic")
    assert status == UNREADABLE
    assert '"Tokens are magic" matches no option' in reading.note


def test_comma_inside_an_option_text_is_not_a_separator():
    # An option whose own text holds ", " must not be cut in two.
    key = _choice_key(["Red, green and blue", "Cyan", "Magenta", "Yellow, black"], correct=[0, 3], multiple=True)
    status, answer, _ = read(key, "Red, green and blue, Yellow, black")
    assert (status, answer) == (ANSWER, "A,D")
    status, answer, _ = read(key, "Cyan, Red, green and blue")
    assert (status, answer) == (ANSWER, "A,B")


@pytest.mark.parametrize("cell", ["1-B; 2-A; 3-D", "1B 2A 3D", "1:b, 2:a, 3:d", "1=B 2=A 3=D", "1) B 2) A 3) D",
                                  "1 -> B, 2 -> A, 3 -> D", "BAD", "B,A,D", "b a d", "3-D;1-B;2-A"])
def test_matching_variants(form_a, cell):
    status, answer, _ = read(form_a[4], cell)
    assert (status, answer) == (ANSWER, "1-B;2-A;3-D")


def test_matching_by_response_texts(form_a):
    cell = ("1-Learn broad patterns from large general-purpose data; 2-Update the weights with a smaller "
            "task-specific dataset; 3-Integrate the model into production systems")
    status, answer, reading = read(form_a[4], cell)
    assert (status, answer, reading.method) == (ANSWER, "1-B;2-A;3-D", "text")


def test_matching_partial_answer_and_flags(form_a):
    assert read(form_a[4], "1-B; 2-A")[:2] == (ANSWER, "1-B;2-A")
    status, _, reading = read(form_a[4], "1-B; 1-C")
    assert status == AMBIGUOUS and reading.note == "premise 1 is answered both B and C"
    status, _, reading = read(form_a[4], "4-A")
    assert status == UNREADABLE and reading.note == "premise 4 does not exist (1-3)"
    status, _, reading = read(form_a[4], "1-F")
    assert status == UNREADABLE and "F is not a response letter (A-D)" == reading.note


@pytest.mark.parametrize("cell", ["B,C,A,D", "BCAD", "B > C > A > D", "b-c-a-d", "B C A D", "B\u2192C\u2192A\u2192D",
                                  "1-B 2-C 3-A 4-D", "bcad"])
def test_ordering_letter_variants(form_a, cell):
    status, answer, _ = read(form_a[3], cell)
    assert (status, answer) == (ANSWER, "B,C,A,D")


@pytest.mark.parametrize("cell", [
    "Data selection > Pre-training > Fine-tuning > Evaluation",
    "Data selection;Pre-training;Fine-tuning;Evaluation;",            # Microsoft Forms ranking
    "Data selection, Pre-training, Fine tuning, Evaluation",
    "data selction > pretraining > fine-tuning > evaluation",
])
def test_ordering_by_step_texts(form_a, cell):
    status, answer, _ = read(form_a[3], cell)
    assert (status, answer) == (ANSWER, "B,C,A,D")


def test_ordering_flags(form_a):
    status, _, reading = read(form_a[3], "BCAE")
    assert status == UNREADABLE and reading.note == "E is not a step letter (A-D)"
    assert read(form_a[3], "B,C,A")[:2] == (ANSWER, "B,C,A")  # incomplete: read as given, scored later


@pytest.mark.parametrize("cell, method", [("chunking", "exact"), ("Chunking!", "exact"), ("CHUNKS", "exact"),
                                          ("Chünking", "exact"), ("chunkng", "fuzzy 93"), ("  chunking  ", "exact")])
def test_short_answers(form_a, cell, method):
    status, _, reading = read(form_a[5], cell)
    assert status == ANSWER and reading.method == method and reading.value[0] is not None


def test_short_wrong_answer_and_near_miss(form_a):
    status, answer, reading = read(form_a[5], "embedding")
    assert (status, answer, reading.method) == (ANSWER, "embedding", "no match") and reading.value[0] is None
    status, _, reading = read(form_a[5], "chunk it")
    assert status == REVIEW and "close to accepted answer" in reading.note


def test_grid_cells(form_a):
    # A Google Forms grid: one cell per premise / per step, in printed order.
    cell = ("premises", "Learn broad patterns from large general-purpose data", "A", "")
    assert read(form_a[4], cell)[:2] == (ANSWER, "1-B;2-A")
    assert read(form_a[3], ("rank-of-step", "3rd", "1st", "2", "fourth"))[:2] == (ANSWER, "B,C,A,D")
    assert read(form_a[3], ("step-at-rank", "Data selection", "Pre-training", "Fine-tuning", "Evaluation"))[:2] == (
        ANSWER, "B,C,A,D")
    status, _, reading = read(form_a[3], ("rank-of-step", "1", "1", "2", "3"))
    assert status == AMBIGUOUS


def test_parse_rank():
    assert [parse_rank(t) for t in ("1", "2nd", "#3", "Position 4", "fifth", "x")] == [1, 2, 3, 4, 5, None]


def test_two_equally_close_options_are_ambiguous_never_guessed():
    key = _choice_key(["Zero-shot prompting", "One-shot prompting", "Few-shot prompting", "Chain-of-thought prompting"],
                      correct=[2])
    # "shot prompting" is as close to One-shot as to Few-shot: flag it, do not pick one.
    status, answer, reading = read(key, "shot prompting")
    assert (status, answer) == (AMBIGUOUS, "")
    assert reading.note.startswith("ambiguous: ") and "One-shot" in reading.note and "Few-shot" in reading.note
    # One typo away from one option and far from the rest: read, with its score.
    status, answer, reading = read(key, "Few shot promting")
    assert (status, answer, reading.method) == (ANSWER, "C", "fuzzy 97")
    # Two options that normalise alike can never be told apart by their text.
    match = TextMatcher(["The model", "A model"]).match("model")
    assert match.kind == "ambiguous" and {match.index, match.other} == {0, 1}


@pytest.mark.parametrize("typed, kind", [
    ("0.85", "none"), ("8", "none"), ("800", "none"), ("0.8", "exact"), ("80 pecent", "fuzzy"),
])
def test_a_number_is_never_fuzzy_matched_to_another_number(typed, kind):
    # "0.85" is 86% similar to "0.8" as text; a typo in a number is another answer, not a typo.
    assert TextMatcher(["80%", "0.8", "80 percent"]).match(typed).kind == kind


def test_normalise():
    assert normalise("  The Output-Indicator!! ") == "output indicator"
    assert normalise("Chünking") == "chunking"
    assert normalise("A") == "a"  # an article alone is kept: something was written


def test_exam_key_itself_reads_back_as_correct(form_a):
    for key in form_a.values():
        if key.type != "short":
            reading = read_answer(key, key.item.key)
            assert reading.status == ANSWER and reading.value == key.correct


def _choice_key(texts: list[str], correct: list[int], multiple: bool = False) -> ItemKey:
    from examkit.models import FormItem, PrintedOption

    letters = "ABCDEFGH"
    item = FormItem(position=1, item_id="x", type="multiple" if multiple else "single", objective="mini:1.1",
                    stem="Which?", difficulty="easy", explanation="E.", source="S",
                    options=[PrintedOption(letter=letters[i], text=t, correct=i in correct) for i, t in enumerate(texts)],
                    key=",".join(letters[i] for i in correct))
    return ItemKey("A", item)


# --------------------------------------------------------------------------- properties

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

JOINERS = [",", ", ", " ", ";", "; ", " and ", " / ", ""]


@settings(max_examples=150, deadline=None)
@given(letters=st.lists(st.sampled_from("ABCDE"), min_size=1, max_size=5, unique=True),
       joiner=st.sampled_from(JOINERS), lower=st.booleans(), brackets=st.booleans())
def test_any_set_of_letters_in_any_notation_reads_back(letters, joiner, lower, brackets):
    key = ItemKey("A", read_examset(EXAMSET).form("A").items[1])  # tok-multiple, options A-E
    parts = [f"({x})" if brackets else x for x in letters]
    cell = joiner.join(parts)
    cell = cell.lower() if lower else cell
    reading = read_answer(key, cell)
    assert reading.status == ANSWER and reading.value == frozenset(letters), cell


@settings(max_examples=150, deadline=None)
@given(order=st.permutations("ABCD"), joiner=st.sampled_from([",", ", ", " > ", "-", " ", "", "\u2192", ";"]),
       lower=st.booleans())
def test_any_order_in_any_notation_reads_back(order, joiner, lower):
    key = ItemKey("A", read_examset(EXAMSET).form("A").items[2])  # life-order, steps A-D
    cell = joiner.join(order)
    cell = cell.lower() if lower else cell
    reading = read_answer(key, cell)
    assert reading.status == ANSWER and reading.value == tuple(order), cell


@settings(max_examples=100, deadline=None)
@given(pairs=st.permutations([(1, "B"), (2, "A"), (3, "D")]), style=st.sampled_from(["{n}-{l}", "{n}{l}", "{n}: {l}",
                                                                                        "{n}={l}", "{n}) {l}"]),
       joiner=st.sampled_from(["; ", ", ", " ", ";", "\n"]))
def test_any_matching_notation_reads_back(pairs, style, joiner):
    key = ItemKey("A", read_examset(EXAMSET).form("A").items[3])  # life-match, key 1-B;2-A;3-D
    cell = joiner.join(style.format(n=n, l=letter) for n, letter in pairs)
    reading = read_answer(key, cell)
    assert reading.status == ANSWER and reading.value == key.correct, cell


@settings(max_examples=300, deadline=None)
@given(cell=st.one_of(st.text(max_size=60), st.text(alphabet="ABCDEabcde123 ,;:->()[]/&.", max_size=30)))
def test_any_text_reads_without_error_and_never_scores_a_flag(cell):
    from examkit.grade.score import ItemGrader, Rules

    for item in read_examset(EXAMSET).form("A").items:
        outcome = ItemGrader(ItemKey("A", item), Rules(partial=frozenset({"multiple", "matching", "ordering"})))(cell)
        assert outcome.result in ("correct", "partial", "wrong", "blank", "review")
        assert (outcome.points == 0) if outcome.result in ("blank", "review") else True
        assert bool(outcome.flag) == (outcome.result == "review")


def test_a_lone_letter_out_of_range_in_a_text_pair_or_grid_is_named(form_a):
    status, _, reading = read(form_a[4], "1-F; 2-Update the weights with a smaller task-specific dataset")
    assert (status, reading.note) == (UNREADABLE, "premise 1: F is not a response letter (A-D)")
    status, _, reading = read(form_a[3], ("step-at-rank", "B", "C", "A", "E"))
    assert (status, reading.note) == (UNREADABLE, "E is not a step letter (A-D)")
