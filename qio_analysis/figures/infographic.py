"""The annual infographic and the publication images, composed for their frames from the headline pack.

The infographic is one A4 page: a few big numbers with plain-English labels,
the staff ratio of each region against the 1:1,250 target, a small trend of
activity over the years, the number of services that returned, the source
line, the date and, for the demo data, the synthetic-data mark. The images
are the same blocks composed for slides (16:9 at 1920x1080 and 1200x675)
and for social posts (square). Every graphic carries its headline, source
line and synthetic mark, its alt text and a short data table, and is made
only from a :class:`~qio_analysis.metrics.headline_pack.HeadlinePack`, so it
shows only figures that passed disclosure control.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from qio_analysis.figures import poster
from qio_analysis.figures.svg import Canvas
from qio_analysis.metrics.headline_pack import HeadlinePack
from qio_analysis.metrics.workforce import ACTIVITIES
from qio_analysis.words.chart_graphics import (
    RATIO_NOTE,
    SYNTHETIC_ALT,
    basis_sentence,
    rate_words,
    ratio_alt,
    short_alt,
    tile_brief,
    tiles_alt,
    trend_alt,
)
from qio_analysis.words.chart_workforce import region_rows
from qio_analysis.words.formats import PER_1000
from qio_analysis.words.sentences import activity_headline, ratio_headline, returns_sentence
from qio_analysis.words.tiles import DEFAULT_TILES, Tile, headline_tiles, tiles_table

KICKER = "Library and knowledge services in England"


@dataclass(frozen=True)
class Frame:
    """A graphic's size in pixels and the type it is composed with."""

    name: str
    width: int
    height: int
    type: poster.Type

    @property
    def suffix(self) -> str:
        return f"{self.width}x{self.height}"

    @property
    def landscape(self) -> bool:
        return self.width > self.height


A4 = Frame("a4", 794, 1123, poster.Type(26, 14, 16, 30, 12.5, 11.5, 10.5, 28, 12))
SLIDE = Frame("slide", 1920, 1080, poster.Type(48, 24, 30, 72, 24, 20, 18, 56, 22))
SOCIAL = Frame("social", 1200, 675, poster.Type(32, 17, 20, 48, 16, 14, 13, 36, 14))
SQUARE = Frame("square", 1080, 1080, poster.Type(40, 21, 26, 64, 21, 17, 15, 44, 18))
#: The frames of each publication image: two slide sizes and a square for social posts.
IMAGE_FRAMES: tuple[Frame, ...] = (SLIDE, SOCIAL, SQUARE)


@dataclass(frozen=True)
class Credits:
    """What every graphic says about where its figures come from."""

    source: str
    made: str
    demo: bool


@dataclass(frozen=True)
class Graphic:
    """One composed graphic: ``name`` (the file stem), its frame and canvas, titles, alt text and data.

    ``headline`` is the headline printed on it; ``title`` names it as a document
    (the PDF's title, the SVG's ``<title>``).
    """

    name: str
    frame: Frame
    canvas: Canvas
    title: str
    headline: str
    alt_text: str
    table: pd.DataFrame
    #: The long description (``alt_text.md``); the alt text itself stays short.
    description: str = ""

    @property
    def svg(self) -> str:
        """The standalone SVG (headings as SVG text, like every other line)."""
        return self.canvas.svg()


# --------------------------------------------------------------------- words


def footer_lines(pack: HeadlinePack, credits: Credits, *notes: str) -> list[str]:
    """The source line first, then ``notes``, then the synthetic-data note for the demo."""
    lines = [f"Source: {credits.source}. {credits.made}.", *notes]
    if credits.demo:
        lines.append(SYNTHETIC_ALT)
    return lines


def basis_note(pack: HeadlinePack) -> str:
    return basis_sentence(pack.min_group)


# --------------------------------------------------------------------- tables and alt text


def regions_table(pack: HeadlinePack) -> pd.DataFrame:
    """The staff ratio by region as printed (withheld regions say why)."""
    rows = region_rows(pack.regions, pack.min_group)
    return pd.DataFrame(
        {
            "Region": [name for name, _, _ in rows],
            "Services": pack.regions["n_services"].astype(int).tolist(),
            f"Staff ratio, {pack.year}": [words for _, _, words in rows],
        }
    )


def trend_table(pack: HeadlinePack) -> pd.DataFrame:
    """Activity per 1,000 NHS WTE by year, as printed."""
    data = pack.trend.sort_values("year_start")
    table = {"Year": data["year"].tolist(), "Returns": data["n_services"].astype(int).tolist()}
    for measure, label in ACTIVITIES.items():
        table[label] = [rate_words(row, measure) for _, row in data.iterrows()]
    return pd.DataFrame(table)


def _tile_brief(tile: Tile, pack: HeadlinePack) -> str:
    return tile_brief(tile, str(pack.row(tile.measure)["label"]))


def _ratio_alt(pack: HeadlinePack) -> str:
    return ratio_alt(region_rows(pack.regions, pack.min_group), pack.target)


def _trend_alt(pack: HeadlinePack) -> str:
    return trend_alt(pack.trend, ACTIVITIES)


# --------------------------------------------------------------------- compositions


def _canvas(frame: Frame, title: str, alt: str) -> Canvas:
    canvas = Canvas(frame.width, frame.height, title, alt)
    canvas.rect(0, 0, frame.width, frame.height, poster.WHITE)
    return canvas


def _infographic_words(pack: HeadlinePack, tiles: list[Tile], credits: Credits) -> tuple[str, str]:
    """The infographic's short alt text and its long description."""
    description = (
        f"Infographic: library and knowledge services in England, {pack.year}. {returns_sentence(pack.headlines)} "
        f"{tiles_alt(tiles)} {ratio_headline(pack.regions, target=pack.target)}. {_ratio_alt(pack)} "
        f"{activity_headline(pack.trend)}. {_trend_alt(pack)}"
    )
    alt = short_alt(
        [f"Infographic: library and knowledge services in England, {pack.year}."],
        [
            returns_sentence(pack.headlines),
            *(_tile_brief(tile, pack) for tile in tiles),
            ratio_headline(pack.regions, target=pack.target) + ".",
            activity_headline(pack.trend) + ".",
        ],
        demo=credits.demo,
        long=True,
    )
    return alt, description


def _infographic_body(
    c: Canvas, pack: HeadlinePack, tiles: list[Tile], top: float, bottom: float
) -> None:
    """The tiles across the A4 page, then the staff ratio by region beside activity over the years."""
    frame, t = A4, A4.type
    inner = frame.width - 2 * t.margin
    y = top + t.gap * 1.5
    y = poster.tile_grid(c, t.margin, y, inner, None, tiles, t, 3) + t.gap * 2
    left_w = inner * 0.54
    right_x = t.margin + left_w + t.gap * 2.5
    right_w = inner - left_w - t.gap * 2.5
    end = bottom - t.gap * 1.5
    ratio = ratio_headline(pack.regions, target=pack.target) + "."
    ly = poster.section_title(c, t.margin, y, left_w, t, "Staffing against the target", ratio)
    poster.region_chart(
        c,
        t.margin,
        ly + t.gap,
        left_w,
        end - ly - t.gap,
        pack.regions,
        t,
        min_group=pack.min_group,
        grow=False,
    )
    activity = activity_headline(pack.trend) + "."
    ry = poster.section_title(c, right_x, y, right_w, t, f"Activity {PER_1000}", activity)
    poster.activity_grid(
        c, right_x, ry + t.gap, right_w, end - ry - t.gap, pack.trend, t, columns=2, grow=False
    )


def infographic(pack: HeadlinePack, credits: Credits) -> Graphic:
    """The one-page A4 infographic."""
    tiles = headline_tiles(pack.headlines, target=pack.target)
    title = f"The year in numbers, {pack.year}"
    document = f"{KICKER}: the year in numbers, {pack.year}"
    alt, description = _infographic_words(pack, tiles, credits)
    c = _canvas(A4, document, alt)
    subtitle = returns_sentence(pack.headlines)
    top = poster.header(
        c, A4.type, kicker=KICKER, title=title, subtitle=subtitle, demo=credits.demo
    )
    foot = footer_lines(pack, credits, basis_note(pack), RATIO_NOTE)
    _infographic_body(c, pack, tiles, top, poster.footer_top(c, A4.type, foot))
    poster.footer(c, A4.type, foot)
    return Graphic("infographic", A4, c, document, title, alt, tiles_table(tiles), description)


#: Draws an image's body in its box: ``(canvas, frame, x, y, width, height)``.
Body = Callable[[Canvas, Frame, float, float, float, float], object]


def _image(
    name: str,
    frame: Frame,
    pack: HeadlinePack,
    credits: Credits,
    *,
    title: str,
    subtitle: str,
    alt: str,
    table: pd.DataFrame,
    body: Body,
    notes: tuple[str, ...] = (),
    description: str = "",
) -> Graphic:
    t = frame.type
    c = _canvas(frame, title, alt)
    top = poster.header(c, t, kicker=KICKER, title=title, subtitle=subtitle, demo=credits.demo)
    foot = footer_lines(pack, credits, *notes)
    bottom = poster.footer_top(c, t, foot)
    gap = t.gap * 1.5
    body(c, frame, t.margin, top + gap, frame.width - 2 * t.margin, bottom - top - 2 * gap)
    poster.footer(c, t, foot)
    return Graphic(f"{name}_{frame.suffix}", frame, c, title, title, alt, table, description or alt)


def _tiles_images(pack: HeadlinePack, credits: Credits, tiles: list[Tile]) -> list[Graphic]:
    """All the headline tiles on one image, in every frame."""
    long = f"Headline figures, {pack.year}. {returns_sentence(pack.headlines)} {tiles_alt(tiles)}"
    alt = short_alt(
        [f"Headline figures, {pack.year}."],
        [returns_sentence(pack.headlines), *(_tile_brief(tile, pack) for tile in tiles)],
        demo=credits.demo,
        long=True,
    )
    return [
        _image(
            "headline_tiles",
            frame,
            pack,
            credits,
            title=f"The year in numbers, {pack.year}",
            subtitle=returns_sentence(pack.headlines),
            alt=alt,
            description=long,
            table=tiles_table(tiles),
            body=lambda c, f, x, y, w, h: poster.tile_grid(
                c, x, y, w, h, tiles, f.type, 3 if f.landscape else 2
            ),
            notes=(basis_note(pack),),
        )
        for frame in IMAGE_FRAMES
    ]


def _tile_images(pack: HeadlinePack, credits: Credits, tile: Tile) -> list[Graphic]:
    """One headline tile filling an image, in every frame."""
    return [
        _image(
            f"tile_{tile.measure}",
            frame,
            pack,
            credits,
            title=f"{pack.year}: {tile.figure} {tile.label}",
            subtitle=returns_sentence(pack.headlines),
            alt=short_alt([tile.words], [], demo=credits.demo, long=False),
            table=tiles_table([tile]),
            body=lambda c, f, x, y, w, h: poster.feature_tile(
                c, x, y, w, h, tile, f.type, landscape=f.landscape
            ),
            notes=(basis_note(pack),),
        )
        for frame in IMAGE_FRAMES
    ]


def _ratio_images(pack: HeadlinePack, credits: Credits) -> list[Graphic]:
    """The staff ratio by region against the target, in every frame."""
    return [
        _image(
            "staff_ratio_by_region",
            frame,
            pack,
            credits,
            title=ratio_headline(pack.regions, target=pack.target),
            subtitle=RATIO_NOTE,
            alt=short_alt([_ratio_alt(pack)], [], demo=credits.demo, long=False),
            table=regions_table(pack),
            body=lambda c, f, x, y, w, h: poster.region_chart(
                c, x, y, w, h, pack.regions, f.type, min_group=pack.min_group
            ),
            notes=(f"Regions with fewer than {pack.min_group} services are not shown.",),
        )
        for frame in IMAGE_FRAMES
    ]


def _trend_images(pack: HeadlinePack, credits: Credits) -> list[Graphic]:
    """Activity over the years as small multiples, in every frame."""
    return [
        _image(
            "activity_trend",
            frame,
            pack,
            credits,
            title=activity_headline(pack.trend),
            subtitle=f"Activity {PER_1000} (whole-time equivalent), each chart from zero.",
            alt=short_alt([_trend_alt(pack)], [], demo=credits.demo, long=False),
            table=trend_table(pack),
            body=lambda c, f, x, y, w, h: poster.activity_grid(
                c, x, y, w, h, pack.trend, f.type, columns=3 if f.landscape else 2
            ),
        )
        for frame in IMAGE_FRAMES
    ]


def publication_images(pack: HeadlinePack, credits: Credits) -> dict[str, list[Graphic]]:
    """Every publication image in every frame, by image name (the file stem without the size)."""
    tiles = headline_tiles(pack.headlines, target=pack.target)
    return {
        "headline_tiles": _tiles_images(pack, credits, tiles),
        **{f"tile_{tile.measure}": _tile_images(pack, credits, tile) for tile in tiles},
        "staff_ratio_by_region": _ratio_images(pack, credits),
        "activity_trend": _trend_images(pack, credits),
    }


__all__ = [
    "A4",
    "DEFAULT_TILES",
    "IMAGE_FRAMES",
    "Credits",
    "Frame",
    "Graphic",
    "infographic",
    "publication_images",
]
