# Two commands on a fresh machine:  `make run` (the main job) and `make test`.
# `make setup` installs what running needs into .venv (Python packages only);
# `make test-setup` adds what the tests need (Debian packages and test extras).
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STORE  ?= store
PORT   ?= 8000

.PHONY: setup test-setup run test lint bench clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml setup.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

test-setup: $(VENV)/.test-installed

$(VENV)/.test-installed: $(VENV)/.installed
	@# Debian packages only the tests need, installed when missing: a Java runtime for
	@# HermiT (the OWL reasoner, via owlready2), Chromium with its driver for the
	@# browser test of the site, a Chinese font so the browser draws Chinese as text
	@# (the test checks it), and Virtuoso (a SPARQL server the store tests run; the
	@# other one, oxigraph, comes from PyPI with the test extras).
	@missing=""; \
	command -v java >/dev/null 2>&1 || missing="$$missing default-jre-headless"; \
	command -v virtuoso-t >/dev/null 2>&1 || missing="$$missing virtuoso-opensource-7-bin"; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v chromedriver >/dev/null 2>&1 || missing="$$missing chromium-driver"; \
	[ -n "$$(fc-list :lang=zh 2>/dev/null)" ] || missing="$$missing fonts-wqy-microhei"; \
	if [ -n "$$missing" ]; then echo "installing Debian packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; fi
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# the build keeps no report snapshots here: validate --load writes the store right
# after it (a new version), and kg serve makes them for that version when it starts
run: setup
	KG_SNAPSHOTS=false $(BIN)/kg build data/ --store $(STORE) --dump $(STORE)-dumps
	$(BIN)/kg validate --store $(STORE) --load > $(STORE)-validation.txt || true
	$(BIN)/kg serve --store $(STORE) --host 127.0.0.1 --port $(PORT)

# every test, on two workers (tests marked slow too; `-m "not slow"` leaves them out)
test: test-setup lint
	$(BIN)/python -m pytest -n 2 --dist loadgroup

lint: test-setup
	$(BIN)/ruff check kg tests benchmarks
	$(BIN)/mypy

bench: test-setup
	$(BIN)/pip install --quiet -e '.[test,bench]'
	$(BIN)/python benchmarks/extract.py
	$(BIN)/python benchmarks/build.py
	$(BIN)/python benchmarks/endpoint.py

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info $(STORE) $(STORE)-dumps $(STORE)-validation.txt
