"""The ETL's true floor: the same work as our build on the same files, in DuckDB SQL alone.

    .venv/bin/python -m benchmarks.floor RAW_DIR OUT_DIR

What it does, per export kind (the contract's rules, nothing more): read every CSV as text with DuckDB's own
reader and trim it; check each distinct value of each checked column once (by the same parsers as the build,
a few hundred values) and drop the records with a bad one; keep one record per group by the kind's duplicate
rule; replace identifiers by HMAC-SHA256 pseudonyms (one per distinct identifier); write the contract's columns,
sorted by values (never the input's order, which would link pseudonyms to identifiers), as one Parquet file per
table; then the same aggregate tables as the build.

What it leaves out, which the build does: line numbers and messages for every problem (a rejected record is
only counted), the byte-level checks of each file (encoding, blank lines, control characters, overlong lines),
Excel files, headers in any spelling, the accounts of every row per file, the manifest, an atomic publish.
Ties in a duplicate rule fall by file, not by line.

Not a test: `benchmarks.run` times it beside the build.
"""

from __future__ import annotations

import csv
import os
import re
import sys
import time
from pathlib import Path

import duckdb
import pyarrow as pa

from etl.aggregates import AGGREGATES
from etl.countries import home_country_code
from etl.definitions import agg_columns
from etl.pseudonyms import hmac_sql
from etl.records import _ARROW_TYPES
from etl.schema import KINDS, Kind, header_key, header_map, parser_for
from etl.sources import detect_delimiter

# The memory our build may use, all of it DuckDB's here: a ceiling that keeps the whole process under 1 GiB (the
# build gives DuckDB 500 MB, its reading thread and Arrow buffers take the rest). Lower ceilings ran out of memory
# in the duplicate rule's window over the students.
MEMORY_LIMIT = os.environ.get("FLOOR_MEMORY_LIMIT", "700MB")


def _files(raw: Path, kind: Kind) -> list[Path]:
    return sorted(p for p in raw.iterdir() if p.name.lower().startswith(kind.name) and p.suffix == ".csv")


def _read(con: duckdb.DuckDBPyConnection, kind: Kind, files: list[Path]) -> str:
    """Every record of the kind as trimmed text, with its file's number (the duplicate rules' file order)."""
    names = header_map(kind)
    parts = []
    for number, path in enumerate(files):
        header = path.open(encoding="utf-8-sig").readline()
        delimiter = detect_delimiter(header)
        found = {names[header_key(h)]: h for h in next(csv.reader([header], delimiter=delimiter))
                 if header_key(h) in names}
        columns = ", ".join(f"nullif(trim(\"{found[c.name]}\"), '') AS \"{c.name}\"" if c.name in found
                            else f'CAST(NULL AS VARCHAR) AS "{c.name}"' for c in kind.columns)
        parts.append(f"SELECT {columns}, {number} AS _file_no FROM read_csv('{path}', all_varchar=true, "
                     f"header=true, delim='{delimiter}', quote='\"')")
    con.execute(f"CREATE OR REPLACE TEMP VIEW raw AS {' UNION ALL '.join(parts)}")
    return "raw"


def _checked(con: duckdb.DuckDBPyConnection, kind: Kind, home: str) -> str:
    selects, errors, joins = ["_file_no"], [], []
    checked = [c for c in kind.columns if parser_for(c, home) is not None]
    # Every checked column's distinct values in one pass over the files.
    lists = ", ".join(f'list(DISTINCT "{c.name}")' for c in checked)
    found = con.execute(f"SELECT {lists} FROM raw").fetchall()[0]
    distinct = dict(zip((c.name for c in checked), found))
    for column in kind.columns:
        parser = parser_for(column, home)
        if parser is None:
            selects.append(f'raw."{column.name}"')
        else:
            raws, parsed, bad = [], [], []
            for value in (v for v in distinct[column.name] if v is not None):
                try:
                    parsed.append(parser(value)); bad.append(False)
                except ValueError:
                    parsed.append(None); bad.append(True)
                raws.append(value)
            con.register(f"map_{column.name}", pa.table({"raw": pa.array(raws, pa.string()),
                                                         "parsed": pa.array(parsed, _ARROW_TYPES.get(column.parser, pa.string())),
                                                         "bad": pa.array(bad, pa.bool_())}))
            joins.append(f'LEFT JOIN map_{column.name} m_{column.name} ON raw."{column.name}" = m_{column.name}.raw')
            selects.append(f'm_{column.name}.parsed AS "{column.name}"')
            errors.append(f"coalesce(m_{column.name}.bad, false)")
        if column.non_blank:
            errors.append(f'raw."{column.name}" IS NULL')
    where = " OR ".join(errors) or "false"
    con.execute(f"CREATE OR REPLACE TEMP TABLE clean AS SELECT {', '.join(selects)} FROM raw {' '.join(joins)} "
                f"WHERE NOT ({where})")
    return "clean"


def _kept(con: duckdb.DuckDBPyConnection, kind: Kind) -> str:
    if kind.keep_one is None:
        return "clean"
    # Without line numbers, ties in the rule's order fall by file only.
    order = kind.keep_one.order.replace(", _line", "")
    con.execute(f"CREATE OR REPLACE TEMP TABLE kept AS SELECT * FROM clean "
                f"QUALIFY row_number() OVER (PARTITION BY {kind.keep_one.group} ORDER BY {order}) = 1")
    return "kept"


def _write(con: duckdb.DuckDBPyConnection, kind: Kind, kept: str, key: bytes, home: str, out: Path) -> None:
    relation = kept
    if kind.identifier is not None:
        ident = kind.identifier.name
        con.execute(f"CREATE OR REPLACE TEMP TABLE pseudonyms AS SELECT id, {hmac_sql(key, kind.name, 'id')} AS pseudonym "
                    f"FROM (SELECT DISTINCT {ident} AS id FROM {kept})")
        relation = f"{kept} JOIN pseudonyms ON {kept}.{ident} = pseudonyms.id"
    columns = ", ".join(f'CAST({(o.sql or o.name).format(home=home)} AS {o.type}) AS "{o.name}"' for o in kind.output)
    # One sorted file per table, as the warehouse has: DuckDB's partitioned COPY holds a sort per partition and
    # ran out of memory under the same ceiling.
    (out / kind.name).mkdir()
    con.execute(f"COPY (SELECT {columns} FROM {relation} ORDER BY {kind.order}) TO '{out / kind.name}/data.parquet' "
                f"(FORMAT parquet, COMPRESSION zstd)")


def floor(raw: Path, out: Path, key: bytes, home_country: str = "FI") -> None:
    home = home_country_code(home_country)   # as the build reads it: the table's codes are alpha-3
    out.mkdir(parents=True, exist_ok=True)
    (out / "tmp").mkdir(exist_ok=True)
    con = duckdb.connect(config={"memory_limit": MEMORY_LIMIT, "temp_directory": str(out / "tmp"),
                                 "preserve_insertion_order": False})
    for kind in KINDS:
        files = _files(raw, kind)
        if not files:
            continue
        tick = time.perf_counter()
        _read(con, kind, files)
        _checked(con, kind, home)
        checked = time.perf_counter()
        kept = _kept(con, kind)
        ranked = time.perf_counter()
        _write(con, kind, kept, key, home, out)
        print(f"{kind.name}: checked {checked - tick:.1f} s, kept {ranked - checked:.1f} s, "
              f"written {time.perf_counter() - ranked:.1f} s", file=sys.stderr)
    for table in ("staff", "students", "mobility"):
        con.read_parquet(str(out / table / "data.parquet")).to_view(table, replace=True)
    columns = {table: agg_columns(table, home) for table in ("staff", "students")}
    for name, (sql, order) in AGGREGATES.items():
        con.execute(f"COPY (SELECT * FROM ({sql.format(**columns)}) ORDER BY {order}) TO '{out / name}.parquet' "
                    f"(FORMAT parquet, COMPRESSION zstd)")


if __name__ == "__main__":
    floor(Path(sys.argv[1]), Path(sys.argv[2]), os.environ["ETL_PSEUDONYM_KEY"].encode())
    print("PEAK", re.search(r"VmHWM:\s+(\d+)", open("/proc/self/status").read())[1])
