"""Annual reports: the report an agency builds, edits and publishes; the figures it enters by
hand; the deadlines (as data); the reminders sent."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from gongkai.apps.organizations.models import AgencyKind


class ReportScope(models.TextChoices):
    SELF = "self", "本机关"
    GOVERNMENT = "government", "本级（政府及所属部门）"
    CITY = "city", "全辖区（含下级政府）"


class ReportFormatCode(models.TextChoices):
    F2008 = "2008", "2008年版（2018年度及以前）"
    F2019 = "2019", "2019年版（国办公开办函〔2019〕60号）"
    F2021 = "2021", "2021年版（国办公开办函〔2021〕30号）"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHING = "publishing", "正在发布"
    PUBLISHED = "published", "已发布"


class Report(models.Model):
    """One agency's 政府信息公开工作年度报告 for one year and scope."""

    agency = models.ForeignKey(
        "organizations.Agency", verbose_name="机关", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("报告年度")
    scope = models.CharField("统计范围", max_length=12, choices=ReportScope.choices)
    format_code = models.CharField("报告格式", max_length=4, choices=ReportFormatCode.choices)
    status = models.CharField(
        "状态", max_length=12, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    title = models.CharField("标题", max_length=200)
    narrative = models.JSONField("文字部分", default=dict, blank=True)
    # figures as computed from the records (cell id -> "123" / "12.5"), before this report's
    # own adjustments; ``values`` after them
    computed = models.JSONField("计算值", default=dict, blank=True)
    values = models.JSONField("报告数值", default=dict, blank=True)
    measures = models.JSONField("统计量", default=dict, blank=True)
    warnings = models.JSONField("数据提示", default=list, blank=True)
    validation = models.JSONField("校验结果", default=dict, blank=True)
    is_valid = models.BooleanField("校验通过", default=False)
    computed_at = models.DateTimeField("计算时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发布人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_html = models.TextField("发布的正文", blank=True)
    catalog_ref = models.CharField("公开目录文件", max_length=200, blank=True)

    class Meta:
        verbose_name = "年度报告"
        verbose_name_plural = "年度报告"
        ordering = ["-year", "agency__sort_order", "agency_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "scope"], name="report_agency_year_scope_unique"
            ),
        ]
        indexes = [models.Index(fields=["year", "status"], name="report_year_status_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == ReportStatus.PUBLISHED


class ReportFile(models.Model):
    """A published report's downloads (HTML, DOCX, PDF, XLSX)."""

    class Kind(models.TextChoices):
        HTML = "html", "网页（HTML）"
        DOCX = "docx", "Word 文档（DOCX）"
        PDF = "pdf", "PDF 文档"
        XLSX = "xlsx", "Excel 表格（XLSX）"

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField("类型", max_length=8, choices=Kind.choices)
    file = models.FileField("文件", upload_to="reports/%Y/")
    size = models.PositiveIntegerField("大小（字节）", default=0)
    sha256 = models.CharField("SHA-256", max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "年度报告文件"
        verbose_name_plural = "年度报告文件"
        constraints = [
            models.UniqueConstraint(fields=["report", "kind"], name="reportfile_report_kind_unique")
        ]

    def __str__(self) -> str:
        return f"{self.report} · {self.get_kind_display()}"


class ReportAdjustment(models.Model):
    """A cell set by hand, with the reason; shown in the report as 人工调整."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="adjustments")
    cell = models.CharField("单元格", max_length=80)
    value = models.DecimalField("调整后数值", max_digits=18, decimal_places=4)
    reason = models.CharField("调整原因", max_length=500)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "人工调整"
        verbose_name_plural = "人工调整"
        constraints = [
            models.UniqueConstraint(fields=["report", "cell"], name="adjustment_report_cell_unique")
        ]

    def __str__(self) -> str:
        return f"{self.cell} = {self.value}"


class EnteredFigure(models.Model):
    """A figure no record in the platform yields (行政许可、行政处罚决定数, 收费金额 …)."""

    agency = models.ForeignKey(
        "organizations.Agency", verbose_name="机关", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("年度")
    key = models.CharField("项目", max_length=60)
    value = models.DecimalField("数值", max_digits=18, decimal_places=4)
    note = models.CharField("来源说明", max_length=300, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "填报数据"
        verbose_name_plural = "填报数据"
        constraints = [
            models.UniqueConstraint(fields=["agency", "year", "key"], name="entered_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.year} {self.key} = {self.value}"


class ReportDeadline(models.Model):
    """When each kind of agency must publish last year's report (条例第四十九条), as data."""

    agency_kind = models.CharField("机关类型", max_length=20, choices=AgencyKind.choices)
    month = models.PositiveSmallIntegerField("截止月")
    day = models.PositiveSmallIntegerField("截止日")
    remind_month = models.PositiveSmallIntegerField("开始提醒月", default=1)
    remind_day = models.PositiveSmallIntegerField("开始提醒日", default=1)
    first_year = models.PositiveSmallIntegerField("适用的首个报告年度", default=2019)
    last_year = models.PositiveSmallIntegerField("适用的末个报告年度", null=True, blank=True)
    basis = models.CharField("依据", max_length=200)

    class Meta:
        verbose_name = "年度报告期限"
        verbose_name_plural = "年度报告期限"
        ordering = ["agency_kind", "-first_year"]

    def __str__(self) -> str:
        return f"{self.get_agency_kind_display()}：次年{self.month}月{self.day}日前"


class ReportReminder(models.Model):
    """A reminder sent, so each is sent once."""

    agency = models.ForeignKey("organizations.Agency", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    milestone = models.CharField(max_length=20)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "年度报告提醒"
        verbose_name_plural = "年度报告提醒"
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "milestone"], name="reminder_once_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.year} {self.milestone}"
