"""Optional sign-in: nothing without it when configured, the allow-list decides."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from app.model.access import allowed

ROOT = __import__("pathlib").Path(__file__).resolve().parent.parent
AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "test-secret",
        "client_id": "dashboard", "client_secret": "x",
        "server_metadata_url": "https://login.example.org/.well-known/openid-configuration"}


def test_allow_list_by_domain_and_address():
    config = {"access": {"allowed_domains": ["aalto.fi", "@example.org"], "allowed_emails": ["Guest@Gmail.com"]}}
    assert allowed("someone@aalto.fi", config)
    assert allowed("SOMEONE@AALTO.FI", config)
    assert allowed("x@example.org", config)
    assert allowed("guest@gmail.com", config)
    assert not allowed("other@gmail.com", config)
    assert not allowed("aalto.fi@evil.com", config)
    assert not allowed(None, config)
    assert not allowed("no-at-sign", config)


def test_empty_allow_list_lets_in_whoever_the_provider_signed_in():
    assert allowed("anyone@anywhere.org", {})
    assert not allowed(None, {})


@pytest.fixture
def app(demo_warehouse, monkeypatch):
    monkeypatch.setenv("WAREHOUSE_DIR", str(demo_warehouse))

    def run(user: dict, allowed_domains: list[str] | None = None) -> AppTest:
        if allowed_domains is not None:
            import app.model.access as access_module
            monkeypatch.setattr(access_module, "load_config",
                                lambda: {"access": {"allowed_domains": allowed_domains}})
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
        at.secrets["auth"] = AUTH
        at.user = user
        return at.run()
    return run


def test_a_visitor_who_has_not_signed_in_sees_only_the_sign_in_button(app):
    at = app({"is_logged_in": False})
    assert not at.exception
    assert [b.label for b in at.button] == ["Sign in"]
    assert not at.metric and not at.get("plotly_chart")


def test_a_signed_in_user_on_the_allow_list_sees_the_dashboard(app):
    at = app({"is_logged_in": True, "email": "leader@aalto.fi", "name": "Leader"}, allowed_domains=["aalto.fi"])
    assert not at.exception
    assert len(at.metric) == 5
    assert "Signed in as leader@aalto.fi" in [c.value for c in at.sidebar.caption]


def test_a_signed_in_user_off_the_allow_list_is_politely_refused(app):
    at = app({"is_logged_in": True, "email": "stranger@gmail.com"}, allowed_domains=["aalto.fi"])
    assert not at.exception
    assert "does not have access" in at.warning[0].value
    assert not at.metric and not at.get("plotly_chart")
