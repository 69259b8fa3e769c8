"""Reading one answer cell: the notations people write, and the option texts they type instead.

`read_answer(key, cell)` turns what a student wrote into a `Reading`: a value in the item's own
terms (a set of letters, premise-letter pairs, an order of step letters, or a short text) and
how it was understood (`letter`, `text`, `fuzzy 91`, ...). Letters are tried first, then the
exact text of an option, then fuzzy matching of the text. A cell that cannot be read, or that
reads two ways about equally well, comes back flagged (`unreadable`, `ambiguous`, `review`)
and is never scored until a teacher looks at it.

Cells from a form's grid questions (one column per premise or step) arrive as tuples:
`("premises", v1, v2, ...)` in premise order, `("rank-of-step", rank_A, rank_B, ...)` in
printed step order, or `("step-at-rank", first, second, ...)`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .key import ItemKey
from .match import NON_WORD, Match, TextMatcher, describe, normalise
from .numeric import close, read_number

# Status of a reading. Flagged statuses score nothing until reviewed.
BLANK, ANSWER, UNREADABLE, AMBIGUOUS, REVIEW = "blank", "answer", "unreadable", "ambiguous", "review"
FLAGGED = frozenset({UNREADABLE, AMBIGUOUS, REVIEW})

# Every pattern below runs in time linear in the cell: no part may match the same characters
# as the part after it (two `\s*` side by side, or `\s*` before a search that can fail), since
# each such pair makes a long run of spaces cost its length squared. Splits use the bare
# separator and strip the pieces afterwards instead of eating the spaces around it.

# Nothing but dashes, question marks and the like: a student's way of leaving a cell empty.
_BLANK = re.compile(r"""^[\s\-\u2010-\u2015?.\u2026_/\\*]*$  # blanks, dashes, ?, ., ..., _, /, \, *""", re.X)
# A word announcing the answer: "Answer: B", "options A, C".
_ANNOUNCING = r"(?:options?|answers?|choices?|letters?)"
_ANSWER_WORD = re.compile(rf"""
    ^\s*                                        # leading blanks
    {_ANNOUNCING}                               # a word announcing the answer
    \s*[:=]?\s*                                 # an optional colon or equals sign
    """, re.I | re.X)
_BRACKETS = re.compile(r"[()\[\]{}]  # any bracket, read as a blank", re.X)
# A quick test that a cell may be a letter notation at all: single letters among separators,
# "and", or one short run of letters; typed sentences fail it at their second character.
_MAYBE_LETTERS = re.compile(rf"""
    ^(?:[\W_]*{_ANNOUNCING}\b)?     # an optional word announcing the answer, then
    (?:(?:[a-z](?![a-z])            # single letters,
         |and\b                     # "and",
         |[\W_])*                   # or separators, to the end
      |[\W_]*[a-z]{{2,10}}[\W_]*     # or one short run of letters: AC
    )$
    """, re.I | re.X)
# The separators that always split a cell into several answers (Google Forms and typing alike).
SEPARATORS = ";\n|\t"
_SEPARATOR = re.compile(r"[;\n|\t]  # SEPARATORS, as a character class", re.X)
_LETTER_SEPARATORS = re.compile(r"""
    (?:[\s,;/&+.:|]     # blanks and punctuation between letters
      |\band\b)+        # or the word "and": A and C
    """, re.I | re.X)
_LABELLED = re.compile(r"""
    ^\s*[(\[]?\s*([A-Za-z])\s*      # a letter, perhaps after a bracket: (B
    (?:[)\].:]|\s[-\u2013\u2014])   # then ) ] . : or a spaced dash: B) or B -
    \s*(\S.*)$                      # then the option's text
    """, re.S | re.X)
_ARROW = r"(?:->|=>|\u2192|[-\u2013:=.)>])"  # what joins a number to its answer: 1-C, 1->C, 1) C
_PAIR = re.compile(rf"""
    (\d+)\s*{_ARROW}?\s*    # a premise number and an optional arrow
    ([A-Za-z])(?![A-Za-z])  # a single letter, not the start of a word
    """, re.X)
_PAIRS_ONLY = re.compile(rf"""
    \s*(?:\d+\s*{_ARROW}?\s*[A-Za-z](?![A-Za-z])    # one number-letter pair (as _PAIR)
          [\s,;/|]*)+                               # and what separates it from the next
    """, re.X)
_TEXT_PAIR = re.compile(rf"""
    ^\s*(\d+)\s*{_ARROW}\s*     # a premise number and its arrow
    (\S(?:.*\S)?)               # the answer's text, from its first to its last visible character
    \s*$                        # trailing blanks
    """, re.S | re.X)
_PAIR_START = re.compile(rf"""
    ,(?=\s*\d+\s*{_ARROW})      # a comma before the next number-arrow pair: 1-text, 2-text
    """, re.X)
_LIST_SPLIT = re.compile(r"""
    [;\n|\t]            # SEPARATORS,
    |->|=>|\u2192|>     # or an arrow between steps: A -> B
    """, re.X)
_ORDER_SEPARATORS = re.compile(r"""
    (?:[\s,;>|/.]       # blanks and punctuation between step letters
      |->|=>|\u2192     # arrows
      |-|\u2013)+       # and dashes: A-B-C
    """, re.X)
_ORDINAL = re.compile(r"""
    ^\s*(?:\#|no\.?\s*|n°\s*|position\s*|rank\s*|step\s*)?  # an optional "#", "no.", "position" ...
    (\d+)\s*                                                # the number
    (?:st|nd|rd|th|e|er|\.)?\s*$                            # an optional ordinal ending: 1st, 2e, 3.
    """, re.I | re.X)
_ORDINAL_WORDS = {w: i + 1 for i, w in enumerate(
    "first second third fourth fifth sixth seventh eighth ninth tenth".split())}


@dataclass(frozen=True, slots=True)
class Reading:
    """What a cell was understood to say, and how; `note` explains a flag or a detail."""

    status: str
    value: object = None
    method: str = ""
    note: str = ""

    @property
    def flagged(self) -> bool:
        return self.status in FLAGGED


BLANK_READING = Reading(BLANK, method="blank")
# A cell holding just "?": `examkit scan` writes it where a person must read the sheet.
SCANNER_QUERY = "?"
QUERY_READING = Reading(REVIEW, method="scan", note="? in the cell: the scanned sheet needs a person; type the answer")


def is_blank(raw: str) -> bool:
    return not raw or _BLANK.match(raw) is not None


def read_answer(key: ItemKey, cell: str | tuple) -> Reading:
    """Read one cell for one item (see the module docstring)."""
    if isinstance(cell, tuple):
        if all(is_blank(v) for v in cell[1:]):
            return BLANK_READING
        if key.type == "matching":
            return _read_matching_grid(key, cell)
        if key.type == "ordering":
            return _read_ordering_grid(key, cell)
        cell = "; ".join(v for v in cell[1:] if not is_blank(v))
    if cell.strip() == SCANNER_QUERY:
        return QUERY_READING
    if is_blank(cell):
        return BLANK_READING
    if key.type == "short":
        return _read_short(key, cell)
    if key.type == "numeric":
        return _read_numeric(cell)
    if key.type == "matching":
        return _read_matching(key, cell)
    if key.type == "ordering":
        return _read_ordering(key, cell)
    return _read_choice(key, cell, many=key.type == "multiple")


def notation(key: ItemKey, reading: Reading) -> str:
    """The reading in the canonical notation of key.csv (`B`, `A,C`, `1-C;2-A`, `C,A,B,D`, text)."""
    value = reading.value
    if value is None:
        return ""
    if key.type in ("single", "multiple"):
        return ",".join(sorted(value))
    if key.type == "matching":
        return ";".join(f"{n}-{letter}" for n, letter in value)
    if key.type == "ordering":
        return ",".join(value)
    if key.type == "numeric":
        return f"{value:g}"
    index, text = value
    return key.accepted[index] if index is not None else text


# --------------------------------------------------------------------------- letters


def letter_list(text: str, allowed: frozenset[str], separators: re.Pattern = _LETTER_SEPARATORS) -> list[str] | None:
    """The letters of a letter notation (`b`, `(B)`, `A,C`, `a c`, `AC`, `A and C`), else None.

    Separated single letters are letters even when out of range (so `E` on a four-option item
    is reported, not fuzzily read). A run of letters with no separator (`AC`) counts only when
    it is the whole cell, every letter is one of `allowed` and none repeats, so a typed word
    such as "Chunks" is never taken apart.
    """
    if not _MAYBE_LETTERS.match(text):
        return None
    text = _BRACKETS.sub(" ", _ANSWER_WORD.sub("", text))
    parts = [p for p in separators.split(text) if p]
    if not parts:
        return None
    letters: list[str] = []
    for part in parts:
        if not part.isascii() or not part.isalpha():
            return None
        upper = part.upper()
        if len(part) == 1:
            letters.append(upper)
        elif len(parts) == 1 and len(set(upper)) == len(upper) and set(upper) <= allowed:
            letters.extend(upper)
        else:
            return None
    return letters


def _outside(key: ItemKey, letters) -> list[str]:
    return [x for x in letters if x not in key.letter_set]


def _not_option(key: ItemKey, bad: list[str], what: str = "option") -> Reading:
    bad = list(dict.fromkeys(bad))
    article = "an" if what == "option" else "a"  # a response, a step
    if len(bad) == 1:
        note = f"{bad[0]} is not {article} {what} letter ({key.letter_range})"
    else:
        note = f"{', '.join(bad)} are not {what} letters ({key.letter_range})"
    return Reading(UNREADABLE, method="letter", note=note)


def _fuzzy_method(match: Match) -> str:
    return "text" if match.kind == "exact" else f"fuzzy {match.score:.0f}"


def _labels(key: ItemKey) -> list[str]:
    return [key.label(letter) for letter in key.letters]


def _text_flag(key: ItemKey, match: Match, text: str, what: str = "option") -> Reading:
    if match.kind == "ambiguous":
        return Reading(AMBIGUOUS, method=f"fuzzy {match.score:.0f}", note=describe(match, _labels(key)))
    shown = text if len(text) <= 40 else text[:37] + "..."
    if match.kind == "near":
        return Reading(UNREADABLE, method=f"fuzzy {match.score:.0f}",
                       note=f'"{shown}" matches no {what} well enough; {describe(match, _labels(key))}')
    return Reading(UNREADABLE, method="no match", note=f'"{shown}" matches no {what}')


# --------------------------------------------------------------------------- single and multiple


def _read_choice(key: ItemKey, raw: str, *, many: bool) -> Reading:
    letters = letter_list(raw, key.letter_set)
    norm = normalise(raw)
    exact = key.matcher.exact(norm)
    if exact is not None and len(exact) > 1:
        return Reading(AMBIGUOUS, method="text", note=f"the text is that of options {', '.join(key.letters[i] for i in exact)}")
    text_letter = key.letters[exact[0]] if exact else None
    if letters is not None:
        bad = _outside(key, letters)
        if not bad:
            chosen = frozenset(letters)
            if text_letter is not None and frozenset({text_letter}) != chosen:
                return Reading(AMBIGUOUS, method="letter",
                               note=f"reads as letters {','.join(sorted(chosen))} and as the text of "
                                    f"option {key.label(text_letter)}")
            return Reading(ANSWER, chosen, "letter")
        if text_letter is None:
            return _not_option(key, bad)
    labelled = _read_labelled(key, raw)
    if labelled is not None:
        return labelled
    if text_letter is not None:
        return Reading(ANSWER, frozenset({text_letter}), "text")
    if many and _has_list_separator(raw):
        return _read_choice_list(key, raw)
    match = key.matcher.match(raw, norm=norm)
    if match.found:
        return Reading(ANSWER, frozenset({key.letters[match.index]}), _fuzzy_method(match))
    return _text_flag(key, match, raw.strip())


def _read_labelled(key: ItemKey, raw: str) -> Reading | None:
    """`A) Tokens`: a letter label and the option's text; None when the cell is no such label,
    or is an option's own text (normalising would read the label "A" as an article and drop it)."""
    labelled = _LABELLED.match(raw)
    if not labelled or labelled.group(1).upper() not in key.letter_set or _plain(raw) in key.plain_texts:
        return None
    letter, text = labelled.group(1).upper(), labelled.group(2)
    match = key.matcher.match(text)
    if match.found:
        if key.letters[match.index] != letter:
            return Reading(AMBIGUOUS, method="letter and text",
                           note=f"the letter says {letter} but the text is option {key.label(key.letters[match.index])}")
        return Reading(ANSWER, frozenset({letter}), "letter and text")
    second = text.strip().upper()
    if len(second) == 1 and second.isalpha():
        # "A - C": a label and its text, or two letters? Never keep only the first.
        return Reading(AMBIGUOUS, method="letter", note=f"reads as letter {letter} or as letters {letter} and {second}")
    return Reading(ANSWER, frozenset({letter}), "letter")


def _plain(text: str) -> str:
    return " ".join(NON_WORD.sub(" ", text.casefold()).split())


def _has_list_separator(raw: str) -> bool:
    return "," in raw or any(sep in raw for sep in SEPARATORS)


def _read_choice_list(key: ItemKey, raw: str) -> Reading:
    """Several option texts in one cell: `text, text` (Google), `text;text;` (Microsoft)."""
    segments = split_texts(key.matcher, raw)
    if not segments:
        return BLANK_READING  # separators alone (";" for no choice) say nothing
    problems = [(text, m) for text, m in segments if not m.found]
    if problems:
        text, match = problems[0]
        flag = _text_flag(key, match, text)
        return Reading(flag.status, method="text list", note=flag.note)
    chosen = frozenset(key.letters[m.index] for _, m in segments)
    fuzzy = [m.score for _, m in segments if m.kind == "fuzzy"]
    method = f"fuzzy {min(fuzzy):.0f}" if fuzzy else "text"
    return Reading(ANSWER, chosen, method)


def split_texts(matcher: TextMatcher, raw: str) -> list[tuple[str, Match]]:
    """Split a cell holding several candidate texts into (text, match) segments.

    `;`, `|`, tabs and new lines always separate. `, ` may separate (Google Forms joins
    checkbox answers with it) or belong to an option's own text, so the split is chosen that
    reads best: fewest unmatched pieces, then most exact matches, then the highest total
    similarity (so two close options beat one), then fewest segments.
    """
    segments: list[tuple[str, Match]] = []
    for chunk in _SEPARATOR.split(raw):
        if chunk.strip():
            segments.extend(_split_commas(matcher, chunk.strip()))
    return segments


def _split_commas(matcher: TextMatcher, chunk: str) -> list[tuple[str, Match]]:
    pieces = [p.strip() for p in chunk.split(",")]
    if not matcher.max_commas:
        # No candidate text has a comma: every piece stands alone.
        return [(piece, matcher.match(piece)) for piece in pieces if piece]
    n = len(pieces)
    longest = min(n, matcher.max_commas + 1)
    cache: dict[tuple[int, int], Match] = {}

    def span(i: int, j: int) -> Match:
        if (i, j) not in cache:
            cache[(i, j)] = matcher.match(", ".join(pieces[i:j]))
        return cache[(i, j)]

    # best[i]: (score tuple, segments) for pieces[i:]; the score is compared as a tuple.
    best: list[tuple[tuple, list[tuple[int, int]]]] = [((0, 0, 0.0, 0), [])] * (n + 1)
    for i in range(n - 1, -1, -1):
        options = []
        for j in range(i + 1, min(n, i + longest) + 1):
            m = span(i, j)
            width = j - i
            failed = 0 if m.found else width
            exact = width if m.kind == "exact" else 0
            rest_score, rest = best[j]
            score = (rest_score[0] - failed, rest_score[1] + exact, rest_score[2] + (m.score if m.found else 0),
                     rest_score[3] - 1)
            options.append((score, [(i, j)] + rest))
        best[i] = max(options, key=lambda o: o[0])
    segments = [(", ".join(pieces[i:j]), span(i, j)) for i, j in best[0][1]]
    return [(text, match) for text, match in segments if text]  # an empty piece is no answer


# --------------------------------------------------------------------------- matching


def _read_matching(key: ItemKey, raw: str) -> Reading:
    if _PAIRS_ONLY.fullmatch(raw):
        pairs = [(int(n), letter.upper()) for n, letter in _PAIR.findall(raw)]
        return _matching_reading(key, pairs, "letter")
    letters = letter_list(raw, key.letter_set)
    if letters is not None and len(letters) == len(key.premises):
        # Letters alone, in premise order: `CAB`, `C, A, B`.
        return _matching_reading(key, list(enumerate(letters, start=1)), "letter")
    parts = [p for p in _split_pairs(raw) if p.strip()]
    pairs: list[tuple[int, str]] = []
    methods: set[str] = set()
    for part in parts:
        found = _TEXT_PAIR.match(part)
        if not found:
            return Reading(UNREADABLE, method="no match",
                           note=f'"{part.strip()}" is not a premise-answer pair such as 1-C')
        number = int(found.group(1))
        choice = _choose(key, found.group(2), "response")
        if isinstance(choice, Reading):
            return Reading(choice.status, method=choice.method, note=f"premise {number}: {choice.note}")
        pairs.append((number, choice[0]))
        methods.add(choice[1])
    return _matching_reading(key, pairs, _combine(methods))


def _split_pairs(raw: str) -> list[str]:
    """`1-text; 2-text` or `1-text, 2-text`: split at each separator and before each number that
    starts a pair."""
    return [piece.strip() for part in _SEPARATOR.split(raw) for piece in _PAIR_START.split(part)]


def _read_matching_grid(key: ItemKey, cell: tuple) -> Reading:
    pairs: list[tuple[int, str]] = []
    methods: set[str] = set()
    for number, value in enumerate(cell[1:], start=1):
        if is_blank(value):
            continue
        choice = _choose(key, value, "response")
        if isinstance(choice, Reading):
            return Reading(choice.status, method=choice.method, note=f"premise {number}: {choice.note}")
        pairs.append((number, choice[0]))
        methods.add(choice[1])
    return _matching_reading(key, pairs, _combine(methods))


def _choose(key: ItemKey, text: str, what: str) -> tuple[str, str] | Reading:
    """One response or step named by its letter or its text: (letter, method), or the flag."""
    single = letter_list(text, key.letter_set)
    if single is not None and len(single) == 1 and single[0] in key.letter_set:
        return single[0], "letter"
    match = key.matcher.match(text)
    if match.found:
        return key.letters[match.index], _fuzzy_method(match)
    if single is not None and len(single) == 1:
        # A lone letter out of range, once no text (such as "R") is the same.
        return _not_option(key, single, what)
    return _text_flag(key, match, text, what)


def _matching_reading(key: ItemKey, pairs: list[tuple[int, str]], method: str) -> Reading:
    if not pairs:
        return BLANK_READING  # separators alone say nothing
    numbers = {n for n, _, _ in key.premises}
    given: dict[int, str] = {}
    for number, letter in pairs:
        if number not in numbers:
            return Reading(UNREADABLE, method=method,
                           note=f"premise {number} does not exist (1-{len(numbers)})")
        if letter not in key.letter_set:
            return _not_option(key, [letter], "response")
        if given.get(number, letter) != letter:
            return Reading(AMBIGUOUS, method=method,
                           note=f"premise {number} is answered both {given[number]} and {letter}")
        given[number] = letter
    return Reading(ANSWER, tuple(sorted(given.items())), method)


# --------------------------------------------------------------------------- ordering


def _read_ordering(key: ItemKey, raw: str) -> Reading:
    if _PAIRS_ONLY.fullmatch(raw):
        pairs = [(int(n), letter.upper()) for n, letter in _PAIR.findall(raw)]
        ranks = [n for n, _ in pairs]
        if len(set(ranks)) != len(ranks):
            return Reading(AMBIGUOUS, method="letter", note="two steps are given the same position")
        return _ordering_reading(key, [letter for _, letter in sorted(pairs)], "letter")
    letters = letter_list(raw, key.letter_set, _ORDER_SEPARATORS)
    if letters is not None:
        return _ordering_reading(key, letters, "letter")
    compact = _ORDER_SEPARATORS.sub("", raw)
    if compact.isascii() and compact.isupper() and compact.isalpha() and len(compact) == len(key.letters):
        # `BCAE` on a four-step item: step letters with a slip, not a word.
        return _not_option(key, _outside(key, compact), "step")
    parts = [p.strip() for p in _LIST_SPLIT.split(raw) if p.strip()]
    if len(parts) == 1:
        # No separator but commas: `, ` may also belong to a step's own text.
        parts = [text for text, _ in _split_commas(key.matcher, parts[0])]
    return _steps_named(key, parts)


def _read_ordering_grid(key: ItemKey, cell: tuple) -> Reading:
    style, values = cell[0], cell[1:]
    if style == "rank-of-step":
        ranked: list[tuple[int, str]] = []
        for letter, value in zip(key.letters, values):
            if is_blank(value):
                continue
            rank = parse_rank(value)
            if rank is None:
                return Reading(UNREADABLE, method="rank", note=f'step {letter}: "{value}" is not a position')
            ranked.append((rank, letter))
        ranks = [r for r, _ in ranked]
        if len(set(ranks)) != len(ranks):
            return Reading(AMBIGUOUS, method="rank", note="two steps are given the same position")
        return _ordering_reading(key, [letter for _, letter in sorted(ranked)], "rank")
    return _steps_named(key, [value for value in values if not is_blank(value)])


def _steps_named(key: ItemKey, texts: list[str]) -> Reading:
    """The order of steps each named by its letter or its text, first to last."""
    order: list[str] = []
    methods: set[str] = set()
    for text in texts:
        choice = _choose(key, text, "step")
        if isinstance(choice, Reading):
            return choice
        order.append(choice[0])
        methods.add(choice[1])
    return _ordering_reading(key, order, _combine(methods))


def parse_rank(text: str) -> int | None:
    """`1`, `1st`, `#2`, `Position 3`, `third` -> the position; None when it is none of these."""
    found = _ORDINAL.match(text)
    if found:
        return int(found.group(1))
    return _ORDINAL_WORDS.get(text.strip().lower())


def _ordering_reading(key: ItemKey, order: list[str], method: str) -> Reading:
    if not order:
        return BLANK_READING  # separators or arrows alone say nothing
    bad = _outside(key, order)
    if bad:
        return _not_option(key, bad, "step")
    return Reading(ANSWER, tuple(order), method)


# --------------------------------------------------------------------------- short answers


def _read_numeric(raw: str) -> Reading:
    number, why = read_number(raw)
    if number is None:
        return Reading(REVIEW, None, "number", note=f"cannot read one number: {why}; check it")
    return Reading(ANSWER, number, "number")


def _read_short(key: ItemKey, raw: str) -> Reading:
    if key.numbers is not None:
        number, why = read_number(raw)
        if number is not None:
            text = " ".join(raw.split())
            index = next((i for i, n in enumerate(key.numbers) if close(n, number)), None)
            return Reading(ANSWER, (index, text), "number")
        if why != "no number in it":
            return Reading(REVIEW, (None, " ".join(raw.split())), "number", note=f"{why}; check it")
    norm = normalise(raw)
    text = " ".join(raw.split())
    if not norm:
        return Reading(ANSWER, (None, text), "no match")
    match = key.answer_matcher.match(raw, norm=norm)
    if key.answer_matcher.exact(norm):
        # (Two accepted answers that normalise alike, as after `--accept Chunks`, are still exact.)
        return Reading(ANSWER, (match.index, text), "exact")
    if match.kind in ("fuzzy", "ambiguous"):
        # Every candidate is an accepted answer, so being close to two of them is still right.
        return Reading(ANSWER, (match.index, text), f"fuzzy {match.score:.0f}")
    if match.kind == "near":
        return Reading(REVIEW, (None, text), f"fuzzy {match.score:.0f}",
                       note=f'close to accepted answer "{key.accepted[match.index]}" '
                            f"({match.score:.0f}, threshold {key.threshold:g}); check it")
    return Reading(ANSWER, (None, text), "no match")


def _combine(methods: set[str]) -> str:
    """How several answers in one cell were read, as its weakest: the lowest fuzzy score, else
    text, else letter."""
    fuzzy = [m for m in methods if m.startswith("fuzzy")]
    if fuzzy:
        return min(fuzzy, key=lambda m: float(m.split()[1]))
    return "text" if "text" in methods else "letter"
