"""Intake: registration numbers, receipt dates by channel, validation, flags, uploads."""

import datetime as dt

import pytest

from gongkai import clock
from gongkai.apps.applications import services as svc
from gongkai.apps.applications.errors import InvalidInput, UploadRejected
from gongkai.apps.applications.models import Application, CaseDocument
from gongkai.apps.applications.services.intake import hash_query_code, query_code_matches
from gongkai.apps.audit.models import AuditEvent
from tests.apps.applications.factories import (
    ID_OK,
    ID_OK_2,
    PDF,
    USCC_OK,
    days_ago,
    person,
    register,
)

pytestmark = pytest.mark.django_db


def test_registration_numbers_run_per_agency_and_year(world):
    a1 = register(world)
    a2 = register(world)
    b1 = register(world, agency=world.dept_b)
    year = a1.received_on.year
    assert (a1.number, a2.number) == (f"YSQ-{year}-000001", f"YSQ-{year}-000002")
    assert b1.number == f"YSQ-{year}-000001"  # each agency counts on its own


def test_number_year_follows_the_receipt_date(world):
    old = register(world, received_on=dt.date(2025, 12, 30), submitted_on=dt.date(2025, 12, 29))
    new = register(world)
    assert old.number == "YSQ-2025-000001"
    assert new.number.startswith(f"YSQ-{new.received_on.year}-000001")


def test_query_code_is_returned_once_and_stored_hashed(world):
    app = register(world)
    code = app.query_code
    assert len(code) == 14 and code.count("-") == 2
    stored = Application.objects.get(pk=app.pk)
    assert code.replace("-", "") not in stored.query_code_hash
    assert stored.query_code_hash == hash_query_code(stored.query_code_salt, code)
    assert query_code_matches(stored, code.lower().replace("-", " "))
    assert not query_code_matches(stored, "AAAA-BBBB-CCCC")


def test_online_request_is_received_today_and_gets_a_deadline(world):
    app = register(world)
    assert app.channel == "online"
    assert app.received_on == app.submitted_on
    assert app.due_date is not None and app.due_date > app.received_on
    assert app.correction_notice_due is not None
    assert app.state == "registered"


@pytest.mark.parametrize(
    ("intent", "kwargs", "expected"),
    [
        (
            "当面: the day it is handed in",
            {"channel": "in_person", "submitted_on": dt.date(2026, 11, 2)},
            dt.date(2026, 11, 2),
        ),
        (
            "挂号信: the day it is signed for",
            {
                "channel": "letter",
                "letter_kind": "registered",
                "submitted_on": dt.date(2026, 11, 2),
                "signed_for_on": dt.date(2026, 11, 5),
            },
            dt.date(2026, 11, 5),
        ),
        (
            "平信: the day the office confirms with the applicant",
            {
                "channel": "letter",
                "letter_kind": "ordinary",
                "submitted_on": dt.date(2026, 11, 2),
                "confirmed_on": dt.date(2026, 11, 9),
            },
            dt.date(2026, 11, 9),
        ),
        (
            "传真: the day both sides confirm",
            {
                "channel": "fax",
                "submitted_on": dt.date(2026, 11, 3),
                "confirmed_on": dt.date(2026, 11, 4),
            },
            dt.date(2026, 11, 4),
        ),
    ],
)
def test_receipt_date_follows_article_31(world, intent, kwargs, expected):
    app = register(world, **kwargs)
    assert app.received_on == expected, intent


def test_registered_letter_without_signature_date_is_refused_in_chinese(world):
    with pytest.raises(InvalidInput, match="签收日期"):
        register(world, channel="letter", letter_kind="registered", submitted_on=days_ago(3))
    assert Application.objects.count() == 0


@pytest.mark.parametrize(
    ("intent", "applicant", "field", "message"),
    [
        ("bad ID check digit", person(id_number="110105195001010014"), "id_number", "校验码错误"),
        ("ID too short", person(id_number="12345"), "id_number", "18位"),
        ("no name", person(name=" "), "name", "姓名或名称"),
        ("no contact at all", person(phone="", email="", address=""), "phone", "联系方式"),
        ("bad phone", person(phone="call me"), "phone", "格式不正确"),
        (
            "organisation without USCC",
            person(type="commercial", id_number=""),
            "id_number",
            "统一社会信用代码",
        ),
        (
            "organisation with a wrong USCC",
            person(type="commercial", id_number="91350200M000000510"),
            "id_number",
            "校验码错误",
        ),
        ("unknown applicant type", person(type="alien"), "applicant_type", "申请人类型"),
    ],
)
def test_bad_applicant_details_are_refused_and_nothing_is_stored(
    world, intent, applicant, field, message
):
    with pytest.raises(InvalidInput) as caught:
        register(world, applicant=applicant)
    assert message in caught.value.field_errors[field], intent
    assert Application.objects.count() == 0
    assert not AuditEvent.objects.filter(action="application.register").exists()


def test_organisations_are_registered_with_their_uscc(world):
    app = register(world, applicant=person(type="法律服务机构", id_number=USCC_OK.lower()))
    assert app.applicant_type == "legal_service"
    assert app.applicant_id_type == "uscc"
    assert app.applicant_id_number == USCC_OK


def test_description_is_required(world):
    with pytest.raises(InvalidInput, match="至少5个字"):
        register(world, description="道路")


def test_delivery_by_post_needs_an_address(world):
    with pytest.raises(InvalidInput) as caught:
        register(world, applicant=person(address=""), delivery="post")
    assert "地址" in caught.value.field_errors["address"]


def test_receipt_in_the_future_is_refused(world):
    future = clock.today() + dt.timedelta(days=10)
    with pytest.raises(InvalidInput, match="不能晚于今天"):
        register(world, channel="in_person", submitted_on=future)


def test_repeat_of_the_same_applicant_is_flagged(world):
    first = register(world)
    second = register(world, description="申请公开：2025年度本市城市道路养护资金的使用情况及明细")
    other_person = register(world, applicant=person(id_number=ID_OK_2))
    different = register(world, description="人民路地块征收补偿安置方案")
    assert second.repeat_of_id == first.pk and second.repeat_score >= 0.8
    assert other_person.repeat_of_id is None
    assert different.repeat_of_id is None


def test_mass_requests_are_flagged_at_the_threshold(world):
    from gongkai.apps.applications.models import CaseRules

    CaseRules.objects.update(mass_threshold=3)
    apps = [register(world, description=f"第{i}号文件的全文及附件材料") for i in range(3)]
    assert [a.flagged_mass for a in apps] == [False, False, True]
    assert apps[-1].mass_count == 3


def test_registration_is_audited_without_personal_data(world):
    app = register(world)
    event = AuditEvent.objects.get(action="application.register", object_id=str(app.pk))
    text = event.before + event.after + event.object_label
    assert app.number in text
    for secret in (ID_OK, "王小明", "13800000000", "wxm@example.com", "人民路8号"):
        assert secret not in text


def test_officers_are_told_of_a_new_request(world, django_capture_on_commit_callbacks):
    from gongkai.apps.notifications.models import Notice

    with django_capture_on_commit_callbacks(execute=True):
        app = register(world)
    assert Notice.objects.filter(user=world.officer_a, title__contains=app.number).exists()
    assert Notice.objects.filter(user=world.head_a, title__contains=app.number).exists()
    assert not Notice.objects.filter(user=world.officer_b).exists()


def _zip(members: dict[str, bytes]) -> bytes:
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_attachments_are_checked_by_content_not_name(world):
    app = register(world, attachments=[("scan.pdf", PDF)])
    doc = CaseDocument.objects.get(application=app)
    assert doc.content_type == "application/pdf" and doc.original_name == "scan.pdf"
    with pytest.raises(UploadRejected, match=r"“harmless.pdf”实际是Windows 可执行程序，不允许上传"):
        register(world, attachments=[("harmless.pdf", b"MZ\x90\x00\x03binary\x00\x00")])
    with pytest.raises(
        UploadRejected, match=r"“page.txt”实际是网页或 XML（可能含脚本），不允许上传"
    ):
        register(world, attachments=[("page.txt", b"<html><script>alert(1)</script></html>")])
    with pytest.raises(UploadRejected, match="不是允许的类型（实际为ZIP 压缩包）"):
        register(world, attachments=[("a.pdf", _zip({"x.exe": b"MZ"}))])
    assert Application.objects.count() == 1


def test_oversized_uploads_are_refused(world, settings):
    settings.GONGKAI_UPLOAD_MAX_BYTES = 1024
    with pytest.raises(UploadRejected, match="超过"):
        register(world, attachments=[("big.pdf", PDF + b"0" * 2048)])
    assert Application.objects.count() == 0


def test_a_misnamed_file_gets_the_extension_of_its_content(world):
    app = register(world, attachments=[("photo.exe", PDF)])
    assert app.documents.get().original_name == "photo.pdf"


def test_mailbox_conversion_signature(world):
    """The mailbox context converts letters with exactly this call."""
    from gongkai.domain.reportfacts import RequestChannel

    app = svc.application_register(
        actor=world.officer_a,
        agency=world.dept_a,
        channel=RequestChannel.ONLINE,
        applicant={
            "type": "natural_person",
            "name": "赵六",
            "id_number": ID_OK,
            "phone": "13900000000",
            "email": "",
            "address": "",
        },
        description="市长信箱来信：请求公开本区老旧小区改造计划",
        received_on=days_ago(1),
        source_note="政府信箱来信 XX-2026-0001 转为依申请公开",
    )
    assert app.source_note.startswith("政府信箱来信") and app.received_on == days_ago(1)


def test_check_register_returns_the_typed_request_and_stores_nothing(world):
    """The one check every channel shares: it normalises what it was given, refuses with
    every field's message, and writes nothing; do_register then stores exactly that."""
    from gongkai.apps.applications.services.intake import check_register, do_register

    before = (Application.objects.count(), AuditEvent.objects.count())
    raw = person() | {"id_number": ID_OK.lower(), "phone": " 010-12345678 "}
    checked = check_register(
        agency=world.dept_a,
        channel="online",
        applicant=raw,
        description="  请求公开道路养护资金明细  ",
    )
    assert checked.applicant.id_number == ID_OK.upper()
    assert (checked.applicant.phone, checked.description) == (
        "010-12345678",
        "请求公开道路养护资金明细",
    )
    assert checked.received_on == clock.today() and checked.channel == "online"
    with pytest.raises(InvalidInput) as refused:
        check_register(
            agency=world.dept_a,
            channel="online",
            applicant=person() | {"id_number": "123", "email": "不是邮箱", "postcode": "12"},
            description="短",
        )
    assert set(refused.value.field_errors) == {"id_number", "email", "postcode"}
    assert (Application.objects.count(), AuditEvent.objects.count()) == before

    app = do_register(actor=world.officer_a, request=checked)
    assert (app.applicant_id_number, app.description) == (ID_OK.upper(), checked.description)
    assert (
        AuditEvent.objects.filter(action="application.register", object_id=str(app.pk)).count() == 1
    )
