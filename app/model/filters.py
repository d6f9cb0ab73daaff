"""The filters every page shares, in one table (`FILTERS`).

Each entry says everything about one filter: its key in a link, its widget's
label and choices, how it narrows the people and exchange tables, and how its
values read in titles, captions and exported files. Adding a filter is one
entry here and one field of `Filters`; the URL, the sidebar, the SQL and the
words follow from the table.

A URL is untrusted input: each value is checked against what the data holds;
anything else is dropped and reported by the name of the setting, never by
echoing the value.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

from app.model import definitions
from app.model.data import Options
from app.model.definitions import REGISTER
from app.model.regions import REGIONS, all_regions
from app.words import labels
from app.words.i18n import t

STAFF_GROUPS = ("professor", "teaching_research", "other")
LEVELS = ("bachelor", "master", "doctoral")
MAX_PARAM_LENGTH = 2000


@dataclass(frozen=True)
class Filters:
    years: tuple[int, int]
    units: tuple[str, ...] = ()          # empty: all units
    staff_groups: tuple[str, ...] = ()   # empty: all groups
    levels: tuple[str, ...] = ()         # empty: all levels
    countries: tuple[str, ...] = ()      # citizenships: alpha-3 codes and "region:<name>"; empty: every country
    genders: tuple[str, ...] = ()        # empty: everyone
    partner_countries: tuple[str, ...] = ()   # of exchanges and partners: alpha-3 and "region:<name>"; empty: all
    definition: str = REGISTER            # which "international" (app.model.definitions); not a filter of rows

    @property
    def first_year(self) -> int:
        return self.years[0]

    @property
    def last_year(self) -> int:
        return self.years[1]


# What a page's or chart's figures are about (present.pages.Page.about, views.Chart.about): staff and students
# together, one of them, or exchanges. A filter applies to the figures it narrows.
PEOPLE, STAFF, STUDENTS, EXCHANGES = "people", "staff", "students", "exchanges"


@dataclass(frozen=True)
class Filter:
    """One filter. How it narrows the people tables is one of three ways:
    `column` (rows outside the chosen values are left out), `groups_of` (it picks
    the groups of that population: staff groups, study levels), or `citizenship`
    (only people from the chosen countries count as international; the share's
    base stays everyone with a known citizenship); or none of them, when it is
    about exchanges only. `exchanges` names the column it narrows there."""
    field: str                                   # the attribute of Filters it sets
    url: str                                     # its key in a link
    label: Callable[[], str]                     # the widget's label (translated when asked)
    everyone: Callable[[], str]                  # what choosing nothing means, as the widget's placeholder
    choices: Callable[[Options], tuple[str, ...]]   # the values it may take in this warehouse
    name: Callable[[str], str]                   # one value in words, for titles, captions and files
    column: str | None = None
    groups_of: str | None = None
    citizenship: bool = False
    exchanges: str | None = None                 # the column of the exchange tables it narrows; None: not those
    option: Callable[[str], str] | None = None   # a value in the widget's list, when `name` is not enough
    help: Callable[[], str] | None = None
    phrase: Callable[[str, str], str] | None = None   # the chosen values' names in words (and the definition of
                                                       # international in force), when a list is not enough
    regions: bool = False                        # its choices include world regions ("region:<name>")

    def values(self, filters: Filters) -> tuple[str, ...]:
        return getattr(filters, self.field)

    def applies_to(self, about: str) -> bool:
        if about == EXCHANGES:
            return self.exchanges is not None
        if self.groups_of is not None:
            return about in (PEOPLE, self.groups_of)
        return self.column is not None or self.citizenship

    def words(self, filters: Filters) -> str:
        names = ", ".join(self.name(v) for v in self.values(filters))
        return self.phrase(names, filters.definition) if self.phrase else names


def _unit_option(code: str) -> str:
    name = labels.unit(code)
    return code if name == code else f"{code} – {name}"


def country_choices(options: Options) -> tuple[str, ...]:
    return tuple(f"region:{r}" for r in REGIONS) + options.countries


def partner_country_choices(options: Options) -> tuple[str, ...]:
    return tuple(f"region:{r}" for r in REGIONS) + options.partner_countries


def _from_countries(names: str, definition: str) -> str:
    if definition == definitions.PRIOR_EDUCATION:
        return t("international means prior education in {countries}", countries=names)
    if definition == definitions.FIRST_EMPLOYMENT:
        return t("international means citizens of {countries} at first employment", countries=names)
    return t("international means citizens of {countries}", countries=names)


# The years are a range, not a choice of values, and apply to every table alike: they are not in this table
# but in `YEARS_URL` and the functions below.
YEARS_URL = "years"
FILTERS: tuple[Filter, ...] = (
    Filter("units", "units", lambda: t("Units"), lambda: t("All units"), lambda o: o.units, labels.unit,
           column="unit", exchanges="unit", option=_unit_option),
    Filter("staff_groups", "groups", lambda: t("Staff groups"), lambda: t("All staff groups"),
           lambda o: STAFF_GROUPS, labels.staff_group, groups_of=STAFF),
    Filter("levels", "levels", lambda: t("Study levels"), lambda: t("All levels"), lambda o: LEVELS, labels.level,
           groups_of=STUDENTS),
    Filter("countries", "countries", lambda: t("Countries or regions of origin"), lambda: t("All international"),
           country_choices, labels.country_or_region, citizenship=True, regions=True,
           help=lambda: t("With countries chosen, only people from them count as international: by citizenship, "
                          "or by the country of prior education when international means prior education abroad. "
                          "Shares keep everyone whose country is known as the base."),
           phrase=lambda names, definition: _from_countries(names, definition)),
    Filter("genders", "gender", lambda: t("Gender"), lambda: t("Everyone"), lambda o: o.genders, labels.gender,
           column="coalesce(gender, 'unknown')"),
    Filter("partner_countries", "partner_countries", lambda: t("Partner countries or regions"),
           lambda: t("All partner countries"), partner_country_choices, labels.country_or_region,
           exchanges="partner_country", regions=True,
           help=lambda: t("Exchanges and partners in these countries only (the mobility, partner and network pages)."),
           phrase=lambda names, definition: t("partners in {countries}", countries=names)),
)
BY_FIELD: dict[str, Filter] = {f.field: f for f in FILTERS}
URL_KEYS = (YEARS_URL, definitions.URL, *(f.url for f in FILTERS))


def defaults(options: Options) -> Filters:
    return Filters(years=(options.years[0], options.years[-1]), definition=definitions.configured())


def in_force(filters: Filters, about: str | None = None) -> tuple[Filter, ...]:
    """The filters (besides the years) with something chosen; with `about`, those that apply to it."""
    return tuple(f for f in FILTERS if f.values(filters) and (about is None or f.applies_to(about)))


def without(filters: Filters, one: Filter) -> Filters:
    return replace(filters, **{one.field: ()})


# --- in a link ---------------------------------------------------------------

@dataclass
class Parsed:
    filters: Filters
    ignored: list[str] = field(default_factory=list)   # names of settings that held something unusable


def _values(raw: str | list[str] | None) -> list[str]:
    if raw is None:
        return []
    text = ",".join(raw) if isinstance(raw, list) else raw
    return [v.strip() for v in text.split(",") if v.strip()]


def from_query(params: Mapping[str, str | list[str]], options: Options) -> Parsed:
    base = defaults(options)
    parsed = Parsed(base)
    chosen: dict[str, tuple[str, ...]] = {}
    for one in FILTERS:
        raw = params.get(one.url)
        if raw is None:
            continue
        accepted = one.choices(options)
        values = list(dict.fromkeys(_values(raw))) if len(str(raw)) <= MAX_PARAM_LENGTH else ["\0"]
        good = tuple(dict.fromkeys(v for v in values if v in accepted))
        if len(good) != len(values):
            parsed.ignored.append(one.url)
        chosen[one.field] = good
    years = base.years
    if YEARS_URL in params:
        years = _years(params[YEARS_URL], options)
        if years is None:
            parsed.ignored.append(YEARS_URL)
            years = base.years
    definition = base.definition
    if definitions.URL in params:
        asked = params[definitions.URL]
        asked = asked[-1] if isinstance(asked, list) else asked
        if asked in definitions.KEYS:
            definition = asked
        else:
            parsed.ignored.append(definitions.URL)
    parsed.filters = Filters(years=years, definition=definition, **chosen)
    return parsed


def _years(raw: str | list[str], options: Options) -> tuple[int, int] | None:
    text = raw[-1] if isinstance(raw, list) else raw
    parts = text.split("-") if len(text) <= 9 else []
    if len(parts) == 1:
        parts = parts * 2
    if len(parts) != 2 or not all(p.isascii() and p.isdigit() for p in parts):   # not "²", which int() refuses
        return None
    first, last = int(parts[0]), int(parts[1])
    if first not in options.years or last not in options.years or first > last:
        return None
    return first, last


def to_query(filters: Filters, options: Options) -> dict[str, str]:
    """Only what differs from the defaults, so that links stay short."""
    query: dict[str, str] = {}
    base = defaults(options)
    if filters.years != base.years:
        query[YEARS_URL] = f"{filters.years[0]}-{filters.years[1]}"
    if filters.definition != base.definition:
        query[definitions.URL] = filters.definition
    for one in in_force(filters):
        query[one.url] = ",".join(one.values(filters))
    return query


# --- in words ----------------------------------------------------------------

def describe(filters: Filters, options: Options, about: str | None = None) -> str:
    """The filters in force, in words ("Filters: School of Science; international means citizens of
    Germany"); with `about`, only those that apply to figures about it (PEOPLE, STAFF, STUDENTS, EXCHANGES)."""
    parts = []
    if filters.years != defaults(options).years:
        parts.append(t("years {first}–{last}", first=filters.first_year, last=filters.last_year)
                     if filters.first_year != filters.last_year else t("year {year}", year=filters.first_year))
    for one in in_force(filters):
        if about is None or one.applies_to(about):
            parts.append(one.words(filters))
    return t("Filters: {filters}", filters="; ".join(parts)) if parts else ""


# --- in SQL ------------------------------------------------------------------

def _marks(values) -> str:
    return ", ".join("?" for _ in values)


def country_codes(values: tuple[str, ...]) -> set[str]:
    """The alpha-3 codes that country and region values stand for."""
    codes = {c for c in values if not c.startswith("region:")}
    regions = {c.split(":", 1)[1] for c in values if c.startswith("region:")}
    return codes | {code for code, region in all_regions().items() if region in regions}


def selected_partner_countries(filters: Filters) -> set[str] | None:
    """The partner countries the partner-country filter stands for; None when it is off."""
    return country_codes(filters.partner_countries) if filters.partner_countries else None


def _sql_values(one: Filter, filters: Filters) -> list[str]:
    return sorted(country_codes(one.values(filters))) if one.regions else list(one.values(filters))


def people_where(filters: Filters) -> tuple[str, list]:
    """The filters that narrow the rows of the people tables alike for every population
    (years and the `column` filters), as SQL with its parameters."""
    conditions, params = ["year BETWEEN ? AND ?"], list(filters.years)
    for one in in_force(filters):
        if one.column is not None:
            conditions.append(f"{one.column} IN ({_marks(one.values(filters))})")
            params += list(one.values(filters))
    return " AND ".join(conditions), params


def exchange_where(filters: Filters) -> tuple[str, list]:
    """The filters that narrow the exchange tables (years, and each with an `exchanges` column)."""
    conditions, params = ["year BETWEEN ? AND ?"], list(filters.years)
    for one in in_force(filters):
        if one.exchanges is not None:
            values = _sql_values(one, filters)
            conditions.append(f"{one.exchanges} IN ({_marks(values) or 'NULL'})")
            params += values
    return " AND ".join(conditions), params


def international_where(filters: Filters) -> tuple[str, list]:
    """Who counts as international: everyone with a foreign citizenship, or with a country
    filter, only people from the chosen countries."""
    codes = _sql_values(BY_FIELD["countries"], filters) if filters.countries else None
    if codes is None:
        return "is_international", []
    return f"is_international AND citizenship IN ({_marks(codes) or 'NULL'})", codes


def groups_in_scope(population: str, groups: tuple[str, ...], filters: Filters) -> tuple[str, ...]:
    """The groups of a population (`staff` or `students`) that the filters keep."""
    chosen = next((one.values(filters) for one in FILTERS if one.groups_of == population), ())
    return tuple(g for g in groups if not chosen or g in chosen)
