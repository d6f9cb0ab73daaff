"""Drawing a page from its specification (`app.present.pages`): heading,
choices, charts in their rows, columns and tabs, each chart with its summary,
caption and downloads, and the page's report pack.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import streamlit as st

from app.model import definitions
from app.model.metrics import Headline
from app.present.pages import PAGES, Cards, Charts, Controls, Heading, Inputs, Notes, Row, Table, inputs_for
from app.model.filters import EXCHANGES, STAFF, STUDENTS, describe
from app.present import views
from app.present.views import Chart
from app.reports import exports, packs
from app.web import widgets
from app.web.frame import Context
from app.words import labels, safe_text
from app.words.i18n import fmt_pp, fmt_share, language, set_language, t

log = logging.getLogger("dashboard")

# The world map's outlines come from static/ (served by Streamlit), not from a CDN.
PLOTLY_CONFIG = {"displaylogo": False, "topojsonURL": "./app/static/topojson/",
                 "modeBarButtonsToRemove": ["lasso2d", "select2d"]}


def draw(ctx: Context) -> None:
    """The page `ctx.page` as its specification lays it out."""
    page = ctx.page
    inputs = inputs_for(page, ctx.warehouse, ctx.filters, ctx.rule)
    st.title((page.heading or page.title)())
    if page.requires is not None and not page.requires(inputs):
        scope(inputs)
        empty_state(page.title())
        return
    if page.about in (STAFF, STUDENTS):
        # One notice for the page, not one per chart, when the definition cannot count its people at all.
        reason = definitions.why_not(ctx.warehouse.coverage, ctx.filters.definition, page.about)
        if reason:
            scope(inputs)
            empty_state(page.title(), reason)
            return
    if page.intro is not None:
        st.caption(page.intro(inputs))
    scope(inputs)
    controls = widgets.resolve(page.choices, inputs)
    if page.tabs:
        _tabs(page.body, inputs, controls, ctx, language())
        report_pack(lambda: page.charts(inputs), page.title(), ctx, controls)
    else:
        _blocks(page.body, inputs, controls, ctx)
        report_pack(page.charts(inputs), page.title(), ctx, controls)


@st.fragment
def _tabs(body, inputs: Inputs, controls: dict[str, widgets.Control], ctx: Context, chosen: str) -> None:
    """The page's tabs, of which only the open one is drawn. A fragment: a click on a tab reruns the tabs alone,
    not the sidebar, heading and report button around them (a tab switch took 0.9 s, most of it the page
    around the tab). Such a rerun does not pass through `frame.start`, which sets the language, nor through the
    page's guard: the tabs set the page's language (`chosen`) themselves (a Finnish page's tab opened in English,
    under English tab names), and guard themselves (a bug showed Streamlit's exception box)."""
    set_language(chosen)

    def drawn() -> None:
        tabs = lazy_tabs([part.label() for part in body])
        for part, tab in zip(body, tabs):
            with tab:
                if tab.open:
                    _blocks(part.blocks, inputs, controls, ctx)
    guarded(drawn)


def scope(inputs: Inputs) -> None:
    """What the page's figures cover: the filters in force that apply to them, in words, and the years of
    data when the filter reaches beyond them."""
    words = inputs.filter_words()
    if words:
        st.markdown(f":material/filter_alt: **{safe_text.markdown(words)}**")
    covered, f = inputs.data_years(), inputs.asked or inputs.filters
    if covered and (f.first_year < covered[0] or f.last_year > covered[-1]):
        st.caption(t("The figures on this page cover {first}–{last}.", first=covered[0], last=covered[-1]))


def _blocks(blocks, inputs: Inputs, controls: dict[str, widgets.Control], ctx: Context) -> None:
    for block in blocks:
        if isinstance(block, Row):
            _side_by_side([lambda make=make: show(inputs.chart(make), ctx) for make in block.charts], block.widths)
        elif isinstance(block, Controls):
            _side_by_side([lambda name=name: widgets.draw(controls[name]) for name in block.names], block.widths)
        elif isinstance(block, Heading):
            st.subheader(block.text())
        elif isinstance(block, Cards):
            headline_cards(block.make(inputs), inputs.filters.definition)
        elif isinstance(block, Charts):
            for note in block.notes(inputs):
                st.warning(safe_text.markdown(note), icon=":material/settings:")
            made = inputs.once(block.make, lambda block=block: block.make(inputs))
            if not made:
                empty_state(block.title(), block.empty(inputs))
                if block.example:
                    st.code(block.example, language="toml")
            for pair in range(0, len(made), 2):
                _side_by_side([lambda chart=chart: show(chart, ctx) for chart in made[pair:pair + 2]], None)
        elif isinstance(block, Notes):
            lines = block.make(inputs)
            if lines:
                with st.container(border=True):
                    for line in lines:
                        st.markdown(f":material/flag: {line}")
                    if block.caption:
                        st.caption(block.caption())
                    linked = PAGES[block.link]
                    st.page_link(linked.script, label=t("More on the {page} page", page=linked.title()),
                                 icon=":material/arrow_forward:", query_params=st.query_params.to_dict())
        elif isinstance(block, Table):
            rows, note = block.make(inputs), block.note(inputs)
            if rows.empty:
                empty_state(block.title(), note)
                continue
            if note:
                st.caption(note)
            widgets.partner_table(rows, ctx)
        else:
            raise TypeError(f"not a block: {block!r}")


def _side_by_side(draws: list[Callable[[], None]], widths: tuple[int, ...] | None) -> None:
    if len(draws) == 1:
        draws[0]()
        return
    for column, draw_one in zip(st.columns(list(widths) if widths else len(draws)), draws):
        with column:
            draw_one()


def lazy_tabs(names: list[str]) -> list:
    """Tabs whose hidden content is not computed: a filter change redraws only the open tab.
    Which tab is open is kept for the session (page-level, so a new page starts on the first)."""
    return st.tabs(names, key="p_tab", on_change="rerun")


def caption(chart: Chart, ctx: Context) -> str:
    """Source, build date and disclosure rule: the same words as in exported files."""
    meta = exports.Meta.of(ctx.warehouse, ctx.filters, ctx.rule, ctx.page.about)
    return f"{meta.source(chart)} {meta.rule_note}"


def show(chart: Chart, ctx: Context) -> None:
    """A chart, its one-sentence summary (its text alternative) and its caption."""
    chart = views.with_filters(chart, describe(ctx.filters, ctx.warehouse.options, chart.about or ctx.page.about))
    if chart.empty:
        empty_state(chart.title, chart.empty_reason)
        return
    # With Chromium on the server the buttons below the chart download its images, so the chart's own toolbar
    # (eight more stops for every chart in the keyboard order) is left out; without, its camera saves a PNG.
    toolbar = {"displayModeBar": False} if exports.chromium() is not None else {
        "toImageButtonOptions": {"format": "png", "filename": exports.file_name(chart, "png")[:-4], "scale": 2}}
    st.markdown(f"#### {safe_text.markdown(chart.title)}")
    st.caption("  \n".join(safe_text.markdown(words) for words in (chart.subtitle, chart.byline) if words))
    st.plotly_chart(views.on_screen(chart), theme=None, width="stretch", key=f"chart-{chart.key}",
                    config=PLOTLY_CONFIG | toolbar)
    st.text(chart.summary, width="stretch")   # plain text: names from the data never become Markdown
    st.caption(caption(chart, ctx))
    widgets.downloads(chart, ctx)


def report_pack(charts: list[Chart] | Callable[[], list[Chart]], title: str, ctx: Context,
                controls: dict[str, widgets.Control]) -> None:
    """Every chart of the page in one ZIP, with a deck and a PDF. `charts` may be a function that makes them,
    for pages that draw only some (tabs): they are then made on the click."""
    meta = exports.Meta.of(ctx.warehouse, ctx.filters, ctx.rule, ctx.page.about)
    if callable(charts):
        make = charts
    else:
        shown = [c for c in charts if not c.empty]
        if not shown:
            return
        make = lambda: shown  # noqa: E731
    st.divider()
    choices = tuple((name, str(st.session_state.get(control.key))) for name, control in controls.items())
    widgets.report_pack("page-pack", t("Make a report of this page (ZIP with slides and PDF)"), title, make, meta,
                        ctx.warehouse, ctx.rule, packs.zip_name(title, ctx.filters.years, meta.filters,
                                                                  "" if ctx.page.about == EXCHANGES
                                                                  else ctx.filters.definition),
                        identity=(ctx.page.key, repr(ctx.filters), repr(ctx.rule), ctx.warehouse.built_at, choices),
                        primary=True)


def empty_state(title: str, reason: str = "") -> None:
    """Nothing to show: why, when known; else that the filters leave nothing (the filters in force are named
    above the page's figures)."""
    if reason:
        st.info(f"**{safe_text.markdown(title)}**: {safe_text.markdown(reason)}", icon=":material/event_busy:")
        return
    st.info(t("**{title}**: nothing to show for these filters. Try a wider year range or fewer filters (the sidebar "
              "lists them; “Reset filters” clears them).", title=safe_text.markdown(title)),
            icon=":material/filter_alt_off:")


def headline_cards(cards: list[Headline], definition: str) -> None:
    if not cards:
        empty_state(t("Headline figures"))
        return
    columns = st.columns(len(cards))
    for column, card in zip(columns, cards):
        with column:
            delta = views.card_change(card)
            counts = t("{year}: {international} international of {known} whose {basis} is known",
                       year=card.year, international=card.international_label, known=card.known_label,
                       basis=definitions.basis(definition))
            if card.share is not None and card.first_share is not None:
                note = t("{change} since {year} (then {share})", change=fmt_pp(card.share - card.first_share),
                         year=card.first_year, share=fmt_share(card.first_share))
            else:   # no change to tell: what the figure is made of ("2025" alone said nothing)
                note = counts
            st.metric(labels.population_short(card.population), views.card_value(card), delta.text if delta else None,
                      delta_color=delta.colour if delta else "normal", delta_arrow=delta.arrow if delta else "auto",
                      delta_description=delta.description if delta else None, border=True,
                      help=f"{counts}  \n{definitions.line(definition)}")
            st.caption(note)


def guarded(run: Callable[[], None]) -> None:
    """Run a page; a bug shows a polite message instead of a traceback."""
    try:
        run()
    except Exception:  # Streamlit's own rerun/stop signals are not Exceptions
        log.exception("page failed")
        st.error(t("Sorry, this page could not be drawn. The error has been logged; please try other filters "
                   "or reload the page."), icon=":material/error:")
