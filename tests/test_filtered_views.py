"""Filtered views say exactly what they show (issue 14): the filters named in words on the page, in each
chart's subtitle and summary and in its files; parts adding up to the totals beside them; ranges drawn as
ranges; shares with the decimals they need; page settings from a link checked like the sidebar's."""

from __future__ import annotations

import json
import re

import pytest

from app.model.filters import PEOPLE, STAFF
from app.present import pages
from app.words import i18n
from tests.truth import Truth, figures, subtitle_of, title_of, values


@pytest.fixture(scope="module")
def truth(demo_warehouse):
    return Truth(demo_warehouse)


def page_text(at) -> str:
    parts = []
    for kind in ("title", "markdown", "caption", "text", "info", "warning"):
        parts += [str(e.value) for e in getattr(at, kind)]
    return "\n".join(parts)


@pytest.mark.parametrize("page", ["overview", "staff", "students", "countries"])
def test_a_country_filter_is_named_on_the_page_in_every_chart_title_and_summary(open_page, page):
    at = open_page(page, countries="DEU", units="SCI")
    words = "Filters: School of Science; international means citizens of Germany"
    assert words in page_text(at)
    for figure in figures(at):
        assert words in subtitle_of(figure)
    summaries = [t.value for t in at.text]
    assert summaries and all(f"({words}.)" in s for s in summaries)


def test_each_chart_has_its_title_and_subtitle_written_above_it_as_text_that_wraps(open_page):
    """On a phone a figure's own title was cut off: the page writes it as a heading and caption instead."""
    at = open_page("staff", countries="DEU")
    def drawn(markdown: str) -> str:   # the text as Markdown draws it: escapes gone, line breaks as spaces
        return re.sub(r"\\(.)", r"\1", markdown.replace("  \n", " "))
    headings = [drawn(m.value[5:]) for m in at.markdown if m.value.startswith("#### ")]
    captions = [drawn(c.value) for c in at.caption]
    for figure in figures(at):
        assert not figure["layout"]["title"].get("text") and not figure["layout"]["title"]["subtitle"].get("text")
        assert title_of(figure) in headings
        assert subtitle_of(figure) in captions
    assert len(headings) == len(figures(at)) == 4


def test_a_filter_that_does_not_apply_is_not_named_but_listed_in_the_sidebar(open_page):
    at = open_page("mobility", gender="female", partner_countries="DEU")
    assert "Filters: partners in Germany" in page_text(at)
    assert "Women" not in " ".join(subtitle_of(f) for f in figures(at))


@pytest.mark.parametrize("page, applies, other", [("staff", ("groups", "professor", "Professors"),
                                                    ("levels", "master", "Master's")),
                                                   ("students", ("levels", "master", "Master's"),
                                                    ("groups", "professor", "Professors"))])
def test_a_population_filter_is_used_and_named_only_on_its_populations_page(open_page, page, applies, other):
    """The staff page does not offer or name a study-level filter, nor the students page a staff-group one:
    its figures ignore it. The sidebar lists it as kept for the other pages."""
    at = open_page(page, **{applies[0]: applies[1], other[0]: other[1]})
    labels = [m.label for m in at.sidebar.multiselect]
    assert ("Study levels" in labels) == (page == "students") and ("Staff groups" in labels) == (page == "staff")
    subtitles = " ".join(subtitle_of(f) for f in figures(at))
    assert f"Filters: {applies[2]}" in subtitles and other[2] not in subtitles
    shown = [c.value.replace("\\", "") for c in at.sidebar.caption]   # as Markdown draws the escaped text
    assert f"Not used on this page, kept for the others: {other[2]}." in shown


def test_a_chart_about_one_population_names_only_the_filters_that_narrow_it(open_page):
    """On the countries page the professors' top list ignores a study-level filter, the drilldown does not."""
    at = open_page("countries", levels="master", population="professors")
    by_title = {title_of(f): subtitle_of(f) for f in figures(at)}
    top = next(text for title, text in by_title.items() if "citizenship" in title.lower())
    assert "Master's" not in top
    assert "Filters: Master's" in next(text for title, text in by_title.items() if "Citizens of" in title)


def test_composition_parts_add_up_to_the_total_beside_them_and_obey_the_rule(open_page):
    at = open_page("staff", countries="DEU")
    [summary] = [t.value for t in at.text if "in all" in t.value]
    numbers = [int(n.replace(",", "")) for n in re.findall(r"(?<![–\d])(\d[\d,]*)(?![–\d])", summary.split(":", 1)[1])]
    *parts, total = numbers
    assert len(parts) == 4                      # from Germany, from elsewhere, home country, unknown
    assert sum(parts) == total and total % 3 == 0
    assert "international from other countries" in summary


def _small_country(truth, table: str, where: str) -> str:
    """A country whose people of `table` (staff or students, with `where`) are 1-4 in every year they are there,
    and there in several years (the demo's numbers move when the demo changes: found, not written in)."""
    rows = truth.con.execute(f"""
        SELECT citizenship FROM (SELECT citizenship, year, count(*) AS n FROM {table}
                                 WHERE is_international AND {where} GROUP BY ALL)
        GROUP BY citizenship HAVING max(n) <= 4 AND count(*) >= 3 ORDER BY count(*) DESC, citizenship""").fetchall()
    assert rows, (table, where)
    return rows[0][0]


def test_ranges_on_line_charts_are_drawn_as_ranges_never_as_a_point(open_page, truth):
    """/countries?countries=…: a handful of people each year, shown as 1–4, never as 2.5."""
    at = open_page("countries", countries=_small_country(truth, "students", "level = 'doctoral'"), population="doctoral")
    regions = next(f for f in figures(at) if title_of(f) == "By world region")
    for trace in regions["data"]:
        ys = [v for v in values(trace["y"]) if v is not None]
        assert 2.5 not in ys
        if trace.get("mode") == "lines" and ys:   # a range bar: from its lowest to its highest value
            assert set(ys) <= {1.0, 4.0} and "1–4" in trace["customdata"]
    # Whole people on the axis: a tick every person, not 0.5, 1.5 … 3.5 (a country's professors: 1–4 at most).
    at = open_page("countries", countries=_small_country(truth, "staff", "staff_group = 'professor'"),
                   population="professors")
    regions = next(f for f in figures(at) if title_of(f) == "By world region")
    assert regions["layout"]["yaxis"]["dtick"] == 1 and regions["layout"]["yaxis"]["tick0"] == 0


def test_one_country_gives_a_list_title_that_counts_it_and_the_drilldown_follows_the_filter(open_page):
    at = open_page("countries", countries="DEU")
    titles = [title_of(f) for f in figures(at)]
    assert "Top citizenship" in titles and "Citizens of Germany" in titles
    at = open_page("countries", countries="EGY")
    assert "Citizens of Egypt" in [title_of(f) for f in figures(at)]
    assert not any("came from 1 countries" in t.value for t in at.text)


def test_small_shares_have_one_decimal_everywhere():
    assert [i18n.fmt_share(s) for s in (0.002, 0.004, 0.0449, 0.05, 0.092, 0.27)] == \
        ["0.2%", "0.4%", "4.5%", "5%", "9%", "27%"]
    i18n.set_language("fi")
    try:
        assert i18n.fmt_share(0.004) == "0,4\xa0%"
    finally:
        i18n.set_language("en")


@pytest.mark.parametrize("change, shown", [(0.0004, "±0.0 pp"), (-0.0004, "±0.0 pp"), (-0.012, "−1.2 pp"),
                                           (0.012, "+1.2 pp")])
def test_a_change_is_signed_as_written(change, shown):
    assert i18n.fmt_pp(change) == shown


@pytest.mark.parametrize("share, previous, arrow, colour", [(0.2704, 0.2700, "off", "gray"),
                                                         (0.2696, 0.2700, "off", "gray"),
                                                         (0.280, 0.270, "up", "green"), (0.26, 0.27, "down", "red")])
def test_a_cards_change_has_the_arrow_and_colour_of_the_change_as_written(share, previous, arrow, colour):
    from app.model.metrics import Headline
    from app.present.views import card_change

    change = card_change(Headline("professors", 2022, share, "105", "387", 2021, previous, 2010, 0.09))
    assert (change.arrow, change.colour, change.description) == (arrow, colour, "on 2021")
    assert change.text != "−0.0 pp"


def test_no_change_is_shown_without_a_year_before():
    from app.model.metrics import Headline
    from app.present.views import card_change

    assert card_change(Headline("professors", 2010, 0.09, "21", "228", None, None, None, None)) is None


def test_exchanges_filter_by_partner_country_and_the_flow_names_the_university_and_counts(open_page):
    at = open_page("mobility", partner_countries="DEU")
    at.session_state["p_tab"] = "Partner countries"
    at.run()
    sankey = next(f for f in figures(at) if f["data"][0]["type"] == "sankey")
    nodes = sankey["data"][0]["node"]["label"]
    assert "Demo University of Technology" in nodes
    assert all(re.search(r"\((\d[\d,]*|\d+–\d+)\)$", n) for n in nodes if n != "Demo University of Technology")


def test_a_network_counts_from_the_year_it_began(open_page):
    at = open_page("networks", network="Unite!")
    exchanges, share = figures(at)[:2]
    for figure in (exchanges, share):
        assert "Unite! began in 2019" in subtitle_of(figure)
        assert min(v for t in figure["data"] for v in values(t["x"]) if v is not None) == 2019


def test_an_unusable_page_setting_in_a_link_is_named(open_page):
    at = open_page("countries", population="everyone", top="1000")
    warnings = " ".join(w.value for w in at.warning)
    assert "population" in warnings and "top" in warnings
    assert "everyone" not in warnings   # named by the setting, never by echoing the value


def test_years_that_only_exchanges_have_can_be_chosen(demo_warehouse):
    """The year domain is every year any table holds; a page says which years its own data covers."""
    from app.model.data import Warehouse

    wh = Warehouse(demo_warehouse)
    assert set(wh.options.people_years) | set(wh.options.exchange_years) <= set(wh.options.years)
    inputs = pages.inputs_for(pages.PAGES["staff"], wh, pages.Filters(years=(2010, 2030)), None)
    assert inputs.filters.years == (2010, max(wh.options.people_years)) and inputs.about == STAFF


def test_exports_carry_the_charts_own_filters(demo_warehouse):
    from app.model.data import Warehouse
    from app.model.disclosure import parse_rule
    from app.model.filters import Filters
    from app.reports import exports

    wh = Warehouse(demo_warehouse)
    f = Filters(years=(2015, 2022), countries=("DEU",), partner_countries=("SWE",))
    [trend] = [c for c in pages.page_charts("overview", wh, f, parse_rule("vipunen"))]
    assert trend.filters == "Filters: years 2015–2022; international means citizens of Germany"
    figure = exports.figure_for_export(trend, exports.Meta.of(wh, f, parse_rule("vipunen"))).to_json()
    assert "international means citizens of Germany" in json.loads(figure)["layout"]["title"]["subtitle"]["text"]
    assert "Sweden" not in figure


def test_under_a_threshold_rule_the_share_trends_stay_when_unknowns_are_hidden(demo_warehouse, render_page):
    at = render_page(demo_warehouse, "overview", rule="threshold:5", units="SCI")
    assert figures(at), "the headline trend vanished"
    at = render_page(demo_warehouse, "staff", rule="threshold:10")
    assert any(title_of(f) == "International share by staff group" for f in figures(at))


def test_the_methodology_page_writes_record_counts_as_the_rule_does(open_page, demo_warehouse):
    import json as _json
    manifest = _json.loads((demo_warehouse / "manifest.json").read_text())
    staff = manifest["tables"]["staff"]["rows"]
    text = page_text(open_page("methodology"))
    assert f"Staff records: {3 * round(staff / 3):,}" in text
    if staff % 3:
        assert f"Staff records: {staff:,}" not in text
    assert ("Counts of people and exchange periods on this page are written as the rule in force writes every "
            "count: Counts rounded to the nearest multiple of 3") in text.replace("\\", "")
    assert f"partners: {manifest['tables']['partners']['rows']}" in text   # institutions: exact


def test_a_rule_that_is_not_valid_says_so_not_that_the_data_is_broken(demo_warehouse, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT
    monkeypatch.setenv("WAREHOUSE_DIR", str(demo_warehouse))
    monkeypatch.setenv("DISCLOSURE_RULE", "threshold:1")
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    assert not at.exception
    assert "disclosure rule in the settings is not valid" in at.error[0].value
    assert "threshold:1" not in at.error[0].value


@pytest.mark.parametrize("content, says", [
    ('[privacy]\nrule = 5\n'.encode(), "disclosure rule in the settings is not valid"),
    (b'[privacy]\nrule "vipunen"\n', "settings file (config.toml) could not be read"),
    ('[university]\nname = "Yliopisto Åbo"\n'.encode("latin-1"), "settings file (config.toml) could not be read"),
])
def test_a_settings_file_that_cannot_be_used_says_which_setting_not_a_traceback(demo_warehouse, monkeypatch, tmp_path,
                                                                                 caplog, content, says):
    """A careless administrator's config.toml: a rule of the wrong type, a syntax error, Latin-1 text. The page
    names what is wrong (not the disclosure rule for a file that cannot be read) and the log says where."""
    from streamlit.testing.v1 import AppTest

    from etl import config
    from tests.conftest import ROOT
    settings = tmp_path / "config.toml"
    settings.write_bytes(content)
    monkeypatch.setattr(config, "CONFIG_FILE", settings)
    monkeypatch.setenv("WAREHOUSE_DIR", str(demo_warehouse))
    monkeypatch.delenv("DISCLOSURE_RULE", raising=False)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    assert not at.exception
    assert [says in e.value for e in at.error] == [True], [e.value for e in at.error]
    if "could not be read" in says:
        assert str(settings) in caplog.text and ("line 2" in caplog.text or "not UTF-8" in caplog.text)


def test_a_settings_file_saved_with_a_byte_order_mark_is_read(demo_warehouse, monkeypatch, tmp_path):
    from streamlit.testing.v1 import AppTest

    from etl import config
    from tests.conftest import ROOT
    settings = tmp_path / "config.toml"
    settings.write_bytes(config.CONFIG_FILE.read_text(encoding="utf-8").encode("utf-8-sig"))
    monkeypatch.setattr(config, "CONFIG_FILE", settings)
    monkeypatch.setenv("WAREHOUSE_DIR", str(demo_warehouse))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    assert not at.exception and not at.error and at.metric


def test_a_language_the_dashboard_does_not_speak_is_named_in_the_notice(open_page):
    at = open_page("overview", lang="de")
    assert "lang" in " ".join(w.value for w in at.warning)


def test_an_empty_partner_table_downloads(demo_warehouse):
    from app.model import mobility
    from app.model.data import Warehouse
    from app.model.disclosure import parse_rule
    from app.model.filters import Filters
    from app.present.views import Chart
    from app.reports import exports

    wh = Warehouse(demo_warehouse)
    f = Filters(years=(2010, 2025), partner_countries=("XKX",))
    rows = mobility.partners(wh, f, parse_rule("vipunen"))
    assert rows.empty
    chart = Chart("partner-institutions", "Partner institutions", "", rows, f.years)
    meta = exports.Meta.of(wh, f, parse_rule("vipunen"))
    assert exports.csv_bytes(chart, meta).startswith("\ufeff".encode())
    assert exports.xlsx_bytes(chart, meta)[:2] == b"PK"


def test_the_country_drilldown_does_not_tell_a_small_count_from_nobody(demo_warehouse):
    """Prober's attack: with the list saying "0 countries named, 1–4 more", the drill-down showed 1–4 for
    exactly the countries that had someone; now each reads 0–4, or the country is not drawn at all."""
    from app.model import metrics
    from app.model.data import Warehouse
    from app.model.disclosure import parse_rule
    from app.model.filters import Filters

    wh = Warehouse(demo_warehouse)
    f = Filters(years=(2025, 2025), units=("ENG",), genders=("female",))
    for rule in ("vipunen", "hesa", "threshold:5"):
        labels = set()
        for country in ("DEU", "IND", "NZL", "ROU", "BRA", "FRA"):
            trend = metrics.country_trend(wh, f, country, parse_rule(rule))
            if not trend.empty:
                labels |= set(trend.loc[trend["population"] == "professors", "headcount_label"])
        assert not labels & {"1–4", "1–2", "3–4", "0", "1"}, (rule, labels)


def test_exchanges_per_year_keep_a_count_of_1_to_4_as_a_range_not_zero(demo_warehouse, truth):
    """New-user finding: with unit and partner-country filters, cells of 1–4 were drawn and exported as 0."""
    from app.model import mobility
    from app.model.data import Warehouse
    from app.model.disclosure import parse_rule
    from app.model.filters import Filters

    wh = Warehouse(demo_warehouse)
    f = Filters(years=(2015, 2022), units=("SCI",), partner_countries=("CHE",))
    frame = mobility.per_year(wh, f, parse_rule("vipunen"))
    assert list(frame["year"]) == list(range(2015, 2023))
    for row in frame.itertuples():
        for direction in ("incoming", "outgoing"):
            n = truth.con.execute(f"""SELECT count(*) FROM mobility WHERE year = {row.year} AND unit = 'SCI'
                                      AND partner_country = 'CHE' AND direction = '{direction}'""").fetchone()[0]
            label = getattr(row, f"{direction}_label")
            assert label == ("1–4" if 1 <= n <= 4 else f"{3 * round(n / 3):,}"), (row.year, direction, n, label)


@pytest.mark.parametrize("shares, ranges, expected", [
    ([(2024, float("nan")), (2025, float("nan"))], [(2024, 0.002, 0.008), (2025, 0.003, 0.010)],
     "The share of international professors is known only roughly, 0.3%–1.0% in 2025: the count of "
     "international people is too small to show exactly."),
    ([(2025, float("nan"))], [(2025, 0.0018, 0.0024)],
     "The share of international professors is known only roughly, 0.2% in 2025: the count of "
     "international people is too small to show exactly."),
    ([(2010, 0.0), (2025, float("nan"))], [(2025, 0.001, 0.002)],
     "The share of international professors was 0% in 2010; in 2025 it is known only as a range, 0.1%–0.2%."),
    ([(2024, float("nan"))], [(2024, float("nan"), float("nan"))],
     "The share of international professors cannot be shown exactly for these filters: the counts are too small."),
    ([(2010, 0.09), (2022, 0.27)], [], "The share of international professors rose from 9% in 2010 to 27% in 2022."),
])
def test_a_share_known_only_as_a_range_is_said_as_one_not_as_too_small(shares, ranges, expected):
    """A handful of Egyptian professors among hundreds: the share is a range, not "the groups are too small"."""
    from app.present import summaries
    assert summaries.share_change("professors", shares, ranges) == expected


def test_the_drilldown_names_the_groups_it_leaves_out_as_too_small(demo_warehouse):
    from app.model.data import Warehouse
    from app.model.disclosure import parse_rule
    from app.model.filters import Filters

    wh = Warehouse(demo_warehouse)
    chart = pages.page_charts("countries", wh, Filters(years=(2010, 2025)), parse_rule("vipunen"), country="EGY")[-1]
    left_out = chart.data.attrs["too_small"]["groups"]
    drawn = set(chart.data["population"])
    assert left_out and not drawn & set(left_out)
    assert drawn | set(left_out) == set(pages.metrics.STAFF_BREAKDOWN + pages.metrics.STUDENT_BREAKDOWN)
    from app.words import labels
    assert chart.summary.endswith("Not drawn, with 0–4 in every year: "
                                  + ", ".join(labels.population(p) for p in left_out) + ".")


@pytest.mark.parametrize("page, source", [
    ("overview", "HR and student registry exports"), ("staff", "HR exports"), ("students", "student registry exports"),
    ("mobility", "mobility office exports of exchange periods and partner agreements"),
    ("networks", "mobility office exports of exchange periods and partner agreements")])
def test_each_chart_cites_the_export_its_figures_come_from(demo_warehouse, page, source):
    """Exchange figures came with 'HR and student registry exports' as their source, on screen and in files."""
    from app.model.data import Warehouse
    from app.model.disclosure import parse_rule
    from app.model.filters import Filters
    from app.reports import exports

    wh = Warehouse(demo_warehouse)
    f, rule = Filters(years=(2015, 2022)), parse_rule("vipunen")
    meta = exports.Meta.of(wh, f, rule)      # as the full report makes it: no page to say what it is about
    sources = {meta.source(chart).split(" (")[0] for chart in pages.page_charts(page, wh, f, rule)}
    assert sources == {f"Source: {exports.labels.university()}, {source}"}


def test_a_share_range_is_written_with_one_precision_and_once_when_its_ends_read_the_same():
    assert i18n.fmt_share_range(0.049, 0.06) == "4.9%–6.0%"
    assert i18n.fmt_share_range(0.07, 0.08) == "7%–8%"
    assert i18n.fmt_share_range(0.0018, 0.0024) == "0.2%"
    assert i18n.fmt_share_range(float("nan"), 0.1) == "–"


def test_shares_known_only_as_ranges_are_drawn_as_ranges_and_not_ranked(open_page):
    """/staff?countries=DEU,FRA: most units' shares are ranges; they were bars labelled "range"."""
    at = open_page("staff", countries="DEU,FRA")
    units = next(f for f in figures(at) if title_of(f) == "International share by unit")
    bars = units["data"][0]
    ranged = [i for i, label in enumerate(bars["text"]) if "–" in label]
    assert ranged, bars["text"]
    for i in ranged:
        low, high = (float(v.rstrip("%")) / 100 for v in bars["text"][i].split("–"))
        assert values(bars["base"])[i] == pytest.approx(low, abs=0.006)
        assert values(bars["base"])[i] + values(bars["x"])[i] == pytest.approx(high, abs=0.006)
    summary = next(t.value for t in at.text if "not ranked" in t.value)
    assert f"{len(ranged)} more are known only as ranges and are not ranked." in summary


def test_a_card_whose_share_is_known_only_as_a_range_shows_the_range(open_page, truth):
    """/?countries=EGY: four of five cards were a bare "–" beside a summary giving the range (a country with
    1–4 professors in the last year, Egypt when the demo was made)."""
    from tests.truth import vipunen
    country = next(c for c, n in sorted(truth.citizenship_counts("professors", 2025).items()) if 1 <= n <= 4)
    at = open_page(countries=country)
    international, known, _ = truth.counts("professors", 2025, countries={country})
    assert 1 <= international <= 4
    base = vipunen(known)
    assert at.metric[0].value == i18n.fmt_share_range(1 / base, 4 / base)
    assert any(c.value.startswith("2025: 1–4 international of") for c in at.caption)   # not "2025" alone


def test_a_network_before_it_began_says_so_and_its_members_count_from_then(open_page):
    """/networks?years=2010-2018: the charts advised clearing filters that were not set, and the members
    table listed exchanges from years before Unite! began; with 2010–2025 it counted them too."""
    at = open_page("networks", years="2010-2018")
    infos = [re.sub(r"\\(.)", r"\1", i.value) for i in at.info if "Demo data" not in i.value]
    assert len(infos) == 3 and all("Unite! began in 2019: its figures start then." in i for i in infos), infos
    assert not at.dataframe
    at = open_page("networks")
    assert "Exchange periods counted from 2019, when Unite! began." in [c.value for c in at.caption]


def test_a_top_list_says_how_many_countries_tie_with_its_last(demo_warehouse, truth):
    from app.model.data import Warehouse
    from app.model.disclosure import parse_rule
    from app.model.filters import Filters
    from tests.truth import vipunen

    # The first year, latest first, whose fifth country ties with the next (found in the data, not written in).
    for year in range(2025, 2009, -1):
        shown = sorted((vipunen(n) for n in truth.citizenship_counts("professors", year).values()
                        if vipunen(n) is not None), reverse=True)
        if len(shown) > 5 and shown[5] == shown[4]:
            break
    chart = pages.page_charts("countries", Warehouse(demo_warehouse), Filters(years=(2010, 2025)),
                              parse_rule("vipunen"), population="professors", year=year, top=5)[0]
    fifth = shown[4]
    tied = shown[5:].count(fifth)
    said = f"1 more country also had {int(fifth)}." if tied == 1 else f"{tied} more countries also had {int(fifth)} each."
    assert tied and said in chart.summary
