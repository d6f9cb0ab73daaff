"""Synthetic raw exports at national scale, written fast (vectorised, Arrow's CSV writer).

Staff and students of many universities over 20 years, with the variety of
country spellings, codes, Finnish vocabulary and blanks that real exports have;
exchange periods (5% of the rows) with a partner list, so that the mobility,
partner and network pages have something to draw.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

COUNTRY_FORMS = ["FI", "FIN", "Suomi", "Finland", "246", "DE", "Saksa", "Germany", "CN", "Kiina", "IND", "Intia",
                 "IR", "Iran", "RU", "Venäjä", "ES", "Espanja", "FR", "Ranska", "VN", "Vietnam", "PK", "NP", "US",
                 "USA", "Yhdysvallat", "IT", "Italia", "SE", "Ruotsi", "EE", "Viro", "GB", "Iso-Britannia", "KR",
                 "Etelä-Korea", "BR", "NG", "GH", "TR", "Turkki", "JP", "Japani", "", "tuntematon", "XX", "DE;FI",
                 "Venäjä|Suomi", "SU", "YU", "XKX", "IS", "MN", "BT", "FJ"]
WEIGHTS = np.array([40, 10, 60, 10, 3, 4, 3, 2, 4, 3, 3, 2, 2, 2, 2, 3, 2, 1, 2, 1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
                    2, 1, 1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 3, 1, 1, 1, 0.5, 0.1, 0.1, 0.1, 0.1,
                    0.1, 0.1, 0.1])
UNITS = [f"U{i:02d}" for i in range(40)]
PARTNER_COUNTRIES = ["DE", "FR", "ES", "IT", "NL", "SE", "NO", "DK", "EE", "PL", "AT", "CH", "GB", "US", "CA", "JP",
                     "KR", "CN", "SG", "AU", "BR", "CZ", "PT", "BE", "IE"]
PROGRAMMES = ["Erasmus+", "Nordplus", "bilateral", "Unite!", ""]
NETWORKS = ["Unite!", "Nordic Five Tech", "EuroTeQ"]


def _pick(rng: np.random.Generator, values: list[str], n: int, p: np.ndarray | None = None) -> pa.Array:
    index = rng.choice(len(values), size=n, p=None if p is None else p / p.sum())
    return pa.array(np.array(values, dtype=object)[index], pa.string())


def write(raw: Path, rows: int, seed: int = 7, years: int = 20) -> list[Path]:
    """About `rows` rows in all: one staff file (a quarter) and one students file (the rest) per year."""
    raw.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    files = []
    staff_per_year, students_per_year = rows // 4 // years, rows * 3 // 4 // years
    for year in range(2005, 2005 + years):
        n = staff_per_year
        ids = rng.integers(0, rows // 8, size=n)
        table = pa.table({
            "henkilonumero": pa.array([f"H{i:08d}" for i in ids]),
            "vuosi": pa.array([str(year)] * n),
            "yksikko": _pick(rng, UNITS, n),
            "henkilostoryhma": _pick(rng, ["professori", "muu opetus- ja tutkimushenkilöstö", "muu henkilöstö",
                                           "professor", "teaching_research", "other"], n,
                                     np.array([1, 6, 5, 0.5, 2, 2])),
            "kansalaisuus": _pick(rng, COUNTRY_FORMS, n, WEIGHTS),
            "sukupuoli": _pick(rng, ["nainen", "mies", "female", "male", ""], n),
            "htv": _pick(rng, ["1", "1,0", "0,5", "0.8", ""], n),
        })
        path = raw / f"staff_{year}.csv"
        pacsv.write_csv(table, path, pacsv.WriteOptions(delimiter=";", quoting_style="needed"))
        files.append(path)
        n = students_per_year
        ids = rng.integers(0, rows // 2, size=n)
        table = pa.table({
            "student_id": pa.array([f"{i:09d}" for i in ids]),
            "year": pa.array([str(year)] * n),
            "level": _pick(rng, ["bachelor", "master", "doctoral", "kandidaatti", "maisteri", "tohtori"], n,
                           np.array([4, 4, 1, 2, 2, 0.5])),
            "unit": _pick(rng, UNITS, n),
            "citizenship": _pick(rng, COUNTRY_FORMS, n, WEIGHTS),
            "new_entrant": _pick(rng, ["1", "0", "true", "false", "kyllä", "ei", ""], n),
            "gender": _pick(rng, ["female", "male", "other", ""], n, np.array([45, 45, 1, 9])),
        })
        path = raw / f"students_{year}.csv"
        pacsv.write_csv(table, path)
        files.append(path)
    return files


def write_mobility(raw: Path, rows: int, partners: int = 2000, seed: int = 11, years: int = 20) -> list[Path]:
    """`rows` exchange periods over `years` (one file per year), with `partners` partner institutions
    in their own file. A tenth of the exchanges are with institutions missing from the partner list."""
    rng = np.random.default_rng(seed)
    codes = [f"X{i:05d}" for i in range(partners)]
    countries = np.array(PARTNER_COUNTRIES, dtype=object)[rng.integers(0, len(PARTNER_COUNTRIES), partners)]
    network = rng.integers(0, len(NETWORKS) * 20, partners)
    table = pa.table({
        "partner_code": pa.array(codes),
        "partner_name": pa.array([f"Institution {i}" for i in range(partners)]),
        "country": pa.array(list(countries)),
        "programmes": _pick(rng, ["Erasmus+", "Erasmus+;bilateral", "Nordplus", "bilateral"], partners),
        "networks": pa.array([NETWORKS[n] if n < len(NETWORKS) else "" for n in network]),
    })
    path = raw / "partners.csv"
    pacsv.write_csv(table, path)
    files = [path]
    per_year = rows // years
    for number, year in enumerate(range(2005, 2005 + years)):
        n = per_year
        partner = rng.integers(0, int(partners * 1.1), n)
        listed = partner < partners
        start = np.datetime64(f"{year}-01-01") + rng.integers(0, 330, n).astype("timedelta64[D]")
        end = start + rng.integers(10, 300, n).astype("timedelta64[D]")
        table = pa.table({
            "mobility_id": pa.array([f"M{number:02d}{i:08d}" for i in range(n)]),
            "direction": _pick(rng, ["incoming", "outgoing", "saapuva", "lähtevä"], n),
            "start_date": pa.array(start.astype(str)),
            "end_date": pa.array(end.astype(str)),
            "level": _pick(rng, ["bachelor", "master", "doctoral", "staff", "maisteri"], n, np.array([3, 4, 1, 1, 1])),
            "unit": _pick(rng, UNITS, n),
            "partner_code": pa.array([codes[p] if ok else "" for p, ok in zip(partner, listed)]),
            "partner_name": pa.array([f"Institution {p}" for p in partner]),
            "partner_country": pa.array([str(countries[p]) if ok else "FR" for p, ok in zip(partner, listed)]),
            "programme": _pick(rng, PROGRAMMES, n),
        })
        path = raw / f"mobility_{year}.csv"
        pacsv.write_csv(table, path)
        files.append(path)
    return files
