"""Photo-like synthetic demo pictures: a sky, hazy hills, a sun, foreground shapes and film
grain, at the sizes real queues hold (phone photos, screenshots, 12 MP), each visibly
marked synthetic. No faces, no people, no real content of any kind.

Why photo-like: reviewers judge whether the blur and greyscale protect them from what a
picture shows; flat abstract tiles drawn at their own size cannot show that.

Speed: the scene is drawn at most `_DRAW_EDGE` pixels along its long edge and scaled up
(soft, as a photo is), grain is one noise tile repeated, so a 12 MP picture takes a
fraction of a second. Only the "SYNTHETIC" banner is drawn at full size, to stay crisp.
"""

from __future__ import annotations

import functools
import io
import random
from dataclasses import dataclass

from PIL import Image, ImageChops, ImageDraw, ImageFont

from server.media_gen import colour_name

_DRAW_EDGE = 960
_GRAIN_TILE = 512
BANNER_COLOUR = (255, 212, 0)
"""The banner's background in the picture's top-left corner, as displayed (after EXIF
orientation): tests look for it there."""
BANNER_TEXT = "SYNTHETIC DEMO IMAGE"
EXIF_ORIENTATION = 0x0112
EXIF_DESCRIPTION = 0x010E

_SKIES = {  # name: (top colour, colour at the horizon, sun colour)
    "clear blue": ((38, 92, 178), (170, 206, 235), (255, 250, 220)),
    "dusk": ((44, 38, 96), (242, 140, 84), (255, 196, 120)),
    "overcast grey": ((120, 126, 134), (196, 198, 200), (230, 230, 226)),
    "night": ((6, 10, 30), (40, 52, 92), (236, 236, 210)),
    "hazy yellow": ((150, 170, 200), (236, 222, 170), (255, 244, 200)),
}
_GROUNDS = {  # name: (near colour, far colour)
    "green": ((46, 96, 40), (118, 156, 96)),
    "brown": ((92, 64, 38), (160, 128, 92)),
    "sandy": ((196, 160, 104), (226, 204, 160)),
    "snowy": ((214, 220, 230), (236, 240, 246)),
}
_SHAPE_COLOURS = ((200, 40, 40), (40, 80, 200), (230, 200, 40), (120, 40, 160),
                  (240, 120, 30), (30, 150, 150), (230, 230, 230), (40, 40, 40))


@dataclass(frozen=True)
class ScenePlan:
    """Every random choice of one scene, so it can be drawn and described alike."""

    sky: str
    ground: str
    horizon: float
    sun: tuple[float, float, float]
    """Centre x, centre y and radius, as fractions of the width."""
    hills: int
    shapes: tuple[tuple[str, tuple[float, float, float, float], tuple[int, int, int]], ...]
    """(kind, box as fractions of width and height, colour), back to front."""
    grain: float


def plan_scene(seed: int) -> ScenePlan:
    rng = random.Random(seed)
    horizon = rng.uniform(0.45, 0.68)
    shapes = []
    for _ in range(rng.randint(3, 7)):
        kind = rng.choice(("rectangle", "ellipse", "triangle"))
        x0, width = rng.uniform(-0.05, 0.9), rng.uniform(0.05, 0.25)
        y1 = rng.uniform(horizon + 0.1, 1.05)
        height = rng.uniform(0.08, 0.35)
        shapes.append((kind, (x0, y1 - height, x0 + width, y1), rng.choice(_SHAPE_COLOURS)))
    shapes.sort(key=lambda shape: shape[1][3])  # lower on the ground is nearer: drawn last
    return ScenePlan(
        sky=rng.choice(sorted(_SKIES)), ground=rng.choice(sorted(_GROUNDS)), horizon=horizon,
        sun=(rng.uniform(0.1, 0.9), rng.uniform(0.05, horizon - 0.05), rng.uniform(0.03, 0.08)),
        hills=rng.randint(2, 4), shapes=tuple(shapes), grain=rng.uniform(6, 16))


def describe_scene(seed: int) -> str:
    """What the scene of `seed` shows in neutral words, e.g. "Synthetic image: a dusk sky
    over green hills, red and blue shapes"."""
    plan = plan_scene(seed)
    names: list[str] = []
    for _kind, _box, colour in reversed(plan.shapes):
        name = colour_name(colour)
        if name not in names:
            names.append(name)
    names = names[:3]
    colours = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    article = "an" if plan.sky[0] in "aeiou" else "a"
    return f"Synthetic image: {article} {plan.sky} sky over {plan.ground} hills, {colours} shapes"


def _vertical_gradient(size: tuple[int, int], top: tuple[int, int, int],
                       bottom: tuple[int, int, int]) -> Image.Image:
    mask = Image.linear_gradient("L").resize(size)
    return Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top), mask)


def _ridge(rng: random.Random, width: int, base: int, roughness: float) -> list[tuple[int, int]]:
    points, y = [(0, base)], float(base)
    for x in range(0, width + 24, 24):
        y += rng.uniform(-roughness, roughness)
        points.append((x, int(y)))
    return [*points, (width, base * 4), (0, base * 4)]


def _mix(a: tuple[int, int, int], b: tuple[int, int, int], t: float) -> tuple[int, int, int]:
    return (int(a[0] + (b[0] - a[0]) * t), int(a[1] + (b[1] - a[1]) * t),
            int(a[2] + (b[2] - a[2]) * t))


def _draw_scene(plan: ScenePlan, size: tuple[int, int], seed: int) -> Image.Image:
    """The scene at `size` (small): sky, sun with glow, hills fading into haze, shapes."""
    width, height = size
    top, horizon_colour, sun_colour = _SKIES[plan.sky]
    near, far = _GROUNDS[plan.ground]
    horizon = int(height * plan.horizon)
    image = _vertical_gradient(size, top, horizon_colour)
    glow = Image.radial_gradient("L").resize((int(width * plan.sun[2] * 8),) * 2)
    sun_x, sun_y = int(width * plan.sun[0]), int(height * plan.sun[1])
    image.paste(sun_colour, (sun_x - glow.width // 2, sun_y - glow.height // 2),
                glow.point(lambda v: max(0, 255 - v * 1.7) * 0.7))  # fades out inside the box
    draw = ImageDraw.Draw(image)
    radius = int(width * plan.sun[2])
    draw.ellipse((sun_x - radius, sun_y - radius, sun_x + radius, sun_y + radius),
                 fill=sun_colour)
    rng = random.Random(seed ^ 0x5EED)
    for layer in range(plan.hills):
        depth = layer / max(1, plan.hills - 1)  # 0: farthest, 1: nearest
        colour = _mix(_mix(far, horizon_colour, 0.5), near, depth)
        base = int(horizon - height * 0.12 * (1 - depth))
        draw.polygon(_ridge(rng, width, base, height * 0.02), fill=colour)
    draw.rectangle((0, horizon + int(height * 0.04), width, height), fill=near)
    for kind, box, colour in plan.shapes:
        x0, y0, x1, y1 = (int(box[0] * width), int(box[1] * height), int(box[2] * width),
                          int(box[3] * height))
        if kind == "triangle":
            draw.polygon(((x0, y1), ((x0 + x1) // 2, y0), (x1, y1)), fill=colour)
        else:
            (draw.ellipse if kind == "ellipse" else draw.rectangle)((x0, y0, x1, y1),
                                                                    fill=colour)
    return image


@functools.lru_cache(maxsize=4)
def _grain_tile(sigma: int) -> Image.Image:
    return Image.effect_noise((_GRAIN_TILE, _GRAIN_TILE), sigma)


def _add_grain(image: Image.Image, sigma: float) -> Image.Image:
    """Film grain: zero-mean noise over every pixel, one tile repeated (cheap at 12 MP)."""
    tile = _grain_tile(int(sigma))
    noise = Image.new("L", image.size)
    for x in range(0, image.width, _GRAIN_TILE):
        for y in range(0, image.height, _GRAIN_TILE):
            noise.paste(tile, (x, y))
    return ImageChops.add(image, Image.merge("RGB", (noise, noise, noise)), 1.0, -128)


def _mark_synthetic(image: Image.Image, caption: str) -> None:
    """A yellow banner in the top-left corner saying what the picture is, sized to it."""
    size = max(10, min(image.size) // 24)
    font = ImageFont.load_default(size=size)
    draw = ImageDraw.Draw(image)
    lines = [BANNER_TEXT, caption] if caption else [BANNER_TEXT]
    text = "\n".join(lines)
    left, top, right, bottom = draw.multiline_textbbox((0, 0), text, font=font)
    pad = size // 2
    draw.rectangle((0, 0, right + 2 * pad, bottom + 2 * pad), fill=BANNER_COLOUR)
    draw.multiline_text((pad, pad), text, font=font, fill=(0, 0, 0))


def scene_image(width: int, height: int, seed: int, caption: str = "") -> Image.Image:
    """The upright RGB picture, `width` x `height`, as a viewer should display it."""
    plan = plan_scene(seed)
    scale = min(1.0, _DRAW_EDGE / max(width, height))
    small = (max(1, round(width * scale)), max(1, round(height * scale)))
    image = _draw_scene(plan, small, seed)
    if small != (width, height):
        image = image.resize((width, height), Image.Resampling.BICUBIC)
    image = _add_grain(image, plan.grain)
    _mark_synthetic(image, caption)
    return image


_STORED_FOR = {  # EXIF orientation: how the upright picture is turned to be stored
    1: None,
    3: Image.Transpose.ROTATE_180,
    6: Image.Transpose.ROTATE_90,  # a viewer turns it 90 degrees clockwise back
    8: Image.Transpose.ROTATE_270,
}


def encode_scene(image: Image.Image, fmt: str, orientation: int = 1) -> bytes:
    """The picture's file: stored turned so that a viewer applying the EXIF `orientation`
    shows it upright, as a phone camera writes it; the EXIF also says it is synthetic."""
    turn = _STORED_FOR[orientation]
    stored = image.transpose(turn) if turn is not None else image
    exif = Image.Exif()
    exif[EXIF_DESCRIPTION] = "Synthetic demo image (generated, not a photograph)"
    if orientation != 1:
        exif[EXIF_ORIENTATION] = orientation
    out = io.BytesIO()
    if fmt == "JPEG":
        stored.save(out, "JPEG", quality=85, exif=exif.tobytes())
    else:  # light compression: seeding must stay quick
        stored.save(out, "PNG", compress_level=1, exif=exif.tobytes())
    return out.getvalue()
