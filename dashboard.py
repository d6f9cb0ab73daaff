"""Overview, and the entry point: `streamlit run dashboard.py`.

The other pages live in pages/ (Streamlit's file-based multipage layout, so
every page has its own URL that works as a first link on a fresh server).
What each page shows is specified once, in app/present/pages.py; the page
script starts the frame and draws that specification.
"""

from app.web import frame, layout

ctx = frame.start("overview")
layout.guarded(lambda: layout.draw(ctx))
