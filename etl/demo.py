"""Synthetic raw exports for a fictional Finnish technical university, 2010-2025.

Modelled on published figures of a university like Aalto (six schools, about
4,000-4,500 staff, 11,000-13,000 degree students, about 1,000 exchange students
each way a year, the Unite! alliance). Everything here is invented; the
exports vary in form as real ones do so that the whole ETL path is exercised.
Seeded, so the same call writes the same files.
"""

from __future__ import annotations

import csv
import datetime as dt
import gettext
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pycountry


YEARS = range(2010, 2026)
SEED = 20100101
SERVICES = "SERV"
HOME = "FIN"

# Published headline to reproduce: international professors 9% (2010) and 27% (2022),
# as a share of known citizenships, rounded to whole percent.
PROFESSOR_SHARE = {2010: 0.09, 2022: 0.27}
# Published professor headcounts (key figures), followed exactly; later years drift gently.
PROFESSORS = dict(zip(range(2010, 2018), (230, 239, 293, 329, 369, 388, 386, 386)))

# (alpha-3, weight) for international people; small countries keep small counts real.
STAFF_ORIGINS = [
    ("DEU", 60), ("ITA", 45), ("CHN", 50), ("IND", 55), ("IRN", 40), ("RUS", 35), ("ESP", 30), ("FRA", 30),
    ("VNM", 12), ("PAK", 18), ("NPL", 10), ("USA", 20), ("GRC", 15), ("NLD", 12), ("GBR", 15), ("SWE", 14),
    ("EST", 15), ("POL", 12), ("TUR", 12), ("BGD", 8), ("BRA", 10), ("JPN", 8), ("KOR", 6), ("CAN", 6),
    ("PRT", 10), ("HUN", 6), ("AUT", 6), ("BEL", 5), ("ROU", 6), ("UKR", 8), ("EGY", 5), ("NGA", 4),
    ("GHA", 3), ("ETH", 2), ("MEX", 5), ("COL", 4), ("CHL", 3), ("AUS", 4), ("NZL", 2), ("NOR", 4),
    ("DNK", 4), ("ISL", 1), ("LVA", 3), ("LTU", 3), ("CZE", 5), ("SVK", 3), ("SRB", 3), ("HRV", 2),
    ("BGR", 3), ("IDN", 3), ("MYS", 2), ("THA", 2), ("LKA", 3), ("TWN", 3), ("ISR", 2), ("LBN", 1),
    ("KEN", 2), ("ZAF", 2), ("ARG", 2), ("PER", 1), ("MNG", 1), ("XKX", 1), ("BTN", 1), ("FJI", 1),
]
STUDENT_ORIGINS = [
    ("CHN", 70), ("VNM", 45), ("RUS", 45), ("IND", 40), ("PAK", 35), ("NPL", 40), ("BGD", 20), ("IRN", 25),
    ("DEU", 25), ("ITA", 15), ("ESP", 12), ("FRA", 12), ("EST", 20), ("TUR", 15), ("USA", 10), ("GRC", 8),
    ("UKR", 12), ("NGA", 10), ("GHA", 8), ("KOR", 6), ("JPN", 5), ("BRA", 6), ("MEX", 5), ("IDN", 6),
    ("KEN", 4), ("ETH", 3), ("EGY", 4), ("SWE", 6), ("NLD", 5), ("POL", 5), ("LVA", 3), ("CAN", 3),
    ("MNG", 2), ("KAZ", 2), ("LKA", 3), ("PHL", 3), ("CMR", 3), ("TWN", 2), ("ISL", 1), ("NIC", 1),
]

FIRST_NAMES = ["Aino", "Eero", "Liisa", "Mikko", "Sanna", "Juha", "Kaisa", "Ville", "Anna", "Lars", "Maria", "Wei",
               "Priya", "Ali", "Sofia", "Marco", "Elena", "Jonas", "Nguyen", "Fatima", "Olga", "Pedro", "Hannah"]
LAST_NAMES = ["Virtanen", "Korhonen", "Nieminen", "Mäkinen", "Hämäläinen", "Laine", "Rossi", "Müller", "Zhang",
              "Sharma", "Hosseini", "Ivanova", "García", "Dubois", "Tran", "Khan", "Smith", "Andersson", "Novak"]

UNITE = [
    ("D  DARMSTA01", "Technische Universität Darmstadt", "DEU", "Darmstadt"),
    ("S  STOCKHO04", "KTH Royal Institute of Technology", "SWE", "Stockholm"),
    ("F  GRENOBL22", "Grenoble INP - UGA", "FRA", "Grenoble"),
    ("I  TORINO02", "Politecnico di Torino", "ITA", "Torino"),
    ("E  BARCELO03", "Universitat Politècnica de Catalunya", "ESP", "Barcelona"),
    ("P  LISBOA109", "Universidade de Lisboa", "PRT", "Lisboa"),
    ("A  GRAZ02", "Technische Universität Graz", "AUT", "Graz"),
    ("PL WROCLAW02", "Wrocław University of Science and Technology", "POL", "Wrocław"),
]
NORDIC_FIVE_TECH = [
    ("S  GOTEBOR02", "Chalmers University of Technology", "SWE", "Göteborg"),
    ("DK LYNGBY01", "Technical University of Denmark", "DNK", "Lyngby"),
    ("N  TRONDHE01", "Norwegian University of Science and Technology", "NOR", "Trondheim"),
]
WELL_KNOWN = [
    ("CH ZURICH07", "ETH Zürich", "CHE", "Zürich"),
    ("CH LAUSANN02", "École Polytechnique Fédérale de Lausanne", "CHE", "Lausanne"),
    ("D  MUNCHEN02", "Technische Universität München", "DEU", "München"),
    ("D  AACHEN01", "RWTH Aachen University", "DEU", "Aachen"),
    ("NL DELFT01", "Delft University of Technology", "NLD", "Delft"),
    ("NL EINDHOV17", "Eindhoven University of Technology", "NLD", "Eindhoven"),
    ("B  LEUVEN01", "KU Leuven", "BEL", "Leuven"),
    ("I  MILANO02", "Politecnico di Milano", "ITA", "Milano"),
    ("E  MADRID05", "Universidad Politécnica de Madrid", "ESP", "Madrid"),
    ("F  PARIS470", "Université Paris-Saclay", "FRA", "Paris"),
    ("UK CAMBRID01", "University of Cambridge", "GBR", "Cambridge"),
    ("EE TALLINN04", "Tallinn University of Technology", "EST", "Tallinn"),
    ("BIL-CHN-001", "Tsinghua University", "CHN", "Beijing"),
    ("BIL-SGP-001", "National University of Singapore", "SGP", "Singapore"),
    ("BIL-JPN-001", "The University of Tokyo", "JPN", "Tokyo"),
    ("BIL-USA-001", "Massachusetts Institute of Technology", "USA", "Cambridge, MA"),
    ("BIL-AUS-001", "University of Melbourne", "AUS", "Melbourne"),
    ("BIL-CAN-001", "University of Toronto", "CAN", "Toronto"),
    ("BIL-KOR-001", "KAIST", "KOR", "Daejeon"),
    ("BIL-BRA-001", "Universidade de São Paulo", "BRA", "São Paulo"),
]
# Where generated partners come from, with cities and a naming style.
PARTNER_COUNTRIES = {
    "DEU": ["Berlin", "Hamburg", "Köln", "Stuttgart", "Dresden", "Karlsruhe", "Hannover", "Bremen", "Ulm", "Jena"],
    "FRA": ["Lyon", "Toulouse", "Lille", "Nantes", "Bordeaux", "Strasbourg", "Rennes", "Nancy"],
    "ITA": ["Roma", "Bologna", "Padova", "Napoli", "Pisa", "Trento", "Genova"],
    "ESP": ["Valencia", "Sevilla", "Bilbao", "Zaragoza", "Granada", "Salamanca"],
    "NLD": ["Amsterdam", "Utrecht", "Groningen", "Twente", "Leiden"],
    "BEL": ["Gent", "Liège", "Brussel", "Antwerpen"], "AUT": ["Wien", "Innsbruck", "Linz", "Salzburg"],
    "CHE": ["Basel", "Bern", "Genève"], "SWE": ["Uppsala", "Lund", "Linköping", "Umeå", "Luleå"],
    "NOR": ["Oslo", "Bergen", "Tromsø"], "DNK": ["København", "Aarhus", "Aalborg", "Odense"],
    "ISL": ["Reykjavík"], "EST": ["Tartu"], "LVA": ["Riga"], "LTU": ["Vilnius", "Kaunas"],
    "POL": ["Warszawa", "Kraków", "Gdańsk", "Poznań", "Łódź"], "CZE": ["Praha", "Brno", "Ostrava"],
    "SVK": ["Bratislava", "Košice"], "HUN": ["Budapest", "Szeged", "Debrecen"], "SVN": ["Ljubljana"],
    "HRV": ["Zagreb"], "ROU": ["Bucureşti", "Cluj-Napoca", "Iaşi"], "BGR": ["Sofia"],
    "GRC": ["Athína", "Thessaloníki", "Pátra"], "PRT": ["Porto", "Coimbra", "Aveiro", "Braga"],
    "IRL": ["Dublin", "Cork", "Galway"], "GBR": ["London", "Edinburgh", "Manchester", "Glasgow", "Bristol", "Leeds"],
    "TUR": ["Istanbul", "Ankara", "Izmir"], "SRB": ["Beograd"], "UKR": ["Kyiv", "Lviv"],
    "USA": ["Boston", "Berkeley", "Seattle", "Atlanta", "Austin", "Pittsburgh", "Ann Arbor", "Madison"],
    "CAN": ["Montréal", "Vancouver", "Waterloo", "Calgary"], "MEX": ["Ciudad de México", "Monterrey"],
    "BRA": ["Rio de Janeiro", "Campinas", "Porto Alegre"], "CHL": ["Santiago"], "ARG": ["Buenos Aires"],
    "COL": ["Bogotá", "Medellín"], "CHN": ["Shanghai", "Beijing", "Wuhan", "Hangzhou", "Harbin", "Xi'an", "Nanjing"],
    "JPN": ["Kyoto", "Osaka", "Sendai", "Nagoya", "Tsukuba"], "KOR": ["Seoul", "Pohang", "Busan"],
    "TWN": ["Taipei", "Hsinchu"], "SGP": ["Singapore"], "HKG": ["Hong Kong"], "IND": ["Mumbai", "Delhi", "Chennai", "Bangalore"],
    "VNM": ["Hanoi", "Ho Chi Minh City"], "THA": ["Bangkok"], "IDN": ["Bandung"], "MYS": ["Kuala Lumpur"],
    "AUS": ["Sydney", "Brisbane", "Adelaide", "Perth"], "NZL": ["Auckland", "Christchurch"],
    "ZAF": ["Cape Town", "Stellenbosch"], "KEN": ["Nairobi"], "ETH": ["Addis Ababa"], "GHA": ["Kumasi"],
    "ISR": ["Haifa", "Tel Aviv"], "NPL": ["Kathmandu"], "TZA": ["Dar es Salaam"],
}
EUROPE_ERASMUS = {"DEU", "FRA", "ITA", "ESP", "NLD", "BEL", "AUT", "CHE", "SWE", "NOR", "DNK", "ISL", "EST", "LVA", "LTU",
                  "POL", "CZE", "SVK", "HUN", "SVN", "HRV", "ROU", "BGR", "GRC", "PRT", "IRL", "TUR", "SRB"}
NORDPLUS = {"SWE", "NOR", "DNK", "ISL", "EST", "LVA", "LTU"}

_fi = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fi"])
_sv = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["sv"])
_FINNISH_FORMS = {"RUS": "Venäjä", "GBR": "Iso-Britannia", "KOR": "Etelä-Korea", "IRN": "Iran", "XKX": "Kosovo",
                  "USA": "Yhdysvallat", "TWN": "Taiwan", "TZA": "Tansania"}
_ENGLISH_FORMS = {"RUS": "Russia", "IRN": "Iran", "KOR": "South Korea", "VNM": "Vietnam", "USA": "USA",
                  "GBR": "United Kingdom", "TWN": "Taiwan", "XKX": "Kosovo", "TZA": "Tanzania", "CZE": "Czech Republic"}


def _country(code: str):
    return pycountry.countries.get(alpha_3=code)


def render_country(code: str | None, style: str, rng: np.random.Generator) -> str:
    """One citizenship as a given source system would have typed it."""
    if code is None:
        return ["", "tuntematon", "XX", "999", "unknown"][int(rng.integers(5))] if style != "alpha3" else ""
    country = _country(code)
    if style == "fi":
        return _FINNISH_FORMS.get(code) or _fi.gettext(getattr(country, "common_name", None) or country.name)
    if style == "sv":
        return _sv.gettext(country.name) if country else code
    if style == "en":
        return _ENGLISH_FORMS.get(code) or getattr(country, "common_name", None) or country.name
    if style == "alpha2":
        return country.alpha_2 if country else code
    if style == "numeric":
        return country.numeric if country else code
    return code


@dataclass
class Person:
    pid: str
    citizenship: str | None       # the one that counts (the truth the ETL must recover)
    second: str | None            # a second citizenship, listed after (or before) the first
    gender: str
    unit: str
    stage: int | None = None
    fte: float | None = 1.0
    name: str = ""
    started: int = 0
    duration: int = 99
    hired_as: str | None = None     # citizenship at first employment (staff)
    schooled_in: str | None = None  # country of the qualification that gave admission (students)


@dataclass
class Pool:
    """People of one group over the years: some leave each year, new ones join,
    so that each year has exactly the targeted domestic, international and unknown counts."""
    rng: np.random.Generator
    prefix: str
    origins: list[tuple[str, int]]
    units: list[tuple[str, float]]
    attrition: float
    attrition_abroad: float | None = None   # of foreign citizens, when they leave more (or less) often
    naturalised: float = 0.0      # of home citizens joining: naturalised before, foreign at first employment
    naturalising: float = 0.0     # of foreign citizens present four years or more: naturalised each year
    schooled_abroad: float = 0.03  # of home citizens: admitted on a qualification from abroad
    counter: int = 0
    people: dict[str, list[Person]] = field(default_factory=lambda: {"home": [], "intl": [], "unknown": []})

    def _new(self, category: str, year: int) -> Person:
        self.counter += 1
        rng = self.rng
        codes, weights = zip(*self.origins)
        p = np.array(weights, float) / sum(weights)
        drawn = codes[int(rng.choice(len(codes), p=p))]
        citizenship = {"home": HOME, "unknown": None}.get(category, drawn)
        second = None
        hired_as = citizenship
        if category == "home" and rng.random() < 0.04:
            second = codes[int(rng.choice(len(codes), p=p))]   # a dual citizen since birth
        elif category == "home" and rng.random() < self.naturalised:
            # Came from abroad and became a citizen before joining; most keep their first citizenship.
            hired_as = drawn
            second = drawn if rng.random() < 0.7 else None
        elif category == "intl" and rng.random() < 0.03:
            second = codes[int(rng.choice(len(codes), p=p))]
            if second == citizenship:
                second = None
        schooled_in = self._schooled_in(category, drawn)
        unit_names, unit_weights = zip(*self.units)
        unit = unit_names[int(rng.choice(len(unit_names), p=np.array(unit_weights) / sum(unit_weights)))]
        gender = ["female", "male", "other"][int(rng.choice(3, p=[0.42, 0.575, 0.005]))]
        name = f"{FIRST_NAMES[int(rng.integers(len(FIRST_NAMES)))]} {LAST_NAMES[int(rng.integers(len(LAST_NAMES)))]}"
        return Person(f"{self.prefix}{self.counter:06d}", citizenship, second, gender, unit, name=name, started=year,
                      hired_as=hired_as, schooled_in=schooled_in)

    def _schooled_in(self, category: str, drawn: str) -> str | None:
        """Where the admitting qualification was taken: most home citizens at home, some abroad; most
        foreign citizens abroad, some (who grew up here) at home; for some the registry does not know."""
        roll = self.rng.random()
        if category == "home":
            return HOME if roll < 1 - self.schooled_abroad else drawn
        if category == "intl":
            return drawn if roll < 0.86 else HOME
        return None if roll < 0.6 else drawn

    def naturalise(self, year: int) -> None:
        """Some foreign citizens who have stayed for years become citizens of the home country (most keep
        their first citizenship): the register then counts them as home from this year on."""
        for person in list(self.people["intl"]):
            if year - person.started >= 4 and self.rng.random() < self.naturalising:
                # A new record: the earlier years' rosters keep the citizenship the person had then.
                citizen = replace(person, citizenship=HOME,
                                  second=person.citizenship if self.rng.random() < 0.7 else None)
                self.people["intl"].remove(person)
                self.people["home"].append(citizen)

    def promote(self, rates: dict[int, float], rates_abroad: dict[int, float]) -> None:
        """Some move up a research career stage each year (a new record: earlier rosters keep the old stage)."""
        for category, people in self.people.items():
            chances = rates_abroad if category == "intl" else rates
            self.people[category] = [replace(p, stage=p.stage + 1)
                                     if p.stage in chances and self.rng.random() < chances[p.stage] else p
                                     for p in people]

    def year(self, year: int, targets: dict[str, int], promoted_from: Pool | None = None,
             promoted: float = 0.0) -> list[tuple[Person, bool]]:
        """The people present in `year`, each with whether they are new this year; of the places to fill, a
        share `promoted` goes to people of `promoted_from` at the stage below (who leave that pool)."""
        present: list[tuple[Person, bool]] = []
        self.naturalise(year)
        for category, target in targets.items():
            leaving = self.attrition_abroad if category == "intl" and self.attrition_abroad is not None \
                else self.attrition
            stayers = [p for p in self.people[category]
                       if year - p.started < p.duration and self.rng.random() >= leaving]
            if len(stayers) > target:
                keep = sorted(self.rng.choice(len(stayers), size=target, replace=False))
                stayers = [stayers[i] for i in keep]
            joiners = []
            for _ in range(target - len(stayers)):
                below = [p for p in promoted_from.people[category] if p.stage == 3] if promoted_from else []
                if below and self.rng.random() < promoted:
                    chosen = below[int(self.rng.integers(len(below)))]
                    promoted_from.people[category].remove(chosen)
                    joiners.append(replace(chosen, stage=4))
                else:
                    joiners.append(self._new(category, year))
            self.people[category] = stayers + joiners
            present += [(p, False) for p in stayers] + [(p, True) for p in joiners]
        return present


def _interpolate(year: int, points: dict[int, float]) -> float:
    xs = sorted(points)
    return float(np.interp(year, xs, [points[x] for x in xs]))


def _split(total: int, share: float, unknown: int) -> dict[str, int]:
    known = total - unknown
    intl = round(share * known)
    return {"home": known - intl, "intl": intl, "unknown": unknown}


SCHOOL_WEIGHTS = [("ARTS", 0.10), ("BIZ", 0.12), ("CHEM", 0.15), ("ELEC", 0.18), ("ENG", 0.17), ("SCI", 0.28)]


def staff_rosters(rng: np.random.Generator) -> dict[int, list[tuple[str, Person]]]:
    professors = Pool(rng, "H", STAFF_ORIGINS, SCHOOL_WEIGHTS, attrition=0.05, naturalised=0.025, naturalising=0.03)
    # Early-career researchers on fixed-term contracts leave far more often than professors, and those from
    # abroad more often still (many move on to another country); some move up a stage each year.
    researchers = Pool(rng, "H", STAFF_ORIGINS, SCHOOL_WEIGHTS, attrition=0.15, attrition_abroad=0.24,
                       naturalised=0.02, naturalising=0.03)
    others = Pool(rng, "H", STAFF_ORIGINS, SCHOOL_WEIGHTS + [(SERVICES, 0.9)], attrition=0.07, naturalised=0.03,
                  naturalising=0.03)
    researchers.counter, others.counter = 200_000, 500_000
    rosters = {}
    for year in YEARS:
        researchers.promote({1: 0.14, 2: 0.09}, {1: 0.11, 2: 0.07})
        n_prof = PROFESSORS.get(year) or round(_interpolate(year, {2017: 386, 2019: 392, 2025: 389}))
        share = _interpolate(year, {2010: 0.09, 2022: 0.27, 2025: 0.285})
        targets = _split(n_prof, share, unknown=2 if year < 2016 else 3)
        if year in PROFESSOR_SHARE:
            known = n_prof - targets["unknown"]
            assert round(100 * targets["intl"] / known) == round(100 * PROFESSOR_SHARE[year])
        # A third of new professors come from the university's own senior researchers.
        roster = [("professor", p) for p, _ in professors.year(year, targets, researchers, promoted=0.33)]
        n_res = round(_interpolate(year, {2010: 2000, 2023: 2400, 2025: 2420}))
        roster += [("teaching_research", p) for p, _ in researchers.year(
            year, _split(n_res, _interpolate(year, {2010: 0.28, 2023: 0.52, 2025: 0.53}), unknown=round(n_res * 0.01)))]
        n_other = round(_interpolate(year, {2010: 1700, 2025: 1650}))
        roster += [("other", p) for p, _ in others.year(
            year, _split(n_other, _interpolate(year, {2010: 0.05, 2025: 0.12}), unknown=round(n_other * 0.02)))]
        for group, person in roster:
            if person.stage is None:
                person.stage = 4 if group == "professor" else (int(rng.choice([1, 2, 3], p=[0.45, 0.33, 0.22]))
                                                               if group == "teaching_research" else None)
                person.fte = float(rng.choice([1.0, 1.0, 1.0, 1.0, 0.8, 0.6, 0.5]))
        rosters[year] = roster
    return rosters


def student_rosters(rng: np.random.Generator) -> dict[int, list[tuple[str, Person, bool]]]:
    levels = {
        "bachelor": (Pool(rng, "", STUDENT_ORIGINS, SCHOOL_WEIGHTS, attrition=0.27, schooled_abroad=0.02), 4700,
                     {2010: 0.03, 2017: 0.04, 2020: 0.08, 2025: 0.11}),
        "master": (Pool(rng, "", STUDENT_ORIGINS, SCHOOL_WEIGHTS, attrition=0.42, schooled_abroad=0.05), 5000,
                   {2010: 0.20, 2025: 0.38}),
        "doctoral": (Pool(rng, "", STUDENT_ORIGINS, SCHOOL_WEIGHTS, attrition=0.17, schooled_abroad=0.08), 2000,
                     {2010: 0.40, 2018: 0.50, 2025: 0.53}),
    }
    levels["master"][0].counter, levels["doctoral"][0].counter = 300_000, 600_000
    rosters = {}
    for year in YEARS:
        roster = []
        growth = 1 + 0.007 * (year - 2010)
        for level, (pool, size, shares) in levels.items():
            total = round(size * growth * (1.0 if level != "bachelor" else 0.98))
            share = _interpolate(year, shares)
            present = pool.year(year, _split(total, share, unknown=round(total * 0.004)))
            # In the first year everyone joins the pool; as many start then as in any year, not all of them.
            roster += [(level, p, new if year > YEARS[0] else bool(rng.random() < pool.attrition))
                       for p, new in present]
        # A few bachelors start their master's in the same academic year: one
        # student, two levels, counted once at each.
        bachelors = [p for level, p, _ in roster if level == "bachelor" and p.citizenship == HOME]
        masters_new = [i for i, (level, p, new) in enumerate(roster) if level == "master" and new and p.citizenship == HOME]
        for b, i in zip(bachelors[:40], masters_new[:40]):
            roster[i][1].pid = b.pid
        rosters[year] = roster
    return rosters


# --- writing ----------------------------------------------------------------

def _write_csv(path: Path, header: list[str], rows: list[list], delimiter: str, encoding: str) -> None:
    with path.open("w", newline="", encoding=encoding) as handle:
        writer = csv.writer(handle, delimiter=delimiter, quoting=csv.QUOTE_MINIMAL)
        writer.writerow(header)
        writer.writerows(rows)


def _write_xlsx(path: Path, header: list[str], rows: list[list]) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Export")
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    # Fixed timestamps inside the zip keep the demo byte-for-byte reproducible.
    _normalise_zip_times(path)


def _normalise_zip_times(path: Path) -> None:
    import zipfile

    with zipfile.ZipFile(path) as source:
        items = [(info, source.read(info.filename)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in items:
            info.date_time = (2026, 1, 1, 0, 0, 0)
            if info.filename == "docProps/core.xml":
                import re
                data = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2026-01-01T00:00:00Z", data)
            target.writestr(info, data)


def _citizenship_text(person: Person, style: str, rng: np.random.Generator) -> str:
    first = render_country(person.citizenship, style, rng)
    if person.second is None:
        return first
    second = render_country(person.second, style, rng)
    sep = ";" if rng.random() < 0.7 else "|"
    # The home country may be listed second; the rule still counts it as home.
    return f"{second}{sep}{first}" if person.citizenship == HOME else f"{first}{sep}{second}"


_GENDER_FI = {"female": "nainen", "male": "mies", "other": "muu"}
_GROUP_FI = {"professor": "professori", "teaching_research": "muu opetus- ja tutkimushenkilöstö", "other": "muu henkilöstö"}
_TITLES = {"professor": "Professor", "teaching_research": "Researcher", "other": "Specialist"}
_LEVEL_FI = {"bachelor": "kandidaatti", "master": "maisteri", "doctoral": "tohtori", "staff": "henkilöstö"}


def write_staff(raw: Path, rng: np.random.Generator) -> list[Path]:
    files = []
    for year, roster in staff_rosters(rng).items():
        rows = []
        for group, p in roster:
            rows.append([p.pid, p.name, year, p.unit, group, p, p.gender, p.fte, p.stage, _TITLES[group]])
            if rng.random() < 0.025 and p.fte == 1.0:  # a small second contract, merged away by the ETL
                rows.append([p.pid, p.name, year, SERVICES, "other", p, p.gender, 0.2, None, "Coordinator"])
        if year <= 2013:
            # Old HR system: Finnish headers and values, semicolons, Windows-1252, decimal comma, no career stage.
            header = ["Henkilönumero", "Nimi", "Vuosi", "Yksikkö", "Henkilöstöryhmä", "Kansalaisuus", "Sukupuoli", "HTV",
                      "Nimike", "Kansalaisuus työsuhteen alkaessa"]
            body = [[pid, name, y, unit, _GROUP_FI[g], _citizenship_text(p, "fi", rng), _GENDER_FI[gender],
                     str(fte).replace(".", ","), title, render_country(p.hired_as, "fi", rng)]
                    for pid, name, y, unit, g, p, gender, fte, _, title in rows]
            path = raw / f"staff_{year}.csv"
            _write_csv(path, header, body, ";", "cp1252")
        elif year <= 2016:
            header = ["person_id", "name", "year", "unit", "staff_group", "citizenship", "gender", "fte", "career_stage",
                      "citizenship_at_hire"]
            body = [[pid, name, y, unit, g, _citizenship_text(p, "alpha3", rng), gender, fte, stage,
                     render_country(p.hired_as, "alpha3", rng)]
                    for pid, name, y, unit, g, p, gender, fte, stage, _ in rows]
            path = raw / f"Staff-{year}.xlsx"
            _write_xlsx(path, header, body)
        else:
            style = "alpha2" if year % 2 else "en"
            header = ["Person ID", "Name", "Year", "Unit", "Staff group", "Citizenship", "Gender", "FTE",
                      "Career stage", "Title", "Cost centre", "Citizenship at hire"]
            body = [[pid, name, y, unit, g, _citizenship_text(p, style, rng), gender, fte, stage or "", title,
                     f"CC{int(rng.integers(1000, 9999))}", render_country(p.hired_as, style, rng)]
                    for pid, name, y, unit, g, p, gender, fte, stage, title in rows]
            path = raw / f"staff_{year}.csv"
            _write_csv(path, header, body, ",", "utf-8-sig" if year >= 2021 else "utf-8")
        files.append(path)
    return files


def write_students(raw: Path, rng: np.random.Generator) -> list[Path]:
    files = []
    for year, roster in student_rosters(rng).items():
        rows = [[p.pid, year, level, p.unit, p, "true" if new else "false", p.gender, f"{p.unit}-{level[:3].upper()}"]
                for level, p, new in roster]
        duplicates = [rows[int(i)] for i in rng.choice(len(rows), size=len(rows) // 300, replace=False)]
        rows += duplicates  # registry exports list some students twice
        if year <= 2015:
            header = ["Opiskelijanumero", "Vuosi", "Tutkintotaso", "Yksikkö", "Kansalaisuus", "Uusi opiskelija",
                      "Sukupuoli", "Koulutusohjelma", "Pohjakoulutusmaa"]
            body = [[sid, y, _LEVEL_FI[lv], unit, _citizenship_text(p, "fi", rng), "kyllä" if new == "true" else "ei",
                     _GENDER_FI[g], prog, render_country(p.schooled_in, "fi", rng)]
                    for sid, y, lv, unit, p, new, g, prog in rows]
            path = raw / f"students_{year}.csv"
            _write_csv(path, header, body, "\t", "utf-8")
        elif year <= 2017:
            style = "sv" if year == 2016 else "numeric"
            header = ["student_id", "year", "level", "unit", "citizenship", "new_entrant", "gender", "programme",
                      "prior_education_country"]
            body = [[sid, y, lv, unit, _citizenship_text(p, style, rng), new == "true", g, prog,
                     render_country(p.schooled_in, style, rng)] for sid, y, lv, unit, p, new, g, prog in rows]
            path = raw / f"Students-{year}-{year + 1}.xlsx"
            _write_xlsx(path, header, body)
        else:
            style = "en" if year % 2 else "alpha3"
            header = ["student_id", "year", "level", "unit", "citizenship", "new_entrant", "gender", "programme",
                      "Prior education country"]
            body = [[sid, y, lv, unit, _citizenship_text(p, style, rng), "1" if new == "true" else "0", g, prog,
                     render_country(p.schooled_in, style, rng)] for sid, y, lv, unit, p, new, g, prog in rows]
            path = raw / f"students_{year}.csv"
            _write_csv(path, header, body, ";", "utf-8")
        files.append(path)
    return files


def _partners(rng: np.random.Generator) -> list[dict]:
    partners = []
    for code, name, country, city in UNITE:
        partners.append(dict(code=code, name=name, country=country, city=city,
                             programmes=["Erasmus+", "Unite!"], networks=["Unite!"], weight=6.0))
    for code, name, country, city in NORDIC_FIVE_TECH:
        partners.append(dict(code=code, name=name, country=country, city=city,
                             programmes=["Erasmus+", "Nordplus"], networks=["Nordic Five Tech"], weight=5.0))
    partners[1]["networks"].append("Nordic Five Tech")  # KTH is in both
    for code, name, country, city in WELL_KNOWN:
        programmes = ["Erasmus+"] if country in EUROPE_ERASMUS or country == "GBR" else ["bilateral"]
        partners.append(dict(code=code, name=name, country=country, city=city, programmes=programmes,
                             networks=[], weight=4.0))
    styles = {"DEU": "Universität {c}", "AUT": "Universität {c}", "CHE": "Universität {c}",
              "FRA": "Université de {c}", "ITA": "Università di {c}", "ESP": "Universidad de {c}",
              "PRT": "Universidade de {c}", "NLD": "University of {c}", "SWE": "{c} universitet",
              "POL": "Politechnika {c}", "CZE": "Technical University of {c}"}
    number = 0
    for country, cities in PARTNER_COUNTRIES.items():
        for city in cities:
            for template in (styles.get(country, "University of {c}"), "{c} University of Technology"):
                if rng.random() < 0.2:
                    continue
                number += 1
                name = template.format(c=city)
                europe = country in EUROPE_ERASMUS
                code = (f"{pycountry.countries.get(alpha_3=country).alpha_2:<3}{city[:7].upper()}{number % 100:02d}"
                        if europe else f"BIL-{country}-{number:03d}")
                programmes = ["Erasmus+"] if europe else ["bilateral"]
                if country in NORDPLUS:
                    programmes.append("Nordplus")
                # A few busy partners, many quiet ones, some with no traffic at all; Europe busiest (Erasmus+).
                weight = min(float(rng.pareto(1.5)), 3.0) * (1.6 if europe else 0.6) if rng.random() > 0.12 else 0.0
                partners.append(dict(code=code, name=name, country=country, city=city, programmes=programmes,
                                     networks=[], weight=weight))
    return partners


def write_partners_and_mobility(raw: Path, rng: np.random.Generator) -> list[Path]:
    partners = _partners(rng)
    partner_rows = []
    for p in partners:
        start = int(rng.integers(2004, 2016))
        partner_rows.append([p["code"], p["name"], p["country"] if rng.random() < 0.5 else render_country(p["country"], "en", rng),
                             p["city"], ";".join(p["programmes"]), ";".join(p["networks"]),
                             dt.date(start, 1, 1), dt.date(2027 + int(rng.integers(0, 3)), 12, 31)])
    partners_path = raw / "partners.xlsx"
    _write_xlsx(partners_path, ["partner_code", "partner_name", "country", "city", "programmes", "networks",
                                "valid_from", "valid_to"], partner_rows)

    weights = np.array([p["weight"] for p in partners])
    probabilities = weights / weights.sum()
    unlisted = [("", "Kyoto Institute of Technology", "JPN"), ("", "Universidad de Chile", "CHL"),
                ("", "University of Nairobi", "KEN"), ("", "Indian Institute of Technology Madras", "IND")]
    rows_by_year = {}
    serial = 0
    for year in YEARS:
        dip = {2020: 0.42, 2021: 0.63}.get(year, 1.0)
        rows = []
        for direction, base in (("outgoing", 980), ("incoming", 1020)):
            count = int(round(base * (1 + 0.01 * (year - 2010)) * dip * rng.normal(1, 0.03)))
            chosen = rng.choice(len(partners), size=count, p=probabilities)
            for i in chosen:
                serial += 1
                level = str(rng.choice(["bachelor", "master", "doctoral", "staff"], p=[0.28, 0.47, 0.1, 0.15]))
                partner = partners[int(i)]
                code, name, country = partner["code"], partner["name"], partner["country"]
                if rng.random() < 0.015:
                    code, name, country = unlisted[int(rng.integers(len(unlisted)))]
                autumn = rng.random() < 0.55
                start = dt.date(year, 8 if autumn else 1, int(rng.integers(20, 31)) if autumn else int(rng.integers(5, 20)))
                days = int(rng.integers(5, 15)) if level == "staff" else int(rng.choice([120, 135, 150, 280, 300]))
                end = start + dt.timedelta(days=days) if rng.random() > 0.02 else None
                # Any programme of the agreement; Unite! only once the alliance started (2019), a few others.
                offered = [p for p in partner["programmes"] if p != "Unite!" or year >= 2019] if code else ["bilateral"]
                programme = str(rng.choice(offered)) if rng.random() > 0.03 else "Fulbright"
                unit = SCHOOL_WEIGHTS[int(rng.integers(len(SCHOOL_WEIGHTS)))][0] if level != "staff" or rng.random() < 0.8 else ""
                rows.append([f"MOB-{year}-{serial:06d}", direction, start, end, level, unit, code, name, country, programme])
        rows_by_year[year] = rows

    files = [partners_path]
    early = [r for y in YEARS if y <= 2015 for r in rows_by_year[y]]
    path = raw / "mobility_2010-2015.csv"
    _write_csv(path, ["liikkuvuus_id", "suunta", "alkupvm", "loppupvm", "taso", "yksikkö", "partneri_koodi",
                      "partneri", "partnerimaa", "ohjelma"],
               [[mid, {"incoming": "saapuva", "outgoing": "lähtevä"}[d], f"{s.day}.{s.month}.{s.year}",
                 f"{e.day}.{e.month}.{e.year}" if e else "", _LEVEL_FI[lv], unit, code, name,
                 render_country(country, "fi", rng), prog]
                for mid, d, s, e, lv, unit, code, name, country, prog in early], ";", "utf-8")
    files.append(path)
    for first, last in ((2016, 2020), (2021, 2025)):
        path = raw / f"mobility_{first}-{last}.csv"
        _write_csv(path, ["mobility_id", "direction", "start_date", "end_date", "level", "unit", "partner_code",
                          "partner_name", "partner_country", "programme"],
                   [[mid, d, s.isoformat(), e.isoformat() if e else "", lv, unit, code, name,
                     render_country(country, "alpha2", rng), prog]
                    for y in range(first, last + 1) for mid, d, s, e, lv, unit, code, name, country, prog in rows_by_year[y]],
                   ",", "utf-8")
        files.append(path)
    return files


def write_demo(raw: Path) -> list[Path]:
    """Write the synthetic exports into `raw` (created if needed)."""
    raw.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(SEED)
    return write_staff(raw, rng) + write_students(raw, rng) + write_partners_and_mobility(raw, rng)
