import datetime as dt

import pytest

from etl import values


@pytest.mark.parametrize("text, expected", [
    ("professor", "professor"), ("Professori", "professor"), ("teaching_research", "teaching_research"),
    ("Muu opetus- ja tutkimushenkilöstö", "teaching_research"), ("muu opetus- ja tutkimushenkilosto", "teaching_research"),
    ("other", "other"), ("MUU HENKILÖSTÖ", "other"),
])
def test_staff_groups(text, expected):
    assert values.STAFF_GROUP(text) == expected


@pytest.mark.parametrize("parser, text, expected", [
    (values.STUDENT_LEVEL, "Kandidaatti", "bachelor"), (values.STUDENT_LEVEL, "maisteri", "master"),
    (values.STUDENT_LEVEL, "TOHTORI", "doctoral"), (values.STUDENT_LEVEL, "master", "master"),
    (values.MOBILITY_LEVEL, "henkilöstö", "staff"), (values.MOBILITY_LEVEL, "staff", "staff"),
    (values.GENDER, "Nainen", "female"), (values.GENDER, "mies", "male"), (values.GENDER, "other", "other"),
    (values.DIRECTION, "saapuva", "incoming"), (values.DIRECTION, "Lähtevä", "outgoing"),
    (values.DIRECTION, "outgoing", "outgoing"),
])
def test_vocabularies(parser, text, expected):
    assert parser(text) == expected


@pytest.mark.parametrize("parser, text", [
    (values.STAFF_GROUP, "professors"), (values.STUDENT_LEVEL, "licentiate"), (values.GENDER, "f"),
    (values.DIRECTION, "in"), (values.MOBILITY_LEVEL, "postdoc"),
])
def test_vocabularies_refuse_and_list_what_is_accepted(parser, text):
    with pytest.raises(ValueError, match=r"accepted: "):
        parser(text)


@pytest.mark.parametrize("text, expected", [("true", True), ("1", True), ("Yes", True), ("kyllä", True),
                                            ("KYLLA", True), ("false", False), ("0", False), ("no", False),
                                            ("ei", False)])
def test_booleans(text, expected):
    assert values.boolean(text) is expected


def test_boolean_refuses_other_words():
    with pytest.raises(ValueError, match="accepted"):
        values.boolean("maybe")


def test_years_run_from_1990_to_next_calendar_year():
    next_year = dt.date.today().year + 1
    assert values.year("1990") == 1990
    assert values.year(str(next_year)) == next_year
    assert values.year("2010.0") == 2010  # Excel
    for bad in ("1989", str(next_year + 1), "20x0", "2010.5", "-2010"):
        with pytest.raises(ValueError, match="1990"):
            values.year(bad)


@pytest.mark.parametrize("text, expected", [("1", 1.0), ("0.5", 0.5), ("0,5", 0.5), (",8", 0.8), ("1.0", 1.0)])
def test_fte_accepts_both_decimal_marks(text, expected):
    assert values.fte(text) == expected


@pytest.mark.parametrize("text", ["0", "1.01", "-0.5", "half", "1e-1", "0,5,5"])
def test_fte_must_be_above_zero_and_at_most_one(text):
    with pytest.raises(ValueError, match="greater than 0 and at most 1"):
        values.fte(text)


def test_career_stage():
    assert values.career_stage("3") == 3
    assert values.career_stage("4.0") == 4
    for bad in ("0", "5", "II", "2.5"):
        with pytest.raises(ValueError):
            values.career_stage(bad)


@pytest.mark.parametrize("text, expected", [
    ("2022-09-01", dt.date(2022, 9, 1)), ("1.9.2022", dt.date(2022, 9, 1)), ("01.09.2022", dt.date(2022, 9, 1)),
    ("2022-09-01 00:00:00", dt.date(2022, 9, 1)),
])
def test_dates(text, expected):
    assert values.date(text) == expected


@pytest.mark.parametrize("text", ["2022-02-30", "9/1/2022", "31.13.2022", "yesterday"])
def test_bad_dates(text):
    with pytest.raises(ValueError, match="2022-09-01 or 1.9.2022"):
        values.date(text)


def test_a_mobility_country_must_be_known():
    assert values.country("Saksa") == "DEU"
    with pytest.raises(ValueError, match="unknown country is not allowed"):
        values.country("tuntematon")
    with pytest.raises(ValueError, match="not a country"):
        values.country("Narnia")


def test_text_lists():
    assert values.text_list("Erasmus+; bilateral ;") == ["Erasmus+", "bilateral"]
