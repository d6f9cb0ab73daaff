"""Text from the data and from links is shown as text, never as markup: a partner,
network or unit name cannot become a link, an image or a formula on any page or in
any chart (issue 12)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import sync_playwright
from streamlit.testing.v1 import AppTest

from etl.build import build
from tests.conftest import ROOT, years_chosen
from tests.server import CHROMIUM_ARGS, chromium_path, streamlit_server, wait_for_charts, wait_until_idle
from tests.rawfiles import MOBILITY_HEADER, PARTNER_HEADER, STAFF_HEADER, STUDENT_HEADER, write_csv
from tests.truth import all_figures

PHISH = "[click me](https://evil.example/phish) ![t](http://127.0.0.1:8622/track.png)"
HTML = '<a href="https://evil.example/x">Evil U</a>'
NETWORK = "[net](https://evil.example/n) $x^2$ www.evil.example a@evil.example"


@pytest.fixture(scope="module")
def hostile_warehouse(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("hostile")
    raw = base / "raw"
    write_csv(raw / "staff_2024.csv", STAFF_HEADER,
              [[f"S{i}", "2024", "SCI", "professor", "DE" if i % 3 else "FI", "", "1", ""] for i in range(40)])
    write_csv(raw / "students_2024.csv", STUDENT_HEADER,
              [[f"T{i}", "2024", "master", "SCI", "SE" if i % 2 else "FI", "1", ""] for i in range(40)])
    write_csv(raw / "partners.csv", PARTNER_HEADER,
              [["P-1", PHISH, "DE", "Berlin", "Erasmus+", NETWORK, "2015-01-01", ""],
               ["P-2", HTML, "SE", "<b>Lund</b>", "Erasmus+", NETWORK, "2015-01-01", ""]])
    write_csv(raw / "mobility.csv", MOBILITY_HEADER,
              [[f"M{i}", "incoming" if i % 2 else "outgoing", "2024-09-01", "2025-01-31", "master", "SCI",
                "P-1" if i % 3 else "P-2", PHISH if i % 3 else HTML, "DE" if i % 3 else "SE", "Erasmus+"]
               for i in range(30)])
    out = base / "warehouse"
    build(raw, out, say=lambda _: None, demo=True)   # made up here: the published key is right
    return out


def markdown_texts(at: AppTest) -> str:
    return " ".join(str(e.value) for e in [*at.markdown, *at.caption, *at.info, *at.warning, *at.title,
                                            *at.subheader, *at.header])


@pytest.mark.parametrize("page, query", [("partners", {"partner": f"P-1\x1f{PHISH}"}), ("partners", {"partner": f"P-2\x1f{HTML}"}),
                                         ("networks", {}), ("mobility", {}), ("partners", {"q": "no such partner"})])
def test_names_from_the_data_are_plain_text(hostile_warehouse, render_page, page, query):
    at = render_page(hostile_warehouse, page, **query)
    # Markdown elements never hold a live link, image or formula made of data: their brackets are escaped
    # (an escaped character, "\<", is drawn as itself, so it is taken out before looking).
    markdown = re.sub(r"\\.", "", markdown_texts(at))
    for live in ("](http", "[click me]", "![t]", "<a href", "$x^2$"):
        assert live not in markdown, (live, markdown)
    for figure in all_figures(at):
        spec = json.dumps(figure)
        assert "<a href" not in spec and "<b>Lund" not in spec, spec[:500]
    plain = " ".join(str(e.value) for e in at.text)
    # Summaries are plain text elements: the name stands in them as it is, unescaped and inert.
    if page == "networks":
        assert f"exchange periods were with {NETWORK} members" in plain


def test_a_partners_history_names_it_as_plain_text(hostile_warehouse):
    from app.present import mobility_views
    from app.model.data import Warehouse
    from app.model.disclosure import parse_rule
    from app.model.filters import Filters
    chart = mobility_views.partner_history(Warehouse(hostile_warehouse), Filters(years=(2024, 2024)),
                                           parse_rule("vipunen"), "P-1", PHISH)
    assert PHISH in chart.summary                         # shown with st.text (layout.show): never parsed
    title = chart.figure.to_dict()["layout"]["title"]["text"]
    assert title == "<b>Exchanges with " + PHISH + "</b>"  # no < or & in it; Plotly makes no link of brackets
    chart = mobility_views.partner_history(Warehouse(hostile_warehouse), Filters(years=(2024, 2024)),
                                           parse_rule("vipunen"), "P-2", HTML)
    assert chart.figure.to_dict()["layout"]["title"]["text"] == \
        '<b>Exchanges with &lt;a href="https://evil.example/x"&gt;Evil U&lt;/a&gt;</b>'


def test_the_full_report_and_page_downloads_escape_names_in_images(hostile_warehouse):
    from app.present import mobility_views
    from app.reports import exports
    from app.model.data import Warehouse
    from app.model.disclosure import parse_rule
    from app.model.filters import Filters
    chart = mobility_views.partner_history(Warehouse(hostile_warehouse), Filters(years=(2024, 2024)),
                                           parse_rule("vipunen"), "P-2", HTML)
    meta = exports.Meta("Uni <i>x</i>", "2026-01-01", "Filters: <b>SCI</b>", "note", "Finland", False)
    figure = exports.figure_for_export(chart, meta).to_dict()
    spec = json.dumps(figure["layout"])
    assert "<a href" not in spec and "<i>x</i>" not in spec and "<b>SCI</b>" not in spec
    assert "&lt;a href" in figure["layout"]["title"]["text"]


def test_a_setting_given_twice_in_the_link_is_named(demo_warehouse, render_page):
    at = render_page(demo_warehouse, "staff", years=["2010-2012", "2015-2020"], units=["SCI", "ELEC"])
    warnings = " ".join(w.value for w in at.warning)
    assert "appear more than once in the link; the last value of each was used: units, years." in warnings
    assert years_chosen(at) == (2015, 2020)
    assert at.sidebar.multiselect[0].value == ["ELEC"]


def test_the_data_frames_own_csv_download_is_off():
    """Streamlit's toolbar download does not neutralise spreadsheet formulas; ours do (tests/test_exports.py)."""
    import tomllib
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["disableDataExport"] is True


def test_network_names_in_the_segmented_control_are_escaped(hostile_warehouse, render_page):
    """A segmented control reads its labels as Markdown: a network named with a link or $formula$ is escaped."""
    at = render_page(hostile_warehouse, "networks")
    [control] = at.get("button_group")
    labels = [option.content for option in control.proto.options]
    assert labels and all("\\[" in label and "\\$" in label for label in labels), labels


def test_no_traceback_reaches_a_visitor():
    import tomllib
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] == "none"


@pytest.mark.browser
def test_no_address_in_a_name_becomes_a_link_in_the_browser(hostile_warehouse):
    """Markdown's autolinks find web and e-mail addresses in text as shown, even escaped: a partner's or a
    network's name held a live link in its chart heading (found by a tester)."""
    paths = [f"/partners?partner={quote(f'P-1{chr(31)}{PHISH}')}", "/networks"]
    with streamlit_server(hostile_warehouse) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        page = browser.new_context(viewport={"width": 1400, "height": 2000}).new_page()
        for path in paths:
            page.goto(url + path)
            wait_until_idle(page)
            wait_for_charts(page)
            main = page.locator('[data-testid="stMain"]')
            headings = " ".join(main.locator("h4").all_inner_texts())
            assert "evil.example" in headings, (path, headings)   # the names are there, as text
            links = main.locator("a[href]").evaluate_all("links => links.map(a => a.href)")
            # Only the dashboard's own links (a heading's anchor holds its words, the name's too).
            assert [link for link in links if not link.startswith(url)] == [], (path, links)
        browser.close()
