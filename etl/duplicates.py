"""The duplicate rule of each export kind (`Kind.keep_one`), applied to its checked records."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from etl.schema import Kind

KEPT = "kept"   # the relation this stage makes


@dataclass
class Merged:
    """One record per group (in the relation `relation`), and the merged rows per file."""
    relation: str
    merged_per_file: dict[str, int]


def merge(con: duckdb.DuckDBPyConnection, kind: Kind, source: str) -> Merged:
    """Leave one record of each group of `source` in KEPT; a kind without a duplicate rule keeps them all."""
    rule = kind.keep_one
    if rule is None:
        con.execute(f"CREATE OR REPLACE TEMP VIEW {KEPT} AS SELECT * FROM {source}")
        return Merged(KEPT, {})
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE ranked AS
        SELECT *, row_number() OVER (PARTITION BY {rule.group} ORDER BY {rule.order}) AS _rank FROM {source}
    """)
    con.execute(f"CREATE OR REPLACE TEMP VIEW {KEPT} AS SELECT * EXCLUDE (_rank) FROM ranked WHERE _rank = 1")
    merged = con.execute("""
        SELECT f._file, count(*) FROM ranked JOIN files f USING (_file_no) WHERE _rank > 1 GROUP BY f._file
    """).fetchall()
    return Merged(KEPT, dict(merged))
