"""Exchange and partnership figures, defined once (no Streamlit here).

Read from the aggregate `agg_mobility` and the `partners` agreements; every
count passes through `disclosure.protect` before it leaves this module.
The shared filters that apply are those with an `exchanges` column in
`filters.FILTERS`: years, units and partner countries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np
import pandas as pd

from app.model import disclosure
from app.model import filters as flt
from app.model.data import Warehouse
from app.model.filters import Filters, exchange_where, selected_partner_countries
from etl.config import load_config
from anyascii import anyascii

PROGRAMMES = ("Erasmus+", "Nordplus", "bilateral", "Unite!")   # anything else counts as "other"
LEVELS = ("bachelor", "master", "doctoral", "staff")
DIRECTIONS = ("incoming", "outgoing")


# Each way in a column of its own, summed in SQL (pandas' pivot_table cost ~10 ms a chart).
_EACH_WAY = """coalesce(sum(exchanges) FILTER (direction = 'incoming'), 0) AS incoming,
               coalesce(sum(exchanges) FILTER (direction = 'outgoing'), 0) AS outgoing"""
# The partner codes of one network's members (the network is the parameter).
_MEMBERS = "SELECT partner_code FROM partners WHERE list_contains(networks, ?)"


def _by_partner(filters: Filters) -> tuple[str, str]:
    """Where to sum exchanges by year, partner or partner country from, and how: without a unit
    filter, the table summed per partner and year at load (see Warehouse), a tenth of the rows."""
    if filters.units:
        return "agg_mobility", _EACH_WAY
    return "agg_partner_flows", "sum(incoming) AS incoming, sum(outgoing) AS outgoing"


_PROGRAMME = f"""CASE WHEN programme IN ({', '.join(repr(p) for p in PROGRAMMES)}) THEN programme
                     WHEN programme IS NULL THEN 'not_given' ELSE 'other' END"""


def _both_ways(frame: pd.DataFrame, keys: list[str], rule: disclosure.Rule, filters: Filters | None = None,
               again: Callable[[Filters], pd.DataFrame] | None = None) -> pd.DataFrame:
    """Protected incoming, outgoing and their balance, from rows with `incoming` and `outgoing` counts, one row per
    key (summed in SQL); with `filters`, each closed against the same counts without each filter in force
    (`_closed`)."""
    wide = frame[[*keys, *DIRECTIONS]].reset_index(drop=True)
    protected = disclosure.protect(wide, list(DIRECTIONS), rule)
    if filters is not None and again is not None:
        protected = _closed(protected, wide, keys, filters, rule, again)
    return _with_balance(protected)


def _closed(protected: pd.DataFrame, raw: pd.DataFrame, keys: list[str], filters: Filters, rule: disclosure.Rule,
            again: Callable[[Filters], pd.DataFrame], columns: tuple[str, ...] = DIRECTIONS) -> pd.DataFrame:
    """`disclosure.closed` against the same counts without each filter in force (`again(filters)`): all units
    against all but one gave that unit's exchanges with a country, shown as 1-4, exactly."""
    return disclosure.closed(protected, raw, keys, columns,
                             (again(flt.without(filters, one)) for one in flt.in_force(filters, flt.EXCHANGES)), rule)


def _secondary(frame: pd.DataFrame, groups: list[str], rule: disclosure.Rule) -> pd.DataFrame:
    """Under threshold:K, no group of parts with one hidden count whose total is shown elsewhere (see
    disclosure.secondary), each way; balances follow the hidden counts."""
    if rule.name != "threshold" or frame.empty:
        return frame
    for direction in DIRECTIONS:
        frame = disclosure.secondary(frame, direction, groups, rule)
    return _with_balance(frame)


def _with_balance(protected: pd.DataFrame) -> pd.DataFrame:
    protected["balance"] = protected["incoming"] - protected["outgoing"]
    protected["balance_low"] = protected["incoming_low"] - protected["outgoing_high"]
    protected["balance_high"] = protected["incoming_high"] - protected["outgoing_low"]
    protected["volume"] = protected["incoming_high"] + protected["outgoing_high"]
    return protected


def any_exchanges(wh: Warehouse, filters: Filters) -> bool:
    where, params = exchange_where(filters)
    return bool(wh.query(f"SELECT EXISTS (SELECT 1 FROM agg_mobility WHERE {where}) AS any", params)["any"].iloc[0])


def per_year(wh: Warehouse, filters: Filters, rule: disclosure.Rule, network: str | None = None) -> pd.DataFrame:
    """Exchanges each way per year (with one network's members only, if named)."""
    frame = _per_year(wh, filters, network)
    if frame.empty:
        return pd.DataFrame(columns=["year", *DIRECTIONS])
    return _both_ways(frame, ["year"], rule, filters, lambda other: _per_year(wh, other, network))


def _per_year(wh: Warehouse, filters: Filters, network: str | None) -> pd.DataFrame:
    """Exact exchanges each way in every year of the filter (none when there are none at all)."""
    where, params = exchange_where(filters)
    if network is not None:
        where += f" AND partner_code IN ({_MEMBERS})"
        params = params + [network]
    source, each_way = _by_partner(filters)
    frame = wh.query(f"SELECT year, {each_way} FROM {source} WHERE {where} GROUP BY ALL", params)
    if frame.empty:
        return frame
    # Every year of the filter: a year without exchanges is a protected zero. Only those rows are filled;
    # a count shown as 1–4 has no value of its own and must keep it empty (filling it drew 1–4 as 0).
    years = pd.DataFrame({"year": range(filters.first_year, filters.last_year + 1)})
    missing = years[~years["year"].isin(frame["year"])].assign(incoming=0, outgoing=0)
    return pd.concat([frame, missing], ignore_index=True).sort_values("year", ignore_index=True)


def breakdown(wh: Warehouse, filters: Filters, dimension: str, rule: disclosure.Rule) -> pd.DataFrame:
    """Exchanges each way over the selected years by level, programme, unit or partner country."""
    frame = _breakdown(wh, filters, dimension)
    if frame.empty:
        return pd.DataFrame(columns=[dimension, *DIRECTIONS])
    both = _both_ways(frame, [dimension], rule, filters, lambda other: _breakdown(wh, other, dimension))
    # The categories are the parts of the years' total, which the exchanges-per-year chart shows.
    both = _secondary(both, [], rule)
    return both.sort_values(["volume", dimension], ascending=[False, True], ignore_index=True)


def _breakdown(wh: Warehouse, filters: Filters, dimension: str) -> pd.DataFrame:
    column = {"level": "level", "programme": _PROGRAMME, "unit": "coalesce(unit, 'not_given')",
              "partner_country": "partner_country"}[dimension]
    where, params = exchange_where(filters)
    source, each_way = _by_partner(filters) if dimension == "partner_country" else ("agg_mobility", _EACH_WAY)
    return wh.query(f"SELECT {column} AS {dimension}, {each_way} FROM {source} WHERE {where} GROUP BY ALL", params)


STAY_DAYS_BASE = 365       # summed days rounded to a person-year: a single stay hides in the rounding
MIN_STAY_PERIODS = 20      # at least this many periods: the rounding then moves an average by 9 days at most


def average_stay(wh: Warehouse, filters: Filters, rule: disclosure.Rule) -> pd.DataFrame:
    """Mean length of student exchange periods in days, per year and direction.

    Made from published figures only, so it gives away nothing they do not: the
    summed length (each period in whole weeks, see agg_stays) rounded to the
    nearest 365 days, divided by the protected count of periods, in whole days,
    and only where that count is a single figure of at least MIN_STAY_PERIODS.
    (An exact average beside a rounded count gave the count back, and two
    country filters differing by one stay gave that stay's length.)"""
    frame = _stays(wh, filters)
    if frame.empty:
        return pd.DataFrame(columns=["year", "direction", "days"])
    days = frame["days"].astype(float)
    if not rule.exact:
        days = STAY_DAYS_BASE * np.round(days / STAY_DAYS_BASE)
    periods = frame.drop(columns="days")
    protected = _closed(disclosure.protect(periods, ["periods"], rule), periods, ["year", "direction"], filters,
                        rule, lambda other: _stays(wh, other).drop(columns="days"), ("periods",))
    enough = protected["periods"].notna() & (protected["periods"] >= MIN_STAY_PERIODS)
    protected["days"] = np.where(enough, np.round(days / protected["periods"].where(enough, 1)), np.nan)
    return protected


def _stays(wh: Warehouse, filters: Filters) -> pd.DataFrame:
    where, params = exchange_where(filters)
    return wh.query(f"""SELECT year, direction, sum(periods) AS periods, sum(weeks_total) * 7 AS days
                        FROM agg_stays WHERE {where} GROUP BY ALL ORDER BY ALL""", params)


PARTNER_COLUMNS = ["partner_code", "partner_name", "country", "city", "programmes", "networks", "valid_from", "valid_to",
                   "incoming", "outgoing", "incoming_low", "incoming_high", "incoming_label", "outgoing_low",
                   "outgoing_high", "outgoing_label", "balance", "balance_low", "balance_high", "volume", "listed",
                   "exchanged"]


def partners(wh: Warehouse, filters: Filters, rule: disclosure.Rule, network: str | None = None) -> pd.DataFrame:
    """Every agreement with its exchanges each way over the selected years, and
    every institution exchanged with that holds no agreement (listed = False).
    With `network`, only the agreements with that network's members."""
    members, member_params = "TRUE", []
    if network is not None:
        members, member_params = f"partner_code IN ({_MEMBERS})", [network]
    listed_flows, unlisted = _flows(wh, filters, network, True), _flows(wh, filters, network, False)
    agreements = wh.query(f"""SELECT partner_code, partner_name, country, city, coalesce(programmes, []) AS programmes,
                                     coalesce(networks, []) AS networks, valid_from, valid_to FROM partners
                              WHERE {members}""", member_params)
    by_code = (_both_ways(listed_flows, ["partner_code"], rule, filters, lambda other: _flows(wh, other, network, True))
               if not listed_flows.empty else pd.DataFrame(columns=["partner_code"]))
    table = agreements.merge(by_code, on="partner_code", how="left")
    table["listed"] = True
    if not unlisted.empty:
        others = _both_ways(unlisted, ["partner_name", "partner_country"], rule, filters,
                            lambda other: _flows(wh, other, network, False))
        others = others.rename(columns={"partner_country": "country"})
        others["partner_code"] = ""
        others["listed"] = False
        others["programmes"] = [[] for _ in range(len(others))]
        others["networks"] = [[] for _ in range(len(others))]
        table = pd.concat([table, others], ignore_index=True)
    codes_filter = selected_partner_countries(filters)
    if codes_filter is not None:
        table = table[table["country"].isin(codes_filter)]
    # Agreements without exchanges in these years: zero each way, shown as any protected zero is. Only
    # those rows: a count shown as the range 1–4 is also empty in its value column and must stay so.
    zero = disclosure.protect(pd.DataFrame({"incoming": [0], "outgoing": [0]}), list(DIRECTIONS), rule).iloc[0]
    defaults = {**zero.to_dict(), "balance": 0, "balance_low": 0, "balance_high": 0, "volume": 0}
    no_exchanges = table["incoming_label"].isna() if "incoming_label" in table else pd.Series(True, table.index)
    for column, value in defaults.items():
        if column not in table:
            table[column] = value
        else:
            table[column] = table[column].astype(object).where(~no_exchanges, value).infer_objects()
    # Under threshold:K a country's partners are the parts of the country's total, which the mobility page
    # shows: one hidden partner in a country would be that total minus the others, so the next smallest is
    # hidden too (a prober recovered every lone "<5" partner this way). Balances follow the hidden counts.
    table = _secondary(table, ["country"], rule)
    # Bounds are whole numbers; the filling above made them floats ("12.0" in a download) when some were missing.
    for column in [c for c in table if c.endswith(("_low", "_high")) or c == "volume"]:
        table[column] = table[column].astype("int64")
    table["exchanged"] = table["volume"] > 0
    table = table[PARTNER_COLUMNS]   # the same columns in the same order, with or without exchanges (downloads)
    return table.sort_values(["listed", "volume", "partner_name"], ascending=[False, False, True], ignore_index=True)


def _flows(wh: Warehouse, filters: Filters, network: str | None, listed: bool) -> pd.DataFrame:
    """Exact exchanges each way with each partner holding an agreement (by code; `listed`), or with each
    institution exchanged with that holds none (by name and country)."""
    where, params = exchange_where(filters)
    if network is not None:
        where, params = f"{where} AND partner_code IN ({_MEMBERS})", params + [network]
    source, each_way = _by_partner(filters)
    if listed:
        return wh.query(f"""SELECT partner_code, {each_way} FROM {source}
                            WHERE {where} AND partner_code IN (SELECT partner_code FROM partners)
                            GROUP BY ALL ORDER BY ALL""", params)
    return wh.query(f"""SELECT partner_name, partner_country, {each_way} FROM {source}
                        WHERE {where} AND (partner_code IS NULL OR partner_code NOT IN (SELECT partner_code FROM partners))
                        GROUP BY ALL ORDER BY ALL""", params)


def searchable(text: str) -> str:
    """Text as a search compares it: transliterated to Latin letters (Tromsø, Łódź, Straße and Αθήνα read as
    tromso, lodz, strasse and athina), without case, spaces collapsed."""
    return " ".join(anyascii(text).casefold().split())


def search(table: pd.DataFrame, text: str) -> pd.DataFrame:
    """Partners whose name, city or code contains the text, whatever its accents, letters and case."""
    needle = searchable(text)
    if not needle:
        return table
    haystack = (table["partner_name"].fillna("") + " " + table["city"].fillna("") + " "
                + table["partner_code"].fillna("")).map(searchable)
    return table[haystack.str.contains(needle, regex=False)]


def partner_history(wh: Warehouse, filters: Filters, rule: disclosure.Rule, code: str, name: str) -> pd.DataFrame:
    """One partner's exchanges each way per year (by code; by name when it has no agreement)."""
    frame = _history(wh, filters, code, name)
    if frame.empty:
        return pd.DataFrame(columns=["year", *DIRECTIONS])
    both = _both_ways(frame, ["year"], rule, filters, lambda other: _history(wh, other, code, name))
    # Its years are the parts of the partner's total in the partner table.
    return _secondary(both, [], rule)


def _history(wh: Warehouse, filters: Filters, code: str, name: str) -> pd.DataFrame:
    where, params = exchange_where(filters)
    match, value = ("partner_code = ?", code) if code else ("partner_code IS NULL AND partner_name = ?", name)
    source, each_way = _by_partner(filters)
    frame = wh.query(f"SELECT year, {each_way} FROM {source} WHERE {where} AND {match} GROUP BY ALL",
                     params + [value])
    if frame.empty:
        return frame
    years = pd.DataFrame({"year": range(filters.first_year, filters.last_year + 1)})
    return years.merge(frame, on="year", how="left").fillna(0)


def network_since(network: str, config: dict | None = None) -> int | None:
    """The year a network or alliance began (config.toml [networks]): exchanges with its members count as
    the network's from then on. None: not configured, every year counts."""
    since = (config if config is not None else load_config()).get("networks", {}).get(network)
    return since if isinstance(since, int) and not isinstance(since, bool) else None


def network_filters(filters: Filters, network: str) -> Filters | None:
    """The filters with the years kept to the network's own (None: it began after the years chosen)."""
    since = network_since(network)
    if since is None or since <= filters.first_year:
        return filters
    return replace(filters, years=(since, filters.last_year)) if since <= filters.last_year else None


def network_names(wh: Warehouse) -> list[str]:
    frame = wh.query("SELECT DISTINCT unnest(networks) AS network FROM partners ORDER BY 1")
    return list(frame["network"])


def network_trend(wh: Warehouse, filters: Filters, rule: disclosure.Rule, network: str) -> pd.DataFrame:
    """Exchanges per year with the network's members and with all other institutions."""
    long = _network_years(wh, filters, network)
    if long.empty:
        return pd.DataFrame(columns=["year", "partners", "headcount"])
    protected = disclosure.protect(long, ["headcount", "all"], rule)
    protected = _closed(protected, long, ["year", "partners"], filters, rule,
                        lambda other: _network_years(wh, other, network), ("headcount", "all"))
    shares = disclosure.share(protected["headcount"], protected["all"], rule,
                              protected["headcount_low"], protected["headcount_high"])
    return pd.concat([protected, shares], axis=1).sort_values(["partners", "year"], ignore_index=True)


def _network_years(wh: Warehouse, filters: Filters, network: str) -> pd.DataFrame:
    """Exact exchanges per year with the network's members and with the others (`partners`: members, others),
    and with everyone (`all`), in every year of the filter; none when there are none at all."""
    where, params = exchange_where(filters)
    source, _ = _by_partner(filters)
    exchanges = "exchanges" if source == "agg_mobility" else "incoming + outgoing"
    frame = wh.query(f"""
        WITH members AS ({_MEMBERS})
        SELECT year, coalesce(sum({exchanges}) FILTER (partner_code IN (SELECT * FROM members)), 0) AS members,
               coalesce(sum({exchanges}) FILTER (partner_code IS NULL OR partner_code NOT IN (SELECT * FROM members)), 0)
                   AS others
        FROM {source} WHERE {where} GROUP BY ALL""", [network] + params)
    if frame.empty:
        return pd.DataFrame(columns=["year", "partners", "headcount", "all"])
    years = pd.DataFrame({"year": range(filters.first_year, filters.last_year + 1)})
    wide = years.merge(frame, on="year", how="left").fillna(0)
    long = wide.melt(id_vars="year", var_name="partners", value_name="headcount")
    return long.assign(all=long.groupby("year")["headcount"].transform("sum"))


SHOW = ("all", "with_exchanges", "without_exchanges", "not_listed")


def filter_partners(table: pd.DataFrame, text: str = "", programme: str = "", network: str = "",
                    show: str = "all") -> pd.DataFrame:
    """The partner table narrowed as the partners page's controls say (the partner-country filter is
    a shared filter, applied by `partners`)."""
    rows = search(table, text)
    if programme:
        rows = rows[rows["programmes"].map(lambda p: programme in list(p))]
    if network:
        rows = rows[rows["networks"].map(lambda n: network in list(n))]
    if show == "with_exchanges":
        rows = rows[rows["listed"] & rows["exchanged"]]
    elif show == "without_exchanges":
        rows = rows[rows["listed"] & ~rows["exchanged"]]
    elif show == "not_listed":
        rows = rows[~rows["listed"]]
    return rows


def programmes_offered(table: pd.DataFrame) -> list[str]:
    return sorted({p for programmes in table["programmes"] for p in programmes})
