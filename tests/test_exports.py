"""The bytes of every export format, checked: sizes, titles, numbers, sheets, slides."""

from __future__ import annotations

import csv
import io
import struct
import xml.etree.ElementTree as ET
import zipfile

import pandas as pd
import pytest

from app.present import pages
from app.reports import exports
from app.words import safe_text
from app.model.data import Warehouse
from app.model.disclosure import Rule
from app.model.filters import Filters, defaults
from app.present.views import Chart
from tests.server import chromium_path

META = exports.Meta(university="Demo University of Technology", built_at="2026-11-28T04:00:00+00:00",
                    filters="Filters: School of Science", rule_note="Counts rounded (Vipunen rule).",
                    home_country="Finland", synthetic=True)


@pytest.fixture(scope="module")
def warehouse(demo_warehouse):
    return Warehouse(demo_warehouse)


@pytest.fixture(scope="module")
def headline(warehouse):
    f = Filters(years=(2010, 2022))
    return pages.page_charts("overview", warehouse, f, Rule("vipunen"))[0]


@pytest.fixture(scope="module")
def images():
    chromium_path()  # skips (or fails in CI) without a browser


def read_csv(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_file_names_say_what_the_file_is(headline):
    assert exports.file_name(headline, "png") == "international-share-of-staff-and-students_2010-2022.png"
    assert safe_text.slug("Countries of origin") == "countries-of-origin"
    assert safe_text.slug("Maisteriopiskelijat ja ulkomaalaiset") == "maisteriopiskelijat-ja-ulkomaalaiset"


def test_csv_holds_the_numbers_on_screen(headline):
    rows = read_csv(exports.csv_bytes(headline, META))
    professors = [r for r in rows if r["Population"] == "Professors"]
    assert [int(r["Year"]) for r in professors] == list(range(2010, 2023))
    on_screen = headline.data[headline.data["population"] == "professors"]
    for row, (_, shown) in zip(professors, on_screen.iterrows()):
        assert float(row["Share (%)"]) == round(shown["share"] * 100, 1)
        assert row["International (people)"] == shown["international_label"]
    assert professors[0]["Share (%)"] == "9.2" and professors[-1]["Share (%)"] == "27.1"


def test_excel_has_formatted_data_and_an_about_sheet(headline):
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(exports.xlsx_bytes(headline, META)))
    data, about = book["Data"], book["About"]
    header = [c.value for c in data[1]]
    assert header[:3] == ["Population", "Year", "International (people)"]
    assert data.freeze_panes == "A2"
    share = header.index("Share") + 1
    first = data.cell(row=2, column=share)
    assert first.number_format == "0.0%" and abs(first.value - 21 / 228) < 1e-12
    assert data.cell(row=2, column=3).value == 21 and data.cell(row=2, column=3).number_format == "#,##0"
    years = [row[1] for row in data.iter_rows(min_row=2, max_col=2)]
    assert all(cell.number_format == "0" for cell in years), {c.number_format for c in years}   # not "2,010"
    facts = {row[0].value: row[1].value for row in about.iter_rows()}
    assert facts["Title"] == headline.title
    assert facts["Filters"] == headline.filters == "Filters: years 2010–2022"   # the chart's own filters
    assert "data built 2026-11-28" in facts["Source"] and "Synthetic demo data" in facts["Source"]
    assert "Finland" in facts["Definition"] and facts["Disclosure control"] == META.rule_note
    assert facts["Summary"].startswith("The share of international professors rose from 9% in 2010 to 27% in 2022.")


def test_small_counts_stay_hidden_in_every_file(warehouse):
    chart = pages.page_charts("countries", warehouse, defaults(warehouse.options), Rule("vipunen"), population="professors", year=2015, top=20)[2]
    rows = read_csv(exports.csv_bytes(chart, META))   # the regions chart: some regions hold 1-4 in some years
    people = [r["People"] for r in rows]
    assert "1–4" in people
    assert all(p == "1–4" or int(p) % 3 == 0 for p in people)
    from openpyxl import load_workbook
    sheet = load_workbook(io.BytesIO(exports.xlsx_bytes(chart, META)))["Data"]
    column = [c.value for c in sheet[1]].index("People")
    values = [row[column].value for row in sheet.iter_rows(min_row=2)]
    assert values == [int(p) if p != "1–4" else "1–4" for p in people]


def test_spreadsheet_formulas_are_neutralised():
    nasty = ["=HYPERLINK(\"http://x\",\"y\")", "+1+1", "-2+3", "@SUM(A1)", "plain"]
    frame = pd.DataFrame({"unit": nasty, "headcount": [1.0] * 5, "headcount_low": [1] * 5, "headcount_high": [1] * 5,
                          "headcount_label": ["1"] * 5})
    chart = Chart("units", "Units", "test", frame, (2020, 2020))
    units = [r["Unit"] for r in read_csv(exports.csv_bytes(chart, META))]
    assert units == ["'" + v for v in nasty[:4]] + ["plain"]
    from openpyxl import load_workbook
    sheet = load_workbook(io.BytesIO(exports.xlsx_bytes(chart, META)))["Data"]
    assert [row[0].value for row in sheet.iter_rows(min_row=2)] == units
    assert all(row[0].data_type == "s" for row in sheet.iter_rows(min_row=2))


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_png_is_slide_sized_and_svg_carries_title_filters_and_footnote(images, headline):
    assert png_size(exports.image(headline, META, "png")) == (3200, 1800)
    svg = exports.image(headline, META, "svg")
    root = ET.fromstring(svg)
    assert root.get("width") == "1600" and root.get("height") == "900"
    text = " ".join(t for t in root.itertext())
    for phrase in ("International share of staff and students", "Filters: years 2010–2022",
                   "Demo University of Technology", "Vipunen rule", "other than Finland"):
        assert phrase in text, phrase


def test_report_pack_has_every_chart_and_a_deck_with_one_slide_per_chart(images, warehouse):
    from pptx import Presentation

    charts = pages.page_charts("staff", warehouse, defaults(warehouse.options), Rule("vipunen"))
    pack = zipfile.ZipFile(io.BytesIO(exports.report_pack(charts, META, "Staff")))
    names = set(pack.namelist())
    for chart in charts:
        for extension in ("png", "svg", "csv", "xlsx"):
            assert exports.file_name(chart, extension) in names
    assert {"report.pptx", "README.txt"} <= names
    assert len(names) == 4 * len(charts) + 2
    deck = Presentation(io.BytesIO(pack.read("report.pptx")))
    slides = list(deck.slides)
    assert len(slides) == len(charts) + 1       # a cover, then one chart per slide
    for slide, chart in zip(slides[1:], charts):
        assert slide.shapes.title.text == chart.title
        assert any(shape.shape_type == 13 for shape in slide.shapes)  # a picture
        assert slide.notes_slide.notes_text_frame.text.startswith(chart.summary)


def test_report_pack_without_a_browser_still_holds_the_data(warehouse):
    charts = pages.page_charts("students", warehouse, defaults(warehouse.options), Rule("vipunen"))
    pack = zipfile.ZipFile(io.BytesIO(exports.report_pack(charts, META, "Students", with_images=False)))
    assert {n.rsplit(".", 1)[1] for n in pack.namelist()} == {"csv", "xlsx", "txt"}


def test_the_partner_table_downloads_as_csv_and_excel(warehouse):
    from openpyxl import load_workbook

    from app.model import mobility
    f = defaults(warehouse.options)
    rows = mobility.filter_partners(mobility.partners(warehouse, f, Rule("vipunen")), network="Unite!")
    chart = Chart("partner-institutions", "Partner institutions", "", rows.drop(columns=["volume", "exchanged"]),
                  f.years)
    exported = read_csv(exports.csv_bytes(chart, META))
    assert len(exported) == 8
    kth = next(r for r in exported if r["Partner"] == "KTH Royal Institute of Technology")
    assert kth["Networks"] == "Unite!; Nordic Five Tech" and kth["Country"] == "Sweden"
    assert int(kth["Incoming (periods)"]) % 3 == 0
    sheet = load_workbook(io.BytesIO(exports.xlsx_bytes(chart, META)))["Data"]
    assert sheet.max_row == 9
    assert exports.file_name(chart, "csv") == "partner-institutions_2010-2025.csv"
