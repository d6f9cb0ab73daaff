"""Every page under several filter combinations, in Streamlit's AppTest: no
exception, and every figure checked against an independent recomputation."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from app.model.data import Warehouse
from app.model.disclosure import parse_rule
from app.model.filters import Filters
from app.present import pages
from etl import serving
from etl.serving import AGGREGATE_TABLES, DERIVED_TABLES
from etl.definitions import DEFINITIONS
from tests.conftest import PAGES, ROOT, years_chosen
from tests.truth import PARTS, Truth, figures, vipunen, region_codes, trace, values



@pytest.fixture(scope="module")
def truth(demo_warehouse):
    return Truth(demo_warehouse)


def pct(share: float) -> str:
    """As the dashboard writes a share: one decimal under 5%, else whole."""
    return f"{share * 100:.1f}%" if 0 < share < 0.05 else f"{round(share * 100)}%"


def close(a, b) -> bool:
    return a is not None and b is not None and abs(a - b) < 1e-9


# --- overview -------------------------------------------------------------------

def test_overview_cards_equal_the_recomputed_shares(open_page, truth):
    at = open_page()
    labels = [m.label for m in at.metric]
    assert labels == ["Professors", "Teaching & research", "All staff", "Degree students", "Doctoral students"]
    keys = ["professors", "teaching_research", "all_staff", "degree_students", "doctoral"]
    captions = [c.value for c in at.caption]
    for metric, key in zip(at.metric, keys):
        assert metric.value == pct(truth.share(key, 2025)), key
        change = truth.share(key, 2025) - truth.share(key, 2024)
        assert metric.delta == f"{'+' if change > 0 else '−'}{abs(change) * 100:.1f} pp"
        assert metric.proto.delta_description == "on 2024"   # the change is written once, beside the figure
        since = truth.share(key, 2025) - truth.share(key, 2010)
        assert f"+{since * 100:.1f} pp since 2010 (then {pct(truth.share(key, 2010))})" in captions


def test_the_published_headline_is_on_the_overview(open_page, truth):
    at = open_page(years="2010-2022")
    text = " ".join(m.value for m in at.text)
    assert "The share of international professors rose from 9% in 2010 to 27% in 2022." in text
    [figure] = figures(at)
    professors = trace(figure, "Professors")
    assert values(professors["x"]) == list(range(2010, 2023))
    for year, share in zip(values(professors["x"]), values(professors["y"])):
        assert close(share, truth.share("professors", int(year))), year
    assert "27% — 105 of 387" in professors["customdata"][-1]   # the denominator on hover


@pytest.mark.parametrize("query, where", [
    ({"units": "SCI,ELEC"}, "unit IN ('SCI', 'ELEC')"),
    ({"gender": "female"}, "gender = 'female'"),
    ({"units": "ARTS", "gender": "male,unknown"}, "unit = 'ARTS' AND coalesce(gender, 'unknown') IN ('male', 'unknown')"),
])
def test_overview_with_unit_and_gender_filters(open_page, truth, query, where):
    at = open_page(years="2012-2019", **query)
    keys = ["professors", "teaching_research", "all_staff", "degree_students", "doctoral"]
    for metric, key in zip(at.metric, keys):
        share = truth.share(key, 2019, where)
        if share is not None and not _closed_by_a_complement(truth, key, 2019, where):
            assert metric.value == pct(share), key
        else:   # known only as a range: written as one ("0.3%–1.0%"), or "–" when not even that is known
            assert metric.value == "–" or re.fullmatch(r"\d+(\.\d)?%(–\d+(\.\d)?%)?", metric.value), key
    figure = figures(at)[0]
    staff = trace(figure, "All staff")
    for year, share in zip(values(staff["x"]), values(staff["y"])):
        expected = truth.share("all_staff", int(year), where)
        if share is None and _closed_by_a_complement(truth, "all_staff", int(year), where):
            continue
        assert (share is None and expected is None) or close(share, expected)


def _closed_by_a_complement(truth, key, year, where) -> bool:
    """Whether a count of the population (or of one of its parts) is within a few people of the same count
    without one of the filters (the complement rule then shows it only as a range)."""
    conditions = where.split(" AND ")
    for part in PARTS.get(key, (key,)):
        filtered = truth.counts(part, year, where)
        for left_out in conditions:
            rest = " AND ".join(c for c in conditions if c != left_out) or "TRUE"
            whole = truth.counts(part, year, rest)
            if any(1 <= w - f <= 6 for w, f in zip(whole, filtered)):
                return True
    return False


def test_country_filter_counts_only_the_chosen_countries_as_international(open_page, truth):
    at = open_page(countries="DEU,region:asia")
    chosen = {"DEU"} | region_codes("asia")
    assert at.metric[0].value == pct(truth.share("professors", 2025, countries=chosen))
    assert at.metric[3].value == pct(truth.share("degree_students", 2025, countries=chosen))


def test_staff_group_filter_narrows_the_staff_cards(open_page, truth):
    at = open_page(groups="professor")
    by_label = {m.label: m.value for m in at.metric}
    assert by_label["All staff"] == pct(truth.share("professors", 2025))
    assert by_label["Teaching & research"] == pct(truth.share("professors", 2025))


# --- staff and students ----------------------------------------------------------

def test_staff_page_figures(open_page, truth):
    at = open_page("staff", years="2014-2023", units="SCI,ENG,CHEM")
    where = "unit IN ('SCI', 'ENG', 'CHEM')"
    trend, composition, by_unit, by_stage = figures(at)
    other = trace(trend, "Other teaching and research staff")
    for year, share in zip(values(other["x"]), values(other["y"])):
        assert close(share, truth.share("other_teaching_research", int(year), where))
    international = trace(composition, "International")
    for year, count in zip(values(international["x"]), values(international["y"])):
        assert count == truth.protect(truth.counts("all_staff", int(year), where)[0])
    bars = dict(zip(by_unit["data"][0]["y"], values(by_unit["data"][0]["x"])))
    assert close(bars["School of Science"], truth.share("all_staff", 2023, "unit = 'SCI'"))
    assert set(bars) == {"School of Science", "School of Engineering", "School of Chemical Engineering"}
    stages = dict(zip(by_stage["data"][0]["y"], values(by_stage["data"][0]["x"])))
    assert close(stages["IV Professor"], truth.share("teaching_research", 2023, f"{where} AND career_stage = 4"))
    text = " ".join(m.value for m in at.text)
    assert "All staff in 2023:" in text and "international" in text


def test_students_page_figures(open_page, truth):
    at = open_page("students", years="2016-2024", gender="female")
    where = "gender = 'female'"
    trend, new, composition, by_unit = figures(at)
    for name, key in (("Bachelor's students", "bachelor"), ("Master's students", "master"),
                      ("Doctoral students", "doctoral")):
        line = trace(trend, name)
        for year, share in zip(values(line["x"]), values(line["y"])):
            assert close(share, truth.share(key, int(year), where)), (name, year)
    newcomers = trace(new, "New degree students")
    for year, share in zip(values(newcomers["x"]), values(newcomers["y"])):
        assert close(share, truth.share("new_students", int(year), where))
    unknown = trace(composition, "Unknown")
    expected = truth.counts("degree_students", 2024, where)[2]
    shown = values(unknown["y"])[-1]
    assert shown == (truth.protect(expected) if truth.protect(expected) is not None else 4.0)


def test_staff_page_with_a_country_filter_splits_international_people(open_page, truth):
    """With countries chosen, the composition shows them apart from other international people."""
    at = open_page("staff", years="2015-2022", countries="DEU,region:asia")
    chosen = {"DEU"} | region_codes("asia")
    trend, composition, by_unit, by_stage = figures(at)
    international = trace(composition, "International")
    others = trace(composition, "Other international")
    for year, count, other in zip(values(international["x"]), values(international["y"]), values(others["y"])):
        chosen_count = truth.counts("all_staff", int(year), countries=chosen)[0]
        all_international = truth.counts("all_staff", int(year))[0]
        assert count == (truth.protect(chosen_count) or 4.0), year
        assert other == (truth.protect(all_international - chosen_count) or 4.0), year
    professors = trace(trend, "Professors")
    for year, share in zip(values(professors["x"]), values(professors["y"])):
        assert close(share, truth.share("professors", int(year), countries=chosen)), year


# --- countries ----------------------------------------------------------------------

def test_countries_page_top_five_map_regions_and_drilldown(open_page, truth):
    at = open_page("countries", population="degree_students", year="2021", country="CHN")
    top, world, regions, drill = figures(at)
    counts = truth.citizenship_counts("degree_students", 2021)
    bars = top["data"][0]
    assert len(bars["y"]) == 5
    shown = dict(zip(bars["y"], values(bars["x"])))
    largest = sorted(counts.items(), key=lambda kv: (-(truth.protect(kv[1]) or 4), kv[0]))[:5]
    from app.words.labels import country
    assert list(shown) == [country(c) for c, _ in largest][::-1]
    for code, n in largest:
        assert shown[country(code)] == truth.protect(n)
    # The map names only countries with 5 or more people: the others are counted together, never placed.
    [exact] = world["data"]
    assert dict(zip(exact["locations"], values(exact["z"]))) == {c: truth.protect(n) for c, n in counts.items() if n >= 5}
    asia = trace(regions, "Asia")
    asian = region_codes("asia")
    year_index = values(asia["x"]).index(2021)
    assert values(asia["y"])[year_index] == truth.protect(sum(n for c, n in counts.items() if c in asian))
    doctoral = trace(drill, "Doctoral students")
    chinese = truth.con.execute("SELECT count(*) FROM students WHERE year = 2021 AND level = 'doctoral' "
                                "AND citizenship = 'CHN'").fetchone()[0]
    assert values(doctoral["y"])[values(doctoral["x"]).index(2021)] == truth.protect(chinese)
    assert at.query_params["population"] == "degree_students" and at.query_params["country"] == "CHN"


def test_small_counts_are_shown_as_ranges_never_as_numbers(open_page, truth):
    at = open_page("countries", population="professors", year="2015", top="20")
    top = figures(at)[0]["data"][0]
    counts = truth.citizenship_counts("professors", 2015)
    small = [c for c, n in counts.items() if 1 <= n <= 4]
    assert small, "the demo should hold small countries"
    from app.words.labels import country
    # Naming a country with 1-4 people showed it had at least one: they are one bar, "other countries".
    assert not {country(c) for c in small} & set(top["y"])
    shown = dict(zip(top["y"], top["text"]))
    expected = truth.protect(sum(counts[c] for c in small))
    assert shown["Unnamed countries"] == ("1–4" if expected is None else f"{int(expected)}")
    assert all(label == "1–4" or int(label) % 3 == 0 for label in top["text"])


# --- methodology, empty states, bad links, state across pages --------------------------

def test_methodology_page_shows_definitions_and_the_manifest(open_page, demo_warehouse):
    at = open_page("methodology")
    text = " ".join(m.value for m in at.markdown)
    for phrase in ("International", "Register citizenship", "Any foreign citizenship", "Citizenship at first "
                   "employment", "Prior education abroad", "Unknown", "Several citizenships", "Reference dates",
                   "Headcount, not FTE", "Vipunen"):
        assert phrase in text
    table = at.dataframe[0].value
    assert "staff_2010.csv" in set(table["File"])
    # A yearly file's rows are a year's exact headcount: shown under the rule, like every count.
    files = {f["name"]: f for f in json.loads((demo_warehouse / "manifest.json").read_text())["files"]}
    for _, row in table.iterrows():
        exact = files[row["File"]]
        for column, key in (("Rows read", "rows_read"), ("Rows written", "rows_written")):
            expected = vipunen(exact[key])
            assert row[column] == ("1–4" if expected is None else f"{int(expected):,}"), (row["File"], column)


def test_methodology_page_under_the_none_rule_accounts_for_every_row(demo_warehouse, monkeypatch):
    monkeypatch.setenv("WAREHOUSE_DIR", str(demo_warehouse))
    monkeypatch.setenv("DISCLOSURE_RULE", "none")
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.switch_page("pages/7_methodology.py").run()
    table = at.dataframe[0].value.astype({c: int for c in ("Rows read", "Rows written", "Merged duplicates", "Rejected")})
    assert (table["Rows read"] == table["Rows written"] + table["Merged duplicates"] + table["Rejected"]).all()


def test_filters_that_leave_nothing_show_a_friendly_empty_state(open_page):
    for page in ("overview", "staff", "students", "countries"):
        at = open_page(page, units="SERV", groups="professor", levels="doctoral", gender="other")
        infos = " ".join(i.value for i in at.info)
        assert "nothing to show for these filters" in infos, page


def test_unknown_or_malicious_link_values_are_ignored_with_a_notice(open_page):
    nasty = "<script>alert(1)</script>"
    at = open_page("staff", units=f"SCI,{nasty}", years="../../etc/passwd", countries="X" * 5000, gender=nasty)
    warning = at.warning[0].value
    assert "units" in warning and "years" in warning and "countries" in warning and "gender" in warning
    everything = " ".join(str(e.value) for e in [*at.markdown, *at.text]) + warning + " ".join(i.value for i in at.info)
    assert "<script>" not in everything and "passwd" not in everything
    assert at.sidebar.multiselect[0].value == ["SCI"]
    assert dict(at.query_params) == {"units": "SCI"}


def test_filters_hold_across_pages_and_reset_restores_defaults(open_page):
    at = open_page()
    at.selectbox(key="f_first_year").set_value(2013).run()
    at.selectbox(key="f_last_year").set_value(2018).run()
    at.sidebar.multiselect[0].set_value(["BIZ"]).run()
    assert at.query_params["years"] == "2013-2018" and at.query_params["units"] == "BIZ"
    for page in ("staff", "countries", "overview"):
        at.switch_page(PAGES[page]).run()
        assert years_chosen(at) == (2013, 2018) and at.sidebar.multiselect[0].value == ["BIZ"]
        assert at.query_params["years"] == "2013-2018"
    at.sidebar.button[0].click().run()
    assert years_chosen(at) == (2010, 2025) and at.sidebar.multiselect[0].value == []
    assert "years" not in at.query_params


def test_a_first_year_after_the_last_moves_the_last_with_it_and_back(open_page):
    at = open_page(years="2013-2018")
    at.selectbox(key="f_first_year").set_value(2020).run()
    assert years_chosen(at) == (2020, 2020) and at.query_params["years"] == "2020-2020"
    at.selectbox(key="f_last_year").set_value(2015).run()
    assert years_chosen(at) == (2015, 2015)
    assert "The international share in 2015 and how it has changed." in " ".join(c.value for c in at.caption)


def test_exact_figures_when_the_rule_is_none(open_page, truth, monkeypatch, demo_warehouse):
    monkeypatch.setenv("DISCLOSURE_RULE", "none")
    at = open_page(years="2010-2022")
    exact = Truth(demo_warehouse, rule="none")
    assert at.metric[0].value == pct(exact.share("professors", 2022))
    assert "Exact figures" in " ".join(c.value for c in at.caption)


def _tables(warehouse: Warehouse, database: str) -> set[str]:
    return {name for (name,) in warehouse._con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = ?", [database]).fetchall()}


def _parquet_only(demo_warehouse: Path, folder: Path) -> Path:
    """A copy of the demo build without the file of the dashboard's tables, as a build before ETL 0.5."""
    shutil.copytree(os.path.realpath(demo_warehouse), folder)
    (folder / serving.FILE).unlink()
    return folder


def test_the_app_loads_aggregate_tables_only(demo_warehouse, tmp_path):
    # The build's file holds every table the app reads, and nothing else; the app opens it as it is.
    warehouse = Warehouse(demo_warehouse)
    assert _tables(warehouse, "built") == set(AGGREGATE_TABLES) | set(DERIVED_TABLES)
    assert _tables(warehouse, "memory") == set()
    # A build without the file: the aggregates are loaded, each definition's tables made when first asked for.
    warehouse = Warehouse(_parquet_only(demo_warehouse, tmp_path / "older"))
    assert set(AGGREGATE_TABLES) <= _tables(warehouse, "memory") < set(AGGREGATE_TABLES) | set(DERIVED_TABLES)
    for key in DEFINITIONS:
        assert warehouse.people_table(key) in _tables(warehouse, "memory")
        assert warehouse.share_table(key) in _tables(warehouse, "memory")
    assert _tables(warehouse, "memory") == set(AGGREGATE_TABLES) | set(DERIVED_TABLES)
    for opened in (Warehouse(demo_warehouse), warehouse):
        columns = {c for (c,) in opened._con.execute("SELECT column_name FROM duckdb_columns()").fetchall()}
        # No key, and no column that in a row of one person is that person's own value.
        assert not columns & {"person_key", "mobility_key", "person_id", "student_id", "fte", "days_total",
                              "with_end_date", "start_date", "end_date"}


def _every_figure(warehouse: Warehouse, definitions: tuple[str, ...] = tuple(DEFINITIONS)) -> list[str]:
    """Every chart of every page, under each definition and a filtered view with another rule."""
    first, last = warehouse.options.years[0], warehouse.options.years[-1]
    cases = [(Filters(years=(first, last), definition=key), parse_rule("vipunen")) for key in definitions]
    cases.append((Filters(years=(2015, 2022), units=("SCI",), countries=("region:nordic",)), parse_rule("threshold:5")))
    return [json.dumps([chart.title, chart.summary, chart.figure.to_plotly_json() if chart.figure else None],
                       sort_keys=True, default=str)
            for filters, rule in cases for chart in pages.everything(warehouse, filters, rule)]


def _named_in_manifest(folder: Path) -> Path:
    """The build's manifest made to name its dashboard.duckdb as it is now (as if the build had written it)."""
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["dashboard"]["sha256"] = hashlib.sha256((folder / serving.FILE).read_bytes()).hexdigest()
    (folder / "manifest.json").write_text(json.dumps(manifest))
    return folder


def test_the_builds_file_gives_the_figures_the_parquet_tables_give_and_a_file_not_its_own_is_passed_over(
        demo_warehouse, tmp_path, caplog):
    built = Path(os.path.realpath(demo_warehouse))
    older = _parquet_only(demo_warehouse, tmp_path / "older")
    # Changed since the build (rows doubled, as a copy of another build's file would differ): not its own.
    changed = shutil.copytree(built, tmp_path / "changed")
    con = duckdb.connect(str(changed / serving.FILE))
    con.execute("INSERT INTO agg_partner_flows SELECT * FROM agg_partner_flows")
    con.close()
    # Named by the manifest, but not a database DuckDB can open, or one without the app's tables.
    damaged = shutil.copytree(older, tmp_path / "damaged")
    (damaged / serving.FILE).write_bytes(b"not a database" * 100)
    partial = shutil.copytree(older, tmp_path / "partial")
    con = duckdb.connect(str(partial / serving.FILE))
    con.execute("CREATE TABLE agg_people AS SELECT 1 AS year")
    con.close()
    with caplog.at_level(logging.WARNING):
        opened = [Warehouse(folder) for folder in (built, older, changed, _named_in_manifest(damaged),
                                                    _named_in_manifest(partial))]
    assert [bool(_tables(warehouse, "built")) for warehouse in opened] == [True, False, False, False, False]
    assert "is not the file its build wrote" in caplog.text and "not a valid DuckDB database file" in caplog.text
    assert caplog.text.count("loading the Parquet tables instead") == 2
    expected = _every_figure(opened[0])
    assert len(expected) > 150
    for warehouse in opened[1:]:
        assert _every_figure(warehouse) == expected


def test_a_running_page_keeps_its_build_when_a_rebuild_removes_it(demo_warehouse, tmp_path):
    copy = shutil.copytree(os.path.realpath(demo_warehouse), tmp_path / "build")
    warehouse = Warehouse(copy)
    shutil.rmtree(copy)   # as the ETL's prune removes a build two rebuilds old
    assert _every_figure(warehouse, ("any_foreign",)) == _every_figure(Warehouse(demo_warehouse), ("any_foreign",))


def test_a_rebuilt_warehouse_is_picked_up_without_a_restart(demo_raw, tmp_path, monkeypatch):
    import shutil

    from etl.build import build

    raw = tmp_path / "raw"
    shutil.copytree(demo_raw, raw)
    out = tmp_path / "warehouse"
    build(raw, out, say=lambda _: None)
    monkeypatch.setenv("WAREHOUSE_DIR", str(out))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    assert at.selectbox(key="f_last_year").options[-1] == "2025"
    assert at.metric[0].value == pct(Truth(out).share("professors", 2025))
    for name in ("staff_2025.csv", "students_2025.csv"):
        (raw / name).unlink()
    build(raw, out, say=lambda _: None, allow_shrink=True)   # a year fewer: refused unless confirmed
    at.run()
    assert not at.exception
    # Exchanges still reach 2025, so the years do too; the overview's figures end with the staff data.
    assert at.selectbox(key="f_last_year").options[-1] == "2025"
    captions = [c.value for c in at.caption]
    assert "The international share in 2024 and how it has changed. International by register citizenship." in captions
    assert "The figures on this page cover 2010–2024." in captions
    assert at.metric[0].value == pct(Truth(out).share("professors", 2024))
