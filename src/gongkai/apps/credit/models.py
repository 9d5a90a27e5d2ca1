"""双公示 and 行政执法公示 records: 行政许可, 行政处罚 and 行政强制 decisions with the national
fields (gongkai.domain.credit.FIELDS), their publication deadline and publicity period.

The raw party data (names and certificate numbers of natural persons) is kept for the
deciding agency only; what the public sees is stored apart, already masked (``public_*``),
so no public page, feed, export or API reads the raw columns.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse

from gongkai.apps.workcalendar.models import DueFields
from gongkai.domain.credit import CreditState, Field, IdType, PartyKind, RecordKind, Severity


class Channel(models.TextChoices):
    FORM = "form", "后台录入"
    API = "api", "业务系统接口"
    IMPORT = "import", "文件导入"
    DEMO = "demo", "演示数据"


class CreditRecord(DueFields):
    kind = models.CharField("类型", max_length=10, choices=RecordKind.choices())
    state = models.CharField(
        "状态", max_length=12, choices=CreditState.choices(), default=CreditState.DRAFT
    )
    agency = models.ForeignKey(
        "organizations.Agency",
        on_delete=models.PROTECT,
        related_name="credit_records",
        verbose_name="决定机关（本平台）",
    )
    channel = models.CharField("来源渠道", max_length=10, choices=Channel.choices)
    # 行政相对人
    party_name = models.CharField("行政相对人名称", max_length=200)
    party_kind = models.CharField("行政相对人类别", max_length=12, choices=PartyKind.choices())
    uscc = models.CharField("统一社会信用代码", max_length=18, blank=True, db_index=True)
    reg_number = models.CharField("工商注册号", max_length=30, blank=True)
    org_code = models.CharField("组织机构代码", max_length=10, blank=True)
    tax_number = models.CharField("税务登记号", max_length=30, blank=True)
    institution_number = models.CharField("事业单位证书号", max_length=30, blank=True)
    social_org_number = models.CharField("社会组织登记证号", max_length=30, blank=True)
    legal_rep = models.CharField("法定代表人", max_length=50, blank=True)
    legal_rep_id_type = models.CharField(
        "法定代表人证件类型", max_length=10, choices=IdType.choices(), blank=True
    )
    legal_rep_id_number = models.CharField("法定代表人证件号码", max_length=30, blank=True)
    id_type = models.CharField("证件类型", max_length=10, choices=IdType.choices(), blank=True)
    id_number = models.CharField("证件号码", max_length=30, blank=True)
    minor = models.BooleanField("未成年人", default=False)
    # 决定
    doc_name = models.CharField("决定文书名称", max_length=200)
    doc_number = models.CharField("决定文书号", max_length=100)
    category = models.CharField("类别", max_length=100)
    licence_name = models.CharField("许可证书名称", max_length=200, blank=True)
    licence_number = models.CharField("许可编号", max_length=100, blank=True)
    violation_type = models.CharField("违法行为类型", max_length=200, blank=True)
    facts = models.TextField("违法事实", blank=True)
    basis = models.TextField("依据", blank=True)
    content = models.TextField("内容")
    fine_wan = models.DecimalField(
        "罚款金额（万元）", max_digits=18, decimal_places=6, null=True, blank=True
    )
    confiscated_wan = models.DecimalField(
        "没收金额（万元）", max_digits=18, decimal_places=6, null=True, blank=True
    )
    suspended_licence = models.CharField("暂扣或吊销证照名称及编号", max_length=200, blank=True)
    decided_on = models.DateField("决定日期", db_index=True)
    valid_from = models.DateField("有效期自", null=True, blank=True)
    valid_to = models.DateField("有效期至", null=True, blank=True)
    authority_name = models.CharField("决定机关", max_length=200)
    authority_uscc = models.CharField("决定机关统一社会信用代码", max_length=18)
    source_name = models.CharField("数据来源单位", max_length=200)
    source_uscc = models.CharField("数据来源单位统一社会信用代码", max_length=18)
    severity = models.CharField("情节", max_length=10, choices=Severity.choices(), blank=True)
    field = models.CharField("领域", max_length=12, choices=Field.choices(), blank=True)
    remarks = models.CharField("备注", max_length=1000, blank=True)
    # publicity
    public_name = models.CharField("公示名称", max_length=200, db_index=True)
    public_id_number = models.CharField("公示证件号码", max_length=30, blank=True)
    public_until = models.DateField("公示截止期", null=True, blank=True, db_index=True)
    repair_from = models.DateField("可申请信用修复日期", null=True, blank=True)
    publicity_note = models.CharField("公示期说明", max_length=300, blank=True)
    published_at = models.DateTimeField("公示时间", null=True, blank=True)
    withdrawn_at = models.DateTimeField("撤下时间", null=True, blank=True)
    withdraw_reason = models.CharField("撤下理由", max_length=500, blank=True)
    replaces = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name="更正的原记录",
    )
    created_at = models.DateTimeField("登记时间")
    updated_at = models.DateTimeField("更新时间")

    class Meta:
        verbose_name = "双公示信息"
        verbose_name_plural = "双公示信息"
        constraints = [
            models.UniqueConstraint(
                fields=["authority_uscc", "doc_number"],
                condition=~Q(state="superseded"),
                name="credit_docno_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "kind", "decided_on"], name="credit_public_idx"),
            models.Index(fields=["agency", "state", "due_date"], name="credit_queue_idx"),
            models.Index(fields=["updated_at"], name="credit_changed_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.doc_number} {self.public_name}"

    def get_absolute_url(self) -> str:
        return reverse("credit:record", args=[self.pk])

    def get_backoffice_url(self) -> str:
        return reverse("credit:bo_record", args=[self.pk])

    @property
    def is_public(self) -> bool:
        return self.state == CreditState.PUBLISHED


class ListKind(models.TextChoices):
    RED = "red", "红名单"
    BLACK = "black", "黑名单"


class ListEntry(models.Model):
    """A red or black list entry (守信激励 / 失信惩戒) with its basis and period."""

    kind = models.CharField("名单", max_length=5, choices=ListKind.choices)
    agency = models.ForeignKey(
        "organizations.Agency",
        on_delete=models.PROTECT,
        related_name="credit_list_entries",
        verbose_name="认定机关",
    )
    name = models.CharField("主体名称", max_length=200)
    uscc = models.CharField("统一社会信用代码", max_length=18, db_index=True)
    basis = models.CharField("认定依据", max_length=500)
    listed_on = models.DateField("列入日期")
    until = models.DateField("有效期至", null=True, blank=True)
    active = models.BooleanField("有效", default=True)
    created_at = models.DateTimeField("登记时间")

    class Meta:
        verbose_name = "红黑名单"
        verbose_name_plural = "红黑名单"
        ordering = ["-listed_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name}"


class ExchangeBatch(models.Model):
    """One day's exchange files for the provincial credit platform (ADR 0150)."""

    day = models.DateField("交换日期", unique=True)
    records = models.PositiveIntegerField("记录数")
    added = models.PositiveIntegerField("新增")
    changed = models.PositiveIntegerField("变更")
    withdrawn = models.PositiveIntegerField("撤下")
    sha256 = models.CharField("摘要", max_length=64)
    rows = models.JSONField("批次记录", default=list)
    created_at = models.DateTimeField("生成时间")

    class Meta:
        verbose_name = "信用信息交换批次"
        verbose_name_plural = "信用信息交换批次"
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"信用信息交换 {self.day}"


class CreditName(models.Model):
    """A distinct public name (行政相对人名称 as the public sees it, already masked).

    With its suffixes (``CreditNameSuffix``) a name fragment is found by a prefix range on an
    index instead of a ``LIKE '%…%'`` scan of every record (ADR 0152). Names are only added;
    a name no record uses any more finds nothing, since the records are read through the
    public filter."""

    name = models.CharField("名称", max_length=200, unique=True)

    class Meta:
        verbose_name = "公示名称"
        verbose_name_plural = "公示名称"

    def __str__(self) -> str:
        return self.name


class CreditNameSuffix(models.Model):
    """Every suffix of a name, cut to ``namesearch.SUFFIX_CHARS`` characters: a fragment is the
    prefix of one of them. The PostgreSQL index uses the pattern operator class so that
    ``LIKE 'fragment%'`` uses it under any database collation."""

    suffix = models.CharField("后缀", max_length=16)
    name = models.ForeignKey(
        CreditName, on_delete=models.CASCADE, related_name="suffixes", db_index=False
    )

    class Meta:
        verbose_name = "公示名称后缀"
        verbose_name_plural = "公示名称后缀"
        indexes = [
            models.Index(
                fields=["suffix", "name"],
                name="credit_name_suffix_idx",
                opclasses=["varchar_pattern_ops", "int8_ops"],
            )
        ]

    def __str__(self) -> str:
        return self.suffix
