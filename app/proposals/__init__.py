"""Proposals, supports, comments and follows, moderation and the review queue."""

from app.officer import add_panel
from app.proposals import discussion_views  # noqa: F401  (adds its routes to `bp`)
from app.proposals.dashboard import panel_data
from app.proposals.officer_views import bp as officer_bp
from app.proposals.views import bp

add_panel("proposals/_officer_panel.html", panel_data)

__all__ = ["bp", "officer_bp"]
