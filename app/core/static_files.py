"""Fingerprinted static files: every URL carries a hash of the file, so browsers may cache it for a year."""

import hashlib
from pathlib import Path

from flask import Flask, request

_HASHES: dict[str, str] = {}


def _fingerprint(folder: str, filename: str) -> str:
    key = f"{folder}/{filename}"
    if key not in _HASHES:
        path = Path(folder) / filename
        _HASHES[key] = hashlib.sha256(path.read_bytes()).hexdigest()[:12] if path.is_file() else "0"
    return _HASHES[key]


def register_static_fingerprints(app: Flask) -> None:
    @app.url_defaults
    def _add_version(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "filename" in values and "v" not in values:
            values["v"] = _fingerprint(app.static_folder, values["filename"])

    @app.after_request
    def _cache_forever(response):
        if request.endpoint == "static" and request.args.get("v") and response.status_code == 200:
            response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        return response
