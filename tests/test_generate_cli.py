"""`examkit generate` end to end: files written, summary, refusals, and byte-identical reruns."""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from examkit.bank import load_bank
from examkit.cli import cli
from examkit.fileio import read_examset
from examkit.generate import (
    KEY_COLUMNS,
    find_blueprint,
    generate_examset,
    load_blueprint,
    resolve_quotas,
    write_examset,
)
from examkit.models import Blueprint

from .conftest import MINI_BANK
from .fixtures.generate.checks import check_examset

FIXTURES = Path(__file__).parent / "fixtures" / "generate"
BLUEPRINT = FIXTURES / "mini-blueprint.yaml"
ROOT = Path(__file__).resolve().parent.parent


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def generate(out: Path, *extra: str):
    return run("generate", "-b", str(BLUEPRINT), "--bank", str(MINI_BANK), "-o", str(out), *extra)


def test_generate_writes_examset_and_key_and_says_so(tmp_path):
    out = tmp_path / "exam"
    result = generate(out, "--forms", "3", "--seed", "7")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == f"wrote {out}: 3 forms (A-C), 6 items each, seed 7, mode draw"
    assert sorted(p.name for p in out.iterdir()) == ["examset.json", "key.csv"]

    examset = read_examset(out)
    bank = load_bank([MINI_BANK])
    check_examset(examset, bank)
    assert examset.manifest.blueprint == "mini-blueprint.yaml" and examset.manifest.seed == 7

    with (out / "key.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert tuple(rows[0]) == KEY_COLUMNS
    assert len(rows) == 18
    printed = {(f.letter, p.position): p for f in examset.forms for p in f.items}
    for row in rows:
        item = printed[(row["form"], int(row["position"]))]
        assert (row["item_id"], row["objective"], row["type"], row["answer"]) == (
            item.item_id, item.objective, item.type, item.key)
        assert float(row["points"]) == item.points


def test_key_csv_uses_the_canonical_notation(tmp_path):
    bank = load_bank([MINI_BANK])
    examset = generate_examset(bank, Blueprint(title="All", items=7), seed=1)
    write_examset(examset, tmp_path / "all")
    text = (tmp_path / "all" / "key.csv").read_text(encoding="utf-8")
    answers = {row["item_id"]: row["answer"] for row in csv.DictReader(text.splitlines())}

    assert re.fullmatch(r"[A-D]", answers["tok-single"])
    assert re.fullmatch(r"[A-E],[A-E]", answers["tok-multiple"])
    assert re.fullmatch(r"1-[A-D];2-[A-D];3-[A-D]", answers["life-match"])
    assert re.fullmatch(r"[A-D],[A-D],[A-D],[A-D]", answers["life-order"])
    assert answers["tok-short"] == "chunking | chunks"
    assert "\r" not in text


def test_files_hold_no_absolute_paths_or_timestamps(tmp_path):
    out = tmp_path / "exam"
    assert generate(out, "--seed", "1").exit_code == 0
    for name in ("examset.json", "key.csv"):
        text = (out / name).read_text(encoding="utf-8")
        assert str(tmp_path) not in text and str(ROOT) not in text
    manifest = json.loads((out / "examset.json").read_text(encoding="utf-8"))["manifest"]
    assert set(manifest) == {"examkit_version", "seed", "mode", "blueprint", "blueprint_hash", "bank_hash"}


def test_non_empty_folder_needs_force(tmp_path):
    out = tmp_path / "exam"
    assert generate(out, "--seed", "1").exit_code == 0
    before = (out / "examset.json").read_bytes()
    refused = generate(out, "--seed", "2")
    assert refused.exit_code == 1
    assert refused.output.strip().splitlines() == [
        f"error: {out}: the output folder is not empty; pass --force to overwrite its exam set, "
        "or choose another folder with -o"]
    assert (out / "examset.json").read_bytes() == before
    (out / "exam-A.pdf").write_bytes(b"an earlier render")
    forced = generate(out, "--seed", "2", "--force")
    assert forced.exit_code == 0
    assert "note: left 1 other file(s) as they were (exam-A.pdf); render again" in forced.output
    assert (out / "exam-A.pdf").read_bytes() == b"an earlier render"
    assert (out / "examset.json").read_bytes() != before
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def test_scramble_and_grouping_options(tmp_path):
    out = tmp_path / "scrambled"
    result = generate(out, "--forms", "3", "--seed", "4", "--mode", "scramble", "--group-by-objective")
    assert result.exit_code == 0, result.output
    examset = read_examset(out)
    assert examset.manifest.mode == "scramble"
    assert len({frozenset(p.item_id for p in f.items) for f in examset.forms}) == 1


def test_errors_are_one_line_and_exit_1(tmp_path):
    greedy = tmp_path / "greedy.yaml"
    greedy.write_text("title: Greedy\nitems: 50\n", encoding="utf-8")
    result = run("generate", "-b", str(greedy), "--bank", str(MINI_BANK), "-o", str(tmp_path / "x"))
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"error: {greedy}:2: asks for 50 items per form, but only 7 bank items fit the blueprint "
        "(types single, multiple, matching, ordering, short, numeric); lower 'items' or add items to the bank"]
    assert not (tmp_path / "x").exists()

    missing = run("generate", "-b", "nope", "--bank", str(MINI_BANK), "-o", str(tmp_path / "y"))
    assert missing.exit_code == 1 and missing.output.startswith("error: nope: no such blueprint")
    bad_bank = run("generate", "-b", str(BLUEPRINT), "--bank", str(tmp_path / "nowhere"), "-o", str(tmp_path / "z"))
    assert bad_bank.exit_code == 1 and "no such file or folder" in bad_bank.output
    assert run("generate", "--forms", "0").exit_code == 2
    assert run("generate", "--mode", "sideways").exit_code == 2


def test_default_output_folder_is_named_after_the_blueprint(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("generate", "-b", str(BLUEPRINT), "--bank", str(MINI_BANK), "--seed", "3")
    assert result.exit_code == 0, result.output
    assert Path("output/mini-blueprint/examset.json").is_file()
    assert result.output.startswith("wrote output/mini-blueprint: 1 form (A), 6 items each, seed 3")


def test_without_seed_a_seed_is_recorded_and_reproduces_the_forms(tmp_path):
    first = generate(tmp_path / "one")
    seed = read_examset(tmp_path / "one").manifest.seed
    assert f"seed {seed}," in first.output
    assert generate(tmp_path / "two", "--seed", str(seed)).exit_code == 0
    assert (tmp_path / "one" / "examset.json").read_bytes() == (tmp_path / "two" / "examset.json").read_bytes()


def test_byte_identical_across_processes_and_hash_seeds(tmp_path):
    outputs = []
    for hash_seed in ("0", "1", "4242"):
        out = tmp_path / f"run-{hash_seed}"
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        subprocess.run(
            [sys.executable, "-m", "examkit", "generate", "-b", str(BLUEPRINT), "--bank", str(MINI_BANK),
             "--forms", "4", "--seed", "99", "-o", str(out)],
            check=True, env=env, cwd=tmp_path, capture_output=True,
        )
        outputs.append(((out / "examset.json").read_bytes(), (out / "key.csv").read_bytes()))
    assert outputs[0] == outputs[1] == outputs[2]
    other = tmp_path / "other-seed"
    assert generate(other, "--forms", "4", "--seed", "100").exit_code == 0
    assert (other / "examset.json").read_bytes() != outputs[0][0]


def test_shipped_bank_and_default_blueprint_with_no_arguments(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("generate")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("wrote output/aif-c01-task-2.1-practice: 1 form (A), 30 items each")
    examset = read_examset(Path("output/aif-c01-task-2.1-practice"))
    blueprint = load_blueprint(find_blueprint(None))
    check_examset(examset, load_bank(None), resolve_quotas(blueprint), blueprint)
    assert examset.scoring.scale == (100, 1000) and examset.scoring.pass_mark == 700
    # A teacher's three scrambled forms of the 30-item exam, in one command.
    three = run("generate", "--forms", "3", "--mode", "scramble", "-o", "three")
    assert three.exit_code == 0, three.output
    assert len(read_examset(Path("three")).forms) == 3


def test_shipped_quiz_blueprint_on_the_shipped_bank(tmp_path):
    result = run("generate", "-b", "aif-c01-task-2.1-quiz", "--forms", "5", "--seed", "1", "-o", str(tmp_path / "q"))
    assert result.exit_code == 0, result.output
    blueprint = load_blueprint(find_blueprint("aif-c01-task-2.1-quiz"))
    check_examset(read_examset(tmp_path / "q"), load_bank(None), resolve_quotas(blueprint), blueprint)


def test_generate_prints_the_table_of_every_form_and_the_forms_agree(tmp_path):
    result = CliRunner().invoke(cli, ["generate", "--forms", "3", "--seed", "11", "-o", str(tmp_path / "p")])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    header = next(line for line in lines if line.strip().startswith("objective"))
    assert header.split()[-3:] == ["A", "B", "C"]
    rows = [line.split() for line in lines if line.strip().startswith("aif-c01:")]
    assert rows and all(row[-1] == row[-2] == row[-3] for row in rows)
    # The shipped blueprint's counts: 20/6/2/2 by type, 9/15/6 by difficulty, one case study.
    by_type: dict[str, int] = {}
    by_level: dict[str, int] = {}
    for row in rows:
        by_type[row[1]] = by_type.get(row[1], 0) + int(row[-1])
        by_level[row[2]] = by_level.get(row[2], 0) + int(row[-1])
    assert by_type == {"single": 20, "multiple": 6, "matching": 2, "ordering": 2}
    assert by_level == {"easy": 9, "medium": 15, "hard": 6}
    assert next(line for line in lines if "case studies" in line).split()[-3:] == ["1", "1", "1"]
    assert "every one of the 3 forms holds the same table" in result.output


def test_a_count_the_bank_cannot_meet_is_named_with_its_line_and_shortfall(tmp_path):
    blueprint = tmp_path / "bp.yaml"
    blueprint.write_text("title: Too many\nitems: 30\ntypes: [single, ordering]\n"
                         "type_counts: {ordering: 25}\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["generate", "-b", str(blueprint), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "bp.yaml:4: asks for 25 ordering items per form, but the bank has" in result.stderr
    assert " short; " in result.stderr and not (tmp_path / "out").exists()
