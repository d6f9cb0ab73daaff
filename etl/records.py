"""Checking and typing the records of one kind, in DuckDB.

Each parser runs once per distinct raw value; the results join back onto the
records, so the cost per row is a hash join, not a Python call.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from etl import values
from etl.problems import Problem
from etl.schema import Column, Kind, parser_for

_ARROW_TYPES: dict[str | None, pa.DataType] = {
    "year": pa.int32(), "career_stage": pa.int32(), "fte": pa.float64(), "date": pa.date32(),
    "boolean": pa.bool_(), "text_list": pa.list_(pa.string()),
}


# Control characters (NUL, escape, C1 …) have no place in an export: "SC\x00I" would become a unit of its own.
# Tab, line feed and carriage return may stand inside a quoted value and are left to the value's own check.
# Invisible formatting characters too (zero-width space, right-to-left override …): "SCI\u200b" looks like
# "SCI" but would be a unit of its own, and an override shows a name reversed.
CONTROL = r"[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F\x{200B}-\x{200F}\x{202A}-\x{202E}\x{2060}-\x{2069}\x{FEFF}]"
CONTROL_ERROR = "contains a control or invisible formatting character (accepted: printable text only)"
MAX_STAY_DAYS = 731


@dataclass
class Checked:
    """Records that passed every check (relation `clean`) and those that did not."""
    problems: list[Problem]
    rejected_per_file: dict[str, int]


def start(con: duckdb.DuckDBPyConnection, kind: Kind, scratch: Path) -> None:
    """An empty relation `raw` for the records of one kind; their files go to `scratch`."""
    _drop(con, "raw")
    columns = ", ".join(f'"{c.name}" VARCHAR' for c in kind.columns)
    con.execute(f"CREATE TEMP TABLE raw ({columns}, _line BIGINT, _file_no INTEGER)")
    con.execute("CREATE OR REPLACE TEMP TABLE files (_file_no INTEGER, _file VARCHAR, _excel BOOLEAN)")
    scratch.mkdir(parents=True, exist_ok=True)


def append(con: duckdb.DuckDBPyConnection, kind: Kind, file_no: int, name: str, excel: bool,
           table: pa.Table | None, scratch: Path) -> None:
    """Add one file's records to `raw`, as an uncompressed Parquet file in `scratch`:
    writing it costs a fraction of inserting into DuckDB, holds no memory, and
    DuckDB scans it in parallel. The caller can let the Arrow table go."""
    con.execute("INSERT INTO files VALUES (?, ?, ?)", [file_no, name, excel])
    if table is None or table.num_rows == 0:
        return
    for column in kind.columns:
        if column.name not in table.column_names:
            table = table.append_column(column.name, pa.nulls(table.num_rows, pa.string()))
    table = table.select([c.name for c in kind.columns] + ["_line"])
    table = table.cast(pa.schema([*(pa.field(c.name, pa.string()) for c in kind.columns), pa.field("_line", pa.int64())]))
    table = table.append_column("_file_no", pa.array(np.full(table.num_rows, file_no, dtype=np.int32)))
    pq.write_table(table, scratch / f"{file_no:06d}.parquet", compression="none")
    _drop(con, "raw")
    con.read_parquet(sorted(str(p) for p in scratch.glob("*.parquet"))).to_view("raw", replace=True)


def check(con: duckdb.DuckDBPyConnection, kind: Kind, home: str) -> Checked:
    """Type every column into the relation `typed`, collect every problem,
    and keep the records without any in the relation `clean`."""
    selects, errors = ["raw._file_no", "raw._line"], []
    joins = []
    for column in kind.columns:
        ref = f'raw."{column.name}"'
        parser = parser_for(column, home)
        if parser is None:
            selects.append(f'{ref} AS "{column.name}"')
            value_error = "NULL"
        else:
            _register_map(con, column, parser)
            alias = f"m_{column.name}"
            joins.append(f'LEFT JOIN map_{column.name} {alias} ON {ref} = {alias}.raw')
            selects.append(f'{alias}.parsed AS "{column.name}"')
            value_error = f"{alias}.error"
        blank_error = "'a value is required here'" if column.non_blank else "NULL"
        errors.append(f"""CASE WHEN {ref} IS NULL THEN {blank_error}
                               WHEN regexp_matches({ref}, '{CONTROL}') THEN '{CONTROL_ERROR}'
                               ELSE {value_error} END AS "err_{column.name}" """)
    rules = _record_rules(kind)
    # Without record rules to UPDATE it, `typed` stays a view: the big kinds are then copied once
    # (into `ranked`, by the duplicate rules) instead of twice.
    relation = "TABLE" if rules else "VIEW"
    _drop(con, "typed")  # the previous kind's may be the other sort of relation
    con.execute(f"""
        CREATE OR REPLACE TEMP {relation} typed AS
        SELECT {', '.join(selects)}, {', '.join(errors)}
        FROM raw {' '.join(joins)}
    """)
    for rule in rules:
        con.execute(rule)

    any_error = " OR ".join(f'"err_{c.name}" IS NOT NULL' for c in kind.columns)
    rejected = dict(con.execute(f"""
        SELECT f._file, count(*) FROM typed JOIN files f USING (_file_no)
        WHERE {any_error} GROUP BY f._file
    """).fetchall())
    errors = ", ".join(f"err_{c.name}" for c in kind.columns)
    if not rejected:  # the usual case: nothing to list, and every record is clean
        con.execute(f"CREATE OR REPLACE TEMP VIEW clean AS SELECT * EXCLUDE ({errors}) FROM typed")
        return Checked([], {})

    problem_rows = []
    for column in kind.columns:
        value = f'r."{column.name}"'
        if column.identifier:  # enough to find the record, not enough to reveal the person
            value = f"CASE WHEN length({value}) > 2 THEN left({value}, 2) || '…' WHEN {value} IS NOT NULL THEN '…' END"
        problem_rows.append(f"""
            SELECT t._file_no, t._line, '{column.name}' AS col, {value} AS value, t."err_{column.name}" AS reason
            FROM typed t JOIN raw r USING (_file_no, _line)
            WHERE t."err_{column.name}" IS NOT NULL""")
    rows = con.execute(f"""
        SELECT f._file, f._excel, p._line, p.col, p.value, p.reason
        FROM ({' UNION ALL '.join(problem_rows)}) p JOIN files f USING (_file_no)
        ORDER BY p._file_no, p._line, p.col
    """).fetchall()
    problems = [Problem(file, reason, line=line, column=col, value=value, excel=excel)
                for file, excel, line, col, value, reason in rows]

    con.execute(f"CREATE OR REPLACE TEMP VIEW clean AS SELECT * EXCLUDE ({errors}) FROM typed WHERE NOT ({any_error})")
    return Checked(problems, rejected)


def _drop(con: duckdb.DuckDBPyConnection, name: str) -> None:
    found = con.execute("SELECT table_type FROM information_schema.tables WHERE table_name = ?", [name]).fetchone()
    if found:
        con.execute(f"DROP {'VIEW' if found[0] == 'VIEW' else 'TABLE'} {name}")


def _register_map(con: duckdb.DuckDBPyConnection, column: Column, parser: values.Parser) -> None:
    distinct = con.execute(f'SELECT DISTINCT "{column.name}" FROM raw WHERE "{column.name}" IS NOT NULL').fetchall()
    raws, parsed, errors = [], [], []
    for (raw,) in distinct:
        raws.append(raw)
        try:
            parsed.append(parser(raw))
            errors.append(None)
        except ValueError as error:
            parsed.append(None)
            errors.append(str(error))
    arrow_type = _ARROW_TYPES.get(column.parser, pa.string())
    con.register(f"map_{column.name}", pa.table({
        "raw": pa.array(raws, pa.string()),
        "parsed": pa.array(parsed, arrow_type),
        "error": pa.array(errors, pa.string()),
    }))


def _record_rules(kind: Kind) -> list[str]:
    """Checks that look at more than one value of a record, or at other records."""
    first, last = values.FIRST_YEAR, values.last_year()
    if kind.name == "mobility":
        return [
            f"""UPDATE typed SET err_start_date = 'the start year is outside the years accepted (accepted: {first} to {last})'
                WHERE err_start_date IS NULL AND start_date IS NOT NULL AND year(start_date) NOT BETWEEN {first} AND {last}""",
            """UPDATE typed SET err_end_date = 'ends before it starts (accepted: an end date on or after start_date)'
                WHERE err_end_date IS NULL AND end_date < start_date""",
            f"""UPDATE typed SET err_end_date = 'lasts more than two years (accepted: an end date at most {MAX_STAY_DAYS} days after start_date; '
                                             || 'leave it blank when not known)'
                WHERE err_end_date IS NULL AND datediff('day', start_date, end_date) > {MAX_STAY_DAYS}""",
            _unique_rule("mobility_id"),
        ]
    if kind.name == "partners":
        return [
            """UPDATE typed SET err_valid_to = 'ends before it starts (accepted: valid_to on or after valid_from)'
                WHERE err_valid_to IS NULL AND valid_to < valid_from""",
            _unique_rule("partner_code"),
        ]
    return []


def _unique_rule(column: str) -> str:
    # The first record with a value is kept; later ones name where it was first seen.
    return f"""
        UPDATE typed SET err_{column} = 'appears again (accepted: each value once; first seen in ' || first_file || ' at '
                                          || CASE WHEN first_excel THEN 'row ' ELSE 'line ' END || first_line || ')'
        FROM (
            SELECT t._file_no, t._line,
                   first_value(f._file) OVER w AS first_file, first_value(f._excel) OVER w AS first_excel,
                   first_value(t._line) OVER w AS first_line, row_number() OVER w AS nth
            FROM typed t JOIN files f USING (_file_no)
            WHERE t.{column} IS NOT NULL
            WINDOW w AS (PARTITION BY t.{column} ORDER BY t._file_no, t._line)
        ) d
        WHERE d.nth > 1 AND typed._file_no = d._file_no AND typed._line = d._line AND typed.err_{column} IS NULL
    """
