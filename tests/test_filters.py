"""The filter table (app/model/filters.py): each entry's link key, SQL and words,
checked against the data read independently with pandas."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pyarrow.parquet as pq
import pytest

from app.model import filters as flt
from app.model.data import Warehouse
from app.model.regions import region_of
from app.words import i18n


@pytest.fixture(scope="module")
def wh(demo_warehouse) -> Warehouse:
    return Warehouse(demo_warehouse)


@pytest.fixture(scope="module")
def people(demo_warehouse) -> pd.DataFrame:
    return pq.read_table(demo_warehouse / "agg_people" / "data.parquet").to_pandas()


@pytest.fixture(scope="module")
def exchanges(demo_warehouse) -> pd.DataFrame:
    return pq.read_table(demo_warehouse / "agg_mobility" / "data.parquet").to_pandas()


def some(one: flt.Filter, wh: Warehouse) -> tuple[str, ...]:
    """Two values a person might choose (a region and a country for the country filter)."""
    choices = one.choices(wh.options)
    return ("region:nordic", "DEU") if one.regions else tuple(choices[:2])


def test_the_table_and_the_filters_have_the_same_fields():
    fields = [f.name for f in dataclasses.fields(flt.Filters)]
    # The years and the definition of international are kept beside the filters, not in their table.
    assert fields == ["years", *(one.field for one in flt.FILTERS), "definition"]
    assert len({one.url for one in flt.FILTERS} | {flt.YEARS_URL, "definition"}) == len(flt.URL_KEYS)
    for one in flt.FILTERS:   # each narrows the people tables in at most one way, and applies somewhere
        assert [one.column is not None, one.groups_of is not None, one.citizenship].count(True) <= 1, one.field
        assert one.applies_to(flt.PEOPLE) or one.applies_to(flt.EXCHANGES), one.field


@pytest.mark.parametrize("one", flt.FILTERS, ids=lambda f: f.field)
def test_a_filter_goes_into_a_link_and_back(one, wh):
    chosen = dataclasses.replace(flt.defaults(wh.options), years=(2015, 2020), **{one.field: some(one, wh)})
    query = flt.to_query(chosen, wh.options)
    assert query == {"years": "2015-2020", one.url: ",".join(some(one, wh))}
    parsed = flt.from_query(query, wh.options)
    assert parsed.filters == chosen and parsed.ignored == []


@pytest.mark.parametrize("one", flt.FILTERS, ids=lambda f: f.field)
def test_a_value_the_data_does_not_hold_is_dropped_and_named_by_its_setting(one, wh):
    good = some(one, wh)[0]
    parsed = flt.from_query({one.url: f"{good},<script>,{good}"}, wh.options)
    assert one.values(parsed.filters) == (good,)
    assert parsed.ignored == [one.url]


def _kept(frame: pd.DataFrame, one: flt.Filter, values: tuple[str, ...]) -> pd.Series:
    """Which rows a filter keeps, worked out with pandas from what the filter means."""
    if one.field == "units":
        return frame["unit"].isin(values)
    if one.field == "genders":
        return frame["gender"].fillna("unknown").isin(values)
    raise AssertionError(one.field)


@pytest.mark.parametrize("one", [f for f in flt.FILTERS if f.column], ids=lambda f: f.field)
def test_a_column_filter_keeps_the_rows_it_names(one, wh, people):
    values = some(one, wh)
    chosen = dataclasses.replace(flt.defaults(wh.options), years=(2012, 2018), **{one.field: values})
    where, params = flt.people_where(chosen)
    got = wh.query(f"SELECT sum(headcount) AS n FROM agg_people WHERE {where}", params)["n"].iloc[0]
    expected = people[people["year"].between(2012, 2018) & _kept(people, one, values)]["headcount"].sum()
    assert got == expected > 0


def test_the_group_filters_pick_the_groups_of_their_population(wh):
    chosen = dataclasses.replace(flt.defaults(wh.options), staff_groups=("professor",), levels=("master",))
    assert flt.groups_in_scope("staff", flt.STAFF_GROUPS, chosen) == ("professor",)
    assert flt.groups_in_scope("students", flt.LEVELS, chosen) == ("master",)
    assert flt.groups_in_scope("staff", flt.STAFF_GROUPS, flt.defaults(wh.options)) == flt.STAFF_GROUPS


def test_the_country_filter_redefines_international_and_leaves_exchanges_alone(wh, people):
    chosen = dataclasses.replace(flt.defaults(wh.options), countries=("region:nordic", "DEU"))
    international, params = flt.international_where(chosen)
    got = wh.query(f"SELECT sum(headcount) AS n FROM agg_people WHERE {international}", params)["n"].iloc[0]
    expected = people[people["is_international"] & people["citizenship"].map(nordic_or_german)]["headcount"].sum()
    assert got == expected > 0
    assert flt.exchange_where(chosen) == flt.exchange_where(flt.defaults(wh.options))


def test_the_partner_country_filter_narrows_exchanges_and_leaves_people_alone(wh, exchanges):
    chosen = dataclasses.replace(flt.defaults(wh.options), partner_countries=("region:nordic", "DEU"))
    where, params = flt.exchange_where(chosen)
    got = wh.query(f"SELECT sum(exchanges) AS n FROM agg_mobility WHERE {where}", params)["n"].iloc[0]
    assert got == exchanges[exchanges["partner_country"].map(nordic_or_german)]["exchanges"].sum() > 0
    assert flt.people_where(chosen) == flt.people_where(flt.defaults(wh.options))
    assert flt.international_where(chosen) == ("is_international", [])


def nordic_or_german(code) -> bool:
    return isinstance(code, str) and (code == "DEU" or region_of(code) == "nordic")


@pytest.mark.parametrize("one", flt.FILTERS, ids=lambda f: f.field)
def test_filters_without_an_exchange_column_leave_exchanges_alone(one, wh):
    chosen = dataclasses.replace(flt.defaults(wh.options), **{one.field: some(one, wh)})
    where, _ = flt.exchange_where(chosen)
    assert (where != flt.exchange_where(flt.defaults(wh.options))[0]) == (one.exchanges is not None)


@pytest.mark.parametrize("language", ["en", "fi", "sv"])
def test_the_filters_in_force_read_as_words_in_every_language(wh, language):
    chosen = dataclasses.replace(flt.defaults(wh.options), years=(2015, 2020),
                                 **{one.field: some(one, wh)[:1] for one in flt.FILTERS})
    i18n.set_language(language)
    try:
        words = flt.describe(chosen, wh.options)
        for one in flt.FILTERS:
            assert one.name(one.values(chosen)[0]) in words
            assert one.values(chosen)[0] not in words or one.field == "units"   # names, not codes
        assert "2015–2020" in words
        assert flt.describe(flt.defaults(wh.options), wh.options) == ""
    finally:
        i18n.set_language("en")


@pytest.mark.parametrize("page, about", [("overview", flt.PEOPLE), ("mobility", flt.EXCHANGES),
                                         ("methodology", None)])
def test_the_sidebar_has_a_widget_for_each_filter_that_applies_to_the_page(render_page, demo_warehouse, page, about):
    at = render_page(demo_warehouse, page, gender="female", partner_countries="DEU")
    labels = [w.label for w in at.sidebar.multiselect]
    assert labels == [one.label() for one in flt.FILTERS if about is None or one.applies_to(about)]
    note = " ".join(c.value for c in at.sidebar.caption)
    if about == flt.PEOPLE:
        assert "Not used on this page, kept for the others: partners in Germany." in note
    elif about == flt.EXCHANGES:
        assert "Not used on this page, kept for the others: Women." in note
    else:
        assert "Not used on this page" not in note


@pytest.mark.parametrize("years", ["²", "2010-¹", "２０１０", "٢٠١٠"])
def test_years_in_other_digits_are_ignored_not_a_crash(wh, years):
    parsed = flt.from_query({"years": years}, wh.options)
    assert parsed.ignored == ["years"] and parsed.filters == flt.defaults(wh.options)


def test_a_value_given_twice_counts_once_without_a_notice(wh):
    parsed = flt.from_query({"countries": "region:nordic,DEU,region:nordic"}, wh.options)
    assert parsed.filters.countries == ("region:nordic", "DEU") and parsed.ignored == []
