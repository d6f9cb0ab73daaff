"""Who may see the dashboard when sign-in is configured.

Sign-in itself is Streamlit's OIDC (`st.login`, configured in the `[auth]`
section of .streamlit/secrets.toml). The allow-list lives in config.toml:

    [access]
    allowed_domains = ["aalto.fi"]          # e-mail domains, without @
    allowed_emails = ["visitor@example.org"]

With both lists empty, everyone the identity provider signs in is let in
(the provider, e.g. the university's Entra ID tenant, is then the gate).
"""

from __future__ import annotations

from etl.config import load_config


def allowed(email: str | None, config: dict | None = None) -> bool:
    access = (config if config is not None else load_config()).get("access", {})
    domains = {d.strip().lower().lstrip("@") for d in access.get("allowed_domains", [])}
    emails = {e.strip().lower() for e in access.get("allowed_emails", [])}
    if not domains and not emails:
        return bool(email)
    if not email or "@" not in email:
        return False
    email = email.strip().lower()
    return email in emails or email.rsplit("@", 1)[1] in domains
