"""Report-ready files of a chart: PNG and SVG (rendered by kaleido in the
machine's Chromium), CSV and Excel of its data, and a report pack (ZIP with
everything and a PowerPoint deck).

Every file carries what it needs to stand alone on a slide or in a report:
title, the filters in force, source, build date, the definition of
international and the disclosure rule. Files hold only the protected figures
the screen shows.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import logging
import math
import os
import shutil
import threading
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from app.model.data import Warehouse
from app.model.disclosure import Rule
from app.model.filters import EXCHANGES, STAFF, STUDENTS, Filters, describe
from app.words import labels, safe_text
from app.words.i18n import fmt_share, fmt_share_range, t
from app.present.views import Chart
from etl.formulas import neutralise

log = logging.getLogger("dashboard.exports")
TOPOJSON = Path(__file__).resolve().parents[2] / "static" / "topojson"
WIDTH, HEIGHT = 1600, 900          # 16:9, the shape of a slide
PNG_SCALE = 2                      # 3200 x 1800 pixels


@dataclass(frozen=True)
class Meta:
    """What an exported file says about where its figures come from."""
    university: str
    built_at: str
    filters: str
    rule_note: str
    home_country: str
    synthetic: bool

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

    def definition(self) -> str:
        return t("International: a known citizenship other than {home}; shares are of people with a known "
                 "citizenship.", home=self.home_country)

    def lines(self, chart: Chart) -> list[str]:
        return [self.source(chart), self.definition(), self.rule_note]

    @classmethod
    def of(cls, warehouse: Warehouse, filters: Filters, rule: Rule, about: str | None = None) -> Meta:
        """What files made from this warehouse, filters and rule say, in the current language (`filters`:
        those that apply to figures `about` people or exchanges; None: every filter in force)."""
        return cls(university=labels.university(),
                   built_at=warehouse.built_at, filters=describe(filters, warehouse.options, about),
                   rule_note=rule.note(), home_country=labels.country(warehouse.home), synthetic=warehouse.synthetic)


# --- images -----------------------------------------------------------------

class ImageExportUnavailable(Exception):
    """No Chromium to render images with; data downloads still work."""


_server_lock = threading.Lock()
_server_started = False


def chromium() -> str | None:
    for candidate in (os.environ.get("BROWSER_PATH"), os.environ.get("CHROMIUM"), "/usr/bin/chromium",
                      "/usr/bin/chromium-browser", shutil.which("chromium"), shutil.which("google-chrome")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def _ensure_server() -> None:
    """One browser for the app's lifetime: a cold start costs seconds, a warm render a fraction of one."""
    global _server_started
    with _server_lock:
        if _server_started:
            return
        path = chromium()
        if path is None:
            raise ImageExportUnavailable("no Chromium found")
        os.environ.setdefault("BROWSER_PATH", path)
        import kaleido

        kaleido.start_sync_server(n=1, timeout=60, silence_warnings=True)
        _server_started = True


def figure_for_export(chart: Chart, meta: Meta) -> go.Figure:
    """The chart as it should stand alone: subtitle with the filters, footnote with source and rules."""
    figure = go.Figure(copy.deepcopy(chart.figure.to_dict()))
    subtitle = safe_text.plotly(f"{chart.subtitle} · {chart.filters}" if chart.filters else chart.subtitle)
    footnote = "<br>".join(safe_text.plotly(line) for line in meta.lines(chart))
    figure.update_layout(
        title=dict(text=f"<b>{safe_text.plotly(chart.title)}</b>", subtitle=dict(text=subtitle), font=dict(size=26), x=0.02, y=0.97),
        font=dict(size=17), width=WIDTH, height=HEIGHT, margin=dict(l=90, r=70, t=150, b=200))
    figure.update_layout(title_subtitle_font_size=17, legend_font_size=16)
    for annotation in figure.layout.annotations:  # value labels, readable on a projected slide
        annotation.font.size = 17
    figure.add_annotation(text=footnote, xref="paper", yref="paper", x=0, y=-0.16, xanchor="left", yanchor="top",
                          showarrow=False, align="left", font=dict(size=14, color="#4B5563"))
    return figure


def image(chart: Chart, meta: Meta, fmt: str) -> bytes:
    """PNG (3200x1800) or SVG of the chart with its title, filters and footnote."""
    import kaleido

    _ensure_server()
    options = {"format": fmt, "width": WIDTH, "height": HEIGHT, "scale": PNG_SCALE if fmt == "png" else 1}
    return kaleido.calc_fig_sync(figure_for_export(chart, meta), opts=options, topojson=TOPOJSON.as_uri() + "/")


# --- data -------------------------------------------------------------------

def _column_names() -> dict[str, str]:
    return {
        "population": t("Population"), "year": t("Year"), "unit": t("Unit"), "career_stage": t("Career stage"),
        "category": t("Citizenship"), "citizenship": t("Country of citizenship"), "region": t("Region"),
        "international": t("International (people)"), "known": t("Known citizenship (people)"),
        "unknown": t("Citizenship unknown (people)"), "total": t("All (people)"), "headcount": t("People"),
        "share": t("Share"), "all_international": t("All international (people)"),
        "direction": t("Direction"), "incoming": t("Incoming (periods)"), "outgoing": t("Outgoing (periods)"),
        "balance": t("Incoming minus outgoing"), "level": t("Level"), "programme": t("Programme"),
        "partner_country": t("Partner country"), "partners": t("Partners"), "country": t("Country"),
        "days": t("Average length (days)"), "periods": t("Periods with an end date"), "all": t("All (periods)"),
        "partner_code": t("Partner code"), "partner_name": t("Partner"), "city": t("City"),
        "programmes": t("Programmes"), "networks": t("Networks"), "valid_from": t("Valid from"),
        "valid_to": t("Valid to"), "listed": t("Listed partner"),
    }


_NAMERS = {"population": labels.population, "unit": labels.unit_or_missing, "career_stage": labels.career_stage,
           "category": labels.category, "citizenship": labels.country, "region": labels.region,
           "direction": labels.direction, "level": labels.mobility_level, "programme": labels.programme,
           "partner_country": labels.country, "country": labels.country, "partners": labels.partners_group}
_INTERNAL = {"volume", "exchanged", "hover"}


def table(chart: Chart) -> pd.DataFrame:
    """The chart's protected figures, as people read them: names not codes, a
    count known only as a range written as the range ("1–4")."""
    frame = chart.data
    out = pd.DataFrame(index=frame.index)
    for column in frame.columns:
        if column.endswith(("_low", "_high", "_label")) or column in _INTERNAL:
            continue
        if f"{column}_label" in frame:
            out[column] = [int(v) if not math.isnan(v) else label
                           for v, label in zip(frame[column], frame[f"{column}_label"])]
        elif column == "share":
            out[column] = [float(v) if not math.isnan(v) else
                           (fmt_share_range(lo, hi) if not math.isnan(lo) else "")
                           for v, lo, hi in zip(frame["share"], frame["share_low"], frame["share_high"])]
        elif column in _NAMERS and frame[column].map(lambda v: isinstance(v, str)).all():
            out[column] = [_NAMERS[column](v) for v in frame[column]]
        elif len(frame) and frame[column].map(lambda v: isinstance(v, (list, tuple, np.ndarray))).astype(bool).any():
            out[column] = ["; ".join(map(str, v)) if isinstance(v, (list, tuple, np.ndarray)) else v
                           for v in frame[column]]
        else:
            out[column] = frame[column]
    out = out.astype(object).where(out.notna(), None)   # blanks, not NaN/NaT, in CSV and Excel
    return out.rename(columns=_column_names()).reset_index(drop=True)


def csv_bytes(chart: Chart, meta: Meta) -> bytes:
    """Shares as percentages with one decimal, as people read them."""
    frame = table(chart)
    if t("Share") in frame:
        frame[t("Share")] = [round(v * 100, 1) if isinstance(v, float) else v for v in frame[t("Share")]]
        frame = frame.rename(columns={t("Share"): t("Share (%)")})
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([neutralise(c) for c in frame.columns])
    for row in frame.itertuples(index=False):
        writer.writerow([neutralise(v) for v in row])
    # UTF-8 with BOM: Excel then opens the Nordic letters correctly.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(chart: Chart, meta: Meta) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    frame = table(chart)
    book = Workbook()
    data = book.active
    data.title = t("Data")[:31]
    data.append([neutralise(c) for c in frame.columns])
    for cell in data[1]:
        cell.font = Font(bold=True)
    share_column = list(frame.columns).index(t("Share")) + 1 if t("Share") in frame.columns else None
    # A year is a label, not a quantity: "2010", never "2,010".
    year_column = list(frame.columns).index(t("Year")) + 1 if t("Year") in frame.columns else None
    for row in frame.itertuples(index=False):
        data.append([neutralise(v) for v in row])
    for row in data.iter_rows(min_row=2):
        for cell in row:
            if cell.column == year_column:
                cell.number_format = "0"
            elif isinstance(cell.value, float) and share_column == cell.column:
                cell.number_format = "0.0%"
            elif isinstance(cell.value, int):
                cell.number_format = "#,##0"
    data.freeze_panes = "A2"
    for column in data.columns:
        width = max(len(str(c.value)) if c.value is not None else 0 for c in column)
        data.column_dimensions[column[0].column_letter].width = min(max(10, width + 2), 60)

    about = book.create_sheet(t("About")[:31])
    rows = [(t("Title"), chart.title), (t("Subtitle"), chart.subtitle), (t("Filters"), chart.filters or t("none")),
            (t("Summary"), chart.summary), (t("Source"), meta.source(chart)), (t("Definition"), meta.definition()),
            (t("Disclosure control"), meta.rule_note),
            (t("Exported"), dt.datetime.now().astimezone().isoformat(timespec="minutes"))]
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


# --- names and packs ----------------------------------------------------------

def file_name(chart: Chart, extension: str) -> str:
    """What the file is, in the reader's language: 'international-share-by-unit-all-staff_2025.png'."""
    first, last = chart.years
    years = str(first) if first == last else f"{first}-{last}"
    return f"{safe_text.slug(f'{chart.title} {chart.scope}')}_{years}.{extension}"


def pptx_bytes(charts: list[Chart], meta: Meta, title: str, pngs: dict[str, bytes] | None = None) -> bytes:
    """One slide per chart: its title, the image, and its summary and source in the speaker notes."""
    from pptx import Presentation
    from pptx.util import Emu, Pt

    deck = Presentation()
    deck.slide_width, deck.slide_height = Emu(12192000), Emu(6858000)   # 16:9
    cover = deck.slides.add_slide(deck.slide_layouts[0])
    cover.shapes.title.text = title
    cover.placeholders[1].text = f"{meta.university}\n{meta.filters or t('All data')}\n{meta.rule_note}"
    for chart in charts:
        slide = deck.slides.add_slide(deck.slide_layouts[5])  # title only
        slide.shapes.title.text = chart.title
        slide.shapes.title.text_frame.paragraphs[0].font.size = Pt(28)
        picture = io.BytesIO((pngs or {}).get(chart.key) or image(chart, meta, "png"))
        top = Emu(1300000)
        height = deck.slide_height - top - Emu(200000)
        width = int(height * WIDTH / HEIGHT)
        slide.shapes.add_picture(picture, int((deck.slide_width - width) / 2), top, width=width, height=height)
        slide.notes_slide.notes_text_frame.text = "\n".join([chart.summary, *meta.lines(chart)])
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


def report_pack(charts: list[Chart], meta: Meta, title: str, with_images: bool = True) -> bytes:
    """A ZIP with each chart as PNG, SVG, CSV and Excel, and a PowerPoint deck."""
    charts = [c for c in charts if not c.empty]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as pack:
        readme = [title, "", meta.filters or t("All data"), *meta.lines(charts[0])] if charts else [title]
        pngs: dict[str, bytes] = {}
        for chart in charts:
            if with_images:
                pngs[chart.key] = image(chart, meta, "png")
                pack.writestr(file_name(chart, "png"), pngs[chart.key])
                pack.writestr(file_name(chart, "svg"), image(chart, meta, "svg"))
            pack.writestr(file_name(chart, "csv"), csv_bytes(chart, meta))
            pack.writestr(file_name(chart, "xlsx"), xlsx_bytes(chart, meta))
            readme += ["", chart.title, chart.summary]
        if with_images and charts:
            pack.writestr("report.pptx", pptx_bytes(charts, meta, title, pngs))
        pack.writestr("README.txt", "\n".join(readme) + "\n")
    return buffer.getvalue()
