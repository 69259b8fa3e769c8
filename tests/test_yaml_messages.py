"""What the YAML loader reads and what it says: values and lines as a teacher wrote them, and the
exact one-line message for each kind of mistake in a bank item."""

from __future__ import annotations

import pytest
import yaml

from examkit.bank import yamlfile
from examkit.bank.yamlfile import LineDict, LineList, line_of, load_yaml

from .test_bank import GOOD_SINGLE, problems_of

SCALARS = """\
flags: [true, True, TRUE, false, False, FALSE]
words: [yes, no, on, off, y, n]
numbers: [12, -3, 1.5, +7, 0, 08]
clock:
  - 10:30
  - 0750
  - 1:20:30.5
  - -1:30
date: 2026-01-02
stamp: 2026-01-02 10:30:00
nested:
  - a: 1
    b: 2
  - [x, y]
"""


@pytest.mark.parametrize("base", [yaml.SafeLoader, yaml.CSafeLoader], ids=["python", "libyaml"])
def test_a_loader_reads_booleans_numbers_and_dates_as_a_teacher_means_them(tmp_path, base):
    # The loader is built here rather than taken ready-made, so what building it does is checked.
    path = tmp_path / "values.yaml"
    path.write_text(SCALARS)
    data, problems = load_yaml(path, yamlfile._line_loader(base))
    assert data == {
        "flags": [True, True, True, False, False, False],
        "words": ["yes", "no", "on", "off", "y", "n"],  # YAML 1.1 booleans stay words
        "numbers": [12, -3, 1.5, 7, 0, "08"],
        "clock": ["10:30", "0750", "1:20:30.5", "-1:30"],  # kept as written, and reported below
        "date": "2026-01-02",
        "stamp": "2026-01-02 10:30:00",
        "nested": [{"a": 1, "b": 2}, ["x", "y"]],
    }
    assert [type(v) for v in data["flags"] + data["numbers"][:2]] == [bool] * 6 + [int, int]
    assert [str(p) for p in problems] == [
        f"{path}:5: 10:30 reads in YAML as the number 630; quote this value ('10:30') to keep it as written",
        f"{path}:6: 0750 reads in YAML as the number 488; quote this value ('0750') to keep it as written",
        f"{path}:7: 1:20:30.5 reads in YAML as the number 4830.5; quote this value ('1:20:30.5') to keep it "
        "as written",
        f"{path}:8: -1:30 reads in YAML as the number -90; quote this value ('-1:30') to keep it as written",
    ]
    assert isinstance(data, LineDict) and data.line == 1
    assert data.key_lines == {"flags": 1, "words": 2, "numbers": 3, "clock": 4, "date": 9, "stamp": 10,
                              "nested": 11}
    nested = data["nested"]
    assert isinstance(nested, LineList) and nested.line == 12 and nested.item_lines == [12, 14]
    assert nested[0].key_lines == {"a": 12, "b": 13} and nested[1].item_lines == [14, 14]
    assert data["clock"].item_lines == [5, 6, 7, 8]
    # Only plain data: a tag naming a Python object is refused, not run.
    path.write_text("items:\n  - !!python/object/apply:os.system [echo]\n")
    assert [str(p) for p in load_yaml(path, yamlfile._line_loader(base))[1]] == [
        f"{path}:2: YAML syntax error: could not determine a constructor for the tag "
        "'tag:yaml.org,2002:python/object/apply:os.system'; fix the syntax at this line"]


def test_merged_keys_point_at_the_mapping_that_merged_them(tmp_path):
    path = tmp_path / "merge.yaml"
    path.write_text(
        "base: &base\n  a: 1\n  b: 2\n  c: 3\n"
        "other: &other\n  c: 30\n  d: 4\n"
        "copy:\n  <<: [*base, *other]\n  b: 20\n"
    )
    data, problems = load_yaml(path)
    assert problems == []  # an override, and two merged mappings sharing 'c', are no duplicates
    assert data["copy"] == {"a": 1, "b": 20, "c": 3, "d": 4}  # the first merged mapping wins
    assert data["copy"].key_lines == {"a": 9, "b": 10, "c": 9, "d": 9}
    assert data["copy"].line == 9


def test_a_mapping_key_that_is_not_text_names_its_line(write_items):
    folder = write_items("items:\n  - ? [a, b]\n    : 1\n")
    assert problems_of(folder) == [f"{folder / 'items.yaml'}:2: YAML syntax error: a mapping key must be plain "
                                   "text; fix the syntax at this line"]


def test_line_of_follows_a_location_as_far_as_the_data_goes(tmp_path):
    path = tmp_path / "loc.yaml"
    path.write_text("items:\n  - id: q1\n    options:\n      - text: A\n        why: B\n      - C\n")
    data, _ = load_yaml(path)
    assert line_of(data, ["items", 0, "single", "options", 0, "why"]) == 5  # 'single' is a union tag
    assert line_of(data, ["items", 0, "options", 1, "text"]) == 6  # past a scalar: the scalar's line
    assert line_of(data, ["items", 0, "options", 2]) == 3  # past the end of a list: the list's key
    assert line_of(data, ["items", -1]) == 1
    assert line_of(data["items"][0], ["single"]) == 2  # an error of the item as a whole
    assert line_of(data, [0, "items"]) == 1  # an index into a mapping is passed over
    assert line_of("text", ["items"]) is None  # data that knows no line


def _option_block(why: str) -> str:
    return GOOD_SINGLE.replace("      - {text: Vectors, why: Arrays.}\n", f"      - text: Vectors\n        why: {why}\n")


ITEM_MISTAKES = [
    (GOOD_SINGLE.replace("difficulty: easy", "difficulty: tough"),
     "6: item 'q1': 'difficulty' is 'tough'; use one of 'easy', 'medium' or 'hard'"),
    (GOOD_SINGLE.replace("{text: Chunks, why: Segments.}", "{text: Chunks, why: Segments., pin: middle}"),
     "11: item 'q1': 'pin' is 'middle'; use one of 'first' or 'last'"),
    (GOOD_SINGLE.replace("type: single", "type: essay"),
     "2: item 'q1': unknown type 'essay'; use one of 'single', 'multiple', 'matching', 'ordering', 'short', "
     "'numeric'"),
    (GOOD_SINGLE.replace("    type: single\n", ""),
     "2: item 'q1': missing field 'type'; add it (single, multiple, matching, ordering, short or numeric)"),
    (GOOD_SINGLE.split("      - {text: Chunks")[0],
     "9: item 'q1': 'options' needs at least 2 entries; add them"),
    (GOOD_SINGLE.replace("type: single", "type: short").split("    options:")[0] + "    answers: []\n",
     "9: item 'q1': 'answers' needs at least 1 entry; add them"),
    (GOOD_SINGLE.replace("stem: Which term names the units of text a model reads?", "stem: ''"),
     "5: item 'q1': 'stem' is empty; write the text"),
    (GOOD_SINGLE.replace("    difficulty: easy\n", "    difficulty: easy\n    shuffle: maybe\n"),
     "7: item 'q1': 'shuffle': input should be a valid boolean, unable to interpret input; correct the value"),
    (_option_block("[Arrays]"), "13: item 'q1': 'why': input should be a valid string; correct the value"),
    ("cases:\n  - Shop\n", "2: 'Shop' is not a mapping; write the fields as 'name: value' lines"),
    ("items:\n  - id: q1\n  - Which term names the units of text?\n",
     "3: 'Which term names the units of text?' is not a mapping; write the fields as 'name: value' lines"),
]


@pytest.mark.parametrize(("text", "expected"), ITEM_MISTAKES)
def test_each_kind_of_item_mistake_has_its_own_located_message(write_items, text, expected):
    folder = write_items(text)
    messages = problems_of(folder)
    assert f"{folder / 'items.yaml'}:{expected}" in messages, messages


def test_a_control_character_after_non_ascii_text_is_on_its_own_line(write_items):
    # libyaml counts bytes, not characters: 'é' and '›' before the character pushed the line down.
    folder = write_items(GOOD_SINGLE.replace("Models read tokens.", "Modèles › jetons › " * 20)
                         .replace("why: Inputs.", "why: In\x07puts."))
    assert problems_of(folder) == [f"{folder / 'items.yaml'}:13: the file holds the control character #x0007, "
                                   "which YAML does not allow; delete it (or write it as an escape in double quotes)"]


def _nested(levels: int) -> str:
    return "a: " + "[" * levels + "]" * levels + "\n"


def test_nesting_is_refused_just_past_the_limit(tmp_path):
    path = tmp_path / "deep.yaml"
    path.write_text(_nested(yamlfile.MAX_DEPTH))  # the innermost list sits MAX_DEPTH levels down
    data, problems = load_yaml(path)
    assert problems == [] and data.line == 1
    path.write_text(_nested(yamlfile.MAX_DEPTH + 1))
    assert [str(p) for p in load_yaml(path)[1]] == [
        f"{path}:1: the YAML is nested more than 64 levels deep; a bank needs only a few, so flatten it"]
    # Far deeper, the pure-Python parser runs out of recursion before the depth is measured.
    path.write_text(_nested(700))
    assert [str(p) for p in load_yaml(path, yamlfile.PYTHON_LOADER)[1]] == [
        f"{path}: the YAML is nested more than 64 levels deep; a bank needs only a few, so flatten it"]


BOMB = "the YAML expands to more than 250,000 nodes through aliases (an alias bomb?); write the content out " \
       "without nested aliases"


def test_aliases_may_add_up_to_the_limit_and_not_one_node_more(tmp_path):
    path = tmp_path / "aliases.yaml"
    entries = "[&k x" + ", x" * 998 + "]"  # a list of 999 entries: 1,000 nodes
    refs = ", ".join(["*a"] * 250)  # each adds those 1,000 nodes again: 250,000 in all
    path.write_text(f"a: &a {entries}\nb: [{refs}]\n")
    data, problems = load_yaml(path)
    assert problems == [] and len(data["b"]) == 250 and data["b"][0] is data["a"]
    path.write_text(f"a: &a {entries}\nb: [{refs}, *k]\n")  # one node more
    assert [str(p) for p in load_yaml(path)[1]] == [f"{path}:1: {BOMB}"]


def test_an_alias_bomb_of_one_entry_lists_is_refused_where_it_grows(tmp_path):
    path = tmp_path / "bomb.yaml"
    path.write_text("a: &a [lol]\nb: &b [" + ", ".join(["*a"] * 600) + "]\nc: &c ["
                    + ", ".join(["*b"] * 600) + "]\nitems: *c\n")
    assert [str(p) for p in load_yaml(path)[1]] == [f"{path}:3: {BOMB}"]


def test_a_file_of_exactly_the_size_limit_is_read(write_items, monkeypatch):
    folder = write_items(GOOD_SINGLE)
    monkeypatch.setattr(yamlfile, "MAX_FILE_BYTES", (folder / "items.yaml").stat().st_size)
    assert load_yaml(folder / "items.yaml")[1] == []


def test_a_file_that_cannot_be_read_says_why(tmp_path):
    (tmp_path / "folder.yaml").mkdir()
    for name, why in (("missing.yaml", "No such file or directory"), ("folder.yaml", "Is a directory")):
        assert [str(p) for p in load_yaml(tmp_path / name)[1]] == [
            f"{tmp_path / name}: cannot read the file ({why}); check the path"]


def test_a_byte_that_is_not_utf8_is_found_on_its_line(tmp_path):
    path = tmp_path / "latin.yaml"
    path.write_bytes(b"\n# notes\nitems: []\n# caf\xe9\n" + b"# more\n" * 5)
    assert [str(p) for p in load_yaml(path)[1]] == [
        f"{path}:4: the file is not UTF-8 (byte 0xe9 at offset 24); re-save it with UTF-8 encoding"]
