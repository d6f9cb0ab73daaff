"""Staff followed across years: who stays, and who moves up a research career stage.

The ETL follows each pseudonymised staff member from year to year and writes only counts (agg_retention,
agg_careers); the dashboard reads those. Definitions (as on the methodology page):

- a cohort is the staff who first appear in a year (not the first year of data, whose people may have come
  earlier); they are international or home by the definition in force on entry;
- still present after k years: in the staff data k years later (whatever their group or unit then), of the
  cohort; the cohorts of the years chosen are pooled, each as far as the data reaches;
- moving up: research staff at stage I-III in a year who are at a stage the next year, and of them those at
  a higher stage.

Every count is protected like the other pages' (the rule, and the differencing attacks through each filter
and through the register's definition); shares are computed from the protected counts, so a small cohort's
share is a range or withheld. Nothing here imports Streamlit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pandas as pd

from app.model import disclosure, filters as flt, metrics
from app.model.data import Warehouse
from app.model.definitions import DEFINITIONS, REGISTER
from app.model.disclosure import Rule
from app.model.filters import Filters

ORIGINS = ("international", "home")
AFTER = (1, 3, 5)
RESEARCH_STAGES = (1, 2, 3)   # stage IV (professors) has no stage above


def _origin(filters: Filters) -> tuple[str, list]:
    """International (by the definition and the country filter), home, or NULL (unknown, or international from
    other countries than the chosen ones), as SQL over a table with every definition's columns."""
    international, params = metrics.international_in(filters.definition, filters)
    chosen = DEFINITIONS[filters.definition]
    return (f"CASE WHEN {international} THEN 'international' WHEN NOT {chosen.international} THEN 'home' END",
            params)


def _where(filters: Filters, key: str) -> tuple[str, list]:
    population = metrics.POPULATIONS[key]
    groups = flt.groups_in_scope(population.population, population.groups, filters)
    where, params = flt.people_where(filters)
    return f'"group" IN ({", ".join("?" for _ in groups) or "NULL"}) AND {where}', [*groups, *params]


def _grid(frame: pd.DataFrame, keys: dict[str, tuple], counts: list[str]) -> pd.DataFrame:
    """`frame` with a row (zeros) for every combination of the keys' values, in their order."""
    index = pd.MultiIndex.from_product(list(keys.values()), names=list(keys))
    full = frame.set_index(list(keys)).reindex(index).fillna({c: 0 for c in counts}) if not frame.empty else \
        pd.DataFrame(0, index=index, columns=counts)
    return full[counts].astype("int64").reset_index()


def _protected(raw_of: Callable[[Filters], pd.DataFrame], raw: pd.DataFrame, filters: Filters, keys: list[str],
               counts: list[str], rule: Rule) -> pd.DataFrame:
    """The counts `raw` (= `raw_of(filters)`), protected, with the differencing attacks closed as on the other
    pages: through each filter in force (`disclosure.complement`) and through the register's definition
    (`disclosure.differ`)."""
    protected = disclosure.protect(raw, counts, rule)
    for one in flt.in_force(filters, flt.STAFF):
        whole = raw[keys].merge(raw_of(flt.without(filters, one)), on=keys, how="left").fillna(
            {c: 0 for c in counts})
        for column in counts:
            protected = disclosure.complement(protected, raw, whole, column, rule)
    if filters.definition != REGISTER:
        reference = raw[keys].merge(raw_of(replace(filters, definition=REGISTER)), on=keys, how="left").fillna(
            {c: 0 for c in counts})
        for column in counts:
            protected = disclosure.differ(protected, raw, reference, column, rule)
    return protected


def _with_share(protected: pd.DataFrame, part: str, whole: str, rule: Rule) -> pd.DataFrame:
    shares = disclosure.share(protected[part], protected[whole], rule, protected[f"{part}_low"],
                              protected[f"{part}_high"])
    return pd.concat([protected, shares], axis=1)


def cohort_years(wh: Warehouse, filters: Filters, after: int) -> tuple[int, int] | None:
    """The cohorts of the filter's years whose people can be seen `after` years on (None: none can)."""
    years = wh.options.people_years
    if not years:
        return None
    first, last = max(filters.first_year, years[0] + 1), min(filters.last_year, years[-1] - after)
    return (first, last) if first <= last else None


def retention(wh: Warehouse, filters: Filters, key: str, rule: Rule) -> pd.DataFrame:
    """Per years after entry (`years_after`: 1, 3, 5) and origin: the pooled cohorts (`headcount`), those still
    present (`retained`) and the share. Rows only for the years after that the data can show. A population
    made of parts (metrics.PARTS: all staff) is the sum of its parts' protected counts, as on the other pages:
    choosing all staff and then other staff must not give the rest exactly."""
    if not wh.careers:
        return pd.DataFrame()
    shown = [after for after in AFTER if cohort_years(wh, filters, after) is not None]
    keys, counts = ["after", "origin"], ["headcount", "retained"]
    parts = metrics.PARTS.get(key, (key,))
    frames, anyone = [], 0
    for part in parts:
        def raw_of(f: Filters, part: str = part) -> pd.DataFrame:
            origin, origin_params = _origin(f)
            where, params = _where(f, part)
            frame = wh.query(f"""
                SELECT after, origin, sum(headcount) AS headcount, sum(retained) AS retained
                FROM (SELECT *, {origin} AS origin FROM agg_retention WHERE {where})
                WHERE origin IS NOT NULL GROUP BY ALL""", origin_params + params)
            return _grid(frame, {"after": AFTER, "origin": ORIGINS}, counts)
        raw = raw_of(filters)
        anyone += int(raw.loc[raw["after"].isin(shown), "headcount"].sum())
        frames.append(_protected(raw_of, raw, filters, keys, counts, rule).assign(population=part))
    if not anyone:   # nobody to follow (not: a rounded zero)
        return pd.DataFrame()
    protected = frames[0] if len(frames) == 1 else metrics.sum_of_parts(
        pd.concat(frames, ignore_index=True), parts, key, keys, counts)
    protected = protected.drop(columns="population")
    protected = protected[protected["after"].isin(shown)].reset_index(drop=True)
    # Named apart from the definitions' comparison's `after` (the side a person is counted on).
    return _with_share(protected, "retained", "headcount", rule).rename(columns={"after": "years_after"})


def moving_up(wh: Warehouse, filters: Filters, rule: Rule) -> pd.DataFrame:
    """Per year and origin: research staff at stage I-III present the next year at a stage (`headcount`), and
    those of them at a higher stage (`moved_up`), with the share."""
    years = tuple(y for y in wh.options.people_years if filters.first_year <= y <= filters.last_year
                  and y + 1 in wh.options.people_years)

    def raw_of(f: Filters) -> pd.DataFrame:
        origin, origin_params = _origin(f)
        where, params = _where(f, "teaching_research")
        frame = wh.query(f"""
            SELECT year, origin, sum(headcount) AS headcount, sum(moved_up) AS moved_up
            FROM (SELECT *, {origin} AS origin FROM agg_careers
                  WHERE career_stage IN ({", ".join(str(s) for s in RESEARCH_STAGES)}) AND {where})
            WHERE origin IS NOT NULL GROUP BY ALL""", origin_params + params)
        return _grid(frame, {"year": years, "origin": ORIGINS}, ["headcount", "moved_up"])

    if not wh.careers or not years:
        return pd.DataFrame()
    raw = raw_of(filters)
    # A year or origin with nobody to follow (no career stages in that year's export) is left out, not drawn
    # as a zero.
    present = (raw["headcount"] > 0).to_numpy()
    if not present.any():
        return pd.DataFrame()
    protected = _protected(raw_of, raw, filters, ["year", "origin"], ["headcount", "moved_up"], rule)
    return _with_share(protected[present].reset_index(drop=True), "moved_up", "headcount", rule)


def stage_shares(wh: Warehouse, filters: Filters, rule: Rule) -> pd.DataFrame:
    """The international share of teaching and research staff at each career stage, per year."""
    return metrics.shares_over_time(wh, filters, "teaching_research", "career_stage", rule)
