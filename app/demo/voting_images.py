"""Flat illustrations for the demo's ballot projects, drawn with Pillow (no downloads, no fonts)."""

import random
from io import BytesIO

from PIL import Image, ImageDraw

W, H = 640, 480
SKY = [(174, 214, 241), (200, 230, 201), (255, 224, 178), (209, 196, 233)]


def _sky(rng: random.Random) -> Image.Image:
    """A sky fading from a colour to white: a 1×2 image stretched."""
    sky = Image.new("RGB", (1, 2))
    sky.putdata([rng.choice(SKY), (245, 248, 250)])
    return sky.resize((W, H), Image.Resampling.BILINEAR)


def _sky_and_ground(draw: ImageDraw.ImageDraw, rng: random.Random, ground) -> None:
    draw.rectangle([0, int(H * 0.62), W, H], fill=ground)
    sun_x = rng.randint(60, W - 60)
    draw.ellipse([sun_x - 34, 40, sun_x + 34, 108], fill=(255, 213, 79))


def _tree(draw, x: int, y: int, size: int, green) -> None:
    draw.rectangle([x - size // 10, y - size // 2, x + size // 10, y + size // 3], fill=(121, 85, 72))
    draw.ellipse([x - size // 2, y - size, x + size // 2, y - size // 5], fill=green)


def _parks(draw, rng) -> None:
    _sky_and_ground(draw, rng, (104, 159, 56))
    draw.polygon(
        [(W * 0.35, H), (W * 0.5, H * 0.62), (W * 0.56, H * 0.62), (W * 0.7, H)], fill=(215, 204, 200)
    )
    for _ in range(rng.randint(4, 7)):
        _tree(
            draw,
            rng.randint(30, W - 30),
            rng.randint(int(H * 0.62), int(H * 0.8)),
            rng.randint(90, 150),
            rng.choice([(46, 125, 50), (56, 142, 60), (27, 94, 32)]),
        )


def _streets(draw, rng) -> None:
    _sky_and_ground(draw, rng, (158, 158, 158))
    draw.rectangle([0, int(H * 0.62), W, int(H * 0.7)], fill=(76, 175, 80))
    for x in range(0, W, 90):
        draw.rectangle([x, int(H * 0.83), x + 50, int(H * 0.85)], fill=(255, 255, 255))
    cx, cy = rng.randint(160, W - 160), int(H * 0.6)
    for wx in (cx - 60, cx + 60):
        draw.ellipse([wx - 42, cy - 42, wx + 42, cy + 42], outline=(33, 33, 33), width=8)
    draw.line([(cx - 60, cy), (cx, cy - 50), (cx + 60, cy), (cx - 10, cy)], fill=(211, 47, 47), width=9)
    draw.line([(cx, cy - 50), (cx - 5, cy - 75)], fill=(33, 33, 33), width=8)


def _building(draw, rng, colour) -> tuple[int, int, int, int]:
    left, right = rng.randint(90, 160), rng.randint(W - 160, W - 90)
    top = rng.randint(130, 170)
    draw.rectangle([left, top, right, int(H * 0.66)], fill=colour)
    for x in range(left + 30, right - 40, 70):
        for y in range(top + 30, int(H * 0.6) - 40, 70):
            draw.rectangle([x, y, x + 36, y + 44], fill=(255, 249, 196))
    return left, top, right, int(H * 0.66)


def _culture(draw, rng) -> None:
    _sky_and_ground(draw, rng, (188, 170, 164))
    left, top, right, base = _building(draw, rng, (239, 235, 233))
    draw.polygon([(left - 20, top), ((left + right) // 2, top - 80), (right + 20, top)], fill=(141, 110, 99))
    for x in range(left + 20, right, 60):
        draw.rectangle([x, top + 10, x + 16, base], fill=(215, 204, 200))


def _sport(draw, rng) -> None:
    _sky_and_ground(draw, rng, (67, 160, 71))
    draw.rectangle([60, int(H * 0.66), W - 60, H - 30], outline=(255, 255, 255), width=6)
    draw.line([(W // 2, int(H * 0.66)), (W // 2, H - 30)], fill=(255, 255, 255), width=6)
    bx = rng.randint(150, W - 150)
    draw.ellipse([bx - 26, int(H * 0.74), bx + 26, int(H * 0.74) + 52], fill=(255, 143, 0))


def _people(draw, rng, count: int) -> None:
    for _ in range(count):
        x, y = rng.randint(60, W - 60), rng.randint(int(H * 0.72), int(H * 0.86))
        colour = rng.choice([(229, 57, 53), (30, 136, 229), (253, 216, 53), (142, 36, 170), (0, 137, 123)])
        draw.ellipse([x - 14, y - 70, x + 14, y - 42], fill=(141, 110, 99))
        draw.rounded_rectangle([x - 20, y - 40, x + 20, y + 20], radius=10, fill=colour)


def _community(draw, rng) -> None:
    _sky_and_ground(draw, rng, (161, 136, 127))
    _building(draw, rng, (255, 204, 128))
    _people(draw, rng, rng.randint(3, 6))


def _schools(draw, rng) -> None:
    _sky_and_ground(draw, rng, (129, 199, 132))
    left, top, right, _base = _building(draw, rng, (239, 154, 154))
    cx = (left + right) // 2
    draw.ellipse([cx - 30, top - 70, cx + 30, top - 10], fill=(255, 255, 255), outline=(66, 66, 66), width=5)
    draw.line([(cx, top - 40), (cx, top - 62)], fill=(66, 66, 66), width=4)
    _people(draw, rng, rng.randint(2, 4))


SCENES = {
    "parks": _parks,
    "streets": _streets,
    "culture": _culture,
    "sport": _sport,
    "community": _community,
    "schools": _schools,
}


def illustration(category: str, seed: str) -> bytes:
    """A PNG picture for a project of `category`, the same every time for the same `seed`."""
    rng = random.Random(seed)  # noqa: S311  # nosec B311  # pictures, not secrets
    image = _sky(rng)
    SCENES.get(category, _parks)(ImageDraw.Draw(image), rng)
    out = BytesIO()
    image.save(out, "PNG")  # store_image re-encodes it as JPEG
    return out.getvalue()
