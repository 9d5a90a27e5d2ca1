"""`gongkai report build|check|remind` as operators type them."""

import io
import json
import shutil
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from gongkai.cli import main

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.mark.django_db
def test_build_json_states_every_table_and_the_identities(world, year_2025, tmp_path, capsys):
    out = tmp_path / "r.json"
    code = main(
        ["report", "build", "--agency", "depta", "--year", "2025", "--json", "-o", str(out)]
    )
    assert code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["format"] == "2021" and data["scope"] == "self"
    t3 = next(t for t in data["tables"] if t["table"] == "t3")
    new = next(r for r in t3["rows"] if r["row"] == "new")
    assert new["values"]["total"] == 8
    assert data["identities"]["ok"] and data["identities"]["checked"] == 42
    assert "t2:licensing:decisions" in data["entered_cells"]
    err = capsys.readouterr().err
    assert "已生成《测试市交通运输局2025年政府信息公开工作年度报告》" in err


@pytest.mark.django_db
def test_build_by_name_defaults_a_government_to_the_whole_city(world, year_2025, tmp_path):
    out = tmp_path / "city.json"
    assert (
        main(
            [
                "report",
                "build",
                "--agency",
                "测试市人民政府",
                "--year",
                "2025",
                "--json",
                "-o",
                str(out),
            ]
        )
        == 0
    )
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["scope"] == "city" and data["subject"] == "全市"
    assert data["tables"][1]["rows"][0]["values"]["total"] == 9


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--agency", "nowhere", "--year", "2025", "--json"], "找不到机关"),
        (["--agency", "depta", "--year", "2025", "--scope", "city", "--json"], "只能编制本机关"),
        (["--agency", "depta", "--year", "2005", "--json"], "没有适用的年度报告格式"),
        (["--agency", "depta", "--year", "2025", "--pdf"], "需要用 -o 指定输出文件"),
    ],
    ids=[
        "unknown-agency",
        "department-cannot-roll-up",
        "before-the-regulation",
        "binary-to-stdout",
    ],
)
def test_build_refuses_bad_input_in_chinese(world, year_2025, argv, message, capsys):
    assert main(["report", "build", *argv]) == 2
    assert message in capsys.readouterr().err


@pytest.mark.django_db
def test_built_files_are_read_back_by_the_checker(world, year_2025, tmp_path, capsys):
    """HTML, DOCX and XLSX as built carry the same figures and pass the checker."""
    for kind in ("html", "docx", "xlsx"):
        out = tmp_path / f"report.{kind}"
        assert (
            main(
                [
                    "report",
                    "build",
                    "--agency",
                    "depta",
                    "--year",
                    "2025",
                    f"--{kind}",
                    "-o",
                    str(out),
                ]
            )
            == 0
        )
        capsys.readouterr()
        assert main(["report", "check", "--json", str(out)]) == 0, capsys.readouterr()
        data = json.loads(capsys.readouterr().out)
        assert data["format"] == "2021", kind
        t3 = next(t for t in data["tables"] if t["table"] == "t3")
        values = {r["row"]: r["values"] for r in t3["rows"]}
        assert values["new"]["total"] == 8, kind
        assert values["partial"]["commercial"] == 1, kind
        t4 = next(t for t in data["tables"] if t["table"] == "t4")
        assert t4["rows"][0]["values"]["reconsideration.upheld"] == 1, kind
    document = Document(str(tmp_path / "report.docx"))
    assert document.paragraphs[0].text == "测试市交通运输局2025年政府信息公开工作年度报告"
    sheet = load_workbook(tmp_path / "report.xlsx").active
    assert sheet["A1"].value == "测试市交通运输局2025年政府信息公开工作年度报告"


@pytest.mark.django_db
def test_build_pdf(world, year_2025, tmp_path):
    out = tmp_path / "r.pdf"
    assert (
        main(["report", "build", "--agency", "depta", "--year", "2025", "--pdf", "-o", str(out)])
        == 0
    )
    assert out.read_bytes()[:4] == b"%PDF"


@pytest.mark.parametrize(
    ("files", "code"),
    [
        (["hangzhou_style_2021.html"], 0),
        (["layout_table_2019.html", "unmerged_labels_2021.html"], 0),
        (["broken_identity_2021.html"], 1),
        (["no_report_table.html"], 2),
        (["no_report_table.html", "broken_identity_2021.html"], 1),
        (["hangzhou_style_2021.html", "no_report_table.html"], 2),
    ],
    ids=[
        "holds",
        "two-that-hold",
        "broken",
        "no-table",
        "broken-outranks-no-table",
        "one-without-table",
    ],
)
def test_check_exit_codes(files, code, capsys):
    assert main(["report", "check", *(str(FIXTURES / f) for f in files)]) == code
    out = capsys.readouterr().out
    assert out.count("文件：") == len(files)


def test_check_prints_failures_with_cells(capsys):
    assert main(["report", "check", str(FIXTURES / "broken_identity_2021.html")]) == 1
    out = capsys.readouterr().out
    assert "识别为：2021年版" in out
    assert "✗ 表三 总计列等于各类申请人之和（（一）予以公开）" in out
    assert "表三“（一）予以公开”行“总计”列 = 1244（第2个表格第6行第10列）" in out
    assert "读取说明：表四有 1 个空白单元格，按 0 读取（空白=0）" in out


def test_check_reads_a_plain_text_seed_era_report(tmp_path, capsys):
    text = (
        "全市共办理依申请信息公开12件。当面申请2件，传真申请0件，网络申请5件，信函申请5件；"
        "按时办结12件，延期办结0件；属于已主动公开1件，同意公开5件，同意部分公开2件，"
        "不同意公开答复1件，不属于本行政机关公开1件，申请信息不存在1件，告知作出更改补充1件，"
        "告知通过其他途径办理0件。"
    )
    path = tmp_path / "old.txt"
    path.write_text(text, encoding="utf-8")
    # the 依申请 figures are read and hold; the 主动公开, 信箱 and 复议 ones are not in the
    # text, so their identities could not be checked (exit 3), not counted as holding
    assert main(["report", "check", str(path)]) == 3
    out = capsys.readouterr().out
    assert "识别为：2008年版" in out
    assert "✓ 申请总数等于各答复类型之和" in out
    assert "？ 行政复议总数等于各项结果之和：无法核对（正文中未找到“总数”的数字" in out


def test_check_refuses_unreadable_files(tmp_path, capsys):
    doc = tmp_path / "x.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0")
    assert (
        main(["report", "check", str(doc), str(tmp_path / "missing.html")]) == 4
    )  # its own code: could not read (ADR 0080)
    err = capsys.readouterr().err
    assert "暂不支持 .doc 文件" in err and "无法读取文件" in err


def test_check_reads_gb18030_pages(tmp_path, capsys):
    source = (FIXTURES / "hangzhou_style_2021.html").read_text(encoding="utf-8")
    path = tmp_path / "gbk.htm"
    path.write_bytes(source.replace("charset=utf-8", "charset=gb2312").encode("gb18030"))
    assert main(["report", "check", str(path)]) == 0


def test_check_many_pages_at_once(tmp_path, capsys):
    for i in range(5):
        shutil.copy(FIXTURES / "hangzhou_style_2021.html", tmp_path / f"p{i}.html")
    assert main(["report", "check", "--json", *sorted(str(p) for p in tmp_path.iterdir())]) == 0
    data = json.load(io.StringIO(capsys.readouterr().out))
    assert len(data) == 5 and all(d["exit_code"] == 0 for d in data)


@pytest.mark.django_db
def test_remind(world, capsys):
    assert main(["report", "remind", "--date", "2026-01-05"]) == 0
    assert "已发送年度报告提醒 4 条" in capsys.readouterr().out
    assert main(["report", "remind", "--date", "bad"]) == 2


@pytest.mark.django_db
def test_the_built_workbook_has_no_formula_cell(world, year_2025, tmp_path):
    import re
    import zipfile

    out = tmp_path / "report.xlsx"
    main(["report", "build", "--agency", "depta", "--year", "2025", "--xlsx", "-o", str(out)])
    with zipfile.ZipFile(out) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        assert sheets
        for name in sheets:
            assert not re.search(rb"<(\w+:)?f[\s>]", archive.read(name))
