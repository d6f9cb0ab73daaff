"""What a careless administrator or an attacker can put in front of the ETL: each
case ends in a clear message (file, line, column, value, what is accepted), never in
lost data, a leak or a silent misreading (issue 12)."""

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest

from etl.build import build
from etl.problems import BuildFailed
from etl.pseudonyms import KeyMissing
from etl.warehouse import NotOurs
from tests.rawfiles import MOBILITY_HEADER, PARTNER_HEADER, STAFF_HEADER, STUDENT_HEADER, write_csv

ROOT = Path(__file__).resolve().parent.parent


def run(raw: Path, out: Path, **options):
    return build(raw, out, say=lambda _: None, **options)


def cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "etl", *args], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, **(env or {})})


def small_folder(raw: Path, staff: int = 10, students: int = 10) -> Path:
    write_csv(raw / "staff_2020.csv", STAFF_HEADER,
              [[f"S{i}", "2020", "SCI", "other", "FI", "", "1", ""] for i in range(staff)])
    write_csv(raw / "students_2020.csv", STUDENT_HEADER,
              [[f"T{i}", "2020", "master", "SCI", "DE", "1", ""] for i in range(students)])
    return raw


def problems_of(raw: Path, out: Path) -> list[str]:
    with pytest.raises(BuildFailed) as failure:
        run(raw, out)
    return [str(p) for p in failure.value.problems] or [failure.value.headline]


# --- 1. --out never deletes what the ETL did not make ----------------------------

def test_out_over_an_ordinary_folder_is_refused_and_its_files_stay(raw, tmp_path):
    small_folder(raw)
    mydocs = tmp_path / "W" / "mydocs"
    mydocs.mkdir(parents=True)
    (mydocs / "thesis.txt").write_text("x")
    result = cli("build", str(raw), "--out", str(mydocs))
    assert result.returncode == 2, result.stderr
    assert "is not a warehouse built by this ETL" in result.stderr and "Nothing was changed" in result.stderr
    assert "Traceback" not in result.stderr
    assert not mydocs.is_symlink() and (mydocs / "thesis.txt").read_text() == "x"


@pytest.mark.parametrize("kind", ["file", "foreign link"])
def test_out_over_a_file_or_a_foreign_link_is_refused(raw, tmp_path, kind):
    small_folder(raw)
    out = tmp_path / "w"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("k")
    if kind == "file":
        out.write_text("notes")
    else:
        out.symlink_to(elsewhere)
    with pytest.raises(NotOurs):
        run(raw, out)
    assert (elsewhere / "keep.txt").read_text() == "k"
    assert out.read_text() == "notes" if kind == "file" else os.readlink(out) == str(elsewhere)


def test_a_warehouse_it_made_is_replaced(raw, tmp_path):
    small_folder(raw)
    out = tmp_path / "w"
    run(raw, out)
    first = os.path.realpath(out)
    run(raw, out)
    assert os.path.realpath(out) != first and (out / "manifest.json").exists()


def test_an_out_path_with_a_quote_builds(raw, tmp_path):
    small_folder(raw)
    out = tmp_path / "it's" / "ware'house"
    run(raw, out)
    assert (out / "staff" / "data.parquet").exists()
    from app.model.data import Warehouse
    assert Warehouse(out).options.years == (2020,)


# --- 2. empty or partial exports do not replace a good warehouse ------------------

def test_an_empty_raw_folder_is_refused(raw, tmp_path):
    result = cli("build", str(raw), "--out", str(tmp_path / "w"))
    assert result.returncode == 1 and "No records were found" in result.stderr
    assert not (tmp_path / "w").exists()


def test_a_header_only_staff_file_does_not_replace_the_staff_of_the_warehouse(raw, tmp_path):
    small_folder(raw)
    out = tmp_path / "w"
    run(raw, out)
    before = os.path.realpath(out)
    write_csv(raw / "staff_2020.csv", STAFF_HEADER, [])
    result = cli("build", str(raw), "--out", str(out))
    assert result.returncode == 1
    assert "staff: 0 rows, 10 in the current warehouse" in result.stderr and "--allow-shrink" in result.stderr
    assert os.path.realpath(out) == before
    result = cli("build", str(raw), "--out", str(out), "--allow-shrink")
    assert result.returncode == 0, result.stderr
    assert os.path.realpath(out) != before


def test_a_table_more_than_halved_stops_and_a_small_change_does_not(raw, tmp_path):
    small_folder(raw, students=10)
    out = tmp_path / "w"
    run(raw, out)
    small_folder(raw, students=6)   # 40% fewer: fine
    run(raw, out)
    small_folder(raw, students=2)   # a third of 6
    with pytest.raises(BuildFailed, match="students: 2 rows, 6 in the current warehouse"):
        run(raw, out)
    run(raw, out, allow_shrink=True)


# --- 9-12. input that used to pass silently ---------------------------------------

def test_mixed_encodings_in_one_file_are_reported_with_their_lines(raw, tmp_path):
    header = ",".join(STAFF_HEADER).encode()
    lines = [header,
             "P1,2020,Yksikkö,other,FI,,1,".encode("utf-8"),
             "P2,2020,Yksikkö,other,FI,,1,".encode("cp1252"),
             b"P3,2020,SCI,other,FI,,1,",
             "P4,2020,Jyväskylä,other,FI,,1,".encode("cp1252")]
    (raw / "staff.csv").write_bytes(b"\n".join(lines) + b"\n")
    [problem] = problems_of(raw, tmp_path / "w")
    assert problem.startswith("staff.csv, line 3: mixes text encodings: line(s) 2 are UTF-8 but line(s) 3, 5 are not")
    assert "accepted: one encoding for the whole file" in problem


def test_a_windows_1252_file_is_still_read(raw, tmp_path):
    write_csv(raw / "staff.csv", STAFF_HEADER, [["P1", "2020", "Yksikkö", "other", "Saksa", "", "1", ""]],
              encoding="cp1252")
    run(raw, tmp_path / "w")


def test_control_characters_are_refused_with_file_line_and_column(raw, tmp_path):
    small_folder(raw)
    write_csv(raw / "staff_2021.csv", STAFF_HEADER, [["P1", "2021", "SC\x00I", "other", "FI", "", "1", ""],
                                                     ["P2", "2021", "SCI", "other", "FI", "", "1", ""],
                                                     ["P3", "2021", "SCI", "oth\x1ber", "FI", "", "1", ""]])
    listed = problems_of(raw, tmp_path / "w")
    assert listed == ['staff_2021.csv, line 2, column unit: "SC\\x00I" — contains a control or invisible formatting character '
                      '(accepted: printable text only)',
                      'staff_2021.csv, line 4, column staff_group: "oth\\x1ber" — contains a control or invisible formatting character '
                      '(accepted: printable text only)']


MOBILITY_ROW = ["M1", "outgoing", "2022-09-01", "2023-01-31", "master", "SCI", "P-1", "Uni", "DE", "Erasmus+"]


@pytest.mark.parametrize("column, value, reason", [
    ("end_date", "2999-12-31", "not a plausible date (accepted: years 1900 to 2100"),
    ("end_date", "2025-12-31", "lasts more than two years (accepted: an end date at most 731 days after start_date"),
    ("start_date", "0001-01-01", "not a plausible date"),
])
def test_implausible_mobility_dates_are_refused(raw, tmp_path, column, value, reason):
    small_folder(raw)
    row = list(MOBILITY_ROW)
    row[MOBILITY_HEADER.index(column)] = value
    write_csv(raw / "mobility.csv", MOBILITY_HEADER, [row])
    [problem] = problems_of(raw, tmp_path / "w")
    assert problem.startswith(f'mobility.csv, line 2, column {column}: "{value}" — {reason}')


def test_a_partner_valid_from_year_one_is_refused(raw, tmp_path):
    small_folder(raw)
    write_csv(raw / "partners.csv", PARTNER_HEADER, [["P-1", "Uni", "DE", "", "", "", "0001-01-01", ""]])
    [problem] = problems_of(raw, tmp_path / "w")
    assert problem.startswith('partners.csv, line 2, column valid_from: "0001-01-01" — not a plausible date')


def test_symbolic_links_in_the_raw_folder_are_not_followed(raw, tmp_path):
    small_folder(raw)
    secret = tmp_path / "outside.csv"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n")
    (raw / "staff_extra.csv").symlink_to(secret)
    listed = problems_of(raw, tmp_path / "w")
    assert listed == ["staff_extra.csv: is a symbolic link, which is not followed (accepted: export files placed in "
                      "the folder itself; copy the file in)"]
    result = cli("build", str(raw), "--out", str(tmp_path / "w"))
    assert "root:x" not in result.stderr and "root:x" not in result.stdout


# --- 13. keys, and demo mode only when the command says so -----------------------

@pytest.mark.parametrize("key, why", [(" " * 16, "too short"), ("a" * 16, "too little variety"),
                                      ("abcdefghij" * 3, "a short pattern repeated"), ("short", "too short"),
                                      ("international-dashboard-demo-key--synthetic-data-only", "published demo key"),
                                      ("1234567890abcdef", "run of consecutive characters")])
def test_weak_keys_are_refused(raw, tmp_path, monkeypatch, key, why):
    small_folder(raw)
    monkeypatch.setenv("ETL_PSEUDONYM_KEY", key)
    with pytest.raises(KeyMissing, match=why):
        run(raw, tmp_path / "w")


def test_a_demo_marker_in_a_real_folder_does_not_switch_to_the_demo_key(raw, tmp_path, monkeypatch):
    small_folder(raw)
    (raw / "SYNTHETIC_DEMO_DATA.txt").write_text("demo, honest")
    monkeypatch.delenv("ETL_PSEUDONYM_KEY")
    result = cli("build", str(raw), "--out", str(tmp_path / "w"), env={"ETL_PSEUDONYM_KEY": ""})
    assert result.returncode == 2 and "No pseudonymisation key is set" in result.stderr
    assert not (tmp_path / "w").exists()


def test_demo_mode_is_an_explicit_flag(raw, tmp_path, monkeypatch):
    small_folder(raw)
    monkeypatch.delenv("ETL_PSEUDONYM_KEY")
    result = cli("build", str(raw), "--out", str(tmp_path / "w"), "--demo", env={"ETL_PSEUDONYM_KEY": ""})
    assert result.returncode == 0, result.stderr
    import json
    manifest = json.loads((tmp_path / "w" / "manifest.json").read_text())
    assert manifest["synthetic_demo_data"] is True and "published demo key" in manifest["pseudonym_key_source"]


# --- 8. rejects.csv opens safely in a spreadsheet --------------------------------

def test_rejects_csv_neutralises_formulas(raw, tmp_path):
    small_folder(raw)
    write_csv(raw / "staff_2021.csv", STAFF_HEADER, [["P1", "2021", "SCI", "=HYPERLINK(\"http://x\")", "FI", "", "1", ""],
                                                     ["P2", "2021", "SCI", "@SUM(A1)", "FI", "", "1", ""]])
    out = tmp_path / "w"
    run(raw, out, lenient=True)
    with (out / "rejects.csv").open(encoding="utf-8") as handle:
        values = [row["value"] for row in csv.DictReader(handle)]
    assert values == ["'=HYPERLINK(\"http://x\")", "'@SUM(A1)"]


# --- found by the second probe ------------------------------------------------------

def test_invisible_formatting_characters_are_refused(raw, tmp_path):
    small_folder(raw)
    write_csv(raw / "staff_2021.csv", STAFF_HEADER, [["P1", "2021", "SCI\u200b", "other", "FI", "", "1", ""],
                                                     ["P2", "2021", "SCI", "other", "FI", "", "1", "\u202e4"]])
    listed = problems_of(raw, tmp_path / "w")
    assert [p.split(":")[0] for p in listed] == ["staff_2021.csv, line 2, column unit",
                                                 "staff_2021.csv, line 3, column career_stage"]
    assert all("invisible formatting character" in p for p in listed)


def test_a_killed_builds_raw_records_do_not_outlive_it(raw, tmp_path):
    from etl import warehouse
    small_folder(raw)
    out = tmp_path / "w"
    run(raw, out)
    dead = warehouse.builds_dir(out) / "20260101T000000-123-abcdef01"
    (dead / ".spill" / "raw" / "staff").mkdir(parents=True)
    (dead / ".spill" / "raw" / "staff" / "000000.parquet").write_text("H000001,…")
    folder = warehouse.new_build_folder(out)
    assert not dead.exists()
    assert folder.stat().st_mode & 0o777 == 0o700 and (folder / ".spill").stat().st_mode & 0o777 == 0o700
    warehouse.discard(folder)


def test_cleaning_up_leaves_folders_it_did_not_make(raw, tmp_path):
    from etl import warehouse
    small_folder(raw)
    out = tmp_path / "reports"
    mine = warehouse.builds_dir(out) / "2023-final"
    mine.mkdir(parents=True)
    (mine / "board.pdf").write_text("x")
    for _ in range(3):
        run(raw, out)
    assert (mine / "board.pdf").read_text() == "x"
    assert len([p for p in warehouse.builds_dir(out).iterdir() if p.is_dir()]) == 3   # two builds + hers


def test_an_input_without_years_the_warehouse_has_stops(raw, tmp_path):
    small_folder(raw)
    for year in (2021, 2022):
        write_csv(raw / f"staff_{year}.csv", STAFF_HEADER,
                  [[f"S{i}", str(year), "SCI", "other", "FI", "", "1", ""] for i in range(10)])
    out = tmp_path / "w"
    run(raw, out)
    (raw / "staff_2020.csv").unlink()   # a third of the rows: fewer than half are lost, but a year is
    with pytest.raises(BuildFailed, match="staff: no records for 2020, which the current warehouse has"):
        run(raw, out)
    run(raw, out, allow_shrink=True)


def test_a_file_without_its_header_shows_no_record(raw, tmp_path):
    small_folder(raw)
    (raw / "students_2021.csv").write_text("T0SECRET,2021,master,SCI,SE,1,\nT1SECRET,2021,master,SCI,SE,1,\n")
    said: list[str] = []
    with pytest.raises(BuildFailed) as failure:
        build(raw, tmp_path / "w", say=said.append)
    text = "\n".join(said) + failure.value.report()
    assert "T0SECRET" not in text
    assert "students_2021.csv, line 1: the first line is not a header" in text


def test_a_key_file_of_several_lines_is_refused(raw, tmp_path, monkeypatch):
    small_folder(raw)
    key_file = tmp_path / "passwd"
    key_file.write_text("root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n")
    monkeypatch.delenv("ETL_PSEUDONYM_KEY")
    monkeypatch.setenv("ETL_PSEUDONYM_KEY_FILE", str(key_file))
    with pytest.raises(KeyMissing, match="several lines"):
        run(raw, tmp_path / "w")


def test_row_order_does_not_follow_the_input(raw, tmp_path):
    import duckdb
    small_folder(raw, staff=50)
    out = tmp_path / "w"
    run(raw, out)
    keys = [k for (k,) in duckdb.sql(f"SELECT person_key FROM read_parquet('{out}/staff/data.parquet')").fetchall()]
    assert keys == sorted(keys)


def test_a_mistyped_warehouse_folder_says_so_and_builds_no_demo(tmp_path, monkeypatch):
    """A WAREHOUSE_DIR that names no build served synthetic demo figures as if they were the university's."""
    from streamlit.testing.v1 import AppTest

    from app.web import frame
    from tests.conftest import ROOT

    built = []
    monkeypatch.setattr(frame, "_build_demo", lambda path: built.append(path))
    monkeypatch.setenv("WAREHOUSE_DIR", str(tmp_path / "warehuose"))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    assert not at.exception and not built
    assert [e.value for e in at.error] == [
        "There is no warehouse in the folder the settings name (WAREHOUSE_DIR or config.toml warehouse_dir). "
        "Please ask the dashboard's administrator to build it (python -m etl build) or to correct the setting."]
    assert not at.get("plotly_chart") and not at.metric
