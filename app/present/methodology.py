"""The texts of the methodology page, from the same definitions the metrics use."""

from __future__ import annotations

import pandas as pd

from app.model import definitions as defs
from app.model.disclosure import Rule, protect
from app.words import labels
from app.words.i18n import fmt_int, sentence, t


def definitions(home_country: str) -> str:
    default = defs.configured()
    return "\n\n".join([
        t("## Definitions"),
        t("**Who counts as international** — the sidebar offers four definitions, each applied to the same people; "
          "every chart and file names the one it uses. Without a choice, the dashboard uses {default}.",
          default=defs.name(default)),
        "\n".join(f"- **{sentence(defs.name(key))}** — {defs.explanation(key, home_country)}" for key in defs.KEYS),
        t("**Why several** — national statistics (Statistics Finland, Vipunen) take citizenship from the population "
          "register, where a naturalised person is a citizen of the home country only; QS counts staff whose "
          "citizenship at birth or first passport is foreign; OECD and UNESCO tell foreign students (by citizenship) "
          "from internationally mobile students (by prior education abroad), and the Finnish portal reports the "
          "latter from 2021. The same university can therefore publish different shares for the same year; the "
          "comparison below shows, for one population and year, each definition's share and who moves between "
          "home and international from one to the next."),
        t("**Several citizenships** — by register citizenship, someone who is also a citizen of {home} counts as a "
          "citizen of {home}; otherwise the first known citizenship in the record counts. By any foreign "
          "citizenship, the first foreign citizenship listed counts.", home=home_country),
        t("**Unknown** — counted and shown as its own group, but left out of both parts of every share: a share is "
          "international people divided by people whose country under the definition is known. Someone whose "
          "export does not give what a definition needs (citizenship at first employment, country of prior "
          "education) is unknown under it: nothing is guessed from another column."),
        t("**Reference dates** — staff: the employments in force on 31 December of the statistical year. "
          "Students: degree students present in the academic year, named by its first calendar year "
          "(2022 = 2022–2023). Exchanges: the calendar year in which the period starts."),
        t("**Headcount, not FTE** — every figure counts people. A person with several employments in a year counts "
          "once, in the employment with the largest full-time equivalent. A student studying at two levels in one "
          "year counts once at each level."),
        t("**Staff groups** — professors; other teaching and research staff; other staff. *Teaching and research "
          "staff* on the overview means professors and other teaching and research staff together. Career stages "
          "follow the Finnish four-stage model (I doctoral researcher to IV professor) where the HR export gives "
          "them."),
        t("**Country filter** — with countries or regions chosen, only people from them count as international (by "
          "the definition's country: citizenship, or the country of prior education); the base of every share stays "
          "everyone whose country is known."),
        t("**Partner-country filter** — narrows exchange periods and partners to partners in the chosen countries or "
          "regions; it does not change who counts as international. Each page shows the filters that apply to its "
          "figures and names those in force."),
        t("**Regions** — UN M49 continents, with the Nordic countries and the rest of the EU/EEA shown apart. "
          "Turkey (an Erasmus+ programme country), Kosovo and the former European states kept in old records "
          "(Soviet Union, Yugoslavia, Czechoslovakia, East Germany) count in the rest of Europe."),
        t("**Sources** — the university's HR snapshot (staff), student registry (students) and mobility office "
          "(exchanges and partner agreements) exports, read by the ETL into a pseudonymised warehouse: no name "
          "or personal identifier is kept, and the dashboard reads only counts."),
    ])


def strategy() -> str:
    """How the strategy page's figures are made: projection, diversity, careers."""
    return "\n\n".join([
        t("## Strategy figures"),
        t("**Targets** — set in config.toml (population, definition, share to reach at least, year, baseline year) "
          "and judged on the whole university under the target's own definition. The pace is the slope of a straight "
          "line fitted by least squares to the shares from the baseline year to the latest year; a share known only "
          "as a range is left out of the fit. The projection carries the line on to the target year. Its band is one "
          "standard error of a new year's share either side of the line, from how far the years scatter around it "
          "(about two years in three would fall inside if the past variation went on); with two years there is no "
          "band. *On track*: the projection reaches the target; *behind*: it does not, and the page says what "
          "yearly change from the latest figure would; *met*: the latest figure is already there; after the "
          "target year, *reached* or *missed* by that year's figure. Shares are compared as written, to a tenth of "
          "a percent."),
        t("**Diversity of origins** — for the international people of a population in a year: the number of "
          "countries they come from; the effective number of countries, exp(−Σ pᵢ ln pᵢ) (Shannon) and 1 / Σ pᵢ² "
          "(inverse Simpson), where pᵢ is each country's part of the international people: the number of equally "
          "large countries that would be as diverse, the second weighing the large countries more; and the share "
          "of the five largest countries. A university with many people from few countries is less international "
          "than its share suggests. They are computed from the Countries page's protected list: countries with too "
          "few people to show on their own are known only by their protected total, never counted one by one (how "
          "many there are, beside their total, would tell how many people each has). Those people come from at "
          "least as many countries as it takes at the most people a small count can hold, and at most one country "
          "each; each measure is computed at those two ends and shown as the range between them (a single figure "
          "when they agree). The two ends are two possible spreads of the protected counts, not proven bounds of "
          "the exact value. With countries chosen in the sidebar the measures are not shown."),
        t("**Careers and retention** — the ETL follows each staff member from year to year by their pseudonym and "
          "writes only counts. A cohort is the staff who first appear in a year, international or home by the "
          "definition in force in that first year; the first year of data has no cohort (its people may have come "
          "earlier). *Still at the university after k years*: in the staff data k years later, in any group or "
          "unit; the cohorts of the chosen years are pooled, each as far as the data reaches. *Moving up a career "
          "stage*: of researchers at stage I–III in a year who are at a stage the next year, those at a higher "
          "one. Counts are protected by the rule in force, shares computed from the protected counts: a small "
          "group's share is a range, or withheld when the rule hides its size."),
    ])


def disclosure(rule: Rule) -> str:
    why = t("Small numbers can identify people: two professors from one country in one school are easy to "
            "recognise. Every figure on screen and in every download is therefore protected by one rule.")
    derived = t("**Figures made from counts** — shares and totals are computed from the protected counts. The "
                "average length of an exchange is the total length of the periods (each counted in whole weeks, "
                "the total rounded to the nearest 365 days) divided by the protected number of periods, in whole "
                "days, and shown only where that number is at least 20: an exact average beside a rounded count "
                "would give the count back.")
    filters = t("**Filters** — a filtered count that differs by only a few people (up to 4, plus what the "
                "rounding of the two figures leaves open) from the same count without one of the filters is shown "
                "only as a range, so that subtracting the two reveals no one; with a country filter this also holds "
                "for the international people from the other countries.")
    definitions_gap = t("**Definitions** — a count of international people by another definition that differs "
                        "by only a few people from the same count by register citizenship is shown only as a range, "
                        "so that comparing the two reveals neither how many people the definitions tell apart nor "
                        "who.")
    groups = t("**Groups and countries** — teaching and research staff, all staff and degree students are the sums "
               "of the figures of their groups as shown, so subtracting one group from another reveals nothing new. "
               "Countries of origin with fewer people than the rule shows are not named, only counted together as "
               "other countries: naming them would show that each has someone.")
    residual = t("**What remains** — rounding cannot stop every combination of filtered views. A few views can "
                 "pin a count shown as 1–4 exactly: a rounded total beside its parts shown as 1–4 (for example one "
                 "unit's professors in one year, then by gender), a country's exchanges beside its partners "
                 "listed as 1–4 each, or units chosen two at a time beside each unit alone (a tester pinned a third "
                 "of the exchange counts shown as 1–4 in two years of the demo that way). Comparing many "
                 "combinations narrows others, as on the national portals that use the same rule. No single view "
                 "shows a name, an identifier, a single person's dates or an exact count below 5 unless the rule "
                 "is none; the warehouse's person-level tables are "
                 "pseudonymised, not anonymous, and stay with the administrators. Give the dashboard to people who "
                 "may see the staff and student registers' counts, or publish only unfiltered views.")
    return "\n\n".join([why, rule.description(), derived, filters, definitions_gap, groups, residual])


def _when(stamp: str) -> str:
    """'2026-11-28 19:42 UTC': to the minute, in the zone the build wrote (seconds and '+00:00' said nothing)."""
    import datetime as dt

    moment = dt.datetime.fromisoformat(stamp)
    zone = "UTC" if moment.utcoffset() == dt.timedelta(0) else moment.strftime("UTC%z")
    return f"{moment:%Y-%m-%d %H:%M} {zone}" if moment.tzinfo else f"{moment:%Y-%m-%d %H:%M}"


def build_facts(manifest: dict, home_name: str, rule: Rule) -> str:
    """The build's facts; its record counts as the rule shows any count (a table of one year's exports holds
    that year's exact headcount)."""
    tables = manifest.get("tables", {})
    names = ("staff", "students", "mobility", "partners")
    rows = protect(pd.DataFrame({"n": [tables.get(n, {}).get("rows", 0) for n in names]}), ["n"], rule)
    shown = dict(zip(names, rows["n_label"] if not rule.exact else (fmt_int(v) for v in rows["n"])))
    # Partner institutions are not people: counted exactly, as on the partners page (rounded, 314 read 315).
    shown["partners"] = fmt_int(tables.get("partners", {}).get("rows", 0))
    lines = [
        t("- Built: {when} (ETL version {version})", when=_when(manifest["built_at"]),
          version=manifest.get("etl_version", "?")),
        t("- Home country: {home}", home=home_name),
        t("- Staff records: {staff}; student records: {students}; exchange periods: {mobility}; partners: {partners}",
          staff=shown["staff"], students=shown["students"], mobility=shown["mobility"], partners=shown["partners"]),
    ]
    if not rule.exact:
        lines.append(t("- Counts of people and exchange periods on this page are written as the rule in force "
                       "writes every count: {note}", note=rule.note()))
    if manifest.get("synthetic_demo_data"):
        lines.append(t("- **Synthetic demo data** for a fictional university; pseudonyms use the published demo key."))
    return "\n".join(lines)


def build_files(manifest: dict, rule: Rule) -> tuple[pd.DataFrame, str | None]:
    """The files the warehouse was built from, with their row counts as the rule shows any count (a yearly
    file's rows are that year's exact headcount), and the number of rejected rows the same way (None: none)."""
    files = pd.DataFrame(manifest["files"])
    if files.empty:
        return files, None
    counts = ["rows_read", "rows_written", "rows_merged", "rows_rejected"]
    rejected = int(files["rows_rejected"].sum())
    files["kind"] = files["kind"].map(labels.kind)
    if not rule.exact:
        protected = protect(files, counts, rule)
        files = files.assign(**{c: protected[f"{c}_label"] for c in counts})
    shown = files[["name", "kind", *counts]].rename(columns={
        "name": t("File"), "kind": t("Kind"), "rows_read": t("Rows read"), "rows_written": t("Rows written"),
        "rows_merged": t("Merged duplicates"), "rows_rejected": t("Rejected")})
    if not rejected:
        return shown, None
    return shown, protect(pd.DataFrame({"n": [rejected]}), ["n"], rule)["n_label"].iloc[0]


def as_text(manifest: dict, home_name: str, rule: Rule) -> str:
    """The page's words in one Markdown text, for the end of a PDF report."""
    return "\n\n".join([definitions(home_name), strategy(), "## " + t("Protecting small numbers"), disclosure(rule),
                        "## " + t("This warehouse"), build_facts(manifest, home_name, rule)])
