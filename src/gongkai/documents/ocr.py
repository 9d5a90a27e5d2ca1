"""Text recognition (OCR) of scanned pages and images, with Tesseract (Debian packages
``tesseract-ocr`` and ``tesseract-ocr-chi-sim``).

Used behind a background job: a page takes one to several seconds. Without Tesseract installed
:func:`ocr_available` is False and callers keep what they had (a scanned page is then marked
for a person to read, as before).

Recognised text is machine-read: good enough to find a document by its words, never proof of
what a page says. Callers label it as such.
"""

from __future__ import annotations

import functools
import io
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from gongkai.documents.extract import IMAGE_EXTENSIONS, file_extension

LANGUAGES = "chi_sim+eng"
DPI = 200  # A4 at 1654 × 2339 pixels: 公文 body text (三号, 16 pt) is 44 pixels high
PAGE_TIMEOUT = 120  # seconds for one page
# Tesseract's OpenMP threads make it five times slower on a small server (a 22-line page:
# 17 s with its threads, 2.9 s with one); jobs run side by side instead
_ENV = {**os.environ, "OMP_THREAD_LIMIT": "1"}

_CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
# Tesseract puts spaces between Chinese characters and around full-width punctuation
_CJK_GAP = re.compile(f"(?<=[{_CJK}]) +(?=[{_CJK}])")
_GAP_BEFORE_PUNCT = re.compile(" +(?=[，。、；：？！）》」』：:])")
_BLANK_LINES = re.compile(r"\n{3,}")


class OcrError(RuntimeError):
    """Recognition failed; the message is a Chinese sentence for the user."""


@dataclass(frozen=True)
class RecognisedPage:
    page: int  # 1-based; 1 for an image
    text: str


@functools.lru_cache(maxsize=1)
def ocr_available() -> bool:
    """Tesseract with the simplified Chinese model is installed."""
    exe = shutil.which("tesseract")
    if exe is None:
        return False
    try:
        langs = subprocess.run(
            [exe, "--list-langs"], capture_output=True, text=True, timeout=20, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return "chi_sim" in (langs.stdout + langs.stderr).split()


def tidy(text: str) -> str:
    """Recognised text without the spaces Tesseract puts between Chinese characters."""
    lines = [
        _GAP_BEFORE_PUNCT.sub("", _CJK_GAP.sub("", line)).rstrip() for line in text.split("\n")
    ]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def recognise_image(image: bytes) -> str:
    """The text of one image (PNG, JPEG, TIFF or BMP bytes)."""
    exe = shutil.which("tesseract")
    if exe is None:
        raise OcrError("未安装文字识别组件（tesseract-ocr、tesseract-ocr-chi-sim）")
    try:
        done = subprocess.run(
            [exe, "stdin", "stdout", "-l", LANGUAGES],
            input=image,
            capture_output=True,
            timeout=PAGE_TIMEOUT,
            check=False,
            env=_ENV,
        )
    except subprocess.TimeoutExpired as exc:
        raise OcrError(f"文字识别超时（超过 {PAGE_TIMEOUT} 秒）") from exc
    if done.returncode != 0:
        raise OcrError("文字识别失败：图片无法读取或已损坏")
    return tidy(done.stdout.decode("utf-8", "replace"))


def _png(image) -> bytes:  # a PIL image
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def recognise_pdf_pages(
    content: bytes,
    pages: Sequence[int],
    *,
    progress: Callable[[int, int], None] | None = None,
) -> list[RecognisedPage]:
    """The text of the given (1-based) pages of a PDF, rendered at :data:`DPI`."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(content)
    except pdfium.PdfiumError as exc:
        raise OcrError("无法读取 PDF 文件：文件已损坏或已加密") from exc
    out: list[RecognisedPage] = []
    try:
        for done, number in enumerate(pages, start=1):
            page = document[number - 1]
            try:
                image = page.render(scale=DPI / 72, grayscale=True).to_pil()
            finally:
                page.close()
            out.append(RecognisedPage(number, recognise_image(_png(image))))
            if progress is not None:
                progress(done, len(pages))
    finally:
        document.close()
    return out


# the images the extraction refuses, less GIF and WebP, from which Debian's Tesseract 5.3 read
# nothing in a test where it read the same text from BMP and PNG
RECOGNISABLE_IMAGES = frozenset(IMAGE_EXTENSIONS) - {".gif", ".webp"}


def is_image(filename: str) -> bool:
    """An image file Tesseract reads (one page for recognition)."""
    return file_extension(filename) in RECOGNISABLE_IMAGES
