#!/usr/bin/env python3
"""Builds Geodata/land-mask-china.rle: a land/water grid of 1/120 degree (about 1 km) cells covering
longitudes 73..136 E and latitudes 3..54 N, run-length encoded.

Source: global-land-mask 1.0.0 (PyPI), file global_land_mask/globe_combined_mask_compressed.npz: array
"mask" of 21,600 x 43,200 booleans (True = ocean), derived from NOAA's GLOBE 30-arc-second elevation
tiles (cells whose elevation is the GLOBE ocean value -500). The package's arrays "lat" and "lon" give
the north edge of row i as 90 - i/120 and the west edge of column j as -180 + j/120 (GLOBE grids are
cell-registered; the package's own lookup floors into these cells), so row i spans latitudes
(90 - (i+1)/120, 90 - i/120] and column j spans longitudes [-180 + j/120, -180 + (j+1)/120).

The crop keeps source rows 4320..10439 (north edge 54 N, south edge 3 N) and columns 30360..37919
(west edge 73 E, east edge 136 E): 7,560 columns x 6,120 rows, aligned with the source cells.

Format (also in Geodata/README.md):
  ASCII header line  "SITING-LANDMASK 1 <west> <north> <cellDegrees> <columns> <rows>\n"
                     here "SITING-LANDMASK 1 73 54 1/120 7560 6120\n"; west/north are the outer cell edges.
  Then, for each row from north to south, run lengths alternating water, land, water, ... starting with
  water (so a row starting on land begins with a 0 run), each an unsigned LEB128 varint (7 bits per byte,
  least significant group first, high bit set on every byte but the last). A row ends when its runs add
  up to <columns>; the next row starts with a water run again. No padding, no trailer.
  Cell (row r, column c) covers lon [west + c*cell, west + (c+1)*cell), lat (north - (r+1)*cell, north - r*cell].
  Lakes are mostly land in GLOBE.

The script decodes what it wrote and compares it with the source array cell by cell.
Run:  pip install global-land-mask==1.0.0 numpy==2.4.6 && python3 Geodata/scripts/build_land_mask.py
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from geodata_common import GEODATA, LandMask  # noqa: E402

WEST, EAST, SOUTH, NORTH = 73, 136, 3, 54
PER_DEGREE = 120


def varint(n):
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def encode(land):
    rows, columns = land.shape
    out = bytearray(f"SITING-LANDMASK 1 {WEST} {NORTH} 1/{PER_DEGREE} {columns} {rows}\n".encode("ascii"))
    for r in range(rows):
        row = land[r].astype(np.int8)
        changes = np.flatnonzero(np.diff(row)) + 1
        bounds = np.concatenate(([0], changes, [columns]))
        runs = np.diff(bounds).tolist()
        if row[0]:  # starts on land: an empty water run first
            runs.insert(0, 0)
        for n in runs:
            out += varint(n)
    return bytes(out)


def decode(blob):
    """Reference reader: what a Swift reader does, in Python."""
    newline = blob.index(b"\n")
    magic, version, west, north, cell, columns, rows = blob[:newline].decode("ascii").split(" ")
    assert magic == "SITING-LANDMASK" and version == "1", (magic, version)
    columns, rows = int(columns), int(rows)
    grid = np.zeros((rows, columns), dtype=bool)
    pos = newline + 1
    for r in range(rows):
        c, is_land = 0, False
        while c < columns:
            n, shift = 0, 0
            while True:
                byte = blob[pos]
                pos += 1
                n |= (byte & 0x7F) << shift
                shift += 7
                if byte < 0x80:
                    break
            if is_land:
                grid[r, c:c + n] = True
            c += n
            is_land = not is_land
        assert c == columns, (r, c)
    assert pos == len(blob), (pos, len(blob))
    return (float(west), float(north), cell, columns, rows), grid


def main():
    ocean = LandMask().ocean
    r0, r1 = (90 - NORTH) * PER_DEGREE, (90 - SOUTH) * PER_DEGREE
    c0, c1 = (WEST + 180) * PER_DEGREE, (EAST + 180) * PER_DEGREE
    land = ~ocean[r0:r1, c0:c1]
    blob = encode(land)
    path = os.path.join(GEODATA, "land-mask-china.rle")
    with open(path, "wb") as out:
        out.write(blob)
    with open(path, "rb") as fh:
        header, grid = decode(fh.read())
    assert header == (73.0, 54.0, "1/120", 7560, 6120), header
    assert np.array_equal(grid, land), "decoded land mask differs from the source"
    # spot checks against the package's own lookup (is_land at cell centres)
    import global_land_mask.globe as globe
    rng = np.random.default_rng(20261129)
    rows = rng.integers(0, land.shape[0], 2000)
    cols = rng.integers(0, land.shape[1], 2000)
    lats = NORTH - (rows + 0.5) / PER_DEGREE
    lons = WEST + (cols + 0.5) / PER_DEGREE
    assert np.array_equal(globe.is_land(lats, lons), grid[rows, cols]), "package lookup disagrees"
    print(f"land-mask-china.rle: {land.shape[1]} x {land.shape[0]} cells, {int(land.sum())} land, "
          f"{len(blob)} bytes; decoded and compared equal", file=sys.stderr)


if __name__ == "__main__":
    main()
