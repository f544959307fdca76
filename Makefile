# Two commands on a fresh machine:  `make run` (the main job) and `make test`.
# Everything is installed into .venv by `make setup`, which both depend on.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin

.PHONY: setup run test bench clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

run: setup
	$(BIN)/kg extract data/

test: setup
	$(BIN)/python -m pytest

bench: setup
	$(BIN)/python benchmarks/extract.py

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
