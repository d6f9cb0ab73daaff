"""The Streamlit frame every page shares: warehouse loading, sidebar filters
kept in the URL, the demo banner, and how a chart is laid out.

Pages call `context()` for what the frame prepared and `show()` for each chart.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable
import logging
import threading
from dataclasses import dataclass, replace
from pathlib import Path

import streamlit as st

from app import filters as flt
from app import access, exports, labels, report, safe_text
from app.data import Warehouse, current_build
from app.disclosure import Rule, current_rule
from app.site import PAGES
from app.i18n import LANGUAGES, browser_language, fmt_pct, fmt_pp, set_language, t
from app.views import Chart
from etl.config import ROOT, load_config, settings

log = logging.getLogger("dashboard")
DEMO_RAW = ROOT / "data" / "demo-raw"
_build_lock = threading.Lock()


@dataclass(frozen=True)
class Context:
    warehouse: Warehouse
    filters: flt.Filters
    rule: Rule


_context: contextvars.ContextVar[Context] = contextvars.ContextVar("context")


def context() -> Context:
    return _context.get()


@st.cache_resource(max_entries=3, show_spinner=False)
def _open(folder: str) -> Warehouse:
    # Keyed by the build folder: a rebuild points the warehouse path at a new
    # folder, so the next rerun loads it, with no restart and no stale cache.
    return Warehouse(Path(folder))


def open_warehouse() -> Warehouse:
    path = settings().warehouse_dir
    build = current_build(path)
    if build is None:
        with _build_lock:
            build = current_build(path)
            if build is None:
                _build_demo(path)
                build = current_build(path)
    return _open(str(build))


def _build_demo(path: Path) -> None:
    from etl.build import build
    from etl.demo import write_demo

    with st.status(t("No warehouse yet: building the synthetic demo data (about half a minute)…"),
                   expanded=True) as status:
        status.write(t("Writing synthetic raw exports…"))
        write_demo(DEMO_RAW)
        status.write(t("Running the ETL…"))
        build(DEMO_RAW, path, say=lambda message: log.info(message), demo=True)
        status.update(label=t("Demo warehouse ready."), state="complete", expanded=False)


# The world map's outlines come from static/ (served by Streamlit), not from a CDN.
PLOTLY_CONFIG = {"displaylogo": False, "topojsonURL": "./app/static/topojson/",
                 "modeBarButtonsToRemove": ["lasso2d", "select2d"]}

WIDGETS = {"years": "f_years", "units": "f_units", "staff_groups": "f_groups", "levels": "f_levels",
           "countries": "f_countries", "genders": "f_genders"}


def _put_in_widgets(values: flt.Filters) -> None:
    for name, key in WIDGETS.items():
        value = getattr(values, name)
        st.session_state[key] = list(value) if name != "years" else tuple(value)


def _reset(options) -> None:
    st.session_state["_filters"] = flt.defaults(options)


def _changed(name: str) -> None:
    # The session's filters are the truth; widgets show them. Streamlit forgets
    # widget values when another page runs, so they are set again every run.
    value = st.session_state[WIDGETS[name]]
    value = (int(value[0]), int(value[1])) if name == "years" else tuple(value)
    st.session_state["_filters"] = replace(st.session_state["_filters"], **{name: value})


def _browser_language() -> str:
    return browser_language(st.context.locale, st.context.headers.get("Accept-Language"))


def _choose_language() -> str:
    """The URL's lang when valid, then the one chosen in this session, then the browser's."""
    if "_lang" not in st.session_state:
        asked = st.query_params.get("lang")
        st.session_state["_lang"] = asked if asked in LANGUAGES else _browser_language()
    set_language(st.session_state["_lang"])
    return st.session_state["_lang"]


def _language_changed() -> None:
    st.session_state["_lang"] = st.session_state["f_lang"]


def frame(page: str) -> Context:
    """Everything every page shares; the first call of every page."""
    lang = _choose_language()
    st.set_page_config(page_title=f"{PAGES[page].title()} · {t('International university dashboard')}",
                       page_icon=":material/public:", layout="wide", initial_sidebar_state="expanded")
    _sign_in_gate()
    if st.session_state.get("_page") != page:
        st.session_state["_page"] = page
        forget_page_params()
    navigation = st.sidebar.container()
    try:
        warehouse = open_warehouse()
        rule = current_rule()
    except Exception:
        log.exception("warehouse could not be opened")
        st.error(t("The data could not be opened. Please ask the dashboard's administrator to rebuild the warehouse "
                   "(python -m etl build)."), icon=":material/error:")
        st.stop()
    if warehouse.empty:
        st.title(PAGES[page].title())
        st.info(t("The data holds no staff or student records yet, so there is nothing to show. Please ask the "
                  "dashboard's administrator to build the warehouse from complete exports (python -m etl build)."),
                icon=":material/database:")
        st.stop()
    options = warehouse.options
    if st.session_state.get("_options") != options:
        # First run of this session (or new data): the URL decides, then the widgets do. A setting given
        # twice counts once, by its last value, as browsers and Streamlit read it, and the page says so.
        link = {name: st.query_params.get_all(name) for name in st.query_params}
        parsed = flt.from_query({name: values[-1] for name, values in link.items()}, options)
        st.session_state["_filters"] = parsed.filters
        st.session_state["_options"] = options
        st.session_state["_ignored"] = parsed.ignored
        known = {*flt.URL_KEYS, "lang", *(name for p in PAGES.values() for name in p.params)}
        st.session_state["_repeated"] = sorted(name for name, values in link.items()
                                               if len(values) > 1 and name in known)
    _put_in_widgets(st.session_state["_filters"])
    _sidebar(options)
    current = st.session_state["_filters"]
    query = flt.to_query(current, options)
    # Page-level choices stay in the URL; the page checks them when it reads them.
    own = PAGES[page].params
    kept = {k: v for k, v in st.query_params.to_dict().items() if k in own and len(v) <= 100}
    if lang != _browser_language():
        query["lang"] = lang
    st.query_params.from_dict({**kept, **query})
    _navigation(navigation, query)
    _full_report(warehouse, current, rule)
    if rule.exact:
        st.warning(t("Exact figures: no disclosure control is applied. For authorised internal use only; do not "
                     "publish."), icon=":material/visibility:")
    if warehouse.synthetic:
        st.info(t("Demo data: every figure here is synthetic, for a fictional university."), icon=":material/science:")
    if st.session_state.get("_ignored"):
        st.warning(t("Some settings in the link were not recognised and were ignored: {names}.",
                     names=", ".join(st.session_state.pop("_ignored"))))
    if st.session_state.get("_repeated"):
        st.warning(t("Some settings appear more than once in the link; the last value of each was used: {names}.",
                     names=", ".join(st.session_state.pop("_repeated"))))
    ctx = Context(warehouse, current, rule)
    _context.set(ctx)
    return ctx


def _full_report(warehouse: Warehouse, filters: flt.Filters, rule: Rule) -> None:
    first, last = filters.years
    with st.sidebar:
        st.divider()
        st.download_button(
            t("Full report (ZIP with PowerPoint)"), icon=":material/folder_zip:", width="stretch",
            data=lambda: exports.report_pack(report.everything(warehouse, filters, rule), _meta_for(warehouse, filters, rule),
                                             t("International university dashboard"),
                                             with_images=exports.chromium() is not None),
            file_name=f"international-dashboard-report_{first}-{last}.zip", mime="application/zip",
            on_click="ignore", key="dl-full-report",
            help=t("Every chart of every page with the filters in force, as images, data and slides"))


def _sign_in_required() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets.toml at all: the app runs open
        return False


def _sign_in_gate() -> None:
    """With [auth] configured, nothing is shown before sign-in, and only the allow-list gets in."""
    if not _sign_in_required():
        return
    if not st.user.is_logged_in:
        st.title(t("International university dashboard"))
        st.write(t("Please sign in with your university account to see the dashboard."))
        st.button(t("Sign in"), on_click=st.login, type="primary", icon=":material/login:")
        st.stop()
    email = st.user.get("email")
    if not access.allowed(email):
        st.title(t("International university dashboard"))
        st.warning(t("Sorry, your account does not have access to this dashboard. If you need it, please ask the "
                     "global engagement team."), icon=":material/lock:")
        st.button(t("Sign out"), on_click=st.logout)
        st.stop()
    with st.sidebar:
        st.caption(t("Signed in as {email}", email=email))
        st.button(t("Sign out"), on_click=st.logout, icon=":material/logout:")


def _navigation(container, query: dict[str, str]) -> None:
    # The links carry the filters, so a page opened in a new tab shows the same view.
    with container:
        for listed in PAGES.values():
            st.page_link(listed.script, label=listed.title(), icon=listed.icon, query_params=query)
        st.divider()


def _sidebar(options) -> None:
    with st.sidebar:
        st.session_state["f_lang"] = st.session_state["_lang"]
        st.selectbox("Language · Kieli · Språk", list(LANGUAGES), key="f_lang", format_func=LANGUAGES.get,
                     on_change=_language_changed)
        st.subheader(t("Filters"))
        if len(options.years) > 1:
            st.slider(t("Years"), min_value=options.years[0], max_value=options.years[-1], key="f_years",
                      on_change=_changed, args=("years",))
        st.multiselect(t("Units"), options.units, key="f_units", format_func=_unit_option,
                       placeholder=t("All units"), on_change=_changed, args=("units",))
        st.multiselect(t("Staff groups"), flt.STAFF_GROUPS, key="f_groups", format_func=labels.staff_group,
                       placeholder=t("All staff groups"), on_change=_changed, args=("staff_groups",))
        st.multiselect(t("Study levels"), flt.LEVELS, key="f_levels", format_func=labels.level,
                       placeholder=t("All levels"), on_change=_changed, args=("levels",))
        st.multiselect(t("Countries or regions of citizenship"), flt.country_choices(options), key="f_countries",
                       format_func=labels.country_or_region, placeholder=t("All international"),
                       on_change=_changed, args=("countries",),
                       help=t("With countries chosen, only people from them count as international; "
                              "shares keep everyone with a known citizenship as the base."))
        st.multiselect(t("Gender"), options.genders, key="f_genders", format_func=labels.gender,
                       placeholder=t("Everyone"), on_change=_changed, args=("genders",))
        st.button(t("Reset filters"), on_click=_reset, args=(options,), icon=":material/restart_alt:",
                  width="stretch")


def _unit_option(code: str) -> str:
    name = labels.unit(code)
    return code if name == code else f"{code} – {name}"


# --- page-level choices, kept in the URL too --------------------------------

def page_choice(name: str, label: str, options: list, default, format_func=str, kind: str = "selectbox"):
    """A control that belongs to one page; its value is kept in the URL as `name`."""
    key = f"p_{name}"
    if key not in st.session_state:
        raw = st.query_params.get(name)
        st.session_state[key] = next((o for o in options if str(o) == raw), default)
    if st.session_state[key] not in options:
        st.session_state[key] = default
    if kind == "segmented":
        # A segmented control reads its labels as Markdown (network names come from the data).
        value = st.segmented_control(label, options, key=key,
                                     format_func=lambda o: safe_text.markdown(format_func(o))) or default
    else:
        value = st.selectbox(label, options, key=key, format_func=format_func)
    if value != default:
        st.query_params[name] = str(value)
    elif name in st.query_params:
        del st.query_params[name]
    return value


def page_text(name: str, label: str, placeholder: str = "") -> str:
    """A search box whose text is kept in the URL as `name`."""
    key = f"p_{name}"
    if key not in st.session_state:
        st.session_state[key] = (st.query_params.get(name) or "")[:100]
    value = st.text_input(label, key=key, placeholder=placeholder, max_chars=100)
    if value:
        st.query_params[name] = value
    elif name in st.query_params:
        del st.query_params[name]
    return value


def partner_filter_label(key: str) -> str:
    return {"all": t("All"), "with_exchanges": t("With exchanges"), "without_exchanges": t("Agreement, no exchanges"),
            "not_listed": t("Exchanges, no agreement")}[key]


def partner_table(rows) -> None:
    """Partners as a sortable table; counts as the rule shows them ("1–4", never an empty cell or 0)."""
    shown = rows.assign(
        incoming=rows["incoming_label"], outgoing=rows["outgoing_label"],
        country_name=rows["country"].map({c: labels.country(c) for c in rows["country"].unique()}),
        programmes_text=rows["programmes"].map(lambda p: ", ".join(p)),
        networks_text=rows["networks"].map(lambda n: ", ".join(n)),
        status=[t("Partner") if listed else t("Not a listed partner") for listed in rows["listed"]])
    columns = {
        "partner_name": st.column_config.TextColumn(t("Institution"), width="large"),
        "country_name": st.column_config.TextColumn(t("Country")),
        "incoming": st.column_config.TextColumn(t("Incoming")),
        "outgoing": st.column_config.TextColumn(t("Outgoing")),
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
    first, last = context().filters.years
    downloads(Chart("partner-institutions", t("Partner institutions"), "", rows.drop(
        columns=[c for c in ("volume", "exchanged") if c in rows]), (first, last)), images=False)


def forget_page_params() -> None:
    for key in [k for k in st.session_state if str(k).startswith("p_")]:
        del st.session_state[key]


# --- laying out ------------------------------------------------------------

def caption(chart: Chart) -> str:
    """Source, build date and disclosure rule: the same words as in exported files."""
    meta = export_meta()
    return f"{meta.source(chart)} {meta.rule_note}"


def show(chart: Chart) -> None:
    """A chart, its one-sentence summary (its text alternative) and its caption."""
    if chart.empty:
        empty_state(chart.title)
        return
    st.plotly_chart(chart.figure, theme=None, width="stretch", key=f"chart-{chart.key}", config=PLOTLY_CONFIG | {
        "toImageButtonOptions": {"format": "png", "filename": exports.file_name(chart, "png")[:-4], "scale": 2}})
    st.text(chart.summary, width="stretch")   # plain text: names from the data never become Markdown
    st.caption(caption(chart))
    downloads(chart)


def export_meta() -> exports.Meta:
    ctx = context()
    return _meta_for(ctx.warehouse, ctx.filters, ctx.rule)


def _meta_for(warehouse: Warehouse, filters: flt.Filters, rule: Rule) -> exports.Meta:
    return exports.Meta(
        university=load_config().get("university", {}).get("name", t("the university")),
        built_at=warehouse.built_at, filters=describe_filters(filters, warehouse.options),
        rule_note=rule.note(), home_country=labels.country(warehouse.home), synthetic=warehouse.synthetic)


def describe_filters(filters: flt.Filters, options) -> str:
    """The filters in force, in words, for exported files."""
    parts = []
    if filters.years != flt.defaults(options).years:
        parts.append(t("years {first}–{last}", first=filters.first_year, last=filters.last_year))
    named = ((filters.units, labels.unit), (filters.staff_groups, labels.staff_group), (filters.levels, labels.level),
             (filters.countries, labels.country_or_region), (filters.genders, labels.gender))
    for values, name in named:
        if values:
            parts.append(", ".join(name(v) for v in values))
    return t("Filters: {filters}", filters="; ".join(parts)) if parts else ""


def downloads(chart: Chart, images: bool = True) -> None:
    """PNG, SVG, CSV and Excel of one chart (CSV and Excel only for a table), made only when clicked."""
    meta = export_meta()
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
                st.download_button(label, data=make, file_name=exports.file_name(chart, extension), mime=mime,
                                   on_click="ignore", icon=":material/download:", key=f"dl-{chart.key}-{extension}",
                                   help=t("Download {what}", what=exports.file_name(chart, extension)))
        if not images and not table_only:
            st.caption(t("Image downloads need Chromium on the server; the camera icon on the chart saves a PNG."))


def report_pack(charts: list[Chart] | Callable[[], list[Chart]], title: str) -> None:
    """Every chart of the page in one ZIP, with a PowerPoint deck. `charts` may be a function
    that makes them, for pages that draw only some (tabs): they are then made on the click."""
    meta = export_meta()
    if callable(charts):
        make = charts
    else:
        shown = [c for c in charts if not c.empty]
        if not shown:
            return
        make = lambda: shown  # noqa: E731
    first, last = context().filters.years
    st.divider()
    st.download_button(t("Download this page as a report pack (ZIP with PowerPoint)"),
                       data=lambda: exports.report_pack([c for c in make() if not c.empty], meta, title,
                                                        with_images=exports.chromium() is not None),
                       file_name=f"{exports.slug(title)}-report_{first}-{last}.zip", mime="application/zip",
                       on_click="ignore", icon=":material/folder_zip:", type="primary", key="dl-page-pack")


def lazy_tabs(labels: list[str]) -> list:
    """Tabs whose hidden content is not computed: a filter change redraws only the open tab.
    Which tab is open is kept for the session (page-level, so a new page starts on the first)."""
    return st.tabs(labels, key="p_tab", on_change="rerun")


def empty_state(title: str) -> None:
    st.info(t("**{title}**: nothing to show for these filters. Try a wider year range, or clear the unit, group, "
              "country or gender filters.", title=safe_text.markdown(title)), icon=":material/filter_alt_off:")


def headline_cards(cards) -> None:
    if not cards:
        empty_state(t("Headline figures"))
        return
    columns = st.columns(len(cards))
    for column, card in zip(columns, cards):
        with column:
            value = fmt_pct(card.share) if card.share is not None else "–"
            # The arrow shows the change on the year before; the caption says so, and the change since the start.
            delta = None
            notes = []
            if card.share is not None and card.previous_share is not None:
                delta = fmt_pp(card.share - card.previous_share)
                notes.append(t("{change} on {year}", change=delta, year=card.previous_year))
            if card.share is not None and card.first_share is not None:
                notes.append(t("{change} since {year} (then {share})", change=fmt_pp(card.share - card.first_share),
                               year=card.first_year, share=fmt_pct(card.first_share)))
            st.metric(labels.population_short(card.population), value, delta, border=True,
                      help=t("{year}: {international} international of {known} with known citizenship",
                             year=card.year, international=card.international_label, known=card.known_label))
            st.caption("  \n".join(notes) if notes else str(card.year))


def guarded(run) -> None:
    """Run a page; a bug shows a polite message instead of a traceback."""
    try:
        run()
    except Exception:  # Streamlit's own rerun/stop signals are not Exceptions
        log.exception("page failed")
        st.error(t("Sorry, this page could not be drawn. The error has been logged; please try other filters "
                   "or reload the page."), icon=":material/error:")
