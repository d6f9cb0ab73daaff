"""End to end: raw folder in, warehouse out, per the two contracts."""

import hashlib
import hmac
import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from etl.build import build
from etl.problems import BuildFailed
from tests.conftest import TEST_KEY
from tests.rawfiles import (MOBILITY_HEADER, PARTNER_HEADER, STAFF_HEADER, STUDENT_HEADER, write_csv,
                            write_xlsx)

ROOT = Path(__file__).resolve().parent.parent


def run(raw: Path, out: Path, **options):
    return build(raw, out, say=lambda _: None, **options)


def rows(out: Path, table: str, sql: str = "SELECT * FROM t") -> list[tuple]:
    con = duckdb.connect()
    con.execute(f"CREATE VIEW t AS SELECT * FROM read_parquet('{out}/{table}/**/*.parquet', hive_partitioning = true)")
    return con.execute(sql).fetchall()


def manifest(out: Path) -> dict:
    return json.loads((out / "manifest.json").read_text())


def tree_digest(folder: Path) -> dict[str, str]:
    folder = Path(os.path.realpath(folder))
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def person_key(namespace: str, identifier: str) -> str:
    return hmac.new(TEST_KEY.encode(), f"{namespace}:{identifier}".encode(), hashlib.sha256).hexdigest()


def awkward_folder(raw: Path) -> None:
    """Every variation the input contract allows, mixed in one folder."""
    write_csv(raw / "staff_2020.csv",
              ["Henkilönumero", "Vuosi", "Yksikkö", "Henkilöstöryhmä", "Kansalaisuus", "Sukupuoli", "HTV", "Nimi"],
              [["P1", "2020", "SCI", "professori", "Saksa", "nainen", "1,0", "Anna A"],
               ["P2", "2020", "SCI", "professori", "Suomi", "mies", "1", "Bo B"],
               ["P3", "2020", "ELEC", "muu opetus- ja tutkimushenkilöstö", "Venäjä;Suomi", "", "0,5", "Cy C"],
               ["P4", "2020", "ELEC", "muu henkilöstö", "tuntematon", "", "", "Di D"],
               ["P1", "2020", "SERV", "muu henkilöstö", "Saksa", "nainen", "0,2", "Anna A"]],   # second contract
              ";", "cp1252")
    write_xlsx(raw / "Staff-2021.xlsx", STAFF_HEADER,
               [["P1", 2021, "SCI", "professor", "DEU", "female", 1, 4],
                ["P2", 2021, "SCI", "professor", "FIN", "male", None, 4],
                ["P2", 2021, "ARTS", "teaching_research", "FIN", "male", None, 3],              # tie on blank: first
                ["P5", 2021, "SCI", "professor", "IT|US", "other", 0.8, 4],
                ["P6", 2021, "SCI", "teaching_research", "XX;999", "", 1, 1]])
    write_csv(raw / "staff_2022.txt", ["person id", "YEAR", "unit", "staff group", "citizenship", "fte"],
              [["P1", "2022", "SCI", "professor", "276", "0.4"],
               ["P1", "2022", "BIZ", "teaching_research", "DE", "0.6"],                       # larger fte wins
               ["P7", "2022", "CHEM", "other", "Yhdysvallat", "1"],
               ["P8", "2022", "CHEM", "other", "SU", "1"]], "\t", "utf-8-sig")
    write_csv(raw / "students_2021.csv", STUDENT_HEADER,
              [["S1", "2021", "bachelor", "SCI", "Kiina", "kyllä", "female"],
               ["S1", "2021", "master", "SCI", "Kiina", "ei", "female"],                      # two levels: both count
               ["S1", "2021", "master", "ELEC", "Intia", "yes", ""],                          # same level: first wins
               ["S2", "2021", "doctoral", "ENG", "Iso-Britannia|Ruotsi", "0", "male"],
               ["S3", "2021", "Tohtori", "ENG", "", "", ""]], ";")
    write_csv(raw / "mobility.csv", MOBILITY_HEADER,
              [["M1", "outgoing", "2021-09-01", "2022-01-31", "master", "SCI", "D  DARMSTA01",
                "TU Darmstadt", "Saksa", "Erasmus+"],
               ["M2", "saapuva", "15.1.2022", "", "henkilöstö", "", "", "ETH Zürich", "CH", ""]])
    write_xlsx(raw / "partners.xlsx", PARTNER_HEADER,
               [["D  DARMSTA01", "TU Darmstadt", "Germany", "Darmstadt", "Erasmus+;Unite!", "Unite!", "2014-01-01", "31.12.2027"]])
    (raw / "notes.docx").write_bytes(b"ignored")


def test_awkward_but_valid_exports_give_exactly_the_right_counts(raw, tmp_path):
    awkward_folder(raw)
    out = tmp_path / "warehouse"
    result = run(raw, out)
    assert result.problems == []

    staff = {(y, k): rest for y, k, *rest in rows(out, "staff", """
        SELECT year, person_key, unit, staff_group, citizenship, is_international, gender, fte, career_stage FROM t""")}
    assert len(staff) == 11
    assert staff[(2020, person_key("staff", "P1"))] == ["SCI", "professor", "DEU", True, "female", 1.0, None]
    assert staff[(2020, person_key("staff", "P3"))][2:4] == ["FIN", False]
    assert staff[(2020, person_key("staff", "P4"))][2:4] == [None, None]
    assert staff[(2021, person_key("staff", "P2"))][:2] == ["SCI", "professor"]
    assert staff[(2021, person_key("staff", "P5"))][2:5] == ["ITA", True, "other"]
    assert staff[(2021, person_key("staff", "P6"))][2:4] == [None, None]
    assert staff[(2022, person_key("staff", "P1"))][:2] == ["BIZ", "teaching_research"]
    assert staff[(2022, person_key("staff", "P7"))][2] == "USA"
    assert staff[(2022, person_key("staff", "P8"))][2:4] == ["SUN", True]
    assert rows(out, "staff", "SELECT year, staff_group, count(*), count(*) FILTER (is_international) FROM t "
                              "GROUP BY ALL ORDER BY ALL") == [
        (2020, "other", 1, 0), (2020, "professor", 2, 1), (2020, "teaching_research", 1, 0),
        (2021, "professor", 3, 2), (2021, "teaching_research", 1, 0),
        (2022, "other", 2, 2), (2022, "teaching_research", 1, 1)]

    assert rows(out, "students", "SELECT level, unit, citizenship, is_international, new_entrant, gender FROM t "
                                 "ORDER BY level") == [
        ("bachelor", "SCI", "CHN", True, True, "female"),
        ("doctoral", "ENG", "GBR", True, False, "male"),
        ("doctoral", "ENG", None, None, None, None),
        ("master", "SCI", "CHN", True, False, "female")]

    assert rows(out, "mobility", "SELECT year, direction, level, unit, partner_code, partner_country, programme, "
                                 "start_date::VARCHAR, end_date::VARCHAR FROM t ORDER BY year") == [
        (2021, "outgoing", "master", "SCI", "D  DARMSTA01", "DEU", "Erasmus+", "2021-09-01", "2022-01-31"),
        (2022, "incoming", "staff", None, None, "CHE", None, "2022-01-15", None)]
    assert rows(out, "partners", "SELECT country, programmes, networks, valid_from::VARCHAR, valid_to::VARCHAR FROM t") == [
        ("DEU", ["Erasmus+", "Unite!"], ["Unite!"], "2014-01-01", "2027-12-31")]

    files = {f["name"]: f for f in manifest(out)["files"]}
    assert (files["staff_2020.csv"]["rows_read"], files["staff_2020.csv"]["rows_merged"]) == (5, 1)
    assert files["staff_2020.csv"]["extra_columns"] == ["Nimi"]
    assert (files["Staff-2021.xlsx"]["rows_written"], files["Staff-2021.xlsx"]["rows_merged"]) == (4, 1)
    assert (files["staff_2022.txt"]["rows_written"], files["staff_2022.txt"]["rows_merged"]) == (3, 1)
    assert (files["students_2021.csv"]["rows_written"], files["students_2021.csv"]["rows_merged"]) == (4, 1)
    assert manifest(out)["ignored_files"] == ["notes.docx"]


def test_warehouse_types_follow_the_contract(raw, tmp_path):
    awkward_folder(raw)
    out = tmp_path / "warehouse"
    run(raw, out)
    con = duckdb.connect()
    types = {t: dict(con.execute(f"DESCRIBE SELECT * FROM read_parquet('{out}/{t}/**/*.parquet', "
                                 "hive_partitioning = true)").fetchall() and
                     [(r[0], r[1]) for r in con.execute(f"DESCRIBE SELECT * FROM read_parquet('{out}/{t}/**/*.parquet')").fetchall()])
             for t in ("staff", "students", "mobility", "partners")}
    assert types["staff"] == {"year": "INTEGER", "person_key": "VARCHAR", "unit": "VARCHAR", "staff_group": "VARCHAR",
                              "career_stage": "INTEGER", "citizenship": "VARCHAR", "is_international": "BOOLEAN",
                              "gender": "VARCHAR", "fte": "DOUBLE",
                              # added in 0.3, after the columns of 0.2 (a reader by position is not thrown)
                              "citizenships": "VARCHAR[]", "citizenship_at_hire": "VARCHAR",
                              "international_at_hire": "BOOLEAN"}
    assert list(types["students"]) == ["year", "person_key", "unit", "level", "citizenship", "is_international",
                                       "new_entrant", "gender", "citizenships", "prior_education_country",
                                       "educated_abroad"]
    assert types["mobility"]["start_date"] == "DATE" and types["mobility"]["year"] == "INTEGER"
    assert types["partners"]["programmes"] == "VARCHAR[]" and types["partners"]["valid_to"] == "DATE"


def test_no_raw_identifier_or_name_reaches_the_warehouse(raw, tmp_path):
    awkward_folder(raw)
    out = tmp_path / "warehouse"
    run(raw, out)
    blob = b"".join((Path(os.path.realpath(out)) / p).read_bytes()
                    for p in tree_digest(out))
    for secret in [b"P1", b"P7", b"S1", b"M1", b"M2", b"Anna A", b"Cy C", TEST_KEY.encode()]:
        assert secret not in blob, secret


def test_the_sql_hmac_is_hmac_sha256(raw, tmp_path):
    from etl.pseudonyms import hmac_sql
    for key in [b"short-key-123456", b"k" * 64, b"a much longer key than one block " * 4]:
        [(value,)] = duckdb.sql(f"SELECT {hmac_sql(key, 'staff', 'x')} FROM (SELECT 'Ä-123' AS x)").fetchall()
        assert value == hmac.new(key, "staff:Ä-123".encode(), hashlib.sha256).hexdigest()


def test_pseudonyms_are_stable_across_builds_and_change_with_the_key(raw, tmp_path, monkeypatch):
    awkward_folder(raw)
    run(raw, tmp_path / "a")
    run(raw, tmp_path / "b")
    monkeypatch.setenv("ETL_PSEUDONYM_KEY", "another-key-of-enough-length")
    run(raw, tmp_path / "c")
    keys = [set(rows(tmp_path / w, "staff", "SELECT person_key FROM t")) for w in "abc"]
    assert keys[0] == keys[1] and not keys[0] & keys[2]


def test_rebuilding_the_same_input_gives_the_same_tables(raw, tmp_path):
    awkward_folder(raw)
    out = tmp_path / "warehouse"
    run(raw, out)
    first = {k: v for k, v in tree_digest(out).items() if k.endswith(".parquet")}
    run(raw, out)
    assert {k: v for k, v in tree_digest(out).items() if k.endswith(".parquet")} == first


def test_real_data_without_a_key_fails_and_says_how_to_set_one(raw, tmp_path, monkeypatch):
    awkward_folder(raw)
    monkeypatch.delenv("ETL_PSEUDONYM_KEY")
    result = subprocess.run([sys.executable, "-m", "etl", "build", str(raw), "--out", str(tmp_path / "w")],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 2
    assert "ETL_PSEUDONYM_KEY_FILE" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "w").exists()


def test_key_from_a_file(raw, tmp_path, monkeypatch):
    awkward_folder(raw)
    key_file = tmp_path / "key"
    key_file.write_text(TEST_KEY + "\n")
    monkeypatch.delenv("ETL_PSEUDONYM_KEY")
    monkeypatch.setenv("ETL_PSEUDONYM_KEY_FILE", str(key_file))
    run(raw, tmp_path / "w")
    assert (person_key("staff", "P1"),) in rows(tmp_path / "w", "staff", "SELECT DISTINCT person_key FROM t")


def test_a_short_key_is_refused(raw, tmp_path, monkeypatch):
    from etl.pseudonyms import KeyMissing
    awkward_folder(raw)
    monkeypatch.setenv("ETL_PSEUDONYM_KEY", "short")
    with pytest.raises(KeyMissing, match="too short"):
        run(raw, tmp_path / "w")


def test_home_country_is_configurable(raw, tmp_path):
    awkward_folder(raw)
    out = tmp_path / "w"
    run(raw, out, home_country="Germany")
    assert manifest(out)["home_country"] == "DEU"
    assert rows(out, "staff", "SELECT count(*) FROM t WHERE citizenship = 'DEU' AND is_international") == [(0,)]
    assert rows(out, "staff", "SELECT count(*) FROM t WHERE citizenship = 'FIN' AND is_international") == [(2,)]
    # with Germany at home, Venäjä;Suomi is no longer a home citizen: the first listed counts
    assert rows(out, "staff", "SELECT count(*) FROM t WHERE citizenship = 'RUS'") == [(1,)]


# --- bad input ----------------------------------------------------------------

def broken_folder(raw: Path) -> None:
    write_csv(raw / "staff_2020.csv", STAFF_HEADER,
              [["P1", "2020", "SCI", "professor", "Saksa", "", "1", ""],
               ["", "2020", "SCI", "professor", "FI", "", "1", ""],                  # blank id
               ["P3", "1989", "SCI", "boss", "Atlantis", "f", "1,5", "7"],          # five bad values
               ["P4", "2020", "", "other", "CS", "", "", ""]])                        # blank unit, ambiguous
    write_xlsx(raw / "students.xlsx", STUDENT_HEADER, [["SECRET-ID-9", 2021, "licentiate", "SCI", "FI", "maybe", ""]])
    write_csv(raw / "mobility.csv", MOBILITY_HEADER,
              [["MOB-1", "outgoing", "2021-09-01", "2021-08-01", "master", "", "", "X", "", ""],
               ["MOB-1", "incoming", "1.9.2021", "", "staff", "", "", "", "DE", ""]])
    write_csv(raw / "partners.csv", ["partner_code", "partner_name"], [["A", "B"]])


EXPECTED_PROBLEMS = [
    'staff_2020.csv, line 3, column person_id: a value is required here',
    'staff_2020.csv, line 4, column career_stage: "7" — not a career stage (accepted: 1, 2, 3 or 4)',
    'staff_2020.csv, line 4, column citizenship: "Atlantis" — not a country (accepted: ISO 3166 code or country name '
    'in English, Finnish or Swedish, several separated by ; or |, or blank/unknown/tuntematon/okänd/XX/999)',
    'staff_2020.csv, line 4, column fte: "1,5" — not a full-time equivalent (accepted: a number greater than 0 and at '
    'most 1, e.g. 0.5 or 0,5)',
    'staff_2020.csv, line 4, column gender: "f" — not a recognised value (accepted: female, male, other, nainen, mies, muu)',
    'staff_2020.csv, line 4, column staff_group: "boss" — not a recognised value (accepted: professor, '
    'teaching_research, other, professori, muu opetus- ja tutkimushenkilöstö, muu henkilöstö)',
    'staff_2020.csv, line 4, column year: "1989" — not a year',
    'staff_2020.csv, line 5, column citizenship: "CS" — ambiguous',
    'staff_2020.csv, line 5, column unit: a value is required here',
    'students.xlsx, row 2, column level: "licentiate" — not a recognised value',
    'students.xlsx, row 2, column new_entrant: "maybe" — not a recognised value',
    'mobility.csv, line 2, column end_date: "2021-08-01" — ends before it starts',
    'mobility.csv, line 2, column partner_country: a value is required here',
    'mobility.csv, line 3, column mobility_id: "MO…" — appears again (accepted: each value once; first seen in '
    'mobility.csv at line 2)',
    'mobility.csv, line 3, column partner_name: a value is required here',
    'partners.csv, line 1: required column country is missing (accepted header: country or maa)',
]


def test_every_problem_is_listed_with_file_line_column_value_and_what_is_accepted(raw, tmp_path):
    broken_folder(raw)
    with pytest.raises(BuildFailed) as failure:
        run(raw, tmp_path / "w")
    listed = [str(p) for p in failure.value.problems]
    assert len(listed) == len(EXPECTED_PROBLEMS)
    for expected in EXPECTED_PROBLEMS:
        assert any(line.startswith(expected) for line in listed), expected
    assert not any("SECRET-ID-9" in line or "MOB-1" in line for line in listed)


def test_a_failed_build_leaves_the_previous_warehouse_byte_identical(raw, tmp_path):
    awkward_folder(raw)
    out = tmp_path / "warehouse"
    run(raw, out)
    before = tree_digest(out)
    broken_folder(raw)
    result = subprocess.run([sys.executable, "-m", "etl", "build", str(raw), "--out", str(out)],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "problem(s):" in result.stderr and "previous warehouse was left as it was" in result.stderr
    assert tree_digest(out) == before


def test_lenient_writes_good_rows_and_a_rejects_report(raw, tmp_path):
    awkward_folder(raw)
    broken_folder(raw)  # overwrites staff_2020.csv, students/mobility/partners files are added
    out = tmp_path / "w"
    result = run(raw, out, lenient=True)
    assert len(result.problems) == len(EXPECTED_PROBLEMS)
    import csv
    with (out / "rejects.csv").open(encoding="utf-8") as handle:
        rejects = list(csv.DictReader(handle))
    assert len(rejects) == len(EXPECTED_PROBLEMS)
    assert {r["file"] for r in rejects} == {"staff_2020.csv", "students.xlsx", "mobility.csv", "partners.csv"}
    assert all(r["value"] == "" for r in rejects if r["column"] in ("person_id", "student_id", "mobility_id"))
    files = {f["name"]: f for f in manifest(out)["files"]}
    assert files["staff_2020.csv"] | {} and (files["staff_2020.csv"]["rows_written"],
                                             files["staff_2020.csv"]["rows_rejected"]) == (1, 3)
    assert files["partners.csv"]["problem"].startswith("required column country is missing")
    for f in files.values():
        assert f["rows_read"] == f["rows_written"] + f["rows_merged"] + f["rows_rejected"]
    assert rows(out, "staff", "SELECT count(*) FROM t")[0][0] == manifest(out)["tables"]["staff"]["rows"]


def test_cli_help():
    result = subprocess.run([sys.executable, "-m", "etl", "build", "--help"], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0 and "--lenient" in result.stdout and "--out" in result.stdout


def test_missing_raw_folder(tmp_path):
    result = subprocess.run([sys.executable, "-m", "etl", "build", str(tmp_path / "nope"), "--out", str(tmp_path / "w")],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 1 and "does not exist" in result.stderr and "Traceback" not in result.stderr


def test_a_settings_file_that_cannot_be_read_is_named_not_a_traceback(tmp_path, monkeypatch, capsys):
    from etl import cli, config

    settings = tmp_path / "config.toml"
    settings.write_text("[data\nhome_country = 'FI'\n", encoding="utf-8")
    monkeypatch.setattr(config, "CONFIG_FILE", settings)
    out = tmp_path / "w"
    code = cli.main(["build", str(tmp_path), "--out", str(out)])
    said = capsys.readouterr().err
    assert code == 2 and not out.exists()
    assert f"{settings} is not valid TOML" in said and "line 1" in said and "Nothing was built" in said


# --- atomic replacement ---------------------------------------------------------

KILLER = """
import os, signal, sys, threading
from pathlib import Path
import etl.warehouse as w
delay = float(sys.argv[3])
timer = threading.Timer(delay, lambda: os.kill(os.getpid(), signal.SIGKILL))
timer.daemon = True
timer.start()
from etl.build import build
build(Path(sys.argv[1]), Path(sys.argv[2]), say=lambda _: None)
"""


def test_a_build_killed_midway_leaves_the_old_warehouse_byte_identical(raw, tmp_path):
    awkward_folder(raw)
    out = tmp_path / "warehouse"
    run(raw, out)
    before = tree_digest(out)
    # A bigger input for the killed build, so that it is killed while working.
    rows_ = [[f"Q{i}", "2023", "SCI", "other", "Saksa", "", "1", ""] for i in range(60_000)]
    write_csv(raw / "staff_2023.csv", STAFF_HEADER, rows_)
    outcomes = set()
    for delay in (0.3, 0.6, 0.9, 1.2):
        subprocess.run([sys.executable, "-c", KILLER, str(raw), str(out), str(delay)], cwd=ROOT,
                       env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True)
        now = tree_digest(out)
        if now == before:
            outcomes.add("old")
        else:
            assert sum(r[0] for r in rows(out, "staff", "SELECT count(*) FROM t")) == manifest(out)["tables"]["staff"]["rows"]
            outcomes.add("new")
            break
    assert "old" in outcomes
    # A later build cleans up what the killed ones left behind.
    run(raw, out)
    leftovers = [p for p in (tmp_path / ".warehouse-builds").iterdir() if p.is_dir()]
    assert len(leftovers) <= 2 and all((p / "manifest.json").exists() for p in leftovers)
