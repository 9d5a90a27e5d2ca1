from __future__ import annotations

from functools import cached_property
from typing import cast

from django.contrib.auth.models import AbstractUser
from django.db import models


class Role(models.TextChoices):
    OFFICER = "officer", "公开专员"
    REVIEWER = "reviewer", "审核人"
    HEAD = "head", "公开办负责人"
    SUPERVISOR = "supervisor", "市公开办"
    ADMIN = "admin", "系统管理员"


class User(AbstractUser):
    """Staff belong to an agency and hold roles; public users (applicants) have no agency."""

    display_name = models.CharField("姓名", max_length=50, blank=True)
    phone = models.CharField("手机号码", max_length=20, blank=True)
    agency = models.ForeignKey(
        "organizations.Agency",
        verbose_name="所属机关",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    # base32 key of the authenticator app (RFC 6238); empty: no second factor
    totp_secret = models.CharField("两步验证密钥", max_length=64, blank=True, default="")

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def audit_label(self) -> str:
        """Who acted, as audit trails show it: staff by name, agency and role, and the login;
        members of the public by account number only (their names are personal data, kept out
        of the chain: ADR 0083)."""
        if not self.is_agency_staff:
            return f"公众用户 #{self.pk}"
        roles = "、".join(Role(r).label for r in sorted(self.role_set) if r in Role.values)
        agency = self.agency.display_short if self.agency_id and self.agency else ""
        where = f"{agency}{roles}" if roles else agency
        detail = f"{where}，{self.username}" if where else self.username
        return f"{self.display_name or self.username}（{detail}）"

    @cached_property
    def role_set(self) -> frozenset[str]:
        if not self.pk:
            return frozenset()
        return frozenset(self.role_grants.values_list("role", flat=True))

    @property
    def is_agency_staff(self) -> bool:
        return self.is_active and (
            self.agency_id is not None or bool(self.role_set & {Role.SUPERVISOR, Role.ADMIN})
        )

    @property
    def is_public_user(self) -> bool:
        return not self.is_agency_staff


class RoleGrant(models.Model):
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="role_grants", verbose_name="用户"
    )
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    granted_at = models.DateTimeField("授予时间", auto_now_add=True)

    class Meta:
        verbose_name = "角色授予"
        verbose_name_plural = "角色授予"
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="rolegrant_user_role_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"


def user_or_none(actor: object) -> User | None:
    """The signed-in user who acts, for a ``created_by``-style field; None for the system and
    the anonymous public (an actor that is not authenticated)."""
    return cast(User, actor) if getattr(actor, "is_authenticated", False) else None


def staff_user(actor: object) -> User:
    """The actor as the staff user a permission check has already admitted (only a signed-in
    user holds a role), for a field that names who decided."""
    return cast(User, actor)


class ApiToken(models.Model):
    """A bearer token for machine clients (e.g. the 12345 hotline); only its hash is stored."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name="用户"
    )
    name = models.CharField("用途", max_length=100)
    prefix = models.CharField("前缀", max_length=12, db_index=True)
    key_hash = models.CharField("摘要", max_length=64, unique=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)

    class Meta:
        verbose_name = "接口令牌"
        verbose_name_plural = "接口令牌"

    def __str__(self) -> str:
        return f"{self.name}（{self.prefix}…）"
