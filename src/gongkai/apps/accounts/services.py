from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction

from gongkai import clock
from gongkai.apps.accounts.errors import LoginRateLimited
from gongkai.apps.accounts.models import ApiToken, Role, RoleGrant, User
from gongkai.apps.audit.services import audit_record

USER_AUDIT_FIELDS = (
    "username",
    "display_name",
    "email",
    "phone",
    "agency",
    "is_active",
    "is_staff",
)


def _user_snapshot(user: User) -> dict[str, Any]:
    return {
        "username": user.username,
        "display_name": user.display_name,
        "email": user.email,
        "phone": user.phone,
        "agency": user.agency_id,
        "is_active": user.is_active,
        "roles": sorted(user.role_grants.values_list("role", flat=True)) if user.pk else [],
    }


def user_register(
    *, username: str, password: str, display_name: str, email: str = "", phone: str = ""
) -> User:
    """A member of the public creates an account (申请人账户)."""
    username = username.strip()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": "该用户名已被注册"})
    user = User(
        username=username,
        display_name=display_name.strip(),
        email=email.strip(),
        phone=phone.strip(),
    )
    password_validation.validate_password(password, user)
    with transaction.atomic():
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save()
        audit_record(actor=user, action="user.register", obj=user, after=_user_snapshot(user))
    return user


def staff_create(
    *,
    actor: Any,
    username: str,
    password: str,
    display_name: str,
    agency: Any,
    roles: list[str],
    email: str = "",
    validate_password: bool = True,
) -> User:
    unknown = set(roles) - set(Role.values)
    if unknown:
        raise ValidationError({"roles": f"未知角色：{'、'.join(sorted(unknown))}"})
    if agency is None and not set(roles) & {Role.SUPERVISOR, Role.ADMIN}:
        raise ValidationError({"agency": "工作人员必须属于一个机关"})
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": f"用户名“{username}”已存在"})
    user = User(username=username, display_name=display_name, agency=agency, email=email)
    user.is_staff = Role.ADMIN in roles  # Django admin is for configuration data only
    user.is_superuser = Role.ADMIN in roles
    if validate_password:
        password_validation.validate_password(password, user)
    with transaction.atomic():
        user.set_password(password)
        user.save()
        RoleGrant.objects.bulk_create(
            [RoleGrant(user=user, role=role) for role in sorted(set(roles))]
        )
        audit_record(
            actor=actor,
            action="user.staff_create",
            obj=user,
            agency_id=user.agency_id,
            after=_user_snapshot(user),
        )
    return user


def role_set_for(*, actor: Any, user: User, roles: list[str]) -> User:
    with transaction.atomic():
        before = _user_snapshot(user)
        RoleGrant.objects.filter(user=user).exclude(role__in=roles).delete()
        existing = set(RoleGrant.objects.filter(user=user).values_list("role", flat=True))
        RoleGrant.objects.bulk_create(
            [RoleGrant(user=user, role=r) for r in sorted(set(roles) - existing)]
        )
        user.__dict__.pop("role_set", None)
        audit_record(
            actor=actor,
            action="user.roles_set",
            obj=user,
            agency_id=user.agency_id,
            before={"roles": before["roles"]},
            after={"roles": sorted(set(roles))},
        )
    return user


# login rate limiting -------------------------------------------------------------------------


def _limit_keys(username: str, ip: str) -> list[str]:
    digest = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:24]
    return [f"login-fail:user:{digest}", f"login-fail:ip:{ip}"]


def login_check_allowed(username: str, ip: str) -> None:
    limit = settings.LOGIN_RATE_LIMIT
    for key in _limit_keys(username, ip):
        # an address gets more room than one account: offices share a NAT address
        allowed = limit * 4 if ":ip:" in key else limit
        if (cache.get(key) or 0) >= allowed:
            minutes = max(1, settings.LOGIN_RATE_WINDOW // 60)
            raise LoginRateLimited(f"登录失败次数过多，请 {minutes} 分钟后再试")


def login_record_failure(username: str, ip: str) -> None:
    for key in _limit_keys(username, ip):
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=settings.LOGIN_RATE_WINDOW)


def login_record_success(username: str, ip: str) -> None:
    cache.delete(_limit_keys(username, ip)[0])


# API tokens ------------------------------------------------------------------------------------


def _hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def api_token_create(*, actor: Any, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token and return it with the clear key, shown once."""
    key = "gk_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name, prefix=key[:10], key_hash=_hash_key(key)
        )
        audit_record(
            actor=actor,
            action="api_token.create",
            obj=token,
            agency_id=user.agency_id,
            after={"user": user.pk, "name": name, "prefix": token.prefix},
        )
    return token, key


def api_token_authenticate(key: str) -> User | None:
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_hash_key(key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=clock.now())
    return token.user


def api_token_revoke(*, actor: Any, token: ApiToken) -> None:
    with transaction.atomic():
        token.revoked_at = clock.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor, action="api_token.revoke", obj=token, agency_id=token.user.agency_id
        )
