"""Names people read for codes: populations, categories, regions, units, countries."""

from __future__ import annotations

import gettext
from functools import lru_cache

import pycountry

from app.words.i18n import language, t, tc
from etl.config import load_config
from etl.countries import country_name

# The code under which country figures list the countries with a count the rule does not show, together
# (metrics.country_counts), defined here with its name.
SMALL_COUNTRIES = "small"


def university() -> str:
    """The university's name as configured (config.toml [university] name)."""
    return load_config().get("university", {}).get("name") or t("the university")


def population(key: str) -> str:
    """As a chart legend or card title."""
    return {
        "professors": t("Professors"),
        "teaching_research": t("Teaching and research staff"),
        "other_teaching_research": t("Other teaching and research staff"),
        "other_staff": t("Other staff"),
        "all_staff": t("All staff"),
        "degree_students": t("Degree students"),
        "bachelor": t("Bachelor's students"),
        "master": t("Master's students"),
        "doctoral": t("Doctoral students"),
        "new_students": t("New degree students"),
    }[key]


def population_short(key: str) -> str:
    """For narrow places such as headline cards."""
    return t("Teaching & research") if key == "teaching_research" else population(key)


def international_people(key: str, of: bool = False) -> str:
    """'international professors', as the subject of a sentence; with `of`, as in
    'the share of international professors' (Finnish needs the genitive there)."""
    if of:
        return {
            "professors": tc("of", "international professors"),
            "teaching_research": tc("of", "international teaching and research staff"),
            "other_teaching_research": tc("of", "international other teaching and research staff"),
            "other_staff": tc("of", "international other staff"),
            "all_staff": tc("of", "international staff"),
            "degree_students": tc("of", "international degree students"),
            "bachelor": tc("of", "international bachelor's students"),
            "master": tc("of", "international master's students"),
            "doctoral": tc("of", "international doctoral students"),
            "new_students": tc("of", "international new degree students"),
        }[key]
    return {
        "professors": t("international professors"),
        "teaching_research": t("international teaching and research staff"),
        "other_teaching_research": t("international other teaching and research staff"),
        "other_staff": t("international other staff"),
        "all_staff": t("international staff"),
        "degree_students": t("international degree students"),
        "bachelor": t("international bachelor's students"),
        "master": t("international master's students"),
        "doctoral": t("international doctoral students"),
        "new_students": t("international new degree students"),
    }[key]


def category(key: str) -> str:
    return {"home": t("Home country"), "international": t("International"),
            "other_international": t("Other international"), "unknown": t("Unknown")}[key]


def origin(key: str) -> str:
    """International or domestic people (the careers charts' two groups)."""
    return {"international": t("International"), "home": t("Domestic")}[key]


def region(key: str) -> str:
    return {"nordic": t("Nordic countries"), "eu_eea": t("Rest of EU/EEA"), "europe_other": t("Rest of Europe"),
            "asia": t("Asia"), "africa": t("Africa"), "americas": t("Americas"), "oceania": t("Oceania"),
            "other": t("Other or stateless"), "several": t("Several regions")}[key]


def staff_group(key: str) -> str:
    return {"professor": t("Professors"), "teaching_research": t("Other teaching and research staff"),
            "other": t("Other staff")}[key]


def level(key: str) -> str:
    return {"bachelor": t("Bachelor's"), "master": t("Master's"), "doctoral": t("Doctoral")}[key]


def direction(key: str) -> str:
    return {"incoming": t("Incoming"), "outgoing": t("Outgoing")}[key]


def mobility_level(key: str) -> str:
    return {"bachelor": t("Bachelor's"), "master": t("Master's"), "doctoral": t("Doctoral"), "staff": t("Staff")}[key]


def programme(key: str) -> str:
    return {"other": t("Other programmes"), "not_given": t("Programme not given"), "bilateral": t("Bilateral")}.get(
        key, key)


def unit_or_missing(code: str) -> str:
    return t("Unit not given") if code == "not_given" else unit(code)


def partners_group(key: str) -> str:
    return {"members": t("Network members"), "others": t("All other institutions")}[key]


def gender(key: str) -> str:
    return {"female": t("Women"), "male": t("Men"), "other": t("Other gender"), "unknown": t("Gender not given")}[key]


def career_stage(stage: int) -> str:
    return {1: t("I Doctoral researcher"), 2: t("II Postdoctoral researcher"),
            3: t("III Independent researcher"), 4: t("IV Professor")}[int(stage)]


def unit(code: str) -> str:
    names = load_config().get("units", {}).get(code, {})
    return names.get(language()) or names.get("en") or code


# Where pycountry's (official) names read oddly in a chart, the names people use.
COUNTRY_NAMES: dict[str, dict[str, str]] = {
    "en": {"RUS": "Russia", "COD": "DR Congo", "COG": "Congo", "PSE": "Palestine", "PRK": "North Korea",
           "CZE": "Czechia", "SUN": "Soviet Union", "YUG": "Yugoslavia", "CSK": "Czechoslovakia",
           "DDR": "East Germany", "SCG": "Serbia and Montenegro", "XKX": "Kosovo", "XXA": "Stateless"},
    "fi": {"RUS": "Venäjä", "GBR": "Iso-Britannia", "USA": "Yhdysvallat", "KOR": "Etelä-Korea",
           "PRK": "Pohjois-Korea", "IRN": "Iran", "TWN": "Taiwan", "SYR": "Syyria", "TZA": "Tansania",
           "BOL": "Bolivia", "VEN": "Venezuela", "MDA": "Moldova", "COD": "Kongon demokraattinen tasavalta",
           "PSE": "Palestiina", "LAO": "Laos", "SUN": "Neuvostoliitto", "YUG": "Jugoslavia",
           "CSK": "Tšekkoslovakia", "DDR": "Itä-Saksa", "SCG": "Serbia ja Montenegro", "XKX": "Kosovo",
           "XXA": "Kansalaisuudeton"},
    "sv": {"RUS": "Ryssland", "GBR": "Storbritannien", "USA": "USA", "KOR": "Sydkorea", "PRK": "Nordkorea",
           "IRN": "Iran", "TWN": "Taiwan", "SYR": "Syrien", "TZA": "Tanzania", "BOL": "Bolivia", "VEN": "Venezuela",
           "MDA": "Moldavien", "COD": "Kongo-Kinshasa", "COG": "Kongo-Brazzaville", "PSE": "Palestina",
           "LAO": "Laos", "CZE": "Tjeckien", "SUN": "Sovjetunionen", "YUG": "Jugoslavien", "CSK": "Tjeckoslovakien",
           "DDR": "Östtyskland", "SCG": "Serbien och Montenegro", "XKX": "Kosovo", "XXA": "Statslös"},
}


@lru_cache(maxsize=None)
def _country_catalogue(lang: str, domain: str) -> gettext.NullTranslations:
    return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[lang], fallback=True)


def country(code: str) -> str:
    """A country's everyday name in the current language (pycountry's translations, with our fixes)."""
    if code == SMALL_COUNTRIES:
        return t("Unnamed countries")
    lang = language()
    if code in COUNTRY_NAMES.get(lang, {}):
        return COUNTRY_NAMES[lang][code]
    name = country_name(code)
    if lang == "en":
        return name
    current = pycountry.countries.get(alpha_3=code)
    record = current or pycountry.historic_countries.get(alpha_3=code)
    if record is None:
        return name
    source = getattr(record, "common_name", None) or record.name
    return _country_catalogue(lang, "iso3166-1" if current else "iso3166-3").gettext(source)


def kind(key: str) -> str:
    return {"staff": t("Staff"), "students": t("Students"), "mobility": t("Mobility"), "partners": t("Partners")}[key]


def country_or_region(value: str) -> str:
    return region(value.split(":", 1)[1]) if value.startswith("region:") else country(value)


def partner_filter(key: str) -> str:
    """The partner table's views (mobility.SHOW)."""
    return {"all": t("All"), "with_exchanges": t("With exchanges"), "without_exchanges": t("Agreement, no exchanges"),
            "not_listed": t("Exchanges, no agreement")}[key]
