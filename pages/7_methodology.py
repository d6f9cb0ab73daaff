import pandas as pd
import streamlit as st

from app import disclosure, labels, methodology, ui
from app.i18n import t

ctx = ui.frame("methodology")


def page() -> None:
    manifest = ctx.warehouse.manifest
    st.title(t("Methodology and data"))
    st.markdown(methodology.definitions(labels.country(ctx.warehouse.home)))

    st.header(t("Protecting small numbers"))
    st.markdown(methodology.disclosure(ctx.rule))

    st.header(t("This warehouse"))
    st.markdown(methodology.build_facts(manifest, labels.country(ctx.warehouse.home)))
    files = pd.DataFrame(manifest["files"])
    counts = ["rows_read", "rows_written", "rows_merged", "rows_rejected"]
    rejected = int(files["rows_rejected"].sum()) if not files.empty else 0
    if not files.empty:
        files["kind"] = files["kind"].map(labels.kind)
        if not ctx.rule.exact:
            # A yearly file's rows are that year's exact headcount: shown as the rule shows any count.
            protected = disclosure.protect(files, counts, ctx.rule)
            files = files.assign(**{c: protected[f"{c}_label"] for c in counts})
        shown = files[["name", "kind", "rows_read", "rows_written", "rows_merged", "rows_rejected"]].rename(columns={
            "name": t("File"), "kind": t("Kind"), "rows_read": t("Rows read"), "rows_written": t("Rows written"),
            "rows_merged": t("Merged duplicates"), "rows_rejected": t("Rejected")})
        st.dataframe(shown, hide_index=True, width="stretch")
    if rejected:
        shown = disclosure.protect(pd.DataFrame({"n": [rejected]}), ["n"], ctx.rule)["n_label"].iloc[0]
        st.warning(t("{count} rows were rejected in this build; the rejects report (rejects.csv in the warehouse) "
                     "lists each with its file, line and reason.", count=shown))
    else:
        st.success(t("No rows were rejected in this build."))


ui.guarded(page)
