# union-site: `make run` serves the demo site, `make test` runs the whole suite. Both set themselves up.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# Debian packages the suite needs: a browser for the browser tests, CJK fonts so Chinese renders.
TEST_PACKAGES := chromium fonts-noto-cjk

.PHONY: run test lint format demo clean system-test-deps

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

# Stamps: a second `make run` skips the install when requirements did not change.
$(VENV)/.installed: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install --disable-pip-version-check -q -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(PY) -m pip install --disable-pip-version-check -q -r requirements-dev.txt
	touch $@ $(VENV)/.installed

run: $(VENV)/.installed
	mkdir -p var
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(PY) manage.py migrate --noinput -v 0
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(PY) manage.py load_demo --if-empty
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(PY) manage.py create_demo_accounts
	@echo "网站：http://127.0.0.1:$(PORT)/   后台：http://127.0.0.1:$(PORT)/admin/   账号：var/demo-accounts.txt"
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(PY) manage.py runserver 127.0.0.1:$(PORT)

# Reload the demo content over the database (it updates rows in place; safe to repeat).
demo: $(VENV)/.installed
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(PY) manage.py migrate --noinput -v 0
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(PY) manage.py load_demo

system-test-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	(fc-list 2>/dev/null | grep -q "Noto Sans CJK") || missing="$$missing fonts-noto-cjk"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "安装测试所需的系统软件包：$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else \
	    echo "缺少测试所需的系统软件包，请先运行：sudo apt-get install -y$$missing"; exit 1; \
	  fi; \
	fi

test: $(VENV)/.installed-dev system-test-deps
	$(PY) -m pytest

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
