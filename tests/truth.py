"""Independent recomputation of the dashboard's figures from the person-level
warehouse (not from the aggregates, nor with the app's code), with the
disclosure rule written out again from its definition."""

from __future__ import annotations

import base64
import html
import json
from pathlib import Path

import duckdb
import numpy as np

from app.model.regions import all_regions

POPULATIONS = {
    "professors": ("staff", "staff_group IN ('professor')"),
    "teaching_research": ("staff", "staff_group IN ('professor', 'teaching_research')"),
    "other_teaching_research": ("staff", "staff_group = 'teaching_research'"),
    "other_staff": ("staff", "staff_group = 'other'"),
    "all_staff": ("staff", "TRUE"),
    "degree_students": ("students", "TRUE"),
    "bachelor": ("students", "level = 'bachelor'"),
    "master": ("students", "level = 'master'"),
    "doctoral": ("students", "level = 'doctoral'"),
    "new_students": ("students", "new_entrant"),
}


PARTS = {"teaching_research": ("professors", "other_teaching_research"),
         "all_staff": ("professors", "other_teaching_research", "other_staff"),
         "degree_students": ("bachelor", "master", "doctoral")}


def vipunen(n: int) -> float | None:
    """0 stays 0, 1-4 is a range (None), else the nearest multiple of 3."""
    if 1 <= n <= 4:
        return None
    return float(3 * round(n / 3))


# Each definition of international from the person-level columns, written out again from docs/warehouse.md:
# (whether international, the country that counts); {home} is the home country's code.
DEFINITIONS = {
    "register": ("is_international", "citizenship"),
    "any_foreign": ("len(list_filter(citizenships, lambda c: c <> '{home}')) > 0 OR "
                    "(CASE WHEN len(citizenships) = 0 THEN NULL ELSE false END)",
                    "CASE WHEN len(citizenships) > 0 THEN 'known' END"),
    "first_employment": ("international_at_hire", "citizenship_at_hire"),
    "prior_education": ("educated_abroad", "prior_education_country"),
}
DIFFER_WINDOW = {"vipunen": 8}   # a count by another definition within this of the register's is a range


class Truth:
    def __init__(self, warehouse, rule: str = "vipunen"):
        self.con = duckdb.connect()
        for table in ("staff", "students", "mobility", "partners"):
            self.con.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet('{warehouse}/{table}/**/*.parquet')")
        self.rule = rule
        self.home = json.loads((Path(warehouse) / "manifest.json").read_text())["home_country"]

    def protect(self, n: int) -> float | None:
        return vipunen(n) if self.rule == "vipunen" else float(n)

    def counts(self, population: str, year: int, where: str = "TRUE", countries: set[str] | None = None,
               definition: str = "register"):
        table, condition = POPULATIONS[population]
        international, country = (part.format(home=self.home) for part in DEFINITIONS[definition])
        international = f"({international})"
        if countries is not None:
            international += f" AND {country} IN ({', '.join(repr(c) for c in sorted(countries)) or 'NULL'})"
        return self.con.execute(f"""
            SELECT count(*) FILTER ({international}), count({country}), count(*) FILTER ({country} IS NULL)
            FROM {table} WHERE year = {year} AND {condition} AND {where}""").fetchone()

    def moved(self, population: str, year: int, where: str, countries: set[str] | None, definition: str):
        """People international by the definition and not by the register's, and the other way."""
        table, condition = POPULATIONS[population]
        register, chosen = ("register", "is_international", "citizenship"), (definition, *DEFINITIONS[definition])

        def international(_, flag: str, country: str) -> str:
            flag, country = flag.format(home=self.home), country.format(home=self.home)
            inside = f" AND {country} IN ({', '.join(repr(c) for c in sorted(countries)) or 'NULL'})" \
                if countries is not None else ""
            return f"coalesce(({flag}){inside}, false)"
        a, b = international(*register), international(*chosen)
        return self.con.execute(f"""SELECT count(*) FILTER (NOT {a} AND {b}), count(*) FILTER ({a} AND NOT {b})
                                   FROM {table} WHERE year = {year} AND {condition} AND {where}""").fetchone()

    def protected_counts(self, population: str, year: int, where: str = "TRUE",
                         countries: set[str] | None = None,
                         definition: str = "register") -> tuple[float | None, float | None]:
        """International and known, protected; a population made of parts is the sum of its
        parts' protected counts (None when a part is only a range). By a definition other than the
        register's, an international count within a few of the register's is only a range."""
        parts = PARTS.get(population, (population,))
        counts = [self.counts(part, year, where, countries, definition) for part in parts]
        register = [self.counts(part, year, where, countries) for part in parts]
        window = DIFFER_WINDOW.get(self.rule, 0) if definition != "register" else 0
        moved = [self.moved(part, year, where, countries, definition) if window else (0, 0) for part in parts]

        def total(i: int) -> float | None:
            shown = [None if i == 0 and 1 <= abs(c[0] - r[0]) <= window and min(m) <= window else self.protect(c[i])
                     for c, r, m in zip(counts, register, moved)]
            return None if any(v is None for v in shown) else sum(shown)
        return total(0), total(1)

    def share(self, population: str, year: int, where: str = "TRUE", countries: set[str] | None = None,
              definition: str = "register") -> float | None:
        num, den = self.protected_counts(population, year, where, countries, definition)
        if num is None or den is None or den == 0:
            return None
        return num / den

    def citizenship_counts(self, population: str, year: int, where: str = "TRUE") -> dict[str, int]:
        table, condition = POPULATIONS[population]
        return dict(self.con.execute(f"""SELECT citizenship, count(*) FROM {table}
            WHERE year = {year} AND {condition} AND {where} AND is_international GROUP BY 1""").fetchall())


def region_codes(*regions: str) -> set[str]:
    return {code for code, region in all_regions().items() if region in regions}


def values(array) -> list:
    """Plotly's JSON may carry numbers as typed binary arrays."""
    if isinstance(array, dict) and "bdata" in array:
        data = np.frombuffer(base64.b64decode(array["bdata"]), dtype=np.dtype(array["dtype"]))
        return [None if np.isnan(v) else float(v) for v in data.astype(float)]
    return list(array)


def figures(at) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def title_of(figure: dict) -> str:
    """A chart's title as the page writes it above the figure (views.on_screen keeps it in layout.meta)."""
    return html.unescape(figure["layout"]["meta"]["title"])


def subtitle_of(figure: dict) -> str:
    """A chart's subtitle, the definition of international and the filters it names, as the page writes them
    above the figure."""
    meta = figure["layout"]["meta"]
    byline = " · ".join(part for part in (meta.get("definition", ""), meta["filters"]) if part)
    return html.unescape(" ".join(part for part in (meta["subtitle"], byline) if part))


def trace(figure: dict, name: str) -> dict:
    matches = [t for t in figure["data"] if t.get("name") == name and t.get("showlegend", True) is not False]
    assert matches, f"no trace {name!r} in {[t.get('name') for t in figure['data']]}"
    return matches[0]


def each_tab(at):
    """The page as drawn with each of its tabs open in turn (the first is open already):
    hidden tabs are not computed, so their charts exist only while they are open."""
    labels = [tab.label for tab in at.tabs]
    yield at
    for label in labels[1:]:
        at.session_state["p_tab"] = label
        at.run()
        assert not at.exception, at.exception
        yield at


def all_figures(at) -> list[dict]:
    """The figures of every tab of the page, in page order."""
    return [figure for _ in each_tab(at) for figure in figures(at)]
