"""Networks and alliances. What it shows: app/present/pages.py."""

from app.web import frame, layout

ctx = frame.start("networks")
layout.guarded(lambda: layout.draw(ctx))
