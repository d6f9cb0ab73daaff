"""The page registry is the only list of pages: every script in pages/ is in it, once."""

from pathlib import Path

import pytest

from app.present import pages as site
from app.words import i18n

ROOT = Path(__file__).resolve().parent.parent


def test_every_page_script_is_registered_once():
    scripts = {"dashboard.py", *(f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py"))}
    assert sorted(p.script for p in site.PAGES.values()) == sorted(scripts)
    for page in site.PAGES.values():
        assert f'frame.start("{page.key}")' in (ROOT / page.script).read_text(encoding="utf-8")


def test_page_titles_are_translated():
    for language in ("fi", "sv"):
        i18n.set_language(language)
        try:
            for page in site.PAGES.values():
                i18n.set_language("en")
                english = page.title()
                i18n.set_language(language)
                assert page.title() != english or english in ("Mobility",), (language, english)
        finally:
            i18n.set_language("en")


def test_the_servers_head_start_opens_the_warehouse_and_makes_the_overview(demo_warehouse, monkeypatch):
    """`python -m app.web.serve` warms up in a thread that only logs failures: run its work directly."""
    from app.web import serve

    import inspect

    from streamlit import delta_generator

    monkeypatch.setenv("WAREHOUSE_DIR", str(demo_warehouse))
    # Streamlit's check before the first element, whether it runs in a REPL (inspect.stack(): 0.2 s of the first
    # visitor's page), is answered by the head start: when Streamlit changes it, this says so.
    assert "is_repl()" in inspect.getsource(delta_generator._maybe_print_use_warning)
    monkeypatch.setattr(delta_generator, "_use_warning_has_been_displayed", False)
    serve.head_start()
    assert delta_generator._use_warning_has_been_displayed is True


def test_every_chart_of_a_page_specification_is_made_once_with_its_own_key(demo_warehouse):
    from app.model.data import Warehouse
    from app.model.disclosure import parse_rule
    from app.model.filters import defaults

    wh = Warehouse(demo_warehouse)
    for page in site.PAGES.values():
        inputs = site.with_defaults(page, site.Inputs(wh, defaults(wh.options), parse_rule("vipunen")))
        charts = page.charts(inputs)
        assert [c.key for c in charts] == list(dict.fromkeys(c.key for c in charts)), page.key
        assert page.charts(inputs) == charts   # made once: the page and its pack share them
        assert set(page.params) >= {c.name for c in page.choices}


@pytest.mark.parametrize("key", ["overview", "staff", "students", "countries", "networks"])
def test_a_page_draws_exactly_the_charts_its_report_pack_exports(demo_warehouse, render_page, key):
    """The page and its pack read one specification: the drawn charts are the spec's, in its order."""
    from app.model.data import Warehouse
    from app.model.disclosure import parse_rule
    from app.model.filters import defaults

    at = render_page(demo_warehouse, key)
    drawn = [chart.key for chart in at.get("plotly_chart")]
    wh = Warehouse(demo_warehouse)
    expected = [f"chart-{c.key}" for c in site.page_charts(key, wh, defaults(wh.options), parse_rule("vipunen"))
                if not c.empty]
    assert drawn == expected


def test_a_view_seen_again_is_not_computed_again_and_any_change_of_what_it_shows_is(demo_warehouse, tmp_path,
                                                                                    monkeypatch):
    """Figures are kept (Warehouse.remembered): the same page with the same filters, rule, language, choices
    and config gives back what was made; a change of any of them makes the figures anew."""
    from dataclasses import replace

    from app.model.data import KEPT, Warehouse
    from app.model.disclosure import parse_rule
    from app.model.filters import defaults
    from etl import config

    wh = Warehouse(demo_warehouse)
    f, rule = defaults(wh.options), parse_rule("vipunen")
    first = site.page_charts("staff", wh, f, rule)
    again = site.page_charts("staff", wh, f, rule)
    assert [id(c) for c in again] == [id(c) for c in first]          # kept, not made again

    def made_anew(charts) -> bool:
        return not {id(c) for c in charts} & {id(c) for c in first}

    assert made_anew(site.page_charts("staff", wh, replace(f, years=(2015, 2020)), rule))
    assert made_anew(site.page_charts("staff", wh, f, parse_rule("threshold:5")))
    assert made_anew(site.page_charts("staff", wh, replace(f, definition="any_foreign"), rule))
    i18n.set_language("fi")
    try:
        finnish = site.page_charts("staff", wh, f, rule)
    finally:
        i18n.set_language("en")
    assert made_anew(finnish) and finnish[0].title != first[0].title
    professors = site.page_charts("countries", wh, f, rule, population="professors")
    assert [id(c) for c in site.page_charts("countries", wh, f, rule, population="professors")] == \
        [id(c) for c in professors]
    degree = site.page_charts("countries", wh, f, rule, population="degree_students")
    assert not {id(c) for c in degree} & {id(c) for c in professors}     # another choice of the page
    settings = tmp_path / "config.toml"
    settings.write_text('[university]\nname = "Test University"\n', encoding="utf-8")
    monkeypatch.setattr(config, "CONFIG_FILE", settings)
    assert made_anew(site.page_charts("staff", wh, f, rule))
    # Another warehouse (a rebuild) keeps its own; a busy server keeps the figures used last.
    assert made_anew(site.page_charts("staff", Warehouse(demo_warehouse), f, rule))
    for number in range(KEPT):
        wh.remembered(("something else", number), lambda: number)
    monkeypatch.undo()
    assert made_anew(site.page_charts("staff", wh, f, rule))


def test_a_figure_asked_for_while_another_session_makes_it_is_waited_for_not_made_twice(demo_warehouse):
    """The server's head start and the first visitor's page ask for the same overview at once."""
    import threading

    from app.model.data import Warehouse

    wh = Warehouse(demo_warehouse)
    started, release, calls, results = threading.Event(), threading.Event(), [], []

    def slow() -> object:
        calls.append(threading.get_ident())
        started.set()
        assert release.wait(10)
        return object()

    first = threading.Thread(target=lambda: results.append(wh.remembered("figure", slow)))
    first.start()
    assert started.wait(10)
    second = threading.Thread(target=lambda: results.append(wh.remembered("figure", slow)))
    second.start()
    second.join(0.3)
    assert second.is_alive()            # waiting for the first session's figure, not making its own
    release.set()
    first.join(10), second.join(10)
    assert len(calls) == 1 and len(results) == 2 and results[0] is results[1]
    assert wh.remembered("figure", lambda: pytest.fail("made again")) is results[0]


def test_when_the_session_making_a_figure_fails_the_one_waiting_makes_it_itself(demo_warehouse):
    import threading

    from app.model.data import Warehouse

    wh = Warehouse(demo_warehouse)
    started, release, errors, results = threading.Event(), threading.Event(), [], []

    def failing() -> object:
        started.set()
        assert release.wait(10)
        raise ValueError("the first try failed")

    def first() -> None:
        try:
            wh.remembered("figure", failing)
        except ValueError as error:
            errors.append(error)

    one = threading.Thread(target=first)
    one.start()
    assert started.wait(10)
    two = threading.Thread(target=lambda: results.append(wh.remembered("figure", lambda: "made by the second")))
    two.start()
    release.set()
    one.join(10), two.join(10)
    assert [str(e) for e in errors] == ["the first try failed"] and results == ["made by the second"]
    # A maker asking for its own key (no such figure today) makes it instead of waiting for itself forever.
    assert wh.remembered("outer", lambda: wh.remembered("outer", lambda: 1) + 1) == 2
