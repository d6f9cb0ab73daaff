"""Report-ready files of one chart: PNG and SVG (drawn by `renderer` in the
machine's Chromium), CSV and Excel of its data, in the reader's language.
Decks, PDFs and packs of many charts are `slides`, `document` and `packs`.

Every file carries what it needs to stand alone on a slide or in a report:
title, the filters in force, source, build date, the definition of
international and the disclosure rule. Files hold only the protected figures
the screen shows.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import math
import re
import textwrap
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from babel import Locale

from app.model import definitions
from app.model.data import Warehouse
from app.model.definitions import REGISTER
from app.model.disclosure import Rule
from app.model.filters import EXCHANGES, STAFF, STUDENTS, Filters, describe
from app.words import labels, safe_text
from app.words.i18n import fmt_decimal_range, fmt_int, fmt_share_range, language, sentence, t
from app.present.views import Chart
from app.reports import renderer
from etl.formulas import neutralise

log = logging.getLogger("dashboard.exports")
TOPOJSON = Path(__file__).resolve().parents[2] / "static" / "topojson"
WIDTH, HEIGHT = 1600, 900          # 16:9, the shape of a slide
PNG_SCALE = 2                      # 3200 x 1800 pixels
SLIDE_PICTURE = (1280, 720)        # a slide's picture: the same shape, its text a quarter larger
# Its pixels: 2400 x 1350, PowerPoint's "high fidelity" 220 ppi (more is lost on a screen or a printed page) at the size
# the picture has in the deck (9.2 inches wide) and in the PDF (8.8): 260 and 270 ppi. As many pixels as the PNG (3200)
# took Chromium a second longer a full report.
SLIDE_PICTURE_SCALE = 2400 / SLIDE_PICTURE[0]


@dataclass(frozen=True)
class Meta:
    """What an exported file says about where its figures come from."""
    university: str
    built_at: str
    filters: str
    rule_note: str
    home_country: str
    synthetic: bool
    definition_key: str = REGISTER   # the definition of international in force (app.model.definitions)

    def source(self, chart: Chart) -> str:
        """Where the chart's figures come from: the HR export (staff), the student registry (students), both,
        or the mobility office's exchange and partner records."""
        first, last = chart.years
        values = dict(university=self.university, years=str(first) if first == last else f"{first}–{last}",
                      date=self.built_at[:10])
        if chart.about == EXCHANGES:
            text = t("Source: {university}, mobility office exports of exchange periods and partner agreements "
                     "({years}); data built {date}.", **values)
        elif chart.about == STAFF:
            text = t("Source: {university}, HR exports ({years}); data built {date}.", **values)
        elif chart.about == STUDENTS:
            text = t("Source: {university}, student registry exports ({years}); data built {date}.", **values)
        else:
            text = t("Source: {university}, HR and student registry exports ({years}); data built {date}.", **values)
        return text + (" " + t("Synthetic demo data.") if self.synthetic else "")

    def definition(self, chart: Chart | None = None) -> str:
        """What the figures count: citizenship for people; for exchanges (which count periods, whoever makes
        them) what a period is."""
        if chart is not None and chart.about == EXCHANGES:
            return t("Exchange periods: each exchange of a student or staff member, incoming or outgoing, counts "
                     "once, in the calendar year it starts, whatever their citizenship.")
        key = chart.definition if chart is not None and chart.definition else self.definition_key
        if key == definitions.ALL:   # a comparison of the definitions: each one's words
            return " ".join(f"{sentence(definitions.name(k))} — {definitions.explanation(k, self.home_country)}"
                            for k in definitions.KEYS)
        return f"{definitions.line(key)}. {definitions.explanation(key, self.home_country)} " + \
            t("Shares are of people whose {basis} is known.", basis=definitions.basis(key))

    def lines(self, chart: Chart) -> list[str]:
        return [self.source(chart), self.definition(chart), self.rule_note]

    @classmethod
    def of(cls, warehouse: Warehouse, filters: Filters, rule: Rule, about: str | None = None) -> Meta:
        """What files made from this warehouse, filters and rule say, in the current language (`filters`:
        those that apply to figures `about` people or exchanges; None: every filter in force)."""
        return cls(university=labels.university(),
                   built_at=warehouse.built_at, filters=describe(filters, warehouse.options, about),
                   rule_note=rule.note(), home_country=labels.country(warehouse.home), synthetic=warehouse.synthetic,
                   definition_key=filters.definition)


# --- images -----------------------------------------------------------------

def chromium() -> str | None:
    return renderer.chromium()


def _wrapped(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False) or [""]


def figure_for_export(chart: Chart, meta: Meta, footnote: bool = True) -> go.Figure:
    """`export_spec` as a Plotly figure."""
    return go.Figure(export_spec(chart, meta, footnote), _validate=False)


def export_spec(chart: Chart, meta: Meta, footnote: bool = True) -> dict:
    """The chart as it should stand alone (a Plotly figure as a dict): subtitle with the filters, footnote with
    source and rules. On a slide or a PDF page the footnote is the page's own text (`footnote=False`), and the
    canvas is smaller so that its text reads larger there."""
    # Changed as a dict, not through Plotly's figure objects (their updates took 0.5-0.8 s of a full report), and
    # not validated again: the chart's figure is checked in the tests (tests/test_figures.py), and so is this copy.
    spec = chart.figure.to_dict()   # a copy: the chart's figure stays as it is
    layout = spec.setdefault("layout", {})
    width, height = (WIDTH, HEIGHT) if footnote else SLIDE_PICTURE
    # Many filters made a subtitle wider than the image: it is wrapped, and the plot moves down to make room.
    lines = _wrapped(f"{chart.subtitle} · {chart.byline}" if chart.byline else chart.subtitle, width // 10)
    subtitle = "<br>".join(safe_text.plotly(line) for line in lines)
    _update(layout, {
        "title": {"text": f"<b>{safe_text.plotly(chart.title)}</b>", "font": {"size": 26}, "x": 0.02, "y": 0.97,
                  "subtitle": {"text": subtitle, "font": {"size": 17}}},
        "font": {"size": 17}, "width": width, "height": height, "legend": {"font": {"size": 16}},
        "margin": {"l": 90, "r": 70, "t": 150 + 22 * (len(lines) - 1), "b": 200 if footnote else 110}})
    for annotation in layout.get("annotations", []):  # value labels, readable on a projected slide
        annotation.setdefault("font", {})["size"] = 17
    if footnote:
        # Each line wrapped to the plot's width (where the note starts): a long definition ran off the right edge.
        # The comparison of the definitions names them only (its labels take a third of the width; the CSV and
        # the methodology explain each).
        compared = chart.definition == definitions.ALL
        lines = [meta.source(chart), t("Definitions of international compared: {names}.", names=", ".join(
            definitions.name(k) for k in definitions.KEYS)), meta.rule_note] if compared else meta.lines(chart)
        notes = [part for line in lines for part in _wrapped(line, width // (12 if compared else 8))]
        layout["margin"]["b"] = 110 + 19 * len(notes)
        layout.setdefault("annotations", []).append({
            "text": "<br>".join(safe_text.plotly(line) for line in notes), "xref": "paper", "yref": "paper", "x": 0,
            "y": 0, "yshift": -70, "xanchor": "left", "yanchor": "top", "showarrow": False, "align": "left",
            "font": {"size": 14, "color": "#4B5563"}})
    return spec


def _update(layout: dict, changes: dict) -> None:
    """Plotly's `update_layout` on a dict: settings within settings (a title's font) merged, the rest replaced."""
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(layout.get(key), dict):
            _update(layout[key], value)
        else:
            layout[key] = value


def _options(fmt: str) -> dict:
    return {"format": fmt, "width": WIDTH, "height": HEIGHT, "scale": 1 if fmt == "svg" else PNG_SCALE}


def image_later(chart: Chart, meta: Meta, fmt: str) -> Future[bytes]:
    """The image of the chart as a file (PNG or SVG), drawn beside others asked for meanwhile (`renderer`)."""
    figure = export_spec(chart, meta)
    return renderer.RENDERER.submit(figure, _options(fmt), topojson=TOPOJSON.as_uri() + "/")


def picture_later(chart: Chart, meta: Meta) -> Future[bytes]:
    """The chart for a slide or a PDF page: without the footnote (the page says it), JPEG (a PDF takes it as
    it is; a 3200-pixel PNG with transparency took seconds to re-encode), `SLIDE_PICTURE_SCALE` times its size."""
    figure = export_spec(chart, meta, footnote=False)
    options = {"format": "jpg", "width": SLIDE_PICTURE[0], "height": SLIDE_PICTURE[1], "scale": SLIDE_PICTURE_SCALE}
    return renderer.RENDERER.submit(figure, options, topojson=TOPOJSON.as_uri() + "/")


def image(chart: Chart, meta: Meta, fmt: str) -> bytes:
    """PNG (3200x1800) or SVG of the chart with its title, filters and footnote."""
    return image_later(chart, meta, fmt).result(timeout=renderer.TIMEOUT_S * 2)


# --- data -------------------------------------------------------------------

# How each column reads: the kind decides its Excel number format and how a CSV writes it.
COUNT, SHARE, YEAR, DAYS, SIGNED, DATE, TEXT, MEASURE = (
    "count", "share", "year", "days", "signed", "date", "text", "measure")
_KINDS = {"year": YEAR, "share": SHARE, "days": DAYS, "balance": SIGNED, "valid_from": DATE, "valid_to": DATE,
          "top5": SHARE, "band_from": SHARE, "band_to": SHARE, "shannon": MEASURE, "simpson": MEASURE,
          **{c: COUNT for c in ("international", "known", "unknown", "total", "headcount", "all_international",
                                "incoming", "outgoing", "periods", "all", "countries", "retained", "moved_up",
                                "years_after")}}
EXCEL_FORMATS = {COUNT: "#,##0", SHARE: "0.0%", YEAR: "0", DAYS: "#,##0", SIGNED: "+#,##0;-#,##0;0",
                 DATE: "yyyy-mm-dd", MEASURE: "0.0"}
_INTERNAL = {"volume", "exchanged", "hover"}


def _column_names(chart: Chart) -> dict[str, str]:
    # An exchange chart counts periods, not people (one person may go twice).
    counted = t("Periods") if chart.about == EXCHANGES else t("People")
    key = chart.definition if chart.definition in definitions.KEYS else REGISTER
    noun = definitions.country_noun(key) if chart.definition != definitions.ALL else t("Country")
    return {
        "definition": t("Definition"), "before": t("By register citizenship"), "after": t("By the definition"),
        "reason": t("Who"),
        "population": t("Population"), "year": t("Year"), "unit": t("Unit"), "career_stage": t("Career stage"),
        "category": noun, "citizenship": definitions.country_heading(key),
        "region": t("Region"), "international": t("International (people)"),
        "known": t("{noun} known (people)", noun=noun), "unknown": t("{noun} unknown (people)", noun=noun),
        "total": t("All (people)"), "headcount": counted,
        "share": t("Share"), "all_international": t("All international (people)"),
        "direction": t("Direction"), "incoming": t("Incoming (periods)"), "outgoing": t("Outgoing (periods)"),
        "balance": t("Incoming minus outgoing"), "level": t("Level"), "programme": t("Programme"),
        "partner_country": t("Partner country"), "partners": t("Partners"), "country": t("Country"),
        "days": t("Average length (days)"), "periods": t("Periods with an end date"), "all": t("All (periods)"),
        "partner_code": t("Partner code"), "partner_name": t("Partner"), "city": t("City"),
        "programmes": t("Programmes"), "networks": t("Networks"), "valid_from": t("Valid from"),
        "valid_to": t("Valid to"), "listed": t("Listed partner"),
        # The strategy page.
        "kind": t("Series"), "band_from": t("Band, low (%)"), "band_to": t("Band, high (%)"), "origin": t("Origin"),
        "years_after": t("Years after starting"), "retained": t("Still at the university (people)"),
        "moved_up": t("Moved up a stage (people)"), "countries": t("Countries"),
        "shannon": t("Effective number (Shannon)"), "simpson": t("Effective number (inverse Simpson)"),
        "top5": t("Five largest countries (%)"),
    }


_NAMERS = {"definition": lambda key: sentence(definitions.name(key)), "before": labels.category,
           "after": labels.category, "population": labels.population, "unit": labels.unit_or_missing, "career_stage": labels.career_stage,
           "category": labels.category, "citizenship": labels.country, "region": labels.region,
           "direction": labels.direction, "level": labels.mobility_level, "programme": labels.programme,
           "partner_country": labels.country, "country": labels.country, "partners": labels.partners_group,
           "origin": labels.origin, "kind": lambda kind: t("Actual") if kind == "actual" else t("At the recent pace")}


def _missing(value) -> bool:
    return value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value))


def _signed(value: float) -> str:
    return f"−{abs(int(value))}" if value < 0 else str(int(value))


def _cell(column: str, row: int, frame: pd.DataFrame):
    """One value as people read it: names, not codes; whole numbers; a range as its text."""
    value, kind = frame[column].iloc[row], _KINDS.get(column, TEXT)
    if isinstance(value, (list, tuple, np.ndarray)):
        return "; ".join(map(str, value))
    if _missing(value):
        low = f"{column}_low" if f"{column}_low" in frame else ("share_low" if column == "share" else "")
        if kind == SHARE and low and not _missing(frame[low].iloc[row]):
            return fmt_share_range(frame[low].iloc[row], frame[low.replace("_low", "_high")].iloc[row])
        if f"{column}_label" in frame and not _missing(frame[f"{column}_label"].iloc[row]):
            return frame[f"{column}_label"].iloc[row]
        if kind == MEASURE and low and not _missing(frame[low].iloc[row]):
            return fmt_decimal_range(frame[low].iloc[row], frame[f"{column}_high"].iloc[row])
        if kind == COUNT and low and not _missing(frame[low].iloc[row]):
            return f"{fmt_int(frame[low].iloc[row])}–{fmt_int(frame[f'{column}_high'].iloc[row])}"
        if f"{column}_low" in frame and not _missing(frame[f"{column}_low"].iloc[row]):
            # A difference known only as a range: "−5 to 3" (a dash between signed numbers would mislead).
            return t("{low} to {high}", low=_signed(frame[f"{column}_low"].iloc[row]),
                     high=_signed(frame[f"{column}_high"].iloc[row]))
        return None
    if column in _NAMERS:
        return _NAMERS[column](value)
    if kind == DATE:
        return pd.Timestamp(value).date()
    if kind in (SHARE, MEASURE):
        return float(value)
    if kind in (COUNT, SIGNED, DAYS, YEAR):
        return int(round(value))
    if isinstance(value, (bool, np.bool_)):
        return t("yes") if value else t("no")
    return value


def _shown_columns(chart: Chart) -> list[str]:
    return [c for c in chart.data.columns if not c.endswith(("_low", "_high", "_label")) and c not in _INTERNAL]


def table(chart: Chart) -> pd.DataFrame:
    """The chart's protected figures, as people read them, headed in the reader's language: names not codes,
    whole numbers, a count known only as a range written as the range ("1–4")."""
    frame = chart.data.reset_index(drop=True)
    columns = _shown_columns(chart)
    out = pd.DataFrame({c: [_cell(c, i, frame) for i in range(len(frame))] for c in columns}, columns=columns,
                       dtype=object)
    return out.rename(columns=_column_names(chart))


def kinds(chart: Chart) -> list[str]:
    """The kind of each column of `table(chart)`, in order."""
    return [_KINDS.get(c, TEXT) for c in _shown_columns(chart)]


def context_lines(chart: Chart, meta: Meta) -> list[str]:
    """What a file says before its figures: title, filters, source, definition, rule."""
    return [f"{chart.title} – {chart.subtitle}" if chart.subtitle else chart.title,
            chart.filters or t("Filters: none (all data)"), *meta.lines(chart)]


def decimal_mark() -> str:
    return Locale.parse(language()).number_symbols["latn"]["decimal"]


def csv_bytes(chart: Chart, meta: Meta) -> bytes:
    """The title, filters, source and rules first, a blank line, then the table; shares in percent with one
    decimal. Where the decimal mark is a comma (Finnish, Swedish) the separator is a semicolon, as a
    spreadsheet set to that language expects."""
    frame, column_kinds = table(chart), kinds(chart)
    comma = decimal_mark() == ","
    frame = frame.rename(columns={t("Share"): t("Share (%)")})

    def written(value, kind):
        if kind == MEASURE and isinstance(value, float):
            text = f"{value:.1f}"
            return text.replace(".", ",") if comma else text
        if kind == SHARE and isinstance(value, float):
            text = f"{value * 100:.1f}"
            return text.replace(".", ",") if comma else text
        if kind == SHARE and isinstance(value, str):   # a range, under a heading that already says "%"
            return re.sub(r"\s?%", "", value)
        if isinstance(value, dt.date):
            return value.isoformat()
        return "" if value is None else value

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if comma else ",")
    for line in context_lines(chart, meta):
        writer.writerow([neutralise(line)])
    writer.writerow([])
    writer.writerow([neutralise(c) for c in frame.columns])
    for row in frame.itertuples(index=False):
        writer.writerow([neutralise(written(v, k)) for v, k in zip(row, column_kinds)])
    # UTF-8 with BOM: Excel then opens the Nordic letters correctly.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(chart: Chart, meta: Meta) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    frame, column_kinds = table(chart), kinds(chart)
    book = Workbook()
    data = book.active
    data.title = t("Data")[:31]
    data.append([neutralise(c) for c in frame.columns])
    for cell in data[1]:
        cell.font = Font(bold=True)
    for row in frame.itertuples(index=False):
        data.append([neutralise(v) for v in row])
    for index, kind in enumerate(column_kinds, start=1):
        for (cell,) in data.iter_rows(min_row=2, min_col=index, max_col=index):
            if kind in EXCEL_FORMATS and not isinstance(cell.value, str):
                cell.number_format = EXCEL_FORMATS[kind]
            elif kind != TEXT:   # a range ("1–4") lines up with the numbers beside it
                cell.alignment = Alignment(horizontal="right")
    data.freeze_panes = "A2"
    for column in data.columns:
        width = max(len(str(c.value)) if c.value is not None else 0 for c in column)
        data.column_dimensions[column[0].column_letter].width = min(max(10, width + 2), 60)

    about = book.create_sheet(t("About")[:31])
    rows = [(t("Title"), chart.title), (t("Subtitle"), chart.subtitle), (t("Filters"), chart.filters or t("none")),
            (t("Summary"), chart.summary), (t("Source"), meta.source(chart)), (t("Definition"), meta.definition(chart)),
            (t("Disclosure control"), meta.rule_note),
            (t("Exported"), dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M"))]
    for label, value in rows:
        about.append([label, neutralise(value)])
    about.column_dimensions["A"].width = 20
    about.column_dimensions["B"].width = 110
    for cell in about["A"]:
        cell.font = Font(bold=True)
    for cell in about["B"]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- names -------------------------------------------------------------------

def file_name(chart: Chart, extension: str) -> str:
    """What the file is, in the reader's language, and which filters it obeys, so that two downloads with
    different filters do not share a name: 'international-share-by-unit-all-staff_2025_germany.png'."""
    return f"{safe_text.slug(f'{chart.title} {chart.scope}')}_{years_part(chart.years)}" \
           f"{definition_tag(chart.definition)}{filters_tag(chart.filters)}.{extension}"


def definition_tag(key: str) -> str:
    """'_any-foreign-citizenship': a definition of international other than the register's (national statistics'),
    so that figures counted two ways never share a file name."""
    return f"_{safe_text.slug(definitions.name(key), length=40)}" if key in definitions.KEYS and key != REGISTER else ""


def years_part(years: tuple[int, int]) -> str:
    """The years as a file name holds them: '2010-2025', or '2025' for one."""
    first, last = years
    return str(first) if first == last else f"{first}-{last}"


def filters_tag(filters: str) -> str:
    """'_school-of-science-germany': the filters (in words) beyond the years, which a name already holds; long
    ones are cut and given a short fingerprint of the whole, so that names stay short and distinct."""
    words = filters.split(":", 1)[1] if ":" in filters else filters   # after "Filters:"
    # The years' part ends with its year(s) in every language ("years 2015–2020", "vuosi 2018").
    parts = [part for part in words.split("; ") if not re.search(r"\b\d{4}(–\d{4})?$", part.strip())]
    tag = safe_text.slug(" ".join(parts), length=60) if parts else ""
    return "" if not tag or tag == "report" else f"_{tag}"   # "report": slug's name for nothing


# --- headings of decks and documents ----------------------------------------------

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÅÄÖÜ0-9“\"])")


def finding(chart: Chart) -> str:
    """What the chart shows, in one sentence: the first of its summary (its title when it has none)."""
    return _SENTENCE_END.split(chart.summary.strip(), maxsplit=1)[0] if chart.summary.strip() else chart.title


def headings(charts: list[Chart]) -> list[str]:
    """Each chart's finding as the heading of its slide or page; when two would read alike (the same
    sentence for two networks), the chart's own title and scope tell them apart."""
    first = [finding(c) for c in charts]
    out, seen = [], set()
    for chart, heading in zip(charts, first):
        if first.count(heading) > 1:
            heading = f"{chart.title}{f' ({chart.scope})' if chart.scope else ''}: {heading}"
        number, candidate = 2, heading
        while candidate in seen:
            candidate, number = f"{heading} ({number})", number + 1
        seen.add(candidate)
        out.append(candidate)
    return out
