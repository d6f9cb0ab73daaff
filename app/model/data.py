"""Opening the warehouse for the dashboard: aggregate tables only.

The app never opens a person-level table: `AGGREGATE_TABLES` is all it reads,
so the dashboard process holds no personal data.
"""

from __future__ import annotations

import concurrent.futures
import json
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import duckdb
import pandas as pd

from etl.definitions import DEFINITION_COLUMNS, DEFINITIONS

T = TypeVar("T")
KEPT = 600   # figures (a chart, a table) a warehouse keeps (Warehouse.remembered): 20–40 kB each on the demo

_STAFF_KEYS = ('year, population, "group", unit, career_stage, gender, citizenship, is_international, '
               + ", ".join(DEFINITION_COLUMNS))
# What the app loads of each aggregate: only the columns a page uses. Left out on purpose: `fte` of
# agg_people and the exact days of agg_mobility, which in a row of one person are that person's own values.
AGGREGATE_COLUMNS: dict[str, str] = {
    "agg_people": 'year, population, "group", unit, career_stage, new_entrant, gender, citizenship, '
                  "is_international, headcount, " + ", ".join(DEFINITION_COLUMNS),
    "agg_mobility": "year, direction, level, unit, programme, partner_code, partner_name, partner_country, exchanges",
    "agg_stays": "year, direction, unit, partner_country, periods, weeks_total",
    "partners": "partner_code, partner_name, country, city, programmes, networks, valid_from, valid_to",
    # Staff followed across years (ETL 0.4).
    "agg_retention": f"{_STAFF_KEYS}, after, headcount, retained",
    "agg_careers": f"{_STAFF_KEYS}, headcount, moved_up",
}
AGGREGATE_TABLES = tuple(AGGREGATE_COLUMNS)
# Summed from the aggregates in memory: per definition of international, the people table and the share table
# (made when a page first asks for them: Warehouse.people_table), and the partner flows.
DERIVED_TABLES = (*(f"people_{key}" for key in DEFINITIONS), *(f"share_{key}" for key in DEFINITIONS),
                  "agg_partner_flows")
_PEOPLE_KEYS = 'year, population, "group", unit, career_stage, new_entrant, gender'


def people_table(definition: str) -> str:
    """The table of people counted under one definition: its country as `citizenship`, its verdict as
    `is_international`, and `headcount`, by the people tables' other columns."""
    return f"people_{definition}"


def share_table(definition: str) -> str:
    """People under one definition summed into international, known, unknown and total."""
    return f"share_{definition}"
# Warehouses built before a table existed open with an empty one (its charts show their empty state, and the
# careers say to rebuild).
_STAFF_EMPTY = ("0 AS year, '' AS population, '' AS \"group\", '' AS unit, 0 AS career_stage, '' AS gender, "
                "'' AS citizenship, false AS is_international, "
                + ", ".join(f"{'false' if c.endswith('_international') else chr(39) * 2} AS {c}"
                            for c in DEFINITION_COLUMNS))
_EMPTY = {
    "agg_stays": """SELECT * FROM (VALUES (0, '', '', '', 0::BIGINT, 0::BIGINT))
                    t(year, direction, unit, partner_country, periods, weeks_total) WHERE false""",
    "agg_retention": f"SELECT {_STAFF_EMPTY}, 0 AS after, 0::BIGINT AS headcount, 0::BIGINT AS retained WHERE false",
    "agg_careers": f"SELECT {_STAFF_EMPTY}, 0::BIGINT AS headcount, 0::BIGINT AS moved_up WHERE false",
}


class WarehouseMissing(Exception):
    pass


@dataclass(frozen=True)
class Coverage:
    """How many people each definition can count: per definition, population (staff, students) and year,
    those whose country under it is known, of all."""
    known: dict[tuple[str, str, int], int]
    total: dict[tuple[str, int], int]
    outdated: str | None = None   # the ETL version of a warehouse built before the definitions' columns

    def applies(self, definition: str, population: str) -> bool:
        """Whether anyone of the population is counted under the definition in any year."""
        return any(n for (d, p, _), n in self.known.items() if d == definition and p == population)

    def missing_years(self, definition: str, population: str, years: tuple[int, int]) -> list[int]:
        """Years of the range with people but nobody known under the definition (an export without its column)."""
        return [y for (p, y), n in sorted(self.total.items()) if p == population and n
                and years[0] <= y <= years[1] and not self.known.get((definition, population, y))]


@dataclass(frozen=True)
class Options:
    """What the data holds: the values a filter may take."""
    years: tuple[int, ...]               # every year any table holds (people or exchanges)
    units: tuple[str, ...]
    countries: tuple[str, ...]           # citizenships
    genders: tuple[str, ...]
    partner_countries: tuple[str, ...] = ()   # countries of partners and of exchange periods
    people_years: tuple[int, ...] = ()   # the years of the staff and student figures
    exchange_years: tuple[int, ...] = ()  # the years of the exchange figures


class _Making:
    """A figure one session is making (Warehouse.remembered); others wait for its `made`."""

    def __init__(self) -> None:
        self.owner = threading.get_ident()
        self.made: concurrent.futures.Future = concurrent.futures.Future()


class Warehouse:
    """One complete build, loaded into memory so that a rebuild that swaps or
    prunes the folder cannot pull it from under a running page."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(os.path.realpath(folder))
        manifest = self.folder / "manifest.json"
        if not manifest.exists():
            raise WarehouseMissing(f"No warehouse at {folder}")
        self.manifest: dict = json.loads(manifest.read_text(encoding="utf-8"))
        self.home: str = self.manifest["home_country"]
        self._con = duckdb.connect()
        self._lock = threading.Lock()
        self._remembered: OrderedDict[Hashable, object] = OrderedDict()
        self._remembered_lock = threading.Lock()
        self._making: dict[Hashable, _Making] = {}   # figures being made, by key (see remembered)
        self._counted: set[str] = set()   # the definitions whose tables are made (see people_table)
        self._counting_lock = threading.Lock()
        for table, columns in AGGREGATE_COLUMNS.items():
            path = self.folder / table / "data.parquet"
            if table in _EMPTY and not path.exists():
                self._con.execute(f"CREATE TABLE {table} AS {_EMPTY[table]}")
                continue
            # The path is an argument, never SQL text: the folder's name may hold a quote.
            self._con.execute(f"CREATE TABLE {table} AS SELECT {_present(self._con, path, columns)} "
                              "FROM read_parquet(?)", [str(path)])
        # The partner list without a unit filter: exchanges per partner and year, each way
        # (a tenth of the rows of agg_mobility, whose other details the list does not show).
        self._con.execute("""
            CREATE TABLE agg_partner_flows AS
            SELECT year, partner_code, partner_name, partner_country,
                   coalesce(sum(exchanges) FILTER (direction = 'incoming'), 0) AS incoming,
                   coalesce(sum(exchanges) FILTER (direction = 'outgoing'), 0) AS outgoing
            FROM agg_mobility GROUP BY ALL ORDER BY year""")
        self.options = self._options()
        self.coverage = self._coverage()
        # Staff followed across years: absent from warehouses built before ETL 0.4.
        self.careers = all((self.folder / table / "data.parquet").exists() for table in ("agg_retention", "agg_careers"))

    def people_table(self, definition: str) -> str:
        """The table of people counted under `definition` (module function `people_table`), made on first use."""
        self._count(definition)
        return people_table(definition)

    def share_table(self, definition: str) -> str:
        """The people counted under `definition` summed into the share's counts (`share_table`), made on first
        use."""
        self._count(definition)
        return share_table(definition)

    def _count(self, key: str) -> None:
        """Make the tables of one definition. Each is made when a page first asks for it, not at opening: a
        definition nobody chooses costs nothing, and opening the warehouse (which the first visitor after a start
        waits for) took 1.9 s at 10M rows, half of it these tables."""
        if key in self._counted:
            return
        definition = DEFINITIONS[key]
        with self._counting_lock:
            if key in self._counted:
                return
            with self._lock:
                cursor = self._con.cursor()
            try:
                # Each definition's people, summed over the other definitions' columns: the table a page scans
                # holds no more rows than one definition needs. OR REPLACE: a first try that failed between the
                # two tables left this one made.
                cursor.execute(f"""
                    CREATE OR REPLACE TABLE {people_table(key)} AS
                    SELECT {_PEOPLE_KEYS}, {definition.country} AS citizenship,
                           {definition.international} AS is_international, sum(headcount) AS headcount
                    FROM agg_people GROUP BY ALL ORDER BY population, year""")
                # The share charts without a country filter need no citizenship, only its three kinds: summed over
                # it once here, the table they scan is 7-16 times smaller and hardly grows with the data.
                cursor.execute(f"""
                    CREATE OR REPLACE TABLE {share_table(key)} AS
                    SELECT {_PEOPLE_KEYS},
                           coalesce(sum(headcount) FILTER (is_international), 0) AS international,
                           coalesce(sum(headcount) FILTER (citizenship IS NOT NULL), 0) AS known,
                           coalesce(sum(headcount) FILTER (citizenship IS NULL), 0) AS unknown,
                           sum(headcount) AS total
                    FROM {people_table(key)} GROUP BY ALL ORDER BY population, year""")
            finally:
                cursor.close()
            self._counted.add(key)

    def remembered(self, key: Hashable, make: Callable[[], T]) -> T:
        """`make()`, made once for this warehouse and `key` (what the figure depends on beyond the build: filters,
        rule, language, choices …), so that a page or tab seen again is drawn without computing its figures again;
        the `KEPT` figures used last are kept (one memory for all views: a view's choices, such as a country picked
        from the link, can be many). A figure being made when another session asks for it is waited for, not made
        twice: the server's head start and the first visitor's page asked for the same overview at once."""
        with self._remembered_lock:
            if key in self._remembered:
                self._remembered.move_to_end(key)
                return self._remembered[key]   # type: ignore[return-value]
            making = self._making.get(key)
            if making is None or making.owner == threading.get_ident():   # a maker asking for its own key makes it
                making = self._making[key] = _Making()
                mine = True
            else:
                mine = False
        if not mine:
            try:
                return making.made.result()
            except BaseException:   # its maker failed: this session tries, and reports its own error
                return self.remembered(key, make)
        try:
            made = make()
        except BaseException as error:
            with self._remembered_lock:
                self._stop_making(key, making)
            making.made.set_exception(error)
            raise
        with self._remembered_lock:   # kept before no longer told as being made: no session makes it again between
            self._stop_making(key, making)
            self._remembered[key] = made
            while len(self._remembered) > KEPT:
                self._remembered.popitem(last=False)
        making.made.set_result(made)
        return made

    def _stop_making(self, key: Hashable, making: _Making) -> None:
        if self._making.get(key) is making:   # not a maker's own nested request's
            del self._making[key]

    def query(self, sql: str, params: list | None = None) -> pd.DataFrame:
        # A cursor is a connection of its own: safe while other sessions query too.
        with self._lock:
            cursor = self._con.cursor()
        try:
            return cursor.execute(sql, params or []).df()
        finally:
            cursor.close()

    def _options(self) -> Options:
        people_years = tuple(int(y) for y in self.query("SELECT DISTINCT year FROM agg_people ORDER BY 1")["year"])
        exchange_years = tuple(int(y) for y in self.query("SELECT DISTINCT year FROM agg_mobility ORDER BY 1")["year"])
        # An empty warehouse (no staff or student records) has no years: the app says so instead of drawing.
        # Otherwise every year between the first and last any table holds can be chosen, so exchanges in a
        # year beyond the staff and student exports can be shown (and a year between them is not a gap).
        known = sorted({*people_years, *exchange_years}) if people_years else []
        years = tuple(range(known[0], known[-1] + 1)) if known else ()
        units = tuple(self.query("""SELECT unit FROM agg_people UNION SELECT unit FROM agg_mobility
                                    ORDER BY 1""")["unit"].dropna())
        # Every country anyone counts under, by any definition (the country filter and lists offer them all).
        countries = tuple(self.query(" UNION ".join(
            f"SELECT {d.country} AS c FROM agg_people WHERE c IS NOT NULL" for d in DEFINITIONS.values())
            + " ORDER BY 1")["c"])
        genders = ("female", "male", "other", "unknown")
        partner_countries = tuple(self.query("""SELECT partner_country AS c FROM agg_mobility UNION
                                                SELECT country FROM partners ORDER BY 1""")["c"].dropna())
        return Options(years, units, countries, genders, partner_countries, people_years, exchange_years)

    def _coverage(self) -> Coverage:
        # From agg_people itself, not the definitions' tables (made on first use): the same sums.
        known = self.query(" UNION ALL ".join(
            f"SELECT '{d.key}' AS definition, population, year, "
            f"coalesce(sum(headcount) FILTER ({d.country} IS NOT NULL), 0)::BIGINT AS n FROM agg_people GROUP BY ALL"
            for d in DEFINITIONS.values()))
        total = self.query("SELECT population, year, sum(headcount)::BIGINT AS n FROM agg_people GROUP BY ALL")
        have = {row[0] for row in self._con.execute(
            "DESCRIBE SELECT * FROM read_parquet(?)", [str(self.folder / "agg_people" / "data.parquet")]).fetchall()}
        outdated = None if set(DEFINITION_COLUMNS) <= have else str(self.manifest.get("etl_version", "?"))
        return Coverage({(d, p, int(y)): int(n) for d, p, y, n in known.itertuples(index=False)},
                        {(p, int(y)): int(n) for p, y, n in total.itertuples(index=False)}, outdated)

    @property
    def empty(self) -> bool:
        return not self.options.years

    @property
    def synthetic(self) -> bool:
        return bool(self.manifest.get("synthetic_demo_data"))

    @property
    def built_at(self) -> str:
        return self.manifest["built_at"]



def _present(con: duckdb.DuckDBPyConnection, path: Path, columns: str) -> str:
    """`columns`, with NULL for those a warehouse built by an older ETL does not have (agg_people before 0.3 has
    no definition columns: those definitions then count nobody, and the pages say so)."""
    have = {row[0] for row in con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [str(path)]).fetchall()}
    wanted = [c.strip() for c in columns.split(",")]
    return ", ".join(c if c.strip('"') in have else
                     f"CAST(NULL AS {'BOOLEAN' if c.endswith('_international') else 'VARCHAR'}) AS {c}"
                     for c in wanted)


def current_build(path: Path) -> Path | None:
    """The build folder `path` points at now, or None when there is none."""
    real = Path(os.path.realpath(path))
    return real if (real / "manifest.json").exists() else None
