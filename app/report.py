"""Which charts each page shows: one list, used by the page to lay them out
and by the report packs to export them."""

from __future__ import annotations

from app import metrics, mobility_views, views
from app.mobility import breakdown
from app.data import Warehouse
from app.disclosure import Rule
from app.filters import Filters
from app.views import Chart

COUNTRY_POPULATIONS = ["professors", "teaching_research", "all_staff", "degree_students", "bachelor", "master",
                       "doctoral", "new_students"]


def overview(wh: Warehouse, f: Filters, rule: Rule) -> list[Chart]:
    return [views.headline_trend(wh, f, rule)]


def staff(wh: Warehouse, f: Filters, rule: Rule) -> list[Chart]:
    return [views.staff_trend(wh, f, rule), views.composition(wh, f, rule, "all_staff"),
            views.by_unit(wh, f, rule, "all_staff"), views.by_career_stage(wh, f, rule)]


def students(wh: Warehouse, f: Filters, rule: Rule) -> list[Chart]:
    trends = metrics.share_trend(wh, f, metrics.STUDENT_BREAKDOWN + metrics.NEW_STUDENTS, rule)  # both line charts
    return [views.student_trend(wh, f, rule, trends), views.new_student_trend(wh, f, rule, trends),
            views.composition(wh, f, rule, "degree_students"), views.by_unit(wh, f, rule, "degree_students")]


def default_country(wh: Warehouse) -> str:
    foreign = [c for c in wh.options.countries if c != wh.home]
    return "DEU" if "DEU" in foreign else (foreign[0] if foreign else wh.home)


def countries(wh: Warehouse, f: Filters, rule: Rule, population: str = "professors", year: int | None = None,
              top: int = 5, country: str | None = None) -> list[Chart]:
    year = year or f.last_year
    counts = metrics.country_counts(wh, f, population, year, rule)   # one query for the list and the map
    return [views.top_countries(counts, population, year, top),
            views.countries_map(counts, population, year),
            views.regions(wh, f, rule, population),
            views.country_drilldown(wh, f, rule, country or default_country(wh))]


def mobility(wh: Warehouse, f: Filters, rule: Rule) -> list[Chart]:
    # In the order of the page's tabs (over time; partner countries; level, programme and unit).
    by_country = breakdown(wh, f, "partner_country", rule)   # one query for the flows and the balance
    return [mobility_views.exchanges_per_year(wh, f, rule), mobility_views.average_stay(wh, f, rule),
            mobility_views.flows(by_country, f, rule), mobility_views.balance_by_country(by_country, f),
            mobility_views.exchanges_by(wh, f, rule, "level"), mobility_views.exchanges_by(wh, f, rule, "programme"),
            mobility_views.exchanges_by(wh, f, rule, "unit")]


def networks(wh: Warehouse, f: Filters, rule: Rule) -> list[Chart]:
    from app.mobility import network_names
    return [chart for name in network_names(wh) for chart in network(wh, f, rule, name)]


def network(wh: Warehouse, f: Filters, rule: Rule, name: str) -> list[Chart]:
    return [mobility_views.network_exchanges(wh, f, rule, name), mobility_views.network_share(wh, f, rule, name)]


def everything(wh: Warehouse, f: Filters, rule: Rule) -> list[Chart]:
    return (overview(wh, f, rule) + staff(wh, f, rule) + students(wh, f, rule) + countries(wh, f, rule)
            + mobility(wh, f, rule) + networks(wh, f, rule))


