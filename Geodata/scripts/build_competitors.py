#!/usr/bin/env python3
"""Builds Geodata/competitors.csv: other banks' outlets, SYNTHETIC, a documented 10% sample of a national
network of about 224,000 banking outlets (about 1.6 per 10,000 people); see Geodata/competitors.md.

Calibration:
- 22,400 `branch` rows = 10% of 224,000 (1.6 outlets per 10,000 people x 1.40 bn, an approximate
  national figure), spread over the 31 provinces in proportion to 2023 year-end population x
  (GDP per capita / national GDP per capita)^0.3 (cn-provinces-2023.csv), largest-remainder rounding;
- within a province over its finest units (counties/districts) in proportion to the unit's estimated
  population (geodata_common.unit_populations) x 1.5 for urban districts (name ending in 区, and
  prefecture-level cities without counties) and x 1.0 for counties, banners and county-level cities;
- 2,240 `selfService` rows (standalone self-service sites, one per ten branch rows: an assumption, not a
  calibrated figure), distributed like the branches but with the urban factor 2.0;
- each row placed near a GeoNames place (cities500.json) of its unit, with a seeded jitter of 0.3-8 km by
  the place's size, on land (global-land-mask) and inside the unit's unsimplified polygon; units without
  any GeoNames place get uniform random points inside the polygon (on land);
- brand: one of six generic labels Bank A ... Bank F (never real bank names), with different shares in
  urban districts and in counties (Bank A and Bank D are the county-heavy networks).

Run:  python3 Geodata/scripts/build_competitors.py   (after build_regions.py; or Geodata/scripts/build_all.sh)
"""
import csv
import os
import sys
from collections import Counter

import numpy as np
import shapely

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from geodata_common import (fail_if_problems, GEODATA, LandMask, PointLocator, anchors, city_of, is_urban_unit,  # noqa: E402
                            jitter, load_regions, read_provinces, sample_in_polygon, shipped_polygons,
                            short_name, unit_populations, write_csv)

SEED = 20231231
NATIONAL_OUTLETS = 224_000  # about 1.6 banking outlets per 10,000 people (approximate)
SAMPLE = 0.10
BRANCH_ROWS = round(NATIONAL_OUTLETS * SAMPLE)  # 22,400
SELF_SERVICE_ROWS = BRANCH_ROWS // 10  # 2,240 (assumption)
GDP_TILT = 0.3
URBAN_FACTOR = {"branch": 1.5, "selfService": 2.0}
BRANDS = ["Bank A", "Bank B", "Bank C", "Bank D", "Bank E", "Bank F"]
BRAND_SHARE = {"urban": [0.16, 0.20, 0.18, 0.14, 0.17, 0.15], "county": [0.34, 0.14, 0.14, 0.20, 0.10, 0.08]}
HEADER = ["id", "name", "brand", "kind", "lon", "lat", "adcode"]


def sigma_km(population):
    return min(0.3 + 1.6 * (max(population, 0) / 1e6) ** 0.5, 8.0)


def largest_remainder(total, weights):
    keys = sorted(weights)
    w = np.array([weights[k] for k in keys], dtype=float)
    exact = total * w / w.sum()
    base = np.floor(exact).astype(int)
    order = sorted(range(len(keys)), key=lambda i: (-(exact[i] - base[i]), keys[i]))
    for i in order[: total - int(base.sum())]:
        base[i] += 1
    return {k: int(b) for k, b in zip(keys, base)}


def place(rng, unit, region, unit_anchors, locator, land, shipped):
    points = unit_anchors.get(unit, [])
    if points:
        weights = np.array([max(p[2], 1000) ** 0.8 for p in points], dtype=float)
        for _ in range(1000):
            if rng.random() < 0.25:  # a quarter near any listed place, villages included
                anchor = points[int(rng.integers(len(points)))]
            else:
                anchor = points[int(rng.choice(len(points), p=weights / weights.sum()))]
            lon, lat = jitter(rng, anchor[0], anchor[1], max(sigma_km(anchor[2]), 0.5))
            lon, lat = round(lon, 6), round(lat, 6)
            if land.is_land(lon, lat) and locator.locate(lon, lat) == unit \
                    and shapely.contains_xy(shipped[unit], lon, lat):
                return lon, lat
    for _ in range(1000):
        lon, lat = sample_in_polygon(rng, region["geometry"])
        lon, lat = round(lon, 6), round(lat, 6)
        if land.is_land(lon, lat) and locator.locate(lon, lat) == unit and shapely.contains_xy(shipped[unit], lon, lat):
            return lon, lat
    raise RuntimeError(f"could not place a point in {unit}")


def main():
    rng = np.random.default_rng(SEED)
    provinces = read_provinces()
    regions, _ = load_regions()
    locator = PointLocator(regions)
    land = LandMask()
    population = unit_populations(regions, locator, provinces)
    unit_anchors = anchors(regions, locator)
    shipped = shipped_polygons()

    national_gdppc = sum(p["gdp_yuan"] for p in provinces.values()) / sum(p["population"] for p in provinces.values())
    province_weight = {code: p["population"] * (p["gdp_per_capita"] / national_gdppc) ** GDP_TILT
                       for code, p in provinces.items()}
    rows, table = [], []
    used = Counter()
    for kind, total in (("branch", BRANCH_ROWS), ("selfService", SELF_SERVICE_ROWS)):
        per_province = largest_remainder(total, province_weight)
        for code in sorted(per_province):
            units = {u: population[u] * (URBAN_FACTOR[kind] if is_urban_unit(regions[u]) else 1.0)
                     for u in population if u[:2] == code}
            per_unit = largest_remainder(per_province[code], units)
            if kind == "branch":
                table.append((code, per_province[code]))
            for unit in sorted(per_unit):
                region = regions[unit]
                setting = "urban" if is_urban_unit(region) else "county"
                city = city_of(regions, unit)
                stem = short_name(regions[city]["name"]) + ("" if unit == city else short_name(region["name"]))
                for _ in range(per_unit[unit]):
                    lon, lat = place(rng, unit, region, unit_anchors, locator, land, shipped)
                    brand = BRANDS[int(rng.choice(len(BRANDS), p=BRAND_SHARE[setting]))]
                    label = "支行" if kind == "branch" else "自助银行"
                    used[(brand, stem, label)] += 1
                    rows.append([None, f"{brand} {stem}{label} {used[(brand, stem, label)]}", brand, kind,
                                 f"{lon:.6f}", f"{lat:.6f}", unit])
    for i, row in enumerate(rows, 1):
        row[0] = f"C{i:06d}"
    write_csv(os.path.join(GEODATA, "competitors.csv"), HEADER, rows)
    verify(provinces, table, locator, land, shipped)


def verify(provinces, table, locator, land, shipped):
    with open(os.path.join(GEODATA, "competitors.csv"), encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        rows = [dict(zip(header, r)) for r in reader]
    problems = [] if header == HEADER else [f"header {header}"]
    branch = Counter(r["adcode"][:2] for r in rows if r["kind"] == "branch")
    kinds = Counter(r["kind"] for r in rows)
    print(f"{'province':10s} {'pop (10k)':>10s} {'branch rows':>11s} {'per 10k (x10 sample)':>21s}", file=sys.stderr)
    for code, target in table:
        p = provinces[code]
        per10k = branch[code] / p["population"] * 1e4 / SAMPLE
        print(f"{p['name_en']:10.10s} {p['population'] / 1e4:10.1f} {branch[code]:11d} {per10k:21.2f}", file=sys.stderr)
        if branch[code] != target:
            problems.append(f"{code}: {branch[code]} branch rows, expected {target}")
    total_pop = sum(p["population"] for p in provinces.values())
    print(f"{'total':10s} {total_pop / 1e4:10.1f} {kinds['branch']:11d} "
          f"{kinds['branch'] / total_pop * 1e4 / SAMPLE:21.2f}   selfService rows: {kinds['selfService']}",
          file=sys.stderr)
    if kinds["branch"] != BRANCH_ROWS or kinds["selfService"] != SELF_SERVICE_ROWS or len(branch) != 31:
        problems.append(f"kinds {dict(kinds)}, provinces {len(branch)}")
    for i, r in enumerate(rows, 1):
        lon, lat = float(r["lon"]), float(r["lat"])
        if r["id"] != f"C{i:06d}" or not land.is_land(lon, lat) or locator.locate(lon, lat) != r["adcode"] \
                or not shapely.contains_xy(shipped[r["adcode"]], lon, lat):
            problems.append(f"row {i} ({r['id']}): id, land or region check failed")
        if r["brand"] not in BRANDS or r["kind"] not in ("branch", "selfService"):
            problems.append(f"row {i}: brand or kind")
    if len({r["name"] for r in rows}) != len(rows):
        problems.append("names not unique")
    fail_if_problems(problems, f"competitors.csv: {len(rows)} rows verified (on land, inside their regions' "
                               f"source and simplified polygons)")


if __name__ == "__main__":
    main()
