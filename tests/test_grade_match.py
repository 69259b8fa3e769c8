"""The limits of fuzzy matching a typed answer: the threshold, the ambiguity margin, the review band.

A teacher relies on three lines being drawn exactly where the module says: a text at the
threshold is read, two candidates exactly one margin apart are told apart, a text at the bottom
of the review band is still shown for review. "electroencephalogram" has 20 letters, so each
mistyped letter of it costs exactly 5 similarity points: 1 typo 95, 3 typos 85, 6 typos 70.
"""

from __future__ import annotations

import pytest

from examkit.grade.match import (
    AMBIGUITY_MARGIN,
    DEFAULT_THRESHOLD,
    NO_MATCH,
    REVIEW_BAND,
    Match,
    TextMatcher,
    describe,
    normalise,
)
from examkit.grade.notation import split_texts

WORD = "electroencephalogram"


def typos(count: int, word: str = WORD) -> str:
    """`word` with `count` letters mistyped as x (at positions 1, 3, 5, ...)."""
    letters = list(word)
    for position in range(1, 2 * count, 2):
        letters[position] = "x"
    return "".join(letters)


def test_the_documented_limits():
    assert (DEFAULT_THRESHOLD, AMBIGUITY_MARGIN, REVIEW_BAND) == (85.0, 5.0, 15.0)
    matcher = TextMatcher([WORD])
    assert (matcher.threshold, matcher.margin, matcher.review_band) == (85.0, 5.0, 15.0)


@pytest.mark.parametrize(("count", "kind"), [
    (2, "fuzzy"), (3, "fuzzy"),   # 90 and 85: at the threshold is close enough
    (4, "near"), (6, "near"),     # 80 and 70: at the bottom of the review band is still shown
    (7, "none"),                  # 65: too far to be worth a look
])
def test_threshold_and_review_band_include_their_limits(count, kind):
    found = TextMatcher([WORD, "Tokens"]).match(typos(count))
    assert (found.kind, found.index, found.score) == (kind, 0, 100.0 - 5 * count)
    assert found.found == (kind == "fuzzy")


def test_a_near_or_missed_match_still_names_both_closest_candidates():
    near = TextMatcher([WORD, "electrocardiogram"]).match(typos(5))
    assert near == Match("near", 0, 75.0, 1, near.other_score) and 0 < near.other_score < 75
    missed = TextMatcher([WORD, "electrocardiogram"]).match(typos(8))
    assert missed == Match("none", 0, 60.0, 1, missed.other_score) and 0 < missed.other_score < 60
    assert describe(missed, ["A", "B"]) == "closest is A (60)"
    assert not missed.found and not near.found


def test_two_candidates_exactly_one_margin_apart_are_told_apart():
    # 95 against 90: the margin is 5 points, and a 5-point lead is clear.
    matcher = TextMatcher([WORD, WORD[:-1] + "s"])
    assert matcher.match(typos(1)) == Match("fuzzy", 0, 95.0, 1, 90.0)
    # Both within the margin: flagged, and the flag names both with their scores.
    within = TextMatcher([WORD, WORD[:-1] + "s"], margin=5.5).match(typos(1))
    assert within == Match("ambiguous", 0, 95.0, 1, 90.0)
    assert describe(within, ["A", "B"]) == "ambiguous: A (95) or B (90)"


def test_an_exact_text_scores_100_and_two_alike_candidates_are_ambiguous_at_100():
    assert TextMatcher(["Tokens", "Chunks"]).match("  TOKENS! ") == Match("exact", 0, 100.0)
    alike = TextMatcher(["The model", "A model", "Tokens"]).match("model")
    assert alike == Match("ambiguous", 0, 100.0, 1, 100.0)
    assert describe(alike, ["A", "B", "C"]) == "ambiguous: A (100) or B (100)"


def test_nothing_to_compare_matches_nothing():
    # Punctuation alone normalises to nothing: it is no candidate, not the closest one.
    assert TextMatcher(["Tokens", "Chunks"]).match("!!!") == NO_MATCH
    assert TextMatcher([]).match("tokens") == NO_MATCH
    assert describe(NO_MATCH, []) == "matches nothing"


def test_a_number_where_no_candidate_states_one_matches_nothing():
    # "Tokens 2" is 86% similar to "Tokens" as text, but it states a number no option does.
    assert TextMatcher(["Tokens", "Chunks"]).match("Tokens 2") == NO_MATCH


def test_a_decimal_comma_states_the_same_number_as_a_decimal_point():
    matcher = TextMatcher(["About 0.8 of them", "About 0.5 of them"])
    found = matcher.match("abut 0,8 of them")
    assert (found.kind, found.index, found.other) == ("fuzzy", 0, None)


def test_swapped_words_are_tried_only_under_the_threshold():
    # 88.6 as typed, above the threshold: the swap would score 100, but the typed score stands.
    typed = TextMatcher(["quick brown fox jumps over the lazy dog"]).match("quick brown fox jumps over the dog lazy")
    assert typed.kind == "fuzzy" and round(typed.score, 1) == 88.6
    # Exactly at a threshold of 80 is not under it either.
    at = TextMatcher(["Fine tune model data"], threshold=80).match("tune fine model data")
    assert at == Match("fuzzy", 0, 80.0)
    # Under it, the swap is taken when it scores higher.
    under = TextMatcher(["Fine tune model data"]).match("tune fine model data")
    assert under == Match("fuzzy", 0, 100.0)


def test_swapped_words_replace_the_typed_scores_only_when_they_beat_the_best():
    # "Split text into" scores 81.1 both ways; "Text split" 43.8 as typed, 62.5 with words sorted.
    # The sorted scores are no better, so the typed scores (second candidate at 43.8) are kept.
    found = TextMatcher(["Split the text into", "Text split"]).match("Split text into tokens")
    assert (found.kind, found.index, round(found.score, 1)) == ("near", 0, 81.1)
    assert (found.other, found.other_score) == (1, 43.75)


def test_an_articles_only_text_keeps_its_words():
    assert normalise("The") == "the"
    assert normalise("an apple") == "apple" and normalise("A_B") == "b"
    assert normalise("Café") == "cafe"


def test_without_candidates_every_comma_separates():
    # No candidate holds a comma, so no comma can belong to one: every piece stands alone.
    assert [text for text, _ in split_texts(TextMatcher([]), "red, green")] == ["red", "green"]
    assert TextMatcher([]).max_commas == 0
    assert TextMatcher(["Red, green, blue", "Cyan, magenta"]).max_commas == 2
