"""依申请公开 cases: the request, its steps (the deadline's inputs), documents, letters and appeals.

Every write goes through ``services``; views never save these models. Applicants' personal
data lives only on ``Application`` (never in audit snapshots, URLs or public pages).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.conf import settings
from django.db import models

from gongkai.apps.workcalendar.models import DueFields
from gongkai.domain.casestates import CaseState, ExtensionStatus
from gongkai.domain.deadlines import ReceiptChannel
from gongkai.domain.decisions import APPLICANT_TYPE_LABELS, DECISIONS
from gongkai.domain.fees import FeeMethod
from gongkai.domain.reportfacts import AppealKind, AppealResult, RequestChannel

STATE_CHOICES = [(s.value, s.label) for s in CaseState]
FEE_DELIVERY_CHOICES = [(c.value, c.label) for c in ReceiptChannel]
APPLICANT_TYPE_CHOICES = [(t.value, label) for t, label in APPLICANT_TYPE_LABELS.items()]
DECISION_CHOICES = [(d.code, d.label) for d in DECISIONS]


class RequestChannelChoices(models.TextChoices):
    ONLINE = RequestChannel.ONLINE.value, "网上申请"
    IN_PERSON = RequestChannel.IN_PERSON.value, "当面申请"
    LETTER = RequestChannel.LETTER.value, "信函申请"
    FAX = RequestChannel.FAX.value, "传真申请"
    EMAIL = RequestChannel.EMAIL.value, "电子邮件申请"


class LetterKind(models.TextChoices):
    REGISTERED = "registered", "挂号信或快递（有签收）"
    ORDINARY = "ordinary", "平常信函（无签收）"


class IdType(models.TextChoices):
    ID_CARD = "id_card", "居民身份证"
    PASSPORT = "passport", "护照"
    HK_MO_TW = "hk_mo_tw", "港澳台居民证件"
    OTHER = "other", "其他身份证明"
    USCC = "uscc", "统一社会信用代码"


class ProvideForm(models.TextChoices):
    PAPER = "paper", "纸质"
    ELECTRONIC = "electronic", "电子"
    INSPECT = "inspect", "查阅"


class DeliveryMethod(models.TextChoices):
    POST = "post", "邮寄"
    EMAIL = "email", "电子邮件"
    PICKUP = "pickup", "自行领取"
    ONLINE = "online", "网上获取"


class StepKind(models.TextChoices):
    """The steps of a case that have dates, a party, an outcome and usually a letter."""

    CORRECTION = "correction", "补正"
    EXTENSION = "extension", "延期"
    CONSULTATION = "consultation", "征求意见"
    FEE = "fee", "收费"
    REASONS = "reasons", "说明理由"
    DEFERRAL = "deferral", "延迟答复"
    DRAFT = "draft", "答复草稿"


# 征求意见: with whom, and what came of it
CONSULT_KINDS = {"third_party": "第三方", "other_agency": "其他机关"}
CONSULT_OUTCOMES = {
    "agree": "同意公开",
    "object": "不同意公开",
    "no_answer": "逾期未提出意见",
    "other": "其他意见",
}


class Application(DueFields):
    """One 政府信息公开申请 at one agency."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    agency = models.ForeignKey(
        "organizations.Agency", on_delete=models.PROTECT, related_name="+", verbose_name="机关"
    )
    number = models.CharField("登记号", max_length=20)
    year = models.PositiveSmallIntegerField("登记年度")
    seq = models.PositiveIntegerField("年度流水号")
    query_code_salt = models.CharField(max_length=32)
    query_code_hash = models.CharField(max_length=64)

    state = models.CharField("状态", max_length=20, choices=STATE_CHOICES)
    state_changed_at = models.DateTimeField("状态变更时间")

    channel = models.CharField("申请渠道", max_length=20, choices=RequestChannelChoices.choices)
    letter_kind = models.CharField(
        "信函种类", max_length=20, choices=LetterKind.choices, blank=True
    )
    provide_form = models.CharField(
        "获取信息的形式", max_length=20, choices=ProvideForm.choices, default=ProvideForm.ELECTRONIC
    )
    delivery = models.CharField(
        "获取信息的方式",
        max_length=20,
        choices=DeliveryMethod.choices,
        default=DeliveryMethod.ONLINE,
    )

    # 条例第二十九条第（一）项: 姓名或者名称、身份证明、联系方式 — never public
    applicant_type = models.CharField("申请人类型", max_length=20, choices=APPLICANT_TYPE_CHOICES)
    applicant_name = models.CharField("申请人姓名或名称", max_length=100)
    applicant_id_type = models.CharField("证件类型", max_length=20, choices=IdType.choices)
    applicant_id_number = models.CharField("证件号码", max_length=40)
    applicant_contact_person = models.CharField("联系人", max_length=50, blank=True)
    applicant_phone = models.CharField("联系电话", max_length=30)
    applicant_email = models.EmailField("电子邮箱", blank=True)
    applicant_address = models.CharField("通信地址", max_length=200, blank=True)
    applicant_postcode = models.CharField("邮政编码", max_length=6, blank=True)
    # where the applicant asked to be told of notices and replies (blank: not by this channel)
    notice_phone = models.CharField("短信通知号码", max_length=30, blank=True)
    notice_email = models.EmailField("邮件通知地址", blank=True)
    applicant_key = models.CharField(max_length=64)
    applicant_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="申请人账户",
    )

    # 条例第二十九条第（二）、（三）项
    description = models.TextField("所需政府信息的名称、文号或者便于查询的其他特征性描述")
    purpose = models.TextField("用途（选填）", blank=True)
    source_note = models.CharField("来源说明", max_length=300, blank=True)

    # 条例第三十一条: the receipt date depends on the channel
    submitted_on = models.DateField("提交日期")
    signed_for_on = models.DateField("签收日期", null=True, blank=True)
    confirmed_on = models.DateField("确认日期", null=True, blank=True)
    received_on = models.DateField("收到申请之日", db_index=True)

    due_date = models.DateField("答复期限", null=True, blank=True)
    # the date a letter last told the applicant, when that date was 暂定 (ADR 0012: the date on
    # the loaded calendar binds; both are shown on the case page when they differ)
    due_notified_on = models.DateField("已告知的暂定答复期限", null=True, blank=True)
    correction_notice_due = models.DateField("补正告知期限", null=True, blank=True)

    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="承办人",
    )
    accepted_on = models.DateField("受理日期", null=True, blank=True)

    # duplicate / mass flags (条例第三十五条、第三十六条第（六）项) for the handler to judge
    repeat_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="疑似重复申请",
    )
    repeat_score = models.FloatField("相似度", null=True, blank=True)
    mass_count = models.PositiveIntegerField("同一申请人近期申请数", default=0)
    flagged_mass = models.BooleanField("疑似大量申请", default=False)

    # the current extension's status stays on the header: the work queue filters on it (the
    # request, days, reason and decision are the extension step's)
    extension_status = models.CharField(
        "延期",
        max_length=20,
        choices=[(s.value, s.value) for s in ExtensionStatus],
        default=ExtensionStatus.NONE.value,
    )
    # the payment deadline of the current fee notice: like ``due_date`` an output of the
    # deadline engine, recomputed with it when the calendar changes (the notice is a step)
    fee_pay_until = models.DateField("缴费期限", null=True, blank=True)

    review_comment = models.TextField("审核意见", blank=True)
    referred_agency = models.ForeignKey(
        "organizations.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="负责公开的机关",
    )
    referred_other = models.CharField(
        "负责公开的机关（平台外）及联系方式", max_length=300, blank=True
    )
    forward = models.BooleanField("同时转交该机关办理", default=False)

    decision = models.CharField("答复类型", max_length=40, choices=DECISION_CHOICES, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="审核人",
    )
    closed_on = models.DateField("办结日期", null=True, blank=True, db_index=True)
    on_time = models.BooleanField("按时办结", null=True, blank=True)

    delivered_on = models.DateField("送达日期", null=True, blank=True)
    delivery_method = models.CharField("送达方式", max_length=20, blank=True)
    delivery_ref = models.CharField("送达凭证", max_length=100, blank=True)
    archived_on = models.DateField("归档日期", null=True, blank=True)
    withdraw_reason = models.TextField("撤回理由", blank=True)

    forwarded_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="forwarded_to",
        verbose_name="转来自",
    )
    last_reminded_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "政府信息公开申请"
        verbose_name_plural = "政府信息公开申请"
        ordering = ["-received_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year", "seq"], name="app_agency_year_seq"),
            models.UniqueConstraint(fields=["agency", "number"], name="app_agency_number"),
        ]
        indexes = [
            # the work queue: open states of an agency by due date (an (agency, due_date) index
            # would tempt SQLite to walk every closed case in due-date order instead)
            models.Index(fields=["agency", "state", "due_date"], name="app_queue_idx"),
            models.Index(fields=["agency", "received_on"], name="app_agency_received_idx"),
            models.Index(
                fields=["agency", "applicant_key", "received_on"], name="app_applicant_idx"
            ),
            models.Index(fields=["agency", "closed_on"], name="app_agency_closed_idx"),
            models.Index(fields=["officer", "state"], name="app_officer_idx"),
            models.Index(fields=["applicant_user", "received_on"], name="app_user_idx"),
            models.Index(fields=["number"], name="app_number_idx"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def state_enum(self) -> CaseState:
        return CaseState(self.state)

    @property
    def is_open(self) -> bool:
        return self.state_enum.is_open

    # ── the case's steps (ADR 0170): the per-step facts are rows of ``CaseStep``; these
    # read-only properties give the current step's values under the names letters,
    # templates and the audit snapshot use ──────────────────────────────────────────────

    def current_step(self, kind: Any) -> CaseStep | None:
        """The latest step of ``kind``. The case's steps are read once (one query for all the
        properties a page or a letter reads) and kept until a service writes a step, which
        reads them afresh (``services.common.steps_reload``)."""
        if self.pk is None:
            return None
        if "steps" not in getattr(self, "_prefetched_objects_cache", {}):
            models.prefetch_related_objects([self], "steps")
        rows = [s for s in self.steps.all() if s.kind == kind]  # the prefetched rows
        return rows[-1] if rows else None

    def _step_value(self, kind: Any, name: str, default: Any = None) -> Any:
        step = self.current_step(kind)
        if step is None:
            return default
        if name in ("started_on", "until", "ended_on", "party", "outcome", "actor_id"):
            return getattr(step, name)
        return step.details.get(name, default)

    def _step_date(self, kind: Any, name: str) -> dt.date | None:
        value = self._step_value(kind, name)
        return dt.date.fromisoformat(value) if value else None

    @property
    def correction_items(self) -> str:
        return self._step_value(StepKind.CORRECTION, "items", "")

    @property
    def correction_sent_on(self) -> dt.date | None:
        return self._step_value(StepKind.CORRECTION, "started_on")

    @property
    def correction_until(self) -> dt.date | None:
        return self._step_value(StepKind.CORRECTION, "until")

    @property
    def correction_received_on(self) -> dt.date | None:
        return self._step_value(StepKind.CORRECTION, "ended_on")

    @property
    def extension_days(self) -> int:
        return self._step_value(StepKind.EXTENSION, "days", 0)

    @property
    def extension_reason(self) -> str:
        return self._step_value(StepKind.EXTENSION, "reason", "")

    @property
    def extension_decided_on(self) -> dt.date | None:
        return self._step_value(StepKind.EXTENSION, "ended_on")

    @property
    def consult_kind(self) -> str:
        return self._step_value(StepKind.CONSULTATION, "consult_kind", "")

    @property
    def consult_party(self) -> str:
        return self._step_value(StepKind.CONSULTATION, "party", "")

    @property
    def consult_started_on(self) -> dt.date | None:
        return self._step_value(StepKind.CONSULTATION, "started_on")

    @property
    def fee_method(self) -> str:
        return self._step_value(StepKind.FEE, "method", "")

    def get_fee_method_display(self) -> str:
        return FeeMethod(self.fee_method).label if self.fee_method else ""

    @property
    def fee_units(self) -> int:
        return self._step_value(StepKind.FEE, "units", 0)

    @property
    def fee_amount(self) -> int:
        return self._step_value(StepKind.FEE, "amount", 0)

    @property
    def fee_noticed_on(self) -> dt.date | None:
        return self._step_value(StepKind.FEE, "started_on")

    @property
    def fee_delivery(self) -> str:
        return self._step_value(StepKind.FEE, "delivery", "")

    def get_fee_delivery_display(self) -> str:
        return ReceiptChannel(self.fee_delivery).label if self.fee_delivery else ""

    @property
    def fee_served_on(self) -> dt.date | None:
        """The day the applicant received the notice (第三十一条's rules): the payment period
        runs from here; empty while a posted notice is not yet signed for."""
        return self._step_date(StepKind.FEE, "served_on")

    @property
    def fee_paid_on(self) -> dt.date | None:
        return self._step_value(StepKind.FEE, "ended_on")

    @property
    def reasons_grounds(self) -> str:
        return self._step_value(StepKind.REASONS, "grounds", "")

    @property
    def reasons_requested_on(self) -> dt.date | None:
        return self._step_value(StepKind.REASONS, "started_on")

    @property
    def reasons_until(self) -> dt.date | None:
        return self._step_value(StepKind.REASONS, "until")

    @property
    def reasons_accepted_on(self) -> dt.date | None:
        return self._step_value(StepKind.REASONS, "ended_on")

    @property
    def deferred_until(self) -> dt.date | None:
        return self._step_value(StepKind.DEFERRAL, "until")

    @property
    def draft_decision(self) -> str:
        return self._step_value(StepKind.DRAFT, "decision", "")

    def get_draft_decision_display(self) -> str:
        return dict(DECISION_CHOICES).get(self.draft_decision, self.draft_decision)

    @property
    def draft_text(self) -> str:
        return self._step_value(StepKind.DRAFT, "text", "")

    @property
    def draft_by_id(self) -> int | None:
        return self._step_value(StepKind.DRAFT, "actor_id")

    @property
    def draft_by(self) -> Any:
        step = self.current_step(StepKind.DRAFT)
        return step.actor if step is not None else None


class DocumentKind(models.TextChoices):
    APPLICATION_FORM = "application_form", "申请表或申请信原件"
    ENVELOPE = "envelope", "信封"
    APPLICANT_FILE = "applicant_file", "申请人提交的材料"
    CORRECTION = "correction", "补正材料"
    RELEASED = "released", "公开的政府信息"
    CONSULT_REPLY = "consult_reply", "征求意见回复"
    DELIVERY_PROOF = "delivery_proof", "送达凭证"
    OTHER = "other", "其他"


# what the applicant may download from the public case view
APPLICANT_VISIBLE_KINDS = (
    DocumentKind.APPLICATION_FORM,
    DocumentKind.APPLICANT_FILE,
    DocumentKind.CORRECTION,
    DocumentKind.RELEASED,
)


def _upload_to(instance: CaseDocument, filename: str) -> str:
    return f"applications/{instance.application.agency_id}/{instance.application.year}/{uuid.uuid4().hex}"


class CaseDocument(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField("类别", max_length=30, choices=DocumentKind.choices)
    original_name = models.CharField("文件名", max_length=200)
    file = models.FileField(upload_to=_upload_to, max_length=300)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    withdrawn = models.BooleanField("已撤下", default=False)
    # a released file's published rendition (ADR 0032): what the applicant downloads, made
    # from the privacy review's decisions when the reply is approved
    released_file = models.FileField(
        "送申请人的文件（遮盖后）", upload_to=_upload_to, max_length=300, blank=True
    )
    released_sha256 = models.CharField(max_length=64, blank=True)
    released_note = models.CharField("遮盖说明", max_length=300, blank=True)

    class Meta:
        verbose_name = "案件材料"
        verbose_name_plural = "案件材料"
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class LetterType(models.TextChoices):
    REPLY = "reply", "政府信息公开申请答复书"
    CORRECTION = "correction", "补正告知书"
    EXTENSION = "extension", "延期答复告知书"
    CONSULTATION = "consultation", "征求意见函"
    FEE = "fee", "收费通知书"
    REASONS = "reasons", "说明理由告知书"
    DEFERRAL = "deferral", "延迟答复告知书"


class CaseLetter(models.Model):
    """A numbered letter as issued; its text never changes after issue."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="letters")
    kind = models.CharField("文书类型", max_length=20, choices=LetterType.choices)
    number = models.CharField("文号", max_length=60)
    issued_on = models.DateField("日期")
    title = models.CharField("标题", max_length=100)
    addressee = models.CharField("主送", max_length=200)
    body = models.TextField("正文")
    decision = models.CharField(max_length=40, blank=True)
    sha256 = models.CharField(max_length=64)
    to_applicant = models.BooleanField("送申请人", default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "文书"
        verbose_name_plural = "文书"
        ordering = ["issued_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "number"], name="letter_app_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.number}）"


class CaseStep(models.Model):
    """One step of a case (ADR 0170): 补正, 延期, 征求意见, 收费, 说明理由, 延迟答复 or a reply
    draft — when it started, the date it set, when it ended, with whom and how, its letter
    and who took it. A case has as many rows of a kind as it took such steps; the latest is
    the current one. Kind-specific values (fee method and amount, extension days, correction
    items …) are in ``details``."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField("步骤", max_length=20, choices=StepKind.choices)
    started_on = models.DateField("开始日期")
    until = models.DateField("期限", null=True, blank=True)
    ended_on = models.DateField("结束日期", null=True, blank=True)
    party = models.CharField("相对方", max_length=200, blank=True)
    outcome = models.CharField("结果", max_length=40, blank=True)
    letter = models.ForeignKey(
        CaseLetter,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="文书",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="经办人",
    )
    details = models.JSONField("其他事项", default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "办理步骤"
        verbose_name_plural = "办理步骤"
        ordering = ["started_on", "id"]
        indexes = [models.Index(fields=["application", "kind"], name="step_app_kind_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.started_on.isoformat()}"


class LetterTemplate(models.Model):
    """Editable wording of a letter; replies have one per decision type (configuration)."""

    kind = models.CharField("文书类型", max_length=20, choices=LetterType.choices)
    variant = models.CharField(
        "适用情形",
        max_length=40,
        blank=True,
        help_text="答复书填答复类型代码；征求意见函填 third_party 或 other_agency；其他留空",
    )
    title = models.CharField("标题", max_length=100)
    body = models.TextField(
        "正文模板",
        help_text="用 {占位符} 引用案件信息，如 {申请人}、{收到日期}、{申请内容}、{依据}、{机关名称}",
    )
    is_active = models.BooleanField("启用", default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "文书模板"
        verbose_name_plural = "文书模板"
        constraints = [
            models.UniqueConstraint(fields=["kind", "variant"], name="lettertemplate_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}·{self.variant or '通用'}"


class LetterSettings(models.Model):
    """Per-agency letter numbering (configuration): e.g. 市交通局依申请答〔2026〕12号."""

    agency = models.OneToOneField(
        "organizations.Agency", on_delete=models.CASCADE, related_name="+", verbose_name="机关"
    )
    reply_prefix = models.CharField("答复书文号前缀", max_length=30)
    notice_prefix = models.CharField("告知书文号前缀", max_length=30)

    class Meta:
        verbose_name = "文书编号设置"
        verbose_name_plural = "文书编号设置"

    def __str__(self) -> str:
        return self.reply_prefix


class NumberCounter(models.Model):
    """Last number issued per agency, year and series; locked while the next is taken."""

    agency = models.ForeignKey("organizations.Agency", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    series = models.CharField(max_length=20)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "series"], name="counter_agency_year_series"
            )
        ]

    def __str__(self) -> str:
        return f"{self.series}-{self.year}: {self.last}"


class FeeTierRow(models.Model):
    """One tier of the 信息处理费 (configuration; the 2020 national tiers are the default)."""

    method = models.CharField(
        "计收方式", max_length=20, choices=[(m.value, m.label) for m in FeeMethod]
    )
    lower = models.PositiveIntegerField("自（含）")
    upper = models.PositiveIntegerField("至（含，空为不设上限）", null=True, blank=True)
    unit_price = models.PositiveIntegerField("单价（元）")
    step = models.PositiveIntegerField("分档步长", null=True, blank=True)
    step_increase = models.PositiveIntegerField("每档加价（元）", default=0)
    valid_from = models.DateField("施行日期")
    valid_to = models.DateField("废止日期", null=True, blank=True)
    source = models.CharField("依据", max_length=200, blank=True)

    class Meta:
        verbose_name = "信息处理费收费档次"
        verbose_name_plural = "信息处理费收费档次"
        ordering = ["method", "valid_from", "lower"]

    def __str__(self) -> str:
        return f"{self.get_method_display()} {self.lower}—{self.upper or '∞'}：{self.unit_price}元"


class CaseRules(models.Model):
    """Thresholds the handlers work with (configuration, one row)."""

    repeat_similarity = models.FloatField("重复申请相似度阈值", default=0.8)
    repeat_window_days = models.PositiveIntegerField("重复申请比对范围（天）", default=365)
    mass_window_days = models.PositiveIntegerField("大量申请统计范围（天）", default=30)
    mass_threshold = models.PositiveIntegerField("大量申请提示阈值（件）", default=10)
    reminder_working_days = models.PositiveSmallIntegerField("到期提醒（工作日）", default=3)
    correction_days = models.PositiveSmallIntegerField("默认补正期限（工作日）", default=15)
    reasons_days = models.PositiveSmallIntegerField(
        "默认说明理由期限（工作日，条例第三十五条）", default=10
    )
    proactive_min_applicants = models.PositiveSmallIntegerField("建议主动公开的申请人数", default=2)
    proactive_similarity = models.FloatField("建议主动公开相似度阈值", default=0.6)

    class Meta:
        verbose_name = "办理规则"
        verbose_name_plural = "办理规则"

    def __str__(self) -> str:
        return "依申请公开办理规则"

    @classmethod
    def current(cls) -> CaseRules:
        return cls.objects.order_by("id").first() or cls()


class Appeal(models.Model):
    """行政复议 or 行政诉讼 against the handling of a case (年报表四)."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="appeals")
    agency = models.ForeignKey("organizations.Agency", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(
        "类型",
        max_length=30,
        choices=[
            (AppealKind.RECONSIDERATION.value, "行政复议"),
            (AppealKind.LITIGATION_DIRECT.value, "行政诉讼（未经复议直接起诉）"),
            (AppealKind.LITIGATION_AFTER.value, "行政诉讼（复议后起诉）"),
        ],
    )
    filed_on = models.DateField("申请或起诉日期")
    body = models.CharField("复议机关或人民法院", max_length=100)
    case_number = models.CharField("案号", max_length=60, blank=True)
    result = models.CharField(
        "结果",
        max_length=20,
        choices=[
            (AppealResult.UPHELD.value, "维持"),
            (AppealResult.CORRECTED.value, "纠正"),
            (AppealResult.OTHER.value, "其他"),
            (AppealResult.PENDING.value, "尚未审结"),
        ],
        default=AppealResult.PENDING.value,
    )
    decided_on = models.DateField("审结日期", null=True, blank=True)
    note = models.TextField("说明", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "行政复议和诉讼"
        verbose_name_plural = "行政复议和诉讼"
        ordering = ["filed_on", "id"]
        indexes = [models.Index(fields=["agency", "filed_on"], name="appeal_agency_filed_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.case_number}".strip()


class ProactiveSuggestion(models.Model):
    """条例第四十四条: information released to several applicants, suggested for 主动公开."""

    agency = models.ForeignKey("organizations.Agency", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=64)
    title = models.CharField("建议标题", max_length=200)
    application_ids = models.JSONField(default=list)
    status = models.CharField(
        max_length=20,
        choices=[("created", "已生成目录草稿"), ("dismissed", "不予采纳")],
    )
    catalog_ref = models.CharField(max_length=100, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "key"], name="suggestion_agency_key")
        ]

    def __str__(self) -> str:
        return self.title
