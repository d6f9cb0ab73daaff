"""The dashboard in a real Chromium against `streamlit run`: deep links on a
fresh server, filters in the URL, page switches, screenshots."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import sync_playwright

from tests.server import ARTIFACTS, CHROMIUM_ARGS, chromium_path, streamlit_server, wait_for_charts, wait_until_idle

pytestmark = pytest.mark.browser
SHOTS = ARTIFACTS / "screenshots"


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def new_page(browser, height: int = 2000):
    context = browser.new_context(viewport={"width": 1400, "height": height})
    return context.new_page()


def query(page) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(urlparse(page.url).query).items()}


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("path, heading, expected", [
    ("/students?years=2012-2020&units=SCI", "Students", {"years": "2012-2020", "units": "SCI"}),
    ("/countries?population=doctoral&year=2019&gender=female", "Countries of origin",
     {"population": "doctoral", "year": "2019", "gender": "female"}),
    ("/staff?groups=professor&countries=region:nordic", "Staff", {"groups": "professor", "countries": "region:nordic"}),
    ("/mobility?years=2018-2022&units=ENG", "Mobility", {"years": "2018-2022", "units": "ENG"}),
    ("/partners?q=zurich", "Partners", {"q": "zurich"}),
    ("/networks?network=Nordic+Five+Tech", "Networks and alliances", {"network": "Nordic Five Tech"}),
])
def test_a_deep_link_on_a_freshly_started_server_shows_the_filtered_view(browser, demo_warehouse, path, heading,
                                                                          expected):
    with streamlit_server(demo_warehouse) as url:
        page = new_page(browser)
        page.goto(url + path)
        wait_until_idle(page)
        assert page.get_by_role("heading", name=heading).first.is_visible()
        assert not page.locator('[data-testid="stException"]').count()
        assert "Page not found" not in page.content()
        for name, value in expected.items():
            assert query(page).get(name) == value, name
        if "years" in expected:
            first, last = expected["years"].split("-")
            sidebar = page.locator('[data-testid="stSidebar"]')
            assert sidebar.get_by_role("combobox", name="First year").input_value() == first
            assert sidebar.get_by_role("combobox", name="Last year").input_value() == last


def choose(page, select, name: re.Pattern, tries: int = 3) -> None:
    """Pick an option of a multiselect. On a loaded machine a rerun that lands just after the click
    redraws the widget and closes its list, so the list is opened again (a person would click again)."""
    for attempt in range(tries):
        select.click()
        try:
            page.get_by_role("option", name=name).click(timeout=10_000)
            return
        except PlaywrightTimeout:
            if attempt == tries - 1:
                raise
            page.keyboard.press("Escape")
            wait_until_idle(page)


def test_filters_change_the_url_and_the_figures_and_hold_across_pages(browser, demo_warehouse):
    with streamlit_server(demo_warehouse) as url:
        page = new_page(browser)
        page.goto(url + "/")
        wait_until_idle(page)
        first_card = page.locator('[data-testid="stMetricValue"]').first
        before = first_card.inner_text()

        units = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first
        choose(page, units, re.compile(r"^ARTS"))
        page.keyboard.press("Escape")
        wait_until_idle(page)
        page.wait_for_function("() => location.search.includes('units=ARTS')")
        assert query(page)["units"] == "ARTS"
        after = first_card.inner_text()
        assert after != before

        page.locator('[data-testid="stSidebar"]').get_by_role("link", name="Students").click()
        page.wait_for_url(re.compile(r"/students"))
        wait_until_idle(page)
        assert query(page).get("units") == "ARTS"
        assert "ARTS" in page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first.inner_text()
        assert page.get_by_role("heading", name="Students").first.is_visible()


@pytest.mark.parametrize("name, path", [
    ("overview", "/"), ("staff", "/staff"), ("students", "/students"),
    ("countries", "/countries?population=degree_students"), ("methodology", "/methodology"),
    ("overview-2010-2022", "/?years=2010-2022"), ("mobility", "/mobility"), ("partners", "/partners"),
    ("networks", "/networks"), ("empty-state", "/staff?units=SERV&groups=professor&gender=other"),
    ("strategy", "/strategy"), ("strategy-fi", "/strategy?lang=fi"),
])
def test_screenshots_of_every_page(browser, demo_warehouse, name, path, request):
    server = request.getfixturevalue("shared_server")
    page = new_page(browser, height=2600)
    page.goto(server + path)
    wait_until_idle(page)
    wait_for_charts(page)
    assert not page.locator('[data-testid="stException"]').count()
    shoot(page, name)


@pytest.fixture(scope="module")
def shared_server(demo_warehouse):
    with streamlit_server(demo_warehouse) as url:
        yield url


def test_downloading_a_chart_in_the_browser(browser, shared_server, tmp_path):
    page = new_page(browser)
    page.goto(shared_server + "/?years=2010-2022")
    wait_until_idle(page)
    buttons = page.locator('[data-testid="stDownloadButton"]')
    with page.expect_download() as csv_download:
        buttons.filter(has_text="CSV").first.click()
    assert csv_download.value.suggested_filename == "international-share-of-staff-and-students_2010-2022.csv"
    csv_path = tmp_path / "chart.csv"
    csv_download.value.save_as(csv_path)
    text = csv_path.read_text(encoding="utf-8-sig")
    assert "Professors,2010,21,228" in text and "Professors,2022,105,387" in text

    with page.expect_download(timeout=60_000) as png_download:
        buttons.filter(has_text="PNG").first.click()
    assert png_download.value.suggested_filename == "international-share-of-staff-and-students_2010-2022.png"
    png_path = tmp_path / "chart.png"
    png_download.value.save_as(png_path)
    assert png_path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert not page.locator('[data-testid="stException"]').count()


def test_a_download_in_finnish_is_in_finnish(browser, shared_server, tmp_path):
    # The file is made when clicked, on another thread of the server: it came out in English.
    page = new_page(browser)
    page.goto(shared_server + "/staff?years=2010-2022&lang=fi")
    wait_until_idle(page)
    wait_for_charts(page)   # on a loaded machine the first CSV button drawn was a later chart's
    with page.expect_download() as download:
        page.locator('[data-testid="stDownloadButton"]').filter(has_text="CSV").first.click()
    path = tmp_path / "chart.csv"
    download.value.save_as(path)
    text = path.read_text(encoding="utf-8-sig")
    assert "Joukko;Vuosi;Kansainväliset (henkeä)" in text and "Professorit;2010;21;228" in text
    assert "Lähde:" in text and "Professors" not in text and "Source" not in text


def test_the_full_report_shows_its_progress_and_downloads_a_deck_and_a_pdf(browser, shared_server, tmp_path):
    page = new_page(browser)
    page.goto(shared_server + "/?lang=sv")
    wait_until_idle(page)
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_role("button", name=re.compile("Hela rapporten")).click()
    # The steps are told while it works; then a download button with the size.
    sidebar.get_by_text(re.compile("Rapporten förbereds|Diagrammen ritas|Datafilerna skrivs")).first.wait_for(
        timeout=60_000)
    ready = sidebar.locator('[data-testid="stDownloadButton"]').filter(has_text=re.compile(r"Ladda ner rapporten"))
    ready.wait_for(timeout=180_000)
    shoot(page, "full-report-ready-sv")
    with page.expect_download(timeout=60_000) as download:
        ready.click()
    assert download.value.suggested_filename.endswith(".zip")
    path = tmp_path / "report.zip"
    download.value.save_as(path)
    import zipfile
    names = zipfile.ZipFile(path).namelist()
    assert sum(n.endswith(".pptx") for n in names) == 1 and sum(n.endswith(".pdf") for n in names) == 1
    assert "LASMIG.txt" in names
    assert not page.locator('[data-testid="stException"]').count()


def test_typing_a_search_narrows_the_partner_table(browser, shared_server):
    page = new_page(browser)
    page.goto(shared_server + "/partners")
    wait_until_idle(page)
    box = page.get_by_label("Search partners")
    box.fill("zurich")
    box.press("Enter")
    page.wait_for_function("() => location.search.includes('q=zurich')")
    wait_until_idle(page)
    page.wait_for_timeout(800)
    grid = page.locator('[data-testid="stDataFrame"]').first
    # The grid's accessible rows: a header row and the one match.
    assert grid.locator('[role="row"]').count() == 2
    cells = [c.inner_text() for c in grid.locator('[role="gridcell"]').all()]
    assert cells[:2] == ["ETH Zürich", "Switzerland"]
    assert query(page)["q"] == "zurich"
    shoot(page, "partners-search-zurich")


def test_switching_language_translates_the_charts_and_the_url(browser, shared_server):
    page = new_page(browser, height=1800)
    page.goto(shared_server + "/?years=2010-2022")
    wait_until_idle(page)
    selector = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first
    selector.click()
    page.get_by_role("option", name="Suomi").click()
    page.wait_for_function("() => location.search.includes('lang=fi')")
    wait_until_idle(page)
    page.get_by_text("Kansainvälisten osuus henkilöstöstä ja opiskelijoista").first.wait_for()
    assert query(page)["lang"] == "fi" and query(page)["years"] == "2010-2022"
    assert page.get_by_role("heading", name="Kansainvälisyys yhdellä silmäyksellä").first.is_visible()
    wait_for_charts(page)
    assert "Kansainvälisten professorien osuus kasvoi: 9 % vuonna 2010, 27 % vuonna 2022." in \
        page.locator('[data-testid="stMain"]').inner_text().replace("\xa0", " ")
    shoot(page, "overview-finnish")
    page.locator('[data-testid="stSidebar"]').get_by_role("link", name="Henkilöstö").click()
    page.wait_for_url(re.compile(r"/staff\?.*lang=fi"))
    wait_until_idle(page)
    assert page.get_by_role("heading", name="Henkilöstö").first.is_visible()


def test_switching_the_definition_changes_the_figures_and_the_link_and_the_comparison_follows(browser,
                                                                                               shared_server):
    """Issue 16: a reader switches who counts as international, keeps the choice across pages in the link,
    and opens the comparison of the definitions."""
    page = new_page(browser, height=2200)
    page.goto(shared_server + "/")
    wait_until_idle(page)
    wait_for_charts(page)
    # The professors' card by its label (the first card read mid-run was once another group's).
    professors = page.locator('[data-testid="stMetric"]').filter(
        has=page.get_by_test_id("stMetricLabel").filter(has_text=re.compile(r"^Professors$"))
    ).get_by_test_id("stMetricValue")
    before = professors.inner_text()
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_role("combobox", name="Who counts as international").click()
    page.get_by_role("option", name="Any foreign citizenship").click()
    page.wait_for_function("() => location.search.includes('definition=any_foreign')")
    wait_until_idle(page)
    page.get_by_text("International by any foreign citizenship").first.wait_for()
    wait_for_charts(page)
    after = professors.inner_text()
    assert float(after.rstrip("%")) > float(before.rstrip("%"))   # dual citizens now count: the share rises
    shoot(page, "overview-any-foreign-citizenship")

    sidebar.get_by_role("link", name="Students").click()
    page.wait_for_url(re.compile(r"/students\?.*definition=any_foreign"))
    wait_until_idle(page)
    assert sidebar.get_by_role("combobox", name="Who counts as international").input_value() == \
        "Any foreign citizenship"

    sidebar.get_by_role("link", name="Methodology and data").click()
    page.wait_for_url(re.compile(r"/methodology\?.*definition=any_foreign"))
    wait_until_idle(page)
    main = page.locator('[data-testid="stMain"]')
    page.get_by_role("heading", name="Comparing the definitions").first.scroll_into_view_if_needed()
    page.get_by_role("heading", name="Why the definitions differ").first.wait_for()
    wait_for_charts(page)
    text = main.inner_text()
    assert "dual citizens of Finland and another country" in text
    assert re.search(r"Register citizenship: \d+% \(\d[\d,]* of \d[\d,]*\)", text)
    assert not page.locator('[data-testid="stException"]').count()
    shoot(page, "methodology-definitions-compared")


def test_the_strategy_page_shows_the_targets_and_follows_the_staff_group(browser, shared_server):
    """Issue 17: the overview names each target's verdict and links to the strategy page, where a reader
    chooses another staff group for the retention chart and the link keeps it."""
    page = new_page(browser, height=2600)
    page.goto(shared_server + "/")
    wait_until_idle(page)
    main = page.locator('[data-testid="stMain"]')
    assert "Behind: from 28.7% in 2025, reaching 35% by 2030 needs" in main.inner_text()
    main.get_by_role("link", name="More on the Strategy page").click()
    page.wait_for_url(re.compile(r"/strategy"))
    wait_until_idle(page)
    wait_for_charts(page)
    assert page.get_by_role("heading", name="Example target — International professors: 35% by 2030").is_visible()
    before = main.inner_text()
    assert "Other teaching and research staff who started in" in before
    main.get_by_role("combobox", name="Staff group").click()
    page.get_by_role("option", name="Professors").click()
    page.wait_for_function("() => location.search.includes('cohort=professors')")
    wait_until_idle(page)
    page.get_by_text("Professors who started in").first.wait_for()
    wait_for_charts(page)
    assert not page.locator('[data-testid="stException"]').count()
    shoot(page, "strategy-professors")


def test_a_tab_draws_its_charts_when_opened_and_keeps_the_filters(browser, shared_server):
    page = new_page(browser, height=2200)
    page.goto(shared_server + "/mobility?years=2016-2020")
    wait_until_idle(page)

    def titles() -> list[str]:   # each chart's title is a heading above it
        return page.eval_on_selector_all('[data-testid="stMain"] h4', "els => els.map(e => e.textContent)")

    # The charts draw after the page settles (later still on a busy machine): wait for them by name.
    page.wait_for_function("""() => [...document.querySelectorAll('[data-testid="stMain"] h4')]
                                    .some(e => e.textContent.includes('Exchange periods per year'))""", timeout=30_000)
    wait_for_charts(page)
    assert "Exchange periods per year" in titles()
    assert not any("partner country" in t for t in titles())   # hidden tabs are not computed
    page.get_by_role("tab", name="Partner countries").click()
    page.wait_for_function("""() => [...document.querySelectorAll('[data-testid="stMain"] h4')]
                                    .some(e => e.textContent.includes('Balance of exchanges'))""", timeout=30_000)
    wait_until_idle(page)
    wait_for_charts(page)
    assert "Exchange periods per year" not in titles()
    assert query(page)["years"] == "2016-2020"
    assert not page.locator('[data-testid="stException"]').count()
    shoot(page, "mobility-partner-countries")


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_a_tab_opened_on_a_finnish_or_swedish_page_stays_in_its_language(browser, shared_server, lang):
    """A tab is a fragment of the page, rerun alone: it opened in English, the tab names changed language with it,
    and so the first click left the first tab open."""
    from app.words import i18n, safe_text

    i18n.set_language(lang)
    try:
        names = [i18n.t(name) for name in ("Over time", "Partner countries")]
        balance, periods = i18n.t("Balance of exchanges by partner country"), i18n.t("Exchange periods per year")
    finally:
        i18n.set_language("en")
    page = new_page(browser, height=2200)
    page.goto(shared_server + f"/mobility?lang={lang}&years=2016-2020")
    wait_until_idle(page)
    page.get_by_role("tab", name=names[1]).click()
    page.wait_for_function("""title => [...document.querySelectorAll('[data-testid="stMain"] h4')]
                                       .some(e => e.textContent.includes(title))""", arg=balance, timeout=30_000)
    wait_until_idle(page)
    wait_for_charts(page)
    tabs = page.get_by_role("tab")
    assert tabs.all_inner_texts()[:2] == names
    assert page.get_by_role("tab", name=names[1]).get_attribute("aria-selected") == "true"
    headings = page.eval_on_selector_all('[data-testid="stMain"] h4', "els => els.map(e => e.textContent)")
    assert periods not in headings and not any("Balance of exchanges" in h for h in headings)
    with page.expect_download() as csv:   # the balance chart's, the tab's last
        page.locator('[data-testid="stDownloadButton"]').filter(has_text="CSV").last.click()
    assert csv.value.suggested_filename.startswith(safe_text.slug(balance)), csv.value.suggested_filename
    assert not page.locator('[data-testid="stException"]').count()


RULES = ("vipunen", "hesa", "threshold:5", "none")


@pytest.mark.parametrize("rule", ("vipunen", "threshold:5"))
def test_every_page_draws_under_every_rule(browser, demo_warehouse, rule):
    """A rounding rule and the suppressing rule on every registered page in a real browser (every rule on every
    page is rendered in tests/test_sweep.py and tests/test_pages.py)."""
    from app.present.pages import PAGES, Row

    with streamlit_server(demo_warehouse, DISCLOSURE_RULE=rule) as url:
        page = new_page(browser)
        for spec in PAGES.values():
            path = "/" if spec.script == "dashboard.py" else "/" + spec.key
            page.goto(url + path)
            wait_until_idle(page)
            heading = (spec.heading or spec.title)()
            assert page.get_by_role("heading", name=heading).first.is_visible(), (rule, spec.key)
            if any(isinstance(block, Row) for block in spec.blocks()):
                wait_for_charts(page)
            assert not page.locator('[data-testid="stException"]').count(), (rule, spec.key)
            assert "could not be drawn" not in page.content(), (rule, spec.key)
            assert "Exact figures" not in page.content(), (rule, spec.key)


def test_a_country_filter_is_named_in_titles_and_summaries(browser, shared_server):
    page = new_page(browser, height=2600)
    page.goto(shared_server + "/staff?countries=DEU")
    wait_until_idle(page)
    wait_for_charts(page)
    main = page.locator('[data-testid="stMain"]')
    assert "Filters: international means citizens of Germany" in main.inner_text()
    # Under each chart's heading, its subtitle and filters (the caption in the next element).
    subtitles = page.eval_on_selector_all('[data-testid="stMain"] h4', """hs => hs.map(h =>
        h.closest('[data-testid="stElementContainer"]').nextElementSibling.innerText)""")
    assert len(subtitles) == page.locator('[data-testid="stPlotlyChart"]').count() >= 3
    for subtitle in subtitles:
        assert "citizens of Germany" in subtitle
    shoot(page, "staff-country-filter")


def test_on_a_phone_the_page_comes_first(browser, shared_server):
    """390 x 844: the sidebar starts closed (it covered the content), nothing is wider than the screen."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
                                  has_touch=True)
    page = context.new_page()
    page.goto(shared_server + "/")
    wait_until_idle(page)
    wait_for_charts(page)
    box = page.locator('[data-testid="stSidebar"]').bounding_box()
    assert box is None or box["x"] + box["width"] <= 1, box   # closed: off the screen to the left
    assert page.get_by_role("heading", name="Internationalisation at a glance").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    heading = page.get_by_role("heading", name="Internationalisation at a glance").first
    assert heading.evaluate("h => h.getClientRects().length") >= 1
    words = heading.evaluate("""h => { const r = document.createRange(); const text = h.querySelector('span') || h;
        const node = [...text.childNodes].find(n => n.nodeType === 3) || text.firstChild.firstChild || text.firstChild;
        r.setStart(node, 0); r.setEnd(node, 'Internationalisation'.length); return r.getClientRects().length; }""")
    assert words == 1, "the first word of the title breaks across lines"
    shoot(page, "phone-overview")
    page.goto(shared_server + "/staff?countries=DEU&lang=fi")
    wait_until_idle(page)
    wait_for_charts(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # Chart titles wrap inside the screen (a figure's own title was cut off at the right edge).
    edges = page.eval_on_selector_all('[data-testid="stMain"] h4, [data-testid="stMain"] [data-testid="stCaptionContainer"]',
                                      "els => els.map(e => e.getBoundingClientRect().right)")
    assert edges and max(edges) <= 390, edges
    shoot(page, "phone-staff-finnish")
    context.close()


def test_the_page_speaks_its_language_and_the_keyboard_is_visible_and_quiet(browser, shared_server):
    """Screen readers read the page in its language (Streamlit writes lang="en" and an English skip link);
    the keyboard's focus is clearly drawn; choosing a year with the keyboard reruns the page once, when
    chosen (a slider reran it at every arrow-key step)."""
    page = new_page(browser)
    page.goto(shared_server + "/?lang=sv")
    wait_until_idle(page)
    page.wait_for_function("document.documentElement.lang === 'sv'", timeout=10_000)
    assert page.locator('[data-testid="stSkipToContent"]').text_content() == "Hoppa till huvudinnehållet"
    page.get_by_role("combobox", name="Language · Kieli · Språk").focus()
    page.keyboard.press("Tab")   # the help of the next choice, then the choice: who counts as international
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == \
        "Help for Vem räknas som internationell"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Vem räknas som internationell"
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert focused == "Från år"
    ring = page.evaluate("""(() => { const box = getComputedStyle(document.activeElement.parentElement);
                                     return [box.outlineStyle, box.outlineWidth, box.outlineColor]; })()""")
    assert ring == ["solid", "3px", "rgb(31, 41, 55)"], ring   # 14:1 against white
    for _ in range(4):
        page.keyboard.press("ArrowDown")
        page.wait_for_timeout(300)
    assert "years" not in query(page)          # moving through the list does not rerun the page
    page.keyboard.press("Enter")
    page.wait_for_function("() => new URLSearchParams(location.search).get('years') !== null", timeout=20_000)
    wait_until_idle(page)
    first, last = query(page)["years"].split("-")
    assert int(first) > 2010 and last == "2025"
    shoot(page, "keyboard-first-year")
