"""Parsers for single raw values: each takes the trimmed text of a cell and
returns the clean value, or raises ValueError whose text says what is accepted.

They run once per distinct value (see records.py), so they may be plain Python.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from etl.countries import CountryError, citizenship, citizenship_list, fold, parse_country

Parser = Callable[[str], object]

FIRST_YEAR = 1990


def last_year() -> int:
    return dt.date.today().year + 1


def vocabulary(canonical: dict[str, str]) -> Parser:
    """A parser for a closed vocabulary; keys are compared folded."""
    folded = {fold(k): v for k, v in canonical.items()}
    accepted = ", ".join(dict.fromkeys(canonical))

    def parse(text: str) -> str:
        try:
            return folded[fold(text)]
        except KeyError:
            raise ValueError(f"not a recognised value (accepted: {accepted})") from None

    return parse


STAFF_GROUP = vocabulary({
    "professor": "professor", "teaching_research": "teaching_research", "other": "other",
    "professori": "professor",
    "muu opetus- ja tutkimushenkilöstö": "teaching_research",
    "muu henkilöstö": "other",
})
STUDENT_LEVEL = vocabulary({
    "bachelor": "bachelor", "master": "master", "doctoral": "doctoral",
    "kandidaatti": "bachelor", "maisteri": "master", "tohtori": "doctoral",
})
MOBILITY_LEVEL = vocabulary({
    "bachelor": "bachelor", "master": "master", "doctoral": "doctoral", "staff": "staff",
    "kandidaatti": "bachelor", "maisteri": "master", "tohtori": "doctoral", "henkilöstö": "staff",
})
GENDER = vocabulary({
    "female": "female", "male": "male", "other": "other",
    "nainen": "female", "mies": "male", "muu": "other",
})
DIRECTION = vocabulary({
    "incoming": "incoming", "outgoing": "outgoing", "saapuva": "incoming", "lähtevä": "outgoing",
})
_BOOLEAN = vocabulary({
    "true": "true", "false": "false", "1": "true", "0": "false", "yes": "true", "no": "false",
    "kyllä": "true", "ei": "false",
})


def boolean(text: str) -> bool:
    return _BOOLEAN(text) == "true"


_INTEGER = re.compile(r"^[+]?\d+(?:\.0+)?$")  # Excel hands integers over as 2010.0


def year(text: str) -> int:
    top = last_year()
    if not _INTEGER.match(text) or not FIRST_YEAR <= int(float(text)) <= top:
        raise ValueError(f"not a year (accepted: {FIRST_YEAR} to {top})")
    return int(float(text))


def career_stage(text: str) -> int:
    if not _INTEGER.match(text) or not 1 <= int(float(text)) <= 4:
        raise ValueError("not a career stage (accepted: 1, 2, 3 or 4)")
    return int(float(text))


_NUMBER = re.compile(r"^[+]?(\d+([.,]\d*)?|[.,]\d+)$")


def fte(text: str) -> float:
    if not _NUMBER.match(text) or not 0 < float(text.replace(",", ".")) <= 1:
        raise ValueError("not a full-time equivalent (accepted: a number greater than 0 and at most 1, e.g. 0.5 or 0,5)")
    return float(text.replace(",", "."))


_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")
_FINNISH_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")


FIRST_DATE_YEAR, LAST_DATE_YEAR = 1900, 2100   # 0001-01-01 or 9999-12-31 are placeholders, not dates


def date(text: str) -> dt.date:
    match = _ISO_DATE.match(text)
    parts = match.groups() if match else None
    if parts is None and (match := _FINNISH_DATE.match(text)):
        parts = (match[3], match[2], match[1])
    try:
        if parts is None:
            raise ValueError
        value = dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        raise ValueError("not a date (accepted: 2022-09-01 or 1.9.2022)") from None
    if not FIRST_DATE_YEAR <= value.year <= LAST_DATE_YEAR:
        raise ValueError(f"not a plausible date (accepted: years {FIRST_DATE_YEAR} to {LAST_DATE_YEAR}; leave the "
                         "cell blank when there is no date)")
    return value


def country(text: str) -> str:
    """A single country that must be known (mobility and partner countries)."""
    try:
        code = parse_country(text)
    except CountryError as error:
        raise ValueError(f"{error} (accepted: ISO 3166 code or country name in English, Finnish or Swedish)") from None
    if code is None:
        raise ValueError("unknown country is not allowed here (accepted: ISO 3166 code or country name)")
    return code


_CITIZENSHIP_FORMS = ("ISO 3166 code or country name in English, Finnish or Swedish, several separated by ; or |, "
                      "or blank/unknown/tuntematon/okänd/XX/999")


def citizenship_for(home: str) -> Parser:
    """The one citizenship that counts (the home country first), for a column the rule applies to."""
    def parse(text: str) -> str | None:
        try:
            return citizenship(text, home)
        except CountryError as error:
            raise ValueError(f"{error} (accepted: {_CITIZENSHIP_FORMS})") from None
    return parse


def citizenships(text: str) -> list[str]:
    """Every known citizenship listed, in the record's order (the warehouse applies the rule to them)."""
    try:
        return citizenship_list(text)
    except CountryError as error:
        raise ValueError(f"{error} (accepted: {_CITIZENSHIP_FORMS})") from None


def country_or_unknown(text: str) -> str | None:
    """A single country that may be unknown (the country of prior education): a place, so not "stateless"."""
    accepted = "ISO 3166 code or country name in English, Finnish or Swedish, or blank/unknown/tuntematon/okänd/XX/999"
    try:
        code = parse_country(text)
    except CountryError as error:
        raise ValueError(f"{error} (accepted: {accepted})") from None
    if code == "XXA":
        raise ValueError(f"stateless is a citizenship, not a country where a qualification is taken (accepted: "
                         f"{accepted})")
    return code


def text_list(text: str) -> list[str]:
    return [item.strip() for item in text.split(";") if item.strip()]


def year_list(years: list[int]) -> str:
    """Sorted years in words, runs joined: '2010–2016, 2019'."""
    runs: list[list[int]] = []
    for year in years:
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return ", ".join(f"{r[0]}–{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)
