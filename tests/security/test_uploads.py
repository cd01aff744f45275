"""Hostile uploads through the proposal photo form: refused with a message at the field, or stored as a
fresh JPEG (no trailing bytes, no metadata) under a random name, served as image/jpeg with nosniff."""

import re
import struct
import zipfile
import zlib
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from app.core.images import MAX_BYTES, StoredImage
from app.extensions import db
from app.processes.models import Phase
from app.proposals.models import Proposal
from tests.factories import jpeg_bytes
from tests.web.test_proposals import form_data

STORED_NAME = re.compile(r"^[A-Za-z0-9_-]{22}-(large|thumb)\.jpg$")
SCRIPT = b"<html><body><script>alert(document.cookie)</script></body></html>"


def gif_bytes() -> bytes:
    out = BytesIO()
    Image.new("P", (40, 30), 3).save(out, "GIF")
    return out.getvalue()


def zip_bytes() -> bytes:
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("evil.html", SCRIPT)
    return out.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims `width` x `height` pixels (a decompression bomb's first bytes)."""
    out = BytesIO()
    Image.new("L", (1, 1)).save(out, "PNG")
    data = bytearray(out.getvalue())
    ihdr = struct.pack(">II", width, height) + bytes(data[24:29])
    data[16:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    return bytes(data)


def exif_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 0.0)}
    return exif.tobytes()


@pytest.fixture
def upload(app, login, make_process):
    client, _ = login()
    process = make_process(Phase.PROPOSALS)

    def _upload(content: bytes, filename: str = "photo.jpg", mimetype: str = "image/jpeg"):
        photo = (BytesIO(content), filename, mimetype)
        return client.post(
            f"/processes/{process.slug}/proposals/new",
            data=form_data(process, photos=[photo]),
            content_type="multipart/form-data",
        )

    return _upload


def _stored(app) -> list[Path]:
    folder = Path(app.config["UPLOAD_DIR"])
    return sorted(folder.iterdir()) if folder.exists() else []


def _count(app, model) -> int:
    with app.app_context():
        return len(db.session.scalars(select(model)).all())


@pytest.mark.parametrize(
    ("content", "filename", "mimetype", "message"),
    [
        (
            b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>',
            "photo.svg",
            "image/svg+xml",
            "not a photo",
        ),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "photo.jpg",
            "image/jpeg",
            "not a photo",
        ),
        (SCRIPT, "photo.jpg", "image/jpeg", "not a photo"),
        (b"<?php system($_GET['c']); ?>", "photo.php.jpg", "image/jpeg", "not a photo"),
        (zip_bytes(), "photo.jpg", "image/jpeg", "not a photo"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "photo.jpeg", "application/pdf", "not a photo"),
        (b"GIF89a" + SCRIPT, "photo.gif", "image/gif", "not a photo"),
        (jpeg_bytes()[:200], "truncated.jpg", "image/jpeg", "not a photo"),
        (png_claiming(100_000, 100_000), "bomb.png", "image/png", "photo"),
        (png_claiming(8_000, 6_000), "big.png", "image/png", "too many pixels"),
        (b"", "empty.jpg", "image/jpeg", "empty"),
    ],
    ids=[
        "svg-script",
        "svg-as-jpg",
        "html-as-jpg",
        "php-as-jpg",
        "zip-as-jpg",
        "pdf",
        "gif-header-html",
        "truncated",
        "bomb",
        "too-many-pixels",
        "empty",
    ],
)
def test_what_is_not_a_usable_photo_is_refused_at_the_field(
    app, upload, content, filename, mimetype, message
):
    resp = upload(content, filename, mimetype)
    assert resp.status_code == 200 and 'id="photos-error"' in resp.text and message in resp.text
    assert 'value="Benches along the river"' in resp.text  # what was typed is kept
    assert _count(app, Proposal) == 0 and _count(app, StoredImage) == 0 and not _stored(app)


def _multipart(fields: dict, photo: bytes) -> bytes:
    """A form body built by hand: large bodies from the test client's builder leave temp files open."""
    parts = [
        f'--B\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    head = b'--B\r\nContent-Disposition: form-data; name="photos"; filename="huge.jpg"\r\n'
    return b"".join(parts) + head + b"Content-Type: image/jpeg\r\n\r\n" + photo + b"\r\n--B--\r\n"


def _post_raw(client, process, body: bytes):
    return client.post(
        f"/processes/{process.slug}/proposals/new", data=body, content_type="multipart/form-data; boundary=B"
    )


def test_a_file_over_the_photo_limit_is_refused_at_the_field(app, login, make_process):
    client, _ = login()
    process = make_process(Phase.PROPOSALS)
    resp = _post_raw(client, process, _multipart(form_data(process), jpeg_bytes() + b"\0" * MAX_BYTES))
    assert resp.status_code == 200 and 'id="photos-error"' in resp.text and "larger than 8 MB" in resp.text
    assert _count(app, StoredImage) == 0


def test_a_request_over_the_request_limit_is_a_413_page(app, login, make_process):
    client, _ = login()
    process = make_process(Phase.PROPOSALS)
    resp = _post_raw(client, process, _multipart({}, b"\xff" * app.config["MAX_CONTENT_LENGTH"]))
    assert resp.status_code == 413 and "too large" in resp.text.lower()  # the error page, not a 500


@pytest.mark.parametrize(
    ("content", "forbidden"),
    [
        (gif_bytes() + SCRIPT, [b"<script", b"<html"]),  # a GIF with an HTML page after it
        (jpeg_bytes() + SCRIPT, [b"<script", b"<html"]),
        (jpeg_bytes() + zip_bytes(), [b"PK\x03\x04", b"evil.html"]),  # a photo that is also a zip
        (jpeg_bytes(exif=exif_with_gps()), [b"SpyCam", b"Exif"]),
    ],
    ids=["gif+html", "jpeg+html", "jpeg+zip", "exif-gps"],
)
def test_polyglots_and_metadata_are_stored_as_a_fresh_clean_jpeg(app, client, upload, content, forbidden):
    assert upload(content).status_code == 302
    files = _stored(app)
    assert len(files) == 2 and all(STORED_NAME.match(f.name) for f in files)
    for path in files:
        data = path.read_bytes()
        assert data.startswith(b"\xff\xd8") and data.endswith(b"\xff\xd9")  # JPEG, nothing after its end
        assert not any(marker in data for marker in forbidden)
        with Image.open(path) as image:
            assert image.format == "JPEG" and not image.getexif() and "exif" not in image.info
        resp = client.get(f"/media/{path.name}")
        assert resp.mimetype == "image/jpeg" and resp.headers["X-Content-Type-Options"] == "nosniff"
        assert resp.data == data
        resp.close()


@pytest.mark.parametrize(
    "filename",
    [
        "../../etc/passwd.jpg",
        "..\\..\\windows\\win.ini.jpg",
        "/etc/cron.d/x.jpg",
        "photo\x00.php.jpg",
        "a" * 5000 + ".jpg",
        "<script>alert(1)</script>.jpg",
        "photo.jpg;.php",
        ".htaccess",
    ],
    ids=["dotdot", "backslashes", "absolute", "nul", "very-long", "markup", "semicolon", "dotfile"],
)
def test_the_file_name_is_never_used(app, upload, tmp_path, filename):
    resp = upload(jpeg_bytes(), filename)
    assert resp.status_code == 302
    files = _stored(app)
    assert len(files) == 2 and all(STORED_NAME.match(f.name) for f in files)
    root = Path(app.config["UPLOAD_DIR"]).parent
    assert sorted(p for p in root.rglob("*") if p.is_file()) == files  # nothing written anywhere else


@pytest.mark.parametrize(
    "name",
    [
        "../secret_key",
        "..%2Fsecret_key",
        "%2e%2e%2fconfig.py",
        "x.html",
        "AAAAAAAAAAAAAAAAAAAAAA-large.jpg/..",
        "AAAAAAAAAAAAAAAAAAAAAA-large.svg",
    ],
)
def test_media_serves_only_stored_photo_names(client, name):
    resp = client.get(f"/media/{name}")
    assert resp.status_code == 404
    resp.close()
