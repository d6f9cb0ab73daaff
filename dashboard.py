"""Overview, and the entry point: `streamlit run dashboard.py`.

The other pages live in pages/ (Streamlit's file-based multipage layout, so
every page has its own URL that works as a first link on a fresh server).
Each page starts with `ui.frame()`, which draws what every page shares.
"""

import streamlit as st

from app import metrics, report, ui
from app.i18n import t

ctx = ui.frame("overview")


def page() -> None:
    st.title(t("Internationalisation at a glance"))
    st.caption(t("Share of people with a known citizenship who are international, {year}, and how it has changed.",
                 year=ctx.filters.last_year))
    charts = report.overview(ctx.warehouse, ctx.filters, ctx.rule)
    # The cards read the same protected trend as the chart below them: computed once.
    ui.headline_cards(metrics.headlines_from(charts[0].data) if not charts[0].data.empty else [])
    for chart in charts:
        ui.show(chart)
    ui.report_pack(charts, t("Overview"))


ui.guarded(page)
