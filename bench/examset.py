"""Benchmark: an exam set of 10,000 forms (a MOOC, or one form per student) — costs that grow
with the work, not with the number of forms.

Goals on a 2-core machine: generating 10,000 forms of 30 items (examset.json and key.csv
written) in under 5 s and 300 MB peak, the exam set under 40 MB, and grading 30 students
against it in under 3 s. Each phase runs in its own process, so its peak memory is its own.

Baselines, measured in the same run: the version-1 layout, where every form holds its printed
items in full (its size per form, measured on 200 forms and scaled to 10,000), and grading the
old way, which printed every form of the set before reading a row.

    .venv/bin/python bench/examset.py [--forms 10000] [--items 30]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PHASE = textwrap.dedent("""
    import csv, json, resource, sys, time
    from pathlib import Path
    sys.path.insert(0, {root!r})
    phase, folder, forms, items = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    started = time.perf_counter()
    if phase == "generate":
        from examkit.generate import generate_examset, write_examset
        from examkit.models import Blueprint
        from tests.fixtures.generate.synthetic import synthetic_bank
        bank = synthetic_bank(300)
        examset = generate_examset(bank, Blueprint(title="MOOC", items=items), forms=forms, seed=1)
        write_examset(examset, folder, force=True)
    elif phase == "v1-size":
        from examkit.fileio import read_examset
        examset = read_examset(folder)
        sample = [{{"letter": f.letter, "items": [i.model_dump(mode="json") for i in f.items]}}
                  for f in examset.forms[:200]]
        print(json.dumps({{"bytes_per_form": len(json.dumps(sample, indent=2).encode()) / len(sample)}}))
        sys.exit(0)
    elif phase in ("grade", "grade-eager"):
        from examkit.fileio import read_examset
        from examkit.grade import GradeOptions, grade_files
        examset = read_examset(folder)
        if phase == "grade-eager":  # the old way: every form printed before any row is read
            for form in examset.forms:
                form.items
        run = grade_files(examset, [folder / "class.csv"], GradeOptions())
        assert sum(r.graded for r in run.results) == 30, [(r.student, r.reason) for r in run.results if not r.graded]
    seconds = time.perf_counter() - started
    print(json.dumps({{"seconds": seconds, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
""")


def phase(name: str, folder: Path, forms: int, items: int) -> dict:
    code = PHASE.format(root=str(ROOT))
    out = subprocess.run([sys.executable, "-c", code, name, str(folder), str(forms), str(items)],
                         capture_output=True, text=True, cwd=ROOT)
    if out.returncode:
        raise SystemExit(f"phase {name} failed:\n{out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def write_class(folder: Path) -> None:
    """30 students on 30 different forms, each answering every item with its key."""
    sys.path.insert(0, str(ROOT))
    from examkit.fileio import read_examset

    examset = read_examset(folder)
    step = max(1, len(examset.forms) // 30)
    lines = ["student,form," + ",".join(str(n) for n in range(1, len(examset.forms[0].placements) + 1))]
    for k in range(30):
        form = examset.forms[k * step]
        cells = [f'"{item.key.split(" | ")[0].split(" ±")[0]}"' for item in form.items]
        lines.append(f"s{k},{form.letter}," + ",".join(cells))
    (folder / "class.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--forms", type=int, default=10_000)
    parser.add_argument("--items", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "mooc"
        generated = min((phase("generate", folder, args.forms, args.items) for _ in range(2)),
                        key=lambda r: r["seconds"])
        size_mb = (folder / "examset.json").stat().st_size / 1e6
        v1 = phase("v1-size", folder, args.forms, args.items)
        v1_mb = v1["bytes_per_form"] * args.forms / 1e6
        write_class(folder)
        graded = min((phase("grade", folder, args.forms, args.items) for _ in range(2)), key=lambda r: r["seconds"])
        eager = phase("grade-eager", folder, args.forms, args.items)
    print(f"{args.forms:,} forms of {args.items} items from a 300-item bank")
    print(f"generate + write: {generated['seconds']:.2f} s (target < 5 s), peak {generated['peak_mb']:.0f} MB "
          "(target < 300 MB)")
    print(f"examset.json: {size_mb:.1f} MB (target < 40 MB); version-1 layout: {v1_mb:.0f} MB "
          f"({v1_mb / size_mb:.0f}x larger)")
    print(f"grade 30 students: {graded['seconds']:.2f} s (target < 3 s), peak {graded['peak_mb']:.0f} MB; "
          f"printing every form first (the old way): {eager['seconds']:.2f} s, peak {eager['peak_mb']:.0f} MB "
          f"({eager['seconds'] / graded['seconds']:.1f}x slower)")


if __name__ == "__main__":
    main()
