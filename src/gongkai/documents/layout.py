"""The page every generated document uses: GB/T 9704-2012 《党政机关公文格式》.

One set of numbers for DOCX and PDF, so a letter printed from Word and the same letter as a
PDF land on the same A4 page with the same type area (版心), and tests check both against it.
"""

from __future__ import annotations

from dataclasses import dataclass

# GB/T 9704 §5.2.1: A4 paper
PAGE_WIDTH_MM = 210.0
PAGE_HEIGHT_MM = 297.0
# §5.2.2: 天头 37 mm ± 1 mm, 订口 28 mm ± 1 mm, 版心 156 mm × 225 mm (page numbers outside it)
TOP_MM = 37.0
LEFT_MM = 28.0
TYPE_WIDTH_MM = 156.0
TYPE_HEIGHT_MM = 225.0
RIGHT_MM = PAGE_WIDTH_MM - LEFT_MM - TYPE_WIDTH_MM  # 26 mm
BOTTOM_MM = PAGE_HEIGHT_MM - TOP_MM - TYPE_HEIGHT_MM  # 35 mm
TOLERANCE_MM = 1.0
# §5.2.3: 22 lines of 28 characters in 3号 (16 pt): the line pitch fills the type area
BODY_PT = 16.0
TITLE_PT = 22.0  # 2号
# a little under 637.8 pt / 22 so that rounding never pushes the 22nd line off the page
LINE_PITCH_PT = 28.95
# §7.5: page number one 一字线 7 mm below the type area, 4号 (14 pt)
PAGE_NUMBER_GAP_MM = 7.0
# §10.1 信函格式 and §7.2 版头: the issuing agency's mark in red
RED = "C00000"

# Fonts in order of preference; the last of each family is always installed (Debian's
# fonts-wqy-zenhei, which `make` installs): official fonts where the machine has them.
BODY_FONTS = ("仿宋_GB2312", "仿宋", "FangSong", "STFangsong")
TITLE_FONTS = ("方正小标宋简体", "方正小标宋_GBK", "华文中宋", "STZhongsong", "宋体", "SimSun")
HEADING_FONTS = ("黑体", "SimHei", "STHeiti")
KAI_FONTS = ("楷体_GB2312", "楷体", "KaiTi", "STKaiti")


def mm_to_pt(mm: float) -> float:
    return mm / 25.4 * 72


@dataclass(frozen=True)
class Box:
    """A rectangle in points from the page's top-left corner."""

    left: float
    top: float
    right: float
    bottom: float


def type_area_pt() -> Box:
    """The 版心 in points, measured from the top-left corner of an A4 page."""
    return Box(
        mm_to_pt(LEFT_MM),
        mm_to_pt(TOP_MM),
        mm_to_pt(LEFT_MM + TYPE_WIDTH_MM),
        mm_to_pt(TOP_MM + TYPE_HEIGHT_MM),
    )


def css_family(fonts: tuple[str, ...], fallback: str) -> str:
    """A CSS font-family list: the preferred fonts, then the installed fallback."""
    names = [*fonts, fallback, "WenQuanYi Zen Hei"]
    unique = list(dict.fromkeys(names))
    return ", ".join(f'"{name}"' for name in unique) + ", sans-serif"
