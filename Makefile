# gongkai — two commands on a fresh machine: `make demo` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# the first Python >= 3.11 found
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
E2E_STAMP := $(VENV)/.installed-e2e
DEMO_STAMP := $(VENV)/.installed-demo
SYS_STAMP := var/.system-packages
export GONGKAI_DATA_DIR ?= $(CURDIR)/var

.PHONY: help demo serve test test-dates sweep lint typecheck importlint migrations-check pytest e2e install install-dev system-packages bench clean openapi lock wheelhouse rehearsal fuzz

help:
	@echo "make demo    建立虚拟环境、安装、建库、载入示例市数据，并在 http://127.0.0.1:8000 启动"
	@echo "make test    安装开发依赖并运行全部检查（ruff、mypy、import-linter、迁移检查、pytest）"
	@echo "make test-dates  在2027年和2031年的系统时钟下再运行全部测试（验证只经 gongkai.clock 读时间）"
	@echo "make sweep   载入示例数据并以匿名访问者身份检查全部公开页面和下载有无未遮盖的个人信息"
	@echo "make e2e     安装 Chromium 并运行浏览器端到端测试"
	@echo "make fuzz    以生成的请求逐一测试全部接口（schemathesis），不得出现 5xx"
	@echo "make bench   运行性能基准（bench/）"

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "需要 Python 3.11 或更高版本"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# exactly the versions of the lock files, each checked against its hash (ADR 0124);
# `make lock` writes them again from pyproject.toml
$(STAMP): $(BIN)/python pyproject.toml requirements/main.lock
	$(BIN)/pip install --quiet --require-hashes -r requirements/main.lock
	$(BIN)/pip install --quiet --no-deps -e .
	@touch $@

$(DEV_STAMP): $(STAMP) requirements/dev.lock
	$(BIN)/pip install --quiet --require-hashes -r requirements/dev.lock
	$(BIN)/pip install --quiet --no-deps -e .
	@touch $@

$(E2E_STAMP): $(DEV_STAMP)
	@touch $@

# the demo city's generator (Faker) is an extra: a production server never installs it
$(DEMO_STAMP): $(STAMP) requirements/demo.lock
	$(BIN)/pip install --quiet --require-hashes -r requirements/main.lock -r requirements/demo.lock
	@touch $@

lock: $(BIN)/python
	$(BIN)/pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --universal --python-version 3.11 --generate-hashes \
		-o requirements/main.lock
	$(BIN)/uv pip compile pyproject.toml --universal --python-version 3.11 --generate-hashes \
		--extra dev --extra e2e --extra demo -o requirements/dev.lock
	$(BIN)/uv pip compile requirements/demo.in --no-deps --generate-hashes -o requirements/demo.lock

# everything an intranet server without package access installs from (docs/deploy.md)
wheelhouse: $(BIN)/python
	rm -rf wheelhouse && mkdir -p wheelhouse
	$(BIN)/pip download --quiet --require-hashes --only-binary=:all: \
		-r requirements/main.lock -d wheelhouse
	$(BIN)/pip wheel --quiet --no-deps -w wheelhouse .
	cp requirements/main.lock wheelhouse/
	@echo "wheelhouse/ 已就绪：pip install --no-index --find-links wheelhouse --require-hashes -r wheelhouse/main.lock，再安装 wheelhouse/gongkai-*.whl"

# two app servers, workers and nginx on 127.0.0.1 against PostgreSQL, Redis and RabbitMQ
rehearsal: $(DEV_STAMP)
	@bash scripts/system-packages.sh nginx-light
	$(BIN)/python scripts/rehearsal.py

install: $(STAMP)
install-dev: $(DEV_STAMP)

# Debian packages the platform uses: a TrueType CJK font for PDFs (WeasyPrint), Tesseract with
# its simplified Chinese model for scanned attachments and, for the browser tests, Chromium.
# Installed only when missing and when apt-get is usable.
system-packages:
	@bash scripts/system-packages.sh fonts-wqy-zenhei libharfbuzz-subset0 tesseract-ocr tesseract-ocr-chi-sim

demo: $(DEMO_STAMP) system-packages
	$(BIN)/gongkai demo

serve: $(STAMP)
	$(BIN)/gongkai serve

lint: $(DEV_STAMP)
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts

typecheck: $(DEV_STAMP)
	$(BIN)/mypy

importlint: $(DEV_STAMP)
	$(BIN)/lint-imports

migrations-check: $(DEV_STAMP)
	GONGKAI_DATA_DIR=$$(mktemp -d) $(BIN)/gongkai makemigrations --check --dry-run

pytest: $(DEV_STAMP) system-packages
	$(BIN)/pytest -n auto

test: lint typecheck importlint migrations-check pytest

# The whole suite again with the process clock years away from the tests' fixed clock
# (libfaketime): only gongkai.clock may say what day it is, so nothing may change (ADR 0012).
test-dates: $(DEV_STAMP) system-packages
	@bash scripts/system-packages.sh faketime
	faketime -f "@2027-01-04 09:30:00" $(BIN)/pytest -n auto
	faketime -f "@2031-06-30 16:00:00" $(BIN)/pytest -n auto

# The leak sweep over the demo (ADR 0037): the demo loaded into a temporary data directory,
# then every public URL and download, and the demo applicant's own pages, read as they are
# received; fails (naming the URLs) when an unmasked ID, mobile, bank-card or passport
# number is found. The background work the demo leaves to its worker (report files, gazette
# PDFs) runs first, as a site's worker does after publication. A few minutes: most of it is
# loading the demo.
sweep: $(DEMO_STAMP) system-packages
	@data=$$(mktemp -d); trap 'rm -rf "$$data"' EXIT; \
	GONGKAI_DATA_DIR="$$data" $(BIN)/gongkai demo --no-serve --no-worker >/dev/null && \
	GONGKAI_DATA_DIR="$$data" $(BIN)/gongkai worker --drain 2>/dev/null && \
	GONGKAI_DATA_DIR="$$data" GONGKAI_ACCESS_LOG=off $(BIN)/gongkai privacy sweep --applicant zhangsan

e2e: $(E2E_STAMP)
	@bash scripts/system-packages.sh chromium fonts-wqy-zenhei
	@bash scripts/e2e-assets.sh
	$(BIN)/pytest tests/e2e -p no:xdist -o addopts="-q -p no:cacheprovider"

# generated requests against every API operation (schemathesis): no 5xx (a few minutes)
fuzz: $(DEV_STAMP)
	$(BIN)/pytest tests/fuzz -p no:xdist -o addopts="-q -p no:cacheprovider"

bench: $(DEV_STAMP) system-packages
	$(BIN)/python -m bench

openapi: $(STAMP)
	$(BIN)/gongkai openapi -o docs/openapi.json

clean:
	rm -rf var wheelhouse .pytest_cache .ruff_cache .mypy_cache
