"""TOTP for staff, password reset without logging in, registration limits."""

from __future__ import annotations

import re

import pyotp
import pytest
from django.core import mail
from django.test import Client

from gongkai import clock
from gongkai.apps.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
RIGHT = {"username": "officer_a", "password": "pass-word-123"}


def _csrf_client() -> Client:
    return Client(enforce_csrf_checks=True)


def _post(client: Client, url: str, data: dict):
    page = client.get(url)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    return client.post(url, {**data, "csrfmiddlewaretoken": token.group(1)})


def _code(secret: str, offset: int = 0) -> str:
    return pyotp.TOTP(secret).at(clock.now().timestamp() + offset)


def test_staff_turn_on_totp_and_then_need_a_code_to_log_in(world):
    officer = _csrf_client()
    assert _post(officer, "/accounts/login/", RIGHT).status_code == 302
    page = officer.get("/accounts/totp/").content.decode()
    secret = re.search(r'<code class="secret">([A-Z2-7]{32})</code>', page).group(1)
    wrong = _post(officer, "/accounts/totp/", {"code": "000000"})
    assert "验证码不正确或已使用" in wrong.content.decode()
    assert _post(officer, "/accounts/totp/", {"code": _code(secret)}).status_code == 302
    world.officer_a.refresh_from_db()
    assert world.officer_a.totp_secret == secret
    event = AuditEvent.objects.get(action="user.totp_enable")
    assert secret not in event.after and secret not in event.before

    fresh = _csrf_client()
    response = _post(fresh, "/accounts/login/", RIGHT)
    assert response.status_code == 302 and response["Location"] == "/accounts/login/code/"
    assert "_auth_user_id" not in fresh.session  # the password alone opens nothing
    assert fresh.get("/backoffice/").status_code == 302
    assert (
        "验证码不正确" in _post(fresh, "/accounts/login/code/", {"code": "123456"}).content.decode()
    )
    done = _post(fresh, "/accounts/login/code/", {"code": _code(secret, 30)})
    assert done.status_code == 302 and fresh.session["_auth_user_id"] == str(world.officer_a.pk)

    replay = _csrf_client()
    _post(replay, "/accounts/login/", RIGHT)
    used = _post(replay, "/accounts/login/code/", {"code": _code(secret, 30)})
    assert "已使用" in used.content.decode() and "_auth_user_id" not in replay.session


def test_guessing_the_code_ends_the_login(world):
    world.officer_a.totp_secret = pyotp.random_base32()
    world.officer_a.save()
    guesser = _csrf_client()
    _post(guesser, "/accounts/login/", RIGHT)
    for _ in range(5):
        _post(guesser, "/accounts/login/code/", {"code": "000000"})
    response = _post(guesser, "/accounts/login/code/", {"code": _code(world.officer_a.totp_secret)})
    assert "验证码错误次数过多" in response.content.decode()
    assert "_auth_user_id" not in guesser.session


def test_a_forgotten_password_is_reset_by_mail_without_logging_in(world):
    world.applicant.email = "zhang@example.cn"
    world.applicant.save()
    visitor = _csrf_client()
    response = _post(visitor, "/accounts/password/reset/", {"email": "zhang@example.cn"})
    assert response.status_code == 302 and response["Location"] == "/accounts/password/reset/sent/"
    link = re.search(
        r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body
    ).group(1)
    form_page = visitor.get(link, follow=True)
    assert "保存新密码" in form_page.content.decode()
    url = form_page.redirect_chain[-1][0]
    done = _post(
        visitor, url, {"new_password1": "a-new-pass-9876", "new_password2": "a-new-pass-9876"}
    )
    assert done.status_code == 302
    world.applicant.refresh_from_db()
    assert world.applicant.check_password("a-new-pass-9876")
    # an unknown address gets the same answer and no mail
    assert (
        _post(_csrf_client(), "/accounts/password/reset/", {"email": "x@y.cn"}).status_code == 302
    )
    assert len(mail.outbox) == 1


def test_registration_is_limited_per_address(world):
    visitor = _csrf_client()
    for n in range(10):
        _post(visitor, "/accounts/register/", {"username": f"u{n}"})
    response = _post(visitor, "/accounts/register/", {"username": "late"})
    assert response.status_code == 429 and "注册过于频繁" in response.content.decode()


def test_the_registration_event_keeps_personal_data_out_of_the_chain(world):
    visitor = _csrf_client()
    response = _post(
        visitor,
        "/accounts/register/",
        {
            "username": "13812345678",
            "display_name": "李四",
            "email": "lisi@example.cn",
            "phone": "13812345678",
            "password1": "pass-word-4567",
            "password2": "pass-word-4567",
        },
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="user.register")
    stored = " ".join(
        [event.actor_label, event.object_label, event.before, event.after, event.context]
    )
    for value in ("13812345678", "李四", "lisi@example.cn"):
        assert value not in stored
    assert '"given":["display_name","email","phone"]' in event.after
