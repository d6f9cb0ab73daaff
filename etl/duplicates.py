"""The duplicate rules of the input contract, applied to the relation `clean`."""

from __future__ import annotations

import duckdb

from etl.schema import Kind

# Which record of a group stands for it; the others are counted as merged.
_RULES: dict[str, tuple[str, str]] = {
    # A person counts once a year, in the employment with the largest fte;
    # a blank fte loses to any given one; file order breaks ties.
    "staff": ("person_id, year", "fte DESC NULLS LAST, _file_no, _line"),
    # Once per year and level; the first record gives the values.
    "students": ("student_id, year, level", "_file_no, _line"),
}


def merge(con: duckdb.DuckDBPyConnection, kind: Kind) -> dict[str, int]:
    """Leave one record per group in the relation `kept`; merged rows per file."""
    rule = _RULES.get(kind.name)
    if rule is None:
        con.execute("CREATE OR REPLACE TEMP VIEW kept AS SELECT * FROM clean")
        return {}
    group, order = rule
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE ranked AS
        SELECT *, row_number() OVER (PARTITION BY {group} ORDER BY {order}) AS _rank FROM clean
    """)
    con.execute("CREATE OR REPLACE TEMP VIEW kept AS SELECT * EXCLUDE (_rank) FROM ranked WHERE _rank = 1")
    merged = con.execute("""
        SELECT f._file, count(*) FROM ranked JOIN files f USING (_file_no) WHERE _rank > 1 GROUP BY f._file
    """).fetchall()
    return dict(merged)
