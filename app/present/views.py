"""Each chart of the dashboard: its metric, figure, title and summary together.

A page asks for a view and lays it out; an export asks for the same view and
writes it to a file. Nothing here imports Streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from app.model import definitions, metrics, reconciliation
from app.present import charts, summaries, theme
from app.words import labels, safe_text
from app.words.labels import SMALL_COUNTRIES
from app.model.data import Warehouse
from app.model.disclosure import Rule
from app.model.filters import Filters
from etl.values import year_list
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
    definition: str = ""            # the definition of international its figures use ("": not about people)
    whole: bool = False             # about the whole university whatever the filters (targets, the comparison)
    _scoped: bool = field(default=False, repr=False)   # with_filters has named its definition and filters

    @property
    def empty(self) -> bool:
        return self.figure is None

    @property
    def byline(self) -> str:
        """The line under the subtitle: which definition of international, and the filters in force."""
        named = self.definition in definitions.KEYS   # not "" (exchanges) nor ALL (the definitions compared)
        return " · ".join(part for part in (definitions.line(self.definition) if named else "", self.filters) if part)


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
    """The chart naming its definition of international and the filters its figures obey ("International by
    register citizenship · Filters: School of Science"): on a line of its own under the subtitle (`byline`);
    the filters also after its summary. Files take them from `chart.definition` and `chart.filters`."""
    if chart._scoped:
        return chart
    chart._scoped, chart.filters = True, words
    if not chart.empty and chart.byline:
        layout = chart.figure.layout
        top = layout.margin.t if layout.margin.t is not None else theme.TEMPLATE.layout.margin.t
        chart.figure.update_layout(
            title_subtitle_text=f"{safe_text.plotly(chart.subtitle)}<br>{safe_text.plotly(chart.byline)}",
            margin_t=top + 20)
        if words:
            chart.summary = f"{chart.summary} ({words}.)"
    return chart


def on_screen(chart: Chart) -> go.Figure:
    """The chart's figure as a page draws it. The page writes the title and subtitle above it as text,
    which wraps on a phone (a figure's title does not, and was cut off) and gives screen readers a heading
    for each chart; the figure leaves them out and keeps them in `layout.meta` for whoever reads it alone
    (escaped as in a title: a name from the data is never markup, even where nothing draws it).
    Exported figures keep their titles (`exports.figure_for_export`)."""
    spec = chart.figure.to_dict()
    layout = spec["layout"]
    title = layout.setdefault("title", {})
    title["text"] = ""
    title.setdefault("subtitle", {})["text"] = ""
    layout.setdefault("margin", {})["t"] = 8
    layout["meta"] = {k: safe_text.plotly(v) for k, v in
                      dict(title=chart.title, subtitle=chart.subtitle, filters=chart.filters,
                           definition=definitions.line(chart.definition)
                           if chart.definition in definitions.KEYS else "").items()}
    # Not validated (that cost a tenth of a second on a page of four charts): see charts.made.
    return go.Figure(spec, _validate=False)


def _about(*keys: str) -> str | None:
    """STAFF or STUDENTS when the populations are all of one (a study-level filter says nothing about staff)."""
    kinds = {metrics.POPULATIONS[key].population for key in keys}
    return kinds.pop() if len(kinds) == 1 else None


def _span(years: tuple[int, int]) -> str:
    first, last = years
    return str(first) if first == last else f"{first}–{last}"


def _slug(key: str) -> str:
    return key.replace("_", "-")


def _unavailable(wh: Warehouse, filters: Filters, keys: tuple[str, ...],
                 advice: bool = True) -> tuple[tuple[str, ...], str]:
    """The populations of `keys` that the definition in force can count, and why the others cannot (with
    `advice`, what the reader can do: for the screen, not for a summary that files carry)."""
    reasons = {key: definitions.why_not(wh.coverage, filters.definition, metrics.POPULATIONS[key].population,
                                        advice) for key in keys}
    kept = tuple(key for key in keys if reasons[key] is None)
    return kept, " ".join(dict.fromkeys(reason for reason in reasons.values() if reason))


def _not_recorded_note(wh: Warehouse, filters: Filters, keys: tuple[str, ...]) -> str:
    """Years of the filter whose exports give nobody's country under the definition in force."""
    populations = dict.fromkeys(metrics.POPULATIONS[key].population for key in keys)
    years = sorted({y for p in populations for y in wh.coverage.missing_years(filters.definition, p, filters.years)})
    if not years or filters.definition == definitions.REGISTER:
        return ""
    return t("Nobody can be counted by {definition} in {years}: the exports of those years do not give it.",
             definition=definitions.name(filters.definition), years=year_list(years))


def _trend(wh: Warehouse, filters: Filters, rule: Rule, slug: str, keys: tuple[str, ...], title: str,
           population: str, trends: pd.DataFrame | None = None) -> Chart:
    """`trends`: a share_trend that holds these populations among others (one query for two charts)."""
    kept, why = _unavailable(wh, filters, keys)
    plain = _unavailable(wh, filters, keys, advice=False)[1]
    if not kept:
        frame = pd.DataFrame()
    else:
        frame = metrics.share_trend(wh, filters, kept, rule) if trends is None else metrics.populations(trends, kept)
    kinds = {metrics.POPULATIONS[key].population for key in kept}
    if len(kinds) == 1 and len({metrics.POPULATIONS[key].population for key in keys}) > 1:
        population = t("Staff") if kinds == {"staff"} else t("Degree students")   # the others are not drawn
    subtitle = t("{population}, {base}, {years}", population=population, years=_span(filters.years),
                 base=definitions.share_base(filters.definition))
    chart = Chart(slug, title, subtitle, frame, filters.years, about=_about(*keys), definition=filters.definition,
                  empty_reason=why if not kept else "")
    # A total known only as a range (threshold rule, hidden unknowns) still counts: its lowest value.
    if not frame.empty and frame["total"].fillna(frame["total_low"]).sum() > 0:
        chart.figure = charts.share_lines(frame, kept, title, subtitle,
                                          y_title=sentence(definitions.share_base(filters.definition)))
        chart.summary = " ".join(part for part in (summaries.trend(frame, kept), plain,
                                                   _not_recorded_note(wh, filters, kept)) if part)
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


def _empty_unless_counted(wh: Warehouse, filters: Filters, key: str, chosen_here: bool = False) -> str:
    """Why the definition in force cannot count this population ("" when it can); `chosen_here`: the page has
    its own choice of population, which is the first thing to change."""
    if not chosen_here:
        return _unavailable(wh, filters, (key,))[1]
    why = _unavailable(wh, filters, (key,), advice=False)[1]
    advice = t("Choose a population it counts above, or another definition in the sidebar.")
    return f"{why} {advice}" if why else ""


def composition(wh: Warehouse, filters: Filters, rule: Rule, key: str) -> Chart:
    title = definitions.by_country(filters.definition, labels.population(key))
    subtitle = t("Headcount, {years}", years=_span(filters.years))
    why = _empty_unless_counted(wh, filters, key)
    frame = metrics.composition(wh, filters, key, rule) if not why else pd.DataFrame()
    chart = Chart(f"{_slug(key)}-by-citizenship", title, subtitle, frame, filters.years, about=_about(key),
                  definition=filters.definition, empty_reason=why)
    if not frame.empty:
        chart.figure = charts.composition_bars(frame, title, subtitle)
        chart.summary = " ".join(part for part in (summaries.composition(frame, key, filters.definition),
                                                   _not_recorded_note(wh, filters, (key,))) if part)
    return chart


def _shares_by(wh: Warehouse, filters: Filters, rule: Rule, key: str, dimension: str, slug: str, title: str,
               name, scope: str = "") -> Chart:
    year = filters.last_year
    subtitle = t("{population}, {year}", population=labels.population(key), year=year)
    why = _empty_unless_counted(wh, filters, key)
    frame = metrics.shares_by(wh, filters, key, dimension, year, rule) if not why else pd.DataFrame()
    chart = Chart(slug, title, subtitle, frame, (year, year), scope=scope, about=_about(key),
                  definition=filters.definition, empty_reason=why)
    if not frame.empty:
        chart.figure = charts.share_bars(frame, dimension, name, title, subtitle,
                                         sentence(definitions.share_base(filters.definition)))
        chart.summary = summaries.ranking(frame, key, dimension, name)
    return chart


def by_unit(wh: Warehouse, filters: Filters, rule: Rule, key: str) -> Chart:
    return _shares_by(wh, filters, rule, key, "unit", f"{_slug(key)}-international-share-by-unit",
                      t("International share by unit"), labels.unit, scope=labels.population(key))


def by_career_stage(wh: Warehouse, filters: Filters, rule: Rule) -> Chart:
    return _shares_by(wh, filters, rule, "teaching_research", "career_stage", "international-share-by-career-stage",
                      t("International share by career stage"), labels.career_stage)


def country_counts(wh: Warehouse, filters: Filters, key: str, year: int, rule: Rule) -> pd.DataFrame:
    """`metrics.country_counts`, or nothing when the definition in force cannot count the population (the
    charts made from it then say why)."""
    if _empty_unless_counted(wh, filters, key):
        return pd.DataFrame(columns=["citizenship", "region", "headcount", "share"])
    return metrics.country_counts(wh, filters, key, year, rule)


def top_countries(wh: Warehouse, filters: Filters, frame: pd.DataFrame, key: str, year: int, n: int) -> Chart:
    """From `country_counts`, which the map uses too. The title counts the countries it names
    (a country filter may leave fewer than the list's length)."""
    named = min(n, int((frame["citizenship"] != SMALL_COUNTRIES).sum())) if not frame.empty else 0
    title = definitions.top_countries(filters.definition, named)
    subtitle = t("{subject}, {year}", subject=sentence(labels.international_people(key)), year=year)
    chart = Chart(f"top-{n}-citizenships-{_slug(key)}", title, subtitle, frame.head(n), (year, year),
                  scope=labels.population(key), about=_about(key), definition=filters.definition,
                  empty_reason=_empty_unless_counted(wh, filters, key, chosen_here=True))
    if not frame.empty:
        chart.figure = charts.count_bars(frame.head(n), title, subtitle, t("Headcount (people)"))
        chart.summary = summaries.top_countries(frame, key, year, n, filters.definition)
    return chart


def countries_map(wh: Warehouse, filters: Filters, frame: pd.DataFrame, key: str, year: int) -> Chart:
    """From `country_counts`, which the top list uses too."""
    title = t("Where they come from")
    subtitle = definitions.by_country(filters.definition, sentence(labels.international_people(key))) + f", {year}"
    chart = Chart(f"citizenships-map-{_slug(key)}", title, subtitle, frame, (year, year), scope=labels.population(key),
                  about=_about(key), definition=filters.definition,
                  empty_reason=_empty_unless_counted(wh, filters, key, chosen_here=True))
    if not frame.empty:
        chart.figure = charts.world_map(frame, title, subtitle)
        chart.summary = summaries.countries_map(frame, key, year)
    return chart


def regions(wh: Warehouse, filters: Filters, rule: Rule, key: str) -> Chart:
    title = t("By world region")
    subtitle = t("{subject}, headcount, {years}", subject=sentence(labels.international_people(key)),
                 years=_span(filters.years))
    why = _empty_unless_counted(wh, filters, key, chosen_here=True)
    frame = metrics.region_trend(wh, filters, key, rule) if not why else pd.DataFrame()
    chart = Chart(f"{_slug(key)}-by-region", title, subtitle, frame, filters.years, scope=labels.population(key),
                  about=_about(key), definition=filters.definition, empty_reason=why)
    if not frame.empty:
        chart.figure = charts.headcount_lines(frame, "region", labels.region, theme.REGION_COLOURS, title, subtitle)
        chart.summary = summaries.regions(frame, key)
    return chart


def country_drilldown(wh: Warehouse, filters: Filters, rule: Rule, country: str) -> Chart:
    title = definitions.from_country(filters.definition, labels.country(country))
    subtitle = t("Headcount by staff group and study level, {years}", years=_span(filters.years))
    # Only the groups the definition counts: the others would read as "0–4 in every year".
    kept, why = _unavailable(wh, filters, metrics.STAFF_BREAKDOWN + metrics.STUDENT_BREAKDOWN, advice=False)
    frame = metrics.country_trend(wh, filters, country, rule, kept)
    chart = Chart(f"citizens-of-{country.lower()}", title, subtitle, frame, filters.years,
                  definition=filters.definition)
    if not frame.empty:
        chart.figure = charts.headcount_lines(frame, "population", labels.population, theme.POPULATION_COLOURS,
                                              title, subtitle)
        chart.summary = " ".join(part for part in (summaries.country_trend(frame, country, title), why) if part)
    return chart


# --- the definitions compared (methodology page) --------------------------------

def definitions_side_by_side(wh: Warehouse, rule: Rule, key: str, year: int) -> Chart:
    """The international share of one population and year under every definition, whole university."""
    frame = reconciliation.side_by_side(wh, key, year, rule)
    title = t("International by each definition")
    subtitle = t("{population}, {year}, whole university (the sidebar's filters do not apply)",
                 population=labels.population(key), year=year)
    counted = frame[frame["reason"] == ""].drop(columns="reason") if not frame.empty else frame
    chart = Chart(f"international-by-definition-{_slug(key)}", title, subtitle, counted, (year, year),
                  scope=labels.population(key), about=_about(key), definition=definitions.ALL, _scoped=True, whole=True,
                  empty_reason=t("No {population} were counted in {year}.", population=labels.population(key),
                                 year=year))
    if not counted.empty and "share" in counted:
        chart.figure = charts.share_bars(counted, "definition", lambda d: sentence(definitions.name(d)), title,
                                         subtitle, t("Share of people whose country under the definition is known"))
        said = [t("{definition}: {share} ({international} of {known}).", definition=sentence(definitions.name(d)),
                  share=fmt_share(s) if s == s else fmt_share_range(lo, hi), international=i, known=k)
                for d, s, lo, hi, i, k in zip(counted["definition"], counted["share"], counted["share_low"],
                                              counted["share_high"], counted["international_label"],
                                              counted["known_label"])]
        missing = [t("{definition}: {reason}", definition=sentence(definitions.name(d)), reason=r)
                   for d, r in zip(frame["definition"], frame["reason"]) if r]
        chart.summary = " ".join(said + missing)
    return chart


def definition_changes(wh: Warehouse, rule: Rule, key: str, year: int) -> Chart:
    """The people one population and year counts on another side under each definition than under the
    register's, by why."""
    frame = reconciliation.changes(wh, key, year, rule)
    title = t("Why the definitions differ")
    subtitle = t("{population}, {year}: people counted otherwise than by register citizenship, whole university",
                 population=labels.population(key), year=year)
    home = labels.country(wh.home)
    if not frame.empty:
        frame = frame.assign(reason=[definitions.change(d, b, a, home) for d, b, a in
                                     zip(frame["definition"], frame["before"], frame["after"])])
    withheld = ", ".join(sentence(definitions.name(d)) for d in frame.attrs.get("withheld", []))
    withheld = t("Not shown for {definitions}: one of the counts is shown only as a range, and the others would "
                 "give it back.", definitions=withheld) if withheld else ""
    counting = [d for d in definitions.KEYS if d != definitions.REGISTER and definitions.why_not(
        wh.coverage, d, metrics.POPULATIONS[key].population) is None]
    if not counting:
        why = t("No definition other than register citizenship can count {population}.",
                population=labels.population(key))
    else:
        why = withheld or t("The definitions that can count {population} count everyone alike in {year}.",
                            population=labels.population(key), year=year)
    chart = Chart(f"definitions-compared-{_slug(key)}", title, subtitle, frame, (year, year),
                  scope=labels.population(key), about=_about(key), definition=definitions.ALL, _scoped=True,
                  whole=True, empty_reason=why if frame.empty else "")
    if not frame.empty:
        chart.figure = charts.change_bars(frame, title, subtitle)
        chart.summary = " ".join(
            t("{definition}: {count} {change} ({before} → {after}).", definition=sentence(definitions.name(d)),
              count=c, change=r, before=labels.category(b).lower(), after=labels.category(a).lower())
            for d, c, r, b, a in zip(frame["definition"], frame["headcount_label"], frame["reason"],
                                     frame["before"], frame["after"]))
        if withheld:
            chart.summary += " " + withheld
        if not rule.exact:   # each count is protected on its own
            chart.summary += " " + t("Each figure is protected on its own by the rule in force, so the changes "
                                     "need not add up exactly to the difference between the definitions' counts.")
    return chart
