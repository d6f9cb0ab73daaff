"""The dashboard, in five layers; a module imports only from its own layer and those above it in this list
(tests/test_layers.py checks it):

- `app.words`: translations, number formats, the names of codes, text made safe for Markdown, Plotly and
  file names.
- `app.model`: the warehouse's aggregate tables, the shared filters, disclosure rules, and every figure
  (metrics for people, mobility for exchanges and partners).
- `app.present`: charts, their one-sentence summaries, the methodology texts, and each page's specification
  (`pages.PAGES`: which charts, in which rows, columns and tabs).
- `app.reports`: files made from charts: PNG, SVG, CSV, Excel, PowerPoint, PDF and report packs.
- `app.web`: the Streamlit frame, sidebar, widgets and page layout.

Only `app.web`, the page scripts (dashboard.py, pages/) and nothing else import Streamlit.
"""
