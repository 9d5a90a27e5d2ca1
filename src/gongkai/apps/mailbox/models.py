"""政府信箱 and 12345: letters, their handling history, the public Q&A column, imports.

A letter is always in one agency's hands (``agency``): the dispatch office while it waits to be
routed (市长信箱 letters), then the agency that answers it. Personal data of the writer lives
only on ``Letter``; the public column reads ``PublicLetter``, a masked copy made when a letter
is published with the writer's consent, so public pages never touch personal fields.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from gongkai.apps.jobs.models import ImportBatchBase
from gongkai.apps.workcalendar.models import DueFields
from gongkai.domain.mailbox import CATEGORY_LABELS, Category, LetterState


class LetterCategory(models.TextChoices):
    CONSULT = Category.CONSULT.value, CATEGORY_LABELS[Category.CONSULT]
    SUGGESTION = Category.SUGGESTION.value, CATEGORY_LABELS[Category.SUGGESTION]
    COMPLAINT = Category.COMPLAINT.value, CATEGORY_LABELS[Category.COMPLAINT]
    HELP = Category.HELP.value, CATEGORY_LABELS[Category.HELP]
    OTHER = Category.OTHER.value, CATEGORY_LABELS[Category.OTHER]


class LetterSource(models.TextChoices):
    PORTAL = "portal", "网上信箱"
    HOTLINE = "hotline", "12345热线"


# the form of gongkai.domain.mailbox.LetterState (one list of states and labels)
LetterStatus = models.TextChoices(
    "LetterStatus", [(state.name, (state.value, state.label)) for state in LetterState]
)


OPEN_STATUSES = (LetterStatus.RECEIVED, LetterStatus.HANDLING, LetterStatus.REVIEW)
CLOSED_WITH_REPLY = (LetterStatus.ANSWERED, LetterStatus.REDIRECTED, LetterStatus.CONVERTED)


class RedirectChannel(models.TextChoices):
    PETITION = "petition", "信访"
    REPORT = "report", "纪检监察举报"
    COMPLAINT = "complaint", "行政投诉"
    LITIGATION = "litigation", "诉讼、仲裁等法定途径"
    OTHER = "other", "其他渠道"


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASIC = "basic", "基本满意"
    UNSATISFIED = "unsatisfied", "不满意"


class PublishStatus(models.TextChoices):
    NO_CONSENT = "none", "未同意公开"
    PENDING = "pending", "待发布"
    PUBLISHED = "published", "已公开"
    REFUSED = "refused", "不予公开"


class MailboxSettings(models.Model):
    """Singleton configuration (edited in the admin, audited)."""

    dispatch_agency = models.ForeignKey(
        "organizations.Agency",
        verbose_name="分办机关（市长信箱）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="受理市长信箱来信并分办、转办的机关，通常为市政府办公室；未设置时为市人民政府",
    )
    unanswered_alert_months = models.PositiveSmallIntegerField(
        "未答复预警（月）",
        default=3,
        help_text="政府网站检查指标：政务咨询类留言超过3个月未答复属“互动回应差”",
    )
    publish_default_on = models.BooleanField(
        "公开意愿默认勾选", default=False, help_text="写信页面“同意公开”复选框是否默认勾选"
    )

    class Meta:
        verbose_name = "政府信箱设置"
        verbose_name_plural = "政府信箱设置"

    def __str__(self) -> str:
        return "政府信箱设置"


class TimeLimit(models.Model):
    """答复时限 per category, in working days, valid from a date (law is data)."""

    category = models.CharField("类别", max_length=20, choices=LetterCategory.choices)
    working_days = models.PositiveSmallIntegerField("答复时限（工作日）")
    valid_from = models.DateField("起始日期")
    valid_to = models.DateField("截止日期", null=True, blank=True)
    source = models.CharField("依据", max_length=200, blank=True)

    class Meta:
        verbose_name = "答复时限"
        verbose_name_plural = "答复时限"
        ordering = ["category", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "valid_from"], name="mailbox_timelimit_unique"
            ),
            models.CheckConstraint(
                condition=Q(working_days__gte=1) & Q(working_days__lte=60),
                name="mailbox_timelimit_days_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}：{self.working_days}个工作日（{self.valid_from}起）"


class RoutingRule(models.Model):
    """A keyword rule the dispatcher sees as a suggestion: words (and a category) -> agency."""

    name = models.CharField("规则名称", max_length=100)
    keywords = models.CharField(
        "关键词", max_length=500, help_text="用空格或逗号分隔；信件标题或内容含任一关键词即匹配"
    )
    category = models.CharField(
        "限定类别", max_length=20, choices=LetterCategory.choices, blank=True
    )
    agency = models.ForeignKey(
        "organizations.Agency", verbose_name="建议承办机关", on_delete=models.CASCADE
    )
    weight = models.PositiveSmallIntegerField("权重", default=10)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "分办规则"
        verbose_name_plural = "分办规则"
        ordering = ["-weight", "id"]

    def __str__(self) -> str:
        return f"{self.name} → {self.agency}"

    @property
    def keyword_list(self) -> list[str]:
        return [w for w in self.keywords.replace("，", ",").replace(",", " ").split() if w]


class HotlineImport(ImportBatchBase):
    """One import of a 12345 work-order file (or of an API batch). Row errors carry the
    work-order number as ``ref``."""

    file = models.FileField("文件", upload_to="mailbox/imports/%Y/%m/", blank=True)
    skipped = models.PositiveIntegerField("已存在（跳过）", default=0)

    class Meta(ImportBatchBase.Meta):
        verbose_name = "12345工单导入"
        verbose_name_plural = "12345工单导入"


class LetterCounter(models.Model):
    """Last letter sequence used on a day (locked while numbers are handed out)."""

    day = models.DateField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "信件编号计数"
        verbose_name_plural = "信件编号计数"

    def __str__(self) -> str:
        return f"{self.day}：{self.last}"


class Letter(DueFields):
    number = models.CharField("信件编号", max_length=20, unique=True)
    query_code_hash = models.CharField("查询码摘要", max_length=64, blank=True)
    source = models.CharField("来源", max_length=10, choices=LetterSource.choices)
    hotline_order_no = models.CharField(
        "12345工单编号", max_length=40, null=True, blank=True, unique=True
    )
    hotline_import = models.ForeignKey(
        HotlineImport,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="letters",
        verbose_name="导入批次",
    )
    submit_token = models.CharField(
        "提交令牌", max_length=64, null=True, blank=True, unique=True, editable=False
    )
    category = models.CharField("类别", max_length=20, choices=LetterCategory.choices)
    addressee = models.ForeignKey(
        "organizations.Agency",
        verbose_name="收信机关",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="空表示市长信箱",
    )
    subject = models.CharField("标题", max_length=200)
    content = models.TextField("内容")
    # the writer's personal data: shown only to the handling staff and to the writer
    writer_name = models.CharField("姓名", max_length=50, blank=True)
    writer_phone = models.CharField("联系电话", max_length=30, blank=True)
    writer_email = models.EmailField("电子邮箱", blank=True)
    writer_address = models.CharField("通信地址", max_length=200, blank=True)
    writer_id_number = models.CharField("身份证号码", max_length=18, blank=True)
    writer_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mailbox_letters",
        verbose_name="写信人账户",
    )
    consent_publish = models.BooleanField("同意公开", default=False)

    status = models.CharField(
        "状态", max_length=12, choices=LetterStatus.choices, default=LetterStatus.RECEIVED
    )
    agency = models.ForeignKey(
        "organizations.Agency",
        verbose_name="承办机关",
        on_delete=models.PROTECT,
        related_name="mailbox_letters",
    )
    received_at = models.DateTimeField("收信时间")
    received_on = models.DateField("收信日期")
    time_limit_days = models.PositiveSmallIntegerField("答复时限（工作日）")
    due_date = models.DateField("答复期限", null=True, blank=True)
    assigned_at = models.DateTimeField("分办时间", null=True, blank=True)

    draft_reply = models.TextField("答复草稿", blank=True)
    draft_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="草稿撰写人",
    )
    reply = models.TextField("答复内容", blank=True)
    replied_at = models.DateTimeField("答复时间", null=True, blank=True)
    replied_on = models.DateField("答复日期", null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="审核签发人",
    )
    handling_days = models.PositiveSmallIntegerField("办理用时（工作日）", null=True, blank=True)
    on_time = models.BooleanField("按期答复", null=True, blank=True)
    redirect_channel = models.CharField(
        "告知渠道", max_length=12, choices=RedirectChannel.choices, blank=True
    )
    application_number = models.CharField("依申请公开登记号", max_length=40, blank=True)
    invalid_reason = models.CharField("无效原因", max_length=300, blank=True)

    satisfaction = models.CharField(
        "满意度", max_length=12, choices=Satisfaction.choices, blank=True
    )
    satisfaction_comment = models.CharField("评价意见", max_length=500, blank=True)
    rated_at = models.DateTimeField("评价时间", null=True, blank=True)

    publish_status = models.CharField(
        "公开状态", max_length=10, choices=PublishStatus.choices, default=PublishStatus.NO_CONSENT
    )
    publish_refused_reason = models.CharField("不予公开理由", max_length=300, blank=True)
    public_subject = models.CharField("公开标题（已遮蔽）", max_length=200, blank=True)
    public_content = models.TextField("公开来信（已遮蔽）", blank=True)
    public_reply = models.TextField("公开答复（已遮蔽）", blank=True)
    public_prepared_at = models.DateTimeField("公开稿生成时间", null=True, blank=True)

    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "信件"
        verbose_name_plural = "信件"
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["agency", "status", "due_date"], name="letter_agency_status_idx"),
            models.Index(fields=["agency", "received_on"], name="letter_agency_received_idx"),
            models.Index(fields=["status", "received_on"], name="letter_status_received_idx"),
            models.Index(fields=["received_on", "agency"], name="letter_received_idx"),
            models.Index(fields=["writer_user", "received_at"], name="letter_writer_idx"),
            models.Index(fields=["publish_status", "agency"], name="letter_publish_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(replied_at__isnull=True) | Q(status__in=CLOSED_WITH_REPLY),
                name="letter_reply_only_when_closed",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=CLOSED_WITH_REPLY) | Q(replied_on__isnull=False),
                name="letter_closed_has_reply_date",
            ),
            models.CheckConstraint(
                condition=~Q(publish_status="published") | Q(consent_publish=True),
                name="letter_published_only_with_consent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.subject}"

    def get_absolute_url(self) -> str:
        return reverse("mailbox:bo_detail", args=[self.number])

    @property
    def consent_label(self) -> str:
        """What the writer agreed to and where publication stands, in one phrase."""
        if not self.consent_publish:
            return "不同意公开"
        return {
            PublishStatus.PENDING: "同意公开，公开稿待发布",
            PublishStatus.PUBLISHED: "同意公开，已公开",
            PublishStatus.REFUSED: "同意公开，经审查不予公开",
        }.get(self.publish_status, "同意公开，尚未准备公开稿")

    @property
    def addressee_label(self) -> str:
        if self.addressee_id and self.addressee:
            return self.addressee.name
        return "12345热线" if self.source == LetterSource.HOTLINE else "市长信箱"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_closed_with_reply(self) -> bool:
        return self.status in CLOSED_WITH_REPLY


class LetterEventKind(models.TextChoices):
    ASSIGN = "assign", "分办"
    TRANSFER = "transfer", "转办"
    RETURN = "return", "退回分办"
    DRAFT = "draft", "保存答复草稿"
    SUBMIT = "submit", "提交审核"
    SEND_BACK = "send_back", "退回修改"
    ANSWER = "answer", "答复"
    REDIRECT = "redirect", "告知其他渠道"
    CONVERT = "convert", "转为依申请公开"
    INVALID = "invalid", "认定无效"
    RATE = "rate", "满意度评价"
    PUBLISH_PREPARE = "publish_prepare", "生成公开稿"
    PUBLISH = "publish", "公开"
    PUBLISH_REFUSE = "publish_refuse", "不予公开"
    UNPUBLISH = "unpublish", "撤销公开"
    DUE_RECOMPUTE = "due_recompute", "重新计算期限"


class LetterEvent(models.Model):
    """What happened to a letter after it was received (routing history included)."""

    letter = models.ForeignKey(
        Letter, on_delete=models.CASCADE, related_name="events", verbose_name="信件"
    )
    kind = models.CharField("事项", max_length=20, choices=LetterEventKind.choices)
    at = models.DateTimeField("时间")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="操作人",
    )
    actor_label = models.CharField("操作人", max_length=200, blank=True)
    from_agency = models.ForeignKey(
        "organizations.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="原承办机关",
    )
    to_agency = models.ForeignKey(
        "organizations.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="新承办机关",
    )
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "信件办理记录"
        verbose_name_plural = "信件办理记录"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.letter.number} {self.get_kind_display()}"


def _attachment_path(instance: LetterAttachment, filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"mailbox/attachments/{secrets.token_hex(2)}/{secrets.token_hex(12)}.{suffix}"


class LetterAttachment(models.Model):
    """A file sent with a letter: never public, served only through a permission check."""

    letter = models.ForeignKey(
        Letter, on_delete=models.CASCADE, related_name="attachments", verbose_name="信件"
    )
    file = models.FileField("文件", upload_to=_attachment_path)
    name = models.CharField("原文件名", max_length=200)
    size = models.PositiveIntegerField("大小（字节）")
    content_type = models.CharField("类型", max_length=100, blank=True)

    class Meta:
        verbose_name = "信件附件"
        verbose_name_plural = "信件附件"

    def __str__(self) -> str:
        return self.name


class PublicLetter(models.Model):
    """The masked copy shown in the public mailbox column (only letters published with consent)."""

    letter = models.OneToOneField(
        Letter, on_delete=models.CASCADE, related_name="public", verbose_name="信件"
    )
    number = models.CharField("信件编号", max_length=20, unique=True)
    category = models.CharField("类别", max_length=20, choices=LetterCategory.choices)
    agency = models.ForeignKey(
        "organizations.Agency",
        verbose_name="答复机关",
        on_delete=models.PROTECT,
        related_name="+",
    )
    source = models.CharField("来源", max_length=10, choices=LetterSource.choices)
    subject = models.CharField("标题", max_length=200)
    content = models.TextField("来信内容")
    reply = models.TextField("答复内容")
    received_on = models.DateField("来信日期")
    replied_on = models.DateField("答复日期")
    published_at = models.DateTimeField("公开时间")

    class Meta:
        verbose_name = "公开信件"
        verbose_name_plural = "公开信件"
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["-published_at", "-id"], name="publetter_recent_idx"),
            models.Index(
                fields=["agency", "-published_at", "-id"], name="publetter_agency_recent_idx"
            ),
            models.Index(
                fields=["category", "-published_at", "-id"], name="publetter_cat_recent_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.subject}"

    def get_absolute_url(self) -> str:
        return reverse("mailbox:public_detail", args=[self.number])


class ClassifierModel(models.Model):
    """A trained letter classifier (naive Bayes over rjieba words) with its measured accuracy."""

    trained_at = models.DateTimeField("训练时间", auto_now_add=True)
    examples = models.PositiveIntegerField("训练信件数")
    tested = models.PositiveIntegerField("留出检验信件数")
    accuracy = models.FloatField("准确率（首选）")
    top3_accuracy = models.FloatField("前三命中率")
    labels = models.PositiveIntegerField("机关数")
    vocabulary = models.PositiveIntegerField("词表大小")
    holdout_share = models.FloatField("留出比例")
    params = models.JSONField("模型参数")
    is_active = models.BooleanField("当前使用", default=True)
    trained_by_label = models.CharField("训练人", max_length=200, blank=True)

    class Meta:
        verbose_name = "分办分类模型"
        verbose_name_plural = "分办分类模型"
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"分类模型 #{self.pk}（准确率 {self.accuracy:.1%}）"
