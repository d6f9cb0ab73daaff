"""Aggregate tables for the dashboard: counts, never people.

The app reads only these, so the dashboard process holds no personal data and
its speed does not depend on how many people there are.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

# name -> (SQL over the person-level tables just written, sort order)
AGGREGATES: dict[str, tuple[str, str]] = {
    "agg_people": ("""
        SELECT year, 'staff' AS population, staff_group AS "group", unit, career_stage,
               CAST(NULL AS BOOLEAN) AS new_entrant, gender, citizenship, is_international,
               count(*) AS headcount, sum(fte) AS fte
        FROM staff GROUP BY ALL
        UNION ALL
        SELECT year, 'students', level, unit, CAST(NULL AS INTEGER), new_entrant, gender, citizenship,
               is_international, count(*), CAST(NULL AS DOUBLE)
        FROM students GROUP BY ALL""",
        'year, population, "group", unit, citizenship, gender, career_stage, new_entrant'),
    "agg_mobility": ("""
        SELECT year, direction, level, unit, programme, partner_code, partner_name, partner_country,
               count(*) AS exchanges,
               count(end_date) AS with_end_date,
               sum(datediff('day', start_date, end_date)) AS days_total
        FROM mobility GROUP BY ALL""",
        "year, direction, level, unit, programme, partner_country, partner_code, partner_name"),
}


def write_aggregates(con: duckdb.DuckDBPyConnection, folder: Path) -> dict[str, int]:
    for table in ("staff", "students", "mobility"):
        con.execute(f"CREATE OR REPLACE TEMP VIEW {table} AS SELECT * FROM read_parquet('{folder}/{table}/*.parquet')")
    counts = {}
    for name, (sql, order) in AGGREGATES.items():
        (folder / name).mkdir()
        path = folder / name / "data.parquet"
        con.execute(f"COPY (SELECT * FROM ({sql}) ORDER BY {order}) TO '{path}' (FORMAT parquet, COMPRESSION zstd)")
        counts[name] = con.execute(f"SELECT count(*) FROM read_parquet('{path}')").fetchone()[0]
    return counts
