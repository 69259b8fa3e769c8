"""Benchmark: grade 100,000 submissions of a 65-item form, CSV in, scores.csv and responses.csv out.

    .venv/bin/python bench/grade.py [--students 100000] [--baseline-rows 5000] [--out /tmp/examkit-bench]

Writes its own synthetic exam set and answer sheet (a 65-item form of every item type; 15% of
cells typed as free text, option texts, variants or typos, the rest canonical letters), then:

- examkit: `grade_and_write(analysis=False, report=False)` (what `examkit grade --no-report`
  does: rows stream through, written as they are graded), timed, with peak memory
  (resource.getrusage), each measurement in a process of its own;
- memory flat in the number of rows: the peak for a quarter of the rows against all of them,
  streamed and, as a baseline, graded in memory (`grade_files` + `write_results`, which keeps
  every row for the caller);
- a naive baseline in the same run: per cell, normalise and rapidfuzz `process.extractOne`
  against the item's letters and option texts, then score and write the same two CSV files
  with csv.writer. It runs on the first --baseline-rows rows and is extrapolated linearly
  (it would take minutes on all of them); the ratio compares time per row.

Targets (issue 16): under 10 s and under 500 MB peak, flat in the number of rows; the ratio to
the baseline is printed too. The whole job (item analysis and report.html too) is printed after.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from examkit.grade.match import normalise  # noqa: E402
from examkit.models import FORMAT, pack_forms  # noqa: E402
from examkit.models import (  # noqa: E402
    ExamSet,
    FormItem,
    Manifest,
    PrintedOption,
    PrintedPremise,
    PrintedStep,
    Scoring,
)

WORDS = ("model token vector prompt chunk layer weight data train tune deploy serve label cost latency agent "
         "embedding context window bias fairness guardrail retrieval index search cache output input format "
         "policy review audit metric score accuracy recall precision drift monitor feedback loop batch stream").split()
MIX = ["single"] * 40 + ["multiple"] * 10 + ["matching"] * 5 + ["ordering"] * 5 + ["short"] * 5
LETTERS = "ABCDEFGH"


def phrase(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize()


def build_examset(rng: random.Random) -> ExamSet:
    items = []
    for position, kind in enumerate(MIX, start=1):
        base = dict(position=position, item_id=f"item-{position:02d}", type=kind, objective=f"bench:1.{position % 4 + 1}",
                    stem=f"Question {position}: {phrase(rng, 8)}?", difficulty="medium", explanation="Because.",
                    source="Notes")
        if kind in ("single", "multiple"):
            count = 4 if kind == "single" else 5
            texts = list(dict.fromkeys(phrase(rng, rng.randint(2, 5)) for _ in range(20)))[:count]
            right = {0} if kind == "single" else set(rng.sample(range(count), 2))
            options = [PrintedOption(letter=LETTERS[i], text=t, why="Why.", correct=i in right) for i, t in enumerate(texts)]
            key = ",".join(LETTERS[i] for i in sorted(right))
            items.append(FormItem(**base, options=options, key=key))
        elif kind == "matching":
            texts = list(dict.fromkeys(phrase(rng, 4) for _ in range(20)))[:5]
            responses = [PrintedOption(letter=LETTERS[i], text=t) for i, t in enumerate(texts)]
            answers = rng.sample(range(5), 4)
            premises = [PrintedPremise(number=i + 1, text=phrase(rng, 3) + f" {i}", answer=LETTERS[a], why="Why.")
                        for i, a in enumerate(answers)]
            key = ";".join(f"{p.number}-{p.answer}" for p in premises)
            items.append(FormItem(**base, premises=premises, responses=responses, key=key))
        elif kind == "ordering":
            texts = list(dict.fromkeys(phrase(rng, 3) for _ in range(20)))[:4]
            ranks = rng.sample(range(1, 5), 4)
            steps = [PrintedStep(letter=LETTERS[i], text=t, why="Why.", rank=r) for i, (t, r) in enumerate(zip(texts, ranks))]
            key = ",".join(s.letter for s in sorted(steps, key=lambda s: s.rank))
            items.append(FormItem(**base, steps=steps, key=key))
        else:
            answers = [rng.choice(WORDS) + "ing", rng.choice(WORDS) + " " + rng.choice(WORDS)]
            items.append(FormItem(**base, answers=answers, key=" | ".join(answers)))
    stored, forms = pack_forms([("A", items)])
    return ExamSet(format=FORMAT, title="Bench", exam="bench", scoring=Scoring(),
                   objectives={f"bench:1.{i}": f"Objective {i}" for i in range(1, 5)} | {"bench:1": "All"},
                   manifest=Manifest(examkit_version="0", seed=0, mode="draw", blueprint="bench", blueprint_hash="",
                                     bank_hash=""),
                   items=stored, forms=forms)


def typo(rng: random.Random, text: str) -> str:
    i = rng.randrange(len(text))
    op = rng.randrange(3)
    ch = rng.choice("abcdefghijklmnopqrstuvwxyz")
    if op == 0:
        return text[:i] + text[i + 1:]
    if op == 1:
        return text[:i] + ch + text[i:]
    return text[:i] + ch + text[i + 1:]


def answer(rng: random.Random, item: FormItem) -> str:
    """One cell: mostly the canonical letters; 15% typed text, variants or typos; a few blanks."""
    free = rng.random() < 0.15
    if rng.random() < 0.02:
        return ""
    right = rng.random() < 0.7
    if item.type == "single":
        letter = item.key if right else rng.choice("ABCD")
        if not free:
            return letter
        text = item.options[LETTERS.index(letter)].text
        return rng.choice([text, text.lower(), typo(rng, text), f"({letter.lower()})", f"{letter}.", f"{letter}) {text}"])
    if item.type == "multiple":
        chosen = item.key.split(",") if right else sorted(rng.sample("ABCDE", 2))
        if not free:
            return ",".join(chosen)
        texts = [item.options[LETTERS.index(c)].text for c in chosen]
        return rng.choice([" ".join(chosen), "".join(chosen), ", ".join(texts), ";".join(texts) + ";",
                           ", ".join(typo(rng, t) for t in texts)])
    if item.type == "matching":
        letters = [p.answer for p in item.premises] if right else rng.sample("ABCDE", 4)
        if not free:
            return ";".join(f"{i}-{a}" for i, a in enumerate(letters, 1))
        return rng.choice([" ".join(f"{i}{a}" for i, a in enumerate(letters, 1)), "".join(letters),
                           ", ".join(f"{i}:{a.lower()}" for i, a in enumerate(letters, 1))])
    if item.type == "ordering":
        order = item.key.split(",") if right else rng.sample("ABCD", 4)
        if not free:
            return ",".join(order)
        texts = [item.steps[LETTERS.index(c)].text for c in order]
        return rng.choice(["".join(order), " > ".join(order), " > ".join(texts), ";".join(texts) + ";"])
    text = item.answers[0] if right else rng.choice(WORDS)
    return typo(rng, text) if free and len(text) > 4 else text


def write_sheet(path: Path, examset: ExamSet, students: int, rng: random.Random) -> None:
    items = examset.forms[0].items
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", "form", *range(1, len(items) + 1)])
        for n in range(students):
            writer.writerow([f"s{n:06d}", "A", *(answer(rng, item) for item in items)])


# --------------------------------------------------------------------------- naive baseline


def naive_grade(examset: ExamSet, sheet: Path, out: Path, rows: int) -> int:
    """Read every cell on its own with rapidfuzz's extractOne over letters and option texts."""
    from rapidfuzz import process

    items = examset.forms[0].items
    choices = []
    for item in items:
        texts = item.options or item.responses or item.steps
        choices.append([o.letter for o in texts] + [normalise(o.text) for o in texts] + [normalise(a) for a in item.answers])
    done = 0
    with sheet.open(newline="", encoding="utf-8") as source, \
            (out / "naive-scores.csv").open("w", newline="", encoding="utf-8") as scores, \
            (out / "naive-responses.csv").open("w", newline="", encoding="utf-8") as responses:
        reader = csv.reader(source)
        next(reader)
        score_writer, response_writer = csv.writer(scores), csv.writer(responses)
        for row in reader:
            if done >= rows:
                break
            total = 0
            for item, options, cell in zip(items, choices, row[2:]):
                norm = normalise(cell)
                found = process.extractOne(norm, options) if norm else None
                reading = found[0] if found and found[1] >= 85 else ""
                points = 1 if reading and reading in item.key else 0
                total += points
                response_writer.writerow([row[0], row[1], item.position, item.item_id, cell, reading, points])
            score_writer.writerow([row[0], row[1], total, len(items)])
            done += 1
    return done


_CHILD = """
import json, resource, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[4])
from examkit.fileio import read_examset
from examkit.grade import grade_and_write, grade_files, write_results
out, way, sheet = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
examset = read_examset(out)
wall, cpu = time.perf_counter(), time.process_time()
if way == "in memory":
    run = grade_files(examset, [sheet])
    write_results(run, out / "results-memory", analysis=False, report=False)
    flagged = sum(1 for r in run.results if r.flagged)
else:
    whole = way == "whole job"
    run, tally, _ = grade_and_write(examset, [sheet], out / "results", analysis=whole, report=whole)
    flagged = tally.flagged_count
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
distinct = sum(len(g.cache) for graders in run.graders.values() for g in graders)
try:  # this process's own peak: ru_maxrss would start from the parent's size at fork
    status = Path("/proc/self/status").read_text()
    peak = int(status.split("VmHWM:")[1].split()[0]) / 1024
except (OSError, IndexError):
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps([wall, cpu, peak, distinct, flagged]))
"""


def measure(out: Path, way: str, sheet: Path) -> list:
    """(wall s, CPU s, peak MB, distinct cells, flagged rows) of grading `sheet` one way, in a process of its own."""
    import json
    import subprocess

    done = subprocess.run([sys.executable, "-c", _CHILD, str(out), way, str(sheet), str(Path(__file__).resolve().parents[1])],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=100_000)
    parser.add_argument("--baseline-rows", type=int, default=5_000)
    parser.add_argument("--out", type=Path, default=Path("/tmp/examkit-bench"))
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(args.seed)
    examset = build_examset(rng)
    (args.out / "examset.json").write_text(examset.model_dump_json(indent=1))  # read back by each measurement
    sheet = args.out / "responses.csv"
    started = time.perf_counter()
    write_sheet(sheet, examset, args.students, rng)
    print(f"data: {args.students:,} rows x {len(MIX)} items, {sheet.stat().st_size / 1e6:.1f} MB "
          f"(generated in {time.perf_counter() - started:.1f} s)")

    quarter_rows = args.students // 4
    with sheet.open(encoding="utf-8", newline="") as source:
        reader = csv.reader(source)
        header, first_rows = next(reader), [row for _, row in zip(range(quarter_rows), reader)]
    quarter, repeated = args.out / "responses-quarter.csv", args.out / "responses-repeated.csv"
    with quarter.open("w", encoding="utf-8", newline="") as target:
        csv.writer(target).writerows([header, *first_rows])
    # The quarter's answers four times over, each copy its own students: as many rows as the
    # sheet, and no answer the quarter lacks. What grows from the quarter to this is the rows alone.
    with repeated.open("w", encoding="utf-8", newline="") as target:
        writer = csv.writer(target)
        writer.writerow(header)
        for copy in range(4):
            writer.writerows([f"{row[0]}-{copy}", *row[1:]] for row in first_rows)
    # Each measurement in its own process, so each peak is its own.
    runs = {(way, size): measure(args.out, way, path)
            for size, path in (("quarter", quarter), ("all", sheet), ("repeated", repeated))
            for way in ("streamed", "in memory")}
    ours, ours_cpu, peak_mb, distinct, flagged = runs[("streamed", "all")]
    print(f"examkit (grade_and_write: scores.csv and responses.csv): {ours:.2f} s, "
          f"{args.students / ours:,.0f} rows/s, peak memory {peak_mb:,.0f} MB; "
          f"{distinct:,} distinct cells read, {flagged:,} rows flagged")
    for way in ("streamed", "in memory"):
        small, large, same = (runs[(way, size)][2] for size in ("quarter", "all", "repeated"))
        extra = (args.students - quarter_rows) / 1024 / 1024
        print(f"  peak memory, {way}: {small:,.0f} MB for {quarter_rows:,} rows, {large:,.0f} MB for "
              f"{args.students:,} ({(large - small) / extra:,.0f} bytes per extra row; "
              f"{runs[(way, 'all')][0]:.2f} s); {same:,.0f} MB for {args.students:,} rows repeating the "
              f"quarter's answers ({(same - small) / extra:,.0f} bytes per extra row)")
    whole = measure(args.out, "whole job", sheet)
    print(f"the whole job (`examkit grade`: item analysis and report.html too, not part of the target): "
          f"{whole[0]:.2f} s, peak {whole[2]:,.0f} MB")

    started, cpu_started = time.perf_counter(), time.process_time()
    rows = naive_grade(examset, sheet, args.out, args.baseline_rows)
    naive = time.perf_counter() - started
    naive_cpu = time.process_time() - cpu_started
    naive_total = naive / rows * args.students
    naive_cpu_total = naive_cpu / rows * args.students
    print(f"naive baseline: {naive:.2f} s for {rows:,} rows, {rows / naive:,.0f} rows/s, "
          f"so {naive_total:.1f} s for {args.students:,}")
    # CPU time as well: other work on the machine slows wall-clock figures unevenly.
    print(f"ratio: {naive_total / ours:.1f}x faster than the baseline "
          f"(CPU time: {ours_cpu:.2f} s against {naive_cpu_total:.1f} s, {naive_cpu_total / ours_cpu:.1f}x)")
    ok = ours < 10 and peak_mb < 500
    print("targets (< 10 s, < 500 MB):", "met" if ok else "NOT met")


if __name__ == "__main__":
    main()
