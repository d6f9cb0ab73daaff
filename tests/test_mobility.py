"""Mobility, partners and networks: every figure against DuckDB on the warehouse."""

from __future__ import annotations

import pandas as pd
import pytest

from app.model import mobility
from app.model.data import Warehouse
from app.model.disclosure import Rule
from app.model.filters import Filters
from tests.truth import Truth, all_figures, figures, trace, values, vipunen



@pytest.fixture(scope="module")
def truth(demo_warehouse):
    return Truth(demo_warehouse)


def exchanges(truth, where: str) -> int:
    return truth.con.execute(f"SELECT count(*) FROM mobility WHERE {where}").fetchone()[0]


def test_exchanges_per_year_each_way_with_the_pandemic_dip(open_page, truth):
    at = open_page("mobility", years="2015-2024", units="SCI,ELEC")
    per_year = figures(at)[0]
    for direction, name in (("incoming", "Incoming"), ("outgoing", "Outgoing")):
        line = trace(per_year, name)
        for year, shown in zip(values(line["x"]), values(line["y"])):
            expected = exchanges(truth, f"year = {int(year)} AND direction = '{direction}' AND unit IN ('SCI', 'ELEC')")
            assert shown == truth.protect(expected), (direction, year)
    incoming = dict(zip(values(trace(per_year, "Incoming")["x"]), values(trace(per_year, "Incoming")["y"])))
    assert incoming[2020] < 0.6 * incoming[2019]


def test_breakdowns_balance_and_average_stay(open_page, truth):
    at = open_page("mobility", years="2018-2022", partner_countries="region:nordic")
    per_year, stay, flows, balance, by_level, by_programme, by_unit = all_figures(at)
    nordic = "partner_country IN ('DNK', 'FIN', 'ISL', 'NOR', 'SWE', 'FRO', 'GRL', 'ALA', 'SJM')"
    scope = f"year BETWEEN 2018 AND 2022 AND {nordic}"
    bars = {t["name"]: dict(zip(t["y"], values(t["x"]))) for t in by_level["data"]}
    assert bars["Incoming"]["Master's"] == truth.protect(exchanges(truth, f"{scope} AND direction = 'incoming' AND level = 'master'"))
    programmes = {t["name"]: dict(zip(t["y"], values(t["x"]))) for t in by_programme["data"]}
    assert programmes["Outgoing"]["Nordplus"] == truth.protect(
        exchanges(truth, f"{scope} AND direction = 'outgoing' AND programme = 'Nordplus'"))
    shown = dict(zip(balance["data"][0]["y"], values(balance["data"][0]["x"])))
    sweden_in = truth.protect(exchanges(truth, f"{scope} AND direction = 'incoming' AND partner_country = 'SWE'"))
    sweden_out = truth.protect(exchanges(truth, f"{scope} AND direction = 'outgoing' AND partner_country = 'SWE'"))
    assert shown["Sweden"] == sweden_in - sweden_out
    # The average stay from published figures only: whole weeks summed, rounded to 365 days, over the protected count.
    periods, weeks = truth.con.execute(f"""SELECT count(*), sum(round(datediff('day', start_date, end_date) / 7))
        FROM mobility WHERE year = 2022 AND direction = 'outgoing' AND level <> 'staff' AND end_date IS NOT NULL
        AND {nordic}""").fetchone()
    assert truth.protect(periods) >= 20
    days = round(365 * round(7 * weeks / 365) / truth.protect(periods))
    outgoing = trace(stay, "Outgoing")
    assert values(outgoing["y"])[values(outgoing["x"]).index(2022)] == days


@pytest.mark.parametrize("text, expected", [
    ("zurich", "ETH Zürich"), ("ZÜRICH", "ETH Zürich"), ("wroclaw", "Wrocław University of Science and Technology"),
    ("darmsta", "Technische Universität Darmstadt"), ("universitat politecnica", "Universitat Politècnica de Catalunya"),
])
def test_search_finds_partners_by_partial_accent_free_lower_case_names(open_page, text, expected):
    at = open_page("partners", q=text)
    table = at.dataframe[0].value
    assert expected in set(table["partner_name"])
    assert len(table) < 20


def test_partner_and_country_counts_equal_the_warehouse(open_page, truth):
    at = open_page("partners", years="2012-2019", q="KTH")
    table = at.dataframe[0].value
    row = table[table["partner_name"] == "KTH Royal Institute of Technology"].iloc[0]
    scope = "year BETWEEN 2012 AND 2019 AND partner_code = 'S  STOCKHO04'"
    for direction in ("incoming", "outgoing"):   # shown as the rule writes it: "1–4" or a rounded count
        expected = truth.protect(exchanges(truth, f"{scope} AND direction = '{direction}'"))
        assert row[direction] == ("1–4" if expected is None else f"{int(expected):,}")
    history, partner_map = all_figures(at)
    incoming = trace(history, "Incoming")
    for year, shown in zip(values(incoming["x"]), values(incoming["y"])):
        n = exchanges(truth, f"year = {int(year)} AND partner_code = 'S  STOCKHO04' AND direction = 'incoming'")
        assert shown == (truth.protect(n) if truth.protect(n) is not None else 2.5)
    partner_map = partner_map["data"][0]
    per_country = dict(zip(partner_map["locations"], values(partner_map["z"])))
    assert per_country["SWE"] == truth.con.execute("SELECT count(*) FROM partners WHERE country = 'SWE'").fetchone()[0]


def test_agreements_without_exchanges_and_exchanges_without_agreements_are_visible(open_page, truth):
    without = open_page("partners", show="without_exchanges").dataframe[0].value
    idle = {name for (name,) in truth.con.execute("""SELECT partner_name FROM partners WHERE partner_code NOT IN
        (SELECT partner_code FROM mobility WHERE partner_code IS NOT NULL)""").fetchall()}
    assert idle and set(without["partner_name"]) == idle
    unlisted = open_page("partners", show="not_listed").dataframe[0].value
    expected = {name for (name,) in truth.con.execute(
        "SELECT DISTINCT partner_name FROM mobility WHERE partner_code IS NULL").fetchall()}
    assert set(unlisted["partner_name"]) == expected
    assert set(unlisted["status"]) == {"Not a listed partner"}


def test_a_search_that_finds_nothing_names_it_and_offers_to_clear_it(open_page):
    at = open_page("partners", q="no such university anywhere")
    assert "No partner matches the search “no such university anywhere”" in " ".join(i.value for i in at.info)
    [clear] = [b for b in at.button if b.label == "Clear the search"]
    clear.click().run()
    assert at.text_input(key="p_q").value == "" and "q" not in at.query_params
    assert not [b for b in at.button if b.label == "Clear the search"]


@pytest.mark.parametrize("typed, found", [("tromso", "Tromsø"), ("LODZ", "Łódź"), ("strasse", "Straße"),
                                          ("zurich", "Zürich"), ("athina", "Αθήνα")])
def test_search_transliterates_letters_beyond_accents(typed, found):
    table = pd.DataFrame({"partner_name": [f"University of {found}", "Other"], "city": ["", ""],
                          "partner_code": ["A", "B"]})
    assert list(mobility.search(table, typed)["partner_code"]) == ["A"]
    assert list(mobility.search(table, found.upper())["partner_code"]) == ["A"]


def test_the_counters_follow_the_search(open_page, demo_warehouse):
    everything = open_page("partners")
    searched = open_page("partners", q="zurich")
    assert [m.value for m in searched.metric] != [m.value for m in everything.metric]
    assert int(searched.metric[0].value.replace(",", "")) >= 1


def test_network_page_members_and_totals(open_page, truth):
    at = open_page("networks", network="Unite!", years="2019-2025")
    members = at.dataframe[0].value
    assert len(members) == 8
    exchanges_chart, share = figures(at)
    codes = [c for (c,) in truth.con.execute("SELECT partner_code FROM partners WHERE list_contains(networks, 'Unite!')").fetchall()]
    in_list = ", ".join(repr(c) for c in codes)
    line = trace(exchanges_chart, "Incoming")
    for year, shown in zip(values(line["x"]), values(line["y"])):
        assert shown == truth.protect(exchanges(truth, f"year = {int(year)} AND direction = 'incoming' AND partner_code IN ({in_list})"))
    members_share = trace(share, "Network members")
    year = 2023
    member_total = exchanges(truth, f"year = {year} AND partner_code IN ({in_list})")
    all_total = exchanges(truth, f"year = {year}")
    assert values(members_share["y"])[values(members_share["x"]).index(year)] == vipunen(member_total) / vipunen(all_total)


def test_a_networks_total_is_the_sum_over_its_members(demo_warehouse):
    warehouse = Warehouse(demo_warehouse)
    exact = Rule("none")
    f = Filters(years=(2010, 2025))
    table = mobility.filter_partners(mobility.partners(warehouse, f, exact), network="Unite!")
    per_year = mobility.per_year(warehouse, f, exact, "Unite!")
    assert per_year["incoming"].sum() == table["incoming"].sum()
    assert per_year["outgoing"].sum() == table["outgoing"].sum()
    trend = mobility.network_trend(warehouse, f, exact, "Unite!")
    members = trend[trend["partners"] == "members"]["headcount"].sum()
    assert members == table["incoming"].sum() + table["outgoing"].sum()


def test_search_and_filters_are_pure_functions():
    import pandas as pd
    table = pd.DataFrame({
        "partner_code": ["A", "B", ""], "partner_name": ["ETH Zürich", "Politecnico di Torino", "Kyoto Tech"],
        "city": ["Zürich", "Torino", "Kyoto"], "country": ["CHE", "ITA", "JPN"],
        "programmes": [["Erasmus+"], ["Erasmus+", "Unite!"], []], "networks": [[], ["Unite!"], []],
        "listed": [True, True, False], "exchanged": [False, True, True]})
    assert list(mobility.search(table, "zurich")["partner_code"]) == ["A"]
    assert list(mobility.search(table, "TORINO")["partner_code"]) == ["B"]
    assert list(mobility.filter_partners(table, network="Unite!")["partner_code"]) == ["B"]
    assert list(mobility.filter_partners(table, programme="Erasmus+", show="without_exchanges")["partner_code"]) == ["A"]
    assert list(mobility.filter_partners(table, show="not_listed")["partner_name"]) == ["Kyoto Tech"]


@pytest.mark.parametrize("countries, expected", [
    (["DEU"], "Demo University of Technology has partner agreements in 1 country: Germany (17)."),
    (["DEU", "FRA"], "Demo University of Technology has partner agreements in 2 countries, most in Germany (17).")])
def test_the_partner_map_summary_names_the_university_and_counts_countries_in_words(countries, expected, monkeypatch):
    from app.present import summaries
    from app.words import labels
    monkeypatch.setattr(labels, "university", lambda: "Demo University of Technology")
    frame = pd.DataFrame({"country": countries, "partners": [17, 9][:len(countries)]})
    assert summaries.partner_countries(frame) == expected


def test_a_balance_known_only_as_a_range_is_drawn_from_its_lowest_to_its_highest_value():
    from app.present import charts
    frame = pd.DataFrame({"partner_country": ["DEU", "SWE"], "balance": [6.0, float("nan")],
                          "balance_low": [6, -3], "balance_high": [6, 3],
                          "incoming_label": ["9", "1–4"], "outgoing_label": ["3", "1–4"]})
    bars = charts.diverging_bars(frame, "partner_country", str, "t", "s").to_dict()["data"][0]
    by_name = {name: (base, x) for name, base, x in zip(bars["y"], values(bars["base"]), values(bars["x"]))}
    assert by_name == {"DEU": (0, 6), "SWE": (-3, 6)}
    assert list(bars["marker"]["pattern"]["shape"]) == ["/", ""]   # bottom-up: SWE hatched


@pytest.mark.parametrize("balances, expected", [
    ([5.0, -3.0], "Among the partner countries shown, the largest surplus of incoming exchanges was with Germany "
                  "(+5); the largest surplus of outgoing exchanges was with Sweden (−3)."),
    ([-2.0, -3.0], "Among the partner countries shown, the largest surplus of outgoing exchanges was with Sweden (−3)."),
    ([0.0, 0.0], "Among the partner countries shown, as many exchange periods came in as went out."),
])
def test_the_balance_summary_says_only_the_surpluses_there_are(balances, expected):
    from app.present import summaries
    frame = pd.DataFrame({"partner_country": ["DEU", "SWE"], "balance": balances})
    assert summaries.balance(frame) == expected


def test_an_institution_without_an_agreement_has_blank_cells_not_none(open_page):
    at = open_page("partners", show="not_listed")
    frame = at.dataframe[0].value
    # The grid writes a missing text as "None"; a missing date in a date column it leaves blank.
    assert len(frame) and not frame["city"].isna().any()
    assert str(frame["valid_to"].dtype).startswith("datetime64")


def test_incoming_comes_first_in_every_exchange_history(demo_warehouse):
    """The legend's order followed the larger direction, so it flipped from one partner to the next."""
    from app.present import mobility_views
    wh, f, rule = Warehouse(demo_warehouse), Filters(years=(2010, 2025)), Rule("vipunen")
    for code, name in mobility.partners(wh, f, rule)[["partner_code", "partner_name"]].head(8).itertuples(index=False):
        figure = mobility_views.partner_history(wh, f, rule, code, name).figure
        named = [trace.name for trace in figure.data if trace.showlegend is not False]
        assert named[:2] == ["Incoming", "Outgoing"], (name, named)


def test_an_average_stay_not_shown_is_named_with_its_reason():
    from app.present import summaries
    frame = pd.DataFrame({"year": [2020, 2020], "direction": ["incoming", "outgoing"], "days": [float("nan"), 191.0]})
    assert summaries.stay(frame, 20) == ("In 2020, a student exchange lasted on average — Incoming: not shown "
                                          "(fewer than 20 periods); Outgoing: 191 days.")


@pytest.mark.parametrize("year", [2016, 2020, 2022])
def test_under_a_threshold_no_country_has_one_hidden_partner_its_total_would_give_away(demo_warehouse, year):
    """The mobility page shows each partner country's exact total under threshold:5; with one partner shown
    as "<5" and the others exact, that partner was the total minus the others (a prober found 18 in 2016)."""
    wh, rule = Warehouse(demo_warehouse), Rule("threshold", 5)
    table = mobility.partners(wh, Filters(years=(year, year)), rule)
    for direction in mobility.DIRECTIONS:
        hidden = table[table[direction].isna()].groupby("country").size()
        shown = table[table[direction] > 0].groupby("country").size()
        # A lone hidden partner is safe only where it is the country's only one: the total is then hidden too.
        lone = [c for c in hidden[hidden == 1].index if shown.get(c, 0) > 0]
        assert not lone, (direction, lone)
        assert table.loc[table[direction].isna(), "balance"].isna().all()   # no balance gives one back either


@pytest.mark.parametrize("dimension", ["partner_country", "level", "programme", "unit"])
def test_under_a_threshold_no_breakdown_has_one_hidden_part_of_its_shown_total(demo_warehouse, dimension):
    wh, rule = Warehouse(demo_warehouse), Rule("threshold", 5)
    for year in (2016, 2020, 2022):
        frame = mobility.breakdown(wh, Filters(years=(year, year)), dimension, rule)
        for direction in mobility.DIRECTIONS:
            hidden, shown = frame[direction].isna().sum(), (frame[direction] > 0).sum()
            assert hidden != 1 or shown == 0, (year, direction)


def test_under_a_threshold_a_partners_history_has_no_one_hidden_year_beside_its_total(demo_warehouse):
    wh, rule, f = Warehouse(demo_warehouse), Rule("threshold", 5), Filters(years=(2010, 2025))
    for code, name in mobility.partners(wh, f, rule)[["partner_code", "partner_name"]].head(40).itertuples(index=False):
        history = mobility.partner_history(wh, f, rule, code, name)
        for direction in mobility.DIRECTIONS:
            hidden, shown = history[direction].isna().sum(), (history[direction] > 0).sum()
            assert hidden != 1 or shown == 0, (name, direction)
