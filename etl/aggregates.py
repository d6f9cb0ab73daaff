"""Aggregate tables for the dashboard: counts, never people.

The app reads only these, so the dashboard process holds no personal data and
its speed does not depend on how many people there are.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from etl.definitions import DEFINITION_COLUMNS, agg_columns
from etl.warehouse import write_parquet

# name -> (SQL over the person-level tables just written, sort order); {staff} and {students} are the columns of
# every definition of international (etl.definitions) over each table, added after `fte` in ETL 0.3.
AGGREGATES: dict[str, tuple[str, str]] = {
    "agg_people": ("""
        SELECT year, 'staff' AS population, staff_group AS "group", unit, career_stage,
               CAST(NULL AS BOOLEAN) AS new_entrant, gender, citizenship, is_international,
               count(*) AS headcount, sum(fte) AS fte, {staff}
        FROM staff GROUP BY ALL
        UNION ALL
        SELECT year, 'students', level, unit, CAST(NULL AS INTEGER), new_entrant, gender, citizenship,
               is_international, count(*), CAST(NULL AS DOUBLE), {students}
        FROM students GROUP BY ALL""",
        'year, population, "group", unit, citizenship, gender, career_stage, new_entrant, '
        + ", ".join(DEFINITION_COLUMNS)),
    "agg_mobility": ("""
        SELECT year, direction, level, unit, programme, partner_code, partner_name, partner_country,
               count(*) AS exchanges,
               count(end_date) AS with_end_date,
               sum(datediff('day', start_date, end_date)) AS days_total
        FROM mobility GROUP BY ALL""",
        "year, direction, level, unit, programme, partner_country, partner_code, partner_name"),
    # What the average length of a student exchange needs, and no more: each period's length rounded
    # to whole weeks, so the table the dashboard loads holds no one's exact dates or days.
    "agg_stays": ("""
        SELECT year, direction, unit, partner_country,
               count(*) AS periods,
               CAST(sum(round(datediff('day', start_date, end_date) / 7)) AS BIGINT) AS weeks_total
        FROM mobility WHERE level <> 'staff' AND end_date IS NOT NULL GROUP BY ALL""",
        "year, direction, unit, partner_country"),
}


def write_aggregates(con: duckdb.DuckDBPyConnection, folder: Path, home: str) -> dict[str, int]:
    for table in ("staff", "students", "mobility"):
        con.read_parquet(str(folder / table / "data.parquet")).to_view(table, replace=True)
    columns = {table: agg_columns(table, home) for table in ("staff", "students")}
    return {name: write_parquet(con, f"SELECT * FROM ({sql.format(**columns)}) ORDER BY {order}", folder, name)
            for name, (sql, order) in AGGREGATES.items()}
