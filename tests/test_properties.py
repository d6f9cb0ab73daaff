"""Property: whatever the export holds, every row read is written, merged or rejected."""

import json

import duckdb
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl.build import build
from tests.rawfiles import STAFF_HEADER, STUDENT_HEADER, write_csv

cell_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r"), max_size=12)
ids = st.one_of(st.sampled_from(["A", "B", "C", "D", ""]), cell_text)
years = st.one_of(st.sampled_from(["2010", "2011", "1989", "x", ""]), cell_text)
countries = st.one_of(st.sampled_from(["FI", "Saksa", "DE;FI", "XX", "", "Atlantis", "CS", "Venäjä|Ruotsi"]), cell_text)
groups = st.sampled_from(["professor", "professori", "other", "boss", ""])
levels = st.sampled_from(["bachelor", "maisteri", "doctoral", "phd", ""])
fte = st.sampled_from(["1", "0,5", "0.2", "", "2", "abc"])

staff_rows = st.lists(st.tuples(ids, years, st.sampled_from(["SCI", "ELEC", ""]), groups, countries,
                                st.sampled_from(["female", "mies", "", "?"]), fte, st.sampled_from(["", "1", "4", "9"])),
                      max_size=40)
student_rows = st.lists(st.tuples(ids, years, levels, st.sampled_from(["SCI", ""]), countries,
                                  st.sampled_from(["1", "ei", "", "maybe"]), st.sampled_from(["female", ""])),
                        max_size=40)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(staff=staff_rows, students=student_rows, delimiter=st.sampled_from([",", ";", "\t"]))
def test_rows_read_equal_rows_written_merged_and_rejected(tmp_path_factory, staff, students, delimiter):
    base = tmp_path_factory.mktemp("prop")
    raw = base / "raw"
    write_csv(raw / "staff_a.csv", STAFF_HEADER, [list(r) for r in staff], delimiter)
    write_csv(raw / "students_a.csv", STUDENT_HEADER, [list(r) for r in students], delimiter)
    # One good record each, so the build always has something to publish (an input with none is refused).
    write_csv(raw / "staff_z.csv", STAFF_HEADER, [["good-person-of-z", "2010", "SCI", "other", "FI", "", "1", ""]])
    write_csv(raw / "students_z.csv", STUDENT_HEADER, [["good-student-z", "2010", "master", "SCI", "FI", "1", ""]])
    out = base / "w"
    build(raw, out, lenient=True, say=lambda _: None)

    manifest = json.loads((out / "manifest.json").read_text())
    files = {f["name"]: f for f in manifest["files"]}
    for generated, name in ((staff, "staff_a.csv"), (students, "students_a.csv")):
        f = files[name]
        assert f["rows_read"] == f["rows_written"] + f["rows_merged"] + f["rows_rejected"]
        non_blank = sum(1 for row in generated if any(v.strip() for v in row))
        assert f["rows_read"] + f["blank_rows_ignored"] == non_blank
    for table, name in (("staff", "staff_a.csv"), ("students", "students_a.csv")):
        [(count,)] = duckdb.sql(f"SELECT count(*) FROM read_parquet('{out}/{table}/**/*.parquet')").fetchall()
        assert count == files[name]["rows_written"] + 1 == manifest["tables"][table]["rows"]
