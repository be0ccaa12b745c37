"""Draw APDesk's icon: a white "AP" on a rounded NHS-blue square.

Run from the repository root when the design changes, and commit what it writes:
``python installer/make_icon.py`` → ``resources/icons/apdesk.png`` (256 px, the window icon)
and ``resources/icons/apdesk.ico`` (16-256 px, the Windows executable and installer icon).

The letters come from Bitstream Vera Sans Bold, which ships inside ReportLab, so the icon is
drawn the same on every machine whatever fonts it has. Each size is drawn on its own at four
times its size and scaled down, so small sizes stay sharp instead of being shrunk from 256 px.
"""

from __future__ import annotations

from pathlib import Path

import reportlab
from PIL import Image, ImageDraw, ImageFont

NHS_BLUE = (0, 94, 184, 255)  # #005EB8, the NHS identity's blue
WHITE = (255, 255, 255, 255)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)  # Inno Setup's SetupIconFile asks for 16-256
SUPERSAMPLE = 4
ICONS_DIR = Path(__file__).resolve().parent.parent / "resources" / "icons"
FONT_FILE = Path(reportlab.__file__).parent / "fonts" / "VeraBd.ttf"


def draw_icon(size: int) -> Image.Image:
    big = size * SUPERSAMPLE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    # A hairline of transparent margin keeps the square from touching its neighbours in a
    # taskbar; the tiny sizes need every pixel, so they get none.
    margin = 0 if size <= 24 else round(big * 0.03)
    draw.rounded_rectangle(
        (margin, margin, big - 1 - margin, big - 1 - margin),
        radius=round(big * 0.2),
        fill=NHS_BLUE,
    )
    text = "AP"
    # Letters a little larger at small sizes, where legibility matters more than air.
    font_size = round(big * (0.56 if size <= 24 else 0.5))
    font = ImageFont.truetype(str(FONT_FILE), font_size)
    left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
    x = (big - (right - left)) / 2 - left
    y = (big - (bottom - top)) / 2 - top
    draw.text((x, y), text, font=font, fill=WHITE)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    ICONS_DIR.mkdir(parents=True, exist_ok=True)
    images = {size: draw_icon(size) for size in ICO_SIZES}
    images[256].save(ICONS_DIR / "apdesk.png", optimize=True)
    largest, *others = (images[size] for size in reversed(ICO_SIZES))
    largest.save(
        ICONS_DIR / "apdesk.ico",
        format="ICO",
        sizes=[(size, size) for size in ICO_SIZES],
        append_images=others,
    )
    print(f"Wrote {ICONS_DIR / 'apdesk.png'} and {ICONS_DIR / 'apdesk.ico'}")


if __name__ == "__main__":
    main()
