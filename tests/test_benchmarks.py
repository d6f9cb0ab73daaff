"""The ETL's floor in the benchmarks (benchmarks/floor.py) does the same work as the build: on the benchmark's own
synthetic exports (every spelling of country, group and level they use) it writes the same tables, row for row, so
the ratio BENCHMARKS.md states compares like with like."""

from __future__ import annotations

import duckdb
import pandas as pd

from benchmarks.data import write, write_mobility
from benchmarks.floor import floor
from etl.aggregates import AGGREGATES
from etl.build import build
from etl.pseudonyms import load_key
from etl.schema import KINDS


def _without_ties(raw) -> None:
    """One record per person in each file: the floor breaks ties inside a file by chance, the build
    by line, so only exports without such ties can be compared row for row."""
    for path in raw.glob("*.csv"):
        sep = ";" if path.name.startswith("staff") else ","
        frame = pd.read_csv(path, sep=sep, dtype=str, keep_default_na=False)
        key = {"staff": ["henkilonumero"], "students": ["student_id"]}.get(path.name.split("_")[0])
        if key:
            frame.drop_duplicates(key).to_csv(path, sep=sep, index=False)


def test_the_floor_writes_what_the_build_writes(tmp_path):
    raw = tmp_path / "raw"
    write(raw, 8_000, years=4)
    write_mobility(raw, 400, partners=50, years=4)
    _without_ties(raw)
    build(raw, tmp_path / "ours", say=lambda _: None)
    floor(raw, tmp_path / "floor", load_key(demo=False).secret)
    con = duckdb.connect()
    for table in [kind.name for kind in KINDS] + list(AGGREGATES):
        ours = tmp_path / "ours" / table / "data.parquet"
        theirs = tmp_path / "floor" / table / "data.parquet"
        if not theirs.exists():
            theirs = tmp_path / "floor" / f"{table}.parquet"
        rows = con.execute("SELECT count(*) FROM read_parquet(?)", [str(ours)]).fetchall()[0][0]
        differ = con.execute("""
            SELECT count(*) FROM (
                (SELECT * FROM read_parquet($1) EXCEPT ALL SELECT * FROM read_parquet($2))
                UNION ALL
                (SELECT * FROM read_parquet($2) EXCEPT ALL SELECT * FROM read_parquet($1)))""",
                             [str(ours), str(theirs)]).fetchall()[0][0]
        assert (rows > 0 or table == "agg_careers") and differ == 0, (table, rows, differ)
