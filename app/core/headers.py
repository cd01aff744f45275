"""Security headers on every response."""

from flask import Flask, Response, request

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def register_security_headers(app: Flask) -> None:
    @app.after_request
    def _set_headers(response: Response) -> Response:
        h = response.headers
        h.setdefault("Content-Security-Policy", CSP)
        h.setdefault("X-Content-Type-Options", "nosniff")
        h.setdefault("Referrer-Policy", "same-origin")
        h.setdefault("X-Frame-Options", "DENY")
        h.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(self)")
        h.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if app.config["HSTS"] and request.is_secure:
            h.setdefault("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
        if "Cache-Control" not in h and response.mimetype == "text/html":
            h["Cache-Control"] = "private, no-cache"  # pages can carry a user's name and CSRF token
        return response
