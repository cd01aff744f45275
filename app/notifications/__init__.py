"""Notifications any feature can send: an in-app list, e-mail by kind, per-person settings, unsubscribe."""

from app.notifications.views import bp

__all__ = ["bp"]
