# Two commands for a newcomer:
#   make example   set up .venv (first time) and analyze the bundled example article
#   make test      set up .venv (first time) and run the test suite
#   make viewer    put the example in a ledger and browse it in the web viewer (Ctrl-C stops)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: example viewer test bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

example: $(STAMP)
	$(BIN)/according analyze examples/drones-for-the-junta.txt --published 2024-06-13 --format text
	@echo "To see it in the web viewer: make viewer (then open http://127.0.0.1:8000/)"

EXAMPLE_DB := $(VENV)/example.db

viewer: $(STAMP)
	$(BIN)/according ingest examples/ --db $(EXAMPLE_DB) --quiet
	$(BIN)/according serve --db $(EXAMPLE_DB)

test: $(STAMP)
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python bench/throughput.py

clean:
	rm -rf $(VENV) build src/*.egg-info .pytest_cache
