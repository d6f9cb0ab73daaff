"""What every page starts with (`start`): the language, sign-in, the warehouse
(built from the demo exports when there is none), the shared filters taken
from the link and kept in it, the sidebar, and the notices above the page.
It returns the page's `Context`; pages hand it on, there is no other state.
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from app.model import definitions
from app.model import filters as flt
from app.model.data import Warehouse, current_build
from app.model.disclosure import Rule, current_rule
from app.present.pages import PAGES, Page
from app.reports import renderer
from app.web import sidebar, signin
from app.words.i18n import LANGUAGES, browser_language, set_language, t
from etl import __version__ as etl_version
from etl.config import ROOT, ConfigError, load_config, settings

log = logging.getLogger("dashboard")
DEMO_RAW = ROOT / "data" / "demo-raw"
_build_lock = threading.Lock()
MAX_PAGE_PARAM = 100   # characters of a page's own link setting (a search text, a partner's name)


@dataclass(frozen=True)
class Context:
    page: Page
    warehouse: Warehouse
    filters: flt.Filters
    rule: Rule


@st.cache_resource(max_entries=3, show_spinner=False)
def _open(folder: str) -> Warehouse:
    # Keyed by the build folder: a rebuild points the warehouse path at a new
    # folder, so the next rerun loads it, with no restart and no stale cache.
    return Warehouse(Path(folder))


DEFAULT_WAREHOUSE = ROOT / "data" / "warehouse"


class WarehouseMissing(Exception):
    """The settings name a warehouse folder that holds no build."""


def open_warehouse() -> Warehouse:
    """The configured warehouse; the synthetic demo, built on first start, only when none is configured
    (a mistyped WAREHOUSE_DIR served demo figures as if they were the university's)."""
    path = settings().warehouse_dir
    build = current_build(path)
    if build is None and path.resolve() != DEFAULT_WAREHOUSE.resolve():
        raise WarehouseMissing(str(path))
    if build is None or _old_demo(path, build):
        with _build_lock:
            build = current_build(path)
            if build is None or _old_demo(path, build):
                _build_demo(path, again=build is not None)
                build = current_build(path)
    return _open(str(build))


def _old_demo(path: Path, build: Path) -> bool:
    """The bundled demo, built by an earlier ETL: made again, so that it shows what this version can (never a
    warehouse of real data, which only its administrator rebuilds)."""
    if path.resolve() != DEFAULT_WAREHOUSE.resolve():
        return False
    try:
        manifest = json.loads((build / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return bool(manifest.get("synthetic_demo_data")) and manifest.get("etl_version") != etl_version


def _build_demo(path: Path, again: bool = False) -> None:
    from etl.build import build
    from etl.demo import write_demo

    label = t("The synthetic demo data was built by an earlier version: building it again (about half a minute)…") \
        if again else t("No warehouse yet: building the synthetic demo data (about half a minute)…")
    with st.status(label, expanded=True) as status:
        status.write(t("Writing synthetic raw exports…"))
        write_demo(DEMO_RAW)
        status.write(t("Running the ETL…"))
        build(DEMO_RAW, path, say=lambda message: log.info(message), demo=True)
        status.update(label=t("Demo warehouse ready."), state="complete", expanded=False)


def browser_default_language() -> str:
    return browser_language(st.context.locale, st.context.headers.get("Accept-Language"))


def _choose_language() -> str:
    """The URL's lang when valid, then the one chosen in this session, then the browser's."""
    if "_lang" not in st.session_state:
        asked = st.query_params.get("lang")
        st.session_state["_lang"] = asked if asked in LANGUAGES else browser_default_language()
    set_language(st.session_state["_lang"])
    return st.session_state["_lang"]


def forget_page_choices() -> None:
    for key in [k for k in st.session_state if str(k).startswith("p_")]:
        del st.session_state[key]


# On a phone a page title in Streamlit's size broke mid-word ("Internationalisati-on"). Streamlit's own focus
# ring is faint on widgets; keyboard users need to see where they are (WCAG 2.4.7, 3:1 against white).
_STYLE = """<style>
@media (max-width: 640px) { [data-testid='stMain'] h1 { font-size: 1.75rem; overflow-wrap: normal;
  word-break: normal; } }
a:focus-visible, button:focus-visible, textarea:focus-visible, [role='tab']:focus-visible,
[tabindex]:not(input):focus-visible, div:has(> input:focus-visible) { outline: 3px solid #1F2937 !important;
  outline-offset: 2px !important; }
input:focus-visible { outline: none !important; }
/* A card's share known only as a range ("0.3%–1.0%") is longer than a card: it wraps, never "0.3%–…". */
[data-testid='stMetricValue'], [data-testid='stMetricValue'] * { white-space: normal !important;
  overflow: visible !important; text-overflow: clip !important; }
/* A chart's heading is not a place to link to: its anchor link was one more Tab stop per chart. */
[data-testid='stMain'] h4 [data-testid='stHeaderActionElements'] { display: none; }
</style>"""


def _page_look(lang: str) -> None:
    """The focus ring and the phone title, and the page's language for screen readers and the browser:
    Streamlit writes <html lang="en"> and an English "Skip to main content" link whatever the language."""
    st.html(_STYLE)
    skip = json.dumps(t("Skip to main content"))
    st.html(f"""<script>(() => {{
  document.documentElement.lang = {json.dumps(lang)};
  const link = document.querySelector("[data-testid='stSkipToContent']");
  if (link) {{ link.textContent = {skip}; }}
}})();</script>""", unsafe_allow_javascript=True)


def start(key: str) -> Context:
    """Everything every page shares; the first call of every page."""
    page = PAGES[key]
    lang = _choose_language()
    st.set_page_config(page_title=f"{page.title()} · {t('International university dashboard')}",
                       page_icon=":material/public:", layout="wide", initial_sidebar_state="auto")
    _page_look(lang)
    try:
        load_config()   # read by the sign-in, the rule and the labels: a file that cannot be read is said once, here
    except ConfigError as error:
        log.error("%s", error)
        st.error(t("The settings file (config.toml) could not be read, so no figures are shown. Please ask the "
                   "dashboard's administrator to correct it (the server's log says where)."), icon=":material/error:")
        st.stop()
    signin.gate()
    if st.session_state.get("_page") != key:
        st.session_state["_page"] = key
        forget_page_choices()
    navigation = st.sidebar.container()
    try:
        rule = current_rule()
    except ValueError:
        log.exception("disclosure rule not valid")
        st.error(t("The disclosure rule in the settings is not valid, so no figures are shown. Please ask the "
                   "dashboard's administrator to set DISCLOSURE_RULE or config.toml [privacy] rule to one of: "
                   "vipunen, hesa, threshold:K (K from 2), none."), icon=":material/error:")
        st.stop()
    try:
        definitions.configured()
    except ValueError:
        log.exception("definition of international not valid")
        st.error(t("The default definition of international in the settings is not valid, so no figures are shown. "
                   "Please ask the dashboard's administrator to set DEFINITION or config.toml [data] definition to one "
                   "of: {keys}.", keys=", ".join(definitions.KEYS)), icon=":material/error:")
        st.stop()
    try:
        warehouse = open_warehouse()
    except WarehouseMissing:
        log.error("no warehouse build in the configured folder %s", settings().warehouse_dir)
        st.error(t("There is no warehouse in the folder the settings name (WAREHOUSE_DIR or config.toml "
                   "warehouse_dir). Please ask the dashboard's administrator to build it (python -m etl build) or "
                   "to correct the setting."), icon=":material/error:")
        st.stop()
    except Exception:
        log.exception("warehouse could not be opened")
        st.error(t("The data could not be opened. Please ask the dashboard's administrator to rebuild the warehouse "
                   "(python -m etl build)."), icon=":material/error:")
        st.stop()
    if warehouse.empty:
        st.title(page.title())
        st.info(t("The data holds no staff or student records yet, so there is nothing to show. Please ask the "
                  "dashboard's administrator to build the warehouse from complete exports (python -m etl build)."),
                icon=":material/database:")
        st.stop()
    options = warehouse.options
    if st.session_state.get("_options") != options:
        _read_link(options)
    sidebar.filters(options, page.about)
    current = st.session_state[sidebar.FILTERS_STATE]
    query = flt.to_query(current, options)
    # Page-level choices stay in the URL; the page checks them when it reads them.
    own = {k: v for k, v in st.query_params.to_dict().items() if k in page.params}
    kept = {k: v for k, v in own.items() if len(v) <= MAX_PAGE_PARAM}
    if len(kept) < len(own):
        st.session_state.setdefault("_ignored", []).extend(sorted(set(own) - set(kept)))
    if lang != browser_default_language():
        query["lang"] = lang
    st.query_params.from_dict({**kept, **query})
    sidebar.navigation(navigation, query)
    renderer.RENDERER.warm_up()   # in the background: the first image download need not wait for a browser
    sidebar.full_report(warehouse, current, rule)
    _notices(warehouse, rule)
    return Context(page, warehouse, current, rule)


def _read_link(options) -> None:
    """First run of this session (or new data): the URL decides, then the widgets do. A setting given
    twice counts once, by its last value, as browsers and Streamlit read it, and the page says so."""
    link = {name: st.query_params.get_all(name) for name in st.query_params}
    parsed = flt.from_query({name: values[-1] for name, values in link.items()}, options)
    st.session_state[sidebar.FILTERS_STATE] = parsed.filters
    st.session_state["_options"] = options
    st.session_state["_ignored"] = parsed.ignored + (["lang"] if st.query_params.get("lang", "en") not in LANGUAGES
                                                     else [])
    known = {*flt.URL_KEYS, "lang", *(name for p in PAGES.values() for name in p.params)}
    st.session_state["_repeated"] = sorted(name for name, values in link.items() if len(values) > 1 and name in known)


def _notices(warehouse: Warehouse, rule: Rule) -> None:
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
