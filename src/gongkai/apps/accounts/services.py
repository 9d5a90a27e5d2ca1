from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction

from gongkai import clock, ratelimit
from gongkai.apps.accounts.errors import LoginRateLimited
from gongkai.apps.accounts.models import ApiToken, Role, RoleGrant, User
from gongkai.apps.audit.actors import Actor
from gongkai.apps.audit.services import audit_record
from gongkai.domain.accounts import AccountAction

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
        # the chain keeps no personal data: it references the account and names the fields
        # that were given (PIPL art. 47: the account can be erased, the chain cannot; ADR 0083)
        audit_record(
            actor=user,
            action=AccountAction.REGISTER,
            obj=user,
            object_label=user.audit_label,
            after={
                "account": user.pk,
                "given": [f for f in ("display_name", "email", "phone") if getattr(user, f)],
            },
        )
    return user


def staff_create(
    *,
    actor: Actor,
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
            action=AccountAction.STAFF_CREATE,
            obj=user,
            agency_id=user.agency_id,
            after=_user_snapshot(user),
        )
    return user


def role_set_for(*, actor: Actor, user: User, roles: list[str]) -> User:
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
            action=AccountAction.ROLES_SET,
            obj=user,
            agency_id=user.agency_id,
            before={"roles": before["roles"]},
            after={"roles": sorted(set(roles))},
        )
    return user


# login: progressive delay per account, a limit per address (ADR 0082) -----------------------


def login_rules() -> tuple[ratelimit.Rule, ratelimit.Rule]:
    window = settings.LOGIN_RATE_WINDOW
    free = settings.LOGIN_RATE_LIMIT
    # an address gets more room than one account: offices share a NAT address
    return ratelimit.Rule("login-account", free, window), ratelimit.Rule(
        "login-address", free * 4, window
    )


def login_delay(attempt: int) -> int:
    """Seconds the account waits after attempt number ``attempt`` of its window before the
    next one is checked: none within the first LOGIN_RATE_LIMIT - 1, then 1, 2, 4 … seconds,
    at most LOGIN_MAX_DELAY. Never a lock: the owner can always try again soon."""
    beyond = attempt - settings.LOGIN_RATE_LIMIT
    if beyond < 0:
        return 0
    return int(min(2**beyond, settings.LOGIN_MAX_DELAY))


def login_bucket(username: str, known_device: bool) -> str:
    """Whose attempts share a delay: the account, or the account on a browser where it has
    signed in before (a stranger's failures never slow the owner down there)."""
    name = username.strip().lower()
    return f"{name}\x00known" if known_device else name


def login_check_allowed(username: str, ip: str, *, known_device: bool = False) -> None:
    """Count one attempt before the password is checked; refuse it (uncounted) while the
    account's delay runs or the address is over its limit. Atomic: parallel attempts are each
    counted, and once the free attempts are spent one at a time gets through per delay."""
    account, address = login_rules()
    if not ratelimit.check(address, ip).allowed:
        raise LoginRateLimited(f"此地址登录失败次数过多，请 {address.minutes} 分钟后再试")
    bucket = login_bucket(username, known_device)
    attempt = ratelimit.hit(account, bucket).count
    wait = login_delay(attempt)
    if wait and not ratelimit.claim("login", bucket, wait):
        ratelimit.undo(account, bucket)
        raise LoginRateLimited(
            f"该账户登录失败次数较多，请 {max(1, login_delay(attempt - 1))} 秒后再试"
        )


def login_record_failure(username: str, ip: str) -> None:
    ratelimit.hit(login_rules()[1], ip)


def login_record_success(username: str, ip: str, *, known_device: bool = False) -> None:
    bucket = login_bucket(username, known_device)
    ratelimit.reset(login_rules()[0], bucket)
    ratelimit.release("login", bucket)


# API tokens ------------------------------------------------------------------------------------


def _hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def api_token_create(*, actor: Actor, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token and return it with the clear key, shown once."""
    key = "gk_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name, prefix=key[:10], key_hash=_hash_key(key)
        )
        audit_record(
            actor=actor,
            action=AccountAction.API_TOKEN_CREATE,
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


def api_token_revoke(*, actor: Actor, token: ApiToken) -> None:
    with transaction.atomic():
        token.revoked_at = clock.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            action=AccountAction.API_TOKEN_REVOKE,
            obj=token,
            agency_id=token.user.agency_id,
        )


# second factor (TOTP, RFC 6238) for staff -------------------------------------------------------

TOTP_ISSUER = "gongkai"


def totp_new_secret() -> str:
    import pyotp

    return pyotp.random_base32()


def totp_uri(user: User, secret: str) -> str:
    import pyotp

    return pyotp.TOTP(secret).provisioning_uri(name=user.get_username(), issuer_name=TOTP_ISSUER)


def totp_verify(user: User, secret: str, code: str) -> bool:
    """A code of this or the neighbouring 30-second step, each step usable once per account."""
    import pyotp

    code = "".join(ch for ch in str(code) if ch.isdigit())
    if len(code) != 6 or not secret:
        return False
    totp = pyotp.TOTP(secret)
    now = clock.now()
    for offset in (0, -30, 30):
        at = now.timestamp() + offset
        if secrets.compare_digest(totp.at(at), code):
            step = int(at // 30)
            # a code seen once is spent, on every server (the gate outlives its step)
            return ratelimit.claim("totp-step", f"{user.pk}:{step}", 120)
    return False


def _totp_set(*, actor: Actor, user: User, secret: str) -> None:
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(totp_secret=secret)
        user.totp_secret = secret
        audit_record(
            actor=actor,
            action=AccountAction.TOTP_ENABLE if secret else AccountAction.TOTP_DISABLE,
            obj=user,
            agency_id=user.agency_id,
            object_label=user.audit_label,
            after={"totp": bool(secret)},  # never the key itself
        )


def user_totp_enable(*, actor: Actor, user: User, secret: str, code: str) -> None:
    if not totp_verify(user, secret, code):
        raise ValidationError({"code": "验证码不正确或已使用，请查看验证器中的最新 6 位数字"})
    _totp_set(actor=actor, user=user, secret=secret)


def user_totp_disable(*, actor: Actor, user: User, code: str) -> None:
    if not totp_verify(user, user.totp_secret, code):
        raise ValidationError({"code": "验证码不正确或已使用"})
    _totp_set(actor=actor, user=user, secret="")
