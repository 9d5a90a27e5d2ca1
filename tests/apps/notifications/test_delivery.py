"""Notices that reach the applicant: the portal inbox, e-mail through Django's backends and text
messages through the SMS adapter, each recorded as 送达 evidence with an audit event."""

import json

import pytest
from django.core import mail
from django.test import Client

from gongkai.apps.applications import services as svc
from gongkai.apps.applications.errors import InvalidInput
from gongkai.apps.audit.models import AuditEvent
from gongkai.apps.notifications.models import Delivery, Notice
from gongkai.apps.notifications.sms import LoggingSmsBackend, MemorySmsBackend, SmsError
from tests.apps.applications.factories import register

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_sms_outbox():
    MemorySmsBackend.outbox.clear()
    yield
    MemorySmsBackend.outbox.clear()


def _correction(world, app):
    app = svc.application_accept(actor=world.officer_a, application=app)
    return svc.application_correction_request(
        actor=world.officer_a, application=app, items="请写明所需资金明细的年份"
    )


def test_a_correction_notice_reaches_inbox_mail_and_sms(world, django_capture_on_commit_callbacks):
    app = register(world, applicant_user=world.applicant, notify_by=["sms", "email"])
    with django_capture_on_commit_callbacks(execute=True):
        app = _correction(world, app)
    letter = app.letters.get(kind="correction")
    rows = {d.channel: d for d in Delivery.objects.filter(subject_id=str(app.pk))}
    assert set(rows) == {"inbox", "email", "sms"}
    for row in rows.values():
        assert row.status == "sent" and row.sent_at is not None
        assert row.document_number == letter.number and row.document_sha256 == letter.sha256
    # the inbox notice, the mail and the text message carry the letter
    notice = Notice.objects.get(user=world.applicant)
    assert notice.title == f"您的申请 {app.number} 需要补正" and letter.number in notice.body
    assert notice.url == f"/track/{app.public_id}/"
    [sent] = mail.outbox
    assert sent.to == ["wxm@example.com"] and letter.number in sent.body
    assert sent.extra_headers["Message-ID"] == rows["email"].provider_ref
    [sms] = MemorySmsBackend.outbox
    assert sms["to"] == "13800000000" and letter.title in sms["text"]
    assert rows["sms"].provider_ref == sms["id"]
    assert rows["sms"].masked_recipient == "138****0000"
    actions = list(
        AuditEvent.objects.filter(object_type="notifications.delivery").values_list(
            "action", flat=True
        )
    )
    assert actions.count("notice.deliver") == 3 and actions.count("notice.sent") == 2
    # personal data stays out of the audit chain: only the masked address
    assert not AuditEvent.objects.filter(after__contains="13800000000").exists()


def test_without_an_account_only_the_channels_asked_for(world, django_capture_on_commit_callbacks):
    app = register(world, notify_by=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        _correction(world, app)
    assert list(Delivery.objects.values_list("channel", flat=True)) == ["email"]
    assert Notice.objects.filter(user=world.applicant).count() == 0
    assert MemorySmsBackend.outbox == [] and len(mail.outbox) == 1


def test_a_gateway_failure_is_recorded_and_the_step_stands(
    world, django_capture_on_commit_callbacks, monkeypatch
):
    def refuse(self, phone, text):
        raise SmsError("网关拒绝：余额不足")

    monkeypatch.setattr(MemorySmsBackend, "send", refuse)
    app = register(world, notify_by=["sms"])
    with django_capture_on_commit_callbacks(execute=True):
        app = _correction(world, app)
    app.refresh_from_db()
    assert app.state == "correction"
    row = Delivery.objects.get(channel="sms")
    assert row.status == "failed" and row.error == "网关拒绝：余额不足" and row.sent_at is None
    assert AuditEvent.objects.filter(action="notice.failed").count() == 1


@pytest.mark.parametrize(
    ("channels", "phone", "email", "message"),
    [
        (["sms"], "0311-86001234", "a@example.com", "短信通知需要11位手机号码"),
        (["email"], "13800000000", "", "邮件通知需要有效的电子邮箱"),
    ],
)
def test_a_channel_without_a_usable_address_is_refused(world, channels, phone, email, message):
    from tests.apps.applications.factories import person

    with pytest.raises(InvalidInput) as exc:
        register(world, applicant=person(phone=phone, email=email), notify_by=channels)
    assert message in exc.value.field_errors["notify_by"]


def test_logging_backend_writes_the_demo_outbox(tmp_path):
    path = tmp_path / "sms" / "outbox.jsonl"
    ref = LoggingSmsBackend(path).send("13900000000", "【测试】您的申请需要补正")
    [line] = path.read_text(encoding="utf-8").splitlines()
    assert json.loads(line) | {"at": ""} == {
        "id": ref,
        "at": "",
        "to": "13900000000",
        "text": "【测试】您的申请需要补正",
    }


def test_the_applicant_reads_notices_in_the_portal_inbox(world, django_capture_on_commit_callbacks):
    app = register(world, applicant_user=world.applicant)
    with django_capture_on_commit_callbacks(execute=True):
        _correction(world, app)
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.applicant)
    me = client.get("/accounts/me/").content.decode()
    assert "我的通知" in me and "1条未读" in me and f"您的申请 {app.number} 需要补正" in me
    inbox = client.get("/notices/").content.decode()
    assert "site-header" in inbox and "bo-header" not in inbox  # the portal chrome
    notice = Notice.objects.get(user=world.applicant)
    opened = client.get(f"/notices/{notice.pk}/")
    assert opened.status_code == 302 and opened["Location"] == f"/track/{app.public_id}/"
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert "1条未读" not in client.get("/accounts/me/").content.decode()
    # someone else's notice is not found
    other = Client()
    other.force_login(world.other_applicant)
    assert other.get(f"/notices/{notice.pk}/").status_code == 404


def test_a_tracker_leaves_a_phone_for_notices(world):
    app = register(world)
    client = Client(enforce_csrf_checks=True)
    session = client.session
    session["applications_tracked"] = [str(app.public_id)]
    session.save()
    page = client.get(f"/track/{app.public_id}/")
    token = page.cookies["csrftoken"].value
    response = client.post(
        f"/track/{app.public_id}/notices/",
        {"phone": "139 0000 1111", "email": "", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    app.refresh_from_db()
    assert (app.notice_phone, app.notice_email) == ("13900001111", "")
    event = AuditEvent.objects.get(action="application.notice_contacts")
    assert "13900001111" not in event.after and '"sms":true' in event.after.replace(" ", "")
    bad = client.post(
        f"/track/{app.public_id}/notices/",
        {"phone": "12345", "csrfmiddlewaretoken": token},
    )
    assert bad.status_code == 400 and "短信通知需要11位手机号码" in bad.content.decode()
    app.refresh_from_db()
    assert app.notice_phone == "13900001111"  # nothing already stored is lost
