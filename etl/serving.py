"""The dashboard's tables, ready to open: the aggregates as the dashboard reads them, and what it sums from them.

The build writes them into one DuckDB database file beside the Parquet tables (`dashboard.duckdb`, ETL 0.5).
The dashboard used to make them at every start: loading the Parquet aggregates took 0.3 s at 10M rows and each
definition's tables 0.2 s more, all on the path of the first visitor after a start; it opens the file in
milliseconds. A warehouse without the file (built before 0.5) is loaded from its Parquet tables by the same
statements (`load`, `count`), so the two ways cannot drift apart.

Only aggregate columns go in: not `fte` of agg_people, nor the exact days of agg_mobility, which in a row of one
person are that person's own values.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from etl.definitions import DEFINITION_COLUMNS, DEFINITIONS
from etl.warehouse import sha256

FILE = "dashboard.duckdb"

_STAFF_KEYS = ('year, population, "group", unit, career_stage, gender, citizenship, is_international, '
               + ", ".join(DEFINITION_COLUMNS))
# What the dashboard loads of each aggregate: only the columns a page uses.
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
# Summed from the aggregates: per definition of international, the people table and the share table, and the
# partner flows.
DERIVED_TABLES = (*(f"people_{key}" for key in DEFINITIONS), *(f"share_{key}" for key in DEFINITIONS),
                  "agg_partner_flows")
TABLES = (*AGGREGATE_TABLES, *DERIVED_TABLES)
_PEOPLE_KEYS = 'year, population, "group", unit, career_stage, new_entrant, gender'

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


def people_table(definition: str) -> str:
    """The table of people counted under one definition: its country as `citizenship`, its verdict as
    `is_international`, and `headcount`, by the people tables' other columns."""
    return f"people_{definition}"


def share_table(definition: str) -> str:
    """People under one definition summed into international, known, unknown and total."""
    return f"share_{definition}"


def load(con: duckdb.DuckDBPyConnection, folder: Path) -> None:
    """The aggregate tables of the build in `folder`, read from its Parquet files, and the partner flows."""
    for table, columns in AGGREGATE_COLUMNS.items():
        path = folder / table / "data.parquet"
        if table in _EMPTY and not path.exists():
            con.execute(f"CREATE TABLE {table} AS {_EMPTY[table]}")
            continue
        # The path is an argument, never SQL text: the folder's name may hold a quote.
        con.execute(f"CREATE TABLE {table} AS SELECT {_present(con, path, columns)} FROM read_parquet(?)",
                    [str(path)])
    # The partner list without a unit filter: exchanges per partner and year, each way (a tenth of the rows of
    # agg_mobility, whose other details the list does not show).
    con.execute("""
        CREATE TABLE agg_partner_flows AS
        SELECT year, partner_code, partner_name, partner_country,
               coalesce(sum(exchanges) FILTER (direction = 'incoming'), 0) AS incoming,
               coalesce(sum(exchanges) FILTER (direction = 'outgoing'), 0) AS outgoing
        FROM agg_mobility GROUP BY ALL ORDER BY year""")


def count(con: duckdb.DuckDBPyConnection, key: str) -> None:
    """The people table and the share table of one definition of international, from agg_people."""
    definition = DEFINITIONS[key]
    # Each definition's people, summed over the other definitions' columns: the table a page scans holds no more
    # rows than one definition needs. OR REPLACE: a first try that failed between the two tables left this one made.
    con.execute(f"""
        CREATE OR REPLACE TABLE {people_table(key)} AS
        SELECT {_PEOPLE_KEYS}, {definition.country} AS citizenship,
               {definition.international} AS is_international, sum(headcount) AS headcount
        FROM agg_people GROUP BY ALL ORDER BY population, year""")
    # The share charts without a country filter need no citizenship, only its three kinds: summed over it once
    # here, the table they scan is 7-16 times smaller and hardly grows with the data.
    con.execute(f"""
        CREATE OR REPLACE TABLE {share_table(key)} AS
        SELECT {_PEOPLE_KEYS},
               coalesce(sum(headcount) FILTER (is_international), 0) AS international,
               coalesce(sum(headcount) FILTER (citizenship IS NOT NULL), 0) AS known,
               coalesce(sum(headcount) FILTER (citizenship IS NULL), 0) AS unknown,
               sum(headcount) AS total
        FROM {people_table(key)} GROUP BY ALL ORDER BY population, year""")


def write(folder: Path, memory_limit: str) -> dict:
    """`folder/dashboard.duckdb` from the build's Parquet aggregates just written: every table the dashboard
    reads (`TABLES`). Returns what the manifest says of it (`dashboard`): its name and checksum, which tie it to
    this build."""
    path = folder / FILE
    con = duckdb.connect(str(path), config={"memory_limit": memory_limit, "preserve_insertion_order": True})
    try:
        load(con, folder)
        for key in DEFINITIONS:
            count(con, key)
    finally:
        con.close()
    return {"file": FILE, "sha256": sha256(path)}


class NotThisBuild(Exception):
    """The build's dashboard.duckdb is not the file its build wrote."""


def attach(con: duckdb.DuckDBPyConnection, folder: Path, manifest: dict) -> bool:
    """Whether the tables of `folder/dashboard.duckdb` could be opened in `con` (read-only, under their own names);
    False when the build has none (or its manifest names none: a build before ETL 0.5), or the file lacks a
    table, and `con` is as it was. Raises NotThisBuild when the file is not the one the manifest names (another
    build's, or changed since): its figures would not be this build's."""
    path, named = folder / FILE, manifest.get("dashboard") or {}
    if not path.is_file() or not named.get("sha256"):
        return False
    if sha256(path) != named["sha256"]:
        raise NotThisBuild(f"{path} is not the file its build wrote (the manifest gives another checksum)")
    con.execute("ATTACH ? AS built (READ_ONLY)", [str(path)])
    held = {name for (name,) in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = 'built'").fetchall()}
    if not set(TABLES) <= held:
        con.execute("DETACH built")
        return False
    for table in TABLES:
        con.execute(f"CREATE VIEW {table} AS SELECT * FROM built.{table}")
    return True


def _present(con: duckdb.DuckDBPyConnection, path: Path, columns: str) -> str:
    """`columns`, with NULL for those a warehouse built by an older ETL does not have (agg_people before 0.3 has
    no definition columns: those definitions then count nobody, and the pages say so)."""
    have = {row[0] for row in con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [str(path)]).fetchall()}
    wanted = [c.strip() for c in columns.split(",")]
    return ", ".join(c if c.strip('"') in have else
                     f"CAST(NULL AS {'BOOLEAN' if c.endswith('_international') else 'VARCHAR'}) AS {c}"
                     for c in wanted)
