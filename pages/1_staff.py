import streamlit as st

from app import ui, views
from app.i18n import t

ctx = ui.frame("staff")


def page() -> None:
    wh, f, rule = ctx.warehouse, ctx.filters, ctx.rule
    st.title(t("Staff"))
    st.caption(t("Headcount on 31 December; a person with several employments counts once, in the largest one."))
    ui.show(views.staff_trend(wh, f, rule))
    ui.show(views.composition(wh, f, rule, "all_staff"))
    left, right = st.columns(2)
    with left:
        ui.show(views.by_unit(wh, f, rule, "all_staff"))
    with right:
        ui.show(views.by_career_stage(wh, f, rule))


ui.guarded(page)
