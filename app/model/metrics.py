"""Every figure about staff and students, defined once.

Functions read the aggregate tables, count, and pass every count through
`disclosure.protect` before anything leaves this module; shares are computed
from the protected counts. Pages, tests and exports all use these.

Definitions (as on the methodology page):
- international: by the definition in force (`Filters.definition`, see
  app.model.definitions), a known country under it that is not the home
  country; with a country filter, only the selected countries and regions
  count as international; a count within a few of the register definition's
  is shown only as a range;
- share of international = international / people whose country under the
  definition is known; unknown is counted and shown, but is in neither part;
- headcount on the statistical reference date (31 December for staff, the
  academic year for students); a student at two levels counts at each level.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from app.model import disclosure
from app.model.data import Warehouse
from app.model.definitions import DEFINITIONS, REGISTER
from app.words.i18n import fmt_int
from app.model import filters as flt
from app.model.filters import LEVELS, STAFF_GROUPS, Filters
from app.model.regions import region_of
from app.words.labels import SMALL_COUNTRIES

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
NEW_STUDENTS = ("new_students", "degree_students")


def _groups(population: Population, filters: Filters) -> tuple[str, ...]:
    return flt.groups_in_scope(population.population, population.groups, filters)


def scope_sql(population: Population, filters: Filters) -> tuple[str, list]:
    """The SQL condition (and its parameters) of one population's rows of a people table under the filters."""
    groups = _groups(population, filters)
    where, params = flt.people_where(filters)
    conditions = ["population = ?", f'"group" IN ({", ".join("?" for _ in groups) or "NULL"})', where]
    params = [population.population, *groups, *params]
    if population.new_entrants_only:
        conditions.append("new_entrant")
    return " AND ".join(conditions), params


def _raw_counts(wh: Warehouse, keys: tuple[str, ...], filters: Filters, by: list[str],
                every_year: bool = False, citizenship: str | None = None, flows: bool = False) -> pd.DataFrame:
    """Raw counts of the populations `keys` in one scan of the aggregate table:
    a `population` column, then the `by` columns and the counts. With
    `every_year` (by = ["year"]), each population gets a row for every year of
    the filter, zero where nobody was counted. With `citizenship`, only its
    citizens are counted. With `flows`, instead of the counts: how many people the definition in force counts
    as international and the register's does not (in `international`), and the other way (in `known`)."""
    # Populations overlap (professors are also teaching and research staff), so each
    # aggregate row joins every population whose groups it belongs to.
    members = [(key, i, POPULATIONS[key].population, group, POPULATIONS[key].new_entrants_only)
               for i, key in enumerate(keys) for group in _groups(POPULATIONS[key], filters)]
    international, intl_params = flt.international_where(filters)
    where, params = flt.people_where(filters)
    if citizenship is not None:
        where, params = f"{where} AND citizenship = ?", [*params, citizenship]
    columns = "".join(f'a."{b}", ' for b in by)
    member_rows = ", ".join("(?, ?, ?, ?, ?)" for _ in members) or "(NULL, NULL, NULL, NULL, NULL)"
    if flows:
        # Both definitions side by side: only agg_people holds them for the same people.
        register, register_params = international_in(REGISTER, filters)
        chosen, chosen_params = international_in(filters.definition, filters)
        source, sums = "agg_people", f"""sum(headcount) FILTER (NOT {register} AND {chosen}) AS international,
               sum(headcount) FILTER ({register} AND NOT {chosen}) AS known, 0 AS unknown, 0 AS total"""
        intl_params = (register_params + chosen_params) * 2
    elif not filters.countries and "citizenship" not in by and citizenship is None:
        # Citizenship already summed into its three kinds (see Warehouse).
        source, sums = wh.share_table(filters.definition), ", ".join(f"sum({c}) AS {c}" for c in COUNTS)
    else:
        source, sums = wh.people_table(filters.definition), f"""sum(headcount) FILTER ({international}) AS international,
               sum(headcount) FILTER (citizenship IS NOT NULL) AS known,
               sum(headcount) FILTER (citizenship IS NULL) AS unknown,
               sum(headcount) AS total"""
    counts = f"""
        SELECT m.key AS population, m.ord, {columns} {sums}
        FROM {source} a
        JOIN (VALUES {member_rows}) m(key, ord, population, "group", new_only)
          ON a.population = m.population AND a."group" = m."group" AND (a.new_entrant OR NOT m.new_only)
        WHERE {where} GROUP BY ALL"""
    params = intl_params + [v for member in members for v in member] + params   # in the order of the ?s
    totals = ", ".join(f"coalesce(c.{c}, 0)::BIGINT AS {c}" for c in COUNTS)
    if every_year:
        # Every population × year of the filter, so a year with nobody is a zero, not a gap.
        key_rows = ", ".join("(?, ?)" for _ in keys)
        sql = f"""SELECT g.population, g.year, {totals}
                  FROM (SELECT p.population, p.ord, y.range AS year FROM (VALUES {key_rows}) p(population, ord)
                        CROSS JOIN range(?, ?) y) g
                  LEFT JOIN ({counts}) c ON c.population = g.population AND c.year = g.year
                  ORDER BY g.ord, g.year"""
        params = [v for i, key in enumerate(keys) for v in (key, i)] + \
            [filters.first_year, filters.last_year + 1] + params
    else:
        keys_out = ", ".join(f'c."{b}"' for b in by)
        sql = f"""SELECT c.population, {keys_out + ',' if by else ''} {totals} FROM ({counts}) c
                  ORDER BY c.ord{''.join(f', c."{b}"' for b in by)}"""
    return wh.query(sql, params)


def international_in(definition: str, filters: Filters) -> tuple[str, list]:
    """International by one definition, as a condition on agg_people (which holds every definition's columns);
    false where unknown."""
    chosen = DEFINITIONS[definition]
    codes = flt.country_codes(filters.countries) if filters.countries else None
    if codes is None:
        return f"coalesce({chosen.international}, false)", []
    marks = ", ".join("?" for _ in codes) or "NULL"
    return f"coalesce({chosen.international} AND {chosen.country} IN ({marks}), false)", sorted(codes)


# Populations that are sums of others shown on the same pages. Their figures are the sums of the parts'
# protected figures, so subtracting one part gives back only the other parts' protected figures: rounded
# separately, "teaching and research staff" minus "other teaching and research staff" pinned professors.
PARTS: dict[str, tuple[str, ...]] = {
    "teaching_research": ("professors", "other_teaching_research"),
    "all_staff": ("professors", "other_teaching_research", "other_staff"),
    "degree_students": ("bachelor", "master", "doctoral"),   # a student at two levels counts at each
}


def _protected_counts(wh: Warehouse, keys: tuple[str, ...], filters: Filters, by: list[str],
                      rule: disclosure.Rule, every_year: bool = False) -> pd.DataFrame:
    """Counts of the populations `keys`, protected, with the differencing attack
    closed for every filter in force (see `disclosure.complement`); a population
    made of parts (PARTS) is the sum of its parts' protected counts."""
    base = tuple(dict.fromkeys(part for key in keys for part in PARTS.get(key, (key,))))
    protected = _protected_parts(wh, base, filters, by, rule, every_year)
    frames = [sum_of_parts(protected, PARTS[key], key, by) if key in PARTS
              else protected[protected["population"] == key] for key in keys]
    return pd.concat(frames, ignore_index=True)


def sum_of_parts(protected: pd.DataFrame, parts: tuple[str, ...], key: str, by: list[str],
                 counts: list[str] = COUNTS) -> pd.DataFrame:
    """The population `key` as the sum of its parts' protected `counts` (rows of `protected` whose `population`
    is a part), by the `by` columns."""
    rows = protected[protected["population"].isin(parts)]
    if rows.empty:
        return rows.assign(population=key)
    grouped = rows.groupby(by, sort=True) if by else rows.assign(_all=0).groupby("_all")
    # Three group operations over every column at once (one per column and measure cost a page 0.1 s).
    sums = grouped[[*counts, *(f"{c}_{end}" for c in counts for end in ("low", "high"))]].sum()
    known, size = grouped[list(counts)].count(), grouped.size()
    summed = {}
    for count in counts:
        # A part shown only as a range makes the sum a range: the sum of the parts' bounds.
        value = sums[count].where(known[count] == size)
        low, high = sums[f"{count}_low"], sums[f"{count}_high"]
        summed |= {count: value, f"{count}_low": low, f"{count}_high": high,
                   f"{count}_label": [fmt_int(v) if v == v else f"{fmt_int(lo)}–{fmt_int(hi)}"
                                      for v, lo, hi in zip(value, low, high)]}
    out = pd.DataFrame(summed, index=value.index)
    out = out.reset_index().drop(columns="_all", errors="ignore").assign(population=key)
    return out[list(protected.columns)]


def _protected_parts(wh: Warehouse, keys: tuple[str, ...], filters: Filters, by: list[str],
                     rule: disclosure.Rule, every_year: bool) -> pd.DataFrame:
    raw = _raw_counts(wh, keys, filters, by, every_year)
    protected = disclosure.protect(raw, COUNTS, rule)
    rows = ["population", *by]
    protected = disclosure.closed(protected, raw, rows, COUNTS, (
        _raw_counts(wh, keys, flt.without(filters, one), by, every_year)
        for one in flt.in_force(filters, flt.PEOPLE)), rule)
    if filters.definition != REGISTER:
        # The same people counted by the register's definition: a gap of a few international people would tell
        # how many (dual citizens, naturalised staff …) the two definitions part. (Known and unknown differ by
        # whose country is missing, which says nothing about anyone's origin; and the total is the same.)
        reference = _raw_counts(wh, keys, replace(filters, definition=REGISTER), by, every_year)
        reference = raw[rows].merge(reference, on=rows, how="left").fillna({c: 0 for c in COUNTS})
        moved = raw[rows].merge(_raw_counts(wh, keys, filters, by, every_year, flows=True), on=rows,
                                how="left").fillna({c: 0 for c in COUNTS})
        protected = disclosure.differ(protected, raw, reference, "international", rule,
                                      moved["international"].to_numpy(), moved["known"].to_numpy())
    if rule.name == "threshold":
        # known + unknown = total: a lone hidden unknown would follow from the other two, so the total
        # becomes the range the known count and a hidden unknown allow (not 0, which dropped the group).
        lone = protected["unknown"].isna() & protected["known"].notna()
        low = protected.loc[lone, "known"] + 1
        high = protected.loc[lone, "known"] + rule.k - 1
        protected.loc[lone, "total"] = float("nan")
        protected.loc[lone, "total_low"] = low.astype("int64")
        protected.loc[lone, "total_high"] = high.astype("int64")
        protected.loc[lone, "total_label"] = [f"{fmt_int(lo)}–{fmt_int(hi)}" for lo, hi in zip(low, high)]
    return protected


def _with_shares(protected: pd.DataFrame, rule: disclosure.Rule) -> pd.DataFrame:
    shares = disclosure.share(protected["international"], protected["known"], rule,
                              protected["international_low"], protected["international_high"])
    return pd.concat([protected, shares], axis=1)


def share_trend(wh: Warehouse, filters: Filters, keys: tuple[str, ...], rule: disclosure.Rule) -> pd.DataFrame:
    """Per population and year: protected counts and the international share."""
    counts = _protected_counts(wh, keys, filters, ["year"], rule, every_year=True)
    # A population nobody in the filter belongs to is left out, not drawn as a flat zero.
    present = counts.groupby("population", sort=False)["total_high"].transform("sum") > 0
    counts = counts[present].reset_index(drop=True)
    if counts.empty:
        return _no_trend()
    return _with_shares(counts, rule)


def _no_trend() -> pd.DataFrame:
    return pd.DataFrame(columns=["population", "year", *COUNTS, "total_high", "share"])


def populations(trends: pd.DataFrame, keys: tuple[str, ...]) -> pd.DataFrame:
    """The rows of some populations of a share_trend, as share_trend(keys) would give them."""
    rows = trends[trends["population"].isin(keys)]
    if rows.empty:
        return _no_trend()
    order = rows["population"].map({key: i for i, key in enumerate(keys)})
    return rows.iloc[order.argsort(kind="stable")].reset_index(drop=True)


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
    share_low: float | None = None     # the range the share lies in, when it is known only as one
    share_high: float | None = None


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
            _value(first["share"]) if first["year"] != last["year"] else None,
            _value(last.get("share_low", float("nan"))), _value(last.get("share_high", float("nan")))))
    return cards


def _value(x: float) -> float | None:
    return None if pd.isna(x) else float(x)


CATEGORIES = ["home", "international", "other_international", "unknown"]


def composition(wh: Warehouse, filters: Filters, key: str, rule: disclosure.Rule) -> pd.DataFrame:
    """Per year: people by home country / international / unknown (with a
    country filter, international people from elsewhere are shown apart), with
    the differencing attack closed for every filter in force: e.g. the chosen
    countries' people are all international people minus the others."""
    raw = _composition_raw(wh, filters, key)
    if raw.empty or raw["headcount"].sum() == 0:
        return pd.DataFrame(columns=["year", "category", "headcount"])
    protected = disclosure.protect(raw, ["headcount"], rule)
    for one in flt.in_force(filters, flt.PEOPLE):
        whole = _composition_raw(wh, flt.without(filters, one), key)
        if one.citizenship:
            # Without the country filter, everyone international is one part: the whole of both international parts.
            international = whole[whole["category"] == "international"]
            whole = pd.concat([whole, international.assign(category="other_international")])
        whole = raw[["year", "category"]].merge(whole, on=["year", "category"], how="left").fillna({"headcount": 0})
        protected = disclosure.complement(protected, raw, whole, "headcount", rule)
    if filters.definition != REGISTER:   # as in _protected_parts
        reference = _composition_raw(wh, replace(filters, definition=REGISTER), key)
        reference = raw[["year", "category"]].merge(reference, on=["year", "category"], how="left").fillna(
            {"headcount": 0})
        if filters.countries:
            # The parts of other countries and of home move apart from the chosen countries': no flows of the
            # chosen countries' people say they are large.
            protected = disclosure.differ(protected, raw, reference, "headcount", rule)
        else:
            moved = raw[["year"]].merge(_raw_counts(wh, (key,), filters, ["year"], True, flows=True), on="year",
                                        how="left").fillna({c: 0 for c in COUNTS})
            protected = disclosure.differ(protected, raw, reference, "headcount", rule,
                                          moved["international"].to_numpy(), moved["known"].to_numpy())
    return disclosure.secondary(protected, "headcount", ["year"], rule)


def _composition_raw(wh: Warehouse, filters: Filters, key: str) -> pd.DataFrame:
    """Exact counts per year and category (year, category, headcount), sorted."""
    population = POPULATIONS[key]
    where, params = scope_sql(population, filters)
    international, intl_params = flt.international_where(filters)
    if not filters.countries:
        # Citizenship already summed into its three kinds (see Warehouse); the home country is known - international.
        frame = wh.query(f"""
            SELECT year, sum(known - international) AS home, sum(international) AS international,
                   0 AS other_international, sum(unknown) AS unknown
            FROM {wh.share_table(filters.definition)} WHERE {where} GROUP BY year ORDER BY year""", params)
    else:
        frame = wh.query(f"""
            SELECT year,
                   coalesce(sum(headcount) FILTER (NOT is_international), 0) AS home,
                   coalesce(sum(headcount) FILTER ({international}), 0) AS international,
                   coalesce(sum(headcount) FILTER (is_international AND NOT ({international})), 0) AS other_international,
                   coalesce(sum(headcount) FILTER (citizenship IS NULL), 0) AS unknown
            FROM {wh.people_table(filters.definition)} WHERE {where} GROUP BY year ORDER BY year""",
            intl_params * 2 + params)
    long = frame.melt(id_vars="year", value_vars=CATEGORIES, var_name="category", value_name="headcount")
    if not filters.countries:
        long = long[long["category"] != "other_international"]
    long["headcount"] = long["headcount"].astype("int64")
    return long.sort_values(["year", "category"], ignore_index=True)


def shares_by(wh: Warehouse, filters: Filters, key: str, dimension: str, year: int,
              rule: disclosure.Rule) -> pd.DataFrame:
    """One year's share by unit, career stage or group/level."""
    year_filters = Filters(**{**filters.__dict__, "years": (year, year)})
    column = {"unit": "unit", "career_stage": "career_stage", "group": "group"}[dimension]
    counts = _protected_counts(wh, (key,), year_filters, [column], rule).drop(columns="population")
    counts = counts[counts[column].notna() & (counts["total_high"] > 0)]
    if counts.empty:
        return pd.DataFrame(columns=[column, *COUNTS, "share"])
    return _with_shares(counts.reset_index(drop=True), rule)




def shares_over_time(wh: Warehouse, filters: Filters, key: str, dimension: str,
                     rule: disclosure.Rule) -> pd.DataFrame:
    """The share per year by unit, career stage or group/level."""
    column = {"unit": "unit", "career_stage": "career_stage", "group": "group"}[dimension]
    counts = _protected_counts(wh, (key,), filters, ["year", column], rule).drop(columns="population")
    counts = counts[counts[column].notna() & (counts["total_high"] > 0)]
    if counts.empty:
        return pd.DataFrame(columns=["year", column, *COUNTS, "share"])
    return _with_shares(counts.reset_index(drop=True), rule)


def country_counts(wh: Warehouse, filters: Filters, key: str, year: int, rule: disclosure.Rule) -> pd.DataFrame:
    """International people in one year by citizenship, largest first, with
    each country's region and its part of all international people."""
    return country_counts_per_year(wh, replace(filters, years=(year, year)), key, rule)[year]


def country_counts_per_year(wh: Warehouse, filters: Filters, key: str, rule: disclosure.Rule) -> dict[int, pd.DataFrame]:
    """`country_counts` of every year of the filter, from one query (each year protected on its own)."""
    exact = _by_country(wh, filters, key)
    register = _by_country(wh, replace(filters, definition=REGISTER), key) if filters.definition != REGISTER else None
    # The same lists without each filter in force: "Germany 12, men 6" gave the women from Germany shown as 1-4.
    wholes = [_by_country(wh, flt.without(filters, one), key) for one in flt.in_force(filters, flt.PEOPLE)]
    return {year: _protected_countries(exact[exact["year"] == year].drop(columns="year"),
                                       None if register is None else register[register["year"] == year], rule,
                                       [whole[whole["year"] == year] for whole in wholes])
            for year in range(filters.first_year, filters.last_year + 1)}


def _aligned(frame: pd.DataFrame, counts: pd.DataFrame) -> pd.DataFrame:
    """Another count of the same people by country (`counts`: citizenship, headcount) in the rows of `frame`: each
    named country's own, for the row of countries too small to name every country not named, and its total."""
    by_country = counts.set_index("citizenship")["headcount"]
    named = frame["citizenship"] != SMALL_COUNTRIES
    others = int(by_country.drop(frame.loc[named, "citizenship"], errors="ignore").sum())
    return frame.assign(headcount=[int(by_country.get(c, 0)) if n else others
                                   for c, n in zip(frame["citizenship"], named)],
                        all_international=int(by_country.sum()))


def _protected_countries(frame: pd.DataFrame, register: pd.DataFrame | None, rule: disclosure.Rule,
                         wholes: list[pd.DataFrame] = ()) -> pd.DataFrame:
    """One year's exact counts by country protected, with the differencing attack closed against the same
    year's lists without each filter in force (`wholes`) and, under another definition, the register's."""
    if frame.empty:
        return pd.DataFrame(columns=["citizenship", "region", "headcount", "share"])
    frame = frame.reset_index(drop=True)
    frame["region"] = frame["citizenship"].map(region_of)
    total = int(frame["headcount"].sum())
    if not rule.exact:
        # Countries with a small count are not named, only counted together: naming them showed that each had
        # at least one person, and beside a small total ("4 countries, 1-4 people in all") that is one each.
        small = frame["headcount"] < disclosure.smallest_shown(rule)
        if small.any():
            others = pd.DataFrame({"citizenship": [SMALL_COUNTRIES], "region": ["several"],
                                   "headcount": [int(frame.loc[small, "headcount"].sum())]})
            frame = pd.concat([frame[~small], others], ignore_index=True)
    frame = frame.assign(all_international=total)
    protected = disclosure.protect(frame, ["headcount", "all_international"], rule)
    for whole in wholes:
        reference = _aligned(frame, whole)
        for column in ("headcount", "all_international"):
            protected = disclosure.complement(protected, frame, reference, column, rule)
    if register is not None:
        # Each country's count and the total beside the register's: a gap of a few is the dual citizens (or
        # naturalised staff, mobile students) of that country.
        reference = _aligned(frame, register)
        for column in ("headcount", "all_international"):
            protected = disclosure.differ(protected, frame, reference, column, rule)
    protected = disclosure.secondary(protected, "headcount", [], rule)
    shares = disclosure.share(protected["headcount"], protected["all_international"], rule,
                              protected["headcount_low"], protected["headcount_high"])
    # Ordered by the protected figure, so the order reveals nothing the figures do not; the small ones last.
    result = pd.concat([protected, shares], axis=1)
    result = result.assign(_small=result["citizenship"] == SMALL_COUNTRIES)
    return result.sort_values(["_small", "headcount_high", "citizenship"], ascending=[True, False, True],
                              ignore_index=True).drop(columns="_small")


def _by_country(wh: Warehouse, filters: Filters, key: str) -> pd.DataFrame:
    """Exact counts of the international people of one population by year and country (under the definition
    in force)."""
    where, params = scope_sql(POPULATIONS[key], filters)
    international, intl_params = flt.international_where(filters)
    return wh.query(f"""
        SELECT year, citizenship, sum(headcount) AS headcount FROM {wh.people_table(filters.definition)}
        WHERE {where} AND {international} GROUP BY year, citizenship ORDER BY year, citizenship""",
                    params + intl_params)


def region_trend(wh: Warehouse, filters: Filters, key: str, rule: disclosure.Rule) -> pd.DataFrame:
    """International people per year by world region."""
    by_region = _by_region(wh, filters, key)
    if by_region.empty:
        return pd.DataFrame(columns=["year", "region", "headcount"])
    protected = disclosure.protect(by_region, ["headcount"], rule)
    protected = disclosure.closed(protected, by_region, ["year", "region"], ["headcount"], (   # as in country_counts
        _by_region(wh, flt.without(filters, one), key) for one in flt.in_force(filters, flt.PEOPLE)), rule)
    if filters.definition != REGISTER:   # as in country_counts
        reference = by_region[["year", "region"]].merge(_by_region(wh, replace(filters, definition=REGISTER), key),
                                                        on=["year", "region"], how="left").fillna({"headcount": 0})
        protected = disclosure.differ(protected, by_region, reference, "headcount", rule)
    return disclosure.secondary(protected, "headcount", ["year"], rule)


def _by_region(wh: Warehouse, filters: Filters, key: str) -> pd.DataFrame:
    where, params = scope_sql(POPULATIONS[key], filters)
    international, intl_params = flt.international_where(filters)
    frame = wh.query(f"""
        SELECT year, citizenship, sum(headcount) AS headcount FROM {wh.people_table(filters.definition)}
        WHERE {where} AND {international} GROUP BY ALL""", params + intl_params)
    frame["region"] = frame["citizenship"].map(region_of)
    return frame.groupby(["year", "region"], as_index=False)["headcount"].sum().sort_values(
        ["year", "region"], ignore_index=True)


def country_trend(wh: Warehouse, filters: Filters, country: str, rule: disclosure.Rule,
                  keys: tuple[str, ...] = STAFF_BREAKDOWN + STUDENT_BREAKDOWN) -> pd.DataFrame:
    """One country's headcount per year in each staff group and study level of `keys` (by the definition in
    force: its citizens, or those educated there)."""
    if not keys:
        return pd.DataFrame(columns=["population", "year", "headcount"])
    counts = _raw_counts(wh, keys, filters, ["year"], every_year=True, citizenship=country)
    result = counts[["population", "year", "total"]].rename(columns={"total": "headcount"})
    if result["headcount"].sum() == 0:
        return pd.DataFrame(columns=["population", "year", "headcount"])
    protected = disclosure.protect(result, ["headcount"], rule)
    if rule.exact:
        return protected

    def headcounts(other: Filters) -> pd.DataFrame:
        counts = _raw_counts(wh, keys, other, ["year"], every_year=True, citizenship=country)
        return counts[["population", "year", "total"]].rename(columns={"total": "headcount"})

    protected = disclosure.closed(protected, result, ["population", "year"], ["headcount"], (   # as in country_counts
        headcounts(flt.without(filters, one)) for one in flt.in_force(filters, flt.PEOPLE)), rule)
    if filters.definition != REGISTER:   # as in country_counts: the same country's people by the register
        reference = result[["population", "year"]].merge(headcounts(replace(filters, definition=REGISTER)),
                                                         on=["population", "year"], how="left").fillna({"headcount": 0})
        protected = disclosure.differ(protected, result, reference, "headcount", rule)
    # Nobody and a count too small to show both read "0–4": told apart, "1–4" named the country as present,
    # and beside the country list's "1–4 more from countries too small to name" that gave each its one
    # person. A group with no year above that is left out (named in `attrs["too_small"]`, so the summary can say
    # so); with none left, there is nothing to show.
    most = disclosure.smallest_shown(rule) - 1
    small = protected["headcount_high"] <= most
    protected.loc[small, "headcount"] = float("nan")
    protected.loc[small, "headcount_low"] = 0
    protected.loc[small, "headcount_high"] = most
    protected.loc[small, "headcount_label"] = f"0–{fmt_int(most)}"
    shown = ~small.groupby(protected["population"]).transform("all")
    if not shown.any():
        return pd.DataFrame(columns=["population", "year", "headcount"])
    result = protected[shown].reset_index(drop=True)
    left_out = [p for p in dict.fromkeys(protected["population"]) if p not in set(result["population"])]
    result.attrs["too_small"] = {"groups": left_out, "most": most}
    return result
