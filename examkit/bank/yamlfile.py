"""Reading YAML safely, remembering the line of every node so errors can point at it.

Only PyYAML's SafeLoader is used (plain data, no Python objects). On top of it this module
adds what PyYAML leaves out: the line of each mapping key and list entry, detection of
duplicate keys (PyYAML silently keeps the last one), and a cap on how far aliases may expand,
so a "billion laughs" file is refused before anything walks it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, TypeAdapter, ValidationError

from ..errors import Problem, display_path

MAX_EXPANDED_NODES = 250_000
M = TypeVar("M", bound=BaseModel)


class LineDict(dict):
    """A mapping that knows the line of each of its keys (1-based)."""

    line: int = 0
    key_lines: dict


class LineList(list):
    """A list that knows the line of each of its entries (1-based)."""

    line: int = 0
    item_lines: list


class _LineLoader(yaml.SafeLoader):
    """SafeLoader that records lines and duplicate keys instead of losing them."""

    def __init__(self, stream):
        super().__init__(stream)
        self.duplicates: list[tuple[int, str, int]] = []

    def construct_mapping(self, node, deep=False):
        self.flatten_mapping(node)
        mapping = LineDict()
        mapping.line = node.start_mark.line + 1
        mapping.key_lines = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, (str, int, float, bool)) and key is not None:
                raise yaml.constructor.ConstructorError(
                    None, None, "a mapping key must be plain text", key_node.start_mark
                )
            line = key_node.start_mark.line + 1
            if key in mapping.key_lines:
                self.duplicates.append((line, str(key), mapping.key_lines[key]))
            mapping[key] = self.construct_object(value_node, deep=deep)
            mapping.key_lines[key] = line
        return mapping

    def construct_sequence(self, node, deep=False):
        seq = LineList(self.construct_object(child, deep=deep) for child in node.value)
        seq.line = node.start_mark.line + 1
        seq.item_lines = [child.start_mark.line + 1 for child in node.value]
        return seq


_LineLoader.add_constructor("tag:yaml.org,2002:map", _LineLoader.construct_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _LineLoader.construct_sequence)
# YAML 1.1 reads yes/no/on/off as booleans, which turns a `why: No` into False; only
# true/false are booleans here, as in YAML 1.2.
_LineLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_LineLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
# Timestamps and the like stay text: a bank holds prose, not dates.
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)


def _expanded_size(node: yaml.Node, limit: int) -> int:
    """How many nodes the document has once every alias is expanded (stops past `limit`)."""
    memo: dict[int, int] = {}

    def size(n: yaml.Node) -> int:
        key = id(n)
        if key in memo:
            return memo[key]
        total = 1
        if isinstance(n, yaml.SequenceNode):
            for child in n.value:
                total += size(child)
                if total > limit:
                    break
        elif isinstance(n, yaml.MappingNode):
            for k, v in n.value:
                total += size(k) + size(v)
                if total > limit:
                    break
        memo[key] = total
        return total

    return size(node)


def read_text(path: Path) -> tuple[str | None, Problem | None]:
    """The file's text as UTF-8 (a BOM is dropped), or a problem saying where it is not."""
    shown = display_path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, Problem(shown, None, f"cannot read the file ({exc.strerror}); check the path")
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        return None, Problem(
            shown,
            line,
            f"the file is not UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start}); "
            "re-save it with UTF-8 encoding",
        )


def load_yaml(path: Path) -> tuple[Any, list[Problem]]:
    """Parse one YAML file into LineDict/LineList data; problems instead of exceptions."""
    shown = display_path(path)
    text, problem = read_text(path)
    if problem:
        return None, [problem]
    loader = _LineLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, []
        if _expanded_size(node, MAX_EXPANDED_NODES) > MAX_EXPANDED_NODES:
            line = node.start_mark.line + 1
            return None, [
                Problem(
                    shown,
                    line,
                    f"the YAML expands to more than {MAX_EXPANDED_NODES:,} nodes through aliases "
                    "(an alias bomb?); write the content out without nested aliases",
                )
            ]
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        what = exc.problem or exc.context or "invalid YAML"
        return None, [Problem(shown, line, f"YAML syntax error: {what}; fix the syntax at this line")]
    except yaml.YAMLError as exc:
        return None, [Problem(shown, None, f"YAML error: {exc}; fix the file")]
    finally:
        loader.dispose()
    problems = [
        Problem(
            shown,
            line,
            f"duplicate key '{key}' (first at line {first}); YAML keeps only the last one, "
            "so remove or rename one of them",
        )
        for line, key, first in loader.duplicates
    ]
    return data, problems


def line_of(data: Any, loc: Iterable[Any]) -> int | None:
    """The line of the deepest node along a pydantic error location that the data knows."""
    line = getattr(data, "line", None)
    node = data
    for part in loc:
        if isinstance(node, LineDict) and part in node:
            line = node.key_lines.get(part, line)
            node = node[part]
        elif isinstance(node, LineList) and isinstance(part, int) and 0 <= part < len(node):
            line = node.item_lines[part]
            node = node[part]
        elif isinstance(node, (LineDict, LineList)):
            continue  # a union tag such as 'single' sits in the location but not in the data
        else:
            break
    return line


def describe_error(error: dict, model_fields: Iterable[str] = ()) -> str:
    """Turn one pydantic error into 'what is wrong and how to fix it'."""
    loc = [str(p) for p in error["loc"] if not isinstance(p, int)]
    field = loc[-1] if loc else "value"
    kind = error["type"]
    if kind == "extra_forbidden" and " " in field:
        return (f"unknown field '{field}': text after a comma inside {{...}} became a field; "
                "put the text in quotes")
    if kind == "extra_forbidden":
        hint = _closest(field, model_fields)
        fix = f"did you mean '{hint}'?" if hint else "remove it"
        return f"unknown field '{field}'; {fix}"
    if kind == "missing":
        return f"missing field '{field}'; add it"
    if kind == "too_short":
        need = error.get("ctx", {}).get("min_length", 1)
        return f"'{field}' needs at least {need} entr{'y' if need == 1 else 'ies'}; add them"
    if kind == "string_too_short":
        return f"'{field}' is empty; write the text"
    if kind in ("literal_error", "enum"):
        expected = error.get("ctx", {}).get("expected", "")
        return f"'{field}' is {error.get('input')!r}; use one of {expected}"
    if kind == "union_tag_invalid":
        expected = error.get("ctx", {}).get("expected_tags", "")
        return f"unknown type {error.get('input', {}).get('type')!r}; use one of {expected}"
    if kind == "union_tag_not_found":
        return "missing field 'type'; add it (single, multiple, matching, ordering or short)"
    if kind == "string_pattern_mismatch":
        return (
            f"'{field}' {error.get('input')!r} is not a safe id; use lowercase letters, digits "
            "and single '-', '_' or '.' between them"
        )
    if kind == "value_error":
        return str(error["ctx"]["error"])
    msg = error["msg"]
    return f"'{field}': {msg[0].lower() + msg[1:]}; correct the value"


def _closest(word: str, choices: Iterable[str]) -> str | None:
    from rapidfuzz import process

    found = process.extractOne(word, list(choices), score_cutoff=70)
    return found[0] if found else None


def validate(schema: type[M] | TypeAdapter, data: Any, path: Path, item: str | None = None) -> tuple[Any, list[Problem]]:
    """Validate data against a model (or TypeAdapter); each error becomes one located Problem."""
    adapter = schema if isinstance(schema, TypeAdapter) else _adapter(schema)
    try:
        return adapter.validate_python(data), []
    except ValidationError as exc:
        shown = display_path(path)
        fields = _field_names(adapter)
        return None, [
            Problem(shown, line_of(data, error["loc"]), describe_error(error, fields), item)
            for error in exc.errors()
        ]


@functools.cache
def _adapter(model: type[BaseModel]) -> TypeAdapter:
    return TypeAdapter(model)


@functools.cache
def _field_names(adapter: TypeAdapter) -> frozenset[str]:
    """Every field name the schema knows, to suggest a fix for a misspelt one."""
    names: set[str] = set()

    def walk(schema):
        if isinstance(schema, dict):
            names.update(schema.get("properties", {}))
            for value in schema.values():
                walk(value)
        elif isinstance(schema, list):
            for value in schema:
                walk(value)

    walk(adapter.json_schema())
    return frozenset(names)
