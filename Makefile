# Siting: the two first-run commands (`make demo`, `make test`) and a few helpers.
# Each target installs the Debian packages Siting needs when they are missing.

SWIFT        ?= swift
APT_PACKAGES := pkg-config libproj-dev proj-bin libsqlite3-dev sqlite3
SUDO         := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
BIN_DIR       = $(shell $(SWIFT) build -c release --show-bin-path)

# Tian'anmen Gate and the Bund (Chen Yi Square), WGS84 lon lat.
TIANANMEN := 116.391280 39.906280
THE_BUND  := 121.485000 31.236000

.PHONY: demo test deps build bench

deps:
	@command -v $(SWIFT) >/dev/null || { echo "Swift 6 is required: install a Swift toolchain from swift.org first." >&2; exit 1; }
	@if ! pkg-config --exists proj sqlite3 2>/dev/null || ! command -v cs2cs >/dev/null || ! command -v geod >/dev/null; then \
		echo "Installing system packages: $(APT_PACKAGES)"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $(APT_PACKAGES) >/dev/null; \
	fi

build: deps
	$(SWIFT) build -c release --product siting

demo: build
	@echo "Tian'anmen Gate in the four coordinate systems (lon lat, degrees):"
	@for sys in wgs84 cgcs2000 gcj02 bd09; do \
		printf '  %-9s ' $$sys; $(BIN_DIR)/siting convert --from wgs84 --to $$sys $(TIANANMEN); \
	done
	@printf '  %-9s ' "EPSG:3857"; $(BIN_DIR)/siting convert --from wgs84 --to EPSG:3857 $(TIANANMEN)
	@echo "Distance from Tian'anmen Gate to the Bund, Shanghai (WGS84 ellipsoid):"
	@printf '  '; $(BIN_DIR)/siting distance $(TIANANMEN) $(THE_BUND)

test: deps
	$(SWIFT) test

bench: deps
	cd Benchmarks && $(SWIFT) package --allow-writing-to-package-directory benchmark
