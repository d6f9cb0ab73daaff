"""How many countries the international people of a population come from, and how evenly.

A university with many people from few countries is less international than its share suggests. Every
measure is computed from each country's protected count (`metrics.each_country`: the rule applied to each
country on its own, no country named); a count shown only as a range ("1–4") makes the measure a range,
taken with every such count at the low end of its range and at the high end:

- number of countries: countries with at least one international person;
- effective number of countries (Shannon): exp(-Σ pᵢ ln pᵢ), the number of equally large countries that would
  be as diverse; inverse Simpson: 1 / Σ pᵢ², the same weighing the large countries more;
- share of the five largest: their people of all international people.

With a country filter the measures are not computed: they are about where everyone comes from. Nothing here
imports Streamlit.
"""

from __future__ import annotations

import math

import pandas as pd

from app.model import metrics
from app.model.data import Warehouse
from app.model.disclosure import Rule
from app.model.filters import Filters

MEASURES = ("countries", "shannon", "simpson")
TOP = 5


def shannon(counts: list[float]) -> float:
    total = sum(counts)
    return math.exp(-sum(c / total * math.log(c / total) for c in counts if c > 0)) if total > 0 else math.nan


def simpson(counts: list[float]) -> float:
    total = sum(counts)
    return 1 / sum((c / total) ** 2 for c in counts) if total > 0 else math.nan


def _end(frame: pd.DataFrame, column: str, end: str) -> list[float]:
    """Each country's protected count, or the `end` ("low", "high") of its range where it has only a range."""
    return [float(v) if v == v else float(e) for v, e in zip(frame[column], frame[f"{column}_{end}"])]


def of_year(frame: pd.DataFrame) -> dict[str, float]:
    """The measures of one year's protected counts by country (`metrics.each_country`): `<measure>`,
    `<measure>_low`, `<measure>_high` (the single figure NaN when the two ends differ), and `top5` likewise."""
    out: dict[str, float] = {}
    present = frame[frame["headcount_high"] > 0] if not frame.empty else frame
    low, high = (_end(present, "headcount", end) for end in ("low", "high"))
    for measure, function in (("countries", len), ("shannon", shannon), ("simpson", simpson)):
        values = sorted((float(function(low)), float(function(high)))) if low else [math.nan, math.nan]
        out |= _figure(measure, *values, 0.5 if measure == "countries" else 0.05)
    if present.empty:
        return out | _figure("top5", math.nan, math.nan, 0)
    # The five largest at each end; the total as protected.
    top_low, top_high = (sum(sorted(values, reverse=True)[:TOP]) for values in (low, high))
    total_low, total_high = (_end(present.head(1), "all_international", end)[0] for end in ("low", "high"))
    share_low = top_low / total_high if total_high else math.nan
    share_high = min(1.0, top_high / total_low) if total_low else math.nan
    return out | _figure("top5", share_low, share_high, 0.0005)


def _figure(measure: str, low: float, high: float, same: float) -> dict[str, float]:
    """A single figure when the two ends are within `same` of each other (they round alike), else a range."""
    single = low if low == low and high - low < same else math.nan
    return {measure: single, f"{measure}_low": low, f"{measure}_high": high}


def trend(wh: Warehouse, filters: Filters, key: str, rule: Rule) -> pd.DataFrame:
    """Per year of the filter with international people: the measures (under the definition and filters in
    force), with `international_label`, their protected number. Empty with a country filter."""
    if filters.countries:
        return pd.DataFrame()
    rows = []
    for year in range(filters.first_year, filters.last_year + 1):
        if year not in wh.options.people_years:
            continue
        frame = metrics.each_country(wh, filters, key, year, rule)
        if frame.empty:
            continue
        rows.append({"year": year, **of_year(frame), "international_label": frame["all_international_label"].iloc[0]})
    return pd.DataFrame(rows)
