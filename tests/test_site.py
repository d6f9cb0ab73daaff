"""The page registry is the only list of pages: every script in pages/ is in it, once."""

from pathlib import Path

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

    monkeypatch.setenv("WAREHOUSE_DIR", str(demo_warehouse))
    serve.head_start()
