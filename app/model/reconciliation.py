"""The definitions of international side by side for one population and year, and the people who change side
from the register's definition to each other one, by why. For the whole university (no filters: the page's
own choice of population and year is all it takes). Counts are protected like every other figure."""

from __future__ import annotations

import pandas as pd

from app.model import disclosure, metrics
from app.model.data import Warehouse
from app.model.definitions import DEFINITIONS, REGISTER, why_not
from app.model.filters import Filters

SIDES = ("home", "international", "unknown")
# The changes a definition can make to a person counted by the register's, in the order a reader follows them.
CHANGES = tuple((before, after) for before in SIDES for after in SIDES if before != after)


def side_by_side(wh: Warehouse, key: str, year: int, rule: disclosure.Rule) -> pd.DataFrame:
    """One row per definition: its protected international and known counts and share, as every page shows them
    (`metrics.share_trend` with that definition), or why it cannot count the population (`reason`)."""
    rows = []
    population = metrics.POPULATIONS[key].population
    for definition in DEFINITIONS:
        reason = why_not(wh.coverage, definition, population, advice=False)
        filters = Filters(years=(year, year), definition=definition)
        trend = metrics.share_trend(wh, filters, (key,), rule) if reason is None else pd.DataFrame()
        if trend.empty:
            rows.append({"definition": definition, "reason": reason or ""})
            continue
        row = trend.iloc[0].to_dict()
        rows.append({"definition": definition, "reason": "", **{k: row[k] for k in row if k not in ("population",
                                                                                              "year")}})
    return pd.DataFrame(rows)


def changes(wh: Warehouse, key: str, year: int, rule: disclosure.Rule) -> pd.DataFrame:
    """People of the population in the year counted on another side by a definition than by the register's:
    `definition`, `before` and `after` (home, international, unknown), `headcount` protected. Only changes that
    happen (a row of nobody is left out) under definitions that count the population. A definition whose
    changes or counts (its own or the register's) include one shown only as a range shows none of its changes
    (`attrs["withheld"]` names it): the register's count, the definition's and its changes add up, so the
    others would give the hidden one back."""
    population = metrics.POPULATIONS[key]
    where, params = metrics.scope_sql(population, Filters(years=(year, year)))
    frames = []
    for definition in DEFINITIONS.values():
        if definition.key == REGISTER or why_not(wh.coverage, definition.key, population.population) is not None:
            continue
        frame = wh.query(f"""
            SELECT '{definition.key}' AS definition, {_side("is_international")} AS before,
                   {_side(definition.international)} AS after, sum(headcount)::BIGINT AS headcount
            FROM agg_people WHERE {where} GROUP BY ALL HAVING before <> after""", params)
        frames.append(frame)
    found = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
        columns=["definition", "before", "after", "headcount"])
    if found.empty:
        return found
    order = {(b, a): i for i, (b, a) in enumerate(CHANGES)}
    definitions_order = {k: i for i, k in enumerate(DEFINITIONS)}
    found = found.assign(_o=[(definitions_order[d], order[(b, a)]) for d, b, a in
                             zip(found["definition"], found["before"], found["after"])])
    found = found.sort_values("_o", ignore_index=True).drop(columns="_o")
    protected = disclosure.protect(found, ["headcount"], rule)
    if rule.exact:
        return protected
    side = side_by_side(wh, key, year, rule).set_index("definition")
    exact = {d for d in side.index if "international" in side and side.loc[d, "international"] == side.loc[d, "international"]}
    withheld = [d for d in dict.fromkeys(protected["definition"])
                if REGISTER not in exact or d not in exact
                or protected.loc[protected["definition"] == d, "headcount"].isna().any()]
    kept = protected[~protected["definition"].isin(withheld)].reset_index(drop=True)
    kept.attrs["withheld"] = withheld
    return kept


def _side(column: str) -> str:
    return f"CASE WHEN {column} THEN 'international' WHEN NOT {column} THEN 'home' ELSE 'unknown' END"
