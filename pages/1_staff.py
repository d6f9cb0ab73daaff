"""Staff. What it shows: app/present/pages.py."""

from app.web import frame, layout

ctx = frame.start("staff")
layout.guarded(lambda: layout.draw(ctx))
