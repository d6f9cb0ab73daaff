"""The dashboard's pages, each specified once: its place in the navigation, its
own choices (kept in the link), and its charts in the order, columns and tabs
the page lays them out. The page draws this specification (`app.web.layout`)
and its report pack exports the same charts; the full report is every page's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from app.model import definitions, metrics, mobility, strategy
from app.model.data import Warehouse
from app.model.disclosure import Rule
from app.model.filters import EXCHANGES, PEOPLE, STAFF, STUDENTS, Filters, country_codes, describe
from app.present import mobility_views, strategy_views, views
from app.present.views import Chart
from app.words import labels, safe_text
from app.words.i18n import language, t
from etl.config import config_version


@dataclass
class Inputs:
    """What a page is made from: the data, the filters and rule in force, and the page's own choices.
    `about` says what the page's figures are about (filters.PEOPLE, STAFF, STUDENTS or EXCHANGES; None: all),
    and so which filters apply. Each chart and shared query is made once per Inputs (a page and its pack share them)."""
    warehouse: Warehouse
    filters: Filters
    rule: Rule
    choices: dict[str, Any] = field(default_factory=dict)
    about: str | None = None
    asked: Filters | None = None     # the filters as chosen, when `filters` keeps to the years of the data

    def once(self, key: object, make: Callable[[], Any]) -> Any:
        """`make()`, made once for these inputs: kept by the warehouse (`Warehouse.remembered`) under everything
        the figures depend on (language, config, filters, rule, the page's choices so far), so that a page or tab
        seen again with the same choices, or its report, does not compute them again."""
        return self.warehouse.remembered(
            ("inputs", key, language(), config_version(), self.filters, self.asked, self.rule, self.about,
             tuple(sorted(self.choices.items(), key=lambda item: item[0]))), make)

    def chart(self, make: Callable[[Inputs], Chart]) -> Chart:
        def made() -> Chart:
            chart = make(self)
            return views.with_filters(chart, self.filter_words(chart.about))
        return self.once(make, made)

    def filter_words(self, about: str | None = None) -> str:
        """The filters in force that apply to this page's figures (or to a chart's, about staff or students
        only), in words."""
        return describe(self.asked or self.filters, self.warehouse.options, about or self.about)

    def data_years(self) -> tuple[int, ...]:
        """The years this page's figures have data for."""
        return data_years(self.warehouse, self.about)

    def years_shown(self) -> list[int]:
        """The years of the filter that the page's figures have data for, latest first."""
        return [y for y in self.data_years() if self.filters.first_year <= y <= self.filters.last_year][::-1]


Make = Callable[[Inputs], Chart]


@dataclass(frozen=True)
class Choice:
    """A control that belongs to one page; its value is kept in the link as `name`."""
    name: str
    label: Callable[[], str]
    options: Callable[[Inputs], list]
    default: Callable[[Inputs], Any]
    format: Callable[[Any], str] = str
    segmented: bool = False            # buttons side by side instead of a drop-down list
    each_in_full_report: bool = False  # the full report shows the page once for every option


@dataclass(frozen=True)
class Row:
    """Charts side by side (one chart: the full width)."""
    charts: tuple[Make, ...]
    widths: tuple[int, ...] | None = None


@dataclass(frozen=True)
class Controls:
    """Where the page's choices of these names are drawn, side by side."""
    names: tuple[str, ...]
    widths: tuple[int, ...] | None = None


@dataclass(frozen=True)
class Heading:
    text: Callable[[], str]


@dataclass(frozen=True)
class Cards:
    """Headline figures as cards."""
    make: Callable[[Inputs], list[metrics.Headline]]


@dataclass(frozen=True)
class Table:
    """A table of partner institutions, with its own download (not part of report packs); `title` names it in
    its empty state, and `note` says what its counts cover when that is not the years chosen, or why it is
    empty."""
    make: Callable[[Inputs], pd.DataFrame]
    title: Callable[[], str] = lambda: t("Partners")
    note: Callable[[Inputs], str] = lambda i: ""


@dataclass(frozen=True)
class Charts:
    """As many charts as the settings make (one per configured target), two side by side; `empty` says what to
    do when there are none, `notes` what is wrong with the settings."""
    make: Callable[[Inputs], list[Chart]]
    title: Callable[[], str]
    empty: Callable[[Inputs], str]
    notes: Callable[[Inputs], list[str]] = lambda i: []
    example: str = ""            # shown as code under `empty`


@dataclass(frozen=True)
class Notes:
    """Sentences with a link to the page that says more (the targets' verdicts on the overview)."""
    make: Callable[[Inputs], list[str]]
    link: str                    # the key of the page that says more
    caption: Callable[[], str] | None = None


Block = Row | Controls | Heading | Cards | Table | Charts | Notes


@dataclass(frozen=True)
class Tab:
    """Blocks in a tab; only the open tab is computed on the page."""
    label: Callable[[], str]
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Page:
    key: str
    script: str                                  # the Streamlit script, relative to the project root
    icon: str
    title: Callable[[], str]                     # in the navigation (translated when asked)
    heading: Callable[[], str] | None = None     # the page's own heading, when not its title
    intro: Callable[[Inputs], str] | None = None
    choices: tuple[Choice, ...] = ()
    body: tuple[Block, ...] | tuple[Tab, ...] = ()   # empty: the page script lays itself out
    requires: Callable[[Inputs], bool] | None = None   # otherwise the page shows only its empty state
    own_params: frozenset[str] = frozenset()     # link settings of a page laid out by its script
    about: str | None = None                     # PEOPLE, STAFF, STUDENTS or EXCHANGES: which filters apply
                                                 # (None: every one)

    @property
    def params(self) -> frozenset[str]:
        """The link settings that belong to this page alone."""
        return self.own_params | {c.name for c in self.choices}

    @property
    def tabs(self) -> bool:
        return any(isinstance(part, Tab) for part in self.body)

    def choice(self, name: str) -> Choice:
        return next(c for c in self.choices if c.name == name)

    def blocks(self) -> Iterator[Block]:
        for part in self.body:
            yield from (part.blocks if isinstance(part, Tab) else (part,))

    def charts(self, inputs: Inputs) -> list[Chart]:
        """Every chart of the page, in the page's order (the report pack's content)."""
        made = []
        for block in self.blocks():
            if isinstance(block, Row):
                made += [inputs.chart(make) for make in block.charts]
            elif isinstance(block, Charts):
                made += inputs.once(block.make, lambda block=block: block.make(inputs))
        return made


def data_years(wh: Warehouse, about: str | None) -> tuple[int, ...]:
    """The years the figures about people or exchanges have data for (None: any)."""
    options = wh.options
    if about in (PEOPLE, STAFF, STUDENTS):
        return options.people_years
    return options.exchange_years if about == EXCHANGES else options.years


def inputs_for(page: Page, wh: Warehouse, f: Filters, rule: Rule, choices: dict[str, Any] | None = None) -> Inputs:
    """The page's inputs, its years kept to those its data has (staff and student exports may end a year
    before the exchange records: the last year of a staff chart is then the last year of staff data)."""
    covered = data_years(wh, page.about)
    first, last = (max(f.first_year, covered[0]), min(f.last_year, covered[-1])) if covered else f.years
    kept = replace(f, years=(first, last)) if first <= last and (first, last) != f.years else f
    return Inputs(wh, kept, rule, dict(choices or {}), page.about, asked=f if kept is not f else None)


def with_defaults(page: Page, inputs: Inputs) -> Inputs:
    """`inputs` with each choice the page has not been given at its default."""
    for choice in page.choices:
        if choice.name not in inputs.choices:
            inputs.choices[choice.name] = choice.default(inputs)
    return inputs


# --- the charts, each made once per Inputs ------------------------------------

def _headline(i: Inputs) -> Chart:
    return views.headline_trend(i.warehouse, i.filters, i.rule)


def _headline_cards(i: Inputs) -> list[metrics.Headline]:
    trend = i.chart(_headline)
    return metrics.headlines_from(trend.data) if not trend.data.empty else []


def _staff_trend(i: Inputs) -> Chart:
    return views.staff_trend(i.warehouse, i.filters, i.rule)


def _staff_composition(i: Inputs) -> Chart:
    return views.composition(i.warehouse, i.filters, i.rule, "all_staff")


def _staff_by_unit(i: Inputs) -> Chart:
    return views.by_unit(i.warehouse, i.filters, i.rule, "all_staff")


def _staff_by_stage(i: Inputs) -> Chart:
    return views.by_career_stage(i.warehouse, i.filters, i.rule)


def _student_trends(i: Inputs) -> pd.DataFrame:
    # One query for both line charts.
    return i.once("student_trends", lambda: metrics.share_trend(
        i.warehouse, i.filters, metrics.STUDENT_BREAKDOWN + metrics.NEW_STUDENTS, i.rule))


def _student_trend(i: Inputs) -> Chart:
    return views.student_trend(i.warehouse, i.filters, i.rule, _student_trends(i))


def _new_student_trend(i: Inputs) -> Chart:
    return views.new_student_trend(i.warehouse, i.filters, i.rule, _student_trends(i))


def _student_composition(i: Inputs) -> Chart:
    return views.composition(i.warehouse, i.filters, i.rule, "degree_students")


def _student_by_unit(i: Inputs) -> Chart:
    return views.by_unit(i.warehouse, i.filters, i.rule, "degree_students")


COUNTRY_POPULATIONS = ["professors", "teaching_research", "all_staff", "degree_students", "bachelor", "master",
                       "doctoral", "new_students"]


def default_country(wh: Warehouse, f: Filters | None = None) -> str:
    """The country filter's first country the data holds; else Germany, else the first foreign country."""
    foreign = [c for c in wh.options.countries if c != wh.home]
    chosen = [c for c in foreign if c in country_codes(f.countries)] if f is not None and f.countries else []
    return chosen[0] if chosen else ("DEU" if "DEU" in foreign else (foreign[0] if foreign else wh.home))


def _country_counts(i: Inputs) -> pd.DataFrame:
    # One query for the top list and the map.
    return i.once("country_counts", lambda: views.country_counts(
        i.warehouse, i.filters, i.choices["population"], i.choices["year"], i.rule))


def _top_countries(i: Inputs) -> Chart:
    return views.top_countries(i.warehouse, i.filters, _country_counts(i), i.choices["population"],
                               i.choices["year"], i.choices["top"])


def _countries_map(i: Inputs) -> Chart:
    return views.countries_map(i.warehouse, i.filters, _country_counts(i), i.choices["population"],
                               i.choices["year"])


def _regions(i: Inputs) -> Chart:
    return views.regions(i.warehouse, i.filters, i.rule, i.choices["population"])


def _country_drilldown(i: Inputs) -> Chart:
    return views.country_drilldown(i.warehouse, i.filters, i.rule, i.choices["country"])


def _exchanges_per_year(i: Inputs) -> Chart:
    return mobility_views.exchanges_per_year(i.warehouse, i.filters, i.rule)


def _average_stay(i: Inputs) -> Chart:
    return mobility_views.average_stay(i.warehouse, i.filters, i.rule)


def _by_partner_country(i: Inputs) -> pd.DataFrame:
    # One query for the flows and the balance.
    return i.once("by_partner_country", lambda: mobility.breakdown(i.warehouse, i.filters, "partner_country", i.rule))


def _flows(i: Inputs) -> Chart:
    return mobility_views.flows(_by_partner_country(i), i.filters, i.rule)


def _balance(i: Inputs) -> Chart:
    return mobility_views.balance_by_country(_by_partner_country(i), i.filters)


def _exchanges_by(dimension: str) -> Make:
    def make(i: Inputs) -> Chart:
        return mobility_views.exchanges_by(i.warehouse, i.filters, i.rule, dimension)
    make.__name__ = f"exchanges_by_{dimension}"
    return make


_BY_LEVEL, _BY_PROGRAMME, _BY_UNIT = (_exchanges_by(d) for d in ("level", "programme", "unit"))


def _network_exchanges(i: Inputs) -> Chart:
    return mobility_views.network_exchanges(i.warehouse, i.filters, i.rule, i.choices["network"])


def _network_share(i: Inputs) -> Chart:
    return mobility_views.network_share(i.warehouse, i.filters, i.rule, i.choices["network"])


def _network_members(i: Inputs) -> pd.DataFrame:
    """The members with their exchanges since the network began (none in years before it)."""
    kept = mobility.network_filters(i.filters, i.choices["network"])
    members = mobility.partners(i.warehouse, kept or i.filters, i.rule, network=i.choices["network"])
    return members if kept is not None else members.iloc[0:0]


def _members_note(i: Inputs) -> str:
    network = i.choices["network"]
    kept = mobility.network_filters(i.filters, network)
    if kept is None:
        return mobility_views.network_not_yet(i.filters, network)
    if kept.years != i.filters.years:
        return t("Exchange periods counted from {since}, when {network} began.", since=kept.first_year,
                 network=network)
    return ""


def _default_network(i: Inputs) -> str:
    names = mobility.network_names(i.warehouse)
    return "Unite!" if "Unite!" in names else (names[0] if names else "")


def _trajectories(i: Inputs) -> list[strategy.Trajectory]:
    return i.once("trajectories", lambda: strategy.trajectories(i.warehouse, i.rule)[0])


def _targets(i: Inputs) -> list[Chart]:
    return [strategy_views.target_chart(path) for path in _trajectories(i)]


def _target_notes(i: Inputs) -> list[str]:
    return strategy.configured_targets()[1]


def _target_verdicts(i: Inputs) -> list[str]:
    """Each target and its verdict, for the overview (Markdown: the words are escaped)."""
    return [f"**{safe_text.markdown(strategy_views.target_words(path.target))}** — "
            f"{safe_text.markdown(strategy_views.verdict(path))}" for path in _trajectories(i)]


def _diversity_frame(i: Inputs) -> pd.DataFrame:
    # One computation for both charts.
    return i.once("diversity", lambda: strategy_views.diversity_frame(i.warehouse, i.filters,
                                                                        i.choices["population"], i.rule))


def _diversity(i: Inputs) -> Chart:
    return strategy_views.diversity_chart(i.warehouse, i.filters, i.rule, i.choices["population"], _diversity_frame(i))


def _top_five(i: Inputs) -> Chart:
    return strategy_views.top_five_chart(i.warehouse, i.filters, i.rule, i.choices["population"], _diversity_frame(i))


def _retention(i: Inputs) -> Chart:
    return strategy_views.retention_chart(i.warehouse, i.filters, i.rule, i.choices["cohort"])


def _stage_shares(i: Inputs) -> Chart:
    return strategy_views.stage_share_chart(i.warehouse, i.filters, i.rule)


def _moving_up(i: Inputs) -> Chart:
    return strategy_views.moving_up_chart(i.warehouse, i.filters, i.rule)


# --- the pages ---------------------------------------------------------------

PAGES: dict[str, Page] = {p.key: p for p in (
    Page("overview", "dashboard.py", ":material/dashboard:", lambda: t("Overview"),
         heading=lambda: t("Internationalisation at a glance"),
         intro=lambda i: t("The international share in {year} and how it has changed.", year=i.years_shown()[0])
         + f" {definitions.line(i.filters.definition)}.",
         requires=lambda i: bool(i.years_shown()), about=PEOPLE,
         body=(Cards(_headline_cards), Notes(_target_verdicts, "strategy", lambda: t(
             "Targets are judged on the whole university, each by its own definition: the sidebar's filters do not "
             "apply to them.")), Row((_headline,)))),
    Page("strategy", "pages/8_strategy.py", ":material/flag:", lambda: t("Strategy"),
         heading=lambda: t("Strategy: targets, diversity and careers"),
         intro=lambda i: t("Whether the university is on track for its own targets, how many countries its people "
                           "come from, and who stays and moves up."),
         requires=lambda i: bool(i.years_shown()), about=PEOPLE,
         choices=(
             Choice("population", lambda: t("Population"), lambda i: COUNTRY_POPULATIONS, lambda i: "all_staff",
                    labels.population),
             Choice("cohort", lambda: t("Staff group"), lambda i: strategy_views.STAFF_POPULATIONS,
                    lambda i: strategy_views.STAFF_POPULATIONS[0], labels.population),
         ),
         body=(Heading(lambda: t("Targets")), Charts(_targets, lambda: t("Targets"), lambda i: strategy_views.no_targets(),
                                                     _target_notes, strategy_views.TARGET_EXAMPLE),
               Heading(lambda: t("Diversity of origins")), Controls(("population",)), Row((_diversity, _top_five)),
               Heading(lambda: t("Careers and retention")), Controls(("cohort",)), Row((_retention,)),
               Row((_stage_shares, _moving_up)))),
    Page("staff", "pages/1_staff.py", ":material/badge:", lambda: t("Staff"),
         intro=lambda i: t("Headcount on 31 December; a person with several employments counts once, in the largest "
                           "one."),
         requires=lambda i: bool(i.years_shown()), about=STAFF,
         body=(Row((_staff_trend,)), Row((_staff_composition,)), Row((_staff_by_unit, _staff_by_stage)))),
    Page("students", "pages/2_students.py", ":material/school:", lambda: t("Students"),
         intro=lambda i: t("Degree students present in the academic year (2022 = 2022–2023); a student at two levels "
                           "counts at each."),
         requires=lambda i: bool(i.years_shown()), about=STUDENTS,
         body=(Row((_student_trend,)), Row((_new_student_trend,)),
               Row((_student_composition, _student_by_unit)))),
    Page("countries", "pages/3_countries.py", ":material/public:", lambda: t("Countries of origin"),
         requires=lambda i: bool(i.years_shown()), about=PEOPLE,
         choices=(
             Choice("population", lambda: t("Population"), lambda i: COUNTRY_POPULATIONS, lambda i: "professors",
                    labels.population),
             Choice("year", lambda: t("Year"), lambda i: i.years_shown(), lambda i: i.years_shown()[0]),
             Choice("top", lambda: t("Countries in the top list"), lambda i: [5, 10, 15, 20], lambda i: 5),
             Choice("country", lambda: t("Country"),
                    lambda i: [c for c in i.warehouse.options.countries if c != i.warehouse.home] + [i.warehouse.home],
                    lambda i: default_country(i.warehouse, i.filters), labels.country),
         ),
         body=(Controls(("population", "year", "top"), (2, 1, 1)), Row((_top_countries, _countries_map), (2, 3)),
               Row((_regions,)), Heading(lambda: t("One country across populations")), Controls(("country",)),
               Row((_country_drilldown,)))),
    Page("mobility", "pages/4_mobility.py", ":material/flight_takeoff:", lambda: t("Mobility"),
         intro=lambda i: t("Exchange periods of students and staff, by the calendar year they start."),
         requires=lambda i: mobility.any_exchanges(i.warehouse, i.filters), about=EXCHANGES,
         body=(Tab(lambda: t("Over time"), (Row((_exchanges_per_year,)), Row((_average_stay,)))),
               Tab(lambda: t("Partner countries"), (Row((_flows,)), Row((_balance,)))),
               Tab(lambda: t("Level, programme and unit"), (Row((_BY_LEVEL,)), Row((_BY_PROGRAMME, _BY_UNIT)))))),
    Page("partners", "pages/5_partners.py", ":material/handshake:", lambda: t("Partners"),
         own_params=frozenset({"q", "programme", "network", "show", "partner"}), about=EXCHANGES),
    Page("networks", "pages/6_networks.py", ":material/hub:", lambda: t("Networks and alliances"),
         choices=(Choice("network", lambda: t("Network"), lambda i: mobility.network_names(i.warehouse),
                         _default_network, segmented=True, each_in_full_report=True),),
         requires=lambda i: bool(mobility.network_names(i.warehouse)), about=EXCHANGES,
         body=(Controls(("network",)), Row((_network_exchanges, _network_share)),
               Heading(lambda: t("Members")), Table(_network_members, lambda: t("Members"), _members_note))),
    Page("methodology", "pages/7_methodology.py", ":material/menu_book:", lambda: t("Methodology and data"),
         own_params=frozenset({"population", "year"})),
)}


def page_charts(key: str, wh: Warehouse, f: Filters, rule: Rule, **choices: Any) -> list[Chart]:
    """Every chart of one page, with the given choices and the others at their defaults."""
    page = PAGES[key]
    return page.charts(with_defaults(page, inputs_for(page, wh, f, rule, choices)))


def everything(wh: Warehouse, f: Filters, rule: Rule) -> Iterator[Chart]:
    """Every chart of every page, for the full report: each page with its choices at their defaults,
    or once for every option of a choice that asks for it (every network). One by one as they are made: the
    report draws each one's picture while the next are made."""
    for page in PAGES.values():
        each = [c for c in page.choices if c.each_in_full_report]
        if not each:
            yield from page_charts(page.key, wh, f, rule)
            continue
        for value in each[0].options(inputs_for(page, wh, f, rule)):
            yield from page_charts(page.key, wh, f, rule, **{each[0].name: value})
    # The methodology page's comparison of the definitions, for professors and degree students in the last year.
    if wh.options.people_years:
        year = wh.options.people_years[-1]
        for key in ("professors", "degree_students"):
            yield views.definitions_side_by_side(wh, rule, key, year)
            yield views.definition_changes(wh, rule, key, year)
