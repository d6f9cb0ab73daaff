import streamlit as st

from app import mobility, mobility_views, report, ui
from app.i18n import t

ctx = ui.frame("mobility")


def page() -> None:
    wh, f, rule = ctx.warehouse, ctx.filters, ctx.rule
    st.title(t("Mobility"))
    st.caption(t("Exchange periods of students and staff, by the calendar year they start. The year, unit and country "
                 "filters apply (countries as partner countries)."))
    if not mobility.any_exchanges(wh, f):
        ui.empty_state(t("Mobility"))
        return
    over_time, countries, breakdowns = ui.lazy_tabs(
        [t("Over time"), t("Partner countries"), t("Level, programme and unit")])
    with over_time:
        if over_time.open:
            ui.show(mobility_views.exchanges_per_year(wh, f, rule))
            ui.show(mobility_views.average_stay(wh, f, rule))
    with countries:
        if countries.open:
            by_country = mobility.breakdown(wh, f, "partner_country", rule)
            ui.show(mobility_views.flows(by_country, f, rule))
            ui.show(mobility_views.balance_by_country(by_country, f))
    with breakdowns:
        if breakdowns.open:
            ui.show(mobility_views.exchanges_by(wh, f, rule, "level"))
            left, right = st.columns(2)
            with left:
                ui.show(mobility_views.exchanges_by(wh, f, rule, "programme"))
            with right:
                ui.show(mobility_views.exchanges_by(wh, f, rule, "unit"))
    ui.report_pack(lambda: report.mobility(wh, f, rule), t("Mobility"))


ui.guarded(page)
