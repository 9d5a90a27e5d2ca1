"""Limits on reading files from outside: refused before parsing, or stopped in the child."""

from __future__ import annotations

import time

import pytest

from gongkai.documents.untrusted import (
    DOCUMENT,
    REPORT_CHECK,
    FileRefused,
    Limits,
    inspect,
    read_limited,
    run_limited,
)
from tests.hostile import big_xlsx, bomb_docx

SMALL = Limits(wall_seconds=3, cpu_seconds=3, memory_bytes=512 * 1024 * 1024)


# run in the child: module-level, so they are pickled by name


def _spin(seconds: float) -> int:
    end = time.monotonic() + seconds
    n = 0
    while time.monotonic() < end:
        n += 1
    return n


def _hog() -> int:
    blocks = []
    while True:
        blocks.append(bytearray(64 * 1024 * 1024))


def _refuse(name: str, data: bytes) -> None:
    raise KeyError(f"{name}:{len(data)}")


def _echo(name: str, data: bytes) -> tuple[str, int]:
    return name, len(data)


def _flood() -> bytes:
    return b"x" * 4096


def test_a_decompression_bomb_is_refused_from_its_directory():
    bomb = bomb_docx(xml_megabytes=25)
    assert len(bomb) < 200_000
    with pytest.raises(
        FileRefused, match=r"文件“年报.docx”的文字与表格部分解压后为25MB，超过20MB的上限"
    ):
        inspect("年报.docx", bomb, REPORT_CHECK)


def test_a_member_packed_far_beyond_any_document_is_refused_as_a_bomb():
    bomb = bomb_docx(xml_megabytes=25)
    with pytest.raises(FileRefused, match=r"压缩比为.*疑似压缩炸弹"):
        inspect("a.docx", bomb, DOCUMENT)


def test_cells_are_counted_before_parsing_and_the_count_stops_at_the_cap():
    sheet = big_xlsx(cells=20_010)
    with pytest.raises(FileRefused, match="表格单元格超过20,000个的上限"):
        inspect("表.xlsx", sheet, REPORT_CHECK)
    inspect("表.xlsx", big_xlsx(cells=19_990), REPORT_CHECK)  # just under: accepted


def test_file_size_is_checked_first():
    with pytest.raises(FileRefused, match=r"大小为.*超过1KB的上限"):
        inspect("x.html", b"<p>" * 1000, Limits(max_bytes=1024))


def test_a_parser_that_runs_too_long_is_stopped_at_the_wall_time():
    with pytest.raises(FileRefused, match="超过1秒仍未完成"):
        run_limited(_spin, 30.0, limits=Limits(wall_seconds=1, cpu_seconds=30), what="文件")


def test_a_parser_that_uses_too_much_cpu_is_stopped():
    with pytest.raises(FileRefused, match=r"CPU时间或内存上限|仍未完成"):
        run_limited(_spin, 30.0, limits=Limits(wall_seconds=20, cpu_seconds=1))


def test_a_parser_that_eats_memory_is_stopped():
    with pytest.raises(FileRefused, match="内存"):
        run_limited(
            _hog, limits=Limits(wall_seconds=60, cpu_seconds=60, memory_bytes=256 * 1024 * 1024)
        )


def test_the_childs_own_errors_are_raised_here_with_their_type():
    with pytest.raises(KeyError, match=r"a.txt:3"):
        read_limited(_refuse, "a.txt", b"abc", limits=SMALL)
    assert read_limited(_echo, "a.txt", b"abc", limits=SMALL) == ("a.txt", 3)


def test_a_result_beyond_its_cap_is_refused():
    with pytest.raises(FileRefused, match="文字过多"):
        run_limited(_flood, limits=Limits(max_result_bytes=1024))
