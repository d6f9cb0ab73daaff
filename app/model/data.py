"""Opening the warehouse for the dashboard: aggregate tables only.

The app never opens a person-level table: the build's file of the dashboard's
tables, or in a warehouse without it the aggregates they are made from
(etl.serving), is all it reads, so the dashboard process holds no personal data.
"""

from __future__ import annotations

import concurrent.futures
import json
import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import duckdb
import pandas as pd

from etl import serving
from etl.definitions import DEFINITION_COLUMNS, DEFINITIONS
from etl.serving import people_table, share_table

T = TypeVar("T")
KEPT = 600   # figures (a chart, a table) a warehouse keeps (Warehouse.remembered): 20–40 kB each on the demo
_log = logging.getLogger(__name__)


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
    """One complete build, opened once so that a rebuild that swaps or prunes the folder cannot pull it from
    under a running page: the build's file of the dashboard's tables held open (a removed file stays readable
    while it is open), or in a warehouse without it, its Parquet aggregates loaded into memory."""

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
        if self._attached():
            self._counted = set(DEFINITIONS)
        else:
            serving.load(self._con, self.folder)
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
        """Make the tables of one definition, in a warehouse without the build's file of them: each when a page
        first asks for it, not at opening, as the first visitor after a start waits for the opening."""
        if key in self._counted:
            return
        with self._counting_lock:
            if key in self._counted:
                return
            with self._lock:
                cursor = self._con.cursor()
            try:
                serving.count(cursor, key)
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

    def _attached(self) -> bool:
        """Whether the build's own file of the dashboard's tables (etl.serving) is open in place of loading them.
        A file DuckDB cannot read (one written by a newer DuckDB, or damaged), or not the one the build's manifest
        names (another build's, or changed since), is passed over: the Parquet tables give the build's figures,
        only slower."""
        try:
            return serving.attach(self._con, self.folder, self.manifest)
        except (duckdb.Error, serving.NotThisBuild) as error:
            _log.warning("%s: %s; loading the Parquet tables instead", self.folder / serving.FILE, error)
            return False

    @property
    def empty(self) -> bool:
        return not self.options.years

    @property
    def synthetic(self) -> bool:
        return bool(self.manifest.get("synthetic_demo_data"))

    @property
    def built_at(self) -> str:
        return self.manifest["built_at"]



def current_build(path: Path) -> Path | None:
    """The build folder `path` points at now, or None when there is none."""
    real = Path(os.path.realpath(path))
    return real if (real / "manifest.json").exists() else None
