"""gzip for text responses, so a phone on a slow network downloads a fraction of each page.

Static files are compressed once per version and kept in memory; pages are compressed per response.
"""

import gzip

from flask import Flask, Response, request

TYPES = {
    "text/html",
    "text/css",
    "text/javascript",
    "application/javascript",
    "application/json",
    "image/svg+xml",
    "text/plain",
    "text/csv",
    "application/geo+json",
}
MIN_BYTES = 500
_STATIC_CACHE: dict[tuple[str, str], bytes] = {}


def _compressible(response: Response) -> bool:
    return (
        response.status_code in (200, 201, 400, 403, 404)
        and response.mimetype in TYPES
        and "Content-Encoding" not in response.headers
        and (request.endpoint == "static" or not response.is_streamed)
        and "gzip" in request.headers.get("Accept-Encoding", "").lower()
    )


def _gzip(response: Response) -> bytes:
    if request.endpoint != "static":
        return gzip.compress(response.get_data(), compresslevel=6, mtime=0)
    key = (request.path, request.args.get("v", ""))
    opened = response.response  # the file send_file opened; its bytes are replaced below
    if key not in _STATIC_CACHE:
        response.direct_passthrough = False
        _STATIC_CACHE[key] = gzip.compress(response.get_data(), compresslevel=9, mtime=0)
    if hasattr(opened, "close"):
        opened.close()
    return _STATIC_CACHE[key]


def register_compression(app: Flask) -> None:
    @app.after_request
    def _compress(response: Response) -> Response:
        response.vary.add("Accept-Encoding")
        if not _compressible(response):
            return response
        if request.endpoint != "static" and len(response.get_data()) < MIN_BYTES:
            return response
        body = _gzip(response)
        response.direct_passthrough = False
        response.set_data(body)
        response.headers["Content-Encoding"] = "gzip"
        return response
