"""The YAML loader on hostile and surprising files: one located line each, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from examkit.bank import load_bank
from examkit.bank import yamlfile
from examkit.bank.yamlfile import PYTHON_LOADER, load_yaml
from examkit.errors import ExamkitError

from .conftest import MINI_BANK
from .test_bank import GOOD_SINGLE, problems_of


@pytest.mark.parametrize("char", ["\x0c", "\x0b", "\x07"])
def test_control_characters_give_one_line_with_the_line_number(write_items, char):
    folder = write_items(GOOD_SINGLE.replace("why: Arrays.", f"why: Arr{char}ays."))
    (message,) = problems_of(folder)
    assert message == (f"{folder / 'items.yaml'}:12: the file holds the control character #x{ord(char):04x}, "
                       "which YAML does not allow; delete it (or write it as an escape in double quotes)")


def test_an_alias_inside_itself_is_refused_not_a_recursion_error(write_items):
    folder = write_items("items: &a [*a]\n")
    (message,) = problems_of(folder)
    assert message.endswith("items.yaml:1: an alias refers to the list or mapping it is inside, which never ends; "
                            "write the content out instead")


def test_a_merge_key_with_overrides_is_standard_yaml_not_a_duplicate(write_items):
    base = GOOD_SINGLE.replace("  - id: q1\n", "  - &base\n    id: q1\n")
    second = """  - <<: *base
    id: q2
    stem: Which term names the pieces of text a model reads?
"""
    bank = load_bank([write_items(base + second)])
    assert bank.item("q2").stem == "Which term names the pieces of text a model reads?"
    assert bank.item("q2").options == bank.item("q1").options
    # A key written twice next to the merge is still a duplicate.
    folder = write_items(base + second + "    stem: Again?\n")
    (message,) = problems_of(folder)
    assert message.endswith("items.yaml:18: duplicate key 'stem' (first at line 17); YAML keeps only the last one, "
                            "so remove or rename one of them")


@pytest.mark.parametrize(("raw", "number"), [("10:30", 630), ("0750", 488), ("1:20:30", 4830)])
def test_yaml_1_1_numbers_ask_for_quotes(write_items, raw, number):
    folder = write_items(GOOD_SINGLE.replace("{text: Vectors,", f"{{text: {raw},"))
    (message,) = problems_of(folder)
    assert message.endswith(f"items.yaml:12: {raw} reads in YAML as the number {number}; "
                            f"quote this value ('{raw}') to keep it as written")
    quoted = write_items(GOOD_SINGLE.replace("{text: Vectors,", f"{{text: '{raw}',"))
    assert load_bank([quoted]).item("q1").options[2].text == raw


def test_did_you_mean_proposes_only_fields_of_the_model_at_that_place(write_items):
    folder = write_items(GOOD_SINGLE.replace("why: Arrays.", "expl: Arrays."))
    messages = problems_of(folder)
    (unknown,) = [m for m in messages if "unknown field" in m]
    assert unknown.endswith("items.yaml:12: item 'q1': unknown field 'expl'; remove it")
    folder = write_items(GOOD_SINGLE.replace("why: Arrays.", "whyy: Arrays."))
    assert any(m.endswith("unknown field 'whyy'; did you mean 'why'?") for m in problems_of(folder))


def test_deep_nesting_is_a_located_error(write_items):
    folder = write_items("items: " + "[" * 300 + "]" * 300 + "\n")
    (message,) = problems_of(folder)
    assert message.endswith(f"items.yaml:1: the YAML is nested more than {yamlfile.MAX_DEPTH} levels deep; "
                            "a bank needs only a few, so flatten it")
    data, problems = load_yaml(folder / "items.yaml", PYTHON_LOADER)
    assert data is None and "nested more than" in str(problems[0])


def test_a_large_alias_free_bank_is_not_taken_for_an_alias_bomb(tmp_path):
    # 300,000 nodes written out, no alias: over the old node cap, and valid.
    (tmp_path / "exam.yaml").write_text((MINI_BANK / "exam.yaml").read_text())
    entries = "".join(GOOD_SINGLE.split("items:\n", 1)[1].replace("id: q1", f"id: q{n}") for n in range(8000))
    (tmp_path / "items.yaml").write_text("items:\n" + entries)
    assert len(load_bank([tmp_path]).items) == 8000


def test_an_oversized_file_is_refused_with_its_size_before_parsing(write_items, monkeypatch):
    monkeypatch.setattr(yamlfile, "MAX_FILE_BYTES", 1024)
    folder = write_items(GOOD_SINGLE * 3)
    size = (folder / "items.yaml").stat().st_size
    (message,) = [m for m in problems_of(folder) if "items.yaml" in m]
    assert message.endswith(f"items.yaml: the file is {size:,} bytes, more than the 1,024 a YAML file may hold; "
                            "split it into several files")


BROKEN = [
    "items:\n  - id: q1\n    stem: [unclosed\n    type: single\n",
    "a: b: c\n",
    "a:\n  - x\n - y\n",
    'a: "open\n',
    "a: {b: 1\n",
    "? [a, b]\n: 1\n",
]


@pytest.mark.parametrize("text", BROKEN)
def test_libyaml_and_pure_python_loaders_give_the_same_messages(tmp_path, text):
    path = tmp_path / "broken.yaml"
    path.write_text(text)
    assert yaml.__with_libyaml__, "PyYAML without libyaml: install libyaml-dev and rebuild PyYAML"
    assert yamlfile.LOADER is not PYTHON_LOADER
    assert [str(p) for p in load_yaml(path)[1]] == [str(p) for p in load_yaml(path, PYTHON_LOADER)[1]]


def test_both_loaders_read_the_shipped_bank_alike():
    for path in sorted(Path(yamlfile.__file__).parents[2].joinpath("banks", "aif-c01").glob("*.yaml")):
        fast, slow = load_yaml(path), load_yaml(path, PYTHON_LOADER)
        assert fast == slow
        assert fast[0].key_lines == slow[0].key_lines


def test_validate_finds_what_generate_would_refuse(write_items):
    from examkit.bank.load import MAX_LETTERED
    from examkit.generate.shuffle import LETTERS

    assert MAX_LETTERED == len(LETTERS)
    options = "".join(f"      - {{text: Option {n}, why: No.}}\n" for n in range(99))
    text = GOOD_SINGLE.replace("      - {text: Chunks, why: Segments.}\n", options)
    text = text.replace("type: single", "type: multiple").replace("{text: Vectors, why: Arrays.}",
                                                                  "{text: Vectors, correct: true, why: Yes.}")
    messages = problems_of(write_items(text))
    assert any(m.endswith("items.yaml:2: item 'q1': has 102 options; a form can letter at most 26 (A to Z), "
                          "so split the item") for m in messages), messages


def test_bank_discovery_reports_what_it_would_skip(tmp_path):
    import os
    import shutil

    bank = tmp_path / "bank"
    shutil.copytree(MINI_BANK, bank)
    (bank / "extra.YAML").write_text("items: []\n")
    (bank / "gone.yaml").symlink_to(tmp_path / "nowhere.yaml")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "more.yaml").write_text("items: []\n")
    (bank / "linked").symlink_to(elsewhere)
    locked = bank / "locked"
    locked.mkdir()
    (locked / "hidden.yaml").write_text("items: []\n")
    locked.chmod(0)
    try:
        with pytest.raises(ExamkitError) as caught:
            load_bank([bank])
    finally:
        locked.chmod(0o755)
    messages = sorted(str(p) for p in caught.value.problems)
    expected = [
        f"{bank / 'extra.YAML'}: '.YAML' is not read as YAML; rename the file to end in '.yaml'",
        f"{bank / 'gone.yaml'}: a broken symbolic link; point it at a file or remove it",
        f"{bank / 'linked'}: a symbolic link to a folder is not followed; name the folder itself",
    ]
    if os.geteuid() != 0:  # root reads any folder
        expected.append(f"{locked}: cannot read this folder (Permission denied); fix its permissions or move it "
                        "out of the bank")
    assert messages == sorted(expected)
