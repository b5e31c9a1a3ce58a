# The two set-up commands (see README): `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo serve test install bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# Code the bundled sample articles into an SQLite event database (diurna.db: a rerun adds nothing)
# and print their events as a table. The copied web pages in the samples print their date without a
# year: diurna gives each the most recent such date not after today.
demo: $(STAMP)
	$(BIN)/diurna ingest samples/articles --db diurna.db --actors samples/actors.yaml
	$(BIN)/diurna events --db diurna.db --limit 500

# The web UI and HTTP API over the demo database, at http://127.0.0.1:8000/ (Ctrl-C stops it).
serve: $(STAMP)
	$(BIN)/diurna ingest samples/articles --db diurna.db --actors samples/actors.yaml
	$(BIN)/diurna serve --db diurna.db

test: $(STAMP)
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python benchmarks/throughput.py
	$(BIN)/python benchmarks/ingest.py
	$(BIN)/python benchmarks/accuracy.py
	$(BIN)/python benchmarks/when_where.py

clean:
	rm -rf $(VENV) build *.egg-info
