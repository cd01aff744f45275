"""Pictures for the demo city, drawn with Pillow (nothing is downloaded): simple, recognisable scenes."""

import random
from io import BytesIO

from PIL import Image, ImageDraw

SIZE = (960, 640)
HORIZON = 400


def _sky(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    top, bottom = (96, 160, 220), (200, 228, 246)
    for y in range(HORIZON):
        t = y / HORIZON
        draw.line(
            [(0, y), (SIZE[0], y)], fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        )
    sun_x = rng.randint(120, 840)
    draw.ellipse([sun_x - 45, 50, sun_x + 45, 140], fill=(255, 221, 110))
    for _ in range(3):
        x, y = rng.randint(0, 860), rng.randint(60, 220)
        for dx, dy, r in ((0, 0, 34), (38, -14, 42), (80, 0, 32)):
            draw.ellipse([x + dx - r, y + dy - r, x + dx + r, y + dy + r], fill=(250, 252, 255))


def _tree(draw: ImageDraw.ImageDraw, x: int, ground: int, scale: float) -> None:
    trunk_w, trunk_h = int(16 * scale), int(70 * scale)
    draw.rectangle([x - trunk_w // 2, ground - trunk_h, x + trunk_w // 2, ground], fill=(110, 78, 48))
    r = int(55 * scale)
    for dx, dy in ((-r // 2, 0), (r // 2, 0), (0, -r // 2)):
        cx, cy = x + dx, ground - trunk_h - r // 2 + dy
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=(46, 125, 60))


def _bench(draw: ImageDraw.ImageDraw, x: int, y: int) -> None:
    wood, metal = (150, 98, 52), (60, 60, 66)
    draw.rectangle([x, y, x + 160, y + 14], fill=wood)
    draw.rectangle([x, y - 40, x + 160, y - 28], fill=wood)
    draw.rectangle([x, y - 22, x + 160, y - 12], fill=wood)
    for leg in (x + 12, x + 140):
        draw.rectangle([leg, y + 14, leg + 8, y + 50], fill=metal)


def _park(draw, rng) -> None:
    draw.rectangle([0, HORIZON, *SIZE], fill=(104, 170, 84))
    draw.polygon([(430, SIZE[1]), (530, SIZE[1]), (500, HORIZON), (470, HORIZON)], fill=(214, 196, 160))
    for x in (90, 260, 700, 860):
        _tree(draw, x + rng.randint(-20, 20), HORIZON + rng.randint(10, 40), rng.uniform(0.9, 1.3))
    _bench(draw, 580, 520)


def _river(draw, rng) -> None:
    draw.rectangle([0, HORIZON, *SIZE], fill=(104, 160, 84))
    draw.polygon([(0, 470), (SIZE[0], 440), (SIZE[0], 560), (0, 600)], fill=(70, 130, 190))
    for x in range(20, SIZE[0], 90):
        draw.line([(x, 520), (x + 40, 516)], fill=(170, 205, 235), width=3)
    draw.rectangle([300, 430, 660, 450], fill=(130, 90, 60))
    for x in range(300, 661, 45):
        draw.line([(x, 410), (x, 450)], fill=(100, 70, 45), width=5)
    draw.line([(300, 410), (660, 410)], fill=(100, 70, 45), width=6)
    _tree(draw, 120, 440, 1.1)
    _tree(draw, 840, 430, 0.9)


def _street(draw, rng) -> None:
    draw.rectangle([0, HORIZON, *SIZE], fill=(120, 120, 124))
    draw.rectangle([0, HORIZON, SIZE[0], HORIZON + 40], fill=(190, 186, 178))
    draw.rectangle([0, 560, SIZE[0], 640], fill=(46, 139, 87))
    for x in range(0, SIZE[0], 120):
        draw.rectangle([x + 20, 506, x + 80, 516], fill=(245, 245, 245))
    for x in range(60, SIZE[0], 220):
        h = rng.randint(150, 260)
        draw.rectangle(
            [x, HORIZON - h, x + 150, HORIZON],
            fill=rng.choice([(196, 120, 92), (222, 200, 160), (170, 180, 196)]),
        )
        for wy in range(HORIZON - h + 20, HORIZON - 30, 50):
            for wx in (x + 20, x + 85):
                draw.rectangle([wx, wy, wx + 40, wy + 28], fill=(240, 246, 255))
    cx = rng.randint(200, 700)
    for dx in (0, 90):
        draw.ellipse([cx + dx - 30, 570, cx + dx + 30, 630], outline=(30, 30, 30), width=6)
    draw.line([(cx, 600), (cx + 45, 575), (cx + 90, 600)], fill=(200, 40, 40), width=6)


def _playground(draw, rng) -> None:
    draw.rectangle([0, HORIZON, *SIZE], fill=(222, 196, 142))
    frame = (200, 60, 60)
    draw.line([(220, 560), (300, 300), (380, 560)], fill=frame, width=12)
    draw.line([(580, 560), (660, 300), (740, 560)], fill=frame, width=12)
    draw.line([(300, 300), (660, 300)], fill=frame, width=12)
    for x in (400, 540):
        draw.line([(x, 300), (x, 470)], fill=(60, 60, 60), width=4)
        draw.line([(x + 50, 300), (x + 50, 470)], fill=(60, 60, 60), width=4)
        draw.rectangle([x - 6, 470, x + 56, 486], fill=(40, 90, 170))
    draw.polygon([(60, 560), (180, 430), (200, 440), (90, 570)], fill=(250, 200, 40))
    _tree(draw, 860, 430, 1.0)


def _garden(draw, rng) -> None:
    draw.rectangle([0, HORIZON, *SIZE], fill=(96, 150, 70))
    for row, y in enumerate(range(440, 620, 60)):
        draw.rectangle([60, y, 900, y + 34], fill=(110, 76, 50))
        for x in range(80, 900, 46):
            colour = [(230, 60, 80), (250, 200, 40), (180, 90, 200), (250, 250, 250)][(x // 46 + row) % 4]
            draw.ellipse([x, y - 6, x + 22, y + 16], fill=colour)
    draw.rectangle([700, 250, 880, 400], fill=(180, 200, 210))
    draw.polygon([(690, 250), (790, 190), (890, 250)], fill=(120, 70, 50))


def _library(draw, rng) -> None:
    draw.rectangle([0, HORIZON, *SIZE], fill=(170, 170, 160))
    draw.rectangle([200, 180, 760, HORIZON], fill=(214, 190, 150))
    draw.polygon([(180, 180), (480, 90), (780, 180)], fill=(150, 80, 60))
    for x in range(250, 720, 95):
        draw.rectangle([x, 220, x + 50, 320], fill=(70, 110, 150))
    draw.rectangle([440, 320, 520, HORIZON], fill=(90, 60, 40))
    for i, colour in enumerate([(200, 50, 50), (50, 120, 200), (240, 180, 40), (60, 160, 90)]):
        draw.rectangle([40 + i * 26, 470, 62 + i * 26, 560], fill=colour)


SCENES = {
    "park": _park,
    "river": _river,
    "street": _street,
    "playground": _playground,
    "garden": _garden,
    "library": _library,
}


def picture(scene: str, seed: int = 0) -> BytesIO:
    """A PNG of `scene` (one of SCENES); the same seed draws the same picture."""
    rng = random.Random(seed)  # noqa: S311  # nosec B311  # drawing, not secrets
    image = Image.new("RGB", SIZE, (255, 255, 255))
    draw = ImageDraw.Draw(image)
    _sky(draw, rng)
    SCENES[scene](draw, rng)
    out = BytesIO()
    image.save(out, "PNG", optimize=False, compress_level=1)
    out.seek(0)
    return out
