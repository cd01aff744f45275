"""The officers' dashboard: one page where each feature shows its queues (moderation, review, ...)."""

from app.officer.views import PANELS, add_panel, bp

__all__ = ["PANELS", "add_panel", "bp"]
