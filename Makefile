# SellerCX — two commands: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)

# Dummy values: `check --deploy` reads production settings, which refuse to start without them.
PROD_ENV := DJANGO_SETTINGS_MODULE=sellercx.settings.production \
	SECRET_KEY=check-deploy-dummy-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz \
	DATABASE_URL=postgres://sellercx@localhost:5432/sellercx REDIS_URL=redis://localhost:6379/0 \
	ALLOWED_HOSTS=sellercx.example.com

.PHONY: run test lint fmt check pytest e2e bench bench-data clean venv

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

venv: $(STAMP)

run: venv ## migrate, load demo data once, serve web + worker + beat
	$(BIN)/python manage.py serve

test: venv lint check pytest ## everything CI runs

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: venv
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: venv
	DJANGO_SETTINGS_MODULE=sellercx.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	$(PROD_ENV) $(BIN)/python manage.py check --deploy --fail-level WARNING

pytest: venv
	$(BIN)/python -m pytest $(PYTEST_ARGS)

e2e: venv
	$(BIN)/python -m pytest tests/e2e $(PYTEST_ARGS)

SCALE ?= medium

bench-data: venv ## load the bench dataset (SCALE=tiny|medium|large) into its own database
	$(BIN)/python -m benchmarks.generate --scale $(SCALE)

# wrk drives the throughput scenario: Debian's package, installed when missing.
bench: venv ## every benchmark scenario at SCALE (default medium); table in benchmarks/results/
	command -v wrk >/dev/null || .ci/apt-install wrk
	$(BIN)/python -m benchmarks.run --scale $(SCALE) $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .data staticfiles .pytest_cache .ruff_cache
