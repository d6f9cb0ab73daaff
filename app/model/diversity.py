"""How many countries the international people of a population come from, and how evenly.

A university with many people from few countries is less international than its share suggests. Every
measure is computed from the Countries page's protected list (`metrics.country_counts`): each country with
enough people to be shown on its own, with its protected count, and the others only as their protected total,
never named nor counted one by one (how many small countries there are, beside their total, gave back that each
had one person). The small countries' people come from at least as many countries as it takes at the most
people a small count can hold (4 under the Vipunen rule) and at most one country each; every measure is taken
at those two ends (the concentrated one with the low end of each range, the spread one with the high end) and
shown as the range between them, or as one figure when the two agree:

- number of countries: those with enough people to be shown on their own (all of them under the rule none);
  the people of the others are given as their protected total;
- effective number of countries (Shannon): exp(-Σ pᵢ ln pᵢ), the number of equally large countries that would
  be as diverse; inverse Simpson: 1 / Σ pᵢ², the same weighing the large countries more;
- share of the five largest: their people of all international people (withheld when fewer than five countries
  are shown on their own).

The two ends are the measure of two possible spreads of the protected counts, not bounds proven to hold the
exact value. With a country filter the measures are not computed: they are about where everyone comes from.
Nothing here imports Streamlit.
"""

from __future__ import annotations

import math

import pandas as pd

from app.model import disclosure, metrics
from app.model.data import Warehouse
from app.model.disclosure import Rule
from app.model.filters import Filters
from app.words.labels import SMALL_COUNTRIES

MEASURES = ("countries", "shannon", "simpson")   # drawn together; "countries": those shown on their own
TOP = 5


def shannon(counts: list[float]) -> float:
    total = sum(counts)
    return math.exp(-sum(c / total * math.log(c / total) for c in counts if c > 0)) if total > 0 else math.nan


def simpson(counts: list[float]) -> float:
    total = sum(counts)
    return 1 / sum((c / total) ** 2 for c in counts) if total > 0 else math.nan


def _ends(frame: pd.DataFrame, rule: Rule) -> tuple[list[float], list[float]] | None:
    """The country counts at the concentrated end and the spread end of what the protected list allows; None
    when a count is withheld without bounds (secondary suppression)."""
    named = frame[frame["citizenship"] != SMALL_COUNTRIES]
    if (named["headcount"].isna() & (named["headcount_high"] == 0)).any():
        return None
    low = named["headcount"].fillna(named["headcount_low"]).astype(float).tolist()
    high = named["headcount"].fillna(named["headcount_high"]).astype(float).tolist()
    small = frame[frame["citizenship"] == SMALL_COUNTRIES]
    if not small.empty:
        row = small.iloc[0]
        if row["headcount"] != row["headcount"] and row["headcount_high"] == 0:
            return None
        # The ends of the total's range even when it is shown rounded: seven people shown as 6 may be seven
        # countries.
        few_low, few_high = int(row["headcount_low"]), int(row["headcount_high"])
        most = max(1, disclosure.smallest_shown(rule) - 1)   # the most people a small country can have
        if few_high > 0:
            few_low = max(few_low, 1)
            low += [float(most)] * (few_low // most) + ([float(few_low % most)] if few_low % most else [])
            high += [1.0] * few_high
    return [c for c in low if c > 0], [c for c in high if c > 0]


def of_year(frame: pd.DataFrame, rule: Rule) -> dict[str, float]:
    """The measures of one year's protected country list (`metrics.country_counts`): `<measure>`,
    `<measure>_low`, `<measure>_high` (the single figure NaN when the two ends differ), and `top5` likewise."""
    out: dict[str, float] = {}
    ends = _ends(frame, rule) if not frame.empty else None
    named = frame[frame["citizenship"] != SMALL_COUNTRIES] if not frame.empty else frame
    small = frame[frame["citizenship"] == SMALL_COUNTRIES] if not frame.empty else frame
    # How many countries are shown on their own (exact: the Countries page names them), and the people of the
    # others, as protected; their number of countries is not told (beside their total it gave each one person).
    out |= _figure("countries", float(len(named)), float(len(named))) if ends is not None else \
        _figure("countries", math.nan, math.nan)
    out["few_label"] = small["headcount_label"].iloc[0] if not small.empty else ""
    for measure, function in (("shannon", shannon), ("simpson", simpson)):
        if ends is None or not ends[0]:
            low = high = math.nan
        else:
            # As written (one decimal): a figure and its file agree, and 2.9999999999999996 is 3.0.
            low, high = sorted(round(float(function(end)), 1) for end in ends)
        out |= _figure(measure, low, high)
    largest = named.head(TOP)
    if ends is None or len(largest) < TOP or largest["share_low"].isna().any():
        return out | _figure("top5", math.nan, math.nan)
    if largest["share"].notna().all():
        top = float(largest["share"].sum())
        return out | _figure("top5", top, top)
    return out | _figure("top5", float(largest["share_low"].sum()), min(1.0, float(largest["share_high"].sum())))


def _figure(measure: str, low: float, high: float) -> dict[str, float]:
    """A single figure when the two ends are the same, else a range."""
    single = low if low == low and abs(high - low) < 1e-9 else math.nan
    return {measure: single, f"{measure}_low": low, f"{measure}_high": high}


def trend(wh: Warehouse, filters: Filters, key: str, rule: Rule) -> pd.DataFrame:
    """Per year of the filter with international people: the measures (under the definition and filters in
    force), with `international_label`, their protected number. Empty with a country filter."""
    if filters.countries:
        return pd.DataFrame()
    rows = []
    for year, frame in metrics.country_counts_per_year(wh, filters, key, rule).items():
        if year not in wh.options.people_years or frame.empty:
            continue
        rows.append({"year": year, **of_year(frame, rule),
                     "international_label": frame["all_international_label"].iloc[0]})
    return pd.DataFrame(rows)
