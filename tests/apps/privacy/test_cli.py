"""``gongkai privacy scan`` and ``gongkai privacy mask``."""

from __future__ import annotations

import io
import json

import pytest
from docx import Document

from gongkai.cli import main

pytestmark = pytest.mark.django_db


def _docx(path, *lines):
    document = Document()
    for line in lines:
        document.add_paragraph(line)
    document.save(path)


def test_scan_prints_one_line_per_finding_and_exits_1(tmp_path, capsys):
    _docx(tmp_path / "a.docx", "申请人张伟，身份证号码11010519491231002X。", "国办发〔2017〕47号")
    assert main(["privacy", "scan", str(tmp_path / "a.docx")]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        f"{tmp_path / 'a.docx'}\t第1段\t姓名\t张*\t0.99",
        f"{tmp_path / 'a.docx'}\t第1段\t身份证号\t110105********002X\t0.99",
    ]


def test_scan_clean_directory_exits_0(tmp_path, capsys):
    (tmp_path / "notice.txt").write_text(
        "依据国办发〔2017〕47号，2019年1月17日起施行。", encoding="utf-8"
    )
    (tmp_path / "ignored.bin").write_bytes(b"\0")
    assert main(["privacy", "scan", str(tmp_path)]) == 0
    assert capsys.readouterr().out == ""


def test_scan_json(tmp_path, capsys):
    (tmp_path / "l.txt").write_text("手机13812345678", encoding="utf-8")
    assert main(["privacy", "scan", "--json", str(tmp_path / "l.txt")]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["blocking"] == 1 and data["files"] == 1
    assert data["findings"][0]["kind"] == "mobile"
    assert data["findings"][0]["masked"] == "138****5678"


def test_scan_unreadable_file_blocks(tmp_path, capsys):
    (tmp_path / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    assert main(["privacy", "scan", str(tmp_path / "old.doc")]) == 1
    assert "无法读取的内容" in capsys.readouterr().out


def test_scan_missing_path(tmp_path, capsys):
    assert main(["privacy", "scan", str(tmp_path / "nope.docx")]) == 2
    assert "找不到文件或目录" in capsys.readouterr().err


def test_mask_writes_a_masked_copy(tmp_path):
    _docx(tmp_path / "a.docx", "户主李娜，手机13812345678")
    out = tmp_path / "out.docx"
    assert main(["privacy", "mask", str(tmp_path / "a.docx"), "-o", str(out)]) == 0
    text = Document(io.BytesIO(out.read_bytes())).paragraphs[0].text
    assert text == "户主李*，手机138****5678"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["same"], "不能覆盖原文件"),
        (["other.pdf"], "同为 .docx 格式"),
    ],
)
def test_mask_refuses_bad_output(tmp_path, capsys, args, message):
    source = tmp_path / "a.docx"
    _docx(source, "x")
    target = str(source) if args == ["same"] else str(tmp_path / args[0])
    assert main(["privacy", "mask", str(source), "-o", target]) == 2
    assert message in capsys.readouterr().err
