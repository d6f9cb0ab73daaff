"""The definitions of international in the ETL, on hand-made people: what each person-level column and each
agg_people pair says for dual citizens, naturalised staff, mobile home citizens, foreign citizens educated at
home, unknowns and exports without the optional columns."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from etl.build import build
from etl.problems import BuildFailed
from tests.rawfiles import STAFF_HEADER, STUDENT_HEADER, write_csv

STAFF_2022 = [  # person, citizenship, citizenship at hire
    ("P1", "FI", "FI"),            # home under every definition
    ("P2", "FI;DE", "FI"),         # dual citizen since birth: home in the register, foreign by any citizenship
    ("P3", "Germany|Suomi", "DE"),  # naturalised, kept the first citizenship; the home country listed second
    ("P4", "SE", "SE"),            # foreign under every definition
    ("P5", "FI", "EE"),            # naturalised, gave up the first citizenship: international only at hire
    ("P6", "unknown", ""),         # unknown under every definition
    ("P7", "XX;Italy", "tuntematon"),  # a list with an unknown marker: Italy; at hire unknown
]
STUDENTS_2022 = [  # student, citizenship, country of prior education
    ("S1", "FI", "FI"),
    ("S2", "FI", "USA"),           # home citizen with prior education abroad: internationally mobile
    ("S3", "CN", "Suomi"),         # foreign citizen educated here: foreign, not mobile
    ("S4", "CN", ""),              # prior education unknown
    ("S5", "FI;SE", "FI"),         # dual
]


def _raw(folder: Path) -> Path:
    header = [*STAFF_HEADER, "Kansalaisuus työsuhteen alkaessa"]
    write_csv(folder / "staff_2022.csv", header,
              [[p, 2022, "SCI", "professor", c, "", "1", "4", hire] for p, c, hire in STAFF_2022])
    # An older export without the column: its people are unknown at hire, not guessed from citizenship.
    write_csv(folder / "staff_2021.csv", STAFF_HEADER, [["P1", 2021, "SCI", "professor", "FI", "", "1", "4"],
                                                       ["P5", 2021, "SCI", "professor", "EE", "", "1", "4"]])
    write_csv(folder / "students_2022.csv", [*STUDENT_HEADER, "Prior education country"],
              [[s, 2022, "master", "SCI", c, "false", "", prior] for s, c, prior in STUDENTS_2022])
    return folder


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("definitions")
    out = folder / "warehouse"
    build(_raw(folder / "raw"), out, say=lambda _: None, demo=True)   # module-wide: the published demo key
    return out


def _query(out: Path, table: str, sql: str) -> list[tuple]:
    con = duckdb.connect()
    con.execute(f"CREATE VIEW t AS SELECT * FROM read_parquet('{out}/{table}/data.parquet')")
    return con.execute(sql).fetchall()


def test_person_level_tables_keep_every_citizenship_and_the_optional_columns(warehouse):
    # Rows are in pseudonym order, so each person is found by their values.
    staff = _query(warehouse, "staff", """SELECT year, citizenship, is_international, citizenships, citizenship_at_hire,
                                                 international_at_hire FROM t ORDER BY ALL""")
    assert sorted(staff, key=str) == sorted([
        (2021, "EST", True, ["EST"], None, None), (2021, "FIN", False, ["FIN"], None, None),
        (2022, "FIN", False, ["FIN"], "FIN", False), (2022, "FIN", False, ["FIN", "DEU"], "FIN", False),
        (2022, "FIN", False, ["DEU", "FIN"], "DEU", True), (2022, "SWE", True, ["SWE"], "SWE", True),
        (2022, "FIN", False, ["FIN"], "EST", True), (2022, None, None, [], None, None),
        (2022, "ITA", True, ["ITA"], None, None)], key=str)
    students = _query(warehouse, "students", """SELECT citizenship, citizenships, prior_education_country,
                                                       educated_abroad FROM t ORDER BY ALL""")
    assert sorted(students, key=str) == sorted([
        ("FIN", ["FIN"], "FIN", False), ("FIN", ["FIN"], "USA", True), ("CHN", ["CHN"], "FIN", False),
        ("CHN", ["CHN"], None, None), ("FIN", ["FIN", "SWE"], "FIN", False)], key=str)


def _agg(warehouse: Path, population: str, definition_columns: str) -> list[tuple]:
    return _query(warehouse, "agg_people", f"""SELECT {definition_columns}, sum(headcount)::INT FROM t
                                               WHERE population = '{population}' AND year = 2022
                                               GROUP BY ALL ORDER BY ALL""")


def test_each_definition_counts_the_same_staff_differently(warehouse):
    assert _agg(warehouse, "staff", "citizenship, is_international") == [
        ("FIN", False, 4), ("ITA", True, 1), ("SWE", True, 1), (None, None, 1)]
    # Any foreign citizenship: the dual citizens count abroad, under their first foreign citizenship.
    assert _agg(warehouse, "staff", "any_foreign_country, any_foreign_international") == [
        ("DEU", True, 2), ("FIN", False, 2), ("ITA", True, 1), ("SWE", True, 1), (None, None, 1)]
    # At first employment: the naturalised count abroad; the unknown at hire are unknown whatever the register says.
    assert _agg(warehouse, "staff", "first_employment_country, first_employment_international") == [
        ("DEU", True, 1), ("EST", True, 1), ("FIN", False, 2), ("SWE", True, 1), (None, None, 2)]
    # Prior education does not apply to staff.
    assert _agg(warehouse, "staff", "prior_education_country, prior_education_international") == [(None, None, 7)]


def test_each_definition_counts_the_same_students_differently(warehouse):
    assert _agg(warehouse, "students", "citizenship, is_international") == [("CHN", True, 2), ("FIN", False, 3)]
    assert _agg(warehouse, "students", "any_foreign_country, any_foreign_international") == [
        ("CHN", True, 2), ("FIN", False, 2), ("SWE", True, 1)]
    assert _agg(warehouse, "students", "prior_education_country, prior_education_international") == [
        ("FIN", False, 3), ("USA", True, 1), (None, None, 1)]
    assert _agg(warehouse, "students", "first_employment_country, first_employment_international") == [(None, None, 5)]


def test_an_export_without_the_optional_column_leaves_its_people_unknown_under_that_definition(warehouse):
    assert _query(warehouse, "agg_people", """SELECT citizenship, first_employment_country, headcount FROM t
                                             WHERE year = 2021 ORDER BY ALL""") == [("EST", None, 1), ("FIN", None, 1)]
    files = {f["name"]: f for f in json.loads((warehouse / "manifest.json").read_text())["files"]}
    assert "citizenship_at_hire" in files["staff_2022.csv"]["columns"]
    assert "citizenship_at_hire" not in files["staff_2021.csv"]["columns"]
    assert "prior_education_country" in files["students_2022.csv"]["columns"]


def test_summing_over_the_new_columns_gives_the_register_counts(warehouse):
    """A reader of the 0.2 agg_people (summing headcount by its own columns) gets the same figures."""
    old = _query(warehouse, "staff", "SELECT year, citizenship, count(*) FROM t GROUP BY ALL ORDER BY ALL")
    new = _query(warehouse, "agg_people", """SELECT year, citizenship, sum(headcount) FROM t WHERE population = 'staff'
                                             GROUP BY ALL ORDER BY ALL""")
    assert old == new


def test_a_bad_optional_value_is_named_by_file_line_and_column(tmp_path):
    raw = tmp_path / "raw"
    write_csv(raw / "students_2022.csv", [*STUDENT_HEADER, "pohjakoulutusmaa"],
              [["S1", 2022, "master", "SCI", "FI", "false", "", "Atlantis"]])
    write_csv(raw / "staff_2022.csv", [*STAFF_HEADER, "citizenship_at_hire"],
              [["P1", 2022, "SCI", "professor", "FI", "", "1", "4", "Narnia;FI"]])
    with pytest.raises(BuildFailed) as failed:
        build(raw, tmp_path / "out", say=lambda _: None)
    text = "\n".join(str(p) for p in failed.value.problems)
    assert 'students_2022.csv, line 2, column prior_education_country: "Atlantis" — not a country' in text
    assert 'staff_2022.csv, line 2, column citizenship_at_hire: "Narnia;FI" — not a country' in text
