# vanban — two commands for a fresh machine:
#   make demo   set everything up, build every sample dossier into out/<sample>/, then sign
#               the samples with a throwaway test CA into out/<sample>/da-ky/ and verify them
#   make test   set everything up, then run ruff and the whole test suite
.PHONY: demo test setup system-deps bench-deps bytecode lint bench wheel-check clean

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SAMPLES := $(patsubst samples/%/hoso.yaml,%,$(wildcard samples/*/hoso.yaml))
# The demo's throwaway certificates (never for real documents); their passphrase is
# $VANBAN_MAT_KHAU, or the demo's own when it is not set.
DEMO_CA := out/chung-thu-thu
# Debian packages: a real DOCX reader for the tests (LibreOffice), PDF tools
# (poppler), the Times-New-Roman-metric font with Vietnamese coverage, and
# WeasyPrint's text stack (Pango, HarfBuzz, and HarfBuzz's subsetter: embedding only the
# glyphs a PDF uses is far quicker than whole faces), a PostgreSQL server for the register's
# tests, and for the signing tests a real PKCS#11 module (SoftHSM2) with pkcs11-tool (opensc) and
# certutil (libnss3-tools) for pdfsig's trust db.
SYSTEM_PACKAGES := libreoffice-writer-nogui poppler-utils fonts-liberation2 fontconfig \
                   libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 \
                   postgresql softhsm2 opensc libnss3-tools

# The demo leaves no warm process behind (VANBAN_CHO_SAN=0; a clerk's builds do, see README).
demo: setup
	@for s in $(SAMPLES); do \
	  VANBAN_CHO_SAN=0 $(BIN)/vanban build samples/$$s/hoso.yaml -o out/$$s --force --png || exit 1; \
	done
	@$(BIN)/vanban -q tao-chung-thu-thu $(DEMO_CA) --force
	@$(BIN)/python tools/demo_sign.py $(DEMO_CA) $(addprefix out/,$(SAMPLES))
	@$(BIN)/vanban verify --tin-cay $(DEMO_CA)/ca-thu-nghiem.pem \
	  $(foreach s,$(SAMPLES),out/$(s)/da-ky/*.pdf)
	@echo "Xong: hồ sơ mẫu nằm trong out/, bản ký số thử trong out/<mẫu>/da-ky/; chạy vanban bằng $(BIN)/vanban (hoặc . $(BIN)/activate)"

# The register's tests run on SQLite and on a throwaway PostgreSQL server (tools/with-postgres).
test: setup
	$(BIN)/ruff check src tests benchmarks tools
	$(BIN)/mypy
	tools/with-postgres $(BIN)/python -m pytest

setup: system-deps $(STAMP) bytecode

# Compile vanban's own modules, as pip does for an installed wheel: a checkout run with
# PYTHONDONTWRITEBYTECODE set otherwise compiles them again at every start (about 80 ms of
# each command here). Only changed files are compiled again.
bytecode: $(STAMP)
	@$(BIN)/python -m compileall -q src/vanban

# The benchmarks' own: Valgrind counts the instructions the fitting pass adds
# (benchmarks/bench_fit_work.py), a figure this machine's noise does not move.
BENCH_PACKAGES := valgrind

bench-deps:
	@$(MAKE) --no-print-directory system-deps SYSTEM_PACKAGES="$(BENCH_PACKAGES)"

system-deps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if command -v apt-get >/dev/null 2>&1; then \
	    SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	    echo "Cài gói hệ thống:$$missing"; \
	    $$SUDO apt-get update -q && \
	    DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q --no-install-recommends $$missing; \
	  else \
	    echo "Thiếu gói hệ thống:$$missing — hãy cài bằng trình quản lý gói của máy."; exit 1; \
	  fi; \
	fi

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	@touch $(STAMP)

lint: setup
	$(BIN)/ruff check src tests benchmarks tools
	$(BIN)/mypy

bench: setup bench-deps
	$(BIN)/python benchmarks/run.py

# Build the wheel, install it (not editable) in a fresh venv and run the
# installed vanban on a sample: a wheel without its templates fails here. It builds
# twice (tools/wheel_check.py): the second build is served by the warm process the first
# leaves, and must write the same bytes.
wheel-check: setup
	rm -rf dist .wheel-venv
	$(BIN)/python -m build --wheel -o dist . >/dev/null
	$(PYTHON) -m venv .wheel-venv
	.wheel-venv/bin/pip install -q dist/*.whl
	.wheel-venv/bin/python tools/wheel_check.py samples/tan-tho-2023/hoso.yaml out/wheel-check
	rm -rf .wheel-venv

clean:
	rm -rf $(VENV) out dist build .wheel-venv
