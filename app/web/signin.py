"""Sign-in: with [auth] in the secrets, nothing is shown before sign-in, and only the allow-list gets in."""

from __future__ import annotations

import streamlit as st

from app.model import access
from app.words.i18n import t


def _required() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets.toml at all: the app runs open
        return False


def gate() -> None:
    if not _required():
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
