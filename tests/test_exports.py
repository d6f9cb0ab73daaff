"""Every exported file, opened the way its reader opens it, in each language: CSV and Excel (headers, values,
number formats), PNG and SVG, the PowerPoint deck (16:9 geometry, titles, alt texts, notes), the PDF
report (pages, text) and the ZIP that holds them."""

from __future__ import annotations

import contextvars
import csv
import datetime as dt
import io
import re
import struct
import threading
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass

import pandas as pd
import pycountry
import pytest

from app.model.data import Warehouse
from app.model.disclosure import Rule
from app.model.filters import EXCHANGES, Filters, defaults
from app.present import methodology, pages
from app.present.views import Chart
from app.reports import exports, packs, slides
from app.words import i18n, labels, safe_text
from app.words.i18n import set_language, t
from tests.server import chromium_path
from tests.test_i18n import catalogue

META = exports.Meta(university="Demo University of Technology", built_at="2026-11-28T04:00:00+00:00",
                    filters="Filters: School of Science", rule_note="Counts rounded (Vipunen rule).",
                    home_country="Finland", synthetic=True)
LANGUAGES = ("en", "fi", "sv")
RANGE = re.compile(r"^(\d[\d,.  ]*–\d[\d,.  ]*|−?\d+ (to|till) −?\d+|−?\d+…−?\d+|\d+(\.\d)?\s?%–\d+(\.\d)?\s?%)$")


def in_language(lang: str, make, *args, **kwargs):
    """`make(*args)` with `lang` as the current language, leaving the test's own language as it was."""
    def inside():
        set_language(lang)
        return make(*args, **kwargs)
    return contextvars.copy_context().run(inside)


@pytest.fixture(scope="module")
def warehouse(demo_warehouse):
    return Warehouse(demo_warehouse)


@pytest.fixture(scope="module")
def headline(warehouse):
    return pages.page_charts("overview", warehouse, Filters(years=(2010, 2022)), Rule("vipunen"))[0]


@pytest.fixture(scope="module")
def images():
    chromium_path()  # skips (or fails in CI) without a browser


def read_csv(data: bytes) -> tuple[list[str], list[dict]]:
    """The lines before the table, and the table's rows, as a spreadsheet reads them (separator sniffed)."""
    text = data.decode("utf-8-sig")
    head, _, body = text.partition("\r\n\r\n")
    delimiter = ";" if body.splitlines()[0].count(";") > body.splitlines()[0].count(",") else ","
    context = [row[0] for row in csv.reader(io.StringIO(head), delimiter=delimiter)]
    return context, list(csv.DictReader(io.StringIO(body), delimiter=delimiter))


# --- what a reader of each language must not meet ------------------------------------------------------------

def foreign_words(lang: str) -> set[str]:
    """Words of the other languages that `lang` says differently: messages, country and unit names."""
    words: set[str] = set()
    for other in LANGUAGES:
        if other == lang:
            continue
        for message in (catalogue(other) if other != "en" else catalogue(lang)):
            if not message.id or isinstance(message.id, tuple) or "{" in message.id:
                continue
            ours = in_language(lang, t, message.id)
            theirs = in_language(other, t, message.id)
            if ours != theirs and len(theirs) > 3:
                words.add(theirs)
        for country in pycountry.countries:
            ours, theirs = (in_language(x, labels.country, country.alpha_3) for x in (lang, other))
            if ours != theirs:
                words.add(theirs)
    return words


@pytest.fixture(scope="module")
def foreign():
    return {lang: foreign_words(lang) for lang in LANGUAGES}


def assert_in_language(values, lang: str, foreign: dict[str, set[str]], where: str) -> None:
    """No value is a word of another language, and no sentence holds a multi-word name of another language."""
    for value in values:
        if not isinstance(value, str) or not value:
            continue
        assert value not in foreign[lang], (where, lang, value)
        for word in (w for w in foreign[lang] if " " in w and len(w) > 12):
            assert word not in value, (where, lang, word, value)


# --- the full report, once per language -------------------------------------------------------------------------

@dataclass
class Report:
    lang: str
    charts: list[Chart]
    meta: exports.Meta
    archive: zipfile.ZipFile
    steps: list[tuple[str, float]]

    def read(self, name: str) -> bytes:
        return self.archive.read(name)

    def one(self, extension: str) -> bytes:
        names = [n for n in self.archive.namelist() if n.endswith(f".{extension}")]
        assert len(names) == 1, names
        return self.archive.read(names[0])


def make_report(warehouse, lang: str, filters: Filters | None = None) -> Report:
    f = filters or defaults(warehouse.options)
    rule = Rule("vipunen")
    made: list[Chart] = []

    def charts():   # as the app passes them: one by one while they are made
        for chart in pages.everything(warehouse, f, rule):
            made.append(chart)
            yield chart
    meta = exports.Meta.of(warehouse, f, rule)
    steps: list[tuple[str, float]] = []
    data = packs.pack(charts(), meta, t("International university dashboard"),
                      methodology.as_text(warehouse.manifest, labels.country(warehouse.home), rule),
                      progress=lambda text, done: steps.append((text, done)))
    return Report(i18n.language(), [c for c in made if not c.empty], meta, zipfile.ZipFile(io.BytesIO(data)), steps)


@pytest.fixture(scope="module")
def reports(images, warehouse):
    return {lang: in_language(lang, make_report, warehouse, lang) for lang in LANGUAGES}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_full_report_holds_every_chart_in_every_format_and_a_deck_and_a_pdf(reports, lang):
    report = reports[lang]
    names = set(report.archive.namelist())
    for chart in report.charts:
        for extension in ("png", "svg", "csv", "xlsx"):
            assert in_language(lang, exports.file_name, chart, extension) in names
    assert len(names) == 4 * len(report.charts) + 3      # and a deck, a PDF and a README
    assert {n.rsplit(".", 1)[1] for n in names} == {"png", "svg", "csv", "xlsx", "pptx", "pdf", "txt"}
    readme = next(n for n in names if n.endswith(".txt"))
    assert readme == in_language(lang, t, "README") + ".txt"
    # Unzipped, every file is readable by all (rw-r--r--), as a file saved from the browser is; files compressed
    # already are stored as they are.
    for entry in report.archive.infolist():
        assert entry.external_attr >> 16 == 0o644, (entry.filename, oct(entry.external_attr >> 16))
        stored = entry.filename.endswith((".png", ".pptx", ".xlsx"))
        assert entry.compress_type == (zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED), entry.filename
    # Progress: told step by step, never backwards, ending at done.
    shares = [done for _, done in report.steps]
    assert shares == sorted(shares) and shares[-1] == 1.0 and len(report.steps) > 10
    # Each step once, in order: the slides' pictures drawn, the deck, the PDF, the image files drawn (the drawing
    # told again after the PDF, as one count of all images, read as going back).
    count = len(report.charts)
    slides_drawn, files_drawn = (in_language(lang, t, message, done=0, count=0).rsplit(":", 1)[0] for message in (
        "Drawing the charts for the slides and the PDF: {done} of {count}…",
        "Drawing the charts as PNG and SVG files: {done} of {count}…"))
    phases = [slides_drawn if text.startswith(slides_drawn) else files_drawn if text.startswith(files_drawn)
              else text for text, _ in report.steps]
    phases = [phase for number, phase in enumerate(phases) if number == 0 or phases[number - 1] != phase]
    assert phases == [in_language(lang, t, "Writing the data files (CSV and Excel)…"), slides_drawn] + [in_language(lang, t, step) for step in (
        "Building the slides…", "Building the PDF report…")] + [files_drawn] + [in_language(lang, t, step) for step in (
        "Packing the ZIP…", "Ready.")], phases
    tells = [text for text, _ in report.steps]
    assert in_language(lang, t, "Drawing the charts for the slides and the PDF: {done} of {count}…", done=count,
                       count=count) in tells
    assert in_language(lang, t, "Drawing the charts as PNG and SVG files: {done} of {count}…", done=2 * count,
                       count=2 * count) in tells


@pytest.mark.parametrize("lang", LANGUAGES)
def test_csv_files_are_in_the_readers_language_with_their_context_first(reports, foreign, lang):
    report = reports[lang]
    for chart in report.charts:
        data = report.read(in_language(lang, exports.file_name, chart, "csv"))
        context, rows = read_csv(data)
        assert context[0].startswith(chart.title) and context[1] == (chart.filters or in_language(
            lang, t, "Filters: none (all data)"))
        assert context[2:] == in_language(lang, report.meta.lines, chart)
        assert_in_language(context, lang, foreign, chart.key)
        assert rows, chart.key
        assert_in_language(list(rows[0]), lang, foreign, f"{chart.key} header")
        for row in rows:
            assert_in_language(list(row.values()), lang, foreign, chart.key)
        # Numbers as a spreadsheet set to the language reads them: "9,2" with ";" in Finnish and Swedish.
        share = in_language(lang, t, "Share (%)")
        if share in rows[0]:
            written = [r[share] for r in rows if r[share] and not RANGE.match(r[share])]
            assert all(re.fullmatch(r"\d+,\d" if lang != "en" else r"\d+\.\d", v) for v in written), written[:3]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_excel_files_are_in_the_readers_language_with_a_number_format_per_column(reports, foreign, lang):
    from openpyxl import load_workbook

    report = reports[lang]
    # What each English heading holds; the other languages keep the same columns in the same order.
    expected = {"Year": "0", "Share": "0.0%", "Average length (days)": "#,##0", "Incoming minus outgoing":
                "+#,##0;-#,##0;0", "Valid from": "yyyy-mm-dd", "Valid to": "yyyy-mm-dd"}
    counts = {"International (people)", "Citizenship known (people)", "Citizenship unknown (people)", "All (people)",
              "People", "Periods", "All international (people)", "Incoming (periods)", "Outgoing (periods)",
              "Periods with an end date", "All (periods)"}
    for chart in report.charts:
        book = load_workbook(io.BytesIO(report.read(in_language(lang, exports.file_name, chart, "xlsx"))))
        data, about = book.worksheets
        assert data.title == in_language(lang, t, "Data") and about.title == in_language(lang, t, "About")
        header = [c.value for c in data[1]]
        english = list(in_language("en", exports.table, chart).columns)
        assert len(header) == len(english) and header == list(in_language(lang, exports.table, chart).columns)
        assert_in_language(header, lang, foreign, f"{chart.key} header")
        for column, heading in enumerate(english, start=1):
            cells = [row[0] for row in data.iter_rows(min_row=2, min_col=column, max_col=column)]
            assert_in_language([c.value for c in cells], lang, foreign, f"{chart.key} {heading}")
            numbers = [c for c in cells if isinstance(c.value, (int, float)) and not isinstance(c.value, bool)]
            if heading in counts or heading in expected and heading != "Share":
                assert all(isinstance(c.value, int) for c in numbers), (chart.key, heading, numbers[0].value)
                texts = [c.value for c in cells if isinstance(c.value, str)]
                assert all(RANGE.match(v) for v in texts), (chart.key, heading, texts[:3])
            if heading in counts:
                assert {c.number_format for c in numbers} <= {"#,##0"}, (chart.key, heading)
            elif heading in expected:
                assert {c.number_format for c in numbers} <= {expected[heading]}, (chart.key, heading)
        facts = {row[0].value: row[1].value for row in about.iter_rows()}
        assert facts[in_language(lang, t, "Title")] == chart.title
        assert_in_language(list(facts), lang, foreign, f"{chart.key} about")
        assert facts[in_language(lang, t, "Source")] == in_language(lang, report.meta.source, chart)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_images_are_slide_sized_and_say_their_title_filters_and_source_in_the_language(reports, lang):
    report = reports[lang]
    for chart in report.charts:
        assert png_size(report.read(in_language(lang, exports.file_name, chart, "png"))) == (3200, 1800)
        root = ET.fromstring(report.read(in_language(lang, exports.file_name, chart, "svg")))
        assert root.get("width") == "1600" and root.get("height") == "900"
        text = " ".join(root.itertext())
        source = in_language(lang, report.meta.source, chart)
        assert chart.title in text and source.split("(")[0].strip() in text, chart.key


PICTURE_PPI = 220   # PowerPoint's "high fidelity": pictures as sharp as a screen or a printed page shows


def pictures_ppi(page) -> list[float]:
    """The pixels per inch of each picture on a PDF page, at the size it is drawn (its `cm` before `Do`)."""
    from pypdf.generic import ContentStream

    widths = {name: image["/Width"] for name, image in page["/Resources"]["/XObject"].items()}
    found, matrix = [], None
    for operands, operator in ContentStream(page.get_contents(), page.pdf).operations:
        if operator == b"cm":
            matrix = operands
        elif operator == b"Do" and operands[0] in widths:
            found.append(widths[operands[0]] / (float(matrix[0]) / 72))
    return found


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_deck_is_16_9_with_findings_as_titles_alt_texts_footers_and_notes(reports, foreign, lang):
    from pptx import Presentation
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    report = reports[lang]
    deck = Presentation(io.BytesIO(report.one("pptx")))
    width, height = deck.slide_width, deck.slide_height
    assert (width, height) == (slides.SLIDE_W, slides.SLIDE_H) and abs(width / height - 16 / 9) < 0.01
    deck_slides = list(deck.slides)
    assert len(deck_slides) == len(report.charts) + 1       # a title slide, then one chart per slide
    for slide in deck_slides:
        for shape in slide.shapes:
            assert shape.left >= 0 and shape.top >= 0, shape.name
            assert shape.left + shape.width <= width and shape.top + shape.height <= height, shape.name
        assert slide.shapes.title.width >= 0.8 * width
    titles = [slide.shapes.title.text for slide in deck_slides]
    assert len(set(titles)) == len(titles), [x for x in titles if titles.count(x) > 1]
    cover = "\n".join(shape.text_frame.text for shape in deck_slides[0].shapes if shape.has_text_frame)
    for words in (report.meta.university, report.meta.filters or in_language(lang, t, "Filters: none (all data)"),
                  in_language(lang, report.meta.definition), report.meta.rule_note):
        assert words in cover
    assert_in_language(cover.splitlines(), lang, foreign, "cover")
    for slide, chart, heading in zip(deck_slides[1:], report.charts, in_language(lang, exports.headings,
                                                                                  report.charts)):
        assert slide.shapes.title.text == heading
        assert heading.endswith(exports.finding(chart)) and exports.finding(chart) != chart.title
        pictures = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
        assert len(pictures) == 1
        assert pictures[0]._element.nvPicPr.cNvPr.get("descr") == chart.summary
        assert pictures[0].image.size[0] / (pictures[0].width / slides.INCH) >= PICTURE_PPI, chart.key
        footer = [s.text_frame.text for s in slide.shapes if s.has_text_frame and s != slide.shapes.title]
        assert footer == [f"{in_language(lang, report.meta.source, chart)}\n{report.meta.rule_note}"]
        notes = slide.notes_slide.notes_text_frame.text
        assert notes.startswith(chart.summary) and report.meta.rule_note in notes
        assert_in_language([heading, *footer[0].splitlines()], lang, foreign, chart.key)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_pdf_has_a_title_page_one_page_per_chart_and_the_methodology(reports, foreign, lang):
    from pypdf import PdfReader

    report = reports[lang]
    pdf = PdfReader(io.BytesIO(report.one("pdf")))
    texts = [" ".join(page.extract_text().split()) for page in pdf.pages]
    charts = report.charts
    assert len(texts) >= len(charts) + 2
    assert in_language(lang, t, "International university dashboard") in texts[0]
    assert report.meta.university in texts[0]
    assert pdf.metadata.title == in_language(lang, t, "International university dashboard")
    assert str(pdf.trailer["/Root"].get("/Lang")) == lang
    assert in_language(lang, t, "Contents") in texts[1]
    headings = in_language(lang, exports.headings, charts)
    where = []
    for number, (chart, heading) in enumerate(zip(charts, headings), start=1):
        source = " ".join(in_language(lang, report.meta.source, chart).split())
        found = [i for i, page in enumerate(texts) if source in page and f"{number}. {' '.join(heading.split())}" in page
                 and " ".join(chart.summary.split()) in page and report.meta.rule_note in page]
        assert len(found) == 1, (chart.key, found)
        where.append(found[0])
        page = texts[found[0]]
        assert in_language(lang, t, "Page {page} of {pages}", page=found[0] + 1, pages=len(texts)) in page
        assert_in_language([heading], lang, foreign, chart.key)
    assert where == sorted(where) and len(set(where)) == len(charts)     # one chart per page, in order
    for page in where:
        assert [ppi >= PICTURE_PPI for ppi in pictures_ppi(pdf.pages[page])] == [True], page
    methodology_pages = " ".join(texts[where[-1] + 1:])
    methodology_pages = " ".join(texts[len(charts) + 1:])
    assert in_language(lang, t, "Methodology and data") in methodology_pages
    assert in_language(lang, t, "Protecting small numbers") in methodology_pages
    assert "**" not in methodology_pages and "\\" not in methodology_pages


def test_a_filtered_report_says_so_and_its_files_have_other_names(images, warehouse, reports):
    f = Filters(years=(2015, 2020), units=("SCI",), countries=("DEU",))
    report = in_language("fi", make_report, warehouse, "fi", f)
    unfiltered = set(reports["fi"].archive.namelist())
    # The comparison of the definitions is of the whole university whatever the filters: the same files.
    # So are the university's targets.
    compared = ("miksi-maaritelmat-eroavat", "kansainvaliset-kunkin-maaritelman-mukaan", "esimerkkitavoite-")
    assert {n for n in set(report.archive.namelist()) & unfiltered if not n.startswith(compared)} == {"LUEMINUT.txt"}
    assert all(re.search(r"_20(15|19|20)(-2020)?_perustieteiden-korkeakoulu", n)
               for n in report.archive.namelist() if n.endswith((".csv", ".xlsx", ".png", ".svg"))
               and not n.startswith(compared)), report.archive.namelist()
    context, _ = read_csv(next(report.read(n) for n in report.archive.namelist() if n.endswith(".csv")))
    assert context[1].startswith("Rajaukset:") and "Saksa" in context[1]


# --- the tables behind the files ------------------------------------------------------------------------------

def test_csv_holds_the_numbers_on_screen(headline):
    _, rows = read_csv(exports.csv_bytes(headline, META))
    professors = [r for r in rows if r["Population"] == "Professors"]
    assert [int(r["Year"]) for r in professors] == list(range(2010, 2023))
    on_screen = headline.data[headline.data["population"] == "professors"]
    for row, (_, shown) in zip(professors, on_screen.iterrows()):
        assert float(row["Share (%)"]) == round(shown["share"] * 100, 1)
        assert row["International (people)"] == shown["international_label"]
    assert professors[0]["Share (%)"] == "9.2" and professors[-1]["Share (%)"] == "27.1"


def test_tables_name_codes_count_periods_and_keep_whole_numbers(warehouse):
    f, rule = defaults(warehouse.options), Rule("vipunen")
    staff = {c.key: c for c in pages.page_charts("staff", warehouse, f, rule)}
    stages = exports.table(staff["international-share-by-career-stage"])
    assert list(stages["Career stage"]) == [labels.career_stage(s) for s in (1, 2, 3, 4)]
    mobility = {c.key: c for c in pages.page_charts("mobility", warehouse, f, rule)}
    per_year = exports.table(mobility["exchanges-per-year"])
    assert "Periods" in per_year and "People" not in per_year
    assert mobility["exchanges-per-year"].about == EXCHANGES
    lengths = exports.table(mobility["average-exchange-length"])
    assert all(isinstance(v, int) for v in lengths["Average length (days)"] if v is not None)
    balance = exports.table(mobility["exchange-balance-by-country"])
    assert all(isinstance(v, int) or RANGE.match(v) for v in balance["Incoming minus outgoing"])
    in_finnish = in_language("fi", exports.table, mobility["exchanges-per-year"])
    assert list(in_finnish.columns)[:3] == ["Vuosi", "Suunta", "Jaksot"]
    assert set(in_finnish["Suunta"]) == {"Saapuvat", "Lähtevät"}


def test_a_signed_range_and_dates_read_as_people_read_them():
    frame = pd.DataFrame({"partner_country": ["DEU"], "balance": [float("nan")], "balance_low": [-5.0],
                          "balance_high": [3.0], "valid_to": [pd.Timestamp("2027-06-30")]})
    chart = Chart("x", "Balance", "", frame, (2020, 2020), about=EXCHANGES)
    row = exports.table(chart).iloc[0]
    assert row["Incoming minus outgoing"] == "−5 to 3" and row["Valid to"] == dt.date(2027, 6, 30)
    assert row["Partner country"] == "Germany"
    from openpyxl import load_workbook
    sheet = load_workbook(io.BytesIO(exports.xlsx_bytes(chart, META)))["Data"]
    assert sheet["C2"].number_format == "yyyy-mm-dd" and sheet["C2"].value == dt.datetime(2027, 6, 30)
    assert sheet["B2"].alignment.horizontal == "right"


def test_small_counts_stay_hidden_in_every_file(warehouse):
    chart = pages.page_charts("countries", warehouse, defaults(warehouse.options), Rule("vipunen"),
                              population="professors", year=2015, top=20)[2]
    _, rows = read_csv(exports.csv_bytes(chart, META))   # the regions chart: some regions hold 1-4 in some years
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
    chart = Chart("units", "=cmd|' /C calc'!A0", "test", frame, (2020, 2020))
    context, rows = read_csv(exports.csv_bytes(chart, META))
    assert context[0].startswith("'=")
    units = [r["Unit"] for r in rows]
    assert units == ["'" + v for v in nasty[:4]] + ["plain"]
    from openpyxl import load_workbook
    sheet = load_workbook(io.BytesIO(exports.xlsx_bytes(chart, META)))["Data"]
    assert [row[0].value for row in sheet.iter_rows(min_row=2)] == units
    assert all(row[0].data_type == "s" for row in sheet.iter_rows(min_row=2))


def test_file_names_say_what_the_file_is_and_which_filters_it_obeys(headline):
    assert exports.file_name(headline, "png") == "international-share-of-staff-and-students_2010-2022.png"
    filtered = Chart("x", "Exchanges per year", "", headline.data, (2015, 2020),
                     filters="Filters: years 2015–2020; School of Science; international means citizens of Germany")
    assert exports.file_name(filtered, "csv") == ("exchanges-per-year_2015-2020_school-of-science-international-"
                                                  "means-citizens-of-germany.csv")
    long = Chart("x", "Exchanges per year", "", headline.data, (2015, 2020), filters="Filters: " + "; ".join(
        f"School number {n}" for n in range(20)))
    other = Chart("x", "Exchanges per year", "", headline.data, (2015, 2020), filters="Filters: " + "; ".join(
        f"School number {n}" for n in range(21)))
    assert len(exports.file_name(long, "csv")) <= len("exchanges-per-year_2015-2020_.csv") + 60 + 7
    assert exports.file_name(long, "csv") != exports.file_name(other, "csv")
    assert safe_text.slug("Maisteriopiskelijat ja ulkomaalaiset") == "maisteriopiskelijat-ja-ulkomaalaiset"
    # Every script gives a name, and different names give different names (three networks named in Chinese and
    # Arabic all became "exchanges-with-members" and overwrote each other's files in a pack).
    names = [safe_text.slug(n) for n in ("亞洲大學聯盟", "北欧网络", "شبكة عربية")]
    assert all(n and n != "report" for n in names) and len(set(names)) == 3
    long, longer = safe_text.slug("x" * 400), safe_text.slug("x" * 401)
    assert len(long) <= safe_text.SLUG_LENGTH + 7 and long != longer


def test_a_pack_never_writes_one_name_twice(warehouse):
    chart = pages.page_charts("staff", warehouse, defaults(warehouse.options), Rule("vipunen"))[0]
    twin = Chart(chart.key, chart.title, chart.subtitle, chart.data.head(3), chart.years, chart.figure,
                 chart.summary, filters=chart.filters)
    archive = zipfile.ZipFile(io.BytesIO(packs.pack([chart, twin], META, "Staff", "", with_images=False)))
    names = archive.namelist()
    assert len(names) == len(set(names)) == 5
    assert read_csv(archive.read(names[2]))[1] != read_csv(archive.read(names[0]))[1]   # each its own data


def test_without_a_font_the_pack_keeps_everything_but_the_pdf_and_says_why(images, warehouse, monkeypatch):
    from app.reports import document

    def no_font():
        raise document.PdfUnavailable("no Unicode font found")
    monkeypatch.setattr(document, "_font", no_font)
    charts = pages.page_charts("staff", warehouse, defaults(warehouse.options), Rule("vipunen"))
    archive = zipfile.ZipFile(io.BytesIO(packs.pack(charts, META, "Staff", "")))
    kinds = {n.rsplit(".", 1)[1] for n in archive.namelist()}
    assert kinds == {"png", "svg", "csv", "xlsx", "pptx", "txt"}
    assert "The PDF report is left out: the server has no font" in archive.read("README.txt").decode()


def test_a_long_filter_line_wraps_inside_the_image(headline):
    long = Chart(headline.key, headline.title, headline.subtitle, headline.data, headline.years, headline.figure,
                 headline.summary, filters="Filters: " + "; ".join(f"School number {n}" for n in range(30)))
    figure = exports.figure_for_export(long, META)
    lines = figure.layout.title.subtitle.text.split("<br>")
    assert len(lines) > 2 and all(len(line) <= exports.WIDTH // 10 for line in lines)
    assert figure.layout.margin.t == 150 + 22 * (len(lines) - 1)
    assert exports.figure_for_export(headline, META).layout.margin.t == 150


def test_exchange_files_say_what_a_period_is_not_who_is_international(warehouse):
    f, rule = defaults(warehouse.options), Rule("vipunen")
    exchanges = pages.page_charts("mobility", warehouse, f, rule)[0]
    people = pages.page_charts("staff", warehouse, f, rule)[0]
    assert META.definition(exchanges).startswith("Exchange periods:") and "citizenship" in META.definition(exchanges)
    assert META.definition(people).startswith("International by register citizenship. International: a citizenship "
                                              "other than that of Finland, as the population register records it")
    assert META.lines(exchanges)[1] == META.definition(exchanges)


def test_headings_are_findings_and_never_repeat():
    def chart(title, summary, scope=""):
        return Chart(title.lower(), title, "", pd.DataFrame(), (2020, 2020), summary=summary, scope=scope)
    charts = [chart("Share by unit", "The share rose from 9% in 2010 to 27.1% in 2022. Units differ."),
              chart("Exchanges with Unite! members", "In 2025, 9 periods. More."),
              chart("Exchanges with N5T members", "In 2025, 9 periods. More."),
              chart("Share by unit", "The share rose from 9% in 2010 to 27.1% in 2022.", scope="students")]
    found = exports.headings(charts)
    assert found[1] == "Exchanges with Unite! members: In 2025, 9 periods."
    assert found[0] == "Share by unit: The share rose from 9% in 2010 to 27.1% in 2022."
    assert found[3] == "Share by unit (students): The share rose from 9% in 2010 to 27.1% in 2022."
    assert len(set(found)) == 4


def test_the_partner_table_downloads_as_csv_and_excel(warehouse):
    from openpyxl import load_workbook

    from app.model import mobility
    f = defaults(warehouse.options)
    rows = mobility.filter_partners(mobility.partners(warehouse, f, Rule("vipunen")), network="Unite!")
    chart = Chart("partner-institutions", "Partner institutions", "", rows.drop(columns=["volume", "exchanged"]),
                  f.years, about=EXCHANGES)
    _, exported = read_csv(exports.csv_bytes(chart, META))
    assert len(exported) == 8
    kth = next(r for r in exported if r["Partner"] == "KTH Royal Institute of Technology")
    assert kth["Networks"] == "Unite!; Nordic Five Tech" and kth["Country"] == "Sweden"
    assert int(kth["Incoming (periods)"]) % 3 == 0
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", kth["Valid to"]) and kth["Listed partner"] == "yes"
    sheet = load_workbook(io.BytesIO(exports.xlsx_bytes(chart, META)))["Data"]
    assert sheet.max_row == 9
    assert exports.file_name(chart, "csv") == "partner-institutions_2010-2025.csv"


def test_a_pack_without_a_browser_still_holds_the_data(warehouse):
    charts = pages.page_charts("students", warehouse, defaults(warehouse.options), Rule("vipunen"))
    data = packs.pack(charts, META, "Students", "", with_images=False)
    assert {n.rsplit(".", 1)[1] for n in zipfile.ZipFile(io.BytesIO(data)).namelist()} == {"csv", "xlsx", "txt"}


def test_downloads_made_later_on_another_thread_keep_the_language_of_the_page(headline):
    # Streamlit runs a download's data callable on another thread when it is clicked: files came out in English.
    make = in_language("fi", i18n.in_this_language, lambda: exports.table(headline).columns[0])
    out = []
    worker = threading.Thread(target=lambda: out.append(make()))
    worker.start()
    worker.join()
    assert out == ["Joukko"] and i18n.language() == "en"
