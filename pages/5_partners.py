"""Partners: a search tool over the partner table, laid out here (its choices come from the table itself)."""

import streamlit as st

from app.model import mobility
from app.present import mobility_views
from app.present.pages import inputs_for
from app.web import frame, layout, widgets
from app.words import labels, safe_text
from app.words.i18n import fmt_int, t

ctx = frame.start("partners")


def page() -> None:
    wh, f, rule = ctx.warehouse, ctx.filters, ctx.rule
    st.title(t("Partners"))
    st.caption(t("Partner agreements and the exchange periods with each institution in the selected years. "
                 "Search by any part of a name, city or code; accents, letters such as ø or ß, and capitals do "
                 "not matter."))
    layout.scope(inputs_for(ctx.page, wh, f, rule))
    table = mobility.partners(wh, f, rule)
    one, two, three = st.columns([3, 2, 2])
    with one:
        text = widgets.page_text("q", t("Search partners"), placeholder=t("e.g. zurich, Darmstadt, Politecnico"))
    with two:
        programmes = [""] + mobility.programmes_offered(table)
        programme = widgets.page_choice("programme", t("Programme"), programmes, "",
                                        lambda p: labels.programme(p) if p else t("All programmes"))
    with three:
        networks = [""] + mobility.network_names(wh)
        network = widgets.page_choice("network", t("Network"), networks, "", lambda n: n or t("All networks"))
    show = widgets.page_choice("show", t("Show"), list(mobility.SHOW), "all", labels.partner_filter, segmented=True)
    found = mobility.filter_partners(table, text, programme, network)   # the counters follow the search
    rows = mobility.filter_partners(found, show=show)

    listed = found[found["listed"]]
    counts = st.columns(4)
    counts[0].metric(t("Partner agreements"), fmt_int(len(listed)))
    counts[1].metric(t("With exchanges"), fmt_int(int(listed["exchanged"].sum())))
    counts[2].metric(t("Without exchanges"), fmt_int(int((~listed["exchanged"]).sum())),
                     help=t("Agreements with no exchange period in the selected years"))
    counts[3].metric(t("Not listed as partners"), fmt_int(int((~found["listed"]).sum())),
                     help=t("Institutions with exchanges but no agreement in the partner list"))

    if rows.empty:
        if text:
            st.info(t("No partner matches the search “{text}” with these settings.", text=safe_text.markdown(text)),
                    icon=":material/search_off:")
            st.button(t("Clear the search"), on_click=widgets.clear_text, args=("q",), icon=":material/close:")
        else:
            layout.empty_state(t("Partners"))
        return
    listing, world = layout.lazy_tabs([t("Partner list"), t("Map")])
    with listing:
        if listing.open:
            widgets.partner_table(rows, ctx)
            # Code and name in one choice, joined by a control character that no value may hold (the ETL
            # refuses them), so a code with "|" in it cannot shift the split.
            choices = [f"{code}\x1f{name}" for code, name in zip(rows["partner_code"], rows["partner_name"])]
            chosen = widgets.page_choice("partner", t("Show the exchange history of"), choices, choices[0],
                                    lambda v: v.split("\x1f", 1)[1])
            code, name = chosen.split("\x1f", 1)
            layout.show(mobility_views.partner_history(wh, f, rule, code, name), ctx)
    with world:
        if world.open:
            layout.show(mobility_views.partner_map(table, f), ctx)


layout.guarded(page)
