"""Every page under every documented disclosure rule, with and without filters, and on
warehouses that hold only part of the data: no exception, no error, the rule's note
under the charts (issues 12 and 13: `threshold:5` used to break every page)."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.build import build
from tests.conftest import PAGES
from tests.rawfiles import PARTNER_HEADER, STAFF_HEADER, STUDENT_HEADER, write_csv

RULES = {"vipunen": "(Vipunen rule)", "hesa": "(HESA rule)", "threshold:5": "Counts under 5 suppressed",
         "none": "Exact figures"}
FILTERED = {"years": "2015-2022", "units": "SCI,ELEC", "countries": "DEU,region:nordic", "gender": "female"}


@pytest.mark.parametrize("filtered", [False, True], ids=["all", "filtered"])
@pytest.mark.parametrize("rule", list(RULES))
@pytest.mark.parametrize("page", ["methodology", "strategy"])
def test_every_page_under_every_rule(demo_warehouse, render_page, page, rule, filtered):
    """The pages the sweep does not render (tests/test_sweep.py checks the rule's caption under every chart of
    the others, under every rule, with and without filters)."""
    at = render_page(demo_warehouse, page, rule, **(FILTERED if filtered else {}))
    captions = " ".join(c.value for c in at.caption)
    if page == "methodology":
        text = " ".join(m.value for m in at.markdown)
        assert "Rule in force" in text and "What remains" in text
    elif at.get("plotly_chart"):
        assert RULES[rule] in captions, (page, rule)   # under every chart


@pytest.fixture(scope="module")
def partners_only(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("partners-only")
    write_csv(base / "raw" / "partners.csv", PARTNER_HEADER, [["P-1", "Uni", "DE", "Berlin", "", "", "", ""]])
    build(base / "raw", base / "w", say=lambda _: None, demo=True)
    return base / "w"


@pytest.fixture(scope="module")
def students_only(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("students-only")
    write_csv(base / "raw" / "staff.csv", STAFF_HEADER, [])
    write_csv(base / "raw" / "students.csv", STUDENT_HEADER,
              [[f"T{i}", str(2020 + i % 3), "master", "SCI", "SE" if i % 4 else "FI", "1", ""] for i in range(60)])
    build(base / "raw", base / "w", say=lambda _: None, demo=True)
    return base / "w"


@pytest.mark.parametrize("page", list(PAGES))
def test_a_warehouse_without_people_shows_a_friendly_page(partners_only, render_page, page):
    at = render_page(partners_only, page)
    assert "holds no staff or student records yet" in " ".join(i.value for i in at.info)


@pytest.mark.parametrize("page", list(PAGES))
def test_a_warehouse_without_staff_draws_every_page(students_only, render_page, page):
    render_page(students_only, page)


def test_under_threshold_no_population_vanishes(demo_warehouse, render_page):
    """A hidden unknown-citizenship count used to set the group's total to 0, which dropped the group."""
    for rule in ("threshold:5", "threshold:10"):
        at = render_page(demo_warehouse, "overview", rule)
        assert [m.label for m in at.metric] == ["Professors", "Teaching & research", "All staff", "Degree students",
                                                "Doctoral students"], rule


@pytest.mark.parametrize("countries", ["THA", "NZL", "region:oceania"])
def test_a_country_whose_shares_are_all_zero_draws(demo_warehouse, render_page, countries):
    at = render_page(demo_warehouse, "students", countries=countries)
    assert "could not be drawn" not in " ".join(e.value for e in at.error)


def test_a_failure_inside_the_tabs_shows_the_polite_message_not_streamlits(demo_warehouse, monkeypatch):
    """The tabs are a fragment, rerun alone on a tab click: outside the page's guard, a bug showed Streamlit's
    exception box."""
    from streamlit.testing.v1 import AppTest

    from app.web import layout
    from tests.conftest import ROOT

    def broken(chart, ctx) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(layout, "show", broken)
    monkeypatch.setenv("WAREHOUSE_DIR", str(demo_warehouse))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    at.switch_page(PAGES["mobility"])
    at.run()
    assert not at.exception
    assert ["could not be drawn" in e.value for e in at.error] == [True]
