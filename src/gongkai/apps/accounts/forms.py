import hashlib

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from gongkai.apps.accounts.errors import LoginRateLimited
from gongkai.apps.accounts.services import (
    login_check_allowed,
    login_record_failure,
    login_record_success,
)
from gongkai.apps.audit.middleware import client_ip

KNOWN_DEVICE_COOKIE = "gk_known"
KNOWN_DEVICE_SALT = "gongkai.accounts.known-device"
KNOWN_DEVICE_AGE = 180 * 24 * 3600


def _account_mark(username: str) -> str:
    return hashlib.sha256(username.strip().lower().encode("utf-8")).hexdigest()[:16]


def known_accounts(request) -> list[str]:
    """Accounts that have signed in from this browser before (a signed cookie, ADR 0082)."""
    value = request.get_signed_cookie(
        KNOWN_DEVICE_COOKIE, default="", salt=KNOWN_DEVICE_SALT, max_age=KNOWN_DEVICE_AGE
    )
    return [mark for mark in value.split(",") if mark]


def remember_account(request, response, username: str) -> None:
    marks = [m for m in known_accounts(request) if m != _account_mark(username)][-9:]
    response.set_signed_cookie(
        KNOWN_DEVICE_COOKIE,
        ",".join([*marks, _account_mark(username)]),
        salt=KNOWN_DEVICE_SALT,
        max_age=KNOWN_DEVICE_AGE,
        httponly=True,
        secure=request.is_secure(),
        samesite="Lax",
    )


class RateLimitedLoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码不正确。",
        "inactive": "该账户已停用。",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = "用户名"
        self.fields["password"].label = "密码"

    def clean(self):
        username = str(self.data.get("username", ""))[:150]
        ip = client_ip(self.request) if self.request else ""
        known = bool(self.request) and _account_mark(username) in known_accounts(self.request)
        try:
            login_check_allowed(username, ip, known_device=known)
        except LoginRateLimited as exc:
            raise forms.ValidationError(str(exc), code="rate_limited") from exc
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            login_record_failure(username, ip)
            raise
        login_record_success(username, ip, known_device=known)
        return cleaned


class RegisterForm(forms.Form):
    username = forms.CharField(
        label="用户名", max_length=150, help_text="手机号、邮箱或字母数字组合"
    )
    display_name = forms.CharField(label="姓名或名称", max_length=50)
    email = forms.EmailField(label="电子邮箱", required=False)
    phone = forms.RegexField(
        label="手机号码",
        regex=r"^1[3-9]\d{9}$",
        required=False,
        error_messages={"invalid": "请输入11位手机号码"},
    )
    password1 = forms.CharField(label="密码", widget=forms.PasswordInput, min_length=8)
    password2 = forms.CharField(label="确认密码", widget=forms.PasswordInput)

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", "两次输入的密码不一致")
        return cleaned
