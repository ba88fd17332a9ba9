"""The cover image: a PNG (what every reading system, Kindle included, accepts) from the theme."""

from __future__ import annotations

import io
import textwrap

from PIL import Image, ImageDraw, ImageFont

from pressroom.model import Book
from pressroom.themes import Theme

SIZE = (1600, 2560)
MARGIN = 100
TITLE_PT, AUTHOR_PT = 120, 64
TITLE_CHARS = 20
FONT_NAMES = ("DejaVuSans-Bold.ttf", "LiberationSans-Bold.ttf", "Arial Bold.ttf")
Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


def _font(theme: Theme, size: int) -> Font:
    """The theme's `fonts/cover.ttf`, else a common system sans, else Pillow's own font."""
    own = theme.find("fonts/cover.ttf")
    for name in ([str(own)] if own else []) + list(FONT_NAMES):
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default(size=size)


def cover_png(book: Book, theme: Theme) -> bytes:
    """Title and author, centred in white on the theme's accent colour, as PNG bytes."""
    image = Image.new("RGB", SIZE, theme.option("accent", "#1f4e79"))
    draw = ImageDraw.Draw(image)
    width, height = SIZE
    draw.rectangle((MARGIN, MARGIN, width - MARGIN, height - MARGIN), outline="white", width=6)
    lines = textwrap.wrap(book.title, width=TITLE_CHARS)[:8] or [book.title]
    size = TITLE_PT
    title_font = _font(theme, size)
    while size > 24 and max(draw.textlength(line, font=title_font) for line in lines) > \
            width - 3 * MARGIN:
        size -= 8
        title_font = _font(theme, size)
    author_font = _font(theme, AUTHOR_PT)
    step = int(size * 1.25)
    top = height * 2 // 5 - step * (len(lines) - 1) // 2
    for n, line in enumerate(lines):
        draw.text((width // 2, top + n * step), line, fill="white", font=title_font, anchor="mm")
    draw.text((width // 2, height - 3 * MARGIN), book.author, fill="white", font=author_font,
              anchor="mm")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
