"""The definitions of "international" the warehouse supports, each applied to the same people.

For every definition the aggregate `agg_people` holds the country a person counts under (`<key>_country`)
and whether that makes them international (`<key>_international`); the register definition keeps its
original names (`citizenship`, `is_international`). A definition reads an optional input column or none;
people whose record does not give it are unknown under it (never guessed from another column).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Definition:
    key: str
    populations: tuple[str, ...]   # the person-level tables it applies to: "staff", "students"
    needs: dict[str, str]          # per table, the input column it reads beyond the citizenships
    country_sql: str               # over a person-level table: the country that counts ({home}: home's code)

    @property
    def country(self) -> str:
        """Its column of agg_people: the country a person counts under (NULL: unknown)."""
        return "citizenship" if self.key == REGISTER else f"{self.key}_country"

    @property
    def international(self) -> str:
        """Its column of agg_people: international (TRUE), home (FALSE), unknown (NULL)."""
        return "is_international" if self.key == REGISTER else f"{self.key}_international"


REGISTER, ANY_FOREIGN, FIRST_EMPLOYMENT, PRIOR_EDUCATION = "register", "any_foreign", "first_employment", "prior_education"

# The register rule (Statistics Finland's): the home country when listed, else the first known citizenship.
REGISTER_SQL = "CASE WHEN list_contains({list}, '{home}') THEN '{home}' ELSE {list}[1] END"

DEFINITIONS: dict[str, Definition] = {d.key: d for d in (
    Definition(REGISTER, ("staff", "students"), {}, "citizenship"),
    # Any foreign citizenship listed makes a person international (a dual citizen of the home country too); the
    # country is the first foreign one listed.
    Definition(ANY_FOREIGN, ("staff", "students"), {},
               "coalesce(list_filter(citizenships, lambda c: c <> '{home}')[1], "
               "CASE WHEN list_contains(citizenships, '{home}') THEN '{home}' END)"),
    Definition(FIRST_EMPLOYMENT, ("staff",), {"staff": "citizenship_at_hire"}, "citizenship_at_hire"),
    Definition(PRIOR_EDUCATION, ("students",), {"students": "prior_education_country"}, "prior_education_country"),
)}


def agg_columns(table: str, home: str) -> str:
    """The SELECT list of every definition's two agg_people columns over one person-level table
    (NULL for a definition that does not apply to it), beside the register's own columns."""
    parts = []
    for definition in DEFINITIONS.values():
        if definition.key == REGISTER:
            continue
        if table in definition.populations:
            country = f"({definition.country_sql.format(home=home)})"
            international = f"{country} <> '{home}'"
        else:
            country, international = "CAST(NULL AS VARCHAR)", "CAST(NULL AS BOOLEAN)"
        parts.append(f"{country} AS {definition.country}, {international} AS {definition.international}")
    return ", ".join(parts)


DEFINITION_COLUMNS = tuple(c for d in DEFINITIONS.values() if d.key != REGISTER for c in (d.country, d.international))
