"""``gongkai draw verify``, ``gongkai draw rfc3797`` and ``gongkai inspections …``."""

from __future__ import annotations

import datetime as dt
import gzip
import json

import pytest

from gongkai.apps.inspections.models import DrawDocumentKind, MarketEntity
from gongkai.apps.inspections.selectors import task_document
from gongkai.apps.inspections.services import draw_execute, task_freeze
from gongkai.cli import main
from tests.apps.inspections.factories import OBSERVED, make_setup, sources, uscc_for


def test_rfc3797_command_prints_the_rfc_example(capsys):
    code = main(
        [
            "draw",
            "rfc3797",
            "--sources",
            "9319",
            "2 5 12 8 10",
            "9 18 26 34 41 45",
            "--pool",
            "25",
            "--select",
            "10",
        ]
    )
    assert code == 0
    assert capsys.readouterr().out.split() == [
        "17",
        "7",
        "2",
        "16",
        "25",
        "23",
        "8",
        "24",
        "19",
        "13",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--sources", "1 x", "--pool", "5", "--select", "2"], "不是非负整数"),
        (["--sources", "1", "--pool", "5", "--select", "6"], "抽取人数应在 0 到 5 之间"),
    ],
)
def test_rfc3797_command_refuses_bad_input_in_one_chinese_line(capsys, args, message):
    assert main(["draw", "rfc3797", *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：") and message in err and err.count("\n") == 1


@pytest.mark.django_db
def test_draw_verify_says_ok_then_names_a_tampered_source(world, tmp_path, capsys):
    setup = make_setup(world)
    task = task_freeze(
        actor=world.officer_a,
        task=setup.task(),
        sources=sources(dt.date(2026, 11, 29)),
        today=dt.date(2026, 11, 27),
    )
    task = draw_execute(
        actor=world.officer_a, task=task, observed=OBSERVED, today=dt.date(2026, 11, 29)
    )
    raw = task_document(task, DrawDocumentKind.RECORD).text_bytes()
    path = tmp_path / "record.json.gz"
    path.write_bytes(gzip.compress(raw))
    assert main(["draw", "verify", str(path), "--commitment-hash", task.commitment_hash]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "OK"
    record = json.loads(raw)
    record["observed"][0]["value"] = "3 9 16 21 27 32"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    assert main(["draw", "verify", str(bad)]) == 1
    assert "随机源数值的规范串应为 3.9.16.21.27.32./7./" in capsys.readouterr().out


def test_draw_verify_on_a_missing_file(capsys):
    assert main(["draw", "verify", "/nonexistent/record.json"]) == 2
    assert "无法读取记录文件" in capsys.readouterr().err


@pytest.mark.django_db
def test_import_entities_command(tmp_path, capsys):
    path = tmp_path / "e.csv"
    path.write_text(
        "统一社会信用代码,名称,主体类型,所属区县,行业门类,信用风险分类,登记状态\n"
        f"{uscc_for(1)},甲公司,企业,东城区,F,A,存续\n"
        "bad,乙公司,企业,东城区,F,A,存续\n",
        encoding="utf-8",
    )
    errors = tmp_path / "errors.csv"
    assert main(["inspections", "import-entities", str(path), "--errors", str(errors)]) == 1
    out = capsys.readouterr()
    assert "新增 1 户" in out.out and "第 3 行“统一社会信用代码”" in out.err
    assert MarketEntity.objects.count() == 1
    assert "统一社会信用代码应为18位" in errors.read_text(encoding="utf-8-sig")


@pytest.mark.django_db
def test_remind_command(capsys):
    assert main(["inspections", "remind"]) == 0
    assert "已发送 0 条" in capsys.readouterr().out
