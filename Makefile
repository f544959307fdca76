# Two commands on a fresh machine:  `make run` (the main job) and `make test`.
# Everything is installed into .venv by `make setup`, which both depend on.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STORE  ?= store
PORT   ?= 8000

.PHONY: setup run test bench clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@# HermiT (the OWL reasoner the ontology tests run, via owlready2) needs Java.
	@command -v java >/dev/null 2>&1 || { \
	  echo "installing a Java runtime for HermiT (Debian default-jre-headless)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

run: setup
	$(BIN)/kg build data/ --store $(STORE) --dump $(STORE)-dumps
	$(BIN)/kg validate --store $(STORE) --load > $(STORE)-validation.txt || true
	$(BIN)/kg serve --store $(STORE) --host 127.0.0.1 --port $(PORT)

test: setup
	$(BIN)/python -m pytest

bench: setup
	$(BIN)/pip install --quiet -e '.[test,bench]'
	$(BIN)/python benchmarks/extract.py
	$(BIN)/python benchmarks/build.py
	$(BIN)/python benchmarks/endpoint.py

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info $(STORE) $(STORE)-dumps $(STORE)-validation.txt
