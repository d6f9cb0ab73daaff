import pytest

from etl.schema import STAFF, STUDENTS, kind_of
from etl.sources import Source, detect_delimiter, detect_encoding, discover, read_source
from tests.rawfiles import STAFF_HEADER, write_csv, write_xlsx

ROWS = [["A1", "2020", "SCI", "professor", "Saksa", "female", "1", "4"],
        ["A2", "2020", "ELEC", "other", "Suomi", "male", "0,5", ""]]


def read(path, kind=STAFF):
    return read_source(Source(path, kind))


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "latin-1"])
def test_every_delimiter_and_encoding(raw, delimiter, encoding):
    rows = [r[:4] + ["Österreich" if i else "Ruotsi"] + r[5:] for i, r in enumerate(ROWS)]
    path = write_csv(raw / "staff.csv", STAFF_HEADER, rows, delimiter, encoding)
    result = read(path)
    assert result.delimiter == delimiter
    assert result.table.column("citizenship").to_pylist() == ["Ruotsi", "Österreich"]
    assert result.table.column("_line").to_pylist() == [2, 3]


def test_windows_1252_only_characters_are_read_as_such(raw):
    path = raw / "staff.csv"
    path.write_bytes(",".join(STAFF_HEADER).encode() + b"\nA1,2020,SCI,other,FI,,1,\x80 note\n")
    assert detect_encoding(path) == "cp1252"


def test_detect_delimiter_prefers_the_one_that_splits_the_header():
    assert detect_delimiter("a;b;c,d\n") == ";"
    assert detect_delimiter('"a,b";c\n') == ";"


def test_headers_match_ignoring_case_accents_spaces_and_finnish_aliases(raw):
    header = [" HENKILÖNUMERO ", "Vuosi", "Yksikkö", "Henkilöstöryhmä", "kansalaisuus", "Person Name"]
    path = write_csv(raw / "staff.csv", header, [["A1", "2020", "SCI", "professori", "FI", "Aino V"]], ";")
    result = read(path)
    assert result.problems == []
    assert set(result.table.column_names) == {"person_id", "year", "unit", "staff_group", "citizenship", "_line"}
    assert result.extra_columns == ["Person Name"]


def test_missing_required_column_names_file_and_column(raw):
    path = write_csv(raw / "staff.csv", ["person_id", "year", "unit", "citizenship"], [["A1", "2020", "SCI", "FI"]])
    [problem] = read(path).problems
    assert str(problem) == ("staff.csv, line 1: required column staff_group is missing "
                            "(accepted header: staff_group or henkilostoryhma)")


def test_a_column_given_twice_is_refused(raw):
    path = write_csv(raw / "staff.csv", STAFF_HEADER + ["vuosi"], [ROWS[0] + ["2020"]])
    assert "given twice" in str(read(path).problems[0])


def test_quoted_values_with_newlines_keep_true_line_numbers(raw):
    path = raw / "staff.csv"
    path.write_text('person_id,year,unit,staff_group,citizenship\n'
                    'A1,2020,SCI,"muu\nhenkilöstö",FI\n'
                    'A2,2020,SCI,other,"DE"\n'
                    'A3,2020,SCI,other,"a ""quoted"" value"\n', encoding="utf-8")
    table = read(path).table
    assert table.column("_line").to_pylist() == [2, 4, 5]
    assert table.column("citizenship").to_pylist()[2] == 'a "quoted" value'


def test_blank_lines_are_not_records_and_do_not_shift_line_numbers(raw):
    path = raw / "staff.csv"
    path.write_text('person_id,year,unit,staff_group,citizenship\n\nA1,2020,SCI,other,FI\n  \n'
                    'A2,2020,SCI,"other\n\nx",FI\n,,,,\nA3,2020,SCI,other,FI\n\n\n', encoding="utf-8")
    result = read(path)
    assert result.table.column("person_id").to_pylist() == ["A1", "A2", "A3"]
    assert result.table.column("_line").to_pylist() == [3, 5, 9]
    assert result.blank_records == 1  # the ",,,," line


def test_ragged_records_are_reported_with_their_line(raw):
    path = raw / "staff.csv"
    path.write_text('person_id,year,unit,staff_group,citizenship\nA1,2020,SCI,other,FI\nA2,2020\n'
                    'A3,2020,SCI,other,FI,,\n', encoding="utf-8")
    result = read(path)
    assert [str(p) for p in result.record_problems] == [
        "staff.csv, line 3: has 2 fields where the header has 5 (accepted: one field per header column, delimiter ',')"]
    assert result.table.column("person_id").to_pylist() == ["A1", "A3"]  # empty trailing fields are harmless


def test_values_are_trimmed_and_blanks_become_missing(raw):
    path = write_csv(raw / "staff.csv", STAFF_HEADER, [["  A1 ", "2020", "SCI", "other", "   ", "", " 1 ", ""]])
    row = read(path).table.to_pylist()[0]
    assert row["person_id"] == "A1" and row["citizenship"] is None and row["fte"] == "1" and row["gender"] is None


def test_empty_file(raw):
    path = raw / "staff.csv"
    path.write_bytes(b"")
    assert "empty" in str(read(path).problems[0])


def test_excel_cells_become_the_text_a_csv_would_hold(raw):
    import datetime as dt
    path = write_xlsx(raw / "students.xlsx", ["Opiskelijanumero", "Vuosi", "Tutkintotaso", "Yksikkö", "Kansalaisuus",
                                              "uusi_opiskelija", "start"],
                      [["012345", 2021, "maisteri", "SCI", 246, True, dt.datetime(2021, 9, 1)],
                       [None, None, None, None, None, None, None],
                       ["S2", 2021.0, "tohtori", "SCI", "Saksa", False, dt.date(2021, 9, 1)]])
    result = read(path, STUDENTS)
    rows = result.table.to_pylist()
    assert [r["_line"] for r in rows] == [2, 4]
    assert rows[0] == {"student_id": "012345", "year": "2021", "level": "maisteri", "unit": "SCI",
                       "citizenship": "246", "new_entrant": "true", "_line": 2}
    assert rows[1]["year"] == "2021" and rows[1]["new_entrant"] == "false"
    assert result.blank_records == 1


def test_a_broken_workbook_is_a_clear_problem(raw):
    path = raw / "staff.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    assert "cannot be read as an Excel workbook" in str(read(path).problems[0])


def test_kind_comes_from_the_start_of_the_name():
    assert kind_of("Students-2021-2022.xlsx").name == "students"
    assert kind_of("STAFF_2010.csv").name == "staff"
    assert kind_of("notes.txt") is None


def test_discover_sorts_by_name_and_reports_others(raw):
    for name in ["staff_2011.csv", "staff_2010.csv", "readme.md", "mobility.csv", "~$staff_2012.xlsx"]:
        (raw / name).write_text("x")
    inventory = discover(raw)
    assert [s.path.name for s in inventory.sources] == ["mobility.csv", "staff_2010.csv", "staff_2011.csv"]
    assert inventory.ignored == ["readme.md", "~$staff_2012.xlsx"]
    assert not inventory.problems


def test_unsupported_file_type_for_a_kind(raw):
    path = raw / "staff.pdf"
    path.write_bytes(b"%PDF")
    assert "not a CSV or Excel file" in str(read(path).problems[0])
