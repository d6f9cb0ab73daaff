"""The strategy page's charts: targets and trajectory, diversity of origins, careers and retention.

Each is a `views.Chart` like every other page's, so the page, its report pack and the full report share them.
Nothing here imports Streamlit.
"""

from __future__ import annotations

import pandas as pd

from app.model import careers, definitions, disclosure, diversity, metrics, strategy
from app.model.data import Warehouse
from app.model.disclosure import Rule
from app.model.filters import STAFF, Filters
from app.present import charts, summaries, theme
from app.present.views import Chart, _span
from app.words import labels, safe_text
from app.words.i18n import fmt_decimal, fmt_decimal_range, fmt_pct, fmt_pp, fmt_share, fmt_share_range, sentence, t


# --- targets --------------------------------------------------------------------

def target_words(target: strategy.Target) -> str:
    """'International professors: 35% by 2030' (an example target says so)."""
    words = t("{subject}: {share} by {year}", subject=sentence(labels.international_people(target.population)),
              share=_target_pct(target.share), year=target.year)
    return t("Example target — {target}", target=words) if target.example else words


def _pct(share: float) -> str:
    """Shares on this page carry one decimal: a projection of 34.6% must not read as the target of 35%."""
    return fmt_pct(share, 1)


def _target_pct(share: float) -> str:
    """A target as set: "35%", "33.5%", "99.99%" (never rounded up to another target)."""
    percent = share * 100
    return fmt_pct(share, next((d for d in (0, 1, 2) if abs(round(percent, d) - percent) < 1e-9), 2))


def verdict(path: strategy.Trajectory) -> str:
    """Whether the target is met, on track or behind, in one sentence with the figures that say so."""
    target = path.target
    share, year = _target_pct(target.share), target.year
    if path.status == strategy.NO_DATA:
        return path.why or t("No figures to compare with the target.")
    if path.status == strategy.REACHED:
        return t("Reached: {latest} in {year}, target {share}.", latest=_pct(path.latest), year=year, share=share)
    if path.status == strategy.MISSED:
        return t("Missed: {latest} in {year}, short of the target of {share}.", latest=_pct(path.latest),
                 year=year, share=share)
    if path.status == strategy.TOO_FEW:
        return t("Too few years since {baseline} to measure a pace: {latest} in {latest_year}; reaching {share} by "
                 "{year} needs {needed} a year.", baseline=target.baseline, latest=_pct(path.latest),
                 latest_year=path.latest_year, share=share, year=year, needed=fmt_pp(path.needed))
    if path.pace_years is None:   # met, with too few years for a pace
        return t("Met: {latest} in {latest_year}, at or above the target of {share} for {year}.",
                 latest=_pct(path.latest), latest_year=path.latest_year, share=share, year=year)
    first, last = path.pace_years
    pace = t("at the pace of {first}–{last} ({pace} a year), {projected} in {year}", first=first, last=last,
             pace=fmt_pp(path.pace), projected=_pct(path.projected), year=year)
    if path.status == strategy.MET:
        return t("Met: {latest} in {latest_year}, at or above the target of {share} for {year}; {pace}.",
                 latest=_pct(path.latest), latest_year=path.latest_year, share=share, year=year, pace=pace)
    if path.status == strategy.ON_TRACK:
        return t("On track: {pace}.", pace=pace)
    return t("Behind: from {latest} in {latest_year}, reaching {share} by {year} needs {needed} a year; the pace "
             "of {first}–{last} is {pace} a year ({projected} in {year}).", latest=_pct(path.latest),
             share=share, year=year, needed=fmt_pp(path.needed), latest_year=path.latest_year, first=first,
             last=last, pace=fmt_pp(path.pace), projected=_pct(path.projected))


def target_chart(path: strategy.Trajectory) -> Chart:
    target = path.target
    title = target_words(target)
    subtitle = t("Whole university")
    frame = path.series
    # The files hold the series and the line carried on, with its band.
    data = frame if path.projection is None else pd.concat(
        [frame.assign(kind="actual"),
         path.projection.assign(kind="projection", population=target.population,
                                band_from=path.projection["share_low"], band_to=path.projection["share_high"],
                                share_low=path.projection["share"], share_high=path.projection["share"])],
        ignore_index=True)
    # The years of the figures (the sources' years): the years after them are the line carried on.
    years = (int(frame["year"].min()), int(frame["year"].max())) if not frame.empty else (target.year, target.year)
    chart = Chart(f"target-{target.key}", title, subtitle, data, years, scope=labels.population(target.population),
                  about=metrics.POPULATIONS[target.population].population, definition=target.definition,
                  empty_reason=verdict(path), _scoped=True, whole=True)
    if not frame.empty and frame["share"].notna().any():
        chart.figure = charts.target_path(frame, path.projection, target.population, target.share, target.year,
                                          _target_pct(target.share), title, subtitle,
                                          sentence(definitions.share_base(target.definition)))
        # Named under the subtitle as every chart names its definition (views.with_filters, which would also
        # add the sidebar's filters: they do not apply here).
        layout = chart.figure.layout
        chart.figure.update_layout(
            title_subtitle_text=f"{safe_text.plotly(subtitle)}<br>{safe_text.plotly(chart.byline)}",
            margin_t=(layout.margin.t if layout.margin.t is not None else theme.TEMPLATE.layout.margin.t) + 20)
        band = ""
        if path.low is not None:
            band = " " + t("If the years keep scattering around the line as they have, {year} is likely to land "
                           "between {low} and {high} (the shaded band: one standard error either side).",
                           low=_pct(path.low), high=_pct(path.high), year=target.year)
        chart.summary = verdict(path) + band
    return chart


def target_charts(wh: Warehouse, rule: Rule) -> list[Chart]:
    return [target_chart(path) for path in strategy.trajectories(wh, rule)[0]]


# config.toml settings, as written there (not translated).
TARGET_EXAMPLE = """[[targets]]
population = "professors"   # or all_staff, degree_students, doctoral …
percent = 35                # the international share to reach, at least
year = 2030                 # by this year
baseline = 2020             # the pace is measured from this year to the latest
definition = "register"     # optional: any_foreign, first_employment, prior_education
"""


def no_targets() -> str:
    return t("No targets are set. Add one to config.toml for each goal, as below; the population is one of "
             "{populations}.", populations=", ".join(metrics.POPULATIONS))


# --- diversity of origins -----------------------------------------------------------

def _measure(key: str) -> str:
    return {"countries": t("Countries"), "shannon": t("Effective number (Shannon)"),
            "simpson": t("Effective number (inverse Simpson)"), "top5": t("Five largest countries")}[key]


def diversity_frame(wh: Warehouse, filters: Filters, key: str, rule: Rule) -> pd.DataFrame:
    return diversity.trend(wh, filters, key, rule)


def _diversity_empty(wh: Warehouse, filters: Filters, key: str) -> str:
    if filters.countries:
        return t("The diversity of origins is about every country: it is not shown with countries chosen in the "
                 "sidebar.")
    why = definitions.why_not(wh.coverage, filters.definition, metrics.POPULATIONS[key].population)
    return why or ""


def diversity_chart(wh: Warehouse, filters: Filters, rule: Rule, key: str, frame: pd.DataFrame) -> Chart:
    title = t("How many countries they come from")
    subtitle = definitions.by_country(filters.definition, sentence(labels.international_people(key))) + \
        f", {_span(filters.years)}"
    shown = frame.drop(columns=[c for c in frame.columns if c.startswith("top5")]) if not frame.empty else frame
    chart = Chart(f"countries-of-origin-{key.replace('_', '-')}", title, subtitle, shown, filters.years,
                  scope=labels.population(key), about=_about(key), definition=filters.definition,
                  empty_reason=_diversity_empty(wh, filters, key))
    if not frame.empty:
        least = disclosure.smallest_shown(rule)
        named = (lambda m: t("Countries with at least {n} people", n=least) if m == "countries" else _measure(m)) \
            if least > 1 else _measure
        chart.figure = charts.measure_lines(frame, diversity.MEASURES, named,
                                            {"countries": theme.GREY, "shannon": theme.BLUE,
                                             "simpson": theme.ORANGE},
                                            title, subtitle, t("Countries"))
        last = frame.iloc[-1]
        values = dict(year=int(last["year"]), international=last["international_label"],
                      countries=_decimal_or_range(last, "countries", 0), shannon=_decimal_or_range(last, "shannon"),
                      simpson=_decimal_or_range(last, "simpson"))
        if last["few_label"]:
            chart.summary = t("In {year}, {international} international people: from {countries} countries with at "
                              "least {n} people each, and {few} from countries with fewer; as diverse as {shannon} "
                              "equally large countries (Shannon), or {simpson} (inverse Simpson).", n=least,
                              few=last["few_label"], **values)
        else:
            chart.summary = t("In {year}, {international} international people from {countries} countries; as "
                              "diverse as {shannon} equally large countries (Shannon), or {simpson} (inverse "
                              "Simpson).", **values)
    return chart


def top_five_chart(wh: Warehouse, filters: Filters, rule: Rule, key: str, frame: pd.DataFrame) -> Chart:
    title = t("Share of the five largest countries")
    subtitle = t("{subject}, {years}", subject=sentence(labels.international_people(key)), years=_span(filters.years))
    shown = frame[["year", "top5", "top5_low", "top5_high"]] if not frame.empty else frame
    chart = Chart(f"five-largest-countries-{key.replace('_', '-')}", title, subtitle, shown, filters.years,
                  scope=labels.population(key), about=_about(key), definition=filters.definition,
                  empty_reason=_diversity_empty(wh, filters, key))
    if not frame.empty and frame["top5_low"].notna().any():
        chart.figure = charts.measure_lines(frame, ("top5",), _measure, {"top5": theme.PINK}, title, subtitle,
                                            t("Of all international people"), percent=True)
        last = frame.iloc[-1]
        written = fmt_share(last["top5"]) if last["top5"] == last["top5"] else fmt_share_range(last["top5_low"],
                                                                                                last["top5_high"])
        chart.summary = t("In {year}, the five largest countries had {share} of the international people.",
                          year=int(last["year"]), share=written)
    return chart


def _decimal_or_range(row: pd.Series, measure: str, decimals: int = 1) -> str:
    if row[measure] == row[measure]:
        return fmt_decimal(row[measure], decimals)
    return fmt_decimal_range(row[f"{measure}_low"], row[f"{measure}_high"], decimals)


def _about(key: str) -> str:
    return metrics.POPULATIONS[key].population


# --- careers and retention ---------------------------------------------------------

STAFF_POPULATIONS = ["other_teaching_research", "professors", "teaching_research", "other_staff", "all_staff"]


def _careers_missing(wh: Warehouse) -> str:
    return "" if wh.careers else t("This warehouse was built before staff were followed across years (ETL 0.4): "
                                   "rebuild it to see careers and retention.")


def retention_chart(wh: Warehouse, filters: Filters, rule: Rule, key: str) -> Chart:
    title = t("Still at the university after 1, 3 and 5 years")
    cohorts = careers.cohort_years(wh, filters, 1)
    subtitle = t("{population} who started in {years}", population=labels.population(key),
                 years=_span(cohorts)) if cohorts else labels.population(key)
    why_not = definitions.why_not(wh.coverage, filters.definition, STAFF)
    frame = careers.retention(wh, filters, key, rule) if not why_not else pd.DataFrame()
    unseen = t("No one in these years can be followed a year on: in the first year of the data newcomers cannot be "
               "told from earlier staff, and the last year has no year after it.")
    why = _careers_missing(wh) or why_not or (unseen if cohorts is None else "")
    chart = Chart(f"retention-{key.replace('_', '-')}", title, subtitle, frame, cohorts or filters.years,
                  scope=labels.population(key), about=STAFF, definition=filters.definition, empty_reason=why)
    if not frame.empty:
        chart.figure = charts.retention_bars(frame, title, subtitle)
        chart.summary = summaries.retention(frame, {a: careers.cohort_years(wh, filters, a) for a in careers.AFTER})
    return chart


def _years_of(frame: pd.DataFrame, filters: Filters) -> tuple[int, int]:
    """The years a chart has figures for (career stages may start later than the filter's first year)."""
    return (int(frame["year"].min()), int(frame["year"].max())) if not frame.empty else filters.years


def stage_share_chart(wh: Warehouse, filters: Filters, rule: Rule) -> Chart:
    title = t("International share at each career stage")
    why = definitions.why_not(wh.coverage, filters.definition, STAFF) or ""
    frame = careers.stage_shares(wh, filters, rule) if not why else pd.DataFrame()
    subtitle = t("{population}, {base}, {years}", population=labels.population("teaching_research"),
                 base=definitions.share_base(filters.definition), years=_span(_years_of(frame, filters)))
    chart = Chart("international-share-by-career-stage-over-time", title, subtitle, frame, filters.years,
                  about=STAFF, definition=filters.definition, empty_reason=why)
    if not frame.empty:
        stages = tuple(int(s) for s in sorted(frame["career_stage"].unique()))
        frame = frame.assign(career_stage=frame["career_stage"].astype(int))
        chart.data = frame
        chart.figure = charts.share_lines(frame, stages, title, subtitle, series="career_stage",
                                          names=labels.career_stage, colours=charts.STAGE_COLOURS,
                                          y_title=sentence(definitions.share_base(filters.definition)),
                                          narrow=True)
        chart.summary = summaries.trend(frame, stages, lambda s: t("international people at stage {stage}",
                                                                   stage=labels.career_stage(s)), "career_stage")
    return chart


def _moved_up_subject(origin: str) -> str:
    return t("international researchers who moved up a stage") if origin == "international" else \
        t("domestic researchers who moved up a stage")


def moving_up_chart(wh: Warehouse, filters: Filters, rule: Rule) -> Chart:
    title = t("Moving up a career stage")
    why = _careers_missing(wh) or definitions.why_not(wh.coverage, filters.definition, STAFF) or ""
    frame = careers.moving_up(wh, filters, rule) if not why else pd.DataFrame()
    subtitle = t("Researchers at stages I–III still at the university a year later: at a higher stage then, {years}",
                 years=_span(_years_of(frame, filters)))
    chart = Chart("moving-up-a-career-stage", title, subtitle, frame, filters.years, about=STAFF,
                  definition=filters.definition, empty_reason=why)
    if not frame.empty:
        origins = tuple(o for o in careers.ORIGINS if o in set(frame["origin"]))
        chart.figure = charts.share_lines(frame, origins, title, subtitle, series="origin", names=labels.origin,
                                          colours=charts.ORIGIN_COLOURS, part="moved_up", whole="headcount",
                                          y_title=t("Moved up a stage"), narrow=True)
        chart.summary = summaries.trend(frame, origins, _moved_up_subject, "origin")
    return chart
