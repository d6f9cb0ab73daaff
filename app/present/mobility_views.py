"""The charts of the mobility, partners and networks pages (no Streamlit here)."""

from __future__ import annotations

import pandas as pd

from app.model import mobility
from app.present import charts, summaries, theme
from app.words import labels, safe_text
from app.model.data import Warehouse
from app.model.disclosure import Rule
from app.model.filters import EXCHANGES, Filters
from app.words.i18n import fmt_int, t, tn
from app.present.views import Chart, _span

DIRECTION_COLOURS = {"incoming": theme.BLUE, "outgoing": theme.ORANGE}


def _long(frame: pd.DataFrame) -> pd.DataFrame:
    """year, direction, headcount(+_low, _high, _label) from the wide per-year frame."""
    parts = []
    for direction in mobility.DIRECTIONS:
        part = frame[["year", direction, f"{direction}_low", f"{direction}_high", f"{direction}_label"]].copy()
        part.columns = ["year", "headcount", "headcount_low", "headcount_high", "headcount_label"]
        part.insert(1, "direction", direction)
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def _per_year_chart(key: str, title: str, subtitle: str, frame: pd.DataFrame, years: tuple[int, int],
                    partner: str | None = None) -> Chart:
    """Exchange periods each way per year, as lines (per_year and partner_history frames)."""
    chart = Chart(key, title, subtitle, frame, years, about=EXCHANGES)
    if not frame.empty and frame["volume"].sum() > 0:
        chart.data = _long(frame)
        chart.figure = charts.headcount_lines(chart.data, "direction", labels.direction, DIRECTION_COLOURS, title,
                                              subtitle, y_title=t("Exchange periods"), order=mobility.DIRECTIONS)
        chart.summary = summaries.exchanges(frame, partner)
    return chart


def exchanges_per_year(wh: Warehouse, f: Filters, rule: Rule) -> Chart:
    title = t("Exchange periods per year")
    subtitle = t("Exchange periods of incoming and outgoing students and staff, {years}", years=_span(f.years))
    return _per_year_chart("exchanges-per-year", title, subtitle, mobility.per_year(wh, f, rule), f.years)


def exchanges_by(wh: Warehouse, f: Filters, rule: Rule, dimension: str) -> Chart:
    names = {"level": labels.mobility_level, "programme": labels.programme, "unit": labels.unit_or_missing}[dimension]
    title = {"level": t("Exchanges by level"), "programme": t("Exchanges by programme"),
             "unit": t("Exchanges by unit")}[dimension]
    subtitle = t("Exchange periods each way, {years} together", years=_span(f.years))
    frame = mobility.breakdown(wh, f, dimension, rule)
    chart = Chart(f"exchanges-by-{dimension}", title, subtitle, frame, f.years, about=EXCHANGES)
    if not frame.empty:
        chart.figure = charts.paired_bars(frame, dimension, names, title, subtitle)
        chart.summary = summaries.largest_flow(frame, dimension, names)
    return chart


def balance_by_country(by_country: pd.DataFrame, f: Filters, top: int = 15) -> Chart:
    """From `mobility.breakdown(..., "partner_country", ...)`, shared with `flows`."""
    title = t("Balance of exchanges by partner country")
    subtitle = t("Incoming minus outgoing, the {n} busiest countries, {years} together", n=top, years=_span(f.years))
    frame = by_country.head(top)
    chart = Chart("exchange-balance-by-country", title, subtitle, frame, f.years, about=EXCHANGES)
    if not frame.empty:
        chart.figure = charts.diverging_bars(frame, "partner_country", labels.country, title, subtitle)
        chart.summary = summaries.balance(frame)
    return chart


def flows(by_country: pd.DataFrame, f: Filters, rule: Rule, top: int = 10) -> Chart:
    """From `mobility.breakdown(..., "partner_country", ...)`, shared with `balance_by_country`."""
    title = t("Where exchange students and staff come from and go to")
    subtitle = t("Exchange periods by partner country, the {n} largest each way, {years} together", n=top,
                 years=_span(f.years))
    frame = by_country
    chart = Chart("exchange-flows", title, subtitle, frame, f.years, about=EXCHANGES)
    if frame.empty:
        return chart
    sides = []
    for direction in mobility.DIRECTIONS:
        ordered = frame.sort_values(f"{direction}_high", ascending=False)
        head, rest = ordered.head(top), ordered.iloc[top:]
        if not rest.empty:
            other = mobility._both_ways(pd.DataFrame({"partner_country": ["other"], "incoming": [0], "outgoing": [0]}),
                                        ["partner_country"], rule)
            # The rest is summed from protected figures, so it reveals nothing new; with a part known only as a
            # range, the sum is a range too (drawn at its top).
            low, high = int(rest[f"{direction}_low"].sum()), int(rest[f"{direction}_high"].sum())
            exact = rest[direction].notna().all()
            other[direction] = int(rest[direction].sum()) if exact else high
            other[f"{direction}_high"] = high
            other[f"{direction}_label"] = fmt_int(high) if exact else f"{fmt_int(low)}–{fmt_int(high)}"
            head = pd.concat([head, other], ignore_index=True)
        sides.append(head[head[f"{direction}_high"] > 0])
    chart.figure = charts.flow_sankey(sides[0], sides[1], labels.university(), title, subtitle)
    chart.summary = summaries.flows(frame)
    return chart


def average_stay(wh: Warehouse, f: Filters, rule: Rule) -> Chart:
    title = t("Average length of a student exchange")
    subtitle = t("Days, periods with an end date, {years}", years=_span(f.years))
    frame = mobility.average_stay(wh, f, rule)
    shown = frame.dropna(subset=["days"]) if not frame.empty else frame
    chart = Chart("average-exchange-length", title, subtitle, frame, f.years, about=EXCHANGES)
    if not shown.empty:
        chart.data = shown[["year", "direction", "days", "periods", "periods_low", "periods_high", "periods_label"]]
        chart.figure = charts.value_lines(shown, "direction", "days", labels.direction, DIRECTION_COLOURS, title,
                                          subtitle, t("Days"), t("days"))
        chart.summary = summaries.stay(frame, mobility.MIN_STAY_PERIODS)
    return chart


def partner_history(wh: Warehouse, f: Filters, rule: Rule, code: str, name: str) -> Chart:
    title = t("Exchanges with {partner}", partner=name)
    # Each year is rounded on its own, as every count is: the years need not add up to the table's total.
    subtitle = (t("Exchange periods each way, {years}", years=_span(f.years)) if rule.exact else
                t("Exchange periods each way, {years}; each year rounded on its own", years=_span(f.years)))
    frame = mobility.partner_history(wh, f, rule, code, name)
    return _per_year_chart(f"exchanges-with-{safe_text.slug(code or name)}", title, subtitle, frame, f.years, name)


def partner_map(table: pd.DataFrame, f: Filters) -> Chart:
    title = t("Partner institutions by country")
    subtitle = t("Agreements, with exchanges each way in {years}", years=_span(f.years))
    listed = table[table["listed"]]
    chart = Chart("partners-by-country", title, subtitle, listed, f.years, about=EXCHANGES)
    if listed.empty:
        return chart
    by_country = listed.groupby("country").agg(partners=("partner_code", "count"), incoming=("incoming_high", "sum"),
                                               outgoing=("outgoing_high", "sum")).reset_index()
    by_country["hover"] = [tn("{n} partner", "{n} partners", int(n)) for n in by_country["partners"]]
    chart.data = by_country[["country", "partners"]]
    chart.figure = charts.partner_map(by_country, title, subtitle)
    chart.summary = summaries.partner_countries(by_country)
    return chart


def _network_years(f: Filters, network: str) -> tuple[Filters | None, str]:
    """The filters for a network's charts (its years start when it began) and the words for their years."""
    kept = mobility.network_filters(f, network)
    if kept is None:
        return None, t("{years} (before {network} began in {since})", years=_span(f.years), network=network,
                       since=mobility.network_since(network))
    if kept.years != f.years:
        return kept, t("{years} ({network} began in {since})", years=_span(kept.years), network=network,
                       since=kept.first_year)
    return kept, _span(f.years)


def network_not_yet(f: Filters, network: str) -> str:
    """Why a network has nothing to show in years before it began ("" when that is not the reason)."""
    since = mobility.network_since(network)
    if since is None or mobility.network_filters(f, network) is not None:
        return ""
    return t("{network} began in {since}: its figures start then. Choose years up to {since} or later.",
             network=network, since=since)


def network_exchanges(wh: Warehouse, f: Filters, rule: Rule, network: str) -> Chart:
    kept, years = _network_years(f, network)
    title = t("Exchanges with {network} members", network=network)
    subtitle = t("Exchange periods each way per year, {years}", years=years)
    frame = mobility.per_year(wh, kept, rule, network) if kept else pd.DataFrame(columns=["year", *mobility.DIRECTIONS])
    chart = _per_year_chart(f"exchanges-with-{safe_text.slug(network)}-members", title, subtitle, frame,
                            (kept or f).years, t("{network} members", network=network))
    chart.empty_reason = network_not_yet(f, network)
    return chart


def network_share(wh: Warehouse, f: Filters, rule: Rule, network: str) -> Chart:
    kept, years = _network_years(f, network)
    title = t("{network} members' part of all exchanges", network=network)
    subtitle = t("Exchange periods with members, as a share of all exchange periods, {years}", years=years)
    frame = (mobility.network_trend(wh, kept, rule, network) if kept
             else pd.DataFrame(columns=["year", "partners", "headcount"]))
    chart = Chart(f"{safe_text.slug(network)}-share-of-exchanges", title, subtitle, frame, (kept or f).years,
                  about=EXCHANGES)
    members = frame[frame["partners"] == "members"] if not frame.empty else frame
    if not members.empty and members["headcount_high"].sum() > 0:
        chart.data = members
        chart.figure = charts.share_lines(members, ("members",), title, subtitle, series="partners",
                                          names=labels.partners_group, colours={"members": theme.BLUE},
                                          part="headcount", whole="all", y_title=t("Share of all exchange periods"))
        chart.summary = summaries.network(frame, network)
    chart.empty_reason = network_not_yet(f, network)
    return chart
