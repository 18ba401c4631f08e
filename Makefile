# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEV_SECRET := dev-only-insecure-key-change-me-for-any-real-deployment
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test lint format demo bench soak clean

$(BIN)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

# axe-core, pinned in package-lock.json, for the accessibility tests.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(BIN)/.installed

run: install
	@export DEBUG=1 SECRET_KEY=$${SECRET_KEY:-$(DEV_SECRET)}; \
	$(BIN)/python manage.py migrate --noinput && \
	$(BIN)/python manage.py load_demo && \
	echo "" && \
	echo "  Public library:  http://$(HOST):$(PORT)/conditions/" && \
	echo "  Demo page:       http://$(HOST):$(PORT)/conditions/treatment-resistant-ocd/" && \
	echo "  Admin:           http://$(HOST):$(PORT)/admin/  (logins above)" && \
	echo "  Partner API:     http://$(HOST):$(PORT)/api/docs/  (key: manage.py create_partner_key NAME)" && \
	echo "" && \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: lint node_modules/.installed
	$(BIN)/pytest

# Load test on PostgreSQL with gunicorn, wrk, nginx and a redis-server of its own (see README
# "Speed"; python bench/run.py --help lists BENCH_PAGES, BENCH_SECONDS, BENCH_WORKERS and more).
bench: install
	$(BIN)/python bench/run.py

# Load on the page, the API and search at once while Redis is killed and restarted twice:
# no errors, no memory growth. make soak SECONDS=600 for ten minutes.
SECONDS ?= 60
soak: install
	SOAK_SECONDS=$(SECONDS) $(BIN)/python -m bench.soak

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache .ruff_cache
