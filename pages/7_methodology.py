"""Methodology and data: definitions, the disclosure rule in force, and what this warehouse was built from."""

import streamlit as st

from app.present import methodology, pages, views
from app.web import frame, layout, widgets
from app.words import labels
from app.words.i18n import t

ctx = frame.start("methodology")


def compare(ctx: frame.Context) -> None:
    """Every definition side by side for one population and year, and who moves between them."""
    st.header(t("Comparing the definitions"))
    wh = ctx.warehouse
    one, two = st.columns([2, 1])
    with one:
        key = widgets.page_choice("population", t("Population"), pages.COUNTRY_POPULATIONS, "professors",
                                  labels.population)
    with two:
        years = list(wh.options.people_years[::-1])
        year = widgets.page_choice("year", t("Year"), years, years[0])
    layout.show(views.definitions_side_by_side(wh, ctx.rule, key, year), ctx)
    layout.show(views.definition_changes(wh, ctx.rule, key, year), ctx)


def page() -> None:
    manifest, home = ctx.warehouse.manifest, labels.country(ctx.warehouse.home)
    st.title(t("Methodology and data"))
    st.markdown(methodology.definitions(home))
    compare(ctx)
    st.markdown(methodology.strategy())

    st.header(t("Protecting small numbers"))
    st.markdown(methodology.disclosure(ctx.rule))

    st.header(t("This warehouse"))
    st.markdown(methodology.build_facts(manifest, home, ctx.rule))
    files, rejected = methodology.build_files(manifest, ctx.rule)
    if not files.empty:
        st.dataframe(files, hide_index=True, width="stretch")
    if rejected:
        st.warning(t("{count} rows were rejected in this build; the rejects report (rejects.csv in the warehouse) "
                     "lists each with its file, line and reason.", count=rejected))
    else:
        st.success(t("No rows were rejected in this build."))


layout.guarded(page)
