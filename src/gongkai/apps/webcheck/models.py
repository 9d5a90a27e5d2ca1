"""政府网站与政务新媒体检查: registry, indicators per year, checks, samples, rectification."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from gongkai.apps.workcalendar.models import DueFields
from gongkai.domain.webcheck.indicators import verdict_label, veto_text
from gongkai.domain.webcheck.sampling import drawn_sites
from gongkai.domain.webcheck.states import CheckState, RectifyState, SampleState


class SiteLevel(models.TextChoices):
    PORTAL = "portal", "政府门户网站"
    DEPARTMENT = "department", "部门网站"
    DISTRICT = "district", "区县政府门户网站"
    OTHER = "other", "其他"


class SiteStatus(models.TextChoices):
    OPEN = "open", "开设"
    MERGED = "merged", "整合"
    CLOSED = "closed", "关停"


class Site(models.Model):
    name = models.CharField("网站名称", max_length=100)
    site_code = models.CharField("网站标识码", max_length=10, unique=True)
    domain = models.CharField("域名", max_length=200)
    home_url = models.URLField("首页地址", max_length=300)
    icp = models.CharField("ICP备案号", max_length=60, blank=True)
    sponsor = models.ForeignKey(
        "organizations.Agency",
        verbose_name="主办单位",
        on_delete=models.PROTECT,
        related_name="sponsored_sites",
    )
    operator = models.ForeignKey(
        "organizations.Agency",
        verbose_name="承办（运维）单位",
        on_delete=models.PROTECT,
        related_name="operated_sites",
    )
    level = models.CharField("类别", max_length=20, choices=SiteLevel.choices)
    status = models.CharField(
        "状态", max_length=10, choices=SiteStatus.choices, default=SiteStatus.OPEN
    )
    status_approval = models.CharField("开设/整合/关停批复", max_length=200, blank=True)
    # [{"name": "要闻动态", "url": "...", "kind": "dynamic|notice|policy|other"}]
    columns = models.JSONField("应更新栏目", default=list, blank=True)
    respect_robots = models.BooleanField("遵守 robots.txt", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "政府网站"
        verbose_name_plural = "政府网站"
        ordering = ["site_code"]

    def __str__(self) -> str:
        return f"{self.name}（{self.site_code}）"

    def get_backoffice_url(self) -> str:
        return reverse("webcheck:site", args=[self.pk])


class MediaPlatform(models.TextChoices):
    WECHAT = "wechat", "微信公众号"
    WEIBO = "weibo", "微博"
    DOUYIN = "douyin", "抖音"
    TOUTIAO = "toutiao", "今日头条"
    APP = "app", "移动客户端"
    OTHER = "other", "其他"


class MediaAccount(models.Model):
    platform = models.CharField("平台", max_length=20, choices=MediaPlatform.choices)
    name = models.CharField("账号名称", max_length=100)
    account_id = models.CharField("账号ID", max_length=100, blank=True)
    sponsor = models.ForeignKey(
        "organizations.Agency",
        verbose_name="主办单位",
        on_delete=models.PROTECT,
        related_name="media_accounts",
    )
    status = models.CharField(
        "状态", max_length=10, choices=SiteStatus.choices, default=SiteStatus.OPEN
    )
    status_approval = models.CharField("开设/整合/关停批复", max_length=200, blank=True)
    url = models.URLField("主页地址", max_length=300, blank=True)
    interactive = models.BooleanField("提供留言、评论或私信", default=True)
    recorded_until = models.DateField("发布记录截至", null=True, blank=True)

    class Meta:
        verbose_name = "政务新媒体账号"
        verbose_name_plural = "政务新媒体账号"
        unique_together = [("platform", "name")]
        ordering = ["platform", "name"]

    def __str__(self) -> str:
        return f"{self.get_platform_display()}：{self.name}"

    def get_backoffice_url(self) -> str:
        return reverse("webcheck:account", args=[self.pk])


class MediaPost(models.Model):
    """One recorded post of an account (imported from the platform's export or read from its
    archive page); ``key`` keeps a re-import from counting it twice."""

    account = models.ForeignKey(MediaAccount, on_delete=models.CASCADE, related_name="posts")
    key = models.CharField(max_length=32)
    published_on = models.DateField("发布日期")
    title = models.CharField("标题", max_length=200)
    url = models.CharField("链接", max_length=500, blank=True)
    original = models.BooleanField("原创", default=True)
    text = models.TextField("正文", blank=True)

    class Meta:
        verbose_name = "新媒体发布记录"
        verbose_name_plural = "新媒体发布记录"
        unique_together = [("account", "key")]
        indexes = [models.Index(fields=["account", "-published_on"])]

    def __str__(self) -> str:
        return f"{self.published_on} {self.title}"


class MediaMessage(models.Model):
    """A valid message left to an account (留言、评论、私信 needing an answer): dates only."""

    account = models.ForeignKey(MediaAccount, on_delete=models.CASCADE, related_name="messages")
    number = models.CharField("留言编号", max_length=60)
    received_on = models.DateField("留言日期")
    replied_on = models.DateField("回复日期", null=True, blank=True)

    class Meta:
        verbose_name = "新媒体留言记录"
        verbose_name_plural = "新媒体留言记录"
        unique_together = [("account", "number")]

    def __str__(self) -> str:
        return self.number


class MediaCheck(models.Model):
    """One check of one 政务新媒体 account, scored from its records by the year's indicators."""

    account = models.ForeignKey(MediaAccount, on_delete=models.PROTECT, related_name="checks")
    checked_on = models.DateField("检查日期")
    year = models.PositiveIntegerField("指标年度")
    observations = models.JSONField("检查所见", null=True, blank=True)
    result = models.JSONField("评分结果", null=True, blank=True)
    verdict = models.CharField("结论", max_length=10, blank=True)
    score = models.DecimalField("得分", max_digits=5, decimal_places=1, null=True, blank=True)
    vetoes = models.CharField("单项否决", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "政务新媒体检查"
        verbose_name_plural = "政务新媒体检查"
        ordering = ["-checked_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.account} {self.checked_on}"

    def get_backoffice_url(self) -> str:
        return reverse("webcheck:media_check", args=[self.pk])

    @property
    def verdict_label(self) -> str:
        return verdict_label(self.verdict)

    @property
    def veto_labels(self) -> str:
        return veto_text(self.vetoes)


class IndicatorSet(models.Model):
    """The indicators of one year, as data (gongkai.domain.webcheck.indicators.default_rules)."""

    year = models.PositiveIntegerField("年度", unique=True)
    rules = models.JSONField("指标与分值")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "年度检查指标"
        verbose_name_plural = "年度检查指标"

    def __str__(self) -> str:
        return f"{self.year}年度检查指标"


class WordEntry(models.Model):
    """The maintained list of 错别字 and 严重表述错误."""

    wrong = models.CharField("错误写法", max_length=60, unique=True)
    right = models.CharField("正确写法", max_length=60)
    serious = models.BooleanField("严重表述错误（单项否决）", default=False)
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "错别字词条"
        verbose_name_plural = "错别字词条"

    def __str__(self) -> str:
        return f"{self.wrong} → {self.right}"


class ProbeDay(models.Model):
    """Availability probes of a site's home page, counted per day (bounded storage)."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="probe_days")
    day = models.DateField("日期")
    probes = models.PositiveIntegerField("访问次数", default=0)
    failures = models.PositiveIntegerField("无法打开次数", default=0)

    class Meta:
        unique_together = [("site", "day")]

    def __str__(self) -> str:
        return f"{self.site_id} {self.day}"


class Sample(models.Model):
    """A half-monthly or quarterly sample of the sites, drawn verifiably."""

    class Kind(models.TextChoices):
        HALF_MONTH = "half_month", "半月抽查"
        QUARTER = "quarter", "季度全面检查"

    number = models.CharField("编号", max_length=40, unique=True)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    period_start = models.DateField("期间起")
    period_end = models.DateField("期间止")
    ratio = models.CharField("抽查比例", max_length=20)
    state = models.CharField(
        "状态", max_length=10, choices=SampleState.choices, default=SampleState.FROZEN
    )
    commitment = models.JSONField("抽取承诺")
    commitment_hash = models.CharField("承诺哈希", max_length=64)
    record = models.JSONField("抽取记录", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "网站抽查"
        verbose_name_plural = "网站抽查"
        ordering = ["-period_start", "-pk"]

    def __str__(self) -> str:
        return self.number

    def get_backoffice_url(self) -> str:
        return reverse("webcheck:sample", args=[self.pk])

    @property
    def drawn_codes(self) -> list[str]:
        return drawn_sites(self.record) if self.record else []


class Check(models.Model):
    """One check of one site: crawl, observations, score by the year's indicators."""

    class Reason(models.TextChoices):
        MANUAL = "manual", "人工发起"
        SAMPLE = "sample", "抽查"
        RECHECK = "recheck", "整改复查"
        RECORDED = "recorded", "导入的检查记录"

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="checks")
    sample = models.ForeignKey(
        Sample, null=True, blank=True, on_delete=models.PROTECT, related_name="checks"
    )
    reason = models.CharField("发起原因", max_length=20, choices=Reason.choices)
    state = models.CharField(
        "状态", max_length=10, choices=CheckState.choices, default=CheckState.QUEUED
    )
    checked_on = models.DateField("检查日期")
    year = models.PositiveIntegerField("指标年度")
    crawl_state = models.JSONField("抓取进度", null=True, blank=True)
    observations = models.JSONField("检查所见", null=True, blank=True)
    result = models.JSONField("评分结果", null=True, blank=True)
    verdict = models.CharField("结论", max_length=10, blank=True)
    score = models.DecimalField("得分", max_digits=5, decimal_places=1, null=True, blank=True)
    vetoes = models.CharField("单项否决", max_length=200, blank=True)
    pages = models.PositiveIntegerField("抓取页面数", default=0)
    requests = models.PositiveIntegerField("请求数", default=0)
    error = models.CharField("错误", max_length=300, blank=True)
    job_id = models.IntegerField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "网站检查"
        verbose_name_plural = "网站检查"
        ordering = ["-checked_on", "-pk"]
        indexes = [models.Index(fields=["site", "-checked_on"])]

    def __str__(self) -> str:
        return f"{self.site.name} {self.checked_on}"

    @property
    def agency_id(self) -> int:
        return self.site.operator_id

    def get_backoffice_url(self) -> str:
        return reverse("webcheck:check", args=[self.pk])


class BrokenLinkSeen(models.Model):
    """Since when a link of a site has been broken (consecutive days, across checks)."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="broken_links")
    url = models.CharField(max_length=1000)
    url_hash = models.CharField(max_length=32)
    first_seen = models.DateField("首次发现")
    last_seen = models.DateField("最近发现")

    class Meta:
        unique_together = [("site", "url_hash")]

    def __str__(self) -> str:
        return self.url


class Rectification(DueFields):
    """整改任务: one per failed indicator of a check, for the site's operating agency (or, for
    a 政务新媒体 account, its sponsor)."""

    site = models.ForeignKey(
        Site, null=True, blank=True, on_delete=models.PROTECT, related_name="rectifications"
    )
    check_run = models.ForeignKey(
        Check, null=True, blank=True, on_delete=models.PROTECT, related_name="rectifications"
    )
    account = models.ForeignKey(
        MediaAccount,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rectifications",
    )
    media_check = models.ForeignKey(
        MediaCheck,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rectifications",
    )
    agency = models.ForeignKey(
        "organizations.Agency", verbose_name="整改单位", on_delete=models.PROTECT
    )
    indicator = models.CharField("指标", max_length=40)
    label = models.CharField("问题", max_length=60)
    summary = models.CharField("问题说明", max_length=500)
    veto = models.BooleanField("单项否决", default=False)
    state = models.CharField(
        "状态", max_length=10, choices=RectifyState.choices, default=RectifyState.OPEN
    )
    opened_on = models.DateField("下发日期")
    time_limit_days = models.PositiveSmallIntegerField("整改时限（工作日）", default=10)
    closed_on = models.DateField("关闭日期", null=True, blank=True)
    closed_by = models.ForeignKey(
        Check, null=True, blank=True, on_delete=models.PROTECT, related_name="closed_tasks"
    )
    closed_by_media = models.ForeignKey(
        MediaCheck,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="closed_tasks",
    )

    class Meta:
        verbose_name = "网站整改任务"
        verbose_name_plural = "网站整改任务"
        ordering = ["due_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(site__isnull=False, account__isnull=True)
                | models.Q(site__isnull=True, account__isnull=False),
                name="webcheck_rectification_site_or_account",
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject_name}：{self.label}"

    @property
    def subject_name(self) -> str:
        """The site's name, or the account as "平台：名称"."""
        return self.site.name if self.site is not None else str(self.account)

    def get_backoffice_url(self) -> str:
        if self.account_id:
            return reverse("webcheck:account", args=[self.account_id])
        return reverse("webcheck:site", args=[self.site_id])
