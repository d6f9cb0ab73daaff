"""The university's own targets for its international shares, and whether it is on track.

A target (config.toml, `[[targets]]`) names a population, a definition of international, the share to reach
(at least), the year to reach it by, and the baseline year from which the recent pace is measured. The pace
is the slope of a straight line fitted by least squares to the shares of the baseline year to the latest
year (protected shares, single figures only: a share known only as a range is not a point to fit); the
projection extends that line to the target year; its band is one standard error of that prediction either
side, from how far the years scatter around the line. Nothing here imports Streamlit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from app.model import definitions, metrics
from app.model.data import Warehouse
from app.model.disclosure import Rule
from app.model.filters import Filters
from app.words.i18n import language, t
from etl.config import load_config

# Whether a target is reached, by the projection or by the figures themselves.
MET, ON_TRACK, BEHIND, REACHED, MISSED, TOO_FEW, NO_DATA = (
    "met", "on_track", "behind", "reached", "missed", "too_few", "no_data")


@dataclass(frozen=True)
class Target:
    population: str        # a key of metrics.POPULATIONS
    share: float           # to reach at least, 0-1
    year: int              # by this year
    baseline: int          # the pace is measured from this year to the latest
    definition: str = definitions.REGISTER
    example: bool = False  # an example shipped with the demo, marked as such wherever it is shown

    @property
    def key(self) -> str:
        """For file names and chart keys: one per population, definition, share (to a hundredth of a percent) and
        year; two targets with the same key are the same goal (the second is refused)."""
        return f"{self.population}-{self.definition}-{round(self.share * 10000)}-{self.year}".replace("_", "-")


_FIELDS = {"population", "percent", "year", "baseline", "definition", "example"}


def parse_targets(entries: object) -> tuple[list[Target], list[str]]:
    """The targets of config.toml's `[[targets]]` tables, and what is wrong with the others, in words that name
    the setting (a target with a mistake is left out, never guessed)."""
    if entries is None:
        return [], []
    if not isinstance(entries, list):
        return [], [t("config.toml: targets must be written as [[targets]] tables.")]
    targets, problems, seen = [], [], {}
    for number, entry in enumerate(entries, start=1):
        problem = _problem(entry)
        target = None if problem else Target(entry["population"], entry["percent"] / 100, entry["year"],
                                             entry["baseline"], entry.get("definition", definitions.REGISTER),
                                             bool(entry.get("example", False)))
        if target is not None and target.key in seen:
            problem = t("the same goal as target {other}", other=seen[target.key])
        if problem:
            problems.append(t("config.toml, target {number}: {problem}", number=number, problem=problem))
            continue
        seen[target.key] = number
        targets.append(target)
    return targets, problems


def _problem(entry: object) -> str:
    if not isinstance(entry, dict):
        return t("not a table of settings")
    unknown = sorted(set(entry) - _FIELDS)
    if unknown:
        return t("unknown setting {names} (accepted: {accepted})", names=", ".join(unknown),
                 accepted=", ".join(sorted(_FIELDS)))
    missing = [name for name in ("population", "percent", "year", "baseline") if name not in entry]
    if missing:
        return t("{names} missing", names=", ".join(missing))
    if entry["population"] not in metrics.POPULATIONS:
        return t("population {value} is not one of: {accepted}", value=repr(entry["population"]),
                 accepted=", ".join(metrics.POPULATIONS))
    percent = entry["percent"]
    if isinstance(percent, bool) or not isinstance(percent, (int, float)) or not 0 < percent <= 100:
        return t("percent {value} is not a number from 0 to 100", value=repr(percent))
    for name in ("year", "baseline"):
        if isinstance(entry[name], bool) or not isinstance(entry[name], int) or not 1900 <= entry[name] <= 2200:
            return t("{name} {value} is not a year", name=name, value=repr(entry[name]))
    if entry["baseline"] >= entry["year"]:
        return t("baseline {baseline} is not before the target year {year}", baseline=entry["baseline"],
                 year=entry["year"])
    definition = entry.get("definition", definitions.REGISTER)
    if definition not in definitions.KEYS:
        return t("definition {value} is not one of: {accepted}", value=repr(definition),
                 accepted=", ".join(definitions.KEYS))
    if not isinstance(entry.get("example", False), bool):
        return t("example must be true or false")
    return ""


def configured_targets() -> tuple[list[Target], list[str]]:
    return parse_targets(load_config().get("targets"))


@dataclass(frozen=True)
class Trajectory:
    """A target beside the figures: the series as drawn, the pace and projection, and the verdict."""
    target: Target
    series: pd.DataFrame          # share_trend rows of the population under the target's definition
    status: str
    latest_year: int | None = None
    latest: float | None = None   # the latest single-figure share
    pace_years: tuple[int, int] | None = None
    pace: float | None = None     # change of the share per year (0.011 = +1.1 pp)
    projected: float | None = None
    low: float | None = None      # the band around the projection at the target year
    high: float | None = None
    needed: float | None = None   # change per year from the latest figure that would reach the target
    projection: pd.DataFrame | None = None   # year, share, share_low, share_high: the line to the target year
    why: str = ""                 # why a definition cannot count the population ("" when it can)


@dataclass(frozen=True)
class Fit:
    intercept: float
    slope: float
    n: int
    mean_year: float
    sxx: float
    scatter: float | None         # the residual standard deviation (None with two points: a line fits exactly)

    def at(self, year: float) -> float:
        return self.intercept + self.slope * year

    def error(self, year: float) -> float | None:
        """One standard error of a new year's share predicted at `year`."""
        if self.scatter is None:
            return None
        return self.scatter * math.sqrt(1 + 1 / self.n + (year - self.mean_year) ** 2 / self.sxx)


def fit(years: list[int], shares: list[float]) -> Fit | None:
    """The least-squares line through the points (None with fewer than two years)."""
    n = len(years)
    if n < 2:
        return None
    mean_year, mean_share = sum(years) / n, sum(shares) / n
    sxx = sum((x - mean_year) ** 2 for x in years)
    slope = sum((x - mean_year) * (y - mean_share) for x, y in zip(years, shares)) / sxx
    intercept = mean_share - slope * mean_year
    scatter = None
    if n >= 3:
        residuals = [y - (intercept + slope * x) for x, y in zip(years, shares)]
        scatter = math.sqrt(sum(r * r for r in residuals) / (n - 2))
    return Fit(intercept, slope, n, mean_year, sxx, scatter)


def trajectory(wh: Warehouse, target: Target, rule: Rule) -> Trajectory:
    """The target's population, whole university, every year of data, under the target's definition."""
    population = metrics.POPULATIONS[target.population].population
    why = definitions.why_not(wh.coverage, target.definition, population, advice=False)
    years = wh.options.people_years
    if why or not years:
        return Trajectory(target, pd.DataFrame(), NO_DATA, why=why or "")
    filters = Filters(years=(years[0], years[-1]), definition=target.definition)
    series = metrics.share_trend(wh, filters, (target.population,), rule)
    return assess(target, series)


def assess(target: Target, series: pd.DataFrame) -> Trajectory:
    """The verdict on a target from its population's share per year (a share_trend frame)."""
    known = series.dropna(subset=["share"]).sort_values("year") if not series.empty else series
    if known.empty:
        return Trajectory(target, series, NO_DATA)
    latest_year, latest = int(known["year"].iloc[-1]), float(known["share"].iloc[-1])
    if latest_year >= target.year:
        at = known[known["year"] == target.year]
        reached = float(at["share"].iloc[0]) if not at.empty else latest
        return Trajectory(target, series, REACHED if round(reached, 3) >= target.share else MISSED, latest_year,
                          reached)
    needed = (target.share - latest) / (target.year - latest_year)
    recent = known[known["year"] >= target.baseline]
    line = fit([int(y) for y in recent["year"]], [float(s) for s in recent["share"]])
    if line is None:
        status = MET if round(latest, 3) >= target.share else TOO_FEW
        return Trajectory(target, series, status, latest_year, latest, needed=needed)
    pace_years = (int(recent["year"].iloc[0]), latest_year)
    projection_years = list(range(latest_year, target.year + 1))
    errors = [line.error(y) for y in projection_years]
    projection = pd.DataFrame({
        "year": projection_years,
        "share": [_clip(line.at(y)) for y in projection_years],
        "share_low": [_clip(line.at(y) - e) if e is not None else math.nan for y, e in zip(projection_years, errors)],
        "share_high": [_clip(line.at(y) + e) if e is not None else math.nan for y, e in zip(projection_years, errors)],
    })
    projected = float(projection["share"].iloc[-1])
    error = errors[-1]
    # Judged on the figures as written (one decimal of a percent), so a verdict never contradicts its numbers.
    if round(latest, 3) >= target.share:
        status = MET
    else:
        status = ON_TRACK if round(projected, 3) >= target.share else BEHIND
    return Trajectory(target, series, status, latest_year, latest, pace_years, line.slope, projected,
                      _clip(projected - error) if error is not None else None,
                      _clip(projected + error) if error is not None else None, needed, projection)


def _clip(share: float) -> float:
    return min(1.0, max(0.0, share))


def trajectories(wh: Warehouse, rule: Rule) -> tuple[list[Trajectory], list[str]]:
    """Every configured target assessed, and the problems of the settings."""
    targets, problems = configured_targets()
    # A target is the whole university's, whatever the filters: assessed once per warehouse, rule, targets and
    # language (its reasons are words), not again at each filter change on the overview and the Strategy page.
    assessed = wh.remembered(("targets", rule, tuple(targets), language()),
                             lambda: tuple(trajectory(wh, target, rule) for target in targets))
    return list(assessed), problems
