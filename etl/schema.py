"""The four export kinds of the input contract, each in one place: its columns
(aliases, parsers), the checks across values and records, the duplicate rule,
and the warehouse table it becomes (columns, types, row order)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from etl import values
from etl.countries import fold
from etl.definitions import REGISTER_SQL

MAX_STAY_DAYS = 731


@dataclass(frozen=True)
class Column:
    name: str
    alias: str
    required: bool = False      # the header must be present
    non_blank: bool = False     # a blank cell is an error
    parser: str | None = None   # name of a function in etl.values; None keeps the text
    identifier: bool = False    # never echoed in full, never written


@dataclass(frozen=True)
class KeepOne:
    """The duplicate rule: one record of each group stands for it; the others count as merged."""
    group: str   # the columns that make records duplicates
    order: str   # the first record in this order is kept


@dataclass(frozen=True)
class Out:
    """A column of the warehouse table: name and type of the contract (warehouse.md), and its SQL over the
    kept records (`pseudonym` is the record's identifier hashed, `{home}` the home country's code)."""
    name: str
    type: str
    sql: str | None = None   # None: the input column of the same name


@dataclass(frozen=True)
class Kind:
    name: str
    columns: tuple[Column, ...]
    output: tuple[Out, ...]
    order: str                                 # row order of the table (its column names): by values only, never the input's
    keep_one: KeepOne | None = None
    checks: Callable[[], list[str]] = field(default=lambda: [])   # SQL UPDATEs of `typed`: rules across values

    @property
    def identifier(self) -> Column | None:
        return next((c for c in self.columns if c.identifier), None)


def unique(column: str) -> str:
    """A check: each value once. The first record with a value is kept; later ones name where it was first seen."""
    return f"""
        UPDATE typed SET err_{column} = 'appears again (accepted: each value once; first seen in ' || first_file || ' at '
                                          || CASE WHEN first_excel THEN 'row ' ELSE 'line ' END || first_line || ')'
        FROM (
            SELECT t._file_no, t._line,
                   first_value(f._file) OVER w AS first_file, first_value(f._excel) OVER w AS first_excel,
                   first_value(t._line) OVER w AS first_line, row_number() OVER w AS nth
            FROM typed t JOIN files f USING (_file_no)
            WHERE t.{column} IS NOT NULL
            WINDOW w AS (PARTITION BY t.{column} ORDER BY t._file_no, t._line)
        ) d
        WHERE d.nth > 1 AND typed._file_no = d._file_no AND typed._line = d._line AND typed.err_{column} IS NULL
    """


# The citizenship column is read as the list of every citizenship it gives; the register rule picks the one that
# counts, and the list is kept for the definitions that look further (etl.definitions).
_REGISTER = REGISTER_SQL.format(list="citizenship", home="{home}")
_CITIZENSHIPS = (Out("citizenship", "VARCHAR", _REGISTER), Out("is_international", "BOOLEAN", f"{_REGISTER} <> '{{home}}'"))
_ALL_LISTED = Out("citizenships", "VARCHAR[]", "coalesce(citizenship, [])")

STAFF = Kind("staff", (
    Column("person_id", "henkilonumero", required=True, non_blank=True, identifier=True),
    Column("year", "vuosi", required=True, non_blank=True, parser="year"),
    Column("unit", "yksikko", required=True, non_blank=True),
    Column("staff_group", "henkilostoryhma", required=True, non_blank=True, parser="STAFF_GROUP"),
    Column("citizenship", "kansalaisuus", required=True, parser="citizenships"),
    Column("gender", "sukupuoli", parser="GENDER"),
    Column("fte", "htv", parser="fte"),
    Column("career_stage", "tutkijanuravaihe", parser="career_stage"),
    Column("title", "nimike"),
    Column("citizenship_at_hire", "kansalaisuus_tyosuhteen_alkaessa", parser="citizenship"),
), output=(
    Out("year", "INTEGER"), Out("person_key", "VARCHAR", "pseudonym"), Out("unit", "VARCHAR"),
    Out("staff_group", "VARCHAR"), Out("career_stage", "INTEGER"), *_CITIZENSHIPS,
    Out("gender", "VARCHAR"), Out("fte", "DOUBLE"),
    # Added in ETL 0.3, after the columns of 0.2.
    _ALL_LISTED, Out("citizenship_at_hire", "VARCHAR"),
    Out("international_at_hire", "BOOLEAN", "citizenship_at_hire <> '{home}'"),
),
    # Sorted by pseudonym within a year, never in the input's order: HR exports list people by number, so the
    # row order would map pseudonyms back to identifiers without the key.
    order="year, person_key",
    # A person counts once a year, in the employment with the largest fte; a blank fte loses to any given one;
    # file order breaks ties.
    keep_one=KeepOne("person_id, year", "fte DESC NULLS LAST, _file_no, _line"),
)

STUDENTS = Kind("students", (
    Column("student_id", "opiskelijanumero", required=True, non_blank=True, identifier=True),
    Column("year", "vuosi", required=True, non_blank=True, parser="year"),
    Column("level", "tutkintotaso", required=True, non_blank=True, parser="STUDENT_LEVEL"),
    Column("unit", "yksikko", required=True, non_blank=True),
    Column("citizenship", "kansalaisuus", required=True, parser="citizenships"),
    Column("new_entrant", "uusi_opiskelija", parser="boolean"),
    Column("gender", "sukupuoli", parser="GENDER"),
    Column("programme", "koulutusohjelma"),
    Column("prior_education_country", "pohjakoulutusmaa", parser="country_or_unknown"),
), output=(
    Out("year", "INTEGER"), Out("person_key", "VARCHAR", "pseudonym"), Out("unit", "VARCHAR"), Out("level", "VARCHAR"),
    *_CITIZENSHIPS, Out("new_entrant", "BOOLEAN"), Out("gender", "VARCHAR"),
    # Added in ETL 0.3.
    _ALL_LISTED, Out("prior_education_country", "VARCHAR"),
    Out("educated_abroad", "BOOLEAN", "prior_education_country <> '{home}'"),
),
    order="year, person_key, level",
    keep_one=KeepOne("student_id, year, level", "_file_no, _line"),   # once per year and level; the first record
)

MOBILITY = Kind("mobility", (
    Column("mobility_id", "liikkuvuus_id", required=True, non_blank=True, identifier=True),
    Column("direction", "suunta", required=True, non_blank=True, parser="DIRECTION"),
    Column("start_date", "alkupvm", required=True, non_blank=True, parser="date"),
    Column("end_date", "loppupvm", parser="date"),
    Column("level", "taso", required=True, non_blank=True, parser="MOBILITY_LEVEL"),
    Column("unit", "yksikko"),
    Column("partner_code", "partneri_koodi"),
    Column("partner_name", "partneri", required=True, non_blank=True),
    Column("partner_country", "partnerimaa", required=True, non_blank=True, parser="country"),
    Column("programme", "ohjelma"),
), output=(
    Out("year", "INTEGER", "year(start_date)"), Out("mobility_key", "VARCHAR", "pseudonym"),
    Out("direction", "VARCHAR"), Out("level", "VARCHAR"), Out("unit", "VARCHAR"), Out("partner_code", "VARCHAR"),
    Out("partner_name", "VARCHAR"), Out("partner_country", "VARCHAR"), Out("programme", "VARCHAR"),
    Out("start_date", "DATE"), Out("end_date", "DATE"),
),
    order="year, direction, start_date, mobility_key",
    checks=lambda: [
        f"""UPDATE typed SET err_start_date = 'the start year is outside the years accepted (accepted: {values.FIRST_YEAR} to {values.last_year()})'
            WHERE err_start_date IS NULL AND start_date IS NOT NULL
              AND year(start_date) NOT BETWEEN {values.FIRST_YEAR} AND {values.last_year()}""",
        """UPDATE typed SET err_end_date = 'ends before it starts (accepted: an end date on or after start_date)'
            WHERE err_end_date IS NULL AND end_date < start_date""",
        f"""UPDATE typed SET err_end_date = 'lasts more than two years (accepted: an end date at most {MAX_STAY_DAYS} days after start_date; '
                                         || 'leave it blank when not known)'
            WHERE err_end_date IS NULL AND datediff('day', start_date, end_date) > {MAX_STAY_DAYS}""",
        unique("mobility_id"),
    ],
)

PARTNERS = Kind("partners", (
    Column("partner_code", "partneri_koodi", required=True, non_blank=True),
    Column("partner_name", "partneri", required=True, non_blank=True),
    Column("country", "maa", required=True, non_blank=True, parser="country"),
    Column("city", "kaupunki"),
    Column("programmes", "ohjelmat", parser="text_list"),
    Column("networks", "verkostot", parser="text_list"),
    Column("valid_from", "voimassa_alkaen", parser="date"),
    Column("valid_to", "voimassa_asti", parser="date"),
), output=(
    Out("partner_code", "VARCHAR"), Out("partner_name", "VARCHAR"), Out("country", "VARCHAR"), Out("city", "VARCHAR"),
    Out("programmes", "VARCHAR[]"), Out("networks", "VARCHAR[]"), Out("valid_from", "DATE"), Out("valid_to", "DATE"),
),
    order="partner_code",
    checks=lambda: [
        """UPDATE typed SET err_valid_to = 'ends before it starts (accepted: valid_to on or after valid_from)'
            WHERE err_valid_to IS NULL AND valid_to < valid_from""",
        unique("partner_code"),
    ],
)

KINDS: tuple[Kind, ...] = (STAFF, STUDENTS, MOBILITY, PARTNERS)


def kind_of(filename: str) -> Kind | None:
    """A file's kind from the start of its name, case-insensitive."""
    lowered = filename.lower()
    return next((k for k in KINDS if lowered.startswith(k.name)), None)


def header_key(header: str) -> str:
    """Headers match ignoring case, accents, surrounding spaces; inner spaces
    and hyphens count as underscores so `Person ID` finds `person_id`."""
    return "_".join(fold(header).replace("-", " ").split())


def header_map(kind: Kind) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for column in kind.columns:
        mapping[header_key(column.name)] = column.name
        mapping[header_key(column.alias)] = column.name
    return mapping


def parser_for(column: Column, home: str) -> values.Parser | None:
    if column.parser is None:
        return None
    if column.parser == "citizenship":
        return values.citizenship_for(home)
    return getattr(values, column.parser)
