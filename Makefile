# The two commands a new machine needs: `make demo` (install, then build and print a practice
# exam from the shipped bank, and grade a simulated class on it) and `make test` (install with the test tools, then run the tests).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
EXAMKIT := $(BIN)/examkit
DEMO := output/aif-c01-task-2.1-practice

.PHONY: demo test install install-test lint bench mutate clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

install: $(BIN)/python
	scripts/system-deps runtime
	$(BIN)/pip install -q -e .

install-test: $(BIN)/python
	scripts/system-deps test
	$(BIN)/pip install -q -e '.[test]'

demo: install
	$(EXAMKIT) validate
	$(EXAMKIT) lint
	$(EXAMKIT) generate --forms 3 --seed 7 -o $(DEMO) --force
	$(EXAMKIT) render $(DEMO) --format html,pdf
	$(EXAMKIT) simulate $(DEMO) -o $(DEMO)/simulated-class.csv --students 30 --seed 7
	$(EXAMKIT) grade $(DEMO) $(DEMO)/simulated-class.csv
	$(EXAMKIT) practice -b aif-c01-task-2.1-practice -o output/study.html
	@echo "Open $(DEMO)/ : exam, answer sheet, key, teacher edition and practice page; results/ : a simulated class graded;"
	@echo "and output/study.html : a study page that draws new questions on every attempt."

test: install-test
	$(BIN)/pytest

lint: install-test
	$(EXAMKIT) lint --coverage
	$(BIN)/radon cc -s -n D examkit
	$(BIN)/python scripts/complexity-check $(BIN)/radon

# Mutation testing, one module at a time on two workers (long: not part of `make test`).
mutate: install-test
	$(BIN)/python scripts/mutate --max-children 2

bench: install-test
	$(BIN)/python bench/generate.py
	$(BIN)/python bench/render.py
	$(BIN)/python bench/render_speed.py
	$(BIN)/python bench/grade.py
	$(BIN)/python bench/report.py
	$(BIN)/python bench/scan.py
	$(BIN)/python bench/load.py
	$(BIN)/python bench/examset.py

clean:
	rm -rf $(VENV) build dist *.egg-info mutants
	find output -mindepth 1 ! -name .gitkeep -exec rm -rf {} +
