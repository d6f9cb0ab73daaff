import streamlit as st

from app import labels, ui, views
from app.i18n import t

ctx = ui.frame("countries")


def page() -> None:
    wh, f, rule = ctx.warehouse, ctx.filters, ctx.rule
    st.title(t("Countries of origin"))
    populations = ["professors", "teaching_research", "all_staff", "degree_students", "bachelor", "master", "doctoral",
                   "new_students"]
    years = [y for y in wh.options.years if f.first_year <= y <= f.last_year]
    one, two, three = st.columns([2, 1, 1])
    with one:
        population = ui.page_choice("population", t("Population"), populations, "professors", labels.population)
    with two:
        year = ui.page_choice("year", t("Year"), years[::-1], years[-1])
    with three:
        top = ui.page_choice("top", t("Countries in the top list"), [5, 10, 15, 20], 5)
    left, right = st.columns([2, 3])
    with left:
        ui.show(views.top_countries(wh, f, rule, population, year, top))
    with right:
        ui.show(views.countries_map(wh, f, rule, population, year))
    ui.show(views.regions(wh, f, rule, population))

    st.subheader(t("One country across populations"))
    countries = [c for c in wh.options.countries if c != wh.home] + [wh.home]
    country = ui.page_choice("country", t("Country"), countries, countries[0] if "DEU" not in countries else "DEU",
                             labels.country)
    ui.show(views.country_drilldown(wh, f, rule, country))


ui.guarded(page)
