"""主动公开目录: documents with the national metadata, columns, gazette issues, channels."""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from gongkai.apps.catalog.attachments import searchable_text
from gongkai.apps.jobs.models import ImportBatchBase
from gongkai.domain.catalogmeta import INTERPRETATION_FORMS, ColumnKind
from gongkai.domain.catalogue import PublishingState
from gongkai.domain.indexno import DEFAULT_PATTERN
from gongkai.domain.reportfacts import PublicationChannel


class Topic(models.Model):
    """主题分类: the gov.cn two-level tree, editable per site."""

    name = models.CharField("名称", max_length=100)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级分类",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(
        "分类路径", max_length=200, unique=True, help_text="如 综合政务\\政务公开"
    )
    sort_order = models.PositiveIntegerField("排序", default=100)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "主题分类"
        verbose_name_plural = "主题分类"
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.path

    def get_absolute_url(self) -> str:
        return reverse("catalog:topic", args=[self.pk])


class Genre(models.Model):
    """体裁分类: the 15 公文种类 plus the site's extensions."""

    name = models.CharField("名称", max_length=40, unique=True)
    is_official = models.BooleanField("法定公文种类", default=False)
    sort_order = models.PositiveIntegerField("排序", default=100)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "体裁"
        verbose_name_plural = "体裁"
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("catalog:genre", args=[self.pk])


class ColumnKindChoice(models.TextChoices):
    GENERAL = ColumnKind.GENERAL, "一般栏目"
    GUIDE = ColumnKind.GUIDE, "公开指南"
    SYSTEM = ColumnKind.SYSTEM, "公开制度"
    STATUTORY = ColumnKind.STATUTORY, "法定主动公开内容"
    KEY_AREA = ColumnKind.KEY_AREA, "重点领域"
    GAZETTE = ColumnKind.GAZETTE, "政府公报"
    INTERPRETATION = ColumnKind.INTERPRETATION, "政策解读"
    PRESS = ColumnKind.PRESS, "新闻发布会"
    PROPOSALS = ColumnKind.PROPOSALS, "建议提案办理"
    ANNUAL_REPORT = ColumnKind.ANNUAL_REPORT, "年度报告"


class Column(models.Model):
    """栏目: a configurable tree per site."""

    slug = models.SlugField("栏目代码", max_length=60, unique=True)
    name = models.CharField("栏目名称", max_length=100)
    kind = models.CharField(
        "栏目类型", max_length=20, choices=ColumnKindChoice.choices, default=ColumnKind.GENERAL
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="上级栏目",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    description = models.CharField("说明", max_length=300, blank=True)
    on_home = models.BooleanField("首页重点栏目", default=False)
    sort_order = models.PositiveIntegerField("排序", default=100)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "栏目"
        verbose_name_plural = "栏目"
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("catalog:column", args=[self.slug])


class AgencyCatalogSettings(models.Model):
    """Per-agency catalogue configuration: the 索引号 pattern."""

    agency = models.OneToOneField(
        "organizations.Agency",
        verbose_name="机关",
        on_delete=models.CASCADE,
        related_name="catalog_settings",
    )
    index_pattern = models.CharField(
        "索引号规则",
        max_length=80,
        default=DEFAULT_PATTERN,
        help_text="可用 {prefix}（统一社会信用代码或组织机构代码）、{yyyy}、{yy}、{mm}、{yyyymm}、{seq:05d}",
    )

    class Meta:
        verbose_name = "机关目录设置"
        verbose_name_plural = "机关目录设置"

    def __str__(self) -> str:
        return f"{self.agency}：{self.index_pattern}"


class IndexNoCounter(models.Model):
    """The last 索引号 sequence used per agency and period (locked while a number is taken)."""

    agency = models.ForeignKey("organizations.Agency", on_delete=models.CASCADE)
    period = models.CharField(max_length=6, blank=True)
    last_seq = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "索引号计数"
        verbose_name_plural = "索引号计数"
        constraints = [
            models.UniqueConstraint(fields=["agency", "period"], name="indexno_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.period or '-'}：{self.last_seq}"


class GazetteIssue(models.Model):
    """政府公报: an issue gathers documents and is published as one PDF."""

    agency = models.ForeignKey(
        "organizations.Agency", verbose_name="编辑机关", on_delete=models.PROTECT
    )
    year = models.PositiveSmallIntegerField("年份")
    number = models.PositiveSmallIntegerField("期号")
    total_number = models.PositiveIntegerField("总期号", null=True, blank=True)
    published_on = models.DateField("出版日期")
    is_published = models.BooleanField("已发布", default=False)
    pdf = models.FileField("PDF", upload_to="catalog/gazette/", blank=True)
    pdf_generated_at = models.DateTimeField("PDF生成时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "政府公报"
        verbose_name_plural = "政府公报"
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "number"], name="gazette_issue_unique"
            )
        ]

    def __str__(self) -> str:
        total = f"（总第{self.total_number}期）" if self.total_number else ""
        return f"{self.agency.display_short if self.agency_id else ''}政府公报{self.year}年第{self.number}期{total}"

    def get_absolute_url(self) -> str:
        return reverse("catalog:gazette_issue", args=[self.pk])

    @property
    def title(self) -> str:
        return f"政府公报{self.year}年第{self.number}期"


_P = PublishingState


class DocumentState(models.TextChoices):
    """The choices of ``Document.state``: the states and labels the domain declares
    (``gongkai.domain.catalogue``), spelled out so every reader sees the members."""

    DRAFT = _P.DRAFT.value, _P.DRAFT.label
    PENDING = _P.PENDING.value, _P.PENDING.label
    APPROVED = _P.APPROVED.value, _P.APPROVED.label
    PUBLISHED = _P.PUBLISHED.value, _P.PUBLISHED.label
    WITHDRAWN = _P.WITHDRAWN.value, _P.WITHDRAWN.label


class Validity(models.TextChoices):
    VALID = "valid", "有效"
    EXPIRED = "expired", "失效"
    REPEALED = "repealed", "废止"


class LegalKind(models.TextChoices):
    """For table 二 of the annual report (条例第二十条第（一）项)."""

    OTHER = "other", "其他文件"
    RULE = "rule", "规章"
    NORMATIVE = "normative", "行政规范性文件"


class DisclosureMethod(models.TextChoices):
    PROACTIVE = "proactive", "主动公开"
    FROM_REQUEST = "from_request", "依申请公开转主动公开"


class DisclosureScope(models.TextChoices):
    PUBLIC = "public", "面向全社会"
    REGION = "region", "面向特定区域"
    GROUP = "group", "面向特定群体"


class DocumentOrigin(models.TextChoices):
    BACKOFFICE = "backoffice", "工作台录入"
    IMPORT = "import", "批量导入"
    REQUEST = "request", "依申请公开转主动公开"
    REPORT = "report", "年度报告"
    DEMO = "demo", "示例数据"


class Document(models.Model):
    """政府信息: one catalogue entry with the metadata disclosure pages carry."""

    agency = models.ForeignKey(
        "organizations.Agency",
        verbose_name="发布机构",
        on_delete=models.PROTECT,
        related_name="catalog_documents",
    )
    joint_agencies = models.ManyToManyField(
        "organizations.Agency",
        verbose_name="联合发布机构",
        blank=True,
        related_name="joint_catalog_documents",
    )
    title = models.CharField("标题", max_length=300)
    index_no = models.CharField("索引号", max_length=60, unique=True, null=True, blank=True)
    doc_number = models.CharField("发文字号", max_length=60, blank=True, db_index=True)
    doc_number_flags = models.JSONField("发文字号更正记录", default=list, blank=True)
    column = models.ForeignKey(
        Column,
        verbose_name="栏目",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    topic = models.ForeignKey(
        Topic, verbose_name="主题分类", null=True, blank=True, on_delete=models.PROTECT
    )
    genre = models.ForeignKey(
        Genre, verbose_name="体裁", null=True, blank=True, on_delete=models.PROTECT
    )
    legal_kind = models.CharField(
        "文件属性", max_length=12, choices=LegalKind.choices, default=LegalKind.OTHER
    )
    written_on = models.DateField("成文日期", null=True, blank=True)
    published_at = models.DateTimeField("发布日期", null=True, blank=True)
    publish_due = models.DateField("应公开期限", null=True, blank=True)
    validity = models.CharField(
        "有效性", max_length=10, choices=Validity.choices, default=Validity.VALID
    )
    validity_on = models.DateField("失效或废止日期", null=True, blank=True)
    superseded_by = models.ForeignKey(
        "self",
        verbose_name="替代文件",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supersedes",
    )
    keywords = models.CharField("主题词", max_length=200, blank=True)
    summary = models.TextField("内容概述", blank=True)
    body_html = models.TextField("正文", blank=True)
    body_text = models.TextField("正文文本", blank=True, editable=False)
    disclosure_method = models.CharField(
        "公开方式",
        max_length=20,
        choices=DisclosureMethod.choices,
        default=DisclosureMethod.PROACTIVE,
    )
    disclosure_scope = models.CharField(
        "公开范围", max_length=10, choices=DisclosureScope.choices, default=DisclosureScope.PUBLIC
    )
    interprets = models.ForeignKey(
        "self",
        verbose_name="所解读的文件",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="interpretations",
    )
    interpretation_form = models.CharField(
        "解读形式", max_length=10, choices=INTERPRETATION_FORMS, blank=True
    )
    media_url = models.URLField("音视频地址", blank=True)
    gazette_issue = models.ForeignKey(
        GazetteIssue,
        verbose_name="刊登公报",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
    )
    state = models.CharField(
        "状态", max_length=10, choices=DocumentState.choices, default=DocumentState.DRAFT
    )
    version = models.PositiveIntegerField("版本", default=0)
    origin = models.CharField(
        "来源", max_length=12, choices=DocumentOrigin.choices, default=DocumentOrigin.BACKOFFICE
    )
    source_note = models.TextField("来源说明", blank=True)
    external_id = models.CharField("原系统编号", max_length=100, blank=True)
    import_hash = models.CharField(max_length=64, blank=True, editable=False)
    submitted_at = models.DateTimeField("提交审核时间", null=True, blank=True)
    secrecy_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="保密审查人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    secrecy_reviewed_at = models.DateTimeField("保密审查时间", null=True, blank=True)
    secrecy_opinion = models.TextField("保密审查意见", blank=True)
    privacy_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="隐私审查确认人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    privacy_signed_at = models.DateTimeField("隐私审查确认时间", null=True, blank=True)
    return_reason = models.TextField("退回理由", blank=True)
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)
    withdraw_reason = models.TextField("撤回理由", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="录入人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True, db_index=True)
    # the published rendition (ADR 0032): what the privacy review's decisions make of the
    # title, summary and body; the public reads only these (through PublicDocument) and the
    # rendition's files (PublishedFile), never the fields above
    public_title = models.CharField("公开标题", max_length=300, blank=True, editable=False)
    public_summary = models.TextField("公开的内容概述", blank=True, editable=False)
    public_body_html = models.TextField("公开的正文", blank=True, editable=False)
    public_body_text = models.TextField("公开的正文文本", blank=True, editable=False)
    rendition_review_id = models.PositiveBigIntegerField(
        "公开版本依据的隐私审查", null=True, blank=True, editable=False
    )
    rendered_at = models.DateTimeField("公开版本生成时间", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "政府信息"
        verbose_name_plural = "政府信息"
        # no default ordering: with a million rows an implicit ORDER BY published_at makes
        # SQLite walk the date index instead of the one the WHERE clause needs; every list
        # orders explicitly
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "external_id"],
                condition=~Q(external_id=""),
                name="document_external_id_unique",
            ),
            models.CheckConstraint(
                condition=~Q(state="published")
                | Q(published_at__isnull=False, index_no__isnull=False),
                name="document_published_has_date_and_index_no",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "published_at"], name="doc_state_pub_idx"),
            models.Index(fields=["column", "state", "published_at"], name="doc_column_pub_idx"),
            models.Index(fields=["agency", "state", "published_at"], name="doc_agency_pub_idx"),
            models.Index(fields=["topic", "state", "published_at"], name="doc_topic_pub_idx"),
            models.Index(fields=["genre", "state", "published_at"], name="doc_genre_pub_idx"),
            models.Index(fields=["state", "publish_due"], name="doc_state_due_idx"),
            models.Index(fields=["legal_kind", "agency"], name="doc_legal_kind_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("catalog:document", args=[self.pk])

    @property
    def is_public(self) -> bool:
        return self.state == DocumentState.PUBLISHED


class OcrStatus(models.TextChoices):
    PENDING = "pending", "等待文字识别"
    DONE = "done", "已文字识别"
    UNAVAILABLE = "unavailable", "未安装文字识别组件"
    FAILED = "failed", "文字识别失败"


class Attachment(models.Model):
    document = models.ForeignKey(
        Document, verbose_name="政府信息", on_delete=models.CASCADE, related_name="attachments"
    )
    filename = models.CharField("文件名", max_length=200)
    file = models.FileField("文件", upload_to="catalog/attachments/%Y/%m/")
    size = models.PositiveBigIntegerField("大小（字节）", default=0)
    sha256 = models.CharField("SHA-256", max_length=64)
    content_type = models.CharField("类型", max_length=100, blank=True)
    text = models.TextField("提取的文字", blank=True, editable=False)
    # scanned pages and images are read by text recognition in the background (OCR); the
    # index holds ``text`` and the recognised pages (``search_text``)
    ocr_pages = models.JSONField("待识别页", default=list, blank=True, editable=False)
    ocr_status = models.CharField(
        "文字识别", max_length=12, choices=OcrStatus.choices, blank=True, editable=False
    )
    ocr_note = models.CharField("文字识别说明", max_length=200, blank=True, editable=False)
    ocr_text = models.JSONField("识别的文字（按页）", default=dict, blank=True, editable=False)
    sort_order = models.PositiveIntegerField("排序", default=0)
    created_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.filename

    def get_absolute_url(self) -> str:
        # the original: back office only; the public link is PublishedFile's
        return reverse("catalog:bo_attachment", args=[self.document_id, self.pk, self.filename])

    @property
    def search_text(self) -> str:
        return searchable_text(self.filename, self.text, self.ocr_text)

    @property
    def extension(self) -> str:
        return self.filename.rsplit(".", 1)[-1].upper() if "." in self.filename else ""


class PublishedFile(models.Model):
    """One attachment as the public receives it: the masked copy the privacy review made
    (or the original where nothing needed masking, or a reviewer let an image through with a
    reason). Keyed by the original attachment's id, which public URLs carry."""

    document = models.ForeignKey(
        Document, verbose_name="政府信息", on_delete=models.CASCADE, related_name="published_files"
    )
    attachment_id = models.PositiveBigIntegerField("原附件")
    filename = models.CharField("文件名", max_length=200)
    file = models.FileField("公开的文件", upload_to="catalog/published/%Y/%m/")
    size = models.PositiveBigIntegerField("大小（字节）", default=0)
    sha256 = models.CharField("SHA-256", max_length=64)
    content_type = models.CharField("类型", max_length=100, blank=True)
    text = models.TextField("公开文件的文字", blank=True, editable=False)
    note = models.CharField("处理说明", max_length=300, blank=True)
    sort_order = models.PositiveIntegerField("排序", default=0)
    created_at = models.DateTimeField("生成时间", auto_now_add=True)

    class Meta:
        verbose_name = "公开的附件"
        verbose_name_plural = "公开的附件"
        ordering = ["sort_order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "attachment_id"], name="publishedfile_attachment_unique"
            )
        ]

    def __str__(self) -> str:
        return self.filename

    def get_absolute_url(self) -> str:
        return reverse(
            "catalog:attachment", args=[self.document_id, self.attachment_id, self.filename]
        )

    @property
    def extension(self) -> str:
        return self.filename.rsplit(".", 1)[-1].upper() if "." in self.filename else ""

    @property
    def search_text(self) -> str:
        return self.text


class _PublicText:
    """A content field of a PublicDocument: reads the rendition's column; what the database
    row holds in the original column is dropped on load and can never be read back."""

    def __init__(self, public: str) -> None:
        self.public = public

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        return getattr(instance, self.public)

    def __set__(self, instance, value) -> None:
        pass  # the original value a query may bring along is not kept


class _Private:
    """A back-office field of a PublicDocument: reading it is an error, and a value a query
    brings along is not kept. (A descriptor per field rather than a ``__getattribute__``
    that every attribute read of every public document passed through.)"""

    def __init__(self, name: str) -> None:
        self.name = name

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        raise AttributeError(f"{self.name} 不属于公开的内容")

    def __set__(self, instance, value) -> None:
        pass


PUBLIC_CONTENT = {
    "title": "public_title",
    "summary": "public_summary",
    "body_html": "public_body_html",
    "body_text": "public_body_text",
}
# back-office fields a public page never shows
PRIVATE_FIELDS = ("source_note", "secrecy_opinion", "return_reason", "withdraw_reason")


def _public_names(fields) -> list[str]:
    return [PUBLIC_CONTENT.get(f, f) for f in fields]


class PublicQuerySet(models.QuerySet):
    """Published documents, seen through their rendition: ``only``, ``values`` and
    ``values_list`` of a content field read the rendition's column."""

    def only(self, *fields):
        return super().only(*_public_names(fields))

    def values(self, *fields, **expressions):
        return super().values(*_public_names(fields), **expressions)

    def values_list(self, *fields, **kwargs):
        return super().values_list(*_public_names(fields), **kwargs)


class PublicManager(models.Manager.from_queryset(PublicQuerySet)):  # type: ignore[misc]
    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .filter(state=DocumentState.PUBLISHED)
            .defer(*PUBLIC_CONTENT, *PRIVATE_FIELDS)
        )


class PublicDocument(Document):
    """A published document as the public sees it (ADR 0032). Its title, summary and body
    are the rendition's; ``attachments`` are the rendition's files; it cannot be saved.
    Public pages, feeds, the API, exports, the sitemap and the search index read documents
    only through this model (a test holds them to it)."""

    objects: ClassVar[PublicManager] = PublicManager()

    title = _PublicText("public_title")
    summary = _PublicText("public_summary")
    body_html = _PublicText("public_body_html")
    body_text = _PublicText("public_body_text")

    class Meta:
        proxy = True
        verbose_name = "公开的政府信息"
        verbose_name_plural = "公开的政府信息"

    source_note = _Private("source_note")
    secrecy_opinion = _Private("secrecy_opinion")
    return_reason = _Private("return_reason")
    withdraw_reason = _Private("withdraw_reason")

    def save(self, *args, **kwargs):
        raise TypeError("公开的政府信息只读：请修改原件后重新审查发布")

    def delete(self, *args, **kwargs):
        raise TypeError("公开的政府信息只读")

    @property
    def attachments(self):  # type: ignore[override]  # the public see the rendition's files
        return self.published_files


class DocumentVersion(models.Model):
    """Every edit after publication keeps the version it replaced and the reason."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField("版本")
    snapshot = models.JSONField("内容快照")
    reason = models.TextField("修改理由")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "历史版本"
        verbose_name_plural = "历史版本"
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["document", "version"], name="document_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.document_id} v{self.version}"


class PublicationChannelChoices(models.TextChoices):
    WEBSITE = PublicationChannel.WEBSITE.value, "门户网站"
    GAZETTE = PublicationChannel.GAZETTE.value, "政府公报"
    WEIBO = PublicationChannel.WEIBO.value, "政务微博"
    WECHAT = PublicationChannel.WECHAT.value, "政务微信"
    NEWSPAPER = PublicationChannel.NEWSPAPER.value, "报刊"
    TV = PublicationChannel.TV.value, "电视"
    SCREEN = PublicationChannel.SCREEN.value, "电子显示屏"
    OTHER = PublicationChannel.OTHER.value, "其他"


class ChannelRecord(models.Model):
    """Where else a catalogue document went (公报, 微博, 微信, 报刊, 电视, 电子显示屏) and when."""

    document = models.ForeignKey(
        Document, verbose_name="政府信息", on_delete=models.CASCADE, related_name="channel_records"
    )
    channel = models.CharField("渠道", max_length=12, choices=PublicationChannelChoices.choices)
    published_on = models.DateField("发布日期")
    note = models.CharField("说明", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "发布渠道记录"
        verbose_name_plural = "发布渠道记录"
        ordering = ["published_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["document", "channel"], name="channel_record_unique"),
            models.CheckConstraint(
                condition=~Q(channel="website"), name="channel_record_not_website"
            ),
        ]
        indexes = [models.Index(fields=["channel", "published_on"], name="channel_record_day_idx")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.published_on}"


class ChannelTally(models.Model):
    """Monthly counts of items an agency published outside the catalogue, per channel."""

    agency = models.ForeignKey(
        "organizations.Agency", verbose_name="机关", on_delete=models.PROTECT
    )
    year = models.PositiveSmallIntegerField("年份")
    month = models.PositiveSmallIntegerField("月份")
    channel = models.CharField("渠道", max_length=12, choices=PublicationChannelChoices.choices)
    count = models.PositiveIntegerField("条数", default=0)
    note = models.CharField("说明", max_length=200, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "渠道发布月度统计"
        verbose_name_plural = "渠道发布月度统计"
        ordering = ["agency", "year", "month", "channel"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "month", "channel"], name="channel_tally_unique"
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12), name="channel_tally_month_range"
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.agency} {self.year}-{self.month:02d} {self.get_channel_display()} {self.count}"
        )


class CountDimension(models.TextChoices):
    ALL = "all", "全部"
    AGENCY = "agency", "机关"
    COLUMN = "column", "栏目"
    TOPIC = "topic", "主题分类"
    GENRE = "genre", "体裁"


class DocumentCount(models.Model):
    """Published documents per browse dimension and year, kept current by the services so
    browse pages never count a million rows."""

    dimension = models.CharField(max_length=8, choices=CountDimension.choices)
    key = models.BigIntegerField(default=0)
    year = models.PositiveSmallIntegerField()
    count = models.IntegerField(default=0)

    class Meta:
        verbose_name = "目录计数"
        verbose_name_plural = "目录计数"
        constraints = [
            models.UniqueConstraint(
                fields=["dimension", "key", "year"], name="document_count_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.dimension}:{self.key} {self.year} = {self.count}"


class SearchChange(models.Model):
    """The append-only log of what the public may find: one row per document whose search
    entry must be refreshed, written in the same transaction as the change. A row without a
    document asks every node to rebuild its whole index. Every index (each server's own
    tantivy index, or the shared PostgreSQL one) follows the log with its own cursor, so a
    server that was down catches up (ADR 0121). Rows older than the retention are pruned."""

    document_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "检索变更"
        verbose_name_plural = "检索变更"

    def __str__(self) -> str:
        return f"索引 {self.document_id}" if self.document_id else "全部重建"


class SearchLog(models.Model):
    """The log's identity: a restored or recreated database gets a new one, and every index
    that followed the old log rebuilds."""

    epoch = models.UUIDField(default=uuid.uuid4, editable=False)

    class Meta:
        verbose_name = "检索变更日志"
        verbose_name_plural = "检索变更日志"

    def __str__(self) -> str:
        return self.epoch.hex


class SearchCursor(models.Model):
    """How far the shared PostgreSQL index has followed the log (a tantivy index keeps its
    cursor beside itself, on its server's disk)."""

    name = models.CharField(max_length=60, primary_key=True)
    state = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "检索游标"
        verbose_name_plural = "检索游标"

    def __str__(self) -> str:
        return self.name


class SearchTokens(models.Model):
    """A document's text as the segmenter cut it (title and the rest, compressed), with the
    digest of that text and of the segmenter's rules. Indexing reuses the tokens while the
    digest matches, so rebuilding an index does not cut unchanged documents again:
    segmentation is most of what indexing costs (bench/results/search.md). Derived data:
    losing it only makes the next rebuild slower."""

    document = models.OneToOneField(
        Document, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    digest = models.BinaryField(max_length=16)
    tokens = models.BinaryField()

    class Meta:
        verbose_name = "分词缓存"
        verbose_name_plural = "分词缓存"

    def __str__(self) -> str:
        return f"分词 {self.document_id}"


class ResultCard(models.Model):
    """What a search result shows of a published document, in a narrow row: its published
    rendition's title, summary and the first characters of its text (the snippet's window),
    its codes, dates and ids. Kept by database triggers on the document table (ADR 0194), so
    it changes in the same statement as the document, whichever way it is written (a save,
    an ``update()``, a bulk insert, a migration); nobody writes it from Python. A result page
    reads 20 of these instead of 20 document rows, which hold the original and the
    published texts before the columns a result needs."""

    doc_id = models.BigIntegerField(primary_key=True)
    title = models.CharField(max_length=300)
    index_no = models.CharField(max_length=60, null=True)
    doc_number = models.CharField(max_length=60)
    published_at = models.DateTimeField(null=True)
    written_on = models.DateField(null=True)
    validity = models.CharField(max_length=10)
    agency_id = models.BigIntegerField()
    column_id = models.BigIntegerField(null=True)
    genre_id = models.BigIntegerField(null=True)
    summary = models.TextField()
    text_window = models.TextField()  # last: the one column that may overflow its page

    class Meta:
        verbose_name = "检索结果摘要"
        verbose_name_plural = "检索结果摘要"

    def __str__(self) -> str:
        return f"结果 {self.doc_id}"


class ImportBatch(ImportBatchBase):
    """One bulk import from a legacy CMS export, with its row-level error report (the rows
    refused and the notes on rows taken in, ``field`` 提示)."""

    agency = models.ForeignKey(
        "organizations.Agency", verbose_name="机关", on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField("文件", upload_to="catalog/imports/")
    as_draft = models.BooleanField("导入为草稿", default=False)
    updated = models.PositiveIntegerField("更新", default=0)
    unchanged = models.PositiveIntegerField("未变化", default=0)

    class Meta(ImportBatchBase.Meta):
        verbose_name = "批量导入"
        verbose_name_plural = "批量导入"

    def __str__(self) -> str:
        return f"{self.file_name}（{self.created_at:%Y-%m-%d}）"
