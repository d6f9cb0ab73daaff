"""The four export kinds of the input contract: their columns, aliases and parsers."""

from __future__ import annotations

from dataclasses import dataclass

from etl import values
from etl.countries import fold


@dataclass(frozen=True)
class Column:
    name: str
    alias: str
    required: bool = False      # the header must be present
    non_blank: bool = False     # a blank cell is an error
    parser: str | None = None   # name of a function in etl.values; None keeps the text
    identifier: bool = False    # never echoed in full, never written


@dataclass(frozen=True)
class Kind:
    name: str
    columns: tuple[Column, ...]


STAFF = Kind("staff", (
    Column("person_id", "henkilonumero", required=True, non_blank=True, identifier=True),
    Column("year", "vuosi", required=True, non_blank=True, parser="year"),
    Column("unit", "yksikko", required=True, non_blank=True),
    Column("staff_group", "henkilostoryhma", required=True, non_blank=True, parser="STAFF_GROUP"),
    Column("citizenship", "kansalaisuus", required=True, parser="citizenship"),
    Column("gender", "sukupuoli", parser="GENDER"),
    Column("fte", "htv", parser="fte"),
    Column("career_stage", "tutkijanuravaihe", parser="career_stage"),
    Column("title", "nimike"),
))

STUDENTS = Kind("students", (
    Column("student_id", "opiskelijanumero", required=True, non_blank=True, identifier=True),
    Column("year", "vuosi", required=True, non_blank=True, parser="year"),
    Column("level", "tutkintotaso", required=True, non_blank=True, parser="STUDENT_LEVEL"),
    Column("unit", "yksikko", required=True, non_blank=True),
    Column("citizenship", "kansalaisuus", required=True, parser="citizenship"),
    Column("new_entrant", "uusi_opiskelija", parser="boolean"),
    Column("gender", "sukupuoli", parser="GENDER"),
    Column("programme", "koulutusohjelma"),
))

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
))

PARTNERS = Kind("partners", (
    Column("partner_code", "partneri_koodi", required=True, non_blank=True),
    Column("partner_name", "partneri", required=True, non_blank=True),
    Column("country", "maa", required=True, non_blank=True, parser="country"),
    Column("city", "kaupunki"),
    Column("programmes", "ohjelmat", parser="text_list"),
    Column("networks", "verkostot", parser="text_list"),
    Column("valid_from", "voimassa_alkaen", parser="date"),
    Column("valid_to", "voimassa_asti", parser="date"),
))

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
