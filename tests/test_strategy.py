"""The strategy page: targets and their projection, diversity of origins, careers and retention.

Every figure is checked against a recomputation written again here (numpy's least squares, the person-level
staff table followed by pseudonym, each country's count), with edge cases: one year of data, a target
already met or past, a cohort of fewer than five people, an old warehouse, settings with mistakes."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from app.model import careers, diversity, strategy
from app.model.data import Warehouse
from app.model.disclosure import Rule
from app.model.filters import Filters
from app.present import strategy_views
from app.words import i18n
from etl import serving
from etl.build import build
from tests.rawfiles import STAFF_HEADER, write_csv
from tests.truth import Truth, figures, title_of, trace, values, vipunen

NONE, VIPUNEN = Rule("none"), Rule("vipunen")


# --- projection ----------------------------------------------------------------

def _series(shares: dict[int, float | None]) -> pd.DataFrame:
    """A share_trend-like frame; None: a share known only as a range."""
    rows = [{"population": "professors", "year": y, "share": math.nan if s is None else s,
             "share_low": 0.1 if s is None else s, "share_high": 0.2 if s is None else s,
             "international_label": "", "known_label": ""} for y, s in shares.items()]
    return pd.DataFrame(rows)


def test_a_straight_series_projects_exactly_without_scatter():
    shares = {y: 0.10 + 0.01 * (y - 2015) for y in range(2015, 2026)}
    path = strategy.assess(strategy.Target("professors", 0.30, 2030, 2018), _series(shares))
    assert path.status == strategy.BEHIND
    assert path.pace == pytest.approx(0.01)
    assert path.projected == pytest.approx(0.25)
    assert path.needed == pytest.approx((0.30 - 0.20) / 5)
    assert path.low == pytest.approx(0.25) and path.high == pytest.approx(0.25)   # no scatter, no band
    assert path.pace_years == (2018, 2025)
    assert list(path.projection["year"]) == list(range(2025, 2031))


def test_the_pace_and_band_equal_an_independent_least_squares_fit():
    rng = np.random.default_rng(7)
    years = list(range(2012, 2026))
    shares = {y: 0.08 + 0.012 * (y - 2012) + float(rng.normal(0, 0.006)) for y in years}
    target = strategy.Target("professors", 0.35, 2030, 2016)
    path = strategy.assess(target, _series(shares))
    x = np.array([y for y in years if y >= 2016], float)
    y = np.array([shares[int(v)] for v in x])
    slope, intercept = np.polyfit(x, y, 1)
    residuals = y - (intercept + slope * x)
    s = math.sqrt((residuals ** 2).sum() / (len(x) - 2))
    error = s * math.sqrt(1 + 1 / len(x) + (2030 - x.mean()) ** 2 / ((x - x.mean()) ** 2).sum())
    assert path.pace == pytest.approx(slope)
    assert path.projected == pytest.approx(intercept + slope * 2030)
    assert path.low == pytest.approx(intercept + slope * 2030 - error)
    assert path.high == pytest.approx(intercept + slope * 2030 + error)
    assert path.status == (strategy.ON_TRACK if round(intercept + slope * 2030, 3) >= 0.35 else strategy.BEHIND)


def test_ranges_are_left_out_of_the_fit():
    shares = {2018: 0.20, 2019: None, 2020: 0.22, 2021: None, 2022: 0.24}
    path = strategy.assess(strategy.Target("professors", 0.25, 2030, 2018), _series(shares))
    assert path.pace == pytest.approx(0.01)
    assert path.latest_year == 2022 and path.latest == pytest.approx(0.24)


@pytest.mark.parametrize("shares, target, status", [
    ({2025: 0.30}, strategy.Target("professors", 0.35, 2030, 2020), strategy.TOO_FEW),    # one year of data
    ({2025: 0.36}, strategy.Target("professors", 0.35, 2030, 2020), strategy.MET),        # one year, already met
    ({2020: 0.30, 2025: 0.36}, strategy.Target("professors", 0.35, 2030, 2020), strategy.MET),
    ({2020: 0.30, 2022: 0.36, 2025: 0.40}, strategy.Target("professors", 0.35, 2022, 2018), strategy.REACHED),
    ({2020: 0.30, 2022: 0.31, 2025: 0.40}, strategy.Target("professors", 0.35, 2022, 2018), strategy.MISSED),
    ({2019: None, 2020: None}, strategy.Target("professors", 0.35, 2030, 2018), strategy.NO_DATA),
])
def test_edge_cases_get_their_verdict(shares, target, status):
    path = strategy.assess(target, _series(shares))
    assert path.status == status
    sentence = strategy_views.verdict(path)
    assert sentence and "{" not in sentence


def test_one_year_says_what_is_needed_without_a_pace():
    path = strategy.assess(strategy.Target("professors", 0.35, 2030, 2020), _series({2025: 0.30}))
    assert path.pace is None and path.needed == pytest.approx(0.01)
    assert strategy_views.verdict(path) == ("Too few years since 2020 to measure a pace: 30.0% in 2025; reaching 35% "
                                             "by 2030 needs +1.0 pp a year.")


def test_a_projection_that_rounds_to_the_target_is_on_track_as_written():
    # 0.34951 is written 35.0%: the verdict must not say "behind" beside it.
    shares = {2020: 0.30, 2025: 0.30 + 5 * 0.004951}
    path = strategy.assess(strategy.Target("professors", 0.35, 2030, 2020), _series(shares))
    assert round(path.projected, 3) == 0.35 and path.status == strategy.ON_TRACK


@pytest.mark.parametrize("entry, problem", [
    ({"population": "profs", "percent": 35, "year": 2030, "baseline": 2020}, "population 'profs' is not one of"),
    ({"population": "professors", "percent": 135, "year": 2030, "baseline": 2020}, "percent 135 is not a number"),
    ({"population": "professors", "percent": "35%", "year": 2030, "baseline": 2020}, "percent '35%' is not"),
    ({"population": "professors", "percent": 35, "year": "2030", "baseline": 2020}, "year '2030' is not a year"),
    ({"population": "professors", "percent": 35, "year": 2030, "baseline": 2030}, "baseline 2030 is not before"),
    ({"population": "professors", "percent": 35, "year": 2030}, "baseline missing"),
    ({"population": "professors", "percent": 35, "year": 2030, "baseline": 2020, "definition": "qs"},
     "definition 'qs' is not one of"),
    ({"population": "professors", "percent": 35, "year": 2030, "baseline": 2020, "target": 1}, "unknown setting target"),
    ("professors 35%", "not a table of settings"),
])
def test_a_target_with_a_mistake_is_named_and_left_out(entry, problem):
    good = {"population": "doctoral", "percent": 55.5, "year": 2030, "baseline": 2018, "definition": "prior_education"}
    targets, problems = strategy.parse_targets([good, entry])
    assert targets == [strategy.Target("doctoral", 0.555, 2030, 2018, "prior_education")]
    assert len(problems) == 1 and problems[0].startswith("config.toml, target 2: ") and problem in problems[0]


def test_targets_written_as_a_single_table_are_refused():
    assert strategy.parse_targets({"population": "professors"}) == (
        [], ["config.toml: targets must be written as [[targets]] tables."])


# --- diversity ------------------------------------------------------------------

def _countries(counts: dict[str, int], rule: Rule) -> pd.DataFrame:
    """A protected country list as the Countries page makes it: small countries only as their total."""
    from app.model import disclosure
    from app.words.labels import SMALL_COUNTRIES
    frame = pd.DataFrame({"citizenship": list(counts), "headcount": list(counts.values())})
    total = int(frame["headcount"].sum())
    small = frame["headcount"] < disclosure.smallest_shown(rule)
    if small.any() and not rule.exact:
        frame = pd.concat([frame[~small], pd.DataFrame({"citizenship": [SMALL_COUNTRIES],
                                                        "headcount": [int(frame.loc[small, "headcount"].sum())]})])
    frame = disclosure.protect(frame.assign(all_international=total), ["headcount", "all_international"], rule)
    shares = disclosure.share(frame["headcount"], frame["all_international"], rule, frame["headcount_low"],
                              frame["headcount_high"])
    return pd.concat([frame, shares], axis=1).sort_values("headcount_high", ascending=False, ignore_index=True)


def test_indices_of_exact_counts():
    counts = {"DEU": 40, "CHN": 30, "IND": 20, "ITA": 5, "ESP": 3, "FRA": 1, "USA": 1}
    got = diversity.of_year(_countries(counts, NONE), NONE)
    p = np.array(list(counts.values()), float) / sum(counts.values())
    assert got["countries"] == 7
    assert got["shannon"] == pytest.approx(math.exp(-(p * np.log(p)).sum()), abs=0.05)
    assert got["simpson"] == pytest.approx(1 / (p ** 2).sum(), abs=0.05)
    assert got["top5"] == pytest.approx(98 / 100)


def test_small_countries_count_only_as_a_range_between_two_spreads_of_their_total():
    counts = {"DEU": 40, "CHN": 30, "IND": 20, "FRA": 2, "USA": 1}   # FRA and USA: 3 people, shown as 1–4
    got = diversity.of_year(_countries(counts, VIPUNEN), VIPUNEN)
    concentrated, spread = [39, 30, 21, 1], [39, 30, 21, 1, 1, 1, 1]   # 1–4 people: one country, or four
    assert got["countries"] == 3 and got["few_label"] == "1–4"   # the three shown on their own; 1–4 from others
    assert (got["shannon_low"], got["shannon_high"]) == (round(diversity.shannon(concentrated), 1),
                                                         round(diversity.shannon(spread), 1))
    assert (got["simpson_low"], got["simpson_high"]) == (round(diversity.simpson(concentrated), 1),
                                                         round(diversity.simpson(spread), 1))
    assert math.isnan(got["top5"])   # fewer than five countries shown on their own


def test_the_number_of_countries_never_pins_a_small_total():
    """The attacker's case: four countries of one person each, the total shown as 1–4. Counting the countries
    (4) beside 1–4 people said each had exactly one."""
    got = diversity.of_year(_countries({"EST": 1, "RUS": 1, "IRN": 1, "DEU": 1}, VIPUNEN), VIPUNEN)
    assert got["countries"] == 0 and got["few_label"] == "1–4"
    assert (got["shannon_low"], got["shannon_high"]) == (1.0, 4.0)
    # Seven people from seven countries, the total shown as 6: the countries could be two to seven.
    got = diversity.of_year(_countries({c: 1 for c in ("EST", "RUS", "IRN", "DEU", "SWE", "NOR", "DNK")}, VIPUNEN),
                            VIPUNEN)
    assert got["countries"] == 0 and got["few_label"] == "6"
    assert (got["shannon_low"], got["shannon_high"]) == (round(diversity.shannon([4, 1]), 1), 7.0)


def test_no_international_people_gives_no_figures():
    got = diversity.of_year(pd.DataFrame(columns=["citizenship", "headcount", "headcount_low", "headcount_high",
                                                  "share", "share_low", "share_high"]), VIPUNEN)
    assert all(math.isnan(v) for k, v in got.items() if k != "few_label") and got["few_label"] == ""


def test_diversity_on_the_demo_equals_the_person_level_table(demo_warehouse):
    wh, truth = Warehouse(demo_warehouse), Truth(demo_warehouse, "none")
    frame = diversity.trend(wh, Filters(years=(2015, 2025)), "all_staff", NONE)
    for row in frame.itertuples():
        counts = np.array(list(truth.citizenship_counts("all_staff", row.year).values()), float)
        p = counts / counts.sum()
        assert row.countries == len(counts)
        assert row.shannon == round(math.exp(-(p * np.log(p)).sum()), 1)
        assert row.simpson == round(1 / (p ** 2).sum(), 1)
        assert row.top5 == pytest.approx(np.sort(counts)[::-1][:5].sum() / counts.sum())


def test_diversity_is_not_shown_with_a_country_filter(demo_warehouse):
    wh = Warehouse(demo_warehouse)
    filters = Filters(years=(2020, 2025), countries=("DEU",))
    assert diversity.trend(wh, filters, "all_staff", VIPUNEN).empty
    chart = strategy_views.diversity_chart(wh, filters, VIPUNEN, "all_staff", pd.DataFrame())
    assert chart.empty and "not shown with countries chosen" in chart.empty_reason


# --- careers: the ETL's tables on hand-made people ------------------------------------

# person: (first year, last year, citizenship, stage per year); everyone is teaching and research staff in SCI.
PEOPLE = {
    "P0": (2019, 2023, "FI", 2),            # present in the first year of data: no cohort
    "D1": (2020, 2023, "DE", 1),            # three international newcomers of 2020: a cohort under five
    "D2": (2020, 2021, "DE", 1),
    "D3": (2020, 2020, "SE", 1),
    **{f"H{i}": (2020, 2023 if i < 3 else 2021, "FI", 1) for i in range(6)},   # six home newcomers of 2020
}
PROMOTED = {("D1", 2021): 2, ("H0", 2022): 2}   # stage from that year on


def _careers_raw(folder: Path) -> Path:
    for year in range(2019, 2024):
        rows = []
        for person, (first, last, citizenship, stage) in PEOPLE.items():
            if first <= year <= last:
                now = max([s for (p, y), s in PROMOTED.items() if p == person and y <= year], default=stage)
                rows.append([person, year, "SCI", "teaching_research", citizenship, "", "1", str(now)])
        write_csv(folder / f"staff_{year}.csv", STAFF_HEADER, rows)
    return folder


@pytest.fixture(scope="module")
def careers_warehouse(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("careers")
    out = folder / "warehouse"
    build(_careers_raw(folder / "raw"), out, say=lambda _: None, demo=True)
    return out


def _table(warehouse: Path, table: str, sql: str) -> list[tuple]:
    con = duckdb.connect()
    con.execute(f"CREATE VIEW t AS SELECT * FROM read_parquet('{warehouse}/{table}/data.parquet')")
    return con.execute(sql).fetchall()


def test_the_etl_counts_each_cohort_and_who_is_still_there(careers_warehouse):
    rows = _table(careers_warehouse, "agg_retention", """
        SELECT year, after, is_international, sum(headcount)::INT, sum(retained)::INT FROM t GROUP BY ALL ORDER BY ALL""")
    # 2019 (first year) has no cohort; 2020's can be followed 1 and 3 years (5 would be 2025); nobody starts later.
    assert rows == [(2020, 1, False, 6, 6), (2020, 1, True, 3, 2), (2020, 3, False, 6, 3), (2020, 3, True, 3, 1)]


def test_the_etl_counts_moves_up_a_stage(careers_warehouse):
    rows = _table(careers_warehouse, "agg_careers", """
        SELECT year, career_stage, is_international, sum(headcount)::INT, sum(moved_up)::INT FROM t
        WHERE moved_up > 0 GROUP BY ALL ORDER BY ALL""")
    # 2020: D1 of the three international newcomers at stage I (D1, D2 there in 2021) moved up; 2021: H0 of the
    # three home researchers still there in 2022.
    assert rows == [(2020, 1, True, 2, 1), (2021, 1, False, 3, 1)]


def test_no_person_key_or_identifier_reaches_the_careers_tables(careers_warehouse):
    for table in ("agg_retention", "agg_careers"):
        columns = {row[0] for row in _table(careers_warehouse, table, "DESCRIBE t")}
        assert not columns & {"person_key", "person_id", "name"}


def test_a_cohort_of_fewer_than_five_is_withheld_under_vipunen_and_exact_without_a_rule(careers_warehouse):
    wh = Warehouse(careers_warehouse)
    filters = Filters(years=(2019, 2023))
    exact = careers.retention(wh, filters, "other_teaching_research", NONE).set_index(["years_after", "origin"])
    assert exact.loc[(1, "international"), "share"] == pytest.approx(2 / 3)
    assert exact.loc[(3, "home"), "share"] == pytest.approx(3 / 6)
    assert list(exact.index.get_level_values("years_after").unique()) == [1, 3]   # five years on: not yet seen
    protected = careers.retention(wh, filters, "other_teaching_research", VIPUNEN).set_index(["years_after", "origin"])
    international = protected.loc[(1, "international")]
    assert international["headcount_label"] == "1–4" and math.isnan(international["share_low"])
    assert protected.loc[(1, "home"), "share"] == pytest.approx(vipunen(6) / vipunen(6))
    chart = strategy_views.retention_chart(wh, filters, VIPUNEN, "other_teaching_research")
    assert "withheld" in chart.summary and "1–4" not in chart.summary.split("International:")[1].split("%")[0]


def test_an_old_warehouse_without_the_careers_tables_says_to_rebuild(careers_warehouse, tmp_path):
    old = shutil.copytree(careers_warehouse.resolve(), tmp_path / "old")
    shutil.rmtree(old / "agg_retention")
    shutil.rmtree(old / "agg_careers")
    (old / serving.FILE).unlink()   # written since ETL 0.5
    wh = Warehouse(old)
    assert not wh.careers and careers.retention(wh, Filters(years=(2019, 2023)), "all_staff", VIPUNEN).empty
    chart = strategy_views.retention_chart(wh, Filters(years=(2019, 2023)), VIPUNEN, "all_staff")
    assert chart.empty and "rebuild" in chart.empty_reason


# --- careers on the demo: independent recomputation --------------------------------

def _retention_truth(warehouse: Path, group: str, after: int, first: int, last: int) -> dict[str, tuple[int, int]]:
    con = Truth(warehouse, "none").con
    rows = con.execute(f"""
        WITH firsts AS (SELECT person_key, min(year) AS cohort FROM staff GROUP BY 1),
             bounds AS (SELECT min(year) AS lo, max(year) AS hi FROM staff)
        SELECT s.is_international, count(*),
               count(*) FILTER (WHERE EXISTS (SELECT 1 FROM staff l WHERE l.person_key = s.person_key
                                                                     AND l.year = s.year + {after}))
        FROM staff s JOIN firsts f ON s.person_key = f.person_key AND s.year = f.cohort, bounds
        WHERE s.year > bounds.lo AND s.year + {after} <= bounds.hi AND s.year BETWEEN {first} AND {last}
          AND s.staff_group = '{group}' AND s.is_international IS NOT NULL
        GROUP BY 1""").fetchall()
    return {("international" if intl else "home"): (n, kept) for intl, n, kept in rows}


@pytest.mark.parametrize("rule", [NONE, VIPUNEN])
def test_retention_on_the_demo_equals_the_person_level_table(demo_warehouse, rule):
    wh = Warehouse(demo_warehouse)
    got = careers.retention(wh, Filters(years=(2012, 2020)), "other_teaching_research", rule).set_index(
        ["years_after", "origin"])
    for after in careers.AFTER:
        truth = _retention_truth(demo_warehouse, "teaching_research", after, 2012, 2020)
        for origin, (n, kept) in truth.items():
            protect = (lambda x: float(x)) if rule.exact else vipunen
            assert got.loc[(after, origin), "share"] == pytest.approx(protect(kept) / protect(n)), (after, origin)


def test_the_demo_shows_early_career_staff_from_abroad_leave_more_often_than_professors(demo_warehouse):
    wh = Warehouse(demo_warehouse)
    filters = Filters(years=(2011, 2025))
    early = careers.retention(wh, filters, "other_teaching_research", VIPUNEN).set_index(["years_after", "origin"])
    professors = careers.retention(wh, filters, "professors", VIPUNEN).set_index(["years_after", "origin"])
    for after in careers.AFTER:
        assert early.loc[(after, "international"), "share"] < professors.loc[(after, "international"), "share"]
        assert early.loc[(after, "international"), "share"] < early.loc[(after, "home"), "share"]


def test_moving_up_on_the_demo_equals_the_person_level_table(demo_warehouse):
    wh = Warehouse(demo_warehouse)
    got = careers.moving_up(wh, Filters(years=(2016, 2020)), NONE).set_index(["year", "origin"])
    con = Truth(demo_warehouse, "none").con
    rows = con.execute("""
        SELECT a.year, a.is_international, count(*), count(*) FILTER (b.career_stage > a.career_stage)
        FROM staff a JOIN staff b ON a.person_key = b.person_key AND b.year = a.year + 1
        WHERE a.career_stage IN (1, 2, 3) AND b.career_stage IS NOT NULL AND a.is_international IS NOT NULL
          AND a.year BETWEEN 2016 AND 2020 GROUP BY ALL""").fetchall()
    assert rows
    for year, international, n, up in rows:
        row = got.loc[(year, "international" if international else "home")]
        assert (row["headcount"], row["moved_up"]) == (n, up)


def test_the_demo_targets_are_one_on_track_and_one_behind(demo_warehouse):
    paths, problems = strategy.trajectories(Warehouse(demo_warehouse), VIPUNEN)
    assert not problems
    assert {p.target.population: p.status for p in paths} == {"professors": strategy.BEHIND,
                                                              "degree_students": strategy.ON_TRACK}
    assert all(p.target.example for p in paths)


# --- the page ------------------------------------------------------------------------

def _figure(at, title: str) -> dict:
    matches = [f for f in figures(at) if title_of(f) == title]
    assert matches, [title_of(f) for f in figures(at)]
    return matches[0]


def test_the_page_draws_every_figure_as_recomputed(open_page, demo_warehouse):
    at = open_page("strategy")
    truth = Truth(demo_warehouse, "vipunen")
    # The professors' target: the actual series is the page's share of each year, the star is the target.
    target = _figure(at, "Example target — International professors: 35% by 2030")
    line = trace(target, "Professors")
    for year, share in zip(values(line["x"]), values(line["y"])):
        assert share == pytest.approx(truth.share("professors", int(year))), year
    star = trace(target, "Target")
    assert values(star["x"]) == [2030] and values(star["y"]) == [pytest.approx(0.35)]
    years = [y for y in range(2020, 2026)]
    slope, intercept = np.polyfit(years, [truth.share("professors", y) for y in years], 1)
    pace = trace(target, "At the recent pace")
    assert values(pace["x"])[-1] == 2030 and values(pace["y"])[-1] == pytest.approx(intercept + slope * 2030)
    # Retention of the default staff group.
    bars = _figure(at, "Still at the university after 1, 3 and 5 years")
    international = trace(bars, "International")
    truth_after = {a: _retention_truth(demo_warehouse, "teaching_research", a, 2010, 2025)["international"]
                   for a in careers.AFTER}
    for after, length in zip(careers.AFTER, values(international["y"])):
        n, kept = truth_after[after]
        assert length == pytest.approx(vipunen(kept) / vipunen(n))
    texts = [t.value for t in at.get("text")]
    assert any(t.startswith("Behind: from 28.7% in 2025, reaching 35% by 2030 needs +1.3 pp a year") for t in texts)
    assert any(t.startswith("On track: at the pace of 2018–2025") for t in texts)


@pytest.mark.parametrize("rule, definition", [
    *((rule, "register") for rule in ("vipunen", "hesa", "threshold:5", "none")),
    *((rule, definition) for rule in ("vipunen", "threshold:5")
      for definition in ("any_foreign", "first_employment", "prior_education")),
])
def test_every_rule_and_definition_draws_the_page(demo_warehouse, render_page, rule, definition):
    """Every number on the page obeys the rule (the sweep's check): every rule, and every definition under a
    rounding rule and the threshold rule."""
    from tests.test_sweep import _sweep
    at = render_page(demo_warehouse, "strategy", rule=rule, definition=definition)
    _sweep(at, "strategy", rule, "all", definition)
    titles = [title_of(f) for f in figures(at)]
    assert sum(t.startswith("Example target") for t in titles) == 2   # targets keep their own definition
    if definition == "prior_education":   # about students only: the staff charts say why they are empty
        assert "Still at the university after 1, 3 and 5 years" not in titles
        assert any("degree students" in i.value for i in at.info)
    else:
        assert "Still at the university after 1, 3 and 5 years" in titles


@pytest.mark.parametrize("rule", ["vipunen", "threshold:5", "none"])
@pytest.mark.parametrize("query", [{"units": "ARTS", "gender": "female"}, {"years": "2015-2020", "groups": "teaching_research"},
                                   {"countries": "EGY"}])
def test_filters_narrow_the_careers_and_diversity(demo_warehouse, render_page, query, rule):
    from tests.test_sweep import _sweep
    at = render_page(demo_warehouse, "strategy", rule=rule, **query)
    _sweep(at, "strategy", rule, "filtered")
    if "countries" in query:
        assert any("not shown with countries chosen" in i.value for i in at.info)
    else:
        assert "Still at the university after 1, 3 and 5 years" in [title_of(f) for f in figures(at)]


@pytest.mark.parametrize("language, heading", [("fi", "Strategia: tavoitteet, monimuotoisuus ja urat"),
                                               ("sv", "Strategi: mål, mångfald och karriärer")])
def test_the_page_in_finnish_and_swedish(open_page, language, heading):
    at = open_page("strategy", lang=language)
    assert at.title[0].value == heading
    texts = " ".join(t.value for t in at.get("text"))
    assert "Behind" not in texts and "still at the university" not in texts


def test_the_overview_names_each_target_and_its_verdict(open_page):
    at = open_page("overview")
    notes = [m.value for m in at.markdown if m.value.startswith(":material/flag:")]
    assert len(notes) == 2 and "Behind" in notes[0] and "On track" in notes[1]


def test_without_targets_the_page_says_how_to_set_one(open_page, monkeypatch, tmp_path):
    from etl import config
    text = config.CONFIG_FILE.read_text(encoding="utf-8")
    settings = tmp_path / "config.toml"
    settings.write_text(text[:text.index("[[targets]]")], encoding="utf-8")
    monkeypatch.setattr(config, "CONFIG_FILE", settings)
    at = open_page("strategy")
    assert any("No targets are set" in i.value for i in at.info)
    assert any("[[targets]]" in c.value for c in at.code)
    assert not [m for m in open_page("overview").markdown if m.value.startswith(":material/flag:")]


def test_a_target_with_a_mistake_is_named_on_the_page(open_page, monkeypatch, tmp_path):
    from etl import config
    text = config.CONFIG_FILE.read_text(encoding="utf-8")
    settings = tmp_path / "config.toml"
    settings.write_text(text + '\n[[targets]]\npopulation = "professors"\npercent = "35%"\nyear = 2030\n'
                        'baseline = 2020\n', encoding="utf-8")
    monkeypatch.setattr(config, "CONFIG_FILE", settings)
    at = open_page("strategy")
    assert any("config.toml, target 3: percent '35%' is not a number" in w.value.replace("\\", "")
               for w in at.warning)
    assert sum(title_of(f).startswith("Example target") for f in figures(at)) == 2


def test_the_full_report_holds_the_strategy_charts(demo_warehouse):
    from app.present import pages
    wh = Warehouse(demo_warehouse)
    keys = [c.key for c in pages.everything(wh, Filters(years=(2010, 2025)), VIPUNEN)]
    assert {"retention-other-teaching-research", "moving-up-a-career-stage",
            "countries-of-origin-all-staff"} <= set(keys)
    assert sum(k.startswith("target-") for k in keys) == 2


def test_finnish_figures_on_the_strategy_charts(demo_warehouse):
    i18n.set_language("fi")
    try:
        path = strategy.trajectory(Warehouse(demo_warehouse), strategy.Target("professors", 0.35, 2030, 2020), VIPUNEN)
        sentence = strategy_views.verdict(path)
        assert sentence.startswith("Jäljessä: 28,7\xa0% vuonna 2025; 35\xa0%:n saavuttaminen vuoteen 2030 mennessä "
                                   "vaatii +1,3 %-yks. vuodessa")
    finally:
        i18n.set_language("en")


@pytest.mark.parametrize("language", ["en", "fi"])
def test_every_strategy_chart_downloads_as_its_reader_reads_it(demo_warehouse, language):
    """CSV and Excel of each chart: headed in the reader's language, numbers as the chart shows them."""
    import io

    import openpyxl

    from app.present import pages
    from app.reports import exports
    wh = Warehouse(demo_warehouse)
    filters = Filters(years=(2010, 2025))
    i18n.set_language(language)
    try:
        charts = pages.page_charts("strategy", wh, filters, VIPUNEN)
        meta = exports.Meta.of(wh, filters, VIPUNEN, "people")
        assert len(charts) == 7 and not any(c.empty for c in charts)
        for chart in charts:
            text = exports.csv_bytes(chart, meta).decode("utf-8-sig")
            header = [line for line in text.splitlines() if line][len(exports.context_lines(chart, meta))]
            english = ("Years after starting", "Still at the university", "Series", "Effective number", "Origin",
                       "Year", "People", "Share")
            if language == "fi":
                assert not any(word in header for word in english), (chart.key, header)
            book = openpyxl.load_workbook(io.BytesIO(exports.xlsx_bytes(chart, meta)))
            assert book.worksheets[0].max_row > 1
        retention = next(c for c in charts if c.key.startswith("retention-"))
        rows = exports.table(retention)
        assert list(rows.iloc[:, 0]) == [1, 1, 3, 3, 5, 5]
        target = next(c for c in charts if c.key.startswith("target-professors"))
        projected = exports.table(target).iloc[-1]
        band = projected[[exports._column_names(target)[c] for c in ("band_from", "band_to")]]
        assert projected.iloc[1] == 2030 and 0 < band.iloc[0] < band.iloc[1] < 1, projected
    finally:
        i18n.set_language("en")


def test_the_same_goal_twice_is_named_not_drawn_twice():
    entry = {"population": "professors", "percent": 35, "year": 2030, "baseline": 2020}
    targets, problems = strategy.parse_targets([entry, dict(entry), dict(entry, percent=35.04)])
    assert len(targets) == 2 and problems == ["config.toml, target 2: the same goal as target 1"]
    assert strategy_views.target_words(targets[1]) == "International professors: 35.04% by 2030"


def test_all_staff_retention_is_the_sum_of_its_parts_protected(demo_warehouse):
    """Choosing all staff and then other staff must not give the rest exactly: all staff is the sum of the
    groups' protected counts, as on the other pages."""
    wh = Warehouse(demo_warehouse)
    filters = Filters(years=(2012, 2020), units=("ARTS",))
    rule = Rule("threshold", 5)
    whole = careers.retention(wh, filters, "all_staff", rule).set_index(["years_after", "origin"])
    parts = [careers.retention(wh, filters, part, rule).set_index(["years_after", "origin"])
             for part in ("professors", "other_teaching_research", "other_staff")]
    for index, row in whole.iterrows():
        for column in ("headcount", "retained"):
            values = [p.loc[index, column] for p in parts]
            if all(v == v for v in values):
                assert row[column] == sum(values)
            else:
                assert math.isnan(row[column])
                assert row[f"{column}_low"] == sum(p.loc[index, f"{column}_low"] for p in parts)
