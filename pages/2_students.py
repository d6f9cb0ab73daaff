"""Students. What it shows: app/present/pages.py."""

from app.web import frame, layout

ctx = frame.start("students")
layout.guarded(lambda: layout.draw(ctx))
