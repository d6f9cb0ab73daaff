"""The sidebar: language, one widget per shared filter (from `filters.FILTERS`),
the page links (which carry the filters) and the full report.

The session's `Filters` are the truth; the widgets show them. Streamlit forgets
widget values when another page runs, so they are set again every run.
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from app.model import definitions
from app.model import filters as flt
from app.model.data import Options, Warehouse
from app.model.disclosure import Rule
from app.present import pages
from app.reports import exports, packs
from app.web import widgets
from app.words import safe_text
from app.words.i18n import LANGUAGES, sentence, t

FILTERS_STATE = "_filters"
DEFINITION_KEY = "f_definition"
# Two lists, not a range slider: a slider moved with the arrow keys reran every page at each step.
FIRST_YEAR_KEY, LAST_YEAR_KEY = "f_first_year", "f_last_year"


def _key(one: flt.Filter) -> str:
    return f"f_{one.field}"


def _put_in_widgets(values: flt.Filters) -> None:
    st.session_state[FIRST_YEAR_KEY], st.session_state[LAST_YEAR_KEY] = values.years
    st.session_state[DEFINITION_KEY] = values.definition
    for one in flt.FILTERS:
        st.session_state[_key(one)] = list(one.values(values))


def _years_changed(moved: str) -> None:
    first, last = int(st.session_state[FIRST_YEAR_KEY]), int(st.session_state[LAST_YEAR_KEY])
    if first > last:   # the other end follows the one just moved, so the range stays a range
        first, last = (first, first) if moved == FIRST_YEAR_KEY else (last, last)
    st.session_state[FILTERS_STATE] = replace(st.session_state[FILTERS_STATE], years=(first, last))


def _changed(one: flt.Filter) -> None:
    st.session_state[FILTERS_STATE] = replace(st.session_state[FILTERS_STATE],
                                              **{one.field: tuple(st.session_state[_key(one)])})


def _definition_changed() -> None:
    st.session_state[FILTERS_STATE] = replace(st.session_state[FILTERS_STATE],
                                              definition=st.session_state[DEFINITION_KEY])


def _reset(options: Options) -> None:
    st.session_state[FILTERS_STATE] = flt.defaults(options)


def _language_changed() -> None:
    st.session_state["_lang"] = st.session_state["f_lang"]


def filters(options: Options, about: str | None) -> None:
    """The language and the filters that apply to this page's figures (`about`: people or exchanges; None:
    every filter); filters in force that do not apply are named, kept for the other pages."""
    current = st.session_state[FILTERS_STATE]
    _put_in_widgets(current)
    with st.sidebar:
        st.session_state["f_lang"] = st.session_state["_lang"]
        st.selectbox("Language · Kieli · Språk", list(LANGUAGES), key="f_lang", format_func=LANGUAGES.get,
                     on_change=_language_changed)
        if about != flt.EXCHANGES:
            # Named now, in the page's language: Streamlit may call format_func later on another thread.
            names = {key: sentence(definitions.name(key)) for key in definitions.KEYS}
            st.selectbox(t("Who counts as international"), definitions.KEYS, key=DEFINITION_KEY,
                         format_func=names.get, on_change=_definition_changed,
                         help=t("Register citizenship is national statistics' definition. The methodology page "
                                "explains each and compares them for the same people."))
        st.subheader(t("Filters"))
        if len(options.years) > 1:
            first, last = st.columns(2)
            first.selectbox(t("First year"), options.years, key=FIRST_YEAR_KEY, on_change=_years_changed,
                            args=(FIRST_YEAR_KEY,))
            last.selectbox(t("Last year"), options.years, key=LAST_YEAR_KEY, on_change=_years_changed,
                           args=(LAST_YEAR_KEY,))
        for one in flt.FILTERS:
            if about is None or one.applies_to(about):
                st.multiselect(one.label(), one.choices(options), key=_key(one), format_func=one.option or one.name,
                               placeholder=one.everyone(), on_change=_changed, args=(one,),
                               help=one.help() if one.help else None)
        elsewhere = [one.words(current) for one in flt.in_force(current)
                     if about is not None and not one.applies_to(about)]
        if about == flt.EXCHANGES and current.definition != flt.defaults(options).definition:
            elsewhere.insert(0, definitions.line(current.definition))
        if elsewhere:
            st.caption(t("Not used on this page, kept for the others: {filters}.",
                         filters=safe_text.markdown("; ".join(elsewhere))))
        st.button(t("Reset filters"), on_click=_reset, args=(options,), icon=":material/restart_alt:",
                  width="stretch")


def navigation(container, query: dict[str, str]) -> None:
    # The links carry the filters, so a page opened in a new tab shows the same view.
    with container:
        for listed in pages.PAGES.values():
            st.page_link(listed.script, label=listed.title(), icon=listed.icon, query_params=query)
        st.divider()


def full_report(warehouse: Warehouse, filters: flt.Filters, rule: Rule) -> None:
    title = t("International university dashboard")
    meta = exports.Meta.of(warehouse, filters, rule)
    with st.sidebar:
        st.divider()
        widgets.report_pack("full-report", t("Full report (ZIP with slides and PDF)"), title,
                            lambda: pages.everything(warehouse, filters, rule), meta,
                            warehouse, rule, packs.zip_name(title, filters.years, meta.filters, filters.definition),
                            identity=(repr(filters), repr(rule), warehouse.built_at))
