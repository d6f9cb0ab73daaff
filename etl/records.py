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
    "boolean": pa.bool_(), "text_list": pa.list_(pa.string()), "citizenships": pa.list_(pa.string()),
}


# Control characters (NUL, escape, C1 …) have no place in an export: "SC\x00I" would become a unit of its own.
# Tab, line feed and carriage return may stand inside a quoted value and are left to the value's own check.
# Invisible formatting characters too (zero-width space, right-to-left override …): "SCI\u200b" looks like
# "SCI" but would be a unit of its own, and an override shows a name reversed.
CONTROL = r"[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F\x{200B}-\x{200F}\x{202A}-\x{202E}\x{2060}-\x{2069}\x{FEFF}]"
CONTROL_ERROR = "contains a control or invisible formatting character (accepted: printable text only)"


RAW, TYPED, CLEAN = "raw", "typed", "clean"   # the relations these stages make


@dataclass
class Checked:
    """Records that passed every check (in the relation `relation`) and the problems of those that did not."""
    relation: str
    problems: list[Problem]
    rejected_per_file: dict[str, int]


def start(con: duckdb.DuckDBPyConnection, kind: Kind, scratch: Path) -> str:
    """An empty relation (RAW) for the records of one kind, all text, with each record's file and line;
    the files are listed in the relation `files`. The records' Parquet files go to `scratch`."""
    _drop(con, RAW)
    columns = ", ".join(f'"{c.name}" VARCHAR' for c in kind.columns)
    con.execute(f"CREATE TEMP TABLE {RAW} ({columns}, _line BIGINT, _file_no INTEGER)")
    con.execute("CREATE OR REPLACE TEMP TABLE files (_file_no INTEGER, _file VARCHAR, _excel BOOLEAN)")
    scratch.mkdir(parents=True, exist_ok=True)
    return RAW


def append(con: duckdb.DuckDBPyConnection, kind: Kind, file_no: int, name: str, excel: bool,
           table: pa.Table | None, scratch: Path) -> None:
    """Add one file's records to RAW, as an uncompressed Parquet file in `scratch`:
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
    _drop(con, RAW)
    con.read_parquet(sorted(str(p) for p in scratch.glob("*.parquet"))).to_view(RAW, replace=True)


def check(con: duckdb.DuckDBPyConnection, kind: Kind, home: str, source: str) -> Checked:
    """Type every column of the records in `source` into the relation TYPED, run the kind's checks across
    values and records on it, collect every problem, and keep the records without any in CLEAN."""
    selects, errors = [f"{source}._file_no", f"{source}._line"], []
    joins = []
    for column in kind.columns:
        ref = f'{source}."{column.name}"'
        parser = parser_for(column, home)
        if parser is None:
            selects.append(f'{ref} AS "{column.name}"')
            value_error = "NULL"
        else:
            _register_map(con, column, parser, source)
            alias = f"m_{column.name}"
            joins.append(f'LEFT JOIN map_{column.name} {alias} ON {ref} = {alias}.raw')
            selects.append(f'{alias}.parsed AS "{column.name}"')
            value_error = f"{alias}.error"
        blank_error = "'a value is required here'" if column.non_blank else "NULL"
        errors.append(f"""CASE WHEN {ref} IS NULL THEN {blank_error}
                               WHEN regexp_matches({ref}, '{CONTROL}') THEN '{CONTROL_ERROR}'
                               ELSE {value_error} END AS "err_{column.name}" """)
    rules = kind.checks()
    # Without record rules to UPDATE it, `typed` stays a view: the big kinds are then copied once
    # (into `ranked`, by the duplicate rules) instead of twice.
    relation = "TABLE" if rules else "VIEW"
    _drop(con, "typed")  # the previous kind's may be the other sort of relation
    con.execute(f"""
        CREATE OR REPLACE TEMP {relation} {TYPED} AS
        SELECT {', '.join(selects)}, {', '.join(errors)}
        FROM {source} {' '.join(joins)}
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
        con.execute(f"CREATE OR REPLACE TEMP VIEW {CLEAN} AS SELECT * EXCLUDE ({errors}) FROM {TYPED}")
        return Checked(CLEAN, [], {})

    problem_rows = []
    for column in kind.columns:
        value = f'r."{column.name}"'
        if column.identifier:  # enough to find the record, not enough to reveal the person
            value = f"CASE WHEN length({value}) > 2 THEN left({value}, 2) || '…' WHEN {value} IS NOT NULL THEN '…' END"
        problem_rows.append(f"""
            SELECT t._file_no, t._line, '{column.name}' AS col, {value} AS value, t."err_{column.name}" AS reason
            FROM typed t JOIN {source} r USING (_file_no, _line)
            WHERE t."err_{column.name}" IS NOT NULL""")
    rows = con.execute(f"""
        SELECT f._file, f._excel, p._line, p.col, p.value, p.reason
        FROM ({' UNION ALL '.join(problem_rows)}) p JOIN files f USING (_file_no)
        ORDER BY p._file_no, p._line, p.col
    """).fetchall()
    problems = [Problem(file, reason, line=line, column=col, value=value, excel=excel)
                for file, excel, line, col, value, reason in rows]

    con.execute(f"CREATE OR REPLACE TEMP VIEW {CLEAN} AS SELECT * EXCLUDE ({errors}) FROM {TYPED} WHERE NOT ({any_error})")
    return Checked(CLEAN, problems, rejected)


def _drop(con: duckdb.DuckDBPyConnection, name: str) -> None:
    found = con.execute("SELECT table_type FROM information_schema.tables WHERE table_name = ?", [name]).fetchone()
    if found:
        con.execute(f"DROP {'VIEW' if found[0] == 'VIEW' else 'TABLE'} {name}")


def _register_map(con: duckdb.DuckDBPyConnection, column: Column, parser: values.Parser, source: str) -> None:
    distinct = con.execute(f'SELECT DISTINCT "{column.name}" FROM {source} WHERE "{column.name}" IS NOT NULL').fetchall()
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
