import streamlit as st

from app import report, ui
from app.i18n import t

ctx = ui.frame("staff")


def page() -> None:
    st.title(t("Staff"))
    st.caption(t("Headcount on 31 December; a person with several employments counts once, in the largest one."))
    trend, composition, by_unit, by_stage = charts = report.staff(ctx.warehouse, ctx.filters, ctx.rule)
    ui.show(trend)
    ui.show(composition)
    left, right = st.columns(2)
    with left:
        ui.show(by_unit)
    with right:
        ui.show(by_stage)
    ui.report_pack(charts, t("Staff"))


ui.guarded(page)
