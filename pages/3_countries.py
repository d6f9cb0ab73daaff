"""Countries of origin. What it shows: app/present/pages.py."""

from app.web import frame, layout

ctx = frame.start("countries")
layout.guarded(lambda: layout.draw(ctx))
