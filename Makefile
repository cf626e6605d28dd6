# PStamp: `make run` and `make test` do all the set-up on a fresh Debian 12 machine (as root, or with sudo).
SHELL := /bin/bash
export PATH := $(PATH):/opt/swift/usr/bin
SWIFT ?= swift
# Debian packages the build, the tests and the server need (chromium: the pages rendered by a real browser in the tests).
DEB_PACKAGES := pkg-config libsqlite3-dev libcfitsio-dev wcslib-dev libcurl4-openssl-dev libmariadb-dev \
                libturbojpeg0-dev libssl-dev fitsverify mariadb-server curl python3 python3-pip chromium
# PyPI packages the tests need: schemathesis checks the served API against its OpenAPI document; astropy
# and pyvo read the VO documents as a VO client does.
PIP_PACKAGES := schemathesis astropy pyvo
VAR ?= $(CURDIR)/var
BIN = $(shell $(SWIFT) build --show-bin-path 2>/dev/null)

.PHONY: deps build run test test-only lint bench bench-cutout fixtures install clean

deps:
	@missing=""; for p in $(DEB_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi
	@{ command -v schemathesis && python3 -c "import astropy, pyvo"; } >/dev/null 2>&1 || { echo "installing (pip): $(PIP_PACKAGES)"; \
	  python3 -m pip install -q $(PIP_PACKAGES) 2>/dev/null || python3 -m pip install -q --break-system-packages $(PIP_PACKAGES); }

build: deps
	$(SWIFT) build

run: build
	@scripts/run.sh "$(BIN)" "$(VAR)"

# The whole suite: unit tests, the pipeline on the fixtures, and the MySQL driver against a private MariaDB.
test: deps lint
	$(SWIFT) build --build-tests
	@scripts/with-mariadb.sh $(SWIFT) test --skip-build --no-parallel

# The house style (.swift-format): no line over 140 columns, ordered imports; `swift format format -i -r Sources Tests` fixes.
lint:
	$(SWIFT) format lint --strict -r Sources Tests Package.swift

# The fixture sky (committed; this remakes it byte for byte).
fixtures: build
	"$(BIN)/pstamp" fixtures build --output fixtures

test-only:
	@scripts/with-mariadb.sh $(SWIFT) test --no-parallel

# The service benchmark (Benchmarks/bench_service.py): release pstamp serving the fixtures, each goal of the
# service (parse, end-to-end cut, fetch, one-row latency, restores, /ds under load, memory) beside the bare
# engine on the same images, in one table. docs/performance.md records it.
bench: deps
	$(SWIFT) build -c release --product pstamp
	@python3 Benchmarks/bench_service.py "$$($(SWIFT) build -c release --show-bin-path)" "$(CURDIR)/Benchmarks/.work/service"

# Release build of pstamp, then the cutout benchmark (Benchmarks/Makefile); astropy is compared when importable.
bench-cutout: deps
	$(SWIFT) build -c release --product pstamp
	@$(MAKE) -C Benchmarks cutout SWIFT_BIN="$$($(SWIFT) build -c release --show-bin-path)"

# An installation at an observatory (docs/site-setup.md): release binaries in $(PREFIX)/bin, the fixture
# sky in $(PREFIX)/share/pstamp/fixtures (where `pstamp serve` finds it), the migrations inside the binaries.
PREFIX ?= /usr/local
install: deps
	$(SWIFT) build -c release
	install -d "$(DESTDIR)$(PREFIX)/bin" "$(DESTDIR)$(PREFIX)/share/pstamp"
	rel="$$($(SWIFT) build -c release --show-bin-path)"; \
	  install -m 755 "$$rel/pstamp" "$$rel/pstamptool" "$$rel/labeltool" "$(DESTDIR)$(PREFIX)/bin/"; \
	  cp -R "$$rel"/*.resources "$(DESTDIR)$(PREFIX)/bin/" 2>/dev/null || true
	rm -rf "$(DESTDIR)$(PREFIX)/share/pstamp/fixtures"
	cp -R fixtures "$(DESTDIR)$(PREFIX)/share/pstamp/fixtures"

clean:
	rm -rf .build var
