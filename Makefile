# Two commands on a fresh machine: `make extract`, then `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
GOLD   ?= ../shared/seeds/gold.jsonl

.PHONY: install extract test eval bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,dask]'
	touch $(STAMP)

install: $(STAMP)

extract: $(STAMP)
	$(BIN)/civicnews extract data/raw --out data/processed

test: $(STAMP)
	$(BIN)/python -m pytest

eval: $(STAMP)
	@if [ -f "$(GOLD)" ]; then $(BIN)/civicnews evaluate "$(GOLD)"; \
	else echo "no $(GOLD) here: nothing to evaluate"; fi

clean:
	rm -rf $(VENV) data/processed build *.egg-info

bench: $(STAMP)
	$(BIN)/python benchmarks/bench.py
