"""HTML to PDF with WeasyPrint on the GB/T 9704 page (``layout``) and a TrueType CJK font.

WenQuanYi Zen Hei renders a Chinese page in about a second; Noto CJK (OpenType/CFF) takes
about eleven because of font subsetting, so it is never the default. Official-document fonts
(仿宋_GB2312, 方正小标宋, 黑体) come first in every font list and are used where the machine has
them; GONGKAI_PDF_FONT_FAMILY names the installed fallback.
"""

from __future__ import annotations

from django.conf import settings

from gongkai.documents import layout

PAGE_CSS = """
@page { size: A4; margin: %(top)smm %(right)smm %(bottom)smm %(left)smm;
        @bottom-center { content: "— " counter(page) " —"; font-family: %(title)s;
                         font-size: 14pt; vertical-align: top; padding-top: %(gap)smm; } }
html { font-family: %(body)s; font-size: %(body_pt)spt; line-height: %(pitch).2fpt; }
h1 { font-family: %(title)s; font-size: %(title_pt)spt; font-weight: normal;
     text-align: center; line-height: 1.4; margin: 0 0 %(pitch).2fpt; }
h2 { font-family: %(heading)s; font-size: %(body_pt)spt; font-weight: normal; margin: 0; }
h3 { font-family: %(kai)s; font-size: %(body_pt)spt; font-weight: normal; margin: 0; }
p { margin: 0; }
table { border-collapse: collapse; width: 100%%; line-height: 1.35; }
th, td { border: 0.6pt solid #000; padding: 3pt 4pt; font-size: 10.5pt; vertical-align: middle; }
th { font-family: %(heading)s; font-weight: normal; text-align: center; }
td.num { text-align: right; }
.right { text-align: right; }
.indent { text-indent: 2em; }
.letterhead { font-family: %(title)s; color: #%(red)s; font-size: 26pt; text-align: center;
              line-height: 1.3; }
.double-rule { border-top: 2pt solid #%(red)s; border-bottom: 0.75pt solid #%(red)s;
               height: 1.5pt; margin: 4mm 0 0; }
.doc-number { text-align: right; }
.record-block { border-top: 0.35mm solid #000; border-bottom: 0.35mm solid #000;
                font-size: 14pt; padding: 0 1em; margin-top: %(pitch).2fpt; }
"""


def page_css() -> str:
    fallback = settings.GONGKAI_PDF_FONT_FAMILY
    return PAGE_CSS % {
        "top": layout.TOP_MM,
        "right": layout.RIGHT_MM,
        "bottom": layout.BOTTOM_MM,
        "left": layout.LEFT_MM,
        "gap": layout.PAGE_NUMBER_GAP_MM,
        "body": layout.css_family(layout.BODY_FONTS, fallback),
        "title": layout.css_family(layout.TITLE_FONTS, fallback),
        "heading": layout.css_family(layout.HEADING_FONTS, fallback),
        "kai": layout.css_family(layout.KAI_FONTS, fallback),
        "body_pt": layout.BODY_PT,
        "title_pt": layout.TITLE_PT,
        "pitch": layout.LINE_PITCH_PT,
        "red": layout.RED,
    }


def html_to_pdf(html: str, *, base_url: str | None = None, extra_css: str = "") -> bytes:
    """Render a full HTML document (or fragment) to PDF bytes on the GB/T 9704 page."""
    from weasyprint import CSS, HTML

    stylesheets = [CSS(string=page_css())]
    if extra_css:
        stylesheets.append(CSS(string=extra_css))
    return HTML(string=html, base_url=base_url).write_pdf(stylesheets=stylesheets)
