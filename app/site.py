"""The dashboard's pages, registered once: the frame's navigation, each page's
title, the link settings a page owns, and the tests all read this list."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from app.i18n import t


@dataclass(frozen=True)
class Page:
    key: str
    script: str                       # the Streamlit script, relative to the project root
    icon: str
    title: Callable[[], str]          # translated when asked (the language is chosen per session)
    params: frozenset[str] = frozenset()   # the link settings that belong to this page alone


PAGES: dict[str, Page] = {p.key: p for p in (
    Page("overview", "dashboard.py", ":material/dashboard:", lambda: t("Overview")),
    Page("staff", "pages/1_staff.py", ":material/badge:", lambda: t("Staff")),
    Page("students", "pages/2_students.py", ":material/school:", lambda: t("Students")),
    Page("countries", "pages/3_countries.py", ":material/public:", lambda: t("Countries of origin"),
         frozenset({"population", "year", "top", "country"})),
    Page("mobility", "pages/4_mobility.py", ":material/flight_takeoff:", lambda: t("Mobility")),
    Page("partners", "pages/5_partners.py", ":material/handshake:", lambda: t("Partners"),
         frozenset({"q", "partner_country", "programme", "network", "show", "partner"})),
    Page("networks", "pages/6_networks.py", ":material/hub:", lambda: t("Networks and alliances"),
         frozenset({"network"})),
    Page("methodology", "pages/7_methodology.py", ":material/menu_book:", lambda: t("Methodology and data")),
)}
