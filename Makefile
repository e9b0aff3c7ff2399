PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Both cores by default; PYTEST_ARGS= runs the suite in one process.
PYTEST_ARGS ?= -n auto

.DEFAULT_GOAL := help
.PHONY: help run serve test check lint format clean screenshots bench bench-sizes validate backup restore soak scaleout fuzz bench-import bench-alerts bench-newsletter bench-beacon bench-desk bench-queue

help: ## List the make targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  make %-8s %s\n", $$1, $$2}'

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 10))' || { echo "Python 3.10 or newer is needed (found: $$($(PYTHON) --version))."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime-installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	@touch $@ $(VENV)/.runtime-installed

run: $(VENV)/.runtime-installed ## Set up the local site (SQLite, demo articles, role logins) and serve it on http://127.0.0.1:8000/ (PORT=... for another)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py import_seeds
	$(BIN)/python manage.py generate_demo_content --articles 120 --comments 1500 --if-fewer-than 10
	$(BIN)/python manage.py arrange_demo_front_page
	$(BIN)/python manage.py generate_demo_views --if-none
	$(BIN)/python manage.py ensure_local_editor
	$(BIN)/python manage.py newsletter_demo
	@echo "Local accounts for each role (user / password):"
	@$(BIN)/python manage.py ensure_role_accounts
	$(BIN)/python manage.py configure_local_site --port $(PORT)
	@echo "Serving http://127.0.0.1:$(PORT)/ (admin: http://127.0.0.1:$(PORT)/admin/). Stop with Ctrl-C."
	@echo "Background tasks (mail, purges, pictures, search index) run in a worker beside the server;"
	@echo "scheduled publishing and expiry, unsent comment emails, newsletters and page views (Redis to the database), every minute."
	@echo "Reader accounts: sign in at http://127.0.0.1:$(PORT)/account/sign-in/ with any address; the e-mail with the link and code is printed here."
	@# The task worker and the every-minute loop run while the server runs; the trap stops both with it.
	@sh -c 'PORT=$(PORT) $(BIN)/python manage.py run_worker --verbosity 0 & worker=$$!; \
		( while sleep 60; do $(BIN)/python manage.py publish_scheduled > /dev/null; \
		$(BIN)/python manage.py send_pending_mail; $(BIN)/python manage.py run_newsletters > /dev/null; \
		$(BIN)/python manage.py flush_page_views; $(BIN)/python manage.py prune_tasks --verbosity 0; done ) & \
		loop=$$!; trap "kill $$loop $$worker 2>/dev/null" EXIT INT TERM; \
		PORT=$(PORT) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)'

serve: $(VENV)/.runtime-installed ## Production settings locally: gunicorn, Varnish in front if installed, PostgreSQL and Redis (site/README.md)
	PYTHON=$(abspath $(BIN)/python) bash site/bin/serve

test: $(VENV)/.dev-installed ## Run the whole test suite (on PostgreSQL when DATABASE_URL is set)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

check: $(VENV)/.dev-installed ## Lint and Django system checks, and no model change without a migration
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_SETTINGS_MODULE=newsroom.settings.test $(BIN)/python manage.py check
	DJANGO_SETTINGS_MODULE=newsroom.settings.test $(BIN)/python manage.py makemigrations --check --dry-run

bench: $(VENV)/.runtime-installed ## Benchmark reader pages: in-process cold and warm, then 10,000 articles on PostgreSQL: uncached, origin page cache, Varnish (bench/README.md)
	$(BIN)/python scripts/bench_render.py
	$(BIN)/python scripts/bench.py

bench-newsletter: $(VENV)/.dev-installed ## Send one newsletter to 100,000 subscribers through a local SMTP sink on PostgreSQL: messages/s, worker memory (SUBSCRIBERS=...)
	$(BIN)/python scripts/bench_newsletter.py $(if $(SUBSCRIBERS),--subscribers $(SUBSCRIBERS))

bench-beacon: $(VENV)/.runtime-installed ## Page-view beacon on gunicorn with wrk (target: 1,000 views/s), and the article through Varnish (bench/README.md)
	$(BIN)/python scripts/bench_beacon.py

bench-sizes: $(VENV)/.runtime-installed ## Compare each page's uncached time at 100 and 10,000 articles, SQLite and PostgreSQL
	$(BIN)/python scripts/bench.py sizes

bench-import: $(VENV)/.runtime-installed ## Time the WordPress import and dry run on generated archives (10,000 to 100,000 posts)
	$(BIN)/python scripts/bench_import.py

bench-alerts: $(VENV)/.runtime-installed ## Time one alert to 10,000 browsers through a local push service, 2 workers, PostgreSQL (docs/alerts.md)
	$(BIN)/python scripts/bench_alerts.py

bench-desk: $(VENV)/.dev-installed ## Time the live desk with 1,000 entries: open, post, the page form (docs/live-desk.md)
	$(BIN)/python scripts/bench_desk.py

bench-queue: $(VENV)/.runtime-installed ## Task queue: tasks per second and start latency (database queue, RQ on Redis db 14); a 5-photo story's first view
	$(BIN)/python -m scripts.bench_queue
	$(BIN)/python -m scripts.bench_queue.renditions

format: $(VENV)/.dev-installed ## Apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

validate: $(VENV)/.dev-installed ## Nu HTML Checker on every page type, feed and sitemap rules, then Lighthouse
	@command -v java >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
		apt-get install -y -qq default-jre-headless >/dev/null; } || \
		echo "Java is missing (apt-get install default-jre-headless): the HTML check will be skipped"
	$(BIN)/python -m pytest -p no:xdist -q -rs -m validate tests/validate
	$(BIN)/python scripts/lighthouse.py

screenshots: $(VENV)/.dev-installed ## Photograph the front page, a section, an article and a live blog, desktop and phone, into docs/screenshots/
	$(BIN)/python scripts/screenshots.py

backup: $(VENV)/.runtime-installed ## Write the database (SQLite or PostgreSQL) and media to backups/newsroom-<time>.tar.gz
	$(BIN)/python manage.py backup $(if $(FILE),--output $(FILE))

restore: $(VENV)/.runtime-installed ## Put a backup back: make restore FILE=backups/newsroom-....tar.gz
	@test -n "$(FILE)" || { echo "Name the backup: make restore FILE=backups/newsroom-....tar.gz"; exit 2; }
	$(BIN)/python manage.py restore $(FILE)

soak: $(VENV)/.dev-installed ## 2-minute load on gunicorn, PostgreSQL and Redis with database and Redis faults (not in make test)
	$(BIN)/python scripts/soak.py $(SOAK_ARGS)

scaleout: $(VENV)/.dev-installed ## Two app servers behind Varnish on one PostgreSQL, Redis and S3 bucket (moto): publish, upload, comment, balance
	$(BIN)/python scripts/scaleout.py $(SCALEOUT_ARGS)

fuzz: $(VENV)/.runtime-installed ## 10,000 hostile requests on gunicorn, SQLite and PostgreSQL: fails on any server error (FUZZ_ARGS="--seed 2")
	$(BIN)/python scripts/fuzz.py $(FUZZ_ARGS)

clean: ## Remove the virtualenv, the local database and uploaded media
	rm -rf $(VENV) db.sqlite3 media staticfiles .pytest_cache
