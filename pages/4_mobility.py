import streamlit as st

from app import report, ui
from app.i18n import t

ctx = ui.frame("mobility")


def page() -> None:
    st.title(t("Mobility"))
    st.caption(t("Exchange periods of students and staff, by the calendar year they start. The year, unit and country "
                 "filters apply (countries as partner countries)."))
    per_year, flows, balance, by_level, by_programme, by_unit, stay = charts = report.mobility(
        ctx.warehouse, ctx.filters, ctx.rule)
    ui.show(per_year)
    ui.show(flows)
    left, right = st.columns(2)
    with left:
        ui.show(balance)
    with right:
        ui.show(by_level)
    left, right = st.columns(2)
    with left:
        ui.show(by_programme)
    with right:
        ui.show(by_unit)
    ui.show(stay)
    ui.report_pack(charts, t("Mobility"))


ui.guarded(page)
