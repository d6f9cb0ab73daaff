"""One-sentence summaries of what a chart shows, written from the same data.

Each sentence sits under its chart and serves as its text alternative, so it
uses the same protected figures as the chart.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import pandas as pd

from app.model import definitions
from app.words import labels
from app.words.labels import SMALL_COUNTRIES
from app.words.i18n import fmt_int, fmt_share, fmt_share_range, sentence, share_shown, tn
from app.words import i18n
from app.words.i18n import t as translate


def t(message: str, /, **values: object) -> str:
    """Summaries are sentences: a template may begin with a lower-case placeholder."""
    return sentence(translate(message, **values))


def _pct(x: float) -> str:
    return fmt_share(x)


def _too_small(subject: str) -> str:
    return t("The share of {subject} cannot be shown exactly for these filters: the counts are too small.",
             subject=subject)


def share_change(key: str, years_and_shares: list[tuple[int, float]],
                 ranges: list[tuple[int, float, float]] = (), subject: str | None = None) -> str:
    """'The share of international professors rose from 9% in 2010 to 27% in 2022.' `ranges`: (year, lowest,
    highest) of the shares known only as a range, said when no year has an exact share. `subject`: what the
    share is of, when not the international people of the population `key`."""
    points = [(y, s) for y, s in years_and_shares if s is not None and not math.isnan(s)]
    subject = subject or labels.international_people(key, of=True)
    known = [(y, lo, hi) for y, lo, hi in ranges if not (math.isnan(lo) or math.isnan(hi))]
    if known and (not points or known[-1][0] > points[-1][0]):
        # The latest year's share is known only as a range: said as one, never left out.
        year, low, high = known[-1]
        values = dict(subject=subject, shares=fmt_share_range(low, high), year=year)
        if points:
            return t("The share of {subject} was {share} in {first}; in {year} it is known only as a range, "
                     "{shares}.", share=_pct(points[0][1]), first=points[0][0], **values)
        return t("The share of {subject} is known only roughly, {shares} in {year}: the count of "
                 "international people is too small to show exactly.", **values)
    if not points:
        return _too_small(subject)
    (y0, s0), (y1, s1) = points[0], points[-1]
    if y0 == y1:
        return t("The share of {subject} was {share} in {year}.", subject=subject, share=_pct(s1), year=y1)
    values = dict(subject=subject, start=_pct(s0), first=y0, end=_pct(s1), last=y1)
    if share_shown(s1) > share_shown(s0):
        return t("The share of {subject} rose from {start} in {first} to {end} in {last}.", **values)
    if share_shown(s1) < share_shown(s0):
        return t("The share of {subject} fell from {start} in {first} to {end} in {last}.", **values)
    return t("The share of {subject} was {start} in {first} and {end} in {last}.", **values)


def trend(frame: pd.DataFrame, keys: tuple, subject: Callable[[object], str] | None = None,
          series: str = "population") -> str:
    """How each series' share changed; `subject` says what a series' share is of (by default the international
    people of the population)."""
    sentences = []
    for key in keys:
        rows = frame[frame[series] == key].sort_values("year")
        if not rows.empty:
            ranges = list(zip(rows["year"], rows["share_low"], rows["share_high"])) if "share_low" in rows else []
            sentences.append(share_change(key, list(zip(rows["year"], rows["share"])), ranges,
                                          subject(key) if subject else None))
    return " ".join(sentences)


def retention(frame: pd.DataFrame, cohorts: dict[int, tuple[int, int] | None]) -> str:
    """'International: 77% still here after 1 year, 44% after 3 years, 26% after 5 years.' and the same for home
    people, then which cohorts each figure covers."""
    sentences = []
    for origin in ("international", "home"):
        rows = frame[frame["origin"] == origin].sort_values("years_after")
        parts = [tn("{share} after {n} year", "{share} after {n} years", int(a),
                    share=fmt_share(sh) if sh == sh else fmt_share_range(lo, hi) if lo == lo else translate("withheld"))
                 for a, sh, lo, hi in zip(rows["years_after"], rows["share"], rows["share_low"], rows["share_high"])]
        if parts:
            sentences.append(t("{origin}: still at the university {shares}.", origin=labels.origin(origin),
                               shares=", ".join(parts)))
    spans = [tn("after {n} year, those who started in {years}", "after {n} years, those who started in {years}",
                int(a), years=f"{cohorts[a][0]}–{cohorts[a][1]}" if cohorts[a][0] != cohorts[a][1]
                else str(cohorts[a][0]))
             for a in sorted(frame["years_after"].unique()) if cohorts.get(a)]
    if spans:
        sentences.append(t("Counted: {spans}.", spans="; ".join(spans)))
    withheld = frame["share_low"].isna().any()
    if withheld:
        sentences.append(t("A share is withheld where the group is too small for the rule to show it."))
    return " ".join(sentences)


def composition(frame: pd.DataFrame, key: str, definition: str = definitions.REGISTER) -> str:
    """The latest year's parts and their total. The total is the sum of the parts as shown (a range when a
    part is one), so the parts add up to it and it obeys the rule as they do."""
    last_year = int(frame["year"].max())
    rows = frame[frame["year"] == last_year].set_index("category")
    parts = {c: rows.loc[c, "headcount_label"] for c in rows.index}
    if rows["headcount"].notna().all():
        total = fmt_int(int(rows["headcount"].sum()))
    else:
        # The parts as written: an exact part counts as its figure, a range as its ends (the ends of a rounded
        # figure's own uncertainty made "1–4, 401–408, 621, 6; 1,027–1,041 in all").
        low = rows["headcount"].fillna(rows["headcount_low"]).sum()
        high = rows["headcount"].fillna(rows["headcount_high"]).sum()
        total = f"{fmt_int(int(low))}–{fmt_int(int(high))}"
    values = dict(population=labels.population(key), year=last_year, international=parts.get("international", "0"),
                  home=parts.get("home", "0"), unknown=parts.get("unknown", "0"), total=total)
    if definition == definitions.PRIOR_EDUCATION:
        if "other_international" in parts:
            return t("{population} in {year}: {international} with prior education in the chosen countries, {other} "
                     "in other countries abroad, {home} in the home country, {unknown} where it is unknown; {total} "
                     "in all.", other=parts["other_international"], **values)
        return t("{population} in {year}: {international} with prior education abroad, {home} in the home country, "
                 "{unknown} where it is unknown; {total} in all.", **values)
    if definition == definitions.FIRST_EMPLOYMENT:
        if "other_international" in parts:
            return t("{population} in {year}: {international} citizens of the chosen countries at first employment, "
                     "{other} of other foreign countries, {home} citizens of the home country at first employment, "
                     "{unknown} whose citizenship then is unknown; {total} in all.",
                     other=parts["other_international"], **values)
        return t("{population} in {year}: {international} foreign citizens at first employment, {home} citizens of "
                 "the home country at first employment, {unknown} whose citizenship then is unknown; {total} in all.",
                 **values)
    if "other_international" in parts:   # a country filter: international people from elsewhere are a part too
        return t("{population} in {year}: {international} from the chosen countries, {other} international from "
                 "other countries, {home} citizens of the home country, {unknown} of unknown citizenship; {total} in "
                 "all.", other=parts["other_international"], **values)
    return t("{population} in {year}: {international} international, {home} citizens of the home country, {unknown} "
             "of unknown citizenship; {total} in all.", **values)


def ranking(frame: pd.DataFrame, key: str, column: str, name) -> str:
    """Highest and lowest share; shares known only as ranges are counted and said, never passed over."""
    shown = frame.dropna(subset=["share"]).sort_values("share")
    ranged = frame[frame["share"].isna() & frame["share_low"].notna()]
    subject = labels.international_people(key, of=True)
    if shown.empty:
        if ranged.empty:
            return _too_small(subject)
        return t("The share of {subject} is known only roughly for these filters: between {low} and {high}.",
                 subject=subject, low=_pct(ranged["share_low"].min()), high=_pct(ranged["share_high"].max()))
    low, high = shown.iloc[0], shown.iloc[-1]
    if len(shown) == 1:
        said = t("The share of {subject} was {share} in {name}.", subject=subject, share=_pct(high["share"]),
                 name=name(high[column]))
    else:
        said = t("The share of {subject} was highest in {high_name} ({high_share}) and lowest in {low_name} "
                 "({low_share}).", subject=subject, high_name=name(high[column]), high_share=_pct(high["share"]),
                 low_name=name(low[column]), low_share=_pct(low["share"]))
    if ranged.empty:
        return said
    return said + " " + sentence(tn("{n} more is known only as a range and is not ranked.",
                                    "{n} more are known only as ranges and are not ranked.", len(ranged)))


def _named(frame: pd.DataFrame) -> pd.DataFrame:
    """Without the row of countries too small to name (metrics.country_counts)."""
    return frame[frame["citizenship"] != SMALL_COUNTRIES]


def top_countries(frame: pd.DataFrame, key: str, year: int, n: int, definition: str = definitions.REGISTER) -> str:
    top = _named(frame).head(n)
    educated = definition == definitions.PRIOR_EDUCATION
    if top.empty:
        if educated:
            return t("In {year}, no country of prior education of {subject} had enough people to be named.",
                     year=year, subject=labels.international_people(key, of=True))
        return t("In {year}, no citizenship of {subject} had enough people to be named.", year=year,
                 subject=labels.international_people(key, of=True))
    listed = ", ".join(f"{labels.country(c)} ({label})" for c, label in zip(top["citizenship"], top["headcount_label"]))
    if educated:
        text = t("In {year}, the most common countries of prior education of {subject} were {countries}.",
                 year=year, subject=labels.international_people(key, of=True), countries=listed)
    else:
        text = t("In {year}, the most common citizenships of {subject} were {countries}.",
                 year=year, subject=labels.international_people(key, of=True), countries=listed)
    # A list cut at n drops countries tied with its last one without a word: say how many there are.
    named = _named(frame)
    tied = named.iloc[n:][named.iloc[n:]["headcount_label"] == top.iloc[-1]["headcount_label"]] if len(top) == n \
        else named.iloc[0:0]
    if not tied.empty:
        text += " " + sentence(tn("{n} more country also had {count}.", "{n} more countries also had {count} each.",
                                  len(tied), count=top.iloc[-1]["headcount_label"]))
    return text + _unnamed(frame)


def _unnamed(frame: pd.DataFrame) -> str:
    """' 30 more came from countries with too few people each to be named.' when there are such."""
    small = frame[frame["citizenship"] == SMALL_COUNTRIES]
    if small.empty:
        return ""
    return " " + t("{count} more came from countries with too few people each to be named.",
                   count=small.iloc[0]["headcount_label"])


def countries_map(frame: pd.DataFrame, key: str, year: int) -> str:
    named = _named(frame)
    if len(named) < len(frame):
        return sentence(tn("In {year}, {subject} came from {count} country with enough people to be named.",
                           "In {year}, {subject} came from {count} countries with enough people to be named.",
                           len(named), year=year, subject=labels.international_people(key),
                           count=fmt_int(len(named)))) + _unnamed(frame)
    return sentence(tn("In {year}, {subject} came from {count} country.", "In {year}, {subject} came from {count} "
                       "countries.", len(frame), year=year, subject=labels.international_people(key),
                       count=fmt_int(len(frame))))


def regions(frame: pd.DataFrame, key: str) -> str:
    last_year = int(frame["year"].max())
    rows = frame[frame["year"] == last_year].sort_values("headcount_high", ascending=False)
    first, rest = rows.iloc[0], rows.iloc[1:2]
    if rest.empty:
        return t("In {year}, {subject} came from {region} ({count}).", year=last_year,
                 subject=labels.international_people(key), region=labels.region(first["region"]),
                 count=first["headcount_label"])
    second = rest.iloc[0]
    return t("In {year}, most {subject} came from {region} ({count}), followed by {second_region} ({second_count}).",
             year=last_year, subject=labels.international_people(key), region=labels.region(first["region"]),
             count=first["headcount_label"], second_region=labels.region(second["region"]),
             second_count=second["headcount_label"])


def country_trend(frame: pd.DataFrame, country: str, who: str) -> str:
    """`who`: the chart's title, which names whom it counts ("Citizens of Germany", "Prior education in Germany")."""
    last_year = int(frame["year"].max())
    rows = frame[(frame["year"] == last_year) & (frame["headcount_high"] > 0)]
    if rows.empty:
        return t("In {year}, nobody was counted: {who}.", year=last_year, who=who)
    groups = ", ".join(f"{labels.population(p)} {label}" for p, label in zip(rows["population"], rows["headcount_label"]))
    said = t("{who} in {year}: {groups}.", who=who, year=last_year, groups=groups)
    too_small = frame.attrs.get("too_small") or {}
    if too_small.get("groups"):
        said += " " + t("Not drawn, with 0–{most} in every year: {groups}.", most=too_small["most"],
                        groups=", ".join(labels.population(p) for p in too_small["groups"]))
    return said


def exchanges(frame: pd.DataFrame, partner: str | None = None) -> str:
    rows = frame.sort_values("year")
    last = rows.iloc[-1]
    busiest = rows.loc[rows["volume"].idxmax()]
    if partner:
        return t("In {year}, {incoming} exchange periods came from {partner} and {outgoing} went there.",
                 year=int(last["year"]), incoming=last["incoming_label"], outgoing=last["outgoing_label"],
                 partner=partner)
    return t("In {year}, {incoming} exchange periods were incoming and {outgoing} outgoing; the busiest year shown "
             "was {busiest}.", year=int(last["year"]), incoming=last["incoming_label"],
             outgoing=last["outgoing_label"], busiest=int(busiest["year"]))


def largest_flow(frame: pd.DataFrame, column: str, name) -> str:
    # "Most exchange periods were School of Science" read as a majority and as broken English.
    first = frame.iloc[0]
    return t("The largest group was {name}: {incoming} exchange periods incoming and {outgoing} outgoing.",
             name=name(first[column]), incoming=first["incoming_label"], outgoing=first["outgoing_label"])


def _signed(value: float) -> str:
    """+90, −9 (a minus sign, not a hyphen), with the language's digit grouping."""
    return ("+" if value > 0 else "−" if value < 0 else "±") + fmt_int(abs(value))


def balance(frame: pd.DataFrame) -> str:
    exact = frame.dropna(subset=["balance"])
    if exact.empty:
        return t("The balance of exchanges cannot be shown for these filters: the numbers are too small.")
    # Of the countries drawn (the busiest), and each side only when there is one: a "surplus of incoming
    # exchanges" of −3 was said when every country sent fewer than it received.
    most_in, most_out = exact.loc[exact["balance"].idxmax()], exact.loc[exact["balance"].idxmin()]
    parts = []
    if most_in["balance"] > 0:
        parts.append(i18n.t("the largest surplus of incoming exchanges was with {country} ({balance})",
                            country=labels.country(most_in["partner_country"]), balance=_signed(most_in["balance"])))
    if most_out["balance"] < 0:
        parts.append(i18n.t("the largest surplus of outgoing exchanges was with {country} ({balance})",
                            country=labels.country(most_out["partner_country"]), balance=_signed(most_out["balance"])))
    if not parts:
        return t("Among the partner countries shown, as many exchange periods came in as went out.")
    return t("Among the partner countries shown, {parts}.", parts="; ".join(parts))


def flows(frame: pd.DataFrame) -> str:
    incoming = frame.sort_values("incoming_high", ascending=False).iloc[0]
    outgoing = frame.sort_values("outgoing_high", ascending=False).iloc[0]
    return t("Most incoming exchange periods came from {country_in} ({incoming}); most outgoing ones went to "
             "{country_out} ({outgoing}).", country_in=labels.country(incoming["partner_country"]),
             incoming=incoming["incoming_label"], country_out=labels.country(outgoing["partner_country"]),
             outgoing=outgoing["outgoing_label"])


def stay(frame: pd.DataFrame, fewest: int) -> str:
    """The latest year with an average; a direction without one there is named with the reason (it was left
    out without a word)."""
    last_year = int(frame.dropna(subset=["days"])["year"].max())
    rows = frame[frame["year"] == last_year].set_index("direction")
    parts = [t("{direction}: {days} days", direction=labels.direction(d), days=fmt_int(rows.loc[d, "days"]))
             if not pd.isna(rows.loc[d, "days"]) else
             t("{direction}: not shown (fewer than {n} periods)", direction=labels.direction(d), n=fewest)
             for d in rows.index]
    return t("In {year}, a student exchange lasted on average — {parts}.", year=last_year, parts="; ".join(parts))


def partner_countries(frame: pd.DataFrame) -> str:
    top = frame.sort_values("partners", ascending=False).iloc[0]
    return sentence(tn("{university} has partner agreements in {n} country: {country} ({partners}).",
                       "{university} has partner agreements in {n} countries, most in {country} ({partners}).",
                       len(frame), university=labels.university(), country=labels.country(top["country"]),
                       partners=fmt_int(top["partners"])))


def network(frame: pd.DataFrame, name: str) -> str:
    last_year = int(frame["year"].max())
    members = frame[(frame["partners"] == "members") & (frame["year"] == last_year)].iloc[0]
    share = members["share"]
    share_text = fmt_share(share) if not math.isnan(share) else t("a small part")
    return t("In {year}, {count} exchange periods were with {network} members: {share} of all.", year=last_year,
             count=members["headcount_label"], network=name, share=share_text)
