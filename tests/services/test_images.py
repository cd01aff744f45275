"""Uploaded photos: decoded by content, re-encoded without metadata, resized, removed on rollback."""

from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image

from app.core import images
from app.extensions import db
from tests.factories import jpeg_bytes


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        yield


def _exif_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0)}  # GPS IFD
    exif[0x0112] = 6  # orientation: rotate 90°
    return exif.tobytes()


def test_a_photo_is_reencoded_without_metadata_and_turned_upright(ctx):
    record = images.store_image(
        BytesIO(jpeg_bytes(size=(2000, 1000), exif=_exif_with_gps())), uploader_id=None
    )
    db.session.commit()
    large = Path(images.upload_dir() / record.filename("large"))
    with Image.open(large) as stored:
        assert stored.format == "JPEG" and not stored.getexif()
        assert stored.size == (640, 1280)  # rotated upright, longest side 1280
    assert (record.thumb_width, record.thumb_height) == (240, 480)
    assert b"SpyCam" not in large.read_bytes()


def test_transparent_png_is_flattened(ctx):
    out = BytesIO()
    Image.new("RGBA", (50, 50), (255, 0, 0, 0)).save(out, "PNG")
    out.seek(0)
    record = images.store_image(out, uploader_id=None)
    assert record.width == 50


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"", "empty"),
        (b"%PDF-1.4 not an image", "not a photo"),
        (b"GIF89a<script>alert(1)</script>", "not a photo"),
    ],
)
def test_what_is_not_a_photo_is_refused(ctx, payload, message):
    with pytest.raises(images.ImageError, match=message):
        images.store_image(BytesIO(payload), uploader_id=None)


def test_a_file_over_the_size_limit_is_refused(ctx, monkeypatch):
    monkeypatch.setattr(images, "MAX_BYTES", 1000)
    with pytest.raises(images.ImageError, match="larger than"):
        images.store_image(BytesIO(jpeg_bytes()), uploader_id=None)


def test_an_image_bomb_is_refused(ctx, monkeypatch):
    monkeypatch.setattr(images, "MAX_PIXELS", 100)
    with pytest.raises(images.ImageError, match="too many pixels"):
        images.store_image(BytesIO(jpeg_bytes(size=(20, 20))), uploader_id=None)


def test_files_are_removed_when_the_transaction_rolls_back(ctx):
    record = images.store_image(BytesIO(jpeg_bytes()), uploader_id=None)
    path = images.upload_dir() / record.filename("thumb")
    assert path.exists()
    db.session.rollback()
    assert not path.exists()


def test_deleted_images_lose_their_files_after_commit(ctx):
    record = images.store_image(BytesIO(jpeg_bytes()), uploader_id=None)
    db.session.commit()
    path = images.upload_dir() / record.filename("thumb")
    images.delete_image(record)
    assert path.exists()
    db.session.commit()
    assert not path.exists()


def test_media_route_serves_with_long_cache(client, make_image):
    name = make_image().filename("thumb")
    resp = client.get(f"/media/{name}")
    assert (
        resp.status_code == 200
        and resp.mimetype == "image/jpeg"
        and "immutable" in resp.headers["Cache-Control"]
    )
    resp.close()
    assert client.get("/media/..%2Fsecret_key").status_code == 404
