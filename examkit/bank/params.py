"""Drawing a parametric item's numbers, for generating a form and for proving at validation that every draw works.

A draw picks each parameter's value, computes the item's values in order, and is kept only when
every condition holds, no formula fails (a division by zero, a number out of range) and the
printed options stay distinct. The generator draws once per form; `examkit validate` draws
DRAWS_CHECKED times per item and names the values of the first draw that breaks it.
"""

from __future__ import annotations

from collections.abc import Callable

from ..expressions import ExpressionError, compiled, fill

MAX_TRIES = 1000
DRAWS_CHECKED = 200
Random = Callable[[], float]


class Parametric:
    """One item's parameters and formulas, parsed once."""

    def __init__(self, item):
        self.item = item
        self.choices = {name: param.values() for name, param in item.params.items()}
        self.formulas = [(name, compiled(formula)) for name, formula in item.values.items()]
        self.conditions = [(text, compiled(text)) for text in item.conditions]

    def scope(self, drawn: dict[str, float]) -> dict[str, float]:
        scope = dict(drawn)
        for name, formula in self.formulas:
            scope[name] = formula(scope)
        return scope

    def problem(self, drawn: dict[str, float]) -> str | None:
        """Why this draw cannot be printed, or None when it can."""
        try:
            scope = self.scope(drawn)
            for text, condition in self.conditions:
                if not condition(scope):
                    return f"condition '{text}' is false"
            texts = _printed_texts(self.item, scope)
        except ExpressionError as exc:
            return str(exc)
        for group, what in texts:
            seen: dict[str, str] = {}
            for text in group:
                norm = " ".join(text.casefold().split())
                if norm in seen:
                    return f"two {what} print as {text!r}"
                seen[norm] = text
        return None

    def draw(self, random: Random) -> dict[str, float]:
        return {name: values[int(random() * len(values))] for name, values in self.choices.items()}


def draw_values(parametric: Parametric, random: Random) -> tuple[tuple[str, float], ...]:
    """Numbers for one form that make a printable item; ValueError when MAX_TRIES draws fail."""
    last = None
    for _ in range(MAX_TRIES):
        drawn = parametric.draw(random)
        last = parametric.problem(drawn)
        if last is None:
            return tuple(drawn.items())
    raise ValueError(f"no draw in {MAX_TRIES} tries makes a printable item (last: {last}); "
                     "widen the parameters' ranges or relax the conditions")


def check_item(item, random: Random, draws: int = DRAWS_CHECKED) -> str | None:
    """Why the item cannot be generated (with the values that broke it), or None."""
    parametric = Parametric(item)
    failures = 0
    for _ in range(draws):
        drawn = parametric.draw(random)
        problem = parametric.problem(drawn)
        if problem is None:
            continue
        if problem.startswith("condition "):
            failures += 1  # a draw the generator throws away; only a hopeless item is an error
            continue
        shown = ", ".join(f"{k}={v:g}" for k, v in drawn.items())
        return f"with {shown}: {problem}"
    if failures == draws:
        return f"none of {draws} draws meets the conditions; widen the parameters' ranges or relax the conditions"
    return None


def _printed_texts(item, scope: dict[str, float]) -> list[tuple[list[str], str]]:
    groups = []
    if item.type in ("single", "multiple"):
        groups.append(([fill(o.text, scope) for o in item.options], "options"))
    elif item.type == "matching":
        groups.append(([fill(p.text, scope) for p in item.premises], "premises"))
        groups.append(([fill(r.text, scope) for r in item.responses], "responses"))
    elif item.type == "ordering":
        groups.append(([fill(s.text, scope) for s in item.steps], "steps"))
    if item.type == "numeric" and isinstance(item.answer, str) and item.answer not in scope:
        raise ExpressionError(f"answer '{item.answer}' is not computed")
    fill(item.stem, scope)  # a bad number format in the stem is an error too
    return groups
