"""HTML to PDF with WeasyPrint and a TrueType CJK font.

WenQuanYi Zen Hei renders a Chinese page in about a second; Noto CJK (OpenType/CFF) takes
about eleven because of font subsetting, so it is never the default. Official-document fonts
(仿宋_GB2312, 方正小标宋) are not in Debian: GONGKAI_PDF_FONT_FAMILY names any installed font.
"""

from __future__ import annotations

from django.conf import settings

PAGE_CSS = """
@page { size: A4; margin: 25mm 22mm 22mm 22mm;
        @bottom-center { content: "— " counter(page) " —"; font-size: 10pt; } }
html { font-family: "%(font)s", sans-serif; font-size: 12pt; line-height: 1.6; }
h1 { font-size: 18pt; text-align: center; font-weight: bold; margin: 0 0 12pt; }
h2 { font-size: 14pt; margin: 12pt 0 6pt; }
table { border-collapse: collapse; width: 100%%; }
th, td { border: 0.6pt solid #000; padding: 3pt 4pt; font-size: 10pt; vertical-align: middle; }
th { font-weight: bold; text-align: center; }
td.num { text-align: right; }
.right { text-align: right; }
.indent { text-indent: 2em; }
"""


def html_to_pdf(html: str, *, base_url: str | None = None, extra_css: str = "") -> bytes:
    """Render a full HTML document (or fragment) to PDF bytes."""
    from weasyprint import CSS, HTML

    font = settings.GONGKAI_PDF_FONT_FAMILY
    stylesheets = [CSS(string=PAGE_CSS % {"font": font})]
    if extra_css:
        stylesheets.append(CSS(string=extra_css))
    return HTML(string=html, base_url=base_url).write_pdf(stylesheets=stylesheets)
