# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/pip install --quiet --disable-pip-version-check
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install install-dev run demo-reset test lint format bench bench-queue soak cluster messages clean

# What serving needs: requirements.txt only.
$(BIN)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) -r requirements.txt
	touch $@

# The test and lint tools on top: requirements-dev.txt.
$(BIN)/.installed-dev: $(BIN)/.installed requirements-dev.txt requirements-rq.txt
	$(PIP) -r requirements-dev.txt
	touch $@

# Development settings for every later shell: a generated secret, DEBUG on, the SQLite file.
# Git-ignored; settings read it only when the environment sets no SECRET_KEY of its own.
.env:
	@printf '%s\n' \
	  "# Development settings written by make run. Never used when SECRET_KEY is set." \
	  "SECRET_KEY=$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	  "DEBUG=1" \
	  "DATABASE_URL=sqlite:///$(CURDIR)/db.sqlite3" > $@
	@echo "Wrote .env (development secret, DEBUG=1, SQLite database)."

# The development key that signs publications (settings' default SIGNING_KEY_FILE when DEBUG
# is on). Git-ignored; a deployment sets SIGNING_KEY or SIGNING_KEY_FILE instead.
.signing-key.dev.pem: | install
	@$(BIN)/python -c 'import os; from cryptography.hazmat.primitives import serialization as s; from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey as K; os.umask(0o077); open("$@", "wb").write(K.generate().private_bytes(s.Encoding.PEM, s.PrivateFormat.PKCS8, s.NoEncryption()))'
	@echo "Wrote .signing-key.dev.pem (development signing key)."

# axe-core, pinned in package-lock.json, for the accessibility tests.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(BIN)/.installed

install-dev: $(BIN)/.installed-dev

# Serves the demo library with a task worker beside the server; Ctrl-C stops both.
run: install .env .signing-key.dev.pem
	@$(BIN)/python manage.py migrate --noinput -v 0
	@$(BIN)/python manage.py load_demo
	@echo ""
	@echo "  Public library:  http://$(HOST):$(PORT)/conditions/"
	@echo "  Demo page:       http://$(HOST):$(PORT)/conditions/treatment-resistant-ocd/"
	@echo "  Admin:           http://$(HOST):$(PORT)/admin/  (logins above)"
	@echo "  Partner API:     http://$(HOST):$(PORT)/api/docs/  (key: .venv/bin/python manage.py create_partner_key NAME)"
	@echo ""
	@$(BIN)/python -m tovani.dev_server $(HOST):$(PORT)

# Deletes the development database and loads the demo library into a new one.
demo-reset: install .env .signing-key.dev.pem
	@$(BIN)/python manage.py reset_demo --yes

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: lint node_modules/.installed
	$(BIN)/pytest

# Load test on PostgreSQL with gunicorn, wrk, nginx and a redis-server of its own (see README
# "Speed"; python bench/run.py --help lists BENCH_PAGES, BENCH_SECONDS, BENCH_WORKERS and more).
bench: install
	$(BIN)/python bench/run.py

# The review queue, the pages list and a change page with 1,000 pages, 40 in review.
bench-queue: install
	$(BIN)/python -m bench.review_queue

# Load on the page, the API and search at once while Redis is killed and restarted twice:
# no errors, no memory growth. make soak SECONDS=600 for ten minutes.
SECONDS ?= 60
soak: install
	SOAK_SECONDS=$(SECONDS) $(BIN)/python -m bench.soak

# PostgreSQL primary and replica, Redis, two gunicorn nodes, the worker and Varnish on this one
# machine (README "A local cluster"); Ctrl-C stops everything it started.
cluster: install
	$(BIN)/python deploy/cluster.py

# The public site's interface strings: collect them into locale/es/LC_MESSAGES/django.po, then
# compile django.mo (committed, so a deploy needs no gettext; needs gettext's msgfmt here).
messages: install
	$(BIN)/python manage.py makemessages -l es -i ".venv/*" -i "node_modules/*" -i "bench/*" -i "tests/*" --no-location
	$(BIN)/python manage.py compilemessages -l es -i .venv -i node_modules

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache .ruff_cache
