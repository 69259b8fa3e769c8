"""A small, safe expression language for parametric items, and the placeholders of their texts.

Bank files come from strangers, so their formulas are never given to Python's `eval`. An
expression is parsed with `ast` (which runs nothing) and only these parts are evaluated:
numbers, names of the item's parameters and values, `+ - * / // % **`, comparisons, `and or
not`, `x if c else y`, and the functions in FUNCTIONS. No attribute access, no indexing, no
strings, no imports, no other calls. Sizes are bounded so that no bank can hang the generator:
the text's length, the tree's depth and size, and every intermediate number (`9**9**9` is
refused before it is computed).

Texts use `{name}` or `{name:spec}` placeholders: spec is a number format such as `.2f`,
`.0%` or `,d`; nothing else in braces is interpreted.
"""

from __future__ import annotations

import ast
import functools
import math
import operator
import re
from collections.abc import Callable, Mapping

MAX_LENGTH = 500
MAX_DEPTH = 40
MAX_NODES = 200
MAX_MAGNITUDE = 1e15
MAX_EXPONENT = 64
NAME = re.compile(r"^[a-z_][a-z0-9_]{0,30}$")
PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]{0,30})(?::([^{}]{0,12}))?\}")
FORMAT_SPEC = re.compile(r"^[+\- ]?,?(?:\.\d{1,2})?[dfeg%]?$")


class ExpressionError(ValueError):
    """An expression that cannot be read, is not allowed, or cannot be computed."""


def _checked(value: float) -> float:
    if isinstance(value, bool):
        return value
    if not math.isfinite(value) or abs(value) > MAX_MAGNITUDE:
        raise ExpressionError(f"a result is out of range ({value:g}); keep numbers below {MAX_MAGNITUDE:g}")
    return value


def _power(base: float, exponent: float) -> float:
    if abs(exponent) > MAX_EXPONENT or (abs(base) > 1 and abs(exponent) * math.log10(abs(base)) > 15):
        raise ExpressionError(f"{base:g} ** {exponent:g} is too large; keep powers small")
    return base ** exponent


def _divide(a: float, b: float) -> float:
    if b == 0:
        raise ExpressionError("division by zero")
    return a / b


def _floor_divide(a: float, b: float) -> float:
    if b == 0:
        raise ExpressionError("division by zero")
    return a // b


def _modulo(a: float, b: float) -> float:
    if b == 0:
        raise ExpressionError("division by zero")
    return a % b


def _round(value: float, digits: float = 0) -> float:
    return round(value, int(digits))


BINARY = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: _divide,
          ast.FloorDiv: _floor_divide, ast.Mod: _modulo, ast.Pow: _power}
UNARY = {ast.USub: operator.neg, ast.UAdd: operator.pos, ast.Not: operator.not_}
COMPARE = {ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt, ast.LtE: operator.le,
           ast.Gt: operator.gt, ast.GtE: operator.ge}
FUNCTIONS = {"min": min, "max": max, "round": _round, "abs": abs, "sqrt": math.sqrt, "floor": math.floor,
             "ceil": math.ceil}


def parse(text: str) -> ast.Expression:
    """The checked syntax tree of an expression; ExpressionError says what is not allowed."""
    if not isinstance(text, str):
        text = str(text)
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"the expression is {len(text):,} characters long; keep it under {MAX_LENGTH}")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        raise ExpressionError(f"cannot read {text.strip()[:60]!r} as a formula; check its brackets and operators") from None
    nodes = 0
    stack = [(tree.body, 1)]
    while stack:
        node, depth = stack.pop()
        nodes += 1
        if depth > MAX_DEPTH or nodes > MAX_NODES:
            raise ExpressionError("the expression is too deeply nested or too long; simplify it")
        _allowed(node)
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node)
                     if not isinstance(child, (ast.operator, ast.unaryop, ast.cmpop, ast.boolop, ast.expr_context)))
    return tree


def _allowed(node: ast.AST) -> None:
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
            raise ExpressionError(f"only numbers may appear in a formula, not {node.value!r}")
    elif isinstance(node, ast.BinOp):
        if type(node.op) not in BINARY:
            raise ExpressionError("only + - * / // % ** are allowed between numbers")
    elif isinstance(node, ast.UnaryOp):
        if type(node.op) not in UNARY:
            raise ExpressionError("only -, + and not are allowed before a value")
    elif isinstance(node, ast.Compare):
        if any(type(op) not in COMPARE for op in node.ops):
            raise ExpressionError("only == != < <= > >= compare values")
    elif isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS or node.keywords:
            raise ExpressionError(f"only these functions may be called: {', '.join(FUNCTIONS)}")
    elif not isinstance(node, (ast.Name, ast.BoolOp, ast.IfExp)):
        raise ExpressionError(f"{type(node).__name__.lower()} is not allowed in a formula "
                              "(no attributes, indexing, strings or lambdas)")


def names(tree: ast.Expression) -> set[str]:
    """The names an expression uses (function names excluded)."""
    called = {n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)} - called


def evaluate(tree: ast.Expression, scope: Mapping[str, float]) -> float:
    """The value of a parsed expression with the given names; ExpressionError on any failure."""
    return compile_tree(tree)(scope)


def compile_tree(tree: ast.Expression) -> Callable[[Mapping[str, float]], float]:
    """The expression as a function of the scope, for one formula evaluated many times (a
    parametric item's draws): the tree is walked once, into nested closures, instead of at
    every evaluation. ExpressionError on any failure, as `evaluate`."""
    run = _compile(tree.body)

    def evaluated(scope: Mapping[str, float]) -> float:
        try:
            return run(scope)
        except ExpressionError:
            raise
        except (ArithmeticError, ValueError, TypeError) as exc:
            raise ExpressionError(f"cannot compute it: {exc}") from None

    return evaluated


Compiled = Callable[[Mapping[str, float]], float]


@functools.lru_cache(maxsize=4096)
def compiled(text: str) -> Compiled:
    """`compile_tree(parse(text))`, once per formula text: a formula is computed for every form
    that prints its item, and for every draw the bank's check makes."""
    return compile_tree(parse(text))


def _compile(node: ast.AST) -> Compiled:
    if isinstance(node, ast.Constant):
        return _constant(node.value)
    if isinstance(node, ast.Name):
        return _name(node.id)
    if isinstance(node, ast.BinOp):
        return _binary(BINARY[type(node.op)], _compile(node.left), _compile(node.right))
    if isinstance(node, ast.UnaryOp):
        op, operand = UNARY[type(node.op)], _compile(node.operand)
        return lambda scope: op(operand(scope))
    if isinstance(node, ast.Compare):
        return _comparison(_compile(node.left), [(COMPARE[type(op)], _compile(c)) for op, c in zip(node.ops, node.comparators)])
    if isinstance(node, ast.BoolOp):
        parts = [_compile(v) for v in node.values]
        combine = all if isinstance(node.op, ast.And) else any
        return lambda scope: combine(part(scope) for part in parts)
    if isinstance(node, ast.IfExp):
        test, body, orelse = _compile(node.test), _compile(node.body), _compile(node.orelse)
        return lambda scope: body(scope) if test(scope) else orelse(scope)
    if isinstance(node, ast.Call):
        function, arguments = FUNCTIONS[node.func.id], [_compile(a) for a in node.args]
        return lambda scope: _checked(function(*[argument(scope) for argument in arguments]))
    raise ExpressionError(f"{type(node).__name__} is not allowed")  # parse() already refused it


def _constant(value: float) -> Compiled:
    try:
        value = _checked(value)
    except ExpressionError as exc:
        problem = exc  # reported when the formula is computed, as every other failure

        def out_of_range(scope: Mapping[str, float]) -> float:
            raise problem
        return out_of_range
    return lambda scope: value


def _name(name: str) -> Compiled:
    def load(scope: Mapping[str, float]) -> float:
        if name not in scope:
            raise ExpressionError(f"unknown name '{name}'; define it under params or values")
        return scope[name]
    return load


def _binary(op: Callable[[float, float], float], left: Compiled, right: Compiled) -> Compiled:
    return lambda scope: _checked(op(left(scope), right(scope)))


def _comparison(first: Compiled, rest: list[tuple[Callable[[float, float], bool], Compiled]]) -> Compiled:
    def compare(scope: Mapping[str, float]) -> bool:
        left = first(scope)
        for op, right_of in rest:
            right = right_of(scope)
            if not op(left, right):
                return False
            left = right
        return True
    return compare


def check_format(spec: str) -> None:
    if not FORMAT_SPEC.match(spec):
        raise ExpressionError(f"'{spec}' is not a number format; use e.g. .2f, .0%, ,d")


def fill(text: str, scope: Mapping[str, float]) -> str:
    """A text with its `{name}` / `{name:spec}` placeholders replaced by formatted values."""

    def replace(match: re.Match) -> str:
        name, spec = match.group(1), match.group(2) or ""
        if name not in scope:
            return match.group(0)
        check_format(spec)
        value = scope[name]
        if spec.endswith("d"):
            value = int(round(value))
        elif not spec and float(value).is_integer():
            return str(int(value))
        elif not spec:
            return f"{value:g}"
        return format(value, spec)

    return PLACEHOLDER.sub(replace, text)


def placeholders(text: str) -> list[tuple[str, str]]:
    """The (name, spec) of every placeholder in a text."""
    return [(m.group(1), m.group(2) or "") for m in PLACEHOLDER.finditer(text)]
