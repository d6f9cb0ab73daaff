"""The filters every page shares, and their form in the URL.

A URL is untrusted input: each value is checked against what the data holds;
anything else is dropped and reported by the name of the setting, never by
echoing the value.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from app.data import Options
from app.regions import REGIONS

STAFF_GROUPS = ("professor", "teaching_research", "other")
LEVELS = ("bachelor", "master", "doctoral")
MAX_PARAM_LENGTH = 2000
URL_KEYS = ("years", "units", "groups", "levels", "countries", "gender")


@dataclass(frozen=True)
class Filters:
    years: tuple[int, int]
    units: tuple[str, ...] = ()          # empty: all units
    staff_groups: tuple[str, ...] = ()   # empty: all groups
    levels: tuple[str, ...] = ()         # empty: all levels
    countries: tuple[str, ...] = ()      # alpha-3 codes and "region:<name>"; empty: every country
    genders: tuple[str, ...] = ()        # empty: everyone

    @property
    def first_year(self) -> int:
        return self.years[0]

    @property
    def last_year(self) -> int:
        return self.years[1]


def defaults(options: Options) -> Filters:
    return Filters(years=(options.years[0], options.years[-1]))


def country_choices(options: Options) -> tuple[str, ...]:
    return tuple(f"region:{r}" for r in REGIONS) + options.countries


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
    allowed = {"units": options.units, "groups": STAFF_GROUPS, "levels": LEVELS,
               "countries": country_choices(options), "gender": options.genders}
    chosen: dict[str, tuple[str, ...]] = {}
    for name, accepted in allowed.items():
        raw = params.get(name)
        if raw is None:
            continue
        values = _values(raw) if len(str(raw)) <= MAX_PARAM_LENGTH else ["\0"]
        good = tuple(dict.fromkeys(v for v in values if v in accepted))
        if len(good) != len(values):
            parsed.ignored.append(name)
        chosen[name] = good
    years = base.years
    if "years" in params:
        years = _years(params["years"], options)
        if years is None:
            parsed.ignored.append("years")
            years = base.years
    parsed.filters = Filters(years=years, units=chosen.get("units", ()), staff_groups=chosen.get("groups", ()),
                             levels=chosen.get("levels", ()), countries=chosen.get("countries", ()),
                             genders=chosen.get("gender", ()))
    return parsed


def _years(raw: str | list[str], options: Options) -> tuple[int, int] | None:
    text = raw[-1] if isinstance(raw, list) else raw
    parts = text.split("-") if len(text) <= 9 else []
    if len(parts) == 1:
        parts = parts * 2
    if len(parts) != 2 or not all(p.isdigit() for p in parts):
        return None
    first, last = int(parts[0]), int(parts[1])
    if first not in options.years or last not in options.years or first > last:
        return None
    return first, last


def to_query(filters: Filters, options: Options) -> dict[str, str]:
    """Only what differs from the defaults, so that links stay short."""
    query: dict[str, str] = {}
    if filters.years != defaults(options).years:
        query["years"] = f"{filters.years[0]}-{filters.years[1]}"
    for name, value in (("units", filters.units), ("groups", filters.staff_groups), ("levels", filters.levels),
                        ("countries", filters.countries), ("gender", filters.genders)):
        if value:
            query[name] = ",".join(value)
    return query
