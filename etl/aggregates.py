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
    # fte summed as decimals (each to 18 places, leaving 20 digits before the point, far beyond any headcount):
    # a sum of doubles depends on the order the threads add them in, and the same input must write the same bytes.
    "agg_people": ("""
        SELECT year, 'staff' AS population, staff_group AS "group", unit, career_stage,
               CAST(NULL AS BOOLEAN) AS new_entrant, gender, citizenship, is_international,
               count(*) AS headcount, CAST(sum(CAST(fte AS DECIMAL(38, 18))) AS DOUBLE) AS fte, {staff}
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
    # Careers (ETL 0.4): staff followed across years by their pseudonym, the only way to see who stays. A cohort
    # is the staff who first appear in a year after the first year of data (in the first year, newcomers and
    # those who came earlier look alike); each row counts them by what they were on entry (group, unit, stage,
    # gender, every definition's country) and how many are present `after` 1, 3 or 5 years, for the years the
    # data reaches.
    "agg_retention": ("""
        WITH span AS (SELECT min(year) AS first_year, max(year) AS last_year FROM staff),
             present AS (SELECT DISTINCT person_key, year FROM staff),
             entry AS (SELECT year, 'staff' AS population, staff_group AS "group", unit, career_stage, gender,
                              citizenship, is_international, {staff}, person_key
                       FROM staff QUALIFY year = min(year) OVER (PARTITION BY person_key))
        SELECT e.* EXCLUDE (person_key), a.after, count(*) AS headcount, count(p.person_key) AS retained
        FROM entry e CROSS JOIN span CROSS JOIN (VALUES (1), (3), (5)) a(after)
        LEFT JOIN present p ON p.person_key = e.person_key AND p.year = e.year + a.after
        WHERE e.year > span.first_year AND e.year + a.after <= span.last_year
        GROUP BY ALL""",
        'year, after, "group", unit, career_stage, gender, citizenship, ' + ", ".join(DEFINITION_COLUMNS)),
    # Research staff at a career stage in a year who are at a stage the next year too, and how many of them
    # are then at a higher one.
    "agg_careers": ("""
        WITH research AS (SELECT year, 'staff' AS population, staff_group AS "group", unit, career_stage, gender,
                                 citizenship, is_international, {staff}, person_key
                          FROM staff WHERE career_stage IS NOT NULL)
        SELECT r.* EXCLUDE (person_key), count(*) AS headcount,
               count(*) FILTER (n.career_stage > r.career_stage) AS moved_up
        FROM research r JOIN staff n ON n.person_key = r.person_key AND n.year = r.year + 1
        WHERE n.career_stage IS NOT NULL
        GROUP BY ALL""",
        'year, "group", unit, career_stage, gender, citizenship, ' + ", ".join(DEFINITION_COLUMNS)),
}


def write_aggregates(con: duckdb.DuckDBPyConnection, folder: Path, home: str) -> dict[str, int]:
    for table in ("staff", "students", "mobility"):
        con.read_parquet(str(folder / table / "data.parquet")).to_view(table, replace=True)
    columns = {table: agg_columns(table, home) for table in ("staff", "students")}
    return {name: write_parquet(con, f"SELECT * FROM ({sql.format(**columns)}) ORDER BY {order}", folder, name)
            for name, (sql, order) in AGGREGATES.items()}
