"""Benchmark: 1,000 forms of 65 items from a synthetic 2,000-item bank, and the JSON they make.

The synthetic bank includes parametric numeric items (a twelfth of the bank), whose numbers are
drawn per form. Targets: at least 300 forms per second in-process (generate_examset, bank hash included; printed
items are built with pydantic's public `model_construct`), and examset.json + key.csv for 1,000
forms written in under 2 seconds. The baseline, measured in the same run, is the naive way to build
forms: copy the pydantic bank items for each form and build validated printed models from them.

    .venv/bin/python bench/generate.py [--forms 1000] [--items 65] [--bank-size 2000]
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from examkit.bank.params import Parametric  # noqa: E402
from examkit.expressions import fill  # noqa: E402
from examkit.generate import generate_examset  # noqa: E402
from examkit.generate.writer import write_examset  # noqa: E402
from examkit.models import (  # noqa: E402
    Blueprint,  # noqa: E402
    FormItem,
    PrintedOption,
    PrintedPremise,
    PrintedStep,
)
from tests.fixtures.generate.synthetic import synthetic_bank  # noqa: E402

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def naive_form(bank_items: list, count: int, rng: random.Random) -> list[FormItem]:
    """The obvious implementation: sample, deep-copy each item, shuffle, validate each printed model."""
    printed = []
    for position, original in enumerate(rng.sample(bank_items, count), start=1):
        item = original.model_copy(deep=True)
        fields = dict(position=position, item_id=item.id, type=item.type, objective=item.objective,
                      case=item.case, stem=item.stem, difficulty=item.difficulty, explanation=item.explanation,
                      source=item.source, tags=item.tags)
        if item.type in ("single", "multiple"):
            rng.shuffle(item.options)
            options = [PrintedOption(letter=LETTERS[i], text=o.text, why=o.why, correct=o.correct)
                       for i, o in enumerate(item.options)]
            key = ",".join(o.letter for o in options if o.correct)
            printed.append(FormItem(options=options, key=key, **fields))
        elif item.type == "matching":
            rng.shuffle(item.responses)
            letter = {r.key: LETTERS[i] for i, r in enumerate(item.responses)}
            premises = [PrintedPremise(number=i + 1, text=p.text, answer=letter[p.answer], why=p.why)
                        for i, p in enumerate(item.premises)]
            responses = [PrintedOption(letter=LETTERS[i], text=r.text, why=r.why) for i, r in enumerate(item.responses)]
            printed.append(FormItem(premises=premises, responses=responses,
                                    key=";".join(f"{p.number}-{p.answer}" for p in premises), **fields))
        elif item.type == "ordering":
            order = list(range(len(item.steps)))
            while order == sorted(order):
                rng.shuffle(order)
            steps = [PrintedStep(letter=LETTERS[slot], text=item.steps[i].text, why=item.steps[i].why, rank=i + 1)
                     for slot, i in enumerate(order)]
            key = ",".join(s.letter for s in sorted(steps, key=lambda s: s.rank))
            printed.append(FormItem(steps=steps, key=key, **fields))
        elif item.type == "numeric":
            values = Parametric(item).scope(Parametric(item).draw(rng.random)) if item.params else {}
            number = values[item.answer] if isinstance(item.answer, str) else item.answer
            fields["stem"] = fill(item.stem, values)
            printed.append(FormItem(number=number, tolerance=item.tolerance, values=values, key=f"{number:g}", **fields))
        else:
            printed.append(FormItem(answers=list(item.answers), key=" | ".join(item.answers), **fields))
    return printed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--forms", type=int, default=1000)
    parser.add_argument("--items", type=int, default=65)
    parser.add_argument("--bank-size", type=int, default=2000)
    parser.add_argument("--baseline-forms", type=int, default=100, help="forms for the (slow) naive baseline")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each path; the best one counts")
    args = parser.parse_args()

    bank = synthetic_bank(args.bank_size, cases=20, enemy_pairs=50)
    blueprint = Blueprint(
        title="Bench exam", items=args.items,
        objectives=[{"id": "syn:1.1", "weight": 40}, {"id": "syn:1.2", "weight": 30}, {"id": "syn:1.3", "weight": 30}],
        type_counts={"matching": 3, "ordering": 3},
    )

    # Best of a few runs: other processes on a shared 2-core machine only ever add time.
    generate_seconds = write_seconds = float("inf")
    for run in range(args.repeat):
        examset = None
        gc.collect()
        start = time.perf_counter()
        examset = generate_examset(bank, blueprint, forms=args.forms, seed=run)
        generate_seconds = min(generate_seconds, time.perf_counter() - start)
        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            written = write_examset(examset, Path(tmp) / "out")
            write_seconds = min(write_seconds, time.perf_counter() - start)
            size_mb = sum(p.stat().st_size for p in written) / 1e6
    forms_per_second = args.forms / generate_seconds
    del examset
    gc.collect()

    naive_seconds = float("inf")
    for run in range(args.repeat):
        rng = random.Random(run)
        gc.collect()
        start = time.perf_counter()
        forms = [naive_form(bank.items, args.items, rng) for _ in range(args.baseline_forms)]
        naive_seconds = min(naive_seconds, time.perf_counter() - start)
        del forms
    naive_per_second = args.baseline_forms / naive_seconds

    print(f"bank: {len(bank.items)} items ({len(bank.cases)} case studies); {args.items} items per form")
    print(f"generate: {args.forms} forms in {generate_seconds:.3f} s (best of {args.repeat}) = {forms_per_second:,.0f} forms/s "
          f"(target >= 300)")
    print(f"naive baseline (deep copy + validated models, plain random sample): {naive_per_second:,.0f} forms/s "
          f"(best of {args.repeat} runs of {args.baseline_forms} forms)")
    print(f"speed-up over the baseline: {forms_per_second / naive_per_second:.1f}x")
    print(f"write examset.json + key.csv for {args.forms} forms: {write_seconds:.3f} s (best of {args.repeat}), "
          f"{size_mb:.1f} MB "
          f"(target < 2 s)")


if __name__ == "__main__":
    main()
