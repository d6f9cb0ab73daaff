import streamlit as st

from app import mobility, report, ui
from app.i18n import t

ctx = ui.frame("networks")


def page() -> None:
    wh, f, rule = ctx.warehouse, ctx.filters, ctx.rule
    st.title(t("Networks and alliances"))
    names = mobility.network_names(wh)
    if not names:
        ui.empty_state(t("Networks and alliances"))
        return
    network = ui.page_choice("network", t("Network"), names, "Unite!" if "Unite!" in names else names[0],
                             kind="segmented")
    exchanges, share = charts = report.network(wh, f, rule, network)
    left, right = st.columns(2)
    with left:
        ui.show(exchanges)
    with right:
        ui.show(share)
    st.subheader(t("Members"))
    table = mobility.partners(wh, f, rule, network=network)
    ui.partner_table(table)
    ui.report_pack(charts, t("Networks and alliances"))


ui.guarded(page)
