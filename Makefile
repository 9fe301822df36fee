# Siting: the two first-run commands (`make demo`, `make test`) and a few helpers.
# Each target installs the Debian packages Siting needs when they are missing.

SWIFT        ?= swift
SUDO         := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
BIN_DIR       = $(shell $(SWIFT) build -c release --show-bin-path)

# The Bund (Chen Yi Square), WGS84 lon lat.
THE_BUND  := 121.485000 31.236000

.PHONY: demo test deps test-deps build bench bench-deps bench-check bench-update bench-update-mallocs bench-update-instructions

# Debian packages: what building and running need, and what the tests' oracles need on top.
RUN_PACKAGES  := pkg-config libproj-dev libsqlite3-dev proj-data
TEST_PACKAGES := proj-bin sqlite3 gdal-bin

define apt_install
	echo "Installing system packages: $(1)"; \
	$(SUDO) apt-get update -qq && \
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $(1) >/dev/null
endef

deps:
	@command -v $(SWIFT) >/dev/null || { echo "Swift 6 is required: install a Swift toolchain from swift.org first." >&2; exit 1; }
	@if ! pkg-config --exists proj sqlite3 2>/dev/null; then $(call apt_install,$(RUN_PACKAGES)); fi

# Python packages the server tests use as oracles: the OpenAPI 3.1 validator and JSON Schema.
TEST_PYTHON := openapi-spec-validator jsonschema

test-deps: deps
	@if ! command -v cs2cs >/dev/null || ! command -v geod >/dev/null || ! command -v sqlite3 >/dev/null \
		|| ! command -v ogrinfo >/dev/null; then $(call apt_install,$(TEST_PACKAGES)); fi
	@if ! python3 -c "import openapi_spec_validator, jsonschema" 2>/dev/null; then \
		echo "Installing Python packages: $(TEST_PYTHON)"; python3 -m pip install -q $(TEST_PYTHON); fi

build: deps
	$(SWIFT) build -c release --product siting

DEMO_DB ?= siting.gpkg
DEMO_MAP ?= shanghai-plan.svg

demo: build
	@echo "Building the demo database $(DEMO_DB) from Geodata/:"
	@$(BIN_DIR)/siting init --db $(DEMO_DB) --force
	@$(BIN_DIR)/siting info --db $(DEMO_DB)
	@echo
	@echo "Ranking 10 new sites for Shanghai (310000) at 1 km (siting rank):"
	@$(BIN_DIR)/siting rank --db $(DEMO_DB) --region 310000 --sites 10 --map $(DEMO_MAP)
	@echo
	@echo "The 5 outlets nearest the Bund, and whether they are open now (siting nearby):"
	@$(BIN_DIR)/siting nearby --db $(DEMO_DB) --lng $(word 1,$(THE_BUND)) --lat $(word 2,$(THE_BUND)) --limit 5
	@echo
	@echo "Open the plan map $(DEMO_MAP) in a browser. Serve the same data over HTTP with:"
	@echo "  $(BIN_DIR)/siting serve --db $(DEMO_DB)    # then: curl 'http://127.0.0.1:8080/v1/outlets/nearby?lat=31.236&lng=121.485&limit=5'"

test: test-deps
	$(SWIFT) test

bench: deps
	cd Benchmarks && $(SWIFT) package --allow-writing-to-package-directory benchmark

# The benchmark gate CI runs after the tests (Benchmarks/README.md, "What CI gates"): exact malloc
# counts (package-benchmark's committed thresholds) and instruction counts under callgrind
# (Benchmarks/Thresholds/instructions.json). Every check runs, then the target fails if any failed.
# Nearby: only the benchmarks that do the same work in every iteration have exact malloc counts.
NEARBY_GATED := --filter build-1M --filter nearest-k10-Taklamakan-1M
INSTRUCTION_COUNTS = cd Benchmarks && $(SWIFT) build -c release --product InstructionCounts && .build/release/InstructionCounts

bench-deps: deps
	@command -v valgrind >/dev/null || { $(call apt_install,valgrind); }

bench-check: bench-deps
	@status=0; \
	(cd Benchmarks && $(SWIFT) package benchmark thresholds check --target Projection --metric mallocCountTotal --no-progress) || status=1; \
	(cd Benchmarks && $(SWIFT) package benchmark thresholds check --target Nearby --metric mallocCountTotal $(NEARBY_GATED) --no-progress) || status=1; \
	($(INSTRUCTION_COUNTS) check) || status=1; \
	if [ $$status -ne 0 ]; then echo "Benchmark gate FAILED (see above; Benchmarks/README.md says how to update thresholds)." >&2; fi; \
	exit $$status

# After an intended change: rewrite the thresholds, review the diff, commit.
bench-update: bench-update-mallocs bench-update-instructions

bench-update-mallocs: deps
	cd Benchmarks && $(SWIFT) package --allow-writing-to-package-directory benchmark thresholds update --target Projection --metric mallocCountTotal --no-progress
	cd Benchmarks && $(SWIFT) package --allow-writing-to-package-directory benchmark thresholds update --target Nearby --metric mallocCountTotal $(NEARBY_GATED) --no-progress

bench-update-instructions: bench-deps
	$(INSTRUCTION_COUNTS) update
