"""The build: raw export folder in, complete warehouse out (or nothing at all)."""

from __future__ import annotations

import csv
import os
import shutil
import datetime as dt
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from etl import __version__, aggregates, duplicates, output, records, serving, warehouse
from etl.values import year_list
from etl.countries import home_country_code
from etl.formulas import neutralise
from etl.problems import BuildFailed, Problem
from etl.pseudonyms import Key, load_key
from etl.schema import KINDS, Kind
from etl.sources import RawTable, Source, discover, read_source

Say = Callable[[str], None]
MEMORY_LIMIT = os.environ.get("ETL_MEMORY_LIMIT", "500MB")


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@dataclass
class FileStats:
    name: str
    kind: str
    sha256: str
    rows_read: int = 0
    rows_written: int = 0
    rows_merged: int = 0
    rows_rejected: int = 0
    blank_rows_ignored: int = 0
    extra_columns: list[str] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)   # the contract's columns the file has (optional ones vary)
    problem: str | None = None


@dataclass
class Result:
    folder: Path
    manifest: dict
    problems: list[Problem]


def build(raw_dir: Path, out: Path, home_country: str = "FI", lenient: bool = False, say: Say = _stderr, *,
          demo: bool = False, allow_shrink: bool = False) -> Result:
    """Build the warehouse at `out` from the exports in `raw_dir`.

    Raises BuildFailed (nothing published) when the input has problems and
    `lenient` is off, when nothing could be read at all, or when the input would
    empty or sharply shrink a table of the current warehouse and `allow_shrink`
    is off. `demo` says the folder holds the synthetic demo (published key).
    """
    started = time.perf_counter()
    if not raw_dir.is_dir():
        raise BuildFailed([], f"The raw folder {raw_dir} does not exist")
    warehouse.check_target(out)
    home = home_country_code(home_country)
    inventory = discover(raw_dir)
    key = load_key(demo)
    if demo:
        say(f"Synthetic demo data: pseudonyms use the {key.source}.")
    for name in inventory.ignored:
        if (raw_dir / name).is_dir():
            say(f"Ignored {name}/: a folder (exports are read from {raw_dir} itself, not from folders inside it)")
        else:
            say(f"Ignored {name}: not an export (names start with staff, students, mobility or partners)")
    if inventory.problems and not lenient:
        raise BuildFailed(inventory.problems)

    stats: dict[str, FileStats] = {}
    problems: list[Problem] = list(inventory.problems)
    say(f"Reading {len(inventory.sources)} file(s) from {raw_dir}")
    with warehouse.build_lock(out):
        folder = warehouse.new_build_folder(out)
        try:
            tables = {}
            con = _connection(folder)
            for kind in KINDS:
                # One kind at a time, one file at a time: memory holds at most two files; the records wait in
                # Parquet scratch files and DuckDB works on them under its memory ceiling (spilling if needed).
                tick = time.perf_counter()
                scratch = folder / warehouse.SCRATCH / "raw" / kind.name
                # Each stage takes the relation the one before made and names the one it makes.
                raw = records.start(con, kind, scratch)
                sources = [s for s in inventory.sources if s.kind is kind]
                for file_no, (source, read) in enumerate(zip(sources, _read_ahead(sources))):
                    problems += _read_into(con, kind, file_no, source, read, scratch, stats, say)
                checked = records.check(con, kind, home, raw)
                problems += checked.problems
                for name, count in checked.rejected_per_file.items():
                    stats[name].rows_rejected += count
                kept = duplicates.merge(con, kind, checked.relation)
                for name, count in kept.merged_per_file.items():
                    stats[name].rows_merged += count
                if problems and not lenient:
                    continue  # keep checking the other kinds so that every problem is listed
                rows = output.select(con, kind, kept.relation, key, home)
                tables[kind.name] = warehouse.write_table(con, rows, folder, kind.name)
                _count_written(con, kept.relation, stats)
                say(f"  {kind.name}: {tables[kind.name]:,} rows written ({time.perf_counter() - tick:.1f} s)")
            if problems and not lenient:
                raise BuildFailed(problems)
            _check_size(con, tables, folder, out, allow_shrink)
            tables.update(aggregates.write_aggregates(con, folder, home))
            con.close()
            dashboard = serving.write(folder, MEMORY_LIMIT)
            shutil.rmtree(folder / warehouse.SCRATCH, ignore_errors=True)
            if lenient:
                _write_rejects(folder / "rejects.csv", problems)
            _check_accounts(stats)
            manifest = _manifest(raw_dir, home, key, demo, lenient, stats, tables, problems, inventory.ignored,
                                 dashboard)
            warehouse.write_manifest(folder, manifest)
            warehouse.publish(folder, out)
        except BaseException:
            warehouse.discard(folder)
            raise
        warehouse.prune(out)
    say(f"Warehouse written to {out} in {time.perf_counter() - started:.1f} s"
        + (f"; {len(problems):,} problem(s) listed in rejects.csv" if problems else ""))
    return Result(folder, manifest, problems)


def _connection(folder: Path) -> duckdb.DuckDBPyConnection:
    """DuckDB with a memory ceiling; past it, it spills to a folder inside the build."""
    # Settings as arguments, not SQL text: the folder's name may hold a quote.
    return duckdb.connect(config={"temp_directory": str(folder / warehouse.SCRATCH), "memory_limit": MEMORY_LIMIT,
                                  "preserve_insertion_order": True})


def _read_ahead(sources: list[Source]) -> Iterator[RawTable]:
    """Each file's records, the next one read in a thread while the current one is stored
    (Arrow's reader and Parquet writer both release the GIL). At most two files are in memory."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="read-ahead") as pool:
        pending = pool.submit(read_source, sources[0]) if sources else None
        for following in [*sources[1:], None]:
            current = pending.result()
            pending = pool.submit(read_source, following) if following is not None else None
            yield current


def _read_into(con: duckdb.DuckDBPyConnection, kind: Kind, file_no: int, source: Source, raw: RawTable,
               scratch: Path, stats: dict[str, FileStats], say: Say) -> list[Problem]:
    stat = FileStats(source.path.name, source.kind.name, raw.sha256 or warehouse.sha256(source.path))
    stats[stat.name] = stat
    _count_read(stat, raw)
    records.append(con, kind, file_no, stat.name, source.excel, raw.table, scratch)
    note = f"; extra columns ignored: {', '.join(raw.extra_columns)}" if raw.extra_columns else ""
    # No time per file: the reading runs ahead in a thread; the line per kind gives the time.
    say(f"  {stat.name}: {stat.rows_read:,} rows{note}")
    return raw.problems + raw.record_problems


def _count_read(stat: FileStats, raw: RawTable) -> None:
    stat.extra_columns = raw.extra_columns
    if raw.table is not None:
        stat.columns = [c for c in raw.table.column_names if not c.startswith("_")]
    stat.blank_rows_ignored = raw.blank_records
    if raw.problems:
        stat.problem = "; ".join(p.reason for p in raw.problems)
    rows = raw.table.num_rows if raw.table is not None else 0
    stat.rows_read = rows + len(raw.record_problems)
    stat.rows_rejected = len(raw.record_problems)


def _count_written(con: duckdb.DuckDBPyConnection, kept: str, stats: dict[str, FileStats]) -> None:
    for name, count in con.execute(f"SELECT f._file, count(*) FROM {kept} JOIN files f USING (_file_no) GROUP BY 1").fetchall():
        stats[name].rows_written = count


SHRINK_LIMIT = 0.5   # a table may lose at most half its rows without --allow-shrink


def _check_size(con: duckdb.DuckDBPyConnection, tables: dict[str, int], folder: Path, out: Path,
                allow_shrink: bool) -> None:
    """An empty or partial export must not replace a good warehouse unnoticed: a table that loses
    more than half of its rows, or years that the current warehouse holds, stops the build."""
    if not any(tables.values()):
        raise BuildFailed([], "No records were found in the input, so there is nothing to build (accepted: CSV or "
                              ".xlsx files named staff*, students*, mobility* or partners* with a header and records)")
    previous = warehouse.previous_manifest(out)
    if allow_shrink or previous is None:
        return
    shrunk = []
    for name, rows in tables.items():
        before = previous.get("tables", {}).get(name, {}).get("rows", 0)
        if before and rows < before * SHRINK_LIMIT:
            shrunk.append(f"{name}: {rows:,} rows, {before:,} in the current warehouse")
        elif before and name != "partners":
            lost = _years(con, warehouse.resolve(out) / name) - _years(con, folder / name)
            if lost:
                shrunk.append(f"{name}: no records for {year_list(sorted(lost))}, which the current warehouse has")
    if shrunk:
        raise BuildFailed([], "The input would empty, more than halve or cut years from tables of the current "
                              "warehouse (" + "; ".join(shrunk) + "). Check that the exports are complete; to publish "
                              "the smaller warehouse anyway, run again with --allow-shrink")


def _years(con: duckdb.DuckDBPyConnection, table: Path) -> set[int]:
    files = sorted(str(p) for p in table.glob("*.parquet"))
    if not files:
        return set()
    return {year for (year,) in con.execute("SELECT DISTINCT year FROM read_parquet(?)", [files]).fetchall()}


def _check_accounts(stats: dict[str, FileStats]) -> None:
    """Every row read is written, merged or rejected: a broken rule must not
    lose rows quietly."""
    for s in stats.values():
        if s.rows_read != s.rows_written + s.rows_merged + s.rows_rejected:
            raise RuntimeError(f"internal error: rows of {s.name} do not add up ({s})")


def _write_rejects(path: Path, problems: list[Problem]) -> None:
    identifiers = {c.name for k in KINDS for c in k.columns if c.identifier}
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "line", "column", "reason", "value"])
        for p in problems:
            value = "" if p.column in identifiers or p.value is None else p.value
            # Values, names and reasons come from the input: opened in a spreadsheet, none may run as a formula.
            writer.writerow([neutralise(v) for v in (p.file, p.line or "", p.column or "", p.reason, value)])


def _manifest(raw_dir: Path, home: str, key: Key, demo: bool, lenient: bool, stats: dict[str, FileStats],
              tables: dict[str, int], problems: list[Problem], ignored: list[str], dashboard: dict) -> dict:
    return {
        "built_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "etl_version": __version__,
        "home_country": home,
        "synthetic_demo_data": demo,
        "pseudonym_key_source": key.source,
        "lenient": lenient,
        "raw_dir": raw_dir.name,
        "files": [vars(s) for s in stats.values()],
        "ignored_files": ignored,
        "tables": {name: {"rows": rows} for name, rows in tables.items()},
        "problems": len(problems),
        "dashboard": dashboard,
    }
