"""Benchmark: issue 16's rendering targets, each against a baseline measured in the same run.

  1. Exam layout: the 30-item exam PDF from today's templates against the templates before
     issue 16 (bench/baseline/templates: every item a one-row table), on the same forms with
     bare weasyprint; target >= 1.5x. The pages of both are compared as pictures (pdftoppm).
  2. First PDF: `examkit generate && examkit render --format pdf --only exam,sheet` for one form,
     each command its own process as a user types it, against the same two commands run on the
     code before issue 16 (a `git archive` of BASE_COMMIT); target >= 2x. Also `import
     weasyprint` alone, and how much of it is cffi's failing ctypes.util.find_library look-ups.
  3. Class set: `examkit render --print --copies 100` (the 30-item exam and its sheet, 4 forms in
     turn) per copy, against rendering exams and sheets as separate files with the code before
     issue 16 (`render --format pdf --only exam,sheet`), per copy; target >= 2x.
  4. HTML: the marginal cost of one more exam HTML version, from 100 to 1,000 forms, against
     the code before issue 16; target < 3 ms.

    .venv/bin/python bench/render_speed.py [--rounds 3] [--copies 100] [--skip class-set,html]

Other work on a shared machine slows both sides alike: contenders alternate, each figure is
the best of --rounds, and CPU seconds are shown beside wall-clock seconds where they differ.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# The last commit before issue 16's rendering work: the baseline every ratio is taken against.
BASE_COMMIT = "26a51a68ff94c37d1e1c76c600baf62fad1fbd16"
BASELINE_TEMPLATES = ROOT / "bench" / "baseline" / "templates"
BLUEPRINT = "aif-c01-task-2.1-practice.yaml"


def extract_before(target: Path) -> Path | None:
    """The code before issue 16, unpacked from git; None when the commit is not available."""
    target.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", BASE_COMMIT], capture_output=True)
    if archive.returncode != 0:
        return None
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True)
    return target


def run_examkit(code_root: Path, *args: str, cwd: Path) -> tuple[float, float]:
    """`examkit ARGS` as its own process on the code in `code_root`: wall and CPU seconds."""
    env = {**os.environ, "PYTHONPATH": str(code_root)}  # cwd must lie outside the repository (sys.path[0])
    before, started = os.times(), time.perf_counter()
    subprocess.run([sys.executable, "-m", "examkit", *args], cwd=cwd, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    wall, after = time.perf_counter() - started, os.times()
    return wall, (after.children_user - before.children_user) + (after.children_system - before.children_system)


def best(pairs: list[tuple[float, float]]) -> tuple[float, float]:
    return min(p[0] for p in pairs), min(p[1] for p in pairs)


def make_folder(root: Path, forms: int, seed: int = 2024, code: Path = ROOT) -> Path:
    """`examkit generate` of `forms` forms by the code in `code`: the baseline renders the exam
    set its own code writes (the code before issue 16 reads only version 1 of examset.json)."""
    folder = root / f"forms-{forms}-{'now' if code == ROOT else 'before'}"
    run_examkit(code, "generate", "-b", BLUEPRINT.removesuffix(".yaml"), "--forms", str(forms), "--seed", str(seed),
                "-o", str(folder), "--force", cwd=root)
    return folder


# --------------------------------------------------------------------------- 1. exam layout


def exam_layout(root: Path, rounds: int) -> None:
    import weasyprint

    from examkit.fileio import read_examset
    from examkit.render.html import make_environment, render_document

    folder = make_folder(root, 4)
    examset = read_examset(folder)
    envs = {"before": make_environment(BASELINE_TEMPLATES), "now": make_environment()}
    pages = {name: [render_document(env, "exam", examset, form) for form in examset.forms] for name, env in envs.items()}
    weasyprint.HTML(string=pages["now"][0]).write_pdf()  # fonts and caches warm for both
    cpu = {name: [float("inf")] * len(examset.forms) for name in pages}
    wall = {name: [float("inf")] * len(examset.forms) for name in pages}
    pdfs: dict[str, list[bytes]] = {name: [b""] * len(examset.forms) for name in pages}
    for _ in range(rounds):
        for i in range(len(examset.forms)):
            for name in pages:
                c0, w0 = time.process_time(), time.perf_counter()
                pdfs[name][i] = weasyprint.HTML(string=pages[name][i]).write_pdf()
                cpu[name][i] = min(cpu[name][i], time.process_time() - c0)
                wall[name][i] = min(wall[name][i], time.perf_counter() - w0)
    items = len(examset.forms[0].items)
    before, now = sum(cpu["before"]), sum(cpu["now"])
    print(f"1. Exam layout, {len(examset.forms)} forms of {items} items, PDF with bare weasyprint, best of {rounds}:")
    print(f"   before (items as tables): {before / 4:.3f} s CPU per exam ({sum(wall['before']) / 4:.3f} s wall); "
          f"now: {now / 4:.3f} s CPU ({sum(wall['now']) / 4:.3f} s wall); {before / now:.2f}x (target >= 1.5x)")
    print(f"   pages as pictures: {compare_pictures(root, pdfs)}")


def compare_pictures(root: Path, pdfs: dict[str, list[bytes]]) -> str:
    """Rasterise both versions at 100 dpi and count pixels that differ visibly."""
    if not shutil.which("pdftoppm"):
        return "not compared (pdftoppm missing; apt-get install poppler-utils)"
    from PIL import Image, ImageChops

    differing, pages = 0, 0
    for i in range(len(pdfs["now"])):
        images = {}
        for name, blobs in pdfs.items():
            (root / f"{name}-{i}.pdf").write_bytes(blobs[i])
            subprocess.run(["pdftoppm", "-r", "100", "-png", str(root / f"{name}-{i}.pdf"), str(root / f"{name}-{i}")], check=True)
            images[name] = sorted(root.glob(f"{name}-{i}-*.png"))
        if len(images["before"]) != len(images["now"]):
            return f"form {i + 1}: {len(images['before'])} pages before, {len(images['now'])} now"
        for a, b in zip(images["before"], images["now"]):
            diff = ImageChops.difference(Image.open(a).convert("L"), Image.open(b).convert("L")).point(lambda v: 255 if v > 40 else 0)
            differing += diff.histogram()[255]
            pages += 1
    return f"{pages} pages, {differing} pixels differ visibly (threshold 40/255)" + (" - identical" if not differing else "")


# --------------------------------------------------------------------------- 2. first PDF

_IMPORT_PROBE = """
import ctypes.util, subprocess, time
spent, calls, spawned = [0.0], [0], [0]
find = ctypes.util.find_library
def timed(name):
    started = time.perf_counter(); calls[0] += 1
    try: return find(name)
    finally: spent[0] += time.perf_counter() - started
ctypes.util.find_library = timed
popen = subprocess.Popen.__init__
def counted(self, *a, **k):
    spawned[0] += 1; return popen(self, *a, **k)
subprocess.Popen.__init__ = counted
started = time.perf_counter()
import weasyprint
print(time.perf_counter() - started, spent[0], calls[0], spawned[0])
"""


def first_pdf(root: Path, before: Path | None, rounds: int) -> None:
    print("2. First PDF: `examkit generate && examkit render --format pdf --only exam,sheet`, one form, "
          f"two processes as typed, best of {rounds}:")
    probes = []
    for _ in range(rounds):
        out = subprocess.run([sys.executable, "-c", _IMPORT_PROBE], capture_output=True, text=True, check=True)
        probes.append(tuple(float(x) for x in out.stdout.split()))
    total, spent, calls, spawned = min(probes)
    print(f"   import weasyprint: {total:.2f} s, of which ctypes.util.find_library {spent:.2f} s "
          f"({int(calls)} look-ups, {int(spawned)} subprocesses)")
    if before is None:
        print("   before: not measured (git archive of the baseline commit failed)")
        return
    runs: dict[str, list[tuple[float, float]]] = {"before": [], "now": []}
    for _ in range(rounds):
        for name, code in (("before", before), ("now", ROOT)):
            work = root / f"first-{name}"
            work.mkdir(exist_ok=True)
            generate = run_examkit(code, "generate", "-o", "out", "--force", cwd=work)
            render = run_examkit(code, "render", "out", "--format", "pdf", "--only", "exam,sheet", cwd=work)
            runs[name].append((generate[0] + render[0], generate[1] + render[1]))
    (bw, bc), (nw, nc) = best(runs["before"]), best(runs["now"])
    print(f"   before: {bw:.2f} s wall ({bc:.2f} s CPU); now: {nw:.2f} s wall ({nc:.2f} s CPU); "
          f"{bw / nw:.2f}x wall, {bc / nc:.2f}x CPU (target >= 2x)")


# --------------------------------------------------------------------------- 3. class set


def class_set(root: Path, before: Path | None, rounds: int, copies: int) -> None:
    print(f"3. Class set: {copies} copies of the 30-item exam with answer sheets, 4 forms in turn, as typed, "
          f"best of {rounds}:")
    if before is None:
        print("   before: not measured (git archive of the baseline commit failed)")
        return
    folder, old_folder = make_folder(root, 4), make_folder(root, 4, code=before)
    runs: dict[str, list[tuple[float, float]]] = {"separate, --jobs 1": [], "separate, all cores": [], "class set": []}
    for _ in range(rounds):
        runs["separate, --jobs 1"].append(run_examkit(before, "render", str(old_folder), "--format", "pdf", "--only", "exam,sheet", "--jobs", "1", cwd=root))
        runs["separate, all cores"].append(run_examkit(before, "render", str(old_folder), "--format", "pdf", "--only", "exam,sheet", cwd=root))
        runs["class set"].append(run_examkit(ROOT, "render", str(folder), "--print", "--copies", str(copies), cwd=root))
    per_copy = {name: (best(r)[0] / (copies if name == "class set" else 4), best(r)[1] / (copies if name == "class set" else 4))
                for name, r in runs.items()}
    now = per_copy["class set"]
    for name in ("separate, --jobs 1", "separate, all cores"):
        wall, cpu = per_copy[name]
        print(f"   before, {name}: {wall:.3f} s wall ({cpu:.3f} s CPU) per copy; class set: {now[0]:.3f} s wall "
              f"({now[1]:.3f} s CPU) per copy; {wall / now[0]:.2f}x (target >= 2x)")
    size = (folder / "class-set.pdf").stat().st_size
    print(f"   class-set.pdf: {size / 1e6:.1f} MB")


# --------------------------------------------------------------------------- 4. HTML

_HTML_PROBE = """
import sys, time
from pathlib import Path
from examkit.fileio import read_examset
from examkit.render import render_folder
small, large = Path(sys.argv[1]), Path(sys.argv[2])
times = []
for folder in (small, large):
    # The second run of each counts: both write over files that exist, as a re-render does.
    for _ in range(2):
        c, w = time.process_time(), time.perf_counter()
        render_folder(folder, only=("exam",), formats=("html",), jobs=1)
        run = [time.perf_counter() - w, time.process_time() - c]
    times += run
for folder in (small, large):  # reading the exam set alone, to tell it apart
    c, w = time.process_time(), time.perf_counter()
    read_examset(folder)
    times += [time.perf_counter() - w, time.process_time() - c]
print(*times)
"""


def html_margin(root: Path, before: Path | None, rounds: int) -> None:
    print(f"4. HTML: one more exam HTML version, marginal from 100 to 1,000 forms, render_folder --jobs 1, best of {rounds}:")
    results = {}
    for name, code in (("before", before), ("now", ROOT)):
        if code is None:
            continue
        small, large = make_folder(root, 100, seed=5, code=code), make_folder(root, 1000, seed=5, code=code)
        best_wall = best_cpu = best_read = float("inf")
        for _ in range(rounds):
            # cwd outside the repository: `python -c` puts the working directory first on sys.path.
            out = subprocess.run([sys.executable, "-c", _HTML_PROBE, str(small), str(large)], capture_output=True,
                                 text=True, check=True, env={**os.environ, "PYTHONPATH": str(code)}, cwd=root)
            w100, c100, w1000, c1000, rw100, rc100, rw1000, rc1000 = (float(x) for x in out.stdout.split())
            best_wall, best_cpu = min(best_wall, (w1000 - w100) / 900), min(best_cpu, (c1000 - c100) / 900)
            best_read = min(best_read, (rc1000 - rc100) / 900)
        results[name] = (best_wall, best_cpu, best_cpu - best_read)
        print(f"   {name}: {best_wall * 1000:.2f} ms wall ({best_cpu * 1000:.2f} ms CPU) per version, of which "
              f"reading examset.json {best_read * 1000:.2f} ms CPU; rendering and writing "
              f"{(best_cpu - best_read) * 1000:.2f} ms CPU")
    if "before" in results:
        print(f"   {results['before'][0] / results['now'][0]:.2f}x wall, {results['before'][1] / results['now'][1]:.2f}x CPU, "
              f"rendering and writing alone {results['before'][2] / results['now'][2]:.2f}x (target < 3 ms per version)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--copies", type=int, default=100)
    parser.add_argument("--skip", default="", help="comma-separated: layout, first-pdf, class-set, html")
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at the start")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        before = extract_before(root / "before")
        for name in ("layout", "first-pdf", "class-set", "html"):
            (root / name).mkdir()
        if "layout" not in skip:
            exam_layout(root / "layout", args.rounds)
        if "first-pdf" not in skip:
            first_pdf(root / "first-pdf", before, args.rounds)
        if "class-set" not in skip:
            class_set(root / "class-set", before, args.rounds, args.copies)
        if "html" not in skip:
            html_margin(root / "html", before, args.rounds)
    print(f"load average {os.getloadavg()[0]:.2f} at the end (other work on the machine skews wall-clock figures)")


if __name__ == "__main__":
    main()
