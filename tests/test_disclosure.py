"""The disclosure rules, and the attacks they must withstand."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from app.model import disclosure, metrics, mobility
from app.model.data import Warehouse
from app.model.disclosure import Rule, parse_rule, protect, secondary
from app.model.filters import Filters
from app.words.labels import SMALL_COUNTRIES


def shown(counts: list[int], rule: Rule) -> list[str]:
    return list(protect(pd.DataFrame({"n": counts}), ["n"], rule)["n_label"])


def test_vipunen_rule():
    assert shown([0, 1, 2, 3, 4, 5, 6, 7, 8, 104, 105, 1234], Rule("vipunen")) == [
        "0", "1–4", "1–4", "1–4", "1–4", "6", "6", "6", "9", "105", "105", "1,233"]


def test_hesa_rule():
    assert shown([0, 1, 2, 3, 4, 7, 8, 22, 23], Rule("hesa")) == ["0", "0", "0", "5", "5", "5", "10", "20", "25"]
    assert math.isnan(disclosure.share(pd.Series([5.0]), pd.Series([20.0]), Rule("hesa"))["share"][0])
    assert disclosure.share(pd.Series([5.0]), pd.Series([25.0]), Rule("hesa"))["share"][0] == 0.2


def test_threshold_rule_and_its_secondary_suppression():
    rule = parse_rule("threshold:5")
    assert shown([0, 1, 4, 5, 17], rule) == ["0", "<5", "<5", "5", "17"]
    # One year: home 40, international 3 (hidden), unknown 9. With the total known, 3 would follow.
    frame = protect(pd.DataFrame({"year": [2020] * 3, "category": ["home", "international", "unknown"],
                                  "headcount": [40, 3, 9]}), ["headcount"], rule)
    protected = secondary(frame, "headcount", ["year"], rule)
    assert protected["headcount"].isna().sum() == 2
    assert protected.loc[protected["category"] == "unknown", "headcount_label"].item() == "…"
    assert protected.loc[protected["category"] == "unknown", "headcount_high"].item() == 0


def test_none_rule_is_exact():
    assert shown([0, 1, 2, 1234], Rule("none")) == ["0", "1", "2", "1,234"]


@pytest.mark.parametrize("text", ["vipunan", "threshold:", "threshold:1", "threshold:abc", ""])
def test_unknown_rules_are_refused(text):
    with pytest.raises(ValueError, match="accepted"):
        parse_rule(text or "nothing")


def test_complement_turns_a_near_total_into_a_range():
    rule = Rule("vipunen")
    filtered = pd.DataFrame({"n": [98, 50]})
    whole = pd.DataFrame({"n": [101, 80]})
    protected = disclosure.complement(protect(filtered, ["n"], rule), filtered, whole, "n", rule)
    # 101 is shown as 102 (101-103); the gap may be up to 8 (4 + the rounding of both figures, counted once for
    # their difference and once for the true gap), so 93-102.
    assert protected["n_label"].tolist() == ["93–102", "51"]
    # Honest: the true 98 lies inside the range shown.
    assert protected["n_low"][0] <= 98 <= protected["n_high"][0]


def feasible(low_all, high_all, low_rest, high_rest) -> set[int]:
    """What an attacker can conclude about the small count x = all - rest."""
    return set(range(max(1, low_all - high_rest), min(4, high_all - low_rest) + 1))


def filter_sets(warehouse: Warehouse):
    years = (warehouse.options.years[0], warehouse.options.years[-1])
    yield Filters(years=years)
    for unit in warehouse.options.units:
        yield Filters(years=years, units=(unit,))
    for gender in ("female", "male"):
        yield Filters(years=years, genders=(gender,))
    yield Filters(years=years, units=tuple(u for u in warehouse.options.units if u != "ARTS"))


def test_the_differencing_attack_recovers_no_small_count(demo_warehouse):
    """Everyone minus everyone-but-one-small-country, for every population, year and
    a broad set of unit and gender filters: the default rule must never pin down
    a count of 1-4."""
    warehouse = Warehouse(demo_warehouse)
    rule = Rule("vipunen")
    attempts = recovered = 0
    for base in filter_sets(warehouse):
        for key in ("professors", "doctoral", "other_staff"):
            everyone = metrics.share_trend(warehouse, base, (key,), rule).set_index("year")
            raw = metrics._raw_counts(warehouse, (key,), base, ["year", "citizenship"])
            small = raw[(raw["international"] >= 1) & (raw["international"] <= 4)]
            for country in sorted(set(small["citizenship"]))[:8]:
                others = tuple(c for c in warehouse.options.countries if c != country)
                rest = metrics.share_trend(warehouse, Filters(**{**base.__dict__, "countries": others}), (key,), rule)
                rest = rest.set_index("year")
                for year in small[small["citizenship"] == country]["year"]:
                    a, b = everyone.loc[year], rest.loc[year]
                    attempts += 1
                    options = feasible(a["international_low"], a["international_high"],
                                       b["international_low"], b["international_high"])
                    true = int(raw[(raw["year"] == year) & (raw["citizenship"] == country)]["international"].sum())
                    assert true in options
                    recovered += len(options) == 1
    assert attempts > 100
    assert recovered == 0


def _splits(warehouse: Warehouse, year: int, genders: bool = True):
    """Pairs of filters that part everyone in two: one unit and the others, one gender and the others."""
    years, units = (year, year), warehouse.options.units
    for unit in units:
        yield Filters(years=years, units=(unit,)), Filters(years=years, units=tuple(u for u in units if u != unit))
    for gender in ("female", "male") if genders else ():
        others = tuple(g for g in warehouse.options.genders if g != gender)
        yield Filters(years=years, genders=(gender,)), Filters(years=years, genders=others)


def _pinned(part: tuple[int, int], whole, rest, column: str) -> list[int]:
    """What an attacker concludes about a part known to lie in `part` (low, high), from everyone and the rest
    (a row that is not there is nobody)."""
    rest_low, rest_high = (0, 0) if rest is None else (rest[f"{column}_low"], rest[f"{column}_high"])
    return list(range(int(max(part[0], whole[f"{column}_low"] - rest_high)),
                      int(min(part[1], whole[f"{column}_high"] - rest_low)) + 1))


def country_list_attack(warehouse: Warehouse, rule: Rule) -> tuple[int, int]:
    """One unit's (or gender's) people from a country, too few to be named in its list (0-4), against everyone
    from the country and the rest: how often that gives the exact count (on the Countries page, professors from
    Germany 12, men 6 gave the women)."""
    attempts = recovered = 0
    unnamed = (0, disclosure.smallest_shown(rule) - 1)
    for key in ("professors", "doctoral", "other_staff"):
        for year in warehouse.options.people_years[::4]:
            def listed(filters: Filters):
                return metrics.country_counts(warehouse, filters, key, year, rule).set_index("citizenship")
            whole = listed(Filters(years=(year, year)))
            for part_filters, rest_filters in _splits(warehouse, year):
                part, rest = listed(part_filters), listed(rest_filters)
                exact = metrics._by_country(warehouse, part_filters, key).set_index("citizenship")["headcount"]
                for country in whole.index.intersection(rest.index).difference(part.index):
                    if country == SMALL_COUNTRIES:
                        continue
                    options = _pinned(unnamed, whole.loc[country], rest.loc[country], "headcount")
                    attempts += 1
                    recovered += options == [int(exact.get(country, 0))] and options != [0]
    return attempts, recovered


def exchange_attack(warehouse: Warehouse, rule: Rule) -> tuple[int, int]:
    """One unit's exchanges with a country, shown as a range (1-4), against all units' and the other units'."""
    attempts = recovered = 0
    for year in warehouse.options.exchange_years[::2]:
        def by_country(filters: Filters):
            return mobility.breakdown(warehouse, filters, "partner_country", rule).set_index("partner_country")
        whole = by_country(Filters(years=(year, year)))
        for part_filters, rest_filters in _splits(warehouse, year, genders=False):
            part, rest = by_country(part_filters), by_country(rest_filters)
            exact = mobility._breakdown(warehouse, part_filters, "partner_country").set_index("partner_country")
            for country in part.index.intersection(whole.index):
                for direction in mobility.DIRECTIONS:
                    low, high = part.loc[country, f"{direction}_low"], part.loc[country, f"{direction}_high"]
                    if low == high or high >= disclosure.smallest_shown(rule):   # a small count shown as a range
                        continue
                    options = _pinned((low, high), whole.loc[country],
                                      rest.loc[country] if country in rest.index else None, direction)
                    attempts += 1
                    recovered += options == [int(exact.loc[country, direction])]
    return attempts, recovered


@pytest.mark.parametrize("attack", [country_list_attack, exchange_attack], ids=["countries", "exchanges"])
def test_a_filtered_list_and_its_complement_recover_no_small_count(demo_warehouse, attack):
    attempts, recovered = attack(Warehouse(demo_warehouse), Rule("vipunen"))
    assert attempts > 100
    assert recovered == 0


@pytest.mark.parametrize("attack", [country_list_attack, exchange_attack], ids=["countries", "exchanges"])
def test_without_the_complement_check_the_list_attack_would_work(demo_warehouse, monkeypatch, attack):
    monkeypatch.setattr(disclosure, "complement", lambda protected, *args: protected)
    assert attack(Warehouse(demo_warehouse), Rule("vipunen"))[1] > 10


def test_without_the_complement_check_the_attack_would_work(demo_warehouse, monkeypatch):
    """The attack test can fail: switch the defence off and it finds small counts."""
    monkeypatch.setattr(disclosure, "complement", lambda protected, *args: protected)
    with pytest.raises(AssertionError):
        test_the_differencing_attack_recovers_no_small_count(demo_warehouse)
