"""Privacy review: settings (one row), reviews of any target, their sources and findings.

Findings never store the personal data they found: only its masked form, the masked sentence
or cell around it, and a keyed digest, so the review tables do not become a second copy of
the data they protect.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from gongkai.domain.privacy import KIND_LABELS, AddressStyle, KeepRule, Kind, MaskPolicy, NameStyle


class KindChoices(models.TextChoices):
    ID_NUMBER = Kind.ID_NUMBER.value, KIND_LABELS[Kind.ID_NUMBER]
    MOBILE = Kind.MOBILE.value, KIND_LABELS[Kind.MOBILE]
    LANDLINE = Kind.LANDLINE.value, KIND_LABELS[Kind.LANDLINE]
    BANK_CARD = Kind.BANK_CARD.value, KIND_LABELS[Kind.BANK_CARD]
    EMAIL = Kind.EMAIL.value, KIND_LABELS[Kind.EMAIL]
    PASSPORT = Kind.PASSPORT.value, KIND_LABELS[Kind.PASSPORT]
    TRAVEL_PERMIT = Kind.TRAVEL_PERMIT.value, KIND_LABELS[Kind.TRAVEL_PERMIT]
    LICENCE_PLATE = Kind.LICENCE_PLATE.value, KIND_LABELS[Kind.LICENCE_PLATE]
    ADDRESS = Kind.ADDRESS.value, KIND_LABELS[Kind.ADDRESS]
    NAME = Kind.NAME.value, KIND_LABELS[Kind.NAME]
    UNREADABLE = Kind.UNREADABLE.value, KIND_LABELS[Kind.UNREADABLE]


class NameStyleChoices(models.TextChoices):
    SURNAME_LAST = NameStyle.SURNAME_LAST.value, "保留姓和末字（张*、张*明）"
    SURNAME = NameStyle.SURNAME.value, "只保留姓（张*、张**）"


class AddressStyleChoices(models.TextChoices):
    CUT = AddressStyle.CUT.value, "删去门牌号及以下（人民路128号3栋 → 人民路）"
    STARS = AddressStyle.STARS.value, "门牌号及以下换成***（人民路***）"


def _unit(name: str, default: float, help_text: str) -> models.FloatField:
    return models.FloatField(
        name,
        default=default,
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
        help_text=help_text,
    )


class PrivacySettings(models.Model):
    """How strict the review is and how values are masked (one row, edited by administrators)."""

    threshold = _unit("拦截阈值", 0.5, "得分达到此值的发现未处理（遮盖或说明理由放行）前，不得公开")
    report_floor = _unit("提示阈值", 0.4, "得分低于此值的疑似信息不记录、不提示")
    mask_char = models.CharField("遮盖字符", max_length=1, default="*")
    id_keep_head = models.PositiveSmallIntegerField("身份证号保留前几位", default=6)
    id_keep_tail = models.PositiveSmallIntegerField("身份证号保留后几位", default=4)
    mobile_keep_head = models.PositiveSmallIntegerField("手机号码保留前几位", default=3)
    mobile_keep_tail = models.PositiveSmallIntegerField("手机号码保留后几位", default=4)
    bank_keep_tail = models.PositiveSmallIntegerField("银行卡号保留后几位", default=4)
    name_style = models.CharField(
        "姓名遮盖方式",
        max_length=20,
        choices=NameStyleChoices.choices,
        default=NameStyleChoices.SURNAME_LAST,
    )
    address_style = models.CharField(
        "住址遮盖方式",
        max_length=20,
        choices=AddressStyleChoices.choices,
        default=AddressStyleChoices.CUT,
    )
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "隐私审查设置"
        verbose_name_plural = "隐私审查设置"
        constraints = [
            models.CheckConstraint(
                condition=Q(threshold__gte=0) & Q(threshold__lte=1),
                name="privacysettings_threshold_range",
                violation_error_message="拦截阈值应在 0 到 1 之间",
            ),
            models.CheckConstraint(
                condition=Q(report_floor__gte=0) & Q(report_floor__lte=models.F("threshold")),
                name="privacysettings_floor_le_threshold",
                violation_error_message="提示阈值应在 0 到拦截阈值之间",
            ),
            models.CheckConstraint(
                condition=Q(id_keep_head__lte=8) & Q(id_keep_tail__lte=6),
                name="privacysettings_id_keep_hides_birth_date",
                violation_error_message="身份证号最多保留前8位、后6位，以免露出完整出生日期",
            ),
        ]

    def __str__(self) -> str:
        return "隐私审查设置"

    @classmethod
    def current(cls) -> PrivacySettings:
        return cls.objects.order_by("id").first() or cls()

    def policy(self) -> MaskPolicy:
        default = MaskPolicy()
        return MaskPolicy(
            char=self.mask_char or "*",
            id_number=KeepRule(self.id_keep_head, self.id_keep_tail),
            mobile=KeepRule(self.mobile_keep_head, self.mobile_keep_tail),
            landline=default.landline,
            bank_card=KeepRule(0, self.bank_keep_tail, 4),
            passport=default.passport,
            plate=default.plate,
            name=NameStyle(self.name_style),
            address=AddressStyle(self.address_style),
        )


class PrivacyReview(models.Model):
    """One review of one target (a document, a reply, a letter …) before it is published."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, verbose_name="对象类型")
    object_id = models.CharField("对象编号", max_length=64)
    target_label = models.CharField("审查对象", max_length=300)
    agency = models.ForeignKey(
        "organizations.Agency",
        verbose_name="机关",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="privacy_reviews",
    )
    fingerprint = models.CharField("内容指纹", max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发起人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("审查时间", auto_now_add=True)
    superseded_at = models.DateTimeField("被取代时间", null=True, blank=True)
    seconds = models.FloatField("用时（秒）", default=0)

    class Meta:
        verbose_name = "隐私审查"
        verbose_name_plural = "隐私审查"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["content_type", "object_id", "superseded_at"], name="privacy_review_target"
            ),
            models.Index(fields=["agency", "superseded_at"], name="privacy_review_agency"),
        ]

    def __str__(self) -> str:
        return f"隐私审查：{self.target_label}"

    def get_absolute_url(self) -> str:
        return reverse("privacy:review", args=[self.pk])

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None


class PrivacySource(models.Model):
    """One text or file that a review read (正文, 附件：名单.xlsx …)."""

    review = models.ForeignKey(PrivacyReview, on_delete=models.CASCADE, related_name="sources")
    position = models.PositiveSmallIntegerField("序号")
    label = models.CharField("内容", max_length=200)
    filename = models.CharField("文件名", max_length=255, blank=True)
    size = models.PositiveIntegerField("大小（字节）", default=0)
    char_count = models.PositiveIntegerField("字数", default=0)
    block_count = models.PositiveIntegerField("段落/单元格数", default=0)
    note = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        verbose_name = "审查内容"
        verbose_name_plural = "审查内容"
        ordering = ["review", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "position"], name="privacysource_position_unique"
            )
        ]

    def __str__(self) -> str:
        return self.label


class FindingStatus(models.TextChoices):
    OPEN = "open", "待处理"
    MASKED = "masked", "已遮盖"
    OVERRIDDEN = "overridden", "已说明理由放行"


class PrivacyFinding(models.Model):
    review = models.ForeignKey(PrivacyReview, on_delete=models.CASCADE, related_name="findings")
    source = models.ForeignKey(PrivacySource, on_delete=models.CASCADE, related_name="findings")
    location = models.CharField("位置", max_length=200)
    kind = models.CharField("类型", max_length=20, choices=KindChoices.choices)
    score = models.FloatField("得分")
    reason = models.CharField("依据", max_length=500)
    masked_value = models.CharField("遮盖后", max_length=200)
    context_before = models.CharField("前文（已遮盖）", max_length=200, blank=True)
    context_after = models.CharField("后文（已遮盖）", max_length=200, blank=True)
    digest = models.CharField("摘要", max_length=64, db_index=True)
    status = models.CharField(
        "处理状态", max_length=20, choices=FindingStatus.choices, default=FindingStatus.OPEN
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="处理人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resolved_at = models.DateTimeField("处理时间", null=True, blank=True)
    override_reason = models.CharField("放行理由", max_length=500, blank=True)
    carried_over = models.BooleanField("沿用上次处理", default=False)

    class Meta:
        verbose_name = "隐私发现"
        verbose_name_plural = "隐私发现"
        ordering = ["review", "source__position", "id"]
        indexes = [models.Index(fields=["review", "status", "score"], name="privacy_finding_open")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="overridden") | ~Q(override_reason=""),
                name="privacyfinding_override_needs_reason",
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=1), name="privacyfinding_score_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.masked_value}（{self.location}）"


class PrivacyCheck(models.Model):
    """A file or text a staff member checks on its own (自查, or a sweep of published files)."""

    agency = models.ForeignKey(
        "organizations.Agency", verbose_name="机关", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField("标题", max_length=200)
    text = models.TextField("文字内容", blank=True)
    file = models.FileField("文件", upload_to="privacy/checks/%Y/%m/", blank=True)
    filename = models.CharField("原文件名", max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="提交人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("提交时间", auto_now_add=True)

    class Meta:
        verbose_name = "隐私自查"
        verbose_name_plural = "隐私自查"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title
