"""The page registry is the only list of pages: every script in pages/ is in it, once."""

from pathlib import Path

from app import i18n, site

ROOT = Path(__file__).resolve().parent.parent


def test_every_page_script_is_registered_once():
    scripts = {"dashboard.py", *(f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py"))}
    assert sorted(p.script for p in site.PAGES.values()) == sorted(scripts)
    for page in site.PAGES.values():
        assert f'ui.frame("{page.key}")' in (ROOT / page.script).read_text(encoding="utf-8")


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
