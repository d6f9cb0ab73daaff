"""The widgets that belong to one page: its choices (kept in the link, as
`Choice` in the page's specification or made by the page script), a search box,
and the partner table.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd
from babel.numbers import format_decimal
import streamlit as st

from app.model.filters import EXCHANGES, describe
from app.present.pages import Choice, Inputs
from app.model.data import Warehouse
from app.model.disclosure import Rule
from app.present import methodology
from app.present.views import Chart
from app.reports import exports, packs
from app.words import labels, safe_text
from app.words.i18n import in_this_language, language, t


if TYPE_CHECKING:   # frame imports the sidebar, which draws the full report with this module
    from app.web.frame import Context

log = logging.getLogger("dashboard")


@dataclass(frozen=True)
class Control:
    """A page choice ready to draw: its options in this view and its session key."""
    key: str
    label: str
    options: list
    format: Callable[[Any], str]
    segmented: bool


def _settle(name: str, options: list, default: Any) -> Any:
    """The choice's value: this session's, else the link's, else the default; kept in the link when not the
    default. A value in the link that is not one of the options is dropped, and the page says so."""
    key = f"p_{name}"
    if key not in st.session_state:
        raw = st.query_params.get(name)
        st.session_state[key] = next((o for o in options if str(o) == raw), default)
        if raw is not None and str(st.session_state[key]) != raw:
            ignored_in_link(name)
    if st.session_state[key] not in options:
        st.session_state[key] = default
    value = st.session_state[key]
    if value != default:
        st.query_params[name] = str(value)
    elif name in st.query_params:
        del st.query_params[name]
    return value


def ignored_in_link(name: str) -> None:
    """Say that a setting of the link was not usable (by its name: the value is untrusted text)."""
    st.warning(t("Some settings in the link were not recognised and were ignored: {names}.", names=name),
               icon=":material/link_off:")


def resolve(choices: tuple[Choice, ...], inputs: Inputs) -> dict[str, Control]:
    """Every choice's value into `inputs.choices` before anything is drawn (a choice may stand
    below charts that depend on it); the controls to draw where the page places them."""
    controls = {}
    for choice in choices:
        options = choice.options(inputs)
        inputs.choices[choice.name] = _settle(choice.name, options, choice.default(inputs))
        controls[choice.name] = Control(f"p_{choice.name}", choice.label(), options, choice.format, choice.segmented)
    return controls


def draw(control: Control) -> None:
    if control.segmented:
        # A segmented control reads its labels as Markdown (network names come from the data).
        st.segmented_control(control.label, control.options, key=control.key,
                             format_func=lambda o: safe_text.markdown(control.format(o)))
    else:
        st.selectbox(control.label, control.options, key=control.key, format_func=control.format)


def page_choice(name: str, label: str, options: list, default, format_func=str, segmented: bool = False):
    """A choice made by a page script itself (where its options come from the page's own data)."""
    value = _settle(name, options, default)
    draw(Control(f"p_{name}", label, options, format_func, segmented))
    return value


def page_text(name: str, label: str, placeholder: str = "") -> str:
    """A search box whose text is kept in the URL as `name`."""
    key = f"p_{name}"
    if key not in st.session_state:
        st.session_state[key] = st.query_params.get(name) or ""   # at most 100 characters (frame.start)
    value = st.text_input(label, key=key, placeholder=placeholder, max_chars=100)
    if value:
        st.query_params[name] = value
    elif name in st.query_params:
        del st.query_params[name]
    return value


def clear_text(name: str) -> None:
    """A callback: empty the search box `name` (and so its setting in the link)."""
    st.session_state[f"p_{name}"] = ""


def partner_table(rows: pd.DataFrame, ctx: Context) -> None:
    """Partners as a sortable table; counts as the rule shows them ("1–4", never an empty cell or 0)."""
    shown = rows.assign(
        incoming=rows["incoming_label"], outgoing=rows["outgoing_label"],
        country_name=rows["country"].map({c: labels.country(c) for c in rows["country"].unique()}),
        # An institution not in the partner list has no city or agreement: blank cells, not "None".
        city=rows["city"].fillna(""), valid_to=pd.to_datetime(rows["valid_to"], errors="coerce"),
        programmes_text=rows["programmes"].map(lambda p: ", ".join(p)),
        networks_text=rows["networks"].map(lambda n: ", ".join(n)),
        status=[t("Partner") if listed else t("Not a listed partner") for listed in rows["listed"]])
    columns = {
        # Every column as wide as its content: a fixed "large" name column filled a phone's screen alone.
        "partner_name": st.column_config.TextColumn(t("Institution")),
        "country_name": st.column_config.TextColumn(t("Country")),
        "incoming": st.column_config.TextColumn(t("Incoming"), alignment="right"),
        "outgoing": st.column_config.TextColumn(t("Outgoing"), alignment="right"),
        "city": st.column_config.TextColumn(t("City")),
        "programmes_text": st.column_config.TextColumn(t("Programmes")),
        "networks_text": st.column_config.TextColumn(t("Networks")),
        "valid_to": st.column_config.DateColumn(t("Agreement valid to"), format="YYYY-MM-DD"),
        "status": st.column_config.TextColumn(t("Status")),
    }
    st.dataframe(shown[list(columns)], column_config=columns, hide_index=True, width="stretch",
                 height=min(600, 38 + 35 * len(shown)))
    st.caption(t("Exchange periods in the selected years; 1–4 stands for a number from 1 to 4, shown only as a range "
                 "to protect individuals. The list is ordered by the number of periods."))
    downloads(Chart("partner-institutions", t("Partner institutions"), "", rows.drop(
        columns=[c for c in ("volume", "exchanged") if c in rows]), ctx.filters.years,
        filters=describe(ctx.filters, ctx.warehouse.options, ctx.page.about), about=EXCHANGES), ctx, images=False)


def downloads(chart: Chart, ctx: Context, images: bool = True) -> None:
    """PNG, SVG, CSV and Excel of one chart (CSV and Excel only for a table), made only when clicked."""
    meta = exports.Meta.of(ctx.warehouse, ctx.filters, ctx.rule, ctx.page.about)
    row = st.container(horizontal=True, gap="small")
    table_only = not images
    images = images and exports.chromium() is not None
    buttons = [("PNG", "png", "image/png", lambda: exports.image(chart, meta, "png"), images),
               ("SVG", "svg", "image/svg+xml", lambda: exports.image(chart, meta, "svg"), images),
               ("CSV", "csv", "text/csv", lambda: exports.csv_bytes(chart, meta), True),
               (t("Excel"), "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                lambda: exports.xlsx_bytes(chart, meta), True)]
    with row:
        for label, extension, mime, make, available in buttons:
            if available:
                st.download_button(label, data=in_this_language(make), file_name=exports.file_name(chart, extension), mime=mime,
                                   on_click="ignore", icon=":material/download:", key=f"dl-{chart.key}-{extension}",
                                   help=t("Download {what}", what=exports.file_name(chart, extension)))
        if not images and not table_only:
            st.caption(t("Image downloads need Chromium on the server; the camera icon on the chart saves a PNG."))


def report_pack(key: str, label: str, title: str, charts: Callable[[], list[Chart]], meta: exports.Meta,
                warehouse: Warehouse, rule: Rule, file_name: str, identity: tuple, primary: bool = False) -> None:
    """A report pack (ZIP with images, data, deck and PDF) made on a click, with its progress step by step;
    then its download button, kept while `identity` (what the pack shows: filters, rule, language, choices)
    stays the same. A failure is said in words and the button offers to try again."""
    identity = (language(), *identity)
    kept = st.session_state.get(key)
    kept = kept if kept and kept["identity"] == identity else None
    if kept and "zip" in kept:
        _pack_download(key, kept["zip"], file_name, primary)
        return
    notice = st.empty()   # the last failure, until the next attempt starts
    if kept and "error" in kept:
        notice.error(kept["error"], icon=":material/error:")
    slot = st.empty()   # the button, then in its place the progress and the download
    if not slot.button(t("Try again") if kept else label, key=f"{key}-make", icon=":material/folder_zip:",
                       type="primary" if primary else "secondary", width="content" if primary else "stretch",
                       help=t("Every chart with the filters in force, as images, data, a PowerPoint deck and a PDF "
                              "report, in one ZIP")):
        return
    notice.empty()
    with slot.container():
        with st.status(t("Preparing the report…"), expanded=True) as status:
            bar = st.progress(0.0, text=t("Making the charts…"))
            try:
                data = packs.pack(charts(), meta, title, methodology.as_text(
                    warehouse.manifest, labels.country(warehouse.home), rule),
                    with_images=exports.chromium() is not None,
                    progress=lambda text, done: bar.progress(done, text=text))
            except Exception as error:   # said in words, logged in full; the button offers to try again
                log.exception("report pack failed")
                message = str(error) if isinstance(error, packs.PackFailed) else t(
                    "Something went wrong while making the report; it has been logged. Try again, or download the "
                    "charts one by one.")
                st.session_state[key] = {"identity": identity, "error": message}
                st.rerun()   # the message and a "Try again" button in the button's place
            status.update(label=t("The report is ready"), state="complete", expanded=False)
        st.session_state[key] = {"identity": identity, "zip": data}
        _pack_download(key, data, file_name, primary)


def _pack_download(key: str, data: bytes, file_name: str, primary: bool) -> None:
    size = len(data) / 2**20
    st.download_button(t("Download the report ({size} MB)", size=format_decimal(
                           size, "#,##0.0" if size < 10 else "#,##0", locale=language())),
                       data=data, file_name=file_name, mime="application/zip", on_click="ignore",
                       icon=":material/download:", type="primary" if primary else "secondary", key=f"{key}-download",
                       width="stretch" if not primary else "content")
