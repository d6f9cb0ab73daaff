"""Strategy: targets and trajectory, diversity of origins, careers. What it shows: app/present/pages.py."""

from app.web import frame, layout

ctx = frame.start("strategy")
layout.guarded(lambda: layout.draw(ctx))
