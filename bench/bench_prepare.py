"""Benchmark: preparing a 12 MP JPEG for a 1280x800 view, smart vs naive.

`prepare_image` decodes at a reduced DCT scale (`draft`), shrinks, then blurs the small
image; `naive_protect` decodes every pixel and blurs at full resolution. The client runs
`prepare_image` on the server's display rendition (`server.renditions.make_preview`,
made once per item at ingest) when the item has one, so both sources are timed, with
the rendition's one-off cost beside them. Everything runs on the same synthetic photos
in the same process, so the printed speed-ups are measured, not assumed. Prints
figures; asserts nothing.

    python bench/bench_prepare.py [--count 20] [--quality 90]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reviewer.protocol import WellnessPolicy  # noqa: E402
from server.renditions import make_preview  # noqa: E402
from wellness.protect import naive_protect, prepare_image  # noqa: E402

SIZE = (4000, 3000)
VIEW = (1280, 800)
GRAIN_LEVELS = (0.02, 0.08, 0.14, 0.20, 0.26)


def synthetic_photo(seed: int) -> Image.Image:
    """A 12 MP picture with photo-like structure: smooth shading, shapes, texture, grain.

    Built small and scaled up (cheap), then given full-resolution grain; the grain
    level varies with the seed, so the set spans plain graphics to noisy camera photos
    (entropy decoding, which no DCT scaling avoids, grows with the file size).
    """
    small = (SIZE[0] // 8, SIZE[1] // 8)
    base = Image.merge(
        "RGB",
        (
            Image.linear_gradient("L").resize(small).rotate(seed * 37 % 360),
            Image.effect_noise(small, 40 + seed % 30).filter(ImageFilter.GaussianBlur(3)),
            Image.radial_gradient("L").resize(small),
        ),
    )
    draw = ImageDraw.Draw(base)
    for n in range(12):
        x, y = (seed * 53 + n * 97) % small[0], (seed * 31 + n * 61) % small[1]
        colour = ((n * 40 + seed) % 256, (n * 90) % 256, (seed * 7 + n * 20) % 256)
        draw.ellipse((x, y, x + 40 + n * 6, y + 30 + n * 5), fill=colour)
    img = base.resize(SIZE, Image.Resampling.BICUBIC)
    # Five grain levels: files from ~0.5 MB (plain, smooth) to ~4.5 MB (camera-like noise).
    grain = Image.effect_noise(SIZE, 40).convert("RGB")
    return Image.blend(img, grain, GRAIN_LEVELS[seed % len(GRAIN_LEVELS)])


def make_jpegs(directory: Path, count: int, quality: int) -> list[Path]:
    paths = []
    for seed in range(count):
        path = directory / f"photo-{seed:03d}.jpg"
        synthetic_photo(seed).save(path, "JPEG", quality=quality)
        paths.append(path)
    return paths


def percentile(samples: list[float], pct: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(samples)
    rank = max(1, round(pct / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def timed_ms(fn) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def run(count: int, quality: int) -> None:
    policy = WellnessPolicy()
    with tempfile.TemporaryDirectory(prefix="bench-prepare-") as tmp:
        print(f"generating {count} synthetic {SIZE[0]}x{SIZE[1]} JPEGs (quality {quality})...")
        paths = make_jpegs(Path(tmp), count, quality)
        blobs = [p.read_bytes() for p in paths]
    sizes_mb = [len(b) / 1e6 for b in blobs]
    prepare_image(blobs[0], "image/jpeg", VIEW, policy, 1)  # warm-up: imports, caches
    naive_protect(blobs[0], policy, 1)

    smart, from_preview, rendition, naive = [], [], [], []
    previews: list[bytes] = []
    for data in blobs:
        smart.append(timed_ms(lambda d=data: prepare_image(d, "image/jpeg", VIEW, policy, 1)))
        naive.append(timed_ms(lambda d=data: naive_protect(d, policy, 1)))
        rendition.append(timed_ms(lambda d=data: previews.append(make_preview(d, "image/jpeg"))))
        shown = previews[-1] or data
        from_preview.append(
            timed_ms(lambda d=shown: prepare_image(d, "image/jpeg", VIEW, policy, 1)))

    shown = prepare_image(blobs[0], "image/jpeg", VIEW, policy, 1).revealed.size
    preview_mb = [len(p) / 1e6 for p in previews if p]
    print(
        f"files: {min(sizes_mb):.2f}-{max(sizes_mb):.2f} MB (median "
        f"{statistics.median(sizes_mb):.2f} MB); previews {min(preview_mb):.2f}-"
        f"{max(preview_mb):.2f} MB; view {VIEW[0]}x{VIEW[1]}, prepared {shown}"
    )
    print(f"{'':34}{'p50 ms':>10}{'p99 ms':>10}")
    rows = (("prepare_image, from the preview", from_preview),
            ("prepare_image, from the original", smart),
            ("naive_protect, from the original", naive),
            ("make_preview (server, at ingest)", rendition))
    for name, samples in rows:
        print(f"{name:34}{percentile(samples, 50):10.1f}{percentile(samples, 99):10.1f}")
    for name, samples in rows[:2]:
        ratios = [n / s for n, s in zip(naive, samples, strict=True)]
        print(
            f"speed-up {name.split(', ')[1]}: p50 "
            f"{percentile(naive, 50) / percentile(samples, 50):.1f}x (per image: min "
            f"{min(ratios):.1f}x, median {statistics.median(ratios):.1f}x, max {max(ratios):.1f}x)"
        )
    print(f"{'file MB':>8}{'images':>8}{'from preview':>14}{'from original':>15}"
          f"{'naive':>8}{'speed-ups':>14}")
    for level in sorted({round(mb, 0) for mb in sizes_mb}):
        picked = [i for i, mb in enumerate(sizes_mb) if round(mb, 0) == level]
        p50 = statistics.median(from_preview[i] for i in picked)
        s50 = statistics.median(smart[i] for i in picked)
        n50 = statistics.median(naive[i] for i in picked)
        print(
            f"{'~' + format(level, '.0f'):>8}{len(picked):>8}{p50:14.1f}{s50:15.1f}{n50:8.1f}"
            f"{n50 / p50:7.1f}x{n50 / s50:6.1f}x"
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20, help="number of images (default 20)")
    parser.add_argument("--quality", type=int, default=90, help="JPEG quality (default 90)")
    args = parser.parse_args(argv)
    run(max(1, args.count), args.quality)


if __name__ == "__main__":
    main()
