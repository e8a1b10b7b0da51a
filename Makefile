# union-site: `make run` serves the demo site, `make test` runs the whole suite. Both set themselves up.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# Debian packages. The site's PDF reports need Pango (WeasyPrint's layout engine) and a CJK font to embed;
# the suite also needs a browser for the browser tests.
RUN_PACKAGES := fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0
TEST_PACKAGES := chromium $(RUN_PACKAGES)

.PHONY: run test bench lint format demo clean system-deps system-test-deps

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

# Stamps: a second `make run` skips the install when requirements did not change.
$(VENV)/.installed: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install --disable-pip-version-check -q -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(PY) -m pip install --disable-pip-version-check -q -r requirements-dev.txt
	touch $@ $(VENV)/.installed

# The web server, and beside it in the background the task worker (阅读数 write-back), stopped when the server stops.
run: $(VENV)/.installed system-deps
	mkdir -p var
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(PY) manage.py migrate --noinput -v 0
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(PY) manage.py load_demo --if-empty
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(PY) manage.py create_demo_accounts
	@echo "网站：http://127.0.0.1:$(PORT)/   后台：http://127.0.0.1:$(PORT)/admin/   账号：var/demo-accounts.txt"
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} nice -n 10 $(PY) manage.py db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(PY) manage.py runserver 127.0.0.1:$(PORT)

# Reload the demo content over the database (it updates rows in place; safe to repeat).
demo: $(VENV)/.installed
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(PY) manage.py migrate --noinput -v 0
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(PY) manage.py load_demo

# Installs missing Debian packages when run as root; otherwise prints the exact command (and, for tests, stops).
define apt_packages
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "安装所需的系统软件包：$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else \
	    echo "缺少系统软件包，请先运行：sudo apt-get install -y$$missing"; $(2); \
	  fi; \
	fi
endef

# `make run` still serves the site without them; only PDF export then explains what is missing.
system-deps:
	$(call apt_packages,$(RUN_PACKAGES),echo "（网站照常运行，只有 PDF 导出不可用）")

system-test-deps:
	$(call apt_packages,$(TEST_PACKAGES),exit 1)

test: $(VENV)/.installed-dev system-test-deps
	$(PY) -m pytest

# Benchmarks: speed and memory targets live here, not in timed unit tests. BENCH picks which, e.g. BENCH=http_pages;
# the HTTP one drives gunicorn with Debian's wrk.
BENCH ?= http_pages pages exports_memory
bench: $(VENV)/.installed-dev
	$(if $(filter http_pages,$(BENCH)),$(call apt_packages,wrk,exit 1))
	@for b in $(BENCH); do echo "== bench/$$b.py"; $(PY) bench/$$b.py || exit 1; done

# PNGs of the key pages (normal and 长者模式, 375 and 1280 px wide) in var/screenshots/, from a throwaway database.
screenshots: $(VENV)/.installed-dev system-test-deps
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(PY) manage.py take_screenshots

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
