"""Photos uploaded by people: checked by content, size-limited, re-encoded without metadata, resized.

Every upload is decoded with Pillow (the file name and declared type are ignored), rotated upright from
its EXIF orientation, then saved anew as JPEG in two sizes; EXIF, GPS and any trailing bytes are gone.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from pathlib import Path
from typing import IO

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy.orm import Mapped, mapped_column

from app.core.aftercommit import on_commit, on_rollback
from app.db import utcnow
from app.extensions import db

MAX_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
SIZES = {"large": 1280, "thumb": 480}
QUALITY = 80


class ImageError(ValueError):
    """The upload is not an acceptable image; the message is safe to show next to the field."""


class StoredImage(db.Model):
    __tablename__ = "images"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(32), unique=True)
    width: Mapped[int]
    height: Mapped[int]
    thumb_width: Mapped[int]
    thumb_height: Mapped[int]
    alt: Mapped[str] = mapped_column(sa.String(200), default="")
    uploader_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def filename(self, size: str) -> str:
        return f"{self.key}-{size}.jpg"


@dataclass(frozen=True)
class _Rendition:
    name: str
    data: bytes
    width: int
    height: int


def _open(stream: IO[bytes]) -> Image.Image:
    raw = stream.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise ImageError(
            _l("This photo is larger than %(mb)d MB. Choose a smaller one.", mb=MAX_BYTES // 2**20)
        )
    if not raw:
        raise ImageError(_l("This file is empty."))
    try:
        with Image.open(BytesIO(raw)) as probe:
            if probe.format not in ACCEPTED_FORMATS:
                raise ImageError(_l("Choose a photo in JPEG, PNG, WebP or GIF format."))
            if probe.width * probe.height > MAX_PIXELS:
                raise ImageError(_l("This photo has too many pixels. Choose a smaller one."))
            probe.verify()
        image = Image.open(BytesIO(raw))
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError, ValueError) as exc:
        if isinstance(exc, ImageError):
            raise
        raise ImageError(
            _l("This file is not a photo we can read. Choose a JPEG, PNG, WebP or GIF.")
        ) from None
    return image


def _render(image: Image.Image, name: str, longest: int) -> _Rendition:
    copy = image.copy()
    copy.thumbnail((longest, longest), Image.Resampling.LANCZOS)
    out = BytesIO()
    copy.save(out, "JPEG", quality=QUALITY, optimize=True, progressive=True)  # no exif= : metadata dropped
    return _Rendition(name, out.getvalue(), copy.width, copy.height)


def _flatten(image: Image.Image) -> Image.Image:
    image = ImageOps.exif_transpose(image) or image
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, (255, 255, 255))
        background.paste(image, mask=image.getchannel("A"))
        return background
    return image.convert("RGB")


def upload_dir() -> Path:
    return Path(current_app.config["UPLOAD_DIR"])


def store_image(stream: IO[bytes], *, uploader_id: int | None, alt: str = "") -> StoredImage:
    """Validate, re-encode and store an uploaded photo; returns the flushed record.

    Files are written now and removed again if the transaction rolls back.
    Raises ImageError with a message for the person when the file is not acceptable.
    """
    image = _flatten(_open(stream))
    renditions = [_render(image, name, longest) for name, longest in SIZES.items()]
    record = StoredImage(
        key=secrets.token_urlsafe(16)[:22],
        alt=alt[:200],
        uploader_id=uploader_id,
        width=renditions[0].width,
        height=renditions[0].height,
        thumb_width=renditions[1].width,
        thumb_height=renditions[1].height,
    )
    folder = upload_dir()
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / record.filename(r.name) for r in renditions]
    for path, rendition in zip(paths, renditions, strict=True):
        path.write_bytes(rendition.data)
    on_rollback(lambda: _remove(paths))
    db.session.add(record)
    db.session.flush()
    return record


def delete_image(record: StoredImage) -> None:
    """Delete the record now and its files once the deletion is committed."""
    paths = [upload_dir() / record.filename(name) for name in SIZES]
    db.session.delete(record)
    on_commit(lambda: _remove(paths))


def _remove(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)
