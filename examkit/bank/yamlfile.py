"""Reading YAML safely, remembering the line of every node so errors can point at it.

Only PyYAML's safe loaders are used (plain data, no Python objects): libyaml's C parser where
PyYAML was built with it, the pure-Python one otherwise, with identical results and messages.
On top of them this module adds what PyYAML leaves out: the line of each mapping key and list
entry, detection of duplicate keys (PyYAML silently keeps the last one), a warning for values
YAML 1.1 silently turns into numbers (`10:30`, `0750`), and limits on file size, nesting depth
and alias expansion, so a "billion laughs" file is refused before anything walks it.
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

# Nodes that aliases may add beyond those written out: generous for hand-written anchors,
# far below what an alias bomb asks for. Nodes written out count nothing (an 8,000-item bank is fine).
MAX_ALIAS_EXPANSION = 250_000
MAX_DEPTH = 64  # a bank needs about six levels; hundreds only come from a hostile file
MAX_FILE_BYTES = 32 * 1024 * 1024
M = TypeVar("M", bound=BaseModel)
_NUMBER_LIKE_TAG = "tag:examkit,2026:number-like-text"


class LineDict(dict):
    """A mapping that knows the line of each of its keys (1-based)."""

    line: int = 0
    key_lines: dict


class LineList(list):
    """A list that knows the line of each of its entries (1-based)."""

    line: int = 0
    item_lines: list


class _LineConstructing:
    """Construction that records lines and duplicate keys instead of losing them."""

    def __init__(self, stream):
        super().__init__(stream)
        self.duplicates: list[tuple[int, str, int]] = []
        self.number_like: list[tuple[int, str, object]] = []

    # `deep` is in PyYAML's signature only: constructors that are not generators build each node
    # at once, and PyYAML never passes it to them.
    def construct_mapping(self, node, deep=False):
        # A merge (`<<: *base`) brings the base's pairs in first; keys written here then
        # override them, as YAML intends: only a key written twice *here* is a duplicate.
        written = sum(1 for key, _ in node.value if key.tag != "tag:yaml.org,2002:merge")
        self.flatten_mapping(node)
        merged = len(node.value) - written
        mapping = LineDict()
        mapping.line = node.start_mark.line + 1
        mapping.key_lines = {}
        for position, (key_node, value_node) in enumerate(node.value):
            key = self.construct_object(key_node)
            if not isinstance(key, (str, int, float, bool)) and key is not None:
                raise yaml.constructor.ConstructorError(
                    None, None, "a mapping key must be plain text", key_node.start_mark
                )
            line = key_node.start_mark.line + 1
            first = mapping.key_lines.get(key)  # None for a merged key: overriding it is no duplicate
            if first is not None:
                self.duplicates.append((line, str(key), first))
            mapping[key] = self.construct_object(value_node)
            mapping.key_lines[key] = line if position >= merged else None
        # Merged keys point at the line of the mapping that merged them.
        mapping.key_lines = {k: v or mapping.line for k, v in mapping.key_lines.items()}
        return mapping

    def construct_sequence(self, node, deep=False):
        seq = LineList(self.construct_object(child) for child in node.value)
        seq.line = node.start_mark.line + 1
        seq.item_lines = [child.start_mark.line + 1 for child in node.value]
        return seq

    def construct_number_like(self, node):
        """Keep `10:30` or `0750` as written, and remember to ask for quotes around it."""
        as_yaml11 = (yaml.SafeLoader.construct_yaml_float if "." in node.value
                     else yaml.SafeLoader.construct_yaml_int)(self, node)
        self.number_like.append((node.start_mark.line + 1, node.value, as_yaml11))
        return node.value


# YAML 1.1 reads yes/no/on/off as booleans, which turns a `why: No` into False; only
# true/false are booleans here, as in YAML 1.2. It also reads 10:30 as 630 (base 60) and
# 0750 as 488 (octal): those are kept as text and reported, so the author adds quotes.
_NUMBER_LIKE = re.compile(
    r"""^(?:[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?  # sexagesimal: 10:30, 1:20:30.5
        |[-+]?0[0-7_]+)$                                   # leading zero: octal in YAML 1.1
    """, re.VERBOSE)


def _resolvers() -> dict:
    resolvers = {
        first: [(tag, rx) for tag, rx in found if tag != "tag:yaml.org,2002:bool"]
        for first, found in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    # PyYAML registers its bool resolver under t, T, f, F and its number resolvers under signs and digits.
    for first in "tTfF":
        resolvers[first].append(
            ("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")))
    for first in "+-0123456789":  # checked before the int and float resolvers
        resolvers[first].insert(0, (_NUMBER_LIKE_TAG, _NUMBER_LIKE))
    return resolvers


def _line_loader(base: type) -> type:
    loader = type(f"Line{base.__name__}", (_LineConstructing, base), {})
    loader.yaml_implicit_resolvers = _resolvers()
    loader.add_constructor("tag:yaml.org,2002:map", _LineConstructing.construct_mapping)
    loader.add_constructor("tag:yaml.org,2002:seq", _LineConstructing.construct_sequence)
    loader.add_constructor(_NUMBER_LIKE_TAG, _LineConstructing.construct_number_like)
    # Timestamps and the like stay text: a bank holds prose, not dates.
    loader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)
    return loader


PYTHON_LOADER = _line_loader(yaml.SafeLoader)
# libyaml parses several times faster; the pure-Python parser stays for builds without it.
LOADER = _line_loader(yaml.CSafeLoader) if getattr(yaml, "__with_libyaml__", False) else PYTHON_LOADER
_LIBYAML = (yaml.cyaml.CParser,) if LOADER is not PYTHON_LOADER else ()  # what libyaml's loaders derive from


class _Refused(Exception):
    """The node graph is unsafe to construct; carries the line and the message."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line


def _check_shape(root: yaml.Node) -> None:
    """Refuse a node graph that is too deep, refers to itself, or grows too much through aliases."""
    sizes: dict[int, int] = {}  # node -> nodes in it, counting each alias's again: done nodes
    active: set[int] = set()  # every node started (a node met again before it is done refers to itself)

    def size(node: yaml.Node, depth: int) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        line = node.start_mark.line + 1
        if key in active:
            raise _Refused(line, "an alias refers to the list or mapping it is inside, which never ends; "
                                 "write the content out instead")
        if depth > MAX_DEPTH:
            raise _Refused(line, _TOO_DEEP)
        active.add(key)
        total = 1
        children = node.value if isinstance(node, yaml.SequenceNode) else (
            [n for pair in node.value for n in pair] if isinstance(node, yaml.MappingNode) else [])
        for child in children:
            total += size(child, depth + 1)
            # Nodes counted so far less nodes written out (this one too): what aliases added. It
            # only grows, and after the root's last child it is the whole file's, so the file is
            # refused as soon as it is over the limit, at the node where it went over.
            if total - len(sizes) - 1 > MAX_ALIAS_EXPANSION:
                raise _Refused(line, _BOMB)
        sizes[key] = total
        return total

    size(root, 0)


_TOO_DEEP = f"the YAML is nested more than {MAX_DEPTH} levels deep; a bank needs only a few, so flatten it"
_BOMB = (f"the YAML expands to more than {MAX_ALIAS_EXPANSION:,} nodes through aliases (an alias bomb?); "
         "write the content out without nested aliases")


def read_text(path: Path) -> tuple[str | None, Problem | None]:
    """The file's text as UTF-8 (a BOM is dropped), or a problem saying where it is not."""
    shown = display_path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, Problem(shown, None, f"the file is {size:,} bytes, more than the {MAX_FILE_BYTES:,} "
                                              "a YAML file may hold; split it into several files")
        raw = path.read_bytes()
    except OSError as exc:
        return None, Problem(shown, None, f"cannot read the file ({exc.strerror}); check the path")
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        return None, Problem(
            shown,
            line,
            f"the file is not UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start}); "
            "re-save it with UTF-8 encoding",
        )


def load_yaml(path: Path, loader: type | None = None) -> tuple[Any, list[Problem]]:
    """Parse one YAML file into LineDict/LineList data; problems instead of exceptions."""
    shown = display_path(path)
    text, problem = read_text(path)
    if problem:
        return None, [problem]
    loader_class = loader or LOADER
    try:
        data, parsed = _parse(text, loader_class)
    except (yaml.MarkedYAMLError, yaml.reader.ReaderError) as exc:  # the only errors a safe load raises
        if issubclass(loader_class, _LIBYAML):
            # libyaml words its syntax errors differently and counts positions in bytes, not
            # characters; the pure-Python parser's words are the ones users (and the README)
            # know, and its positions give the right line, so a broken file is read again by it.
            return load_yaml(path, PYTHON_LOADER)
        if isinstance(exc, yaml.MarkedYAMLError):
            return None, [_syntax_problem(shown, exc)]
        line = text[:exc.position].count("\n") + 1  # the reader refuses one character
        return None, [Problem(shown, line, f"the file holds the control character #x{exc.character:04x}, which "
                                           "YAML does not allow; delete it (or write it as an escape in double quotes)")]
    except _Refused as exc:
        return None, [Problem(shown, exc.line, str(exc))]
    except RecursionError:  # the pure-Python parser's own recursion, before the depth is checked
        return None, [Problem(shown, None, _TOO_DEEP)]
    if parsed is None:
        return None, []
    problems = [
        Problem(
            shown,
            line,
            f"duplicate key '{key}' (first at line {first}); YAML keeps only the last one, "
            "so remove or rename one of them",
        )
        for line, key, first in parsed.duplicates
    ]
    problems += [
        Problem(shown, line, f"{raw} reads in YAML as the number {value}; quote this value ('{raw}') "
                             "to keep it as written")
        for line, raw, value in parsed.number_like
    ]
    return data, problems


def _parse(text: str, loader_class: type):
    """(data, loader) for one document; (None, None) when it is empty."""
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None
        _check_shape(node)
        return loader.construct_document(node), loader
    finally:
        loader.dispose()


def _syntax_problem(shown: str, exc: yaml.MarkedYAMLError) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else None
    what = exc.problem or exc.context or "invalid YAML"
    return Problem(shown, line, f"YAML syntax error: {what}; fix the syntax at this line")


def line_of(data: Any, loc: Iterable[Any]) -> int | None:
    """The line of the deepest node along a pydantic error location that the data knows."""
    line = getattr(data, "line", None)
    node = data
    for part in loc:
        if isinstance(node, LineDict) and part in node:
            line = node.key_lines[part]
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
    if kind in ("model_type", "model_attributes_type"):  # a bare value where fields belong
        return f"{error.get('input')!r} is not a mapping; write the fields as 'name: value' lines"
    if kind == "too_short":
        need = error["ctx"]["min_length"]
        return f"'{field}' needs at least {need} entr{'y' if need == 1 else 'ies'}; add them"
    if kind == "string_too_short":
        return f"'{field}' is empty; write the text"
    if kind == "literal_error":
        return f"'{field}' is {error['input']!r}; use one of {error['ctx']['expected']}"
    if kind == "union_tag_invalid":
        return f"unknown type {error['input']['type']!r}; use one of {error['ctx']['expected_tags']}"
    if kind == "union_tag_not_found":
        return "missing field 'type'; add it (single, multiple, matching, ordering, short or numeric)"
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


def validate(schema: type[M] | TypeAdapter, data: Any, path: Path, item: str | None = None,
             line: int | None = None) -> tuple[Any, list[Problem]]:
    """Validate data against a model (or TypeAdapter); each error becomes one located Problem, at
    `line` (where the data was written) when the data itself knows no line (a bare scalar)."""
    adapter = schema if isinstance(schema, TypeAdapter) else _adapter(schema)
    try:
        return adapter.validate_python(data), []
    except ValidationError as exc:
        shown = display_path(path)
        return None, [
            Problem(shown, line_of(data, error["loc"]) or line,
                    describe_error(error, _fields_at(adapter, tuple(error["loc"][:-1]))), item)
            for error in exc.errors()
        ]


@functools.cache
def _adapter(model: type[BaseModel]) -> TypeAdapter:
    return TypeAdapter(model)


@functools.cache
def _fields_at(adapter: TypeAdapter, loc: tuple) -> frozenset[str]:
    """The field names of the model at `loc` (an option's, not an item's), to suggest a fix for a
    misspelt one; every name the schema knows when the location cannot be followed."""
    schema = adapter.json_schema()
    defs = schema.get("$defs", {})

    def resolve(node: dict) -> dict:
        while "$ref" in node or "anyOf" in node:  # an optional field is anyOf [model, null]
            node = (defs[node["$ref"].rsplit("/", 1)[-1]] if "$ref" in node
                    else next((b for b in node["anyOf"] if "type" not in b or b["type"] != "null"), {}))
        return node

    node = resolve(schema)
    for part in loc:
        mapping = node.get("discriminator", {}).get("mapping", {})
        if part in mapping:
            node = resolve({"$ref": mapping[part]})
        elif isinstance(part, int) and isinstance(node.get("items"), dict):
            node = resolve(node["items"])
        elif part in node.get("properties", {}):
            node = resolve(node["properties"][part])
        else:
            return _field_names(adapter)
    return frozenset(node.get("properties", {})) or _field_names(adapter)


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
