"""Cross-cutting helpers: errors, safe redirects, markdown, mail, tokens, audit log, pagination."""

from app.core.views import bp

__all__ = ["bp"]
