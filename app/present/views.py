"""Each chart of the dashboard: its metric, figure, title and summary together.

A page asks for a view and lays it out; an export asks for the same view and
writes it to a file. Nothing here imports Streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from app.model import metrics
from app.present import charts, summaries, theme
from app.words import labels, safe_text
from app.words.labels import SMALL_COUNTRIES
from app.model.data import Warehouse
from app.model.disclosure import Rule
from app.model.filters import Filters
from app.words.i18n import fmt_pp, fmt_share, fmt_share_range, pp_shown, sentence, t, tn


@dataclass
class Chart:
    key: str                        # stable slug for file names, e.g. "international-share-trend"
    title: str
    subtitle: str
    data: pd.DataFrame              # protected figures, as drawn
    years: tuple[int, int]
    figure: go.Figure | None = None
    summary: str = ""
    scope: str = ""                 # who the chart is about, when the title does not say (for file names)
    filters: str = ""               # the filters its figures obey, in words (see with_filters)
    empty_reason: str = ""          # why there is nothing to show, when it is not the filters' narrowness
    about: str | None = None        # filters.STAFF, STUDENTS or EXCHANGES when its figures are about that only
                                    # (which filters it names, which source it cites)

    @property
    def empty(self) -> bool:
        return self.figure is None


@dataclass(frozen=True)
class Change:
    """A headline card's change on the year before: its text, what it compares with, and its arrow and colour,
    which follow the change as written (a change written as ±0.0 pp is grey, without an arrow)."""
    text: str
    description: str
    arrow: str     # "up", "down" or "off"
    colour: str    # "green", "red" or "gray"


def card_change(card: metrics.Headline) -> Change | None:
    if card.share is None or card.previous_share is None:
        return None
    shown = pp_shown(card.share - card.previous_share)
    arrow, colour = ("up", "green") if shown > 0 else (("down", "red") if shown < 0 else ("off", "gray"))
    return Change(fmt_pp(card.share - card.previous_share), t("on {year}", year=card.previous_year), arrow, colour)


def card_value(card: metrics.Headline) -> str:
    """A card's share; a share known only as a range is written as one ("0.3%–1.0%"), not as a bare dash."""
    if card.share is not None:
        return fmt_share(card.share)
    if card.share_low is not None and card.share_high is not None:
        return fmt_share_range(card.share_low, card.share_high)
    return "–"


def with_filters(chart: Chart, words: str) -> Chart:
    """The chart naming the filters its figures obey ("Filters: School of Science; international means
    citizens of Germany"): on a line of its own under the subtitle, and after its summary. Files take
    them from `chart.filters`."""
    if chart.filters or not words:
        return chart
    chart.filters = words
    if not chart.empty:
        layout = chart.figure.layout
        top = layout.margin.t if layout.margin.t is not None else theme.TEMPLATE.layout.margin.t
        chart.figure.update_layout(
            title_subtitle_text=f"{safe_text.plotly(chart.subtitle)}<br>{safe_text.plotly(words)}", margin_t=top + 20)
        chart.summary = f"{chart.summary} ({words}.)"
    return chart


def on_screen(chart: Chart) -> go.Figure:
    """The chart's figure as a page draws it. The page writes the title and subtitle above it as text,
    which wraps on a phone (a figure's title does not, and was cut off) and gives screen readers a heading
    for each chart; the figure leaves them out and keeps them in `layout.meta` for whoever reads it alone
    (escaped as in a title: a name from the data is never markup, even where nothing draws it).
    Exported figures keep their titles (`exports.figure_for_export`)."""
    figure = go.Figure(chart.figure)
    figure.update_layout(title=dict(text="", subtitle=dict(text="")), margin_t=8,
                         meta={k: safe_text.plotly(v) for k, v in
                               dict(title=chart.title, subtitle=chart.subtitle, filters=chart.filters).items()})
    return figure


def _about(*keys: str) -> str | None:
    """STAFF or STUDENTS when the populations are all of one (a study-level filter says nothing about staff)."""
    kinds = {metrics.POPULATIONS[key].population for key in keys}
    return kinds.pop() if len(kinds) == 1 else None


def _span(years: tuple[int, int]) -> str:
    first, last = years
    return str(first) if first == last else f"{first}–{last}"


def _slug(key: str) -> str:
    return key.replace("_", "-")


def _trend(wh: Warehouse, filters: Filters, rule: Rule, slug: str, keys: tuple[str, ...], title: str,
           population: str, trends: pd.DataFrame | None = None) -> Chart:
    """`trends`: a share_trend that holds these populations among others (one query for two charts)."""
    frame = metrics.share_trend(wh, filters, keys, rule) if trends is None else metrics.populations(trends, keys)
    subtitle = t("{population}, share of people with known citizenship, {years}", population=population,
                 years=_span(filters.years))
    chart = Chart(slug, title, subtitle, frame, filters.years, about=_about(*keys))
    # A total known only as a range (threshold rule, hidden unknowns) still counts: its lowest value.
    if not frame.empty and frame["total"].fillna(frame["total_low"]).sum() > 0:
        chart.figure = charts.share_lines(frame, keys, title, subtitle)
        chart.summary = summaries.trend(frame, keys)
    return chart


def headline_trend(wh: Warehouse, filters: Filters, rule: Rule) -> Chart:
    return _trend(wh, filters, rule, "international-share-trend", metrics.HEADLINE,
                  t("International share of staff and students"), t("Staff and degree students"))


def staff_trend(wh: Warehouse, filters: Filters, rule: Rule) -> Chart:
    return _trend(wh, filters, rule, "international-staff-share-by-group", metrics.STAFF_BREAKDOWN,
                  t("International share by staff group"), t("Staff"))


def student_trend(wh: Warehouse, filters: Filters, rule: Rule, trends: pd.DataFrame | None = None) -> Chart:
    return _trend(wh, filters, rule, "international-student-share-by-level", metrics.STUDENT_BREAKDOWN,
                  t("International share by study level"), t("Degree students"), trends)


def new_student_trend(wh: Warehouse, filters: Filters, rule: Rule, trends: pd.DataFrame | None = None) -> Chart:
    return _trend(wh, filters, rule, "international-new-student-share", metrics.NEW_STUDENTS,
                  t("International share of new and all degree students"), t("Degree students"), trends)


def composition(wh: Warehouse, filters: Filters, rule: Rule, key: str) -> Chart:
    title = t("{population} by citizenship", population=labels.population(key))
    subtitle = t("Headcount, {years}", years=_span(filters.years))
    frame = metrics.composition(wh, filters, key, rule)
    chart = Chart(f"{_slug(key)}-by-citizenship", title, subtitle, frame, filters.years, about=_about(key))
    if not frame.empty:
        chart.figure = charts.composition_bars(frame, title, subtitle)
        chart.summary = summaries.composition(frame, key)
    return chart


def by_unit(wh: Warehouse, filters: Filters, rule: Rule, key: str) -> Chart:
    year = filters.last_year
    title = t("International share by unit")
    subtitle = t("{population}, {year}", population=labels.population(key), year=year)
    frame = metrics.shares_by(wh, filters, key, "unit", year, rule)
    chart = Chart(f"{_slug(key)}-international-share-by-unit", title, subtitle, frame, (year, year),
                  scope=labels.population(key), about=_about(key))
    if not frame.empty:
        chart.figure = charts.share_bars(frame, "unit", labels.unit, title, subtitle,
                                         t("Share of people with known citizenship"))
        chart.summary = summaries.ranking(frame, key, "unit", labels.unit)
    return chart


def by_career_stage(wh: Warehouse, filters: Filters, rule: Rule) -> Chart:
    year, key = filters.last_year, "teaching_research"
    title = t("International share by career stage")
    subtitle = t("{population}, {year}", population=labels.population(key), year=year)
    frame = metrics.shares_by(wh, filters, key, "career_stage", year, rule)
    chart = Chart("international-share-by-career-stage", title, subtitle, frame, (year, year), about=_about(key))
    if not frame.empty:
        chart.figure = charts.share_bars(frame, "career_stage", labels.career_stage, title, subtitle,
                                         t("Share of people with known citizenship"))
        chart.summary = summaries.ranking(frame, key, "career_stage", labels.career_stage)
    return chart


def top_countries(frame: pd.DataFrame, key: str, year: int, n: int) -> Chart:
    """From `metrics.country_counts`, which the map uses too. The title counts the countries it names
    (a country filter may leave fewer than the list's length)."""
    named = min(n, int((frame["citizenship"] != SMALL_COUNTRIES).sum())) if not frame.empty else 0
    title = tn("Top citizenship", "Top {n} citizenships", named) if named else t("Top citizenships")
    subtitle = t("{subject}, {year}", subject=sentence(labels.international_people(key)), year=year)
    chart = Chart(f"top-{n}-citizenships-{_slug(key)}", title, subtitle, frame.head(n), (year, year),
                  scope=labels.population(key), about=_about(key))
    if not frame.empty:
        chart.figure = charts.count_bars(frame.head(n), title, subtitle, t("Headcount (people)"))
        chart.summary = summaries.top_countries(frame, key, year, n)
    return chart


def countries_map(frame: pd.DataFrame, key: str, year: int) -> Chart:
    """From `metrics.country_counts`, which the top list uses too."""
    title = t("Where they come from")
    subtitle = t("{subject} by citizenship, {year}", subject=sentence(labels.international_people(key)), year=year)
    chart = Chart(f"citizenships-map-{_slug(key)}", title, subtitle, frame, (year, year), scope=labels.population(key),
                  about=_about(key))
    if not frame.empty:
        chart.figure = charts.world_map(frame, title, subtitle)
        chart.summary = summaries.countries_map(frame, key, year)
    return chart


def regions(wh: Warehouse, filters: Filters, rule: Rule, key: str) -> Chart:
    title = t("By world region")
    subtitle = t("{subject}, headcount, {years}", subject=sentence(labels.international_people(key)),
                 years=_span(filters.years))
    frame = metrics.region_trend(wh, filters, key, rule)
    chart = Chart(f"{_slug(key)}-by-region", title, subtitle, frame, filters.years, scope=labels.population(key),
                  about=_about(key))
    if not frame.empty:
        chart.figure = charts.headcount_lines(frame, "region", labels.region, theme.REGION_COLOURS, title, subtitle)
        chart.summary = summaries.regions(frame, key)
    return chart


def country_drilldown(wh: Warehouse, filters: Filters, rule: Rule, country: str) -> Chart:
    title = t("Citizens of {country}", country=labels.country(country))
    subtitle = t("Headcount by staff group and study level, {years}", years=_span(filters.years))
    frame = metrics.country_trend(wh, filters, country, rule)
    chart = Chart(f"citizens-of-{country.lower()}", title, subtitle, frame, filters.years)
    if not frame.empty:
        chart.figure = charts.headcount_lines(frame, "population", labels.population, theme.POPULATION_COLOURS,
                                              title, subtitle)
        chart.summary = summaries.country_trend(frame, country)
    return chart
