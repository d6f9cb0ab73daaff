"""Methodology and data: definitions, the disclosure rule in force, and what this warehouse was built from."""

import streamlit as st

from app.present import methodology
from app.web import frame, layout
from app.words import labels
from app.words.i18n import t

ctx = frame.start("methodology")


def page() -> None:
    manifest, home = ctx.warehouse.manifest, labels.country(ctx.warehouse.home)
    st.title(t("Methodology and data"))
    st.markdown(methodology.definitions(home))

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
