"""Which "international": the definitions a reader can choose, in words, and the configured default.

How each is computed from the records is the ETL's (etl/definitions.py); this module says what each means,
what its figures are shares of, which populations it applies to, and why it is unavailable where it is.
"""

from __future__ import annotations

import os

from app.words.i18n import t, tc, tn
from etl.config import load_config
from etl.definitions import ANY_FOREIGN, DEFINITIONS, FIRST_EMPLOYMENT, PRIOR_EDUCATION, REGISTER, Definition

KEYS: tuple[str, ...] = tuple(DEFINITIONS)
URL = "definition"


def configured() -> str:
    """The default definition: DEFINITION, else config.toml [data] definition, else the register's.
    Raises ValueError naming the accepted values when the setting is not one of them."""
    value = os.environ.get("DEFINITION") or load_config().get("data", {}).get("definition") or REGISTER
    chosen = value.strip().lower() if isinstance(value, str) else value   # as typed: " Register"
    if not isinstance(chosen, str) or chosen not in DEFINITIONS:
        raise ValueError(f"definition {value!r} is not one of: {', '.join(KEYS)}")
    return chosen


def name(key: str) -> str:
    """As chosen in the sidebar and named under every chart: 'register citizenship'."""
    # Its own context: the name is short enough for the sidebar, the basis (below) may say more.
    return {
        REGISTER: tc("definition", "register citizenship"),
        ANY_FOREIGN: tc("definition", "any foreign citizenship"),
        FIRST_EMPLOYMENT: tc("definition", "citizenship at first employment"),
        PRIOR_EDUCATION: tc("definition", "prior education abroad"),
    }[key]


def basis(key: str) -> str:
    """What must be known for a person to count in a share's base, as the subject of 'whose … is known'."""
    return {
        REGISTER: t("citizenship"),
        ANY_FOREIGN: t("citizenship"),
        FIRST_EMPLOYMENT: t("citizenship at first employment"),
        PRIOR_EDUCATION: t("country of prior education"),
    }[key]


def country_noun(key: str) -> str:
    """What the country of a person is under the definition, as a heading: 'Citizenship'."""
    return {
        REGISTER: t("Citizenship"),
        ANY_FOREIGN: t("Citizenship"),
        FIRST_EMPLOYMENT: t("Citizenship at first employment"),
        PRIOR_EDUCATION: t("Country of prior education"),
    }[key]


def country_heading(key: str) -> str:
    """The heading of a column of countries: 'Country of citizenship'."""
    return t("Country of citizenship") if key in (REGISTER, ANY_FOREIGN) else country_noun(key)


def explanation(key: str, home: str) -> str:
    """Who counts as international under the definition, in one or two sentences (`home`: the country's name)."""
    return {
        REGISTER: t("International: a citizenship other than that of {home}, as the population register records it "
                    "(national statistics' definition). A citizen of {home} who has another citizenship too counts as "
                    "a citizen of {home}.", home=home),
        ANY_FOREIGN: t("International: any citizenship other than that of {home} among those the record lists. A dual "
                       "citizen of {home} and another country counts as international, under the first foreign "
                       "citizenship listed.", home=home),
        FIRST_EMPLOYMENT: t("International: a citizenship other than that of {home} when the person was first employed "
                            "here (staff only; close to QS's definition). Staff who have since become citizens of "
                            "{home} stay international.", home=home),
        PRIOR_EDUCATION: t("International: the qualification that gave admission was taken outside {home} (degree "
                           "students only; OECD and UNESCO's internationally mobile students). Citizenship does not "
                           "matter.", home=home),
    }[key]


def line(key: str) -> str:
    """The line under a chart's subtitle that names its definition."""
    return t("International by {definition}", definition=name(key))


def share_base(key: str) -> str:
    """What a share is of: 'share of people whose citizenship is known'."""
    return t("share of people whose {basis} is known", basis=basis(key))


def not_applicable(key: str, population: str, advice: bool = True) -> str | None:
    """Why the definition cannot be applied to staff or students at all (None: it can); with `advice`, what the
    reader can do about it."""
    if population in DEFINITIONS[key].populations:
        return None
    if not advice:
        return t("Recorded for staff only.") if key == FIRST_EMPLOYMENT else t("Recorded for degree students only.")
    if key == FIRST_EMPLOYMENT:
        return t("Citizenship at first employment is recorded for staff only; choose another definition in the "
                 "sidebar to see students.")
    return t("Prior education is recorded for degree students only; choose another definition in the sidebar to see "
             "staff.")


def not_recorded(key: str, population: str) -> str:
    """Why a definition that applies has no figures: the exports do not give its column."""
    column = DEFINITIONS[key].needs.get(population, "citizenship")
    exports = t("HR exports") if population == "staff" else t("student registry exports")
    return t("The {exports} give no {column} column, so nobody can be counted by {definition}; see docs/inputs.md "
             "to add it.", exports=exports, column=column, definition=name(key))


def why_not(coverage, key: str, population: str, advice: bool = True) -> str | None:
    """Why the definition counts nobody of the population ("staff" or "students"); None when it counts someone.
    `coverage`: the warehouse's (data.Coverage); `advice`: as for not_applicable."""
    if (reason := not_applicable(key, population, advice)) is not None:
        return reason
    if coverage.applies(key, population):
        return None
    if coverage.outdated is not None:
        return t("The warehouse was built by an older ETL ({version}), which kept only register citizenship; rebuild "
                 "it (python -m etl build) to count by {definition}.", version=coverage.outdated,
                 definition=name(key))
    return not_recorded(key, population)


def by_country(key: str, subject: str) -> str:
    """'Professors by citizenship', 'Degree students by country of prior education'."""
    return {
        REGISTER: t("{subject} by citizenship", subject=subject),
        ANY_FOREIGN: t("{subject} by citizenship", subject=subject),
        FIRST_EMPLOYMENT: t("{subject} by citizenship at first employment", subject=subject),
        PRIOR_EDUCATION: t("{subject} by country of prior education", subject=subject),
    }[key]


def top_countries(key: str, n: int) -> str:
    """The title of the top list: 'Top 5 citizenships'."""
    if key == PRIOR_EDUCATION:
        return tn("Top country of prior education", "Top {n} countries of prior education", n) if n else \
            t("Top countries of prior education")
    return tn("Top citizenship", "Top {n} citizenships", n) if n else t("Top citizenships")


def from_country(key: str, country: str) -> str:
    """The title of one country's chart: 'Citizens of Germany'."""
    return {
        REGISTER: t("Citizens of {country}", country=country),
        ANY_FOREIGN: t("Citizens of {country}", country=country),
        FIRST_EMPLOYMENT: t("Citizens of {country} at first employment", country=country),
        PRIOR_EDUCATION: t("Prior education in {country}", country=country),
    }[key]


ALL = "*"   # a chart that compares every definition (Chart.definition)


def change(key: str, before: str, after: str, home: str) -> str:
    """Why someone counted `before` (home, international, unknown) by the register's definition counts `after` by
    definition `key`: 'dual citizens of Finland and another country'."""
    reasons = {
        (ANY_FOREIGN, "home", "international"): t("dual citizens of {home} and another country", home=home),
        (FIRST_EMPLOYMENT, "home", "international"): t("citizens of {home} now who were foreign citizens when first "
                                                       "employed (naturalised)", home=home),
        (FIRST_EMPLOYMENT, "international", "home"): t("foreign citizens now who were citizens of {home} when first "
                                                       "employed", home=home),
        (PRIOR_EDUCATION, "home", "international"): t("citizens of {home} with prior education abroad", home=home),
        (PRIOR_EDUCATION, "international", "home"): t("foreign citizens with prior education in {home}", home=home),
    }
    if (key, before, after) in reasons:
        return reasons[(key, before, after)]
    if after == "unknown":
        return t("{basis} not known", basis=basis(key))
    if before == "unknown":
        return t("citizenship unknown in the register; {basis} known", basis=basis(key))
    return t("other changes")
