"""World regions used to group countries of origin.

Continents follow the UN M49 standard regions. Three groups come first and take
precedence: the Nordic countries, the rest of the EU/EEA, and the rest of
Europe. Two choices are ours and documented on the methodology page: Turkey (an
Erasmus+ programme country) counts in the rest of Europe, not Asia; former
European states (Soviet Union, Yugoslavia, Czechoslovakia, East Germany, Serbia
and Montenegro) and Kosovo count in the rest of Europe.
"""

from __future__ import annotations

from functools import lru_cache

import pycountry

REGIONS = ("nordic", "eu_eea", "europe_other", "asia", "africa", "americas", "oceania", "other")

NORDIC = set("DK FI IS NO SE FO GL AX SJ".split())
EU_EEA = set("AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE IS LI NO".split())
EUROPE = set(("BY BG CZ HU PL MD RO RU SK UA AX DK EE FO FI GG IS IE IM LV LT NO SJ SE GB JE AL AD BA HR GI GR "
              "VA IT MT ME MK PT SM RS SI ES AT BE FR DE LI LU MC NL CH TR").split())
AFRICA = set(("DZ EG LY MA SD TN EH IO BI KM DJ ER ET KE MG MW MU YT MZ RE RW SC SO SS UG TZ ZM ZW AO CM CF TD "
              "CG CD GQ GA ST BW SZ LS NA ZA BJ BF CV CI GM GH GN GW LR ML MR NE NG SH SN SL TG TF").split())
AMERICAS = set(("AI AG AW BS BB BQ VG KY CU CW DM DO GD GP HT JM MQ MS PR BL KN LC MF VC SX TT TC VI BZ CR SV GT "
                "HN MX NI PA AR BO BV BR CL CO EC FK GF GY PY PE GS SR UY VE BM CA GL PM US").split())
ASIA = set(("KZ KG TJ TM UZ CN HK MO KP JP MN KR TW BN KH ID LA MY MM PH SG TH TL VN AF BD BT IN IR MV NP PK "
            "LK AM AZ BH CY GE IQ IL JO KW LB OM QA SA PS SY AE YE").split())
OCEANIA = set("AU NZ NF FJ NC PG SB VU GU KI MH FM NR MP PW UM AS CK PF NU PN WS TK TO TV WF HM CX CC".split())
FORMER_EUROPEAN = {"SUN", "YUG", "CSK", "DDR", "SCG", "XKX"}


@lru_cache(maxsize=None)
def region_of(alpha3: str) -> str:
    if alpha3 in FORMER_EUROPEAN:
        return "europe_other"
    country = pycountry.countries.get(alpha_3=alpha3)
    if country is None:
        return "other"
    code = country.alpha_2
    if code in NORDIC:
        return "nordic"
    if code in EU_EEA:
        return "eu_eea"
    if code in EUROPE:
        return "europe_other"
    for region, members in (("asia", ASIA), ("africa", AFRICA), ("americas", AMERICAS), ("oceania", OCEANIA)):
        if code in members:
            return region
    return "other"


def all_regions() -> dict[str, str]:
    """alpha-3 -> region for every current country and the former ones we keep."""
    codes = [c.alpha_3 for c in pycountry.countries] + sorted(FORMER_EUROPEAN) + ["XXA"]
    return {code: region_of(code) for code in codes}
