import streamlit as st

from app import labels, report, ui
from app.i18n import t

ctx = ui.frame("countries")


def page() -> None:
    wh, f = ctx.warehouse, ctx.filters
    st.title(t("Countries of origin"))
    years = [y for y in wh.options.years if f.first_year <= y <= f.last_year]
    one, two, three = st.columns([2, 1, 1])
    with one:
        population = ui.page_choice("population", t("Population"), report.COUNTRY_POPULATIONS, "professors",
                                    labels.population)
    with two:
        year = ui.page_choice("year", t("Year"), years[::-1], years[-1])
    with three:
        top = ui.page_choice("top", t("Countries in the top list"), [5, 10, 15, 20], 5)
    countries = [c for c in wh.options.countries if c != wh.home] + [wh.home]
    # The drill-down's country is chosen below its heading but computed with the rest.
    country = st.session_state.get("p_country") or st.query_params.get("country")
    country = country if country in countries else report.default_country(wh)
    top_list, world, regions, drill = charts = report.countries(wh, f, ctx.rule, population, year, top, country)
    left, right = st.columns([2, 3])
    with left:
        ui.show(top_list)
    with right:
        ui.show(world)
    ui.show(regions)
    st.subheader(t("One country across populations"))
    ui.page_choice("country", t("Country"), countries, report.default_country(wh), labels.country)
    ui.show(drill)
    ui.report_pack(charts, t("Countries of origin"))


ui.guarded(page)
