"""Which "international" (issue 16): the definitions in the dashboard, on hand-made people and on the demo.

On the hand-made warehouse (tests/test_definitions_etl.py) every figure is known by hand; on the demo, every
figure under every definition equals an independent recomputation from the person-level tables
(tests/truth.py), and the published professor series holds."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from app.model import definitions, filters as flt, metrics, reconciliation
from app.model.data import Warehouse
from app.model.disclosure import Rule, parse_rule
from app.present import pages, views
from app.reports import exports
from etl.build import build
from tests.test_definitions_etl import _raw
from tests.truth import Truth

EXACT = Rule("none")


@pytest.fixture(scope="module")
def people(tmp_path_factory) -> Warehouse:
    folder = tmp_path_factory.mktemp("people")
    build(_raw(folder / "raw"), folder / "warehouse", say=lambda _: None, demo=True)
    return Warehouse(folder / "warehouse")


def _filters(wh: Warehouse, definition: str, years=(2022, 2022)) -> flt.Filters:
    return flt.Filters(years=years, definition=definition)


def _share(wh: Warehouse, definition: str, key: str) -> tuple[int, int]:
    row = metrics.share_trend(wh, _filters(wh, definition), (key,), EXACT).iloc[0]
    return int(row["international"]), int(row["known"])


def test_each_definition_counts_the_hand_made_staff_as_defined(people):
    # P1 home; P2 dual FI+DE; P3 naturalised, kept DE; P4 Swede; P5 naturalised from Estonia; P6 unknown; P7 XX;IT
    assert _share(people, definitions.REGISTER, "professors") == (2, 6)          # Sweden, Italy
    assert _share(people, definitions.ANY_FOREIGN, "professors") == (4, 6)       # + the two with German citizenship
    assert _share(people, definitions.FIRST_EMPLOYMENT, "professors") == (3, 5)  # Germany, Estonia, Sweden; P6, P7 unknown


def test_each_definition_counts_the_hand_made_students_as_defined(people):
    assert _share(people, definitions.REGISTER, "master") == (2, 5)
    assert _share(people, definitions.ANY_FOREIGN, "master") == (3, 5)           # + the Finnish-Swedish dual citizen
    assert _share(people, definitions.PRIOR_EDUCATION, "master") == (1, 4)       # educated in the USA; one unknown


def test_a_definition_that_cannot_count_a_population_says_why_instead_of_drawing(people):
    staff = views.staff_trend(people, _filters(people, definitions.PRIOR_EDUCATION), EXACT)
    assert staff.empty and "degree students only" in staff.empty_reason
    students = views.student_trend(people, _filters(people, definitions.FIRST_EMPLOYMENT), EXACT)
    assert students.empty and "staff only" in students.empty_reason
    # The overview's trend keeps the populations it can count and says why the others are missing.
    headline = views.headline_trend(people, _filters(people, definitions.FIRST_EMPLOYMENT), EXACT)
    assert set(headline.data["population"]) == {"professors", "teaching_research", "all_staff"}
    assert "staff only" in headline.summary


def test_years_whose_exports_lack_the_column_are_named(people):
    chart = views.staff_trend(people, _filters(people, definitions.FIRST_EMPLOYMENT, (2021, 2022)), EXACT)
    assert "Nobody can be counted by citizenship at first employment in 2021" in chart.summary
    # The register's figures for 2021 are there all the same.
    register = views.staff_trend(people, _filters(people, definitions.REGISTER, (2021, 2022)), EXACT)
    assert "Nobody" not in register.summary


def test_the_reconciliation_of_the_hand_made_staff(people):
    side = reconciliation.side_by_side(people, "professors", 2022, EXACT).set_index("definition")
    assert side.loc["register", "share"] == pytest.approx(2 / 6)
    assert side.loc["any_foreign", "share"] == pytest.approx(4 / 6)
    assert side.loc["first_employment", "share"] == pytest.approx(3 / 5)
    assert side.loc["prior_education", "reason"] == "Recorded for degree students only."
    moves = reconciliation.changes(people, "professors", 2022, EXACT)
    found = {(d, b, a): int(n) for d, b, a, n in moves[["definition", "before", "after", "headcount"]].itertuples(
        index=False)}
    assert found == {
        ("any_foreign", "home", "international"): 2,          # P2 and P3, dual citizens
        ("first_employment", "home", "international"): 2,     # P3 and P5, naturalised
        ("first_employment", "international", "unknown"): 1,  # P7: Italian, citizenship at hire unknown
    }
    chart = views.definition_changes(people, EXACT, "professors", 2022)
    assert "dual citizens of Finland and another country" in chart.summary
    assert "naturalised" in chart.summary


def test_the_reconciliation_of_the_hand_made_students(people):
    moves = reconciliation.changes(people, "master", 2022, EXACT)
    found = {(d, b, a): int(n) for d, b, a, n in moves[["definition", "before", "after", "headcount"]].itertuples(
        index=False)}
    assert found == {
        ("any_foreign", "home", "international"): 1,          # S5, Finnish and Swedish
        ("prior_education", "home", "international"): 1,      # S2, a Finn educated in the USA
        ("prior_education", "international", "home"): 1,      # S3, a Chinese citizen educated in Finland
        ("prior_education", "international", "unknown"): 1,   # S4
    }


def test_a_small_gap_between_two_definitions_is_shown_as_a_range(people):
    """Two dual citizens among six professors: the count under 'any foreign citizenship' differs from the
    register's by 2, which comparing the two would give away."""
    # Under a threshold of 3 the four would be shown exactly, beside the register's two hidden ones.
    row = metrics.share_trend(people, _filters(people, definitions.ANY_FOREIGN), ("professors",),
                              parse_rule("threshold:3")).iloc[0]
    assert row["international"] != row["international"]   # NaN: shown only as a range
    assert row["international_low"] == 0 and row["international_high"] >= 4
    exact = metrics.share_trend(people, _filters(people, definitions.ANY_FOREIGN), ("professors",), EXACT).iloc[0]
    assert exact["international"] == 4   # the rule "none" shows what it is


# --- the demo -------------------------------------------------------------------------------------------------

PUBLISHED_PROFESSORS = dict(zip(range(2010, 2018), (230, 239, 293, 329, 369, 388, 386, 386)))


def test_the_demo_follows_the_published_professor_series(demo_warehouse):
    truth = Truth(demo_warehouse)
    for year, professors in PUBLISHED_PROFESSORS.items():
        assert truth.con.execute(f"SELECT count(*) FROM staff WHERE year = {year} AND staff_group = 'professor'"
                                 ).fetchone()[0] == professors


@pytest.mark.parametrize("definition", definitions.KEYS)
def test_the_demo_holds_people_the_definitions_part(demo_warehouse, definition):
    """Naturalised staff, dual citizens, mobile home citizens and foreign citizens educated at home, in numbers
    large enough that the definitions tell apart visibly."""
    if definition == definitions.REGISTER:
        return
    wh = Warehouse(demo_warehouse)
    key = "professors" if definition != definitions.PRIOR_EDUCATION else "degree_students"
    moves = reconciliation.changes(wh, key, 2022, EXACT)
    assert moves[moves["definition"] == definition]["headcount"].max() >= 20


@pytest.mark.parametrize("definition", definitions.KEYS)
@pytest.mark.parametrize("rule", ["vipunen", "none"])
def test_every_share_under_every_definition_equals_a_recomputation(demo_warehouse, definition, rule):
    wh, truth = Warehouse(demo_warehouse), Truth(demo_warehouse, rule)
    filters = replace(flt.defaults(wh.options), definition=definition)
    keys = tuple(k for k in metrics.POPULATIONS
                 if definitions.why_not(wh.coverage, definition, metrics.POPULATIONS[k].population) is None)
    trend = metrics.share_trend(wh, filters, keys, parse_rule(rule))
    checked = 0
    for row in trend.itertuples(index=False):
        expected = truth.share(row.population, row.year, definition=definition)
        if expected is None:
            assert row.share != row.share, (row.population, row.year)
        else:
            assert row.share == pytest.approx(expected), (definition, row.population, row.year)
            checked += 1
    assert checked > len(trend) / 2


def test_the_published_headline_holds_under_the_default_definition(demo_warehouse):
    wh = Warehouse(demo_warehouse)
    assert flt.defaults(wh.options).definition == definitions.REGISTER
    trend = metrics.share_trend(wh, flt.defaults(wh.options), ("professors",), parse_rule("vipunen"))
    shares = dict(zip(trend["year"], trend["share"]))
    assert round(100 * shares[2010]) == 9 and round(100 * shares[2022]) == 27


# --- the link, the default, the words ------------------------------------------------------------------------

def test_the_definition_is_kept_in_the_link_and_a_wrong_one_is_ignored(demo_warehouse):
    options = Warehouse(demo_warehouse).options
    parsed = flt.from_query({"definition": "any_foreign"}, options)
    assert parsed.filters.definition == "any_foreign" and not parsed.ignored
    assert flt.to_query(parsed.filters, options) == {"definition": "any_foreign"}
    wrong = flt.from_query({"definition": "<script>"}, options)
    assert wrong.filters.definition == definitions.REGISTER and wrong.ignored == ["definition"]


def test_the_default_comes_from_the_settings(monkeypatch, demo_warehouse):
    options = Warehouse(demo_warehouse).options
    monkeypatch.setenv("DEFINITION", "any_foreign")
    assert flt.defaults(options).definition == "any_foreign"
    assert flt.to_query(flt.defaults(options), options) == {}   # the default is not written into links
    assert flt.to_query(replace(flt.defaults(options), definition="register"), options) == {"definition": "register"}
    monkeypatch.setenv("DEFINITION", "citizenship")
    with pytest.raises(ValueError, match="register, any_foreign, first_employment, prior_education"):
        definitions.configured()


@pytest.mark.parametrize("definition", definitions.KEYS)
def test_every_chart_and_file_names_its_definition(demo_warehouse, definition):
    wh = Warehouse(demo_warehouse)
    filters = replace(flt.defaults(wh.options), definition=definition)
    meta = exports.Meta.of(wh, filters, parse_rule("vipunen"))
    charts = list(pages.everything(wh, filters, parse_rule("vipunen")))
    compared = [c for c in charts if c.definition == definitions.ALL]   # the comparison, at the report's end
    assert len(compared) == 4 and all(not c.empty for c in compared)
    # A target keeps its own definition (config.toml), whatever the sidebar's, and names it.
    targets = [c for c in charts if c.key.startswith("target-")]
    assert targets
    for chart in targets:
        assert chart.definition == definitions.REGISTER and definitions.line(chart.definition) in chart.byline
        assert definitions.line(chart.definition) in chart.figure.layout.title.subtitle.text
    people_charts = [c for c in charts if c.about != flt.EXCHANGES and c.definition != definitions.ALL
                     and c not in targets]
    assert people_charts
    for chart in people_charts:
        assert chart.definition == definition, chart.key
        if chart.empty:
            continue
        assert definitions.line(definition) in chart.byline
        assert definitions.line(definition) in chart.figure.layout.title.subtitle.text
        assert meta.definition(chart).startswith(f"{definitions.line(definition)}. "
                                                 f"{definitions.explanation(definition, 'Finland')}")
        name = exports.file_name(chart, "csv")
        assert (definition == definitions.REGISTER) != (definitions.name(definition).replace(" ", "-") in name), name
    for chart in charts:
        if chart.about == flt.EXCHANGES and not chart.empty:
            assert definitions.line(definition) not in chart.byline
            assert "Exchange periods" in meta.definition(chart)


def test_the_configured_default_is_read_from_config_toml(monkeypatch):
    from etl.config import load_config
    monkeypatch.delenv("DEFINITION", raising=False)
    assert definitions.configured() == load_config()["data"]["definition"] == definitions.REGISTER


def test_a_mistyped_default_is_said_in_words_not_as_a_traceback(monkeypatch, demo_warehouse):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT
    monkeypatch.setenv("WAREHOUSE_DIR", str(demo_warehouse))
    monkeypatch.setenv("DEFINITION", "citizenship")
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    assert not at.exception and not at.get("plotly_chart")
    assert "DEFINITION or config.toml [data] definition" in at.error[0].value


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_the_definitions_speak_the_readers_language(open_page, lang):
    at = open_page("methodology", lang=lang, definition="prior_education")
    text = " ".join(str(e.value) for kind in ("markdown", "caption", "text") for e in getattr(at, kind))
    for english in ("register citizenship", "prior education abroad", "Why the definitions differ",
                    "dual citizens of", "International by"):
        assert english not in text, (lang, english)
    assert {"fi": "Pohjakoulutus ulkomailla", "sv": "Tidigare utbildning utomlands"}[lang] in text
    assert {"fi": "Miksi määritelmät eroavat", "sv": "Varför definitionerna skiljer sig"}[lang] in text


def _as_built_by_etl_0_2(warehouse: Path, target: Path, synthetic: bool) -> Path:
    """A copy of a build whose agg_people lacks the definitions' columns, as ETL 0.2 wrote it."""
    import json
    import os
    import shutil

    import duckdb

    from etl import serving
    from etl.definitions import DEFINITION_COLUMNS
    shutil.copytree(os.path.realpath(warehouse), target)
    (target / serving.FILE).unlink()   # written since ETL 0.5
    path = target / "agg_people" / "data.parquet"
    columns = ", ".join(DEFINITION_COLUMNS)
    duckdb.sql(f"SELECT * EXCLUDE ({columns}) FROM read_parquet('{path}')").write_parquet(str(path) + ".new")
    os.replace(str(path) + ".new", path)
    manifest = json.loads((target / "manifest.json").read_text())
    manifest.update(etl_version="0.2.0", synthetic_demo_data=synthetic)
    (target / "manifest.json").write_text(json.dumps(manifest))
    return target


def test_a_warehouse_built_before_the_definitions_still_opens_and_says_to_rebuild(people, tmp_path):
    old = Warehouse(_as_built_by_etl_0_2(people.folder, tmp_path / "old", synthetic=False))
    assert old.coverage.outdated == "0.2.0"
    assert _share(old, definitions.REGISTER, "professors") == (2, 6)
    chart = views.staff_trend(old, _filters(old, definitions.ANY_FOREIGN), EXACT)
    assert chart.empty and "older ETL (0.2.0)" in chart.empty_reason and "python -m etl build" in chart.empty_reason


def test_an_old_demo_is_built_again_but_never_real_data(people, tmp_path, monkeypatch):
    from app.web import frame
    monkeypatch.setattr(frame, "DEFAULT_WAREHOUSE", tmp_path / "warehouse")
    demo = _as_built_by_etl_0_2(people.folder, tmp_path / "demo", synthetic=True)
    real = _as_built_by_etl_0_2(people.folder, tmp_path / "real", synthetic=False)
    assert frame._old_demo(tmp_path / "warehouse", demo)
    assert not frame._old_demo(tmp_path / "warehouse", real)
    assert not frame._old_demo(tmp_path / "elsewhere", demo)   # a configured warehouse is the administrator's


# --- an attacker's probes (each was a way to a hidden count) ---------------------------------------------------

@pytest.fixture(scope="module")
def probed(tmp_path_factory) -> Warehouse:
    """Professors of one school: 30 Finns, 8 Germans, 7 Swedes, 10 naturalised (German at hire), 3 Germans who
    were Finns at hire, 2 Finnish-German dual citizens."""
    from tests.rawfiles import STAFF_HEADER, write_csv
    folder = tmp_path_factory.mktemp("probed")
    people = ([("FI", "FI")] * 30 + [("DE", "DE")] * 8 + [("SE", "SE")] * 7 + [("FI", "DE")] * 10
              + [("DE", "FI")] * 3 + [("FI;DE", "FI")] * 2)
    write_csv(folder / "raw" / "staff_2022.csv", [*STAFF_HEADER, "citizenship_at_hire"],
              [[f"P{i}", 2022, "SCI", "professor", c, "", "1", "4", hire] for i, (c, hire) in enumerate(people)])
    build(folder / "raw", folder / "warehouse", say=lambda _: None, demo=True)
    return Warehouse(folder / "warehouse")


def test_a_hidden_change_is_not_given_back_by_the_others_and_the_two_counts(probed):
    """threshold:5 showed register 18, first employment 25 and 10 naturalised exactly: the hidden 3 followed."""
    rule = parse_rule("threshold:5")
    moves = reconciliation.changes(probed, "professors", 2022, rule)
    assert definitions.FIRST_EMPLOYMENT not in set(moves["definition"])
    # (any foreign citizenship too: its count is a range, 20 beside the register's 18)
    assert moves.attrs["withheld"] == [definitions.ANY_FOREIGN, definitions.FIRST_EMPLOYMENT]
    chart = views.definition_changes(probed, rule, "professors", 2022)
    said = chart.summary or chart.empty_reason
    assert said.startswith("Not shown for") and "Citizenship at first employment" in said
    exact = reconciliation.changes(probed, "professors", 2022, EXACT)   # the rule "none" shows them all
    assert set(exact["definition"]) == {definitions.ANY_FOREIGN, definitions.FIRST_EMPLOYMENT}


@pytest.mark.parametrize("rule", ["threshold:5", "vipunen"])
def test_a_country_count_by_another_definition_near_the_registers_is_a_range(probed, rule):
    """Germany 11 by register, 13 by any foreign citizenship: the two dual citizens."""
    filters = _filters(probed, definitions.ANY_FOREIGN)
    counts = metrics.country_counts(probed, filters, "professors", 2022, parse_rule(rule)).set_index("citizenship")
    assert counts.loc["DEU", "headcount"] != counts.loc["DEU", "headcount"]      # NaN: a range
    assert counts["all_international"].isna().all()                             # 18 vs 20: a range too
    regions = metrics.region_trend(probed, filters, "professors", parse_rule(rule))
    assert regions.loc[regions["region"] == "eu", "headcount"].isna().all()
    drill = metrics.country_trend(probed, filters, "DEU", parse_rule(rule), ("professors",))
    assert drill["headcount"].isna().all()


def test_under_a_threshold_a_small_gap_is_a_range_however_many_move(probed):
    """10 gained and 3 lost by citizenship at first employment: under a threshold rule (exact counts a filter
    can split) the gap of 7 beside 18 is not shown as a net of large groups, but it is above the window."""
    row = metrics.share_trend(probed, _filters(probed, definitions.FIRST_EMPLOYMENT), ("professors",),
                              parse_rule("threshold:5")).iloc[0]
    assert row["international"] == 25   # a gap of 7 is more than a threshold of 5 hides


def test_a_malformed_default_is_refused_in_words(monkeypatch):
    monkeypatch.delenv("DEFINITION", raising=False)
    from etl import config
    monkeypatch.setattr(definitions, "load_config", lambda: {"data": {"definition": ["any_foreign"]}})
    with pytest.raises(ValueError, match="is not one of"):
        definitions.configured()
    monkeypatch.setenv("DEFINITION", " Any_Foreign ")
    assert definitions.configured() == definitions.ANY_FOREIGN


def test_stateless_is_not_a_country_of_prior_education():
    from etl import values
    with pytest.raises(ValueError, match="stateless is a citizenship"):
        values.country_or_unknown("XXA")
    assert values.country_or_unknown("tuntematon") is None
