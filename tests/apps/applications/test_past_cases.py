"""Registering past cases: an earlier register comes in as closed cases the platform derives
the way it derives a live case's (number, time limit, on time, reply letter, audit)."""

import datetime as dt
import json

import pytest

from gongkai import clock
from gongkai.apps.applications.models import Application, CaseLetter, NumberCounter
from gongkai.apps.applications.selectors import application_deadline
from gongkai.apps.applications.services.letters import letter_digest
from gongkai.apps.applications.services.past_cases import (
    PastCase,
    PastCaseError,
    register_past_cases,
)
from gongkai.apps.audit.models import AuditEvent
from gongkai.apps.audit.services import SYSTEM
from tests.apps.applications.factories import register

pytestmark = pytest.mark.django_db

APPLICANT = {
    "applicant_type": "natural_person",
    "applicant_name": "赵六",
    "applicant_id_type": "id_card",
    "applicant_id_number": "",
}


def past(world, **overrides) -> PastCase:
    values = {
        "agency": world.dept_a,
        "received_on": dt.date(2025, 3, 3),
        "channel": "letter",
        "decision": "not_exist",
        "closed_on": dt.date(2025, 3, 20),
        "description": "请求公开2024年度城市道路养护合同",
        "applicant": APPLICANT,
    }
    values.update(overrides)
    return PastCase(**values)


def test_numbers_continue_the_agencys_series_and_live_registration_follows(world):
    live = register(world, received_on=dt.date(2025, 2, 10), submitted_on=dt.date(2025, 2, 10))
    assert live.number == "YSQ-2025-000001"
    cases = register_past_cases(
        [past(world, received_on=dt.date(2025, 3, 4)), past(world)],
        actor=SYSTEM,
        now=clock.now(),
        source="2025年登记簿",
    )
    # numbered in order of receipt, after the live case
    assert [c.number for c in cases] == ["YSQ-2025-000003", "YSQ-2025-000002"]
    assert NumberCounter.objects.get(agency=world.dept_a, year=2025, series="YSQ").last == 3
    after = register(world, received_on=dt.date(2025, 4, 1), submitted_on=dt.date(2025, 4, 1))
    assert after.number == "YSQ-2025-000004"


def test_time_limit_is_the_engines_not_the_registers(world):
    live = register(
        world,
        channel="in_person",
        received_on=dt.date(2025, 3, 3),
        submitted_on=dt.date(2025, 3, 3),
    )
    (imported,) = register_past_cases(
        [past(world, channel="in_person")], actor=SYSTEM, now=clock.now(), source="登记簿"
    )
    stored = Application.objects.get(pk=imported.pk)
    assert stored.due_date == live.due_date  # the same day's request, the same time limit
    assert stored.state == "archived" and stored.on_time is True
    (late,) = register_past_cases(
        [past(world, closed_on=live.due_date + dt.timedelta(days=3))],
        actor=SYSTEM,
        now=clock.now(),
        source="登记簿",
    )
    assert Application.objects.get(pk=late.pk).on_time is False


def test_an_approved_extension_moves_the_time_limit(world):
    plain, extended = register_past_cases(
        [
            past(world),
            past(
                world,
                extension_approved_on=dt.date(2025, 3, 14),
                extension_days=15,
                extension_reason="信息量大",
            ),
        ],
        actor=SYSTEM,
        now=clock.now(),
        source="登记簿",
    )
    assert extended.due_date > plain.due_date
    assert extended.extension_status == "approved"


def test_the_case_page_counts_the_deadline_the_case_is_stored_with(world):
    """The 计时 of a past case reads its 补正 and 延期 off its steps, as its due date did."""
    (case,) = register_past_cases(
        [
            past(
                world,
                correction_sent_on=dt.date(2025, 3, 5),
                correction_until=dt.date(2025, 3, 14),
                correction_received_on=dt.date(2025, 3, 10),
                correction_items="请写明合同名称",
                extension_approved_on=dt.date(2025, 3, 28),
                extension_days=15,
                extension_reason="信息量大",
                closed_on=dt.date(2025, 4, 20),
            )
        ],
        actor=SYSTEM,
        now=clock.now(),
        source="登记簿",
    )
    stored = Application.objects.get(pk=case.pk)
    deadline = application_deadline(stored)
    assert (deadline.start, deadline.extension_days) == (dt.date(2025, 3, 10), 15)
    # 20 working days from 10 March (清明 4 April off) to 8 April, then 15 more (27 April, a
    # Sunday, is a working day) to 28 April
    assert deadline.due == stored.due_date == dt.date(2025, 4, 28)


def test_reply_letters_are_numbered_and_hashed_like_live_letters(world, client_for):
    (case,) = register_past_cases(
        [past(world, decision="not_exist", reason_text="经检索，本机关未制作该信息。")],
        actor=SYSTEM,
        now=clock.now(),
        source="登记簿",
    )
    letter = CaseLetter.objects.get(application=case)
    assert letter.kind == "reply" and letter.issued_on == dt.date(2025, 3, 20)
    assert letter.number == f"{world.dept_a.display_short}信息公开答〔2025〕1号"
    assert letter.addressee == "赵六" and "本机关未制作该信息" in letter.body
    assert "YSQ-2025-000001" in letter.body  # the live template, filled from the case
    assert letter.sha256 == letter_digest(letter.title, letter.addressee, letter.body)
    assert NumberCounter.objects.get(agency=world.dept_a, year=2025, series="reply").last == 1
    # the officer finds the case, closed, with its letter on the case page
    page = client_for(world.officer_a).get(f"/backoffice/applications/{case.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert case.number in html and letter.number in html and "已归档" in html


def test_cases_answered_before_the_2019_regulation_keep_their_paper_letters(world):
    (case,) = register_past_cases(
        [
            past(
                world,
                received_on=dt.date(2019, 3, 4),
                closed_on=dt.date(2019, 3, 15),
            )
        ],
        actor=SYSTEM,
        now=clock.now(),
        source="2019年登记簿",
    )
    assert case.number == "YSQ-2019-000001"
    assert not CaseLetter.objects.filter(application=case).exists()


def test_every_case_is_audited_with_its_source(world):
    (case,) = register_past_cases(
        [past(world)], actor=world.officer_a, now=clock.now(), source="2025年纸质登记簿"
    )
    event = AuditEvent.objects.get(action="application.register_past", object_id=str(case.pk))
    after = json.loads(event.after)
    assert after["source"] == "2025年纸质登记簿"
    assert after["number"] == case.number


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"decision": "maybe"}, "答复类型“maybe”不是本平台的答复类型"),
        ({"channel": "pigeon"}, "申请方式“pigeon”无法识别"),
        ({"closed_on": dt.date(2025, 3, 1)}, "答复日期早于收到申请之日"),
        ({"extension_days": 10}, "登记了延长天数，却没有延期批准日期"),
        (
            {"extension_days": 25, "extension_approved_on": dt.date(2025, 3, 10)},
            "延长答复期限最长不超过20个工作日",
        ),
        ({"applicant": {"applicant_name": ""}}, "缺少申请人姓名或名称"),
        ({"applicant": {"applicant_name": "赵六", "salary": 1}}, "无法识别的栏目：salary"),
    ],
)
def test_a_bad_row_is_named_and_nothing_is_stored(world, overrides, message):
    before = Application.objects.count()
    with pytest.raises(PastCaseError) as error:
        register_past_cases(
            [past(world), past(world, **overrides)],
            actor=SYSTEM,
            now=clock.now(),
            source="登记簿",
        )
    assert str(error.value).startswith("第2行：")
    assert message in str(error.value)
    assert Application.objects.count() == before
    assert not NumberCounter.objects.filter(agency=world.dept_a, series="YSQ").exists()


def test_a_case_not_yet_answered_is_not_a_past_case(world):
    future = clock.today() + dt.timedelta(days=1)
    with pytest.raises(PastCaseError, match="答复日期晚于今天"):
        register_past_cases(
            [past(world, received_on=clock.today(), closed_on=future)],
            actor=SYSTEM,
            now=clock.now(),
            source="登记簿",
        )


# ── the register file and the command ─────────────────────────────────────────────────────

REGISTER_CSV = (
    "收到日期,申请方式,申请人,申请内容,答复类型,答复日期,延期批准日期,延长天数,答复意见\n"
    "2025-03-03,信函申请,赵六,请求公开2024年度道路养护合同,{decision},2025-03-20,,,经检索未找到\n"
    "2025/03/05,网上,钱七,请求公开公交线路调整论证报告,{decision},2025-04-15,2025-03-26,10,\n"
)


def _write(tmp_path, text: str, encoding: str = "utf-8-sig"):
    path = tmp_path / "2025年登记簿.csv"
    path.write_bytes(text.encode(encoding))
    return path


def test_a_register_file_is_read_by_chinese_labels(world):
    from gongkai.apps.applications.services.past_cases import past_cases_from_file
    from gongkai.domain.decisions import DECISIONS_BY_CODE

    label = DECISIONS_BY_CODE["not_exist"].label
    data = REGISTER_CSV.format(decision=label).encode("gb18030")
    cases, errors = past_cases_from_file(
        "登记簿.csv", data, agency=world.dept_a, today=clock.today()
    )
    assert errors == []
    assert [(c.channel, c.decision, c.extension_days) for c in cases] == [
        ("letter", "not_exist", 0),
        ("online", "not_exist", 10),
    ]
    assert cases[1].received_on == dt.date(2025, 3, 5)
    assert cases[0].applicant["applicant_name"] == "赵六"


def test_the_command_imports_all_rows_or_names_the_wrong_ones(world, tmp_path, capsys):
    from gongkai.cli import main
    from gongkai.domain.decisions import DECISIONS_BY_CODE

    label = DECISIONS_BY_CODE["not_exist"].label
    bad = REGISTER_CSV.format(decision=label).replace("2025-04-15", "2025-02-01")
    bad = bad.replace("信函申请", "飞鸽传书")
    path = _write(tmp_path, bad)
    assert main(["applications", "import-register", str(path), "--agency", "depta"]) == 2
    captured = capsys.readouterr()
    assert "第2行“申请方式”列：申请方式“飞鸽传书”无法识别" in captured.out
    assert "第3行：答复日期早于收到申请之日" in captured.out
    assert "未导入任何申请" in captured.err
    assert not Application.objects.filter(agency=world.dept_a).exists()

    path = _write(tmp_path, REGISTER_CSV.format(decision=label))
    args = ["applications", "import-register", str(path), "--agency", "depta"]
    assert main([*args, "--dry-run"]) == 0
    assert not Application.objects.filter(agency=world.dept_a).exists()
    assert main(args) == 0
    assert "已导入 2 件往年申请" in capsys.readouterr().out
    numbers = sorted(
        Application.objects.filter(agency=world.dept_a).values_list("number", flat=True)
    )
    assert numbers == ["YSQ-2025-000001", "YSQ-2025-000002"]


def test_a_register_without_its_required_columns_is_refused(world, tmp_path, capsys):
    from gongkai.cli import main

    path = _write(tmp_path, "收到日期,申请人\n2025-03-03,赵六\n")
    assert main(["applications", "import-register", str(path), "--agency", "depta"]) == 2
    assert "缺少必填列：申请方式、申请内容、答复类型、答复日期" in capsys.readouterr().err
