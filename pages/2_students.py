import streamlit as st

from app import report, ui
from app.i18n import t

ctx = ui.frame("students")


def page() -> None:
    st.title(t("Students"))
    st.caption(t("Degree students present in the academic year (2022 = 2022–2023); a student at two levels counts "
                 "at each."))
    trend, new, composition, by_unit = charts = report.students(ctx.warehouse, ctx.filters, ctx.rule)
    ui.show(trend)
    ui.show(new)
    left, right = st.columns(2)
    with left:
        ui.show(composition)
    with right:
        ui.show(by_unit)
    ui.report_pack(charts, t("Students"))


ui.guarded(page)
