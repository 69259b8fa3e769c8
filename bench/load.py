"""Benchmark: `examkit validate` on the shipped bank, end to end (interpreter start and imports
included), with libyaml's parser against PyYAML's pure-Python parser, measured in the same run.

Target (issue 16): at least 1.5x faster with libyaml. Both runs go through the same command; the
baseline only swaps the loader class before the command runs, so everything else is identical.

    .venv/bin/python bench/load.py [--runs 7]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

RUN = """
import sys
import examkit.bank.yamlfile as yamlfile
if sys.argv[1] == "python":
    yamlfile.LOADER = yamlfile.PYTHON_LOADER
from examkit.cli import main
sys.argv = ["examkit", "validate"]
main()
"""


def one_run(loader: str) -> float:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", RUN, loader], cwd=ROOT, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0 or not done.stdout.startswith("ok:"):
        raise SystemExit(f"validate failed with the {loader} loader: {done.stdout}{done.stderr}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    times: dict[str, list[float]] = {"libyaml": [], "python": []}
    for _ in range(args.runs):  # interleaved, so background load hits both alike
        for loader in times:
            times[loader].append(one_run(loader))
    fast, slow = (statistics.median(times[k]) for k in ("libyaml", "python"))
    print(f"examkit validate, shipped bank, median of {args.runs} runs each")
    print(f"  pure-Python loader (baseline): {slow * 1000:7.0f} ms")
    print(f"  libyaml loader:                {fast * 1000:7.0f} ms")
    print(f"  speed-up: {slow / fast:.2f}x (target at least 1.5x)")


if __name__ == "__main__":
    main()
