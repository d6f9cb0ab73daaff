"""Country names and codes to ISO alpha-3, and the citizenship rule.

Lookups are built once from pycountry (codes, English names and the Finnish and
Swedish translations it ships) plus the alias table below, and applied per
distinct raw value, never per row.
"""

from __future__ import annotations

import gettext
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import pycountry

# Values that mean "citizenship not known" (contract: inputs.md, Countries).
UNKNOWN_MARKERS = frozenset({"", "unknown", "tuntematon", "okand", "xx", "999"})

# Colloquial forms people type that pycountry does not carry. Keys are compared
# after `fold()`, so accents and case do not matter here.
ALIASES: dict[str, str] = {
    # English
    "usa": "USA", "us": "USA", "u.s.a.": "USA", "u.s.": "USA", "america": "USA",
    "united states of america": "USA",
    "uk": "GBR", "u.k.": "GBR", "great britain": "GBR", "britain": "GBR",
    "england": "GBR", "scotland": "GBR", "wales": "GBR", "northern ireland": "GBR",
    "russia": "RUS", "south korea": "KOR", "korea, south": "KOR",
    "north korea": "PRK", "korea, north": "PRK", "iran": "IRN", "syria": "SYR",
    "vietnam": "VNM", "laos": "LAO", "czech republic": "CZE", "turkey": "TUR",
    "holland": "NLD", "the netherlands": "NLD", "macedonia": "MKD",
    "ivory coast": "CIV", "burma": "MMR", "swaziland": "SWZ", "cape verde": "CPV",
    "moldova": "MDA", "tanzania": "TZA", "bolivia": "BOL", "venezuela": "VEN",
    "taiwan": "TWN", "palestine": "PSE", "vatican": "VAT", "brunei": "BRN",
    "micronesia": "FSM", "dr congo": "COD", "democratic republic of the congo": "COD",
    "republic of the congo": "COG", "east timor": "TLS", "hong kong": "HKG",
    "macau": "MAC", "kosovo": "XKX", "stateless": "XXA",
    "soviet union": "SUN", "ussr": "SUN", "yugoslavia": "YUG",
    "czechoslovakia": "CSK", "east germany": "DDR", "gdr": "DDR",
    "serbia and montenegro": "SCG",
    # Finnish
    "venaja": "RUS", "iso-britannia": "GBR", "englanti": "GBR", "britannia": "GBR",
    "etela-korea": "KOR", "pohjois-korea": "PRK", "usa (yhdysvallat)": "USA",
    "yhdysvallat": "USA", "amerikka": "USA", "hollanti": "NLD", "tsekki": "CZE",
    "syyria": "SYR", "palestiina": "PSE",
    "kongo (kinshasa)": "COD", "kongo (brazzaville)": "COG", "makedonia": "MKD",
    "valko-venaja": "BLR", "tansania": "TZA",
    "kansalaisuudeton": "XXA", "neuvostoliitto": "SUN", "jugoslavia": "YUG",
    "tsekkoslovakia": "CSK", "ita-saksa": "DDR",
    # Swedish
    "ryssland": "RUS", "storbritannien": "GBR", "england (storbritannien)": "GBR",
    "sydkorea": "KOR", "nordkorea": "PRK", "forenta staterna": "USA",
    "nederlanderna": "NLD", "holland (nederlanderna)": "NLD", "tjeckien": "CZE",
    "syrien": "SYR", "vitryssland": "BLR", "belarus": "BLR", "moldavien": "MDA",
    "statslos": "XXA", "sovjetunionen": "SUN", "jugoslavien": "YUG",
    "tjeckoslovakien": "CSK", "osttyskland": "DDR",
}

# Former countries and the codes we add are "own codes", not pycountry current ones.
EXTRA_NAMES: dict[str, str] = {"XKX": "Kosovo", "XXA": "Stateless"}

_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower-case, accent-free, single-spaced form used for every comparison."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped).strip().casefold()


@dataclass(frozen=True)
class CountryIndex:
    lookup: dict[str, str]
    ambiguous: frozenset[str]


def _translations(domain: str, language: str) -> gettext.NullTranslations:
    return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[language], fallback=True)


@lru_cache(maxsize=1)
def country_index() -> CountryIndex:
    """Every accepted spelling, folded, mapped to an alpha-3 code.

    Priority decides clashes: aliases, then current countries, then former
    ones, so the current Belarus keeps `BY` while the Byelorussian SSR does
    not. Keys claimed by two entries of the same priority (historic `CS` and
    numeric `891`) are ambiguous and rejected rather than guessed.
    """
    candidates: dict[str, dict[int, set[str]]] = {}

    def claim(key: str | None, code: str, priority: int) -> None:
        if key:
            candidates.setdefault(fold(key), {}).setdefault(priority, set()).add(code)

    translations = [_translations("iso3166-1", lang) for lang in ("fi", "sv")]
    for country in pycountry.countries:
        code = country.alpha_3
        for key in (country.alpha_2, country.alpha_3, country.numeric):
            claim(key, code, 1)
        names = {country.name, getattr(country, "common_name", None), getattr(country, "official_name", None)}
        for name in filter(None, names):
            claim(name, code, 1)
            for tr in translations:
                claim(tr.gettext(name), code, 1)

    historic_translations = [_translations("iso3166-3", lang) for lang in ("fi", "sv")]
    for country in pycountry.historic_countries:
        code = country.alpha_3
        for key in (country.alpha_2, country.alpha_3, getattr(country, "numeric", None), country.alpha_4):
            claim(key, code, 2)
        claim(country.name, code, 2)
        for tr in historic_translations:
            claim(tr.gettext(country.name), code, 2)

    for code, name in EXTRA_NAMES.items():
        claim(code, code, 1)
        claim(name, code, 1)
    for alias, code in ALIASES.items():
        claim(alias, code, 0)

    lookup: dict[str, str] = {}
    ambiguous: set[str] = set()
    for key, by_priority in candidates.items():
        best = by_priority[min(by_priority)]
        if len(best) == 1:
            lookup[key] = next(iter(best))
        else:
            ambiguous.add(key)
    for marker in UNKNOWN_MARKERS:
        lookup.pop(marker, None)
        ambiguous.discard(marker)
    return CountryIndex(lookup, frozenset(ambiguous))


class CountryError(ValueError):
    """A value that names no country (or names several)."""


def parse_country(value: str | None) -> str | None:
    """One country value to alpha-3; None for an unknown marker."""
    key = fold(value or "")
    if key in UNKNOWN_MARKERS:
        return None
    index = country_index()
    if key in index.lookup:
        return index.lookup[key]
    if key.isdigit() and key.zfill(3) in index.lookup:
        return index.lookup[key.zfill(3)]
    if key in index.ambiguous:
        raise CountryError("ambiguous: it names more than one country; use an alpha-3 code")
    raise CountryError("not a country")


_LIST_SEPARATORS = re.compile(r"[;|]")


def citizenship_list(value: str | None) -> list[str]:
    """Every known citizenship of a raw (possibly multiple) value, in its order, each once."""
    codes = [parse_country(part) for part in _LIST_SEPARATORS.split(value or "")]
    return list(dict.fromkeys(code for code in codes if code is not None))


def citizenship(value: str | None, home: str) -> str | None:
    """The citizenship that counts for a raw (possibly multiple) value.

    Statistics Finland's rule: the home country wins when present; otherwise
    the first known citizenship listed; unknown when none is known.
    """
    known = citizenship_list(value)
    if home in known:
        return home
    return known[0] if known else None


def country_name(code: str) -> str:
    """English short name for display (current, former or one of our own codes)."""
    if code in EXTRA_NAMES:
        return EXTRA_NAMES[code]
    country = pycountry.countries.get(alpha_3=code) or pycountry.historic_countries.get(alpha_3=code)
    if country is None:
        return code
    return getattr(country, "common_name", None) or country.name


def home_country_code(value: str) -> str:
    """Validate a configured home country (any accepted spelling) to alpha-3."""
    code = parse_country(value)
    if code is None or code in {"XXA"}:
        raise CountryError(f"home country {value!r} is not a country")
    return code
