import io
import time

import pytest
from django.core.exceptions import ValidationError

from gongkai.apps.accounts.models import Role, User
from gongkai.apps.accounts.permissions import (
    can_act_for_agency,
    can_read_agency,
    visible_agency_ids,
)
from gongkai.apps.accounts.services import (
    api_token_authenticate,
    api_token_create,
    staff_create,
    user_register,
)
from gongkai.apps.audit.models import AuditEvent
from gongkai.apps.audit.services import SYSTEM


@pytest.mark.django_db
def test_permission_predicates(world):
    assert visible_agency_ids(world.officer_a) == {world.dept_a.pk}
    assert visible_agency_ids(world.supervisor) is None
    assert visible_agency_ids(world.applicant) == set()
    assert can_read_agency(world.officer_a, world.dept_a.pk)
    assert not can_read_agency(world.officer_a, world.dept_b.pk)
    assert can_read_agency(world.supervisor, world.dept_b.pk)
    assert can_act_for_agency(world.reviewer_a, world.dept_a.pk, Role.REVIEWER)
    assert not can_act_for_agency(world.officer_a, world.dept_a.pk, Role.REVIEWER)
    assert not can_act_for_agency(world.supervisor, world.dept_a.pk, Role.OFFICER)


@pytest.mark.django_db
def test_register_validates_and_audits():
    user = user_register(username="wang", password="a-Long-pass-2026", display_name="王五")
    assert user.check_password("a-Long-pass-2026")
    assert AuditEvent.objects.filter(action="user.register", object_id=str(user.pk)).exists()
    with pytest.raises(ValidationError):
        user_register(username="WANG", password="a-Long-pass-2026", display_name="重名")
    with pytest.raises(ValidationError):
        user_register(username="zhao", password="123", display_name="弱密码")
    assert User.objects.count() == 1


@pytest.mark.django_db
def test_register_page_logs_in_and_shows_chinese_errors(client):
    response = client.post(
        "/accounts/register/",
        {
            "username": "li",
            "display_name": "李",
            "password1": "Good-pass-2026",
            "password2": "Good-pass-2027",
        },
    )
    assert response.status_code == 200
    assert "两次输入的密码不一致" in response.content.decode()
    response = client.post(
        "/accounts/register/",
        {
            "username": "li",
            "display_name": "李",
            "password1": "Good-pass-2026",
            "password2": "Good-pass-2026",
        },
    )
    assert response.status_code == 302
    assert client.get("/accounts/me/").status_code == 200


@pytest.mark.django_db
def test_failed_logins_slow_the_account_down_but_never_lock_the_owner_out(client, world, settings):
    settings.LOGIN_RATE_LIMIT = 3
    for _ in range(3):
        response = client.post("/accounts/login/", {"username": "officer_a", "password": "wrong"})
        assert "用户名或密码不正确" in response.content.decode()
    right = {"username": "officer_a", "password": "pass-word-123"}
    response = client.post("/accounts/login/", right)
    assert "该账户登录失败次数较多，请 1 秒后再试" in response.content.decode()
    assert "_auth_user_id" not in client.session
    time.sleep(1.2)  # the delay is counted by the shared cache, in real seconds
    response = client.post("/accounts/login/", right)
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(
        world.officer_a.pk
    )


def test_the_delay_grows_and_is_capped(settings):
    from gongkai.apps.accounts.services import login_delay

    settings.LOGIN_RATE_LIMIT, settings.LOGIN_MAX_DELAY = 5, 60
    assert [login_delay(n) for n in range(1, 14)] == [0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 60, 60, 60]


def test_parallel_wrong_passwords_are_checked_no_more_than_the_limit_allows(world, settings):
    from concurrent.futures import ThreadPoolExecutor

    from gongkai.apps.accounts.errors import LoginRateLimited
    from gongkai.apps.accounts.services import login_check_allowed

    settings.LOGIN_RATE_LIMIT = 5

    def attempt(_):
        try:
            login_check_allowed("officer_a", "198.51.100.7")
        except LoginRateLimited:
            return False
        return True

    with ThreadPoolExecutor(max_workers=10) as pool:
        passed = sum(pool.map(attempt, range(30)))
    assert passed == 5  # four free attempts and one past the gate; 25 refused uncounted


def test_a_strangers_failures_do_not_slow_the_owner_on_a_browser_they_used_before(world, settings):
    from django.test import Client

    settings.LOGIN_RATE_LIMIT = 2
    right = {"username": "officer_a", "password": "pass-word-123"}
    owner = Client()
    assert owner.post("/accounts/login/", right).status_code == 302
    owner.post("/accounts/logout/")
    stranger = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(4):
        stranger.post("/accounts/login/", {"username": "officer_a", "password": "wrong"})
    refused = stranger.post("/accounts/login/", right)
    assert "该账户登录失败次数较多" in refused.content.decode()
    assert owner.post("/accounts/login/", right).status_code == 302


def test_failures_from_one_address_stop_that_address_only(world, settings):
    from django.test import Client

    settings.LOGIN_RATE_LIMIT = 2  # an address may fail 4 × as often as an account
    settings.GONGKAI_TRUSTED_PROXIES = ["127.0.0.1"]
    proxy = Client()
    for n in range(8):
        proxy.post(
            "/accounts/login/",
            {"username": f"nobody{n}", "password": "wrong"},
            HTTP_X_FORWARDED_FOR="203.0.113.50",
        )
    right = {"username": "officer_a", "password": "pass-word-123"}
    blocked = proxy.post("/accounts/login/", right, HTTP_X_FORWARDED_FOR="203.0.113.50")
    assert "此地址登录失败次数过多" in blocked.content.decode()
    other = Client()
    assert (
        other.post("/accounts/login/", right, HTTP_X_FORWARDED_FOR="198.51.100.1").status_code
        == 302
    )


@pytest.mark.django_db
def test_staff_login_goes_to_the_work_queue_and_is_audited(client, world):
    response = client.post(
        "/accounts/login/", {"username": "officer_a", "password": "pass-word-123"}
    )
    assert response.status_code == 302 and response["Location"] == "/backoffice/"
    assert AuditEvent.objects.filter(action="user.login", actor_id=world.officer_a.pk).exists()


@pytest.mark.django_db
def test_staff_create_requires_agency_and_known_roles(world):
    with pytest.raises(ValidationError):
        staff_create(
            actor=SYSTEM,
            username="n",
            password="Good-pass-2026",
            display_name="n",
            agency=None,
            roles=[Role.OFFICER],
        )
    with pytest.raises(ValidationError):
        staff_create(
            actor=SYSTEM,
            username="n",
            password="Good-pass-2026",
            display_name="n",
            agency=world.dept_a,
            roles=["boss"],
        )
    user = staff_create(
        actor=SYSTEM,
        username="n",
        password="Good-pass-2026",
        display_name="n",
        agency=world.dept_a,
        roles=[Role.OFFICER, Role.REVIEWER],
    )
    assert user.role_set == {Role.OFFICER, Role.REVIEWER}


@pytest.mark.django_db
def test_createstaff_cli(world, monkeypatch, capsys):
    from gongkai.cli import main

    monkeypatch.setattr("sys.stdin", io.StringIO("Good-pass-2026\n"))
    code = main(
        [
            "createstaff",
            "--username",
            "cli1",
            "--agency",
            "depta",
            "--role",
            "officer",
            "--password-stdin",
        ]
    )
    assert code == 0
    assert User.objects.get(username="cli1").agency == world.dept_a
    monkeypatch.setattr("sys.stdin", io.StringIO("Good-pass-2026\n"))
    assert (
        main(
            [
                "createstaff",
                "--username",
                "cli2",
                "--agency",
                "nope",
                "--role",
                "officer",
                "--password-stdin",
            ]
        )
        == 2
    )
    assert "找不到机关" in capsys.readouterr().err


@pytest.mark.django_db
def test_api_tokens_authenticate_until_revoked(world):
    from gongkai.apps.accounts.services import api_token_revoke

    token, key = api_token_create(actor=SYSTEM, user=world.officer_a, name="12345")
    assert api_token_authenticate(key) == world.officer_a
    assert api_token_authenticate(key + "x") is None
    api_token_revoke(actor=SYSTEM, token=token)
    assert api_token_authenticate(key) is None


@pytest.mark.django_db
def test_token_cli_prints_a_working_key_once(world, capsys):
    from gongkai.cli import main

    assert main(["token", "create", "--user", "officer_a", "--name", "12345"]) == 0
    key = capsys.readouterr().out.strip()
    assert api_token_authenticate(key) == world.officer_a
    assert main(["token", "create", "--user", "nobody", "--name", "x"]) == 2


@pytest.mark.django_db
def test_login_page_keeps_the_portal_identity(client):
    from gongkai.apps.organizations.models import PortalSettings

    PortalSettings.objects.create(site_name="测试市人民政府", sponsor="测试市政府办公室")
    html = client.get("/accounts/login/").content.decode()
    assert "测试市人民政府" in html and "测试市政府办公室" in html
