"""Comparing what people type with the texts they meant: normalisation and fuzzy matching.

Matching never guesses. A text matches a candidate when it is equal after normalisation, or
close enough (rapidfuzz similarity at or above the threshold) *and* clearly closer than every
other candidate. When the two best candidates are about equally close the result is
`ambiguous`, and a text just under the threshold is a `near` miss: both are flagged for review
by the callers instead of being scored.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from rapidfuzz import fuzz, process

DEFAULT_THRESHOLD = 85.0
# Two candidates closer than this (in similarity points) are "about equally close".
AMBIGUITY_MARGIN = 5.0
# How far under the threshold a best candidate still earns a look from the teacher.
REVIEW_BAND = 15.0

NON_WORD = re.compile(r"[\W_]+")
NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_ARTICLES = frozenset({"a", "an", "the"})


def normalise(text: str) -> str:
    """Text reduced to what a reader compares: no case, accents, punctuation, articles or extra spaces.

    Articles go because people drop them when they type an answer ("output indicator" for
    "The output indicator"); both sides of every comparison are normalised alike.
    """
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    words = NON_WORD.sub(" ", text.casefold()).split()
    kept = [w for w in words if w not in _ARTICLES]
    return " ".join(kept or words)


@dataclass(frozen=True, slots=True)
class Match:
    """The outcome of matching one text against candidates.

    kind: `exact` (equal after normalisation), `fuzzy` (close, clearly the closest), `ambiguous`
    (two candidates about equally close), `near` (closest is just under the threshold) or `none`.
    `index` is the chosen candidate for exact/fuzzy, else the closest one (or None).
    """

    kind: str
    index: int | None = None
    score: float = 0.0
    other: int | None = None
    other_score: float = 0.0

    @property
    def found(self) -> bool:
        return self.kind in ("exact", "fuzzy")


NO_MATCH = Match("none")


class TextMatcher:
    """Matches texts against a fixed list of candidate texts (options, steps, accepted answers).

    Similarity is rapidfuzz's ratio of the normalised texts (tolerant of typos); when that
    falls short and both texts have several words, the token-sorted ratio is tried too
    (tolerant of swapped words).
    """

    def __init__(self, candidates: list[str], threshold: float = DEFAULT_THRESHOLD,
                 margin: float = AMBIGUITY_MARGIN, review_band: float = REVIEW_BAND):
        self.candidates = list(candidates)
        self.norms = [normalise(c) for c in self.candidates]
        self.threshold = threshold
        self.margin = margin
        self.review_band = review_band
        # How many ", " an option text holds: a list of texts never needs longer joins.
        self.max_commas = max((c.count(",") for c in self.candidates), default=0)
        self._exact: dict[str, list[int]] = {}
        for i, norm in enumerate(self.norms):
            self._exact.setdefault(norm, []).append(i)
        # A typo in a word is forgivable, in a number it is another answer: 0.85 is not 0.8.
        self.numbers = [_numbers(c) for c in self.candidates]

    def exact(self, norm: str) -> list[int] | None:
        """Candidates equal to a normalised text (one, or several when they normalise alike)."""
        return self._exact.get(norm)

    def match(self, text: str, *, norm: str | None = None) -> Match:
        """Match raw `text`; pass `norm` when its normalised form is already at hand."""
        if norm is None:
            norm = normalise(text)
        if not norm or not self.norms:
            return NO_MATCH
        exact = self._exact.get(norm)
        if exact:
            if len(exact) == 1:
                return Match("exact", exact[0], 100.0)
            return Match("ambiguous", exact[0], 100.0, exact[1], 100.0)
        if any(self.numbers) or NUMBER.search(text):
            return self._match_numbers(text, norm)
        return self._fuzzy(norm, self.norms)

    def _match_numbers(self, text: str, norm: str) -> Match:
        """Fuzzy matching only among candidates that state the same numbers as the text."""
        numbers = _numbers(text)
        same = [i for i, n in enumerate(self.numbers) if n == numbers]
        if not same:
            return NO_MATCH
        found = self._fuzzy(norm, [self.norms[i] for i in same])
        remap = lambda i: None if i is None else same[i]  # noqa: E731
        return Match(found.kind, remap(found.index), found.score, remap(found.other), found.other_score)

    def _fuzzy(self, norm: str, norms: list[str]) -> Match:
        if not norms:
            return NO_MATCH
        top = _closest_two(norm, norms, fuzz.ratio)
        if top[0][1] < self.threshold and " " in norm:
            swapped = _closest_two(norm, norms, fuzz.token_sort_ratio)
            if swapped[0][1] > top[0][1]:
                top = swapped
        _, best_score, best = top[0]
        _, second_score, second = top[1] if len(top) > 1 else (None, 0.0, None)
        if best_score >= self.threshold:
            if second is not None and best_score - second_score < self.margin:
                return Match("ambiguous", best, best_score, second, second_score)
            return Match("fuzzy", best, best_score, second, second_score)
        if best_score >= self.threshold - self.review_band:
            return Match("near", best, best_score, second, second_score)
        return Match("none", best, best_score, second, second_score)


def _closest_two(norm: str, norms: list[str], scorer) -> list[tuple[str, float, int]]:
    """The two best (text, score, index) of `norms` by `scorer`, best first; one when it is alone."""
    return process.extract(norm, norms, scorer=scorer, limit=2)


def _numbers(text: str) -> tuple[float, ...]:
    """The numbers a text states, as values: '80%', '80' and '80.0' state the same one."""
    return tuple(float(n.replace(",", ".")) for n in NUMBER.findall(text))


def describe(match: Match, labels: list[str]) -> str:
    """A short human description of a non-found match for an audit flag."""
    if match.index is None:
        return "matches nothing"
    best = f"{labels[match.index]} ({match.score:.0f})"
    if match.kind == "ambiguous":
        return f"ambiguous: {best} or {labels[match.other]} ({match.other_score:.0f})"
    return f"closest is {best}"
