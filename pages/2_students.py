import streamlit as st

from app import ui, views
from app.i18n import t

ctx = ui.frame("students")


def page() -> None:
    wh, f, rule = ctx.warehouse, ctx.filters, ctx.rule
    st.title(t("Students"))
    st.caption(t("Degree students present in the academic year (2022 = 2022–2023); a student at two levels counts at each."))
    ui.show(views.student_trend(wh, f, rule))
    ui.show(views.new_student_trend(wh, f, rule))
    left, right = st.columns(2)
    with left:
        ui.show(views.composition(wh, f, rule, "degree_students"))
    with right:
        ui.show(views.by_unit(wh, f, rule, "degree_students"))


ui.guarded(page)
