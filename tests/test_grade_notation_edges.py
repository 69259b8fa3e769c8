"""Reading typed answers at the edges: the notes a teacher reads, and cells that read two ways.

Every flag's note is what the review list shows a teacher, so notes are asserted whole. Form A of
the grading fixture (see test_grade_notation.py): 1 single (A Tokens*, B Chunks, C Vectors,
D Prompts), 2 multiple (A-E, key A,C), 3 ordering (A Fine-tuning, B Data selection,
C Pre-training, D Evaluation; key B,C,A,D), 4 matching (key 1-B;2-A;3-D), 5 short (chunking | chunks).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from examkit.fileio import read_examset
from examkit.grade.key import ItemKey
from examkit.grade.notation import (
    AMBIGUOUS,
    ANSWER,
    BLANK,
    REVIEW,
    UNREADABLE,
    Reading,
    notation,
    parse_rank,
    read_answer,
)
from examkit.models import FormItem, PrintedOption, PrintedStep

EXAMSET = Path(__file__).parent / "fixtures" / "grade" / "examset.json"
LETTERS = "ABCDEFGH"


@pytest.fixture(scope="module")
def form_a() -> dict[int, ItemKey]:
    return {item.position: ItemKey("A", item) for item in read_examset(EXAMSET).form("A").items}


def _item(type_: str, **fields) -> ItemKey:
    item = FormItem(position=1, item_id="x", type=type_, objective="mini:1.1", stem="Which?", difficulty="easy",
                    explanation="E.", source="S", **fields)
    return ItemKey("A", item)


def choice_key(texts: list[str], correct: list[int], type_: str = "single") -> ItemKey:
    options = [PrintedOption(letter=LETTERS[i], text=t, correct=i in correct) for i, t in enumerate(texts)]
    return _item(type_, options=options, key=",".join(LETTERS[i] for i in correct))


def short_key(answers: list[str]) -> ItemKey:
    return _item("short", answers=answers, key=" | ".join(answers))


def numeric_key(number: float) -> ItemKey:
    return _item("numeric", number=number, key=f"{number:g}")


def read(key: ItemKey, cell) -> tuple[str, str, Reading]:
    reading = read_answer(key, cell)
    return reading.status, notation(key, reading), reading


# --------------------------------------------------------------------------- single and multiple


BLOOD = ["A", "B", "AB", "O"]  # option texts that are letters themselves


def test_a_cell_that_is_both_letters_and_an_options_text_is_flagged():
    key = choice_key(BLOOD, correct=[2])
    for cell in ("AB", "ab"):
        status, answer, reading = read(key, cell)
        assert (status, answer, reading.method) == (AMBIGUOUS, "", "letter")
        assert reading.note == 'reads as letters A,B and as the text of option C "AB"'
    # The letter A and the text "A" agree: no doubt.
    assert read(key, "A")[:2] == (ANSWER, "A")
    # "O" is no option letter, but it is option D's text.
    status, answer, reading = read(key, "O")
    assert (status, answer, reading.method) == (ANSWER, "D", "text")


def test_two_options_with_the_same_text_cannot_be_told_apart():
    key = choice_key(["The model", "A model", "Tokens", "Chunks"], correct=[2])
    status, _, reading = read(key, "model")
    assert (status, reading.method, reading.note) == (AMBIGUOUS, "text", "the text is that of options A, B")


def test_an_option_text_starting_like_a_label_is_read_as_that_text():
    key = choice_key(["B. F. Skinner", "Jean Piaget", "Lev Vygotsky", "Carl Rogers"], correct=[0])
    for cell in ("B. F. Skinner", "b. f. skinner"):
        status, answer, reading = read(key, cell)
        assert (status, answer, reading.method) == (ANSWER, "A", "text")
    status, answer, reading = read(key, "B) Jean Piaget")
    assert (status, answer, reading.method) == (ANSWER, "B", "letter and text")
    # A label whose text matches nothing is read by its letter alone.
    status, answer, reading = read(key, "C) somebody else entirely")
    assert (status, answer, reading.method) == (ANSWER, "C", "letter")


def test_a_label_outside_the_options_is_not_read_as_a_label(form_a):
    # "F)" labels no option: the cell is a typed text, one letter away from "Tokens".
    status, answer, reading = read(form_a[1], "F) Tokens")
    assert (status, answer, reading.method) == (ANSWER, "A", "fuzzy 86")


def test_letters_out_of_range_are_named_once_each(form_a):
    status, _, reading = read(form_a[2], "F, G, F")
    assert (status, reading.method, reading.note) == (UNREADABLE, "letter", "F, G are not option letters (A-E)")
    status, _, reading = read(form_a[2], "A, F")
    assert reading.note == "F is not an option letter (A-E)"


def test_flag_notes_quote_the_cell_shortened_to_40_characters(form_a):
    text = "Tokens and a very long sentence that goes on and on"
    status, _, reading = read(form_a[1], text)
    assert (status, reading.method) == (UNREADABLE, "no match")
    assert reading.note == '"Tokens and a very long sentence that ..." matches no option'
    forty = "Tokenizer" + "s" * 31
    assert read(form_a[1], forty)[2].note == f'"{forty}" matches no option'


def test_a_near_miss_names_the_closest_option_with_its_score(form_a):
    status, _, reading = read(form_a[1], "Vect")
    assert (status, reading.method) == (UNREADABLE, "fuzzy 73")
    assert reading.note == '"Vect" matches no option well enough; closest is C "Vectors" (73)'


def test_a_typed_text_equally_close_to_two_options_names_both():
    key = choice_key(["Zero-shot prompting", "One-shot prompting", "Few-shot prompting"], correct=[2])
    status, _, reading = read(key, "shot prompting")
    assert (status, reading.method) == (AMBIGUOUS, "fuzzy 88")
    assert reading.note == 'ambiguous: B "One-shot prompting" (88) or C "Few-shot prompting" (88)'


def test_a_list_of_texts_reports_its_first_unreadable_piece_and_its_weakest_typo(form_a):
    status, _, reading = read(form_a[2], "A token can be a whole word, xyzzy plugh; magic")
    assert (status, reading.method, reading.note) == (UNREADABLE, "text list", '"xyzzy plugh" matches no option')
    status, answer, reading = read(form_a[2], "A token can be a whole wrd; A token can be a single perod")
    assert (status, answer, reading.method) == (ANSWER, "A,C", "fuzzy 98")
    key = choice_key(["Zero-shot prompting", "One-shot prompting", "Few-shot prompting"], correct=[0, 2], type_="multiple")
    status, _, reading = read(key, "Zero-shot prompting; shot prompting")
    assert (status, reading.method) == (AMBIGUOUS, "text list")
    assert reading.note == 'ambiguous: B "One-shot prompting" (88) or C "Few-shot prompting" (88)'


def test_a_single_item_reads_a_list_of_texts_as_one_text(form_a):
    # Only a multiple item splits at commas: on a single item the whole cell is one answer.
    status, _, reading = read(form_a[1], "Tokens, Chunks")
    assert (status, reading.method) == (UNREADABLE, "no match")


def test_grid_cells_of_a_choice_item_are_joined(form_a):
    assert read(form_a[2], ("premises", "A", "-", "C"))[:2] == (ANSWER, "A,C")
    assert read(form_a[1], ("premises", "", "?")) [:2] == (BLANK, "")


# --------------------------------------------------------------------------- matching


def test_matching_flags_name_the_premise(form_a):
    status, _, reading = read(form_a[4], "1-Learn broad patterns; 2-Something nobody wrote down")
    assert (status, reading.method) == (UNREADABLE, "no match")
    assert reading.note == 'premise 1: "Learn broad patterns" matches no response'
    status, _, reading = read(form_a[4], "Learn broad patterns from large general-purpose data")
    assert reading.note == ('"Learn broad patterns from large general-purpose data" is not a premise-answer pair '
                            "such as 1-C")
    status, _, reading = read(form_a[4], ("premises", "B", "Something nobody wrote down", ""))
    assert (status, reading.note) == (UNREADABLE, 'premise 2: "Something nobody wrote down" matches no response')


def test_matching_letters_alone_need_one_per_premise(form_a):
    assert read(form_a[4], "B A D")[:2] == (ANSWER, "1-B;2-A;3-D")
    status, _, reading = read(form_a[4], "B A")
    assert status == UNREADABLE and reading.note == '"B A" is not a premise-answer pair such as 1-C'


def test_matching_methods_combine_to_the_weakest(form_a):
    cell = "1-B; 2-Update the weigths with a smaller task-specific dataset; 3-Integrate the model into production systems"
    status, answer, reading = read(form_a[4], cell)
    assert (status, answer, reading.method) == (ANSWER, "1-B;2-A;3-D", "fuzzy 98")
    status, answer, reading = read(form_a[4], "1-B; 3-Integrate the model into production systems")
    assert (status, answer, reading.method) == (ANSWER, "1-B;3-D", "text")
    assert read(form_a[4], ("premises", "B", "A", "D"))[2].method == "letter"


# --------------------------------------------------------------------------- ordering


def test_ordering_positions_given_twice_are_flagged(form_a):
    status, _, reading = read(form_a[3], "1-B 2-C 2-A 4-D")
    assert (status, reading.method, reading.note) == (AMBIGUOUS, "letter", "two steps are given the same position")
    assert read(form_a[3], "4-D 3-A 1-B 2-C")[:2] == (ANSWER, "B,C,A,D")


def test_ordering_steps_by_text_and_the_weakest_method(form_a):
    status, answer, reading = read(form_a[3], "Data selection -> Pre-training -> Fine-tunin -> Evaluation")
    assert (status, answer, reading.method) == (ANSWER, "B,C,A,D", "fuzzy 95")
    status, answer, reading = read(form_a[3], "Data selection; C; Fine-tuning; D")
    assert (status, answer, reading.method) == (ANSWER, "B,C,A,D", "text")
    status, _, reading = read(form_a[3], "Data selection; Deployment; Fine-tuning")
    assert (status, reading.note) == (UNREADABLE, '"Deployment" matches no step')
    status, _, reading = read(form_a[3], "Data selection; F")
    assert (status, reading.note) == (UNREADABLE, "F is not a step letter (A-D)")


def test_ordering_ranks_per_step(form_a):
    status, _, reading = read(form_a[3], ("rank-of-step", "3", "first", "later", "4"))
    assert (status, reading.method, reading.note) == (UNREADABLE, "rank", 'step C: "later" is not a position')
    status, answer, reading = read(form_a[3], ("rank-of-step", "3", "1", "", "4"))
    assert (status, answer, reading.method) == (ANSWER, "B,A,D", "rank")
    status, answer, reading = read(form_a[3], ("step-at-rank", "B", "", "Pre-training", "A"))
    assert (status, answer, reading.method) == (ANSWER, "B,C,A", "text")


def test_a_run_of_capitals_as_long_as_the_steps_is_a_slip_not_a_word(form_a):
    status, _, reading = read(form_a[3], "B-C-A-F")
    assert (status, reading.note) == (UNREADABLE, "F is not a step letter (A-D)")
    status, _, reading = read(form_a[3], "EFGH")
    assert reading.note == "E, F, G, H are not step letters (A-D)"


# --------------------------------------------------------------------------- short and numeric


def test_short_answers_that_are_numbers_are_compared_as_numbers():
    key = short_key(["80%"])
    for cell in ("0.8", "80 %", "80.0%"):
        status, answer, reading = read(key, cell)
        assert (status, answer, reading.method) == (ANSWER, "80%", "number")
    status, answer, reading = read(key, "80")
    assert (status, answer, reading.value) == (ANSWER, "80", (None, "80"))
    status, answer, reading = read(key, "about  80 or 90")
    assert (status, answer, reading.method) == (REVIEW, "about 80 or 90", "number")
    assert reading.note == "it reads as 80 or 90; check it"
    # No number at all: the text is compared with the accepted answer as text.
    assert read(key, "eighty")[2] == Reading(ANSWER, (None, "eighty"), "no match")


def test_short_answers_by_text(form_a):
    key = form_a[5]
    status, answer, reading = read(key, "chunk it")
    assert (status, answer, reading.method) == (REVIEW, "chunk it", "fuzzy 75")
    assert reading.note == 'close to accepted answer "chunking" (75, threshold 85); check it'
    assert read(key, "Chunkin")[:3] == (ANSWER, "chunking", Reading(ANSWER, (0, "Chunkin"), "fuzzy 93"))
    assert read(key, "!!!")[2] == Reading(ANSWER, (None, "!!!"), "no match")
    assert read(key, " Chunks   ")[2] == Reading(ANSWER, (1, "Chunks"), "exact")


def test_two_accepted_answers_alike_still_read_as_exact():
    key = short_key(["The chunks", "chunks"])
    assert read(key, "chunks")[2] == Reading(ANSWER, (0, "chunks"), "exact")
    key = short_key(["chunking", "chunkings"])
    status, _, reading = read(key, "chunkingz")
    assert status == ANSWER and reading.method.startswith("fuzzy ")
    assert reading == Reading(ANSWER, (0, "chunkingz"), "fuzzy 94")  # the nearer one, not flagged as a tie


def test_numeric_answers():
    key = numeric_key(2.5)
    assert read(key, "2,5")[:3] == (ANSWER, "2.5", Reading(ANSWER, 2.5, "number"))
    status, answer, reading = read(key, "1 or 2")
    assert (status, answer, reading.method) == (REVIEW, "", "number")
    assert reading.note == "cannot read one number: it reads as 1 or 2; check it"
    assert read(key, "two")[2].note == "cannot read one number: no number in it; check it"


# --------------------------------------------------------------------------- each pattern part


@pytest.mark.parametrize("cell", [
    "  Choices: A, C", "answers A C", "letter = a and c",    # _ANSWER_WORD: blanks, word, : or =
    "A+C", "A|C", "A.C", "A:C", "a\tc", "A & C", "c/a",       # _LETTER_SEPARATORS
    "{A}{C}", "[A] [C]", "(a) (c)",                           # _BRACKETS
])
def test_letter_notation_parts(form_a, cell):
    assert read(form_a[2], cell)[:3] == (ANSWER, "A,C", read(form_a[2], "A,C")[2])


def test_a_word_announcing_a_run_of_letters(form_a):
    # "Answer: AC" once matched no option: the run of letters was only read without the word.
    assert read(form_a[2], "Answer: AC")[:2] == read(form_a[2], "letters=ac")[:2] == (ANSWER, "A,C")
    assert read(form_a[3], "Answer BCAD")[:2] == (ANSWER, "B,C,A,D")
    assert read(form_a[4], "answers: bad")[:2] == (ANSWER, "1-B;2-A;3-D")
    assert read(form_a[1], "Answer")[0] == UNREADABLE


@pytest.mark.parametrize("cell", ["B) Chunks", "B)Chunks", "[B] Chunks", "(B) Chunks", "b: chunks", "B. Chunks",
                                  "B - Chunks", "B \u2013 Chunks", "B \u2014 Chunks", "  B )  Chunks  "])
def test_labelled_option_parts(form_a, cell):
    status, answer, reading = read(form_a[1], cell)
    assert (status, answer, reading.method) == (ANSWER, "B", "letter and text")


@pytest.mark.parametrize("cell", ["B-Chunks", "(B Chunks"])
def test_a_label_needs_its_closing_mark_or_a_spaced_dash(form_a, cell):
    # Read as a typed text one letter away from "Chunks", not as the label B.
    status, answer, reading = read(form_a[1], cell)
    assert (status, answer, reading.method) == (ANSWER, "B", "fuzzy 86")


@pytest.mark.parametrize("cell", ["1.B 2.A 3.D", "1>B 2>A 3>D", "1\u2013B 2\u2013A 3\u2013D", "1=>B,2=>A,3=>D",
                                  "1\u2192B 2\u2192A 3\u2192D", "1-B/2-A/3-D", "1-B|2-A|3-D", "1:B;2:A;3:D",
                                  "1 B, 2 A, 3 D", " 1)B\t2)A\n3)D "])
def test_pair_arrows_and_separators(form_a, cell):
    assert read(form_a[4], cell)[:3] == (ANSWER, "1-B;2-A;3-D", Reading(ANSWER, ((1, "B"), (2, "A"), (3, "D")), "letter"))


@pytest.mark.parametrize("cell", ["B/C/A/D", "B|C|A|D", "B.C.A.D", "B=>C=>A=>D", "B\u2013C\u2013A\u2013D", "B ; C ; A ; D",
                                  "B>C>A>D", "B->C->A->D", "b, c, a, d"])
def test_step_letter_separators(form_a, cell):
    assert read(form_a[3], cell)[2] == Reading(ANSWER, ("B", "C", "A", "D"), "letter")


@pytest.mark.parametrize("joiner", [" => ", " -> ", "\u2192", " > ", "\t", "\n", "|", ";"])
def test_step_text_separators(form_a, joiner):
    cell = joiner.join(["Data selection", "Pre-training", "Fine-tuning", "Evaluation"])
    assert read(form_a[3], cell)[2] == Reading(ANSWER, ("B", "C", "A", "D"), "text")


@pytest.mark.parametrize(("cell", "rank"), [
    ("1er", 1), ("Rank 2", 2), ("Step 3", 3), ("n\u00b0 4", 4), ("no 2", 2), ("No.2", 2), ("#1st", 1),
    ("  third  ", 3), ("THIRD", 3), ("position3", 3), ("2 nd", 2), ("4th", 4), ("tenth", 10), (" 7 ", 7),
    ("2x", None), ("eleventh", None), ("first step", None), ("1 2", None),
])
def test_ordinal_parts(cell, rank):
    assert parse_rank(cell) == rank


# --------------------------------------------------------------------------- separators alone


@pytest.mark.parametrize(("position", "cell"), [(2, ";"), (2, "; ;"), (2, "|"), (3, "->"), (3, ";;;"), (3, ","),
                                                (4, ";"), (4, "|;|")])
def test_separators_alone_are_a_blank_not_a_wrong_answer(form_a, position, cell):
    # Once read as an empty answer: "wrong", and with negative marking it cost points never risked.
    from examkit.grade.score import ItemGrader, Rules

    key = form_a[position]
    assert read(key, cell)[:2] == (BLANK, "")
    outcome = ItemGrader(key, Rules(partial=frozenset({"multiple"}), negative=0.25))(cell)
    assert (outcome.result, outcome.points) == ("blank", 0)


# --------------------------------------------------------------------------- option texts holding commas


COMMAS = ["Red, green and blue", "Cyan", "Magenta", "Yellow, black"]


@pytest.mark.parametrize(("cell", "answer"), [
    ("Cyan; Magenta", "B,C"),                               # one piece per chunk
    ("Cyan, Magenta, Red, green and blue", "A,B,C"),         # the commas of an option's text come last
    ("Red, green and blue, Cyan, Magenta", "A,B,C"),
    ("Magenta, Yellow, black, Cyan", "B,C,D"),
    ("Yellow, black; Red, green and blue", "A,D"),
])
def test_option_texts_holding_commas_are_kept_whole_and_read_exactly(cell, answer):
    key = choice_key(COMMAS, correct=[0, 3], type_="multiple")
    assert read(key, cell)[:3] == (ANSWER, answer, Reading(ANSWER, frozenset(answer.split(",")), "text"))


# --------------------------------------------------------------------------- grids and combined methods


def test_grid_flags_name_the_premise_and_keep_how_it_was_read(form_a):
    near = read_answer(form_a[4], ("premises", "Learn broad patterns from data", "A"))
    assert near == Reading(UNREADABLE, method="fuzzy 73", note=(
        'premise 1: "Learn broad patterns from data" matches no response well enough; '
        'closest is B "Learn broad patterns from large gener..." (73)'))
    assert read_answer(form_a[4], "1-Learn broad patterns from data; 2-A") == near
    missed = read_answer(form_a[4], ("premises", "B", "Something nobody wrote down", ""))
    assert missed == Reading(UNREADABLE, method="no match",
                             note='premise 2: "Something nobody wrote down" matches no response')


def test_a_blank_grid_cell_skips_its_premise_or_step_only(form_a):
    assert read(form_a[4], ("premises", "", "A", "D"))[:2] == (ANSWER, "2-A;3-D")
    assert read(form_a[3], ("step-at-rank", "", "B", "", "C"))[:2] == (ANSWER, "B,C")
    assert read(form_a[3], ("rank-of-step", "", "1", "2", ""))[:2] == (ANSWER, "B,C")


def test_a_position_given_twice_in_a_rank_grid_is_flagged(form_a):
    assert read_answer(form_a[3], ("rank-of-step", "1", "1", "", "")) == Reading(
        AMBIGUOUS, method="rank", note="two steps are given the same position")


def test_several_typos_in_one_cell_report_the_weakest(form_a):
    cell = "1-Learn brod patterns from large general-purpose data; 2-Update the weigths with a smaller tsk-specific dataset"
    assert read(form_a[4], cell)[2] == Reading(ANSWER, ((1, "B"), (2, "A")), "fuzzy 97")
    assert read(form_a[3], ("step-at-rank", "B", "Pretraning", "Fine-tunin"))[2] == Reading(
        ANSWER, ("B", "C", "A"), "fuzzy 91")


SEASONING = ["Salt, pepper", "Salt", "Peppers", "Sugar"]


@pytest.mark.parametrize(("cell", "answer", "method"), [
    ("Sugar, Salt, pepper", "A,D", "text"),     # "Salt, pepper" is typed exactly as A: not B and a typo of C
    ("Salt, pepper, Sugar", "A,D", "text"),
    ("Salt, Peppers", "B,C", "text"),           # both pieces exact: B and C
    ("Sugar; Salt, pepper", "A,D", "text"),
    ("Sugr, Salt, pepper", "A,D", "fuzzy 89"),
    ("Sugar, Salt, peper", "A,D", "fuzzy 95"),  # one piece close to A beats "Salt" exact and "peper" unread
    ("Salt, pepper, Peppers", "A,C", "text"),
    ("Sugar, Salts, Pepers", "B,C,D", "fuzzy 89"),  # no exact piece: two close options beat one
    ("Sugar, Slt, pepers", "B,C,D", "fuzzy 86"),
    ("Sugar, Salts, pepperr", "B,C,D", "fuzzy 86"),
])
def test_a_text_typed_exactly_as_an_option_wins_over_its_pieces(cell, answer, method):
    key = choice_key(SEASONING, correct=[0, 3], type_="multiple")
    assert read(key, cell)[2] == Reading(ANSWER, frozenset(answer.split(",")), method)


@pytest.mark.parametrize(("cell", "note"), [
    ("Purple, Orange", '"Purple, Orange" matches no option'),   # fewest pieces when none matches
    ("Purple, Orange, Brown", '"Purple" matches no option'),
    ("Cyan, Purple", '"Purple" matches no option'),
    ("Red, green and blue, x", '"x" matches no option'),        # a stray piece is not absorbed by an option
])
def test_unmatched_pieces_are_quoted_as_typed(cell, note):
    key = choice_key(COMMAS, correct=[0, 3], type_="multiple")
    assert read_answer(key, cell) == Reading(UNREADABLE, method="text list", note=note)


def test_typos_inside_option_texts_holding_commas():
    key = choice_key(COMMAS, correct=[0, 3], type_="multiple")
    assert read(key, "Red, green and blu, Cyan")[2] == Reading(ANSWER, frozenset("AB"), "fuzzy 97")
    assert read(key, "Red, gren and blue, Yelow, black")[2] == Reading(ANSWER, frozenset("AD"), "fuzzy 96")
    assert read(key, "Cyn, Magnta")[2] == Reading(ANSWER, frozenset("BC"), "fuzzy 86")
    # An empty piece between two commas is no answer of its own.
    assert read(key, "Red, green and blue, , Yellow, black")[2] == Reading(ANSWER, frozenset("AD"), "text")
    assert read(key, "Cyan, Red, green and blue, Magenta")[2] == Reading(ANSWER, frozenset("ABC"), "text")


# --------------------------------------------------------------------------- how each reading was made


@pytest.mark.parametrize("cell", ["A - C", "a \u2013 c", " A  -  C "])
def test_a_label_followed_by_a_lone_letter_is_flagged_not_read_as_the_label(form_a, cell):
    # "A - C" once read as A alone (a label "A -" and a text "C"), silently dropping C.
    for key in (form_a[1], form_a[2]):
        assert read_answer(key, cell) == Reading(AMBIGUOUS, method="letter", note="reads as letter A or as letters A and C")
    # Brackets around letters are no label: "(A) C" is the letters A and C.
    assert read(form_a[2], "(A) C")[:2] == (ANSWER, "A,C")
    # A label with a word that matches no option is read by its letter.
    assert read_answer(form_a[1], "C) Embeddings") == Reading(ANSWER, frozenset("C"), "letter")


def test_a_multiple_item_flags_a_lone_unknown_text_as_such(form_a):
    assert read_answer(form_a[2], "Tokens are magic") == Reading(
        UNREADABLE, method="no match", note='"Tokens are magic" matches no option')


def test_letters_in_a_one_letter_grid_cell(form_a):
    assert read(form_a[2], ("premises", "A", "", ""))[2] == Reading(ANSWER, frozenset("A"), "letter")


def test_a_lone_dash_between_letters_is_no_separator_of_options(form_a):
    # "A-C" may mean A to C: neither A and C nor A alone is safe to score.
    assert read_answer(form_a[2], "A-C") == Reading(UNREADABLE, method="no match", note='"A-C" matches no option')


def test_a_flagged_note_quotes_41_characters_shortened(form_a):
    cell = "x" * 41
    assert read_answer(form_a[1], cell).note == f'"{"x" * 37}..." matches no option'


def test_methods_of_letter_and_pair_readings(form_a):
    assert read(form_a[4], "BAD")[2] == Reading(ANSWER, ((1, "B"), (2, "A"), (3, "D")), "letter")
    assert read(form_a[3], "4-D 3-A 1-B 2-C")[2] == Reading(ANSWER, ("B", "C", "A", "D"), "letter")
    assert read_answer(form_a[4], "4-A") == Reading(UNREADABLE, method="letter", note="premise 4 does not exist (1-3)")
    assert read_answer(form_a[4], "1-B 1-C") == Reading(AMBIGUOUS, method="letter",
                                                        note="premise 1 is answered both B and C")
    assert read_answer(form_a[4], "Learn broad patterns") == Reading(
        UNREADABLE, method="no match", note='"Learn broad patterns" is not a premise-answer pair such as 1-C')


@pytest.mark.parametrize("cell", ["Data", "bcae", "Eval"])
def test_a_four_letter_word_on_a_four_step_item_is_a_text_not_a_slip(form_a, cell):
    # Only capitals (BCAE) are step letters with a slip; a word is matched as a step's text.
    assert read_answer(form_a[3], cell) == Reading(UNREADABLE, method="no match", note=f'"{cell}" matches no step')


def test_a_number_short_answer_keeps_the_cell_with_its_blanks_tidied():
    assert read_answer(short_key(["80%"]), " 80  % ") == Reading(ANSWER, (0, "80 %"), "number")


def test_a_short_answer_close_to_two_accepted_answers_is_right():
    # "analye" is as close to "analyse" as to "analyze" (92 both): both are right, so it is read.
    key = short_key(["analyse", "analyze"])
    assert key.answer_matcher.match("analye").kind == "ambiguous"
    assert read_answer(key, "analye") == Reading(ANSWER, (0, "analye"), "fuzzy 92")


def test_a_typo_in_a_long_text_rounds_to_100_yet_the_weakest_method_is_reported():
    long = ("Collect every document the assistant may cite, remove duplicates and personal data, then split "
            "each one into passages of a few hundred tokens")
    steps = [PrintedStep(letter="A", text=long, why="w", rank=1),
             PrintedStep(letter="B", text="Embed the passages", why="w", rank=2),
             PrintedStep(letter="C", text="Evaluate the answers", why="w", rank=3)]
    key = _item("ordering", steps=steps, key="A,B,C")
    typo = long.replace("duplicates", "duplicate")
    assert read_answer(key, f"{typo}; Embed the passages; Evaluate the answers").method == "fuzzy 100"
    assert read_answer(key, f"{typo}; Embed the pasages; Evaluate the answers") == Reading(
        ANSWER, ("A", "B", "C"), "fuzzy 96")


def test_a_letter_contradicting_its_text_is_flagged_with_how_it_was_read(form_a):
    assert read_answer(form_a[1], "B) Tokens") == Reading(
        AMBIGUOUS, method="letter and text", note='the letter says B but the text is option A "Tokens"')
