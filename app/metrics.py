"""Every figure the dashboard shows, defined once.

Functions read the aggregate tables, count, and pass every count through
`disclosure.protect` before anything leaves this module; shares are computed
from the protected counts. Pages, tests and exports all use these.

Definitions (as on the methodology page):
- international: a known citizenship that is not the home country's (after the
  citizenship rule of the ETL); with a country filter, only the selected
  countries and regions count as international;
- share of international = international / people with a known citizenship;
  unknown citizenship is counted and shown, but is in neither part of a share;
- headcount on the statistical reference date (31 December for staff, the
  academic year for students); a student at two levels counts at each level.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from app import disclosure
from app.data import Warehouse
from app.filters import LEVELS, STAFF_GROUPS, Filters
from app.regions import region_of

COUNTS = ["international", "known", "unknown", "total"]


@dataclass(frozen=True)
class Population:
    key: str
    population: str            # "staff" or "students"
    groups: tuple[str, ...]    # staff groups or study levels it spans
    new_entrants_only: bool = False


POPULATIONS: dict[str, Population] = {p.key: p for p in (
    Population("professors", "staff", ("professor",)),
    Population("teaching_research", "staff", ("professor", "teaching_research")),
    Population("other_teaching_research", "staff", ("teaching_research",)),
    Population("other_staff", "staff", ("other",)),
    Population("all_staff", "staff", STAFF_GROUPS),
    Population("degree_students", "students", LEVELS),
    Population("bachelor", "students", ("bachelor",)),
    Population("master", "students", ("master",)),
    Population("doctoral", "students", ("doctoral",)),
    Population("new_students", "students", LEVELS, new_entrants_only=True),
)}
HEADLINE = ("professors", "teaching_research", "all_staff", "degree_students", "doctoral")
STAFF_BREAKDOWN = ("professors", "other_teaching_research", "other_staff")
STUDENT_BREAKDOWN = ("bachelor", "master", "doctoral")


def groups_in_scope(population: Population, filters: Filters) -> tuple[str, ...]:
    chosen = filters.staff_groups if population.population == "staff" else filters.levels
    return tuple(g for g in population.groups if not chosen or g in chosen)


def selected_countries(filters: Filters) -> set[str] | None:
    """The alpha-3 codes the country filter stands for; None when it is off."""
    if not filters.countries:
        return None
    codes = {c for c in filters.countries if not c.startswith("region:")}
    regions = {c.split(":", 1)[1] for c in filters.countries if c.startswith("region:")}
    return codes | _codes_in_regions(regions)


def _codes_in_regions(regions: set[str]) -> set[str]:
    from app.regions import all_regions
    return {code for code, region in all_regions().items() if region in regions}


def _scope(wh: Warehouse, population: Population, filters: Filters) -> tuple[str, list]:
    groups = groups_in_scope(population, filters)
    conditions = ["population = ?", "year BETWEEN ? AND ?", f'"group" IN ({_marks(groups) or "NULL"})']
    params: list = [population.population, *filters.years, *groups]
    if filters.units:
        conditions.append(f"unit IN ({_marks(filters.units)})")
        params += list(filters.units)
    if filters.genders:
        conditions.append(f"coalesce(gender, 'unknown') IN ({_marks(filters.genders)})")
        params += list(filters.genders)
    if population.new_entrants_only:
        conditions.append("new_entrant")
    return " AND ".join(conditions), params


def _marks(values) -> str:
    return ", ".join("?" for _ in values)


def _international(filters: Filters) -> tuple[str, list]:
    codes = selected_countries(filters)
    if codes is None:
        return "is_international", []
    return f"is_international AND citizenship IN ({_marks(codes) or 'NULL'})", sorted(codes)


def _raw_counts(wh: Warehouse, population: Population, filters: Filters, by: list[str]) -> pd.DataFrame:
    where, params = _scope(wh, population, filters)
    international, intl_params = _international(filters)
    keys = ", ".join(f'"{b}"' for b in by)
    sql = f"""
        SELECT {keys + ',' if by else ''}
               coalesce(sum(headcount) FILTER ({international}), 0) AS international,
               coalesce(sum(headcount) FILTER (citizenship IS NOT NULL), 0) AS known,
               coalesce(sum(headcount) FILTER (citizenship IS NULL), 0) AS unknown,
               coalesce(sum(headcount), 0) AS total
        FROM agg_people WHERE {where}
        {'GROUP BY ' + keys if by else ''} {'ORDER BY ' + keys if by else ''}"""
    return wh.query(sql, intl_params + params)


FILTER_DIMENSIONS = ("units", "genders", "staff_groups", "levels", "countries")


def _protected_counts(wh: Warehouse, population: Population, filters: Filters, by: list[str],
                      rule: disclosure.Rule, index: pd.DataFrame | None = None) -> pd.DataFrame:
    """Counts of one population, protected, with the differencing attack closed
    for every filter in force (see `disclosure.complement`)."""
    def counts(f: Filters) -> pd.DataFrame:
        frame = _raw_counts(wh, population, f, by)
        if index is not None:
            frame = index.merge(frame, on=by, how="left").fillna({c: 0 for c in COUNTS})
        return frame

    raw = counts(filters)
    protected = disclosure.protect(raw, COUNTS, rule)
    for dimension in FILTER_DIMENSIONS:
        if getattr(filters, dimension):
            whole = counts(replace(filters, **{dimension: ()}))
            whole = raw[by].merge(whole, on=by, how="left").fillna({c: 0 for c in COUNTS})
            for column in COUNTS:
                protected = disclosure.complement(protected, raw, whole, column, rule)
    if rule.name == "threshold":
        # known + unknown = total: a lone hidden unknown would follow from the other two.
        lone = protected["unknown"].isna() & protected["known"].notna()
        protected.loc[lone, ["total", "total_low", "total_high", "total_label"]] = [float("nan"), 0, 0, "…"]
    return protected


def _with_shares(protected: pd.DataFrame, rule: disclosure.Rule) -> pd.DataFrame:
    shares = disclosure.share(protected["international"], protected["known"], rule,
                              protected["international_low"], protected["international_high"])
    return pd.concat([protected, shares], axis=1)


def share_trend(wh: Warehouse, filters: Filters, keys: tuple[str, ...], rule: disclosure.Rule) -> pd.DataFrame:
    """Per population and year: protected counts and the international share."""
    frames = []
    years = pd.DataFrame({"year": range(filters.first_year, filters.last_year + 1)})
    for key in keys:
        counts = _protected_counts(wh, POPULATIONS[key], filters, ["year"], rule, index=years)
        if counts["total_high"].sum() == 0:
            continue
        counts.insert(0, "population", key)
        frames.append(counts)
    if not frames:
        return pd.DataFrame(columns=["population", "year", *COUNTS, "total_high", "share"])
    return _with_shares(pd.concat(frames, ignore_index=True), rule)


@dataclass(frozen=True)
class Headline:
    population: str
    year: int
    share: float | None
    international_label: str
    known_label: str
    previous_year: int | None
    previous_share: float | None
    first_year: int | None
    first_share: float | None


def headlines_from(trend: pd.DataFrame) -> list[Headline]:
    """The latest year's share of each headline population, and where it was the
    year before and in the first year shown, from their `share_trend`."""
    cards = []
    for key in HEADLINE:
        rows = trend[(trend["population"] == key) & (trend["total_high"] > 0)].sort_values("year")
        if rows.empty:
            continue
        last, first = rows.iloc[-1], rows.iloc[0]
        previous = rows[rows["year"] == last["year"] - 1]
        cards.append(Headline(
            key, int(last["year"]), _value(last["share"]), last["international_label"], last["known_label"],
            int(previous.iloc[0]["year"]) if not previous.empty else None,
            _value(previous.iloc[0]["share"]) if not previous.empty else None,
            int(first["year"]) if first["year"] != last["year"] else None,
            _value(first["share"]) if first["year"] != last["year"] else None))
    return cards


def _value(x: float) -> float | None:
    return None if pd.isna(x) else float(x)


def composition(wh: Warehouse, filters: Filters, key: str, rule: disclosure.Rule) -> pd.DataFrame:
    """Per year: people by home country / international / unknown (with a
    country filter, international people from elsewhere are shown apart)."""
    population = POPULATIONS[key]
    where, params = _scope(wh, population, filters)
    international, intl_params = _international(filters)
    frame = wh.query(f"""
        SELECT year,
               coalesce(sum(headcount) FILTER (NOT is_international), 0) AS home,
               coalesce(sum(headcount) FILTER ({international}), 0) AS international,
               coalesce(sum(headcount) FILTER (is_international AND NOT ({international})), 0) AS other_international,
               coalesce(sum(headcount) FILTER (citizenship IS NULL), 0) AS unknown
        FROM agg_people WHERE {where} GROUP BY year ORDER BY year""", intl_params + params)
    if frame.empty or frame[["home", "international", "other_international", "unknown"]].to_numpy().sum() == 0:
        return pd.DataFrame(columns=["year", "category", "headcount"])
    long = frame.melt(id_vars="year", var_name="category", value_name="headcount")
    if selected_countries(filters) is None:
        long = long[long["category"] != "other_international"]
    long = long.sort_values(["year", "category"], ignore_index=True)
    return disclosure.secondary(disclosure.protect(long, ["headcount"], rule), "headcount", ["year"], rule)


def shares_by(wh: Warehouse, filters: Filters, key: str, dimension: str, year: int,
              rule: disclosure.Rule) -> pd.DataFrame:
    """One year's share by unit, career stage or group/level."""
    year_filters = Filters(**{**filters.__dict__, "years": (year, year)})
    column = {"unit": "unit", "career_stage": "career_stage", "group": "group"}[dimension]
    counts = _protected_counts(wh, POPULATIONS[key], year_filters, [column], rule)
    counts = counts[counts[column].notna() & (counts["total_high"] > 0)]
    if counts.empty:
        return pd.DataFrame(columns=[column, *COUNTS, "share"])
    return _with_shares(counts.reset_index(drop=True), rule)


def country_counts(wh: Warehouse, filters: Filters, key: str, year: int, rule: disclosure.Rule) -> pd.DataFrame:
    """International people in one year by citizenship, largest first, with
    each country's region and its part of all international people."""
    population = POPULATIONS[key]
    year_filters = Filters(**{**filters.__dict__, "years": (year, year)})
    where, params = _scope(wh, population, year_filters)
    international, intl_params = _international(filters)
    frame = wh.query(f"""
        SELECT citizenship, sum(headcount) AS headcount FROM agg_people
        WHERE {where} AND {international} GROUP BY citizenship""", params + intl_params)
    if frame.empty:
        return pd.DataFrame(columns=["citizenship", "region", "headcount", "share"])
    frame["region"] = frame["citizenship"].map(region_of)
    total = int(frame["headcount"].sum())
    protected = disclosure.protect(frame.assign(all_international=total), ["headcount", "all_international"], rule)
    protected = disclosure.secondary(protected, "headcount", [], rule)
    shares = disclosure.share(protected["headcount"], protected["all_international"], rule,
                              protected["headcount_low"], protected["headcount_high"])
    # Ordered by the protected figure, so the order reveals nothing the figures do not.
    result = pd.concat([protected, shares], axis=1)
    return result.sort_values(["headcount_high", "citizenship"], ascending=[False, True], ignore_index=True)


def region_trend(wh: Warehouse, filters: Filters, key: str, rule: disclosure.Rule) -> pd.DataFrame:
    """International people per year by world region."""
    population = POPULATIONS[key]
    where, params = _scope(wh, population, filters)
    international, intl_params = _international(filters)
    frame = wh.query(f"""
        SELECT year, citizenship, sum(headcount) AS headcount FROM agg_people
        WHERE {where} AND {international} GROUP BY ALL""", params + intl_params)
    if frame.empty:
        return pd.DataFrame(columns=["year", "region", "headcount"])
    frame["region"] = frame["citizenship"].map(region_of)
    by_region = frame.groupby(["year", "region"], as_index=False)["headcount"].sum()
    protected = disclosure.protect(by_region.sort_values(["year", "region"], ignore_index=True), ["headcount"], rule)
    return disclosure.secondary(protected, "headcount", ["year"], rule)


def country_trend(wh: Warehouse, filters: Filters, country: str, rule: disclosure.Rule) -> pd.DataFrame:
    """One citizenship's headcount per year in each staff group and study level."""
    frames = []
    for key in STAFF_BREAKDOWN + STUDENT_BREAKDOWN:
        where, params = _scope(wh, POPULATIONS[key], filters)
        frame = wh.query(f"""SELECT year, coalesce(sum(headcount), 0) AS headcount FROM agg_people
                             WHERE {where} AND citizenship = ? GROUP BY year""", params + [country])
        years = pd.DataFrame({"year": range(filters.first_year, filters.last_year + 1)})
        frame = years.merge(frame, on="year", how="left").fillna({"headcount": 0})
        frame.insert(0, "population", key)
        frames.append(frame)
    result = pd.concat(frames, ignore_index=True)
    if result["headcount"].sum() == 0:
        return pd.DataFrame(columns=["population", "year", "headcount"])
    return disclosure.protect(result, ["headcount"], rule)
