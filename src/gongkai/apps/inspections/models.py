"""双随机一公开: 一单两库一细则, tasks with verifiable draws and public results; 保障房摇号.

一单 = InspectionItem (随机抽查事项清单); 两库 = MarketEntity (检查对象名录库) and Inspector
(执法检查人员名录库); 一细则 = InspectionRuleSet (随机抽查工作细则, ratios and recusal as data).
"""

from __future__ import annotations

import gzip

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from gongkai.apps.jobs.models import ImportBatchBase
from gongkai.apps.workcalendar.models import DueFields


class ItemLevel(models.TextChoices):
    KEY = "key", "重点检查事项"
    GENERAL = "general", "一般检查事项"


class RiskClass(models.TextChoices):
    A = "A", "A类（信用风险低）"
    B = "B", "B类（信用风险一般）"
    C = "C", "C类（信用风险较高）"
    D = "D", "D类（信用风险高）"


class EntityType(models.TextChoices):
    ENTERPRISE = "enterprise", "企业"
    INDIVIDUAL = "individual", "个体工商户"
    COOPERATIVE = "cooperative", "农民专业合作社"
    OTHER = "other", "其他"


class EntityStatus(models.TextChoices):
    ACTIVE = "active", "存续"
    REVOKED = "revoked", "吊销"
    CANCELLED = "cancelled", "注销"
    MOVED = "moved", "迁出"


class Industry(models.TextChoices):
    """国民经济行业分类 (GB/T 4754-2017) 门类."""

    A = "A", "农、林、牧、渔业"
    B = "B", "采矿业"
    C = "C", "制造业"
    D = "D", "电力、热力、燃气及水生产和供应业"
    E = "E", "建筑业"
    F = "F", "批发和零售业"
    G = "G", "交通运输、仓储和邮政业"
    H = "H", "住宿和餐饮业"
    I = "I", "信息传输、软件和信息技术服务业"  # noqa: E741
    J = "J", "金融业"
    K = "K", "房地产业"
    L = "L", "租赁和商务服务业"
    M = "M", "科学研究和技术服务业"
    N = "N", "水利、环境和公共设施管理业"
    O = "O", "居民服务、修理和其他服务业"  # noqa: E741
    P = "P", "教育"
    Q = "Q", "卫生和社会工作"
    R = "R", "文化、体育和娱乐业"
    S = "S", "公共管理、社会保障和社会组织"
    T = "T", "国际组织"


class InspectionItem(models.Model):
    """随机抽查事项: no inspection without a legal basis (国办发〔2015〕58号)."""

    agency = models.ForeignKey(
        "organizations.Agency",
        verbose_name="实施部门",
        on_delete=models.PROTECT,
        related_name="inspection_items",
    )
    code = models.CharField("事项编码", max_length=40, unique=True)
    name = models.CharField("抽查事项", max_length=200)
    legal_basis = models.TextField("检查依据")
    object_type = models.CharField("检查对象", max_length=100)
    ratio_text = models.CharField("抽查比例", max_length=40, help_text="如：不低于5%")
    frequency = models.CharField("抽查频次", max_length=40, help_text="如：每年1次")
    level = models.CharField(
        "事项类别", max_length=10, choices=ItemLevel.choices, default=ItemLevel.GENERAL
    )
    is_active = models.BooleanField("有效", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "随机抽查事项"
        verbose_name_plural = "随机抽查事项清单"
        ordering = ["agency__sort_order", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class MarketEntity(models.Model):
    """检查对象名录库: one row per 市场主体, keyed by its 统一社会信用代码."""

    uscc = models.CharField("统一社会信用代码", max_length=18, unique=True)
    name = models.CharField("名称", max_length=200, db_index=True)
    entity_type = models.CharField("主体类型", max_length=20, choices=EntityType.choices)
    district = models.CharField("所属区县", max_length=20)
    industry = models.CharField("行业门类", max_length=1, choices=Industry.choices)
    risk_class = models.CharField("信用风险分类", max_length=1, choices=RiskClass.choices)
    status = models.CharField(
        "登记状态", max_length=10, choices=EntityStatus.choices, default=EntityStatus.ACTIVE
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "市场主体"
        verbose_name_plural = "检查对象名录库"
        indexes = [
            models.Index(fields=["status", "district", "risk_class"], name="entity_draw_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.uscc}）"


class EntityImport(ImportBatchBase):
    """One bulk import of the entity directory. Beside the stored row errors (the first
    ``MAX_ROW_ERRORS``) it keeps the full error report as a gzip CSV: a million-row file may
    have more bad rows than a page should hold, and the report is a download."""

    content = models.BinaryField("文件内容（gzip）", editable=False)
    updated = models.PositiveIntegerField("更新", default=0)
    error_report = models.BinaryField("完整错误报告（gzip CSV）", default=b"", editable=False)

    class Meta(ImportBatchBase.Meta):
        verbose_name = "名录库导入"
        verbose_name_plural = "名录库导入"

    def __str__(self) -> str:
        return f"{self.file_name}（{self.created_at:%Y-%m-%d %H:%M}）"

    def error_csv(self) -> bytes:
        return gzip.decompress(bytes(self.error_report)) if self.error_report else b""


class Inspector(models.Model):
    """执法检查人员名录库."""

    agency = models.ForeignKey(
        "organizations.Agency",
        verbose_name="所属部门",
        on_delete=models.PROTECT,
        related_name="inspectors",
    )
    name = models.CharField("姓名", max_length=50)
    certificate_no = models.CharField("执法证号", max_length=30, unique=True)
    districts = models.JSONField("负责区域", default=list, blank=True, help_text="为空表示全市范围")
    residence_district = models.CharField(
        "居住地区县", max_length=20, blank=True, help_text="不公开；用于同地回避"
    )
    extra_recusal_districts = models.JSONField("其他回避区域", default=list, blank=True)
    is_active = models.BooleanField("在岗", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "执法人员"
        verbose_name_plural = "执法检查人员名录库"
        ordering = ["agency__sort_order", "certificate_no"]

    def __str__(self) -> str:
        return f"{self.name}（{self.certificate_no}）"


class InspectorConflict(models.Model):
    """A declared 利害关系 between an inspector and an entity (回避申报); the reason stays internal."""

    inspector = models.ForeignKey(
        Inspector, on_delete=models.CASCADE, related_name="conflicts", verbose_name="执法人员"
    )
    entity = models.ForeignKey(
        MarketEntity, on_delete=models.CASCADE, related_name="conflicts", verbose_name="市场主体"
    )
    reason = models.CharField("回避理由", max_length=200)
    declared_at = models.DateTimeField("申报时间", auto_now_add=True)

    class Meta:
        verbose_name = "回避申报"
        verbose_name_plural = "回避申报"
        constraints = [
            models.UniqueConstraint(fields=["inspector", "entity"], name="conflict_unique")
        ]

    def __str__(self) -> str:
        return f"{self.inspector} 回避 {self.entity}"


class InspectionRuleSet(models.Model):
    """随机抽查工作细则: ratios by credit-risk class, team size, recusal, result deadline."""

    agency = models.ForeignKey(
        "organizations.Agency",
        verbose_name="制定部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspection_rulesets",
        help_text="为空表示全市通用",
    )
    name = models.CharField("细则名称", max_length=100)
    ratio_a = models.CharField("A类抽查比例", max_length=12, default="0.03")
    ratio_b = models.CharField("B类抽查比例", max_length=12, default="0.05")
    ratio_c = models.CharField("C类抽查比例", max_length=12, default="0.1")
    ratio_d = models.CharField("D类抽查比例", max_length=12, default="0.2")
    by_industry = models.BooleanField("按行业分层", default=False)
    standby_ratio = models.CharField("候补比例", max_length=12, default="0.1")
    min_inspectors = models.PositiveSmallIntegerField("每户最少执法人员数", default=2)
    recuse_same_residence = models.BooleanField("居住地回避", default=True)
    avoid_repeat_pairs = models.BooleanField("同一组合不重复检查同一对象", default=True)
    results_days = models.PositiveSmallIntegerField(
        "结果公示时限（工作日）", default=20, help_text="自检查结束之日起"
    )
    valid_from = models.DateField("施行日期")
    valid_to = models.DateField("废止日期", null=True, blank=True)
    notes = models.TextField("说明", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "随机抽查工作细则"
        verbose_name_plural = "随机抽查工作细则"
        ordering = ["-valid_from", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(min_inspectors__gte=2), name="ruleset_min_two"),
            models.CheckConstraint(condition=Q(results_days__gte=1), name="ruleset_days_pos"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def ratios(self) -> dict[str, str]:
        return {"A": self.ratio_a, "B": self.ratio_b, "C": self.ratio_c, "D": self.ratio_d}


class TaskStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    FROZEN = "frozen", "名单已固化，待随机源公布"
    DRAWN = "drawn", "已抽取，检查中"
    PUBLISHED = "published", "结果已公示"
    CANCELLED = "cancelled", "已撤销"


class AllocationMode(models.TextChoices):
    RATIO = "ratio", "按风险等级比例"
    COUNT = "count", "按总数分层分配"


class ResultCategory(models.TextChoices):
    """抽查结果: the categories published with each entity's result."""

    QUALIFIED = "qualified", "合格"
    NO_PROBLEM = "no_problem", "未发现问题"
    RECTIFIED = "rectified", "发现问题已责令整改"
    FOLLOW_UP = "follow_up", "发现问题待后续处理"
    NOT_DISCLOSED = "not_disclosed", "未按规定公示应当公示的信息"
    FALSE_INFO = "false_info", "公示信息隐瞒真实情况、弄虚作假"
    NOT_FOUND = "not_found", "查无下落（通过登记的住所无法联系）"
    NO_ACTIVITY = "no_activity", "未发现开展本次抽查涉及的经营活动"
    REFUSED = "refused", "不配合检查情节严重"
    CLOSED = "closed", "已关闭停业或正在组织清算"
    DEREGISTERED = "deregistered", "已注销或被吊销营业执照"


PROBLEM_RESULTS = {
    ResultCategory.RECTIFIED,
    ResultCategory.FOLLOW_UP,
    ResultCategory.NOT_DISCLOSED,
    ResultCategory.FALSE_INFO,
    ResultCategory.NOT_FOUND,
    ResultCategory.REFUSED,
}


class PublicDraw(models.Model):
    """What every verifiable draw keeps (抽查任务 and 保障房摇号 alike): its number within the year,
    the announced sources, the published values and the hashes of its commitment and record."""

    year = models.PositiveSmallIntegerField("年度")
    seq = models.PositiveIntegerField("批次号")
    sources = models.JSONField("随机源", default=list, blank=True)
    observed = models.JSONField("随机源公布值", default=list, blank=True)
    commitment_hash = models.CharField("承诺哈希", max_length=64, blank=True)
    record_hash = models.CharField("记录哈希", max_length=64, blank=True)
    frozen_at = models.DateTimeField("固化时间", null=True, blank=True)
    cancel_reason = models.CharField("撤销理由", max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, verbose_name="创建人"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        abstract = True


class InspectionTask(PublicDraw, DueFields):
    """An 抽查任务: created, frozen (commitment), drawn (record), checked, results published."""

    agency = models.ForeignKey(
        "organizations.Agency",
        verbose_name="牵头部门",
        on_delete=models.PROTECT,
        related_name="inspection_tasks",
    )
    title = models.CharField("任务名称", max_length=200)
    items = models.ManyToManyField(InspectionItem, verbose_name="抽查事项", related_name="tasks")
    joint_agencies = models.ManyToManyField(
        "organizations.Agency",
        verbose_name="联合检查部门",
        blank=True,
        related_name="joint_inspection_tasks",
    )
    ruleset = models.ForeignKey(
        InspectionRuleSet, verbose_name="适用细则", on_delete=models.PROTECT
    )
    mode = models.CharField(
        "抽取方式", max_length=10, choices=AllocationMode.choices, default=AllocationMode.RATIO
    )
    count = models.PositiveIntegerField("抽取总数", null=True, blank=True)
    filter_districts = models.JSONField("区县范围", default=list, blank=True)
    filter_industries = models.JSONField("行业范围", default=list, blank=True)
    filter_types = models.JSONField("主体类型范围", default=list, blank=True)
    filter_risks = models.JSONField("风险等级范围", default=list, blank=True)
    check_start = models.DateField("检查开始日期")
    check_end = models.DateField("检查结束日期")
    status = models.CharField(
        "状态", max_length=10, choices=TaskStatus.choices, default=TaskStatus.DRAFT, db_index=True
    )
    candidate_count = models.PositiveIntegerField("候选对象数", default=0)
    selected_count = models.PositiveIntegerField("抽中对象数", default=0)
    drawn_at = models.DateTimeField("抽取时间", null=True, blank=True)
    check_finished_on = models.DateField("实际检查结束日期", null=True, blank=True)
    due_date = models.DateField("结果公示期限", null=True, blank=True)
    results_published_at = models.DateTimeField("结果公示时间", null=True, blank=True)
    reminder_stage = models.CharField("已发提醒", max_length=10, blank=True)
    replaces = models.OneToOneField(
        "self",
        verbose_name="更正的任务",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
    )

    class Meta:
        verbose_name = "抽查任务"
        verbose_name_plural = "抽查任务"
        ordering = ["-year", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year", "seq"], name="task_number_unique"),
            models.CheckConstraint(
                condition=Q(check_end__gte=models.F("check_start")), name="task_check_period"
            ),
        ]
        indexes = [models.Index(fields=["status", "due_date"], name="task_due_idx")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("inspections:task", args=[self.pk])

    @property
    def number(self) -> str:
        return f"{self.agency.display_short}{self.year}年第{self.seq}批"

    @property
    def is_public(self) -> bool:
        return self.status != TaskStatus.DRAFT

    @property
    def is_joint(self) -> bool:
        return self.joint_agencies.exists()

    def get_backoffice_url(self) -> str:
        return reverse("inspections:bo_task", args=[self.pk])


class DrawSelection(models.Model):
    """An entity drawn (or on standby) in a task, with its team and its published result."""

    task = models.ForeignKey(
        InspectionTask, on_delete=models.CASCADE, related_name="selections", verbose_name="任务"
    )
    entity = models.ForeignKey(
        MarketEntity, on_delete=models.PROTECT, related_name="selections", verbose_name="市场主体"
    )
    stratum = models.CharField("分层", max_length=80)
    rank = models.PositiveIntegerField("层内名次")
    draw_order = models.PositiveIntegerField("抽取顺序", null=True, blank=True)
    ticket = models.CharField("签值", max_length=64)
    is_standby = models.BooleanField("候补", default=False)
    unfilled = models.CharField("未配足", max_length=200, blank=True)
    result = models.CharField("检查结果", max_length=20, choices=ResultCategory.choices, blank=True)
    result_note = models.CharField("结果说明", max_length=500, blank=True)
    # what the portal, the CSV, the API and the entity pages show: the note as the privacy
    # context masks it (ADR 0033); the note as entered stays in the back office
    public_note = models.CharField("公示的结果说明", max_length=500, blank=True)
    checked_on = models.DateField("检查日期", null=True, blank=True)
    result_recorded_at = models.DateTimeField("结果录入时间", null=True, blank=True)
    # 递补: a selected entity that cannot be inspected (已注销, 迁出 …) is replaced by the first
    # unused standby of its stratum; it becomes a standby row that keeps why and when
    replaced_reason = models.CharField("被替换原因", max_length=200, blank=True)
    public_replaced_reason = models.CharField("公示的被替换原因", max_length=200, blank=True)
    replaced_at = models.DateTimeField("替换时间", null=True, blank=True)
    substitute_for = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="substituted_by",
        verbose_name="递补的原抽中对象",
    )
    # for a substitute, as it was made (published in substitutions.json): the conflicts declared
    # since the draw that its team had to respect, the team and its unfilled slots
    substitution = models.JSONField("递补记录", default=dict, blank=True)

    class Meta:
        verbose_name = "抽中对象"
        verbose_name_plural = "抽中对象"
        ordering = ["is_standby", "draw_order", "stratum", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["task", "entity"], name="selection_unique"),
        ]
        indexes = [models.Index(fields=["task", "is_standby", "draw_order"], name="sel_order_idx")]

    def __str__(self) -> str:
        return f"{self.task_id}: {self.entity_id}"


class TeamMember(models.Model):
    selection = models.ForeignKey(
        DrawSelection, on_delete=models.CASCADE, related_name="team", verbose_name="抽中对象"
    )
    inspector = models.ForeignKey(
        Inspector, on_delete=models.PROTECT, related_name="assignments", verbose_name="执法人员"
    )
    slot = models.PositiveSmallIntegerField("序号")

    class Meta:
        verbose_name = "检查组成员"
        verbose_name_plural = "检查组成员"
        ordering = ["slot"]
        constraints = [
            models.UniqueConstraint(fields=["selection", "slot"], name="team_slot_unique"),
            models.UniqueConstraint(fields=["selection", "inspector"], name="team_member_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.selection_id}#{self.slot}: {self.inspector_id}"


class LotteryStatus(models.TextChoices):
    DRAFT = "draft", "草稿（受理申请人名单）"
    FROZEN = "frozen", "名单已固化，待随机源公布"
    DRAWN = "drawn", "已摇号，结果已公示"
    CANCELLED = "cancelled", "已撤销"


class HousingLottery(PublicDraw):
    """保障房摇号: applicants ordered by the same verifiable engine."""

    agency = models.ForeignKey(
        "organizations.Agency",
        verbose_name="组织部门",
        on_delete=models.PROTECT,
        related_name="housing_lotteries",
    )
    title = models.CharField("摇号名称", max_length=200)
    project = models.CharField("房源项目", max_length=200)
    notice = models.TextField("摇号公告", blank=True)
    status = models.CharField(
        "状态", max_length=10, choices=LotteryStatus.choices, default=LotteryStatus.DRAFT
    )
    drawn_at = models.DateTimeField("摇号时间", null=True, blank=True)
    replaces = models.OneToOneField(
        "self",
        verbose_name="更正的摇号",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
    )

    class Meta:
        verbose_name = "保障房摇号"
        verbose_name_plural = "保障房摇号"
        ordering = ["-year", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year", "seq"], name="lottery_number_unique")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("inspections:lottery", args=[self.pk])

    @property
    def number(self) -> str:
        return f"{self.agency.display_short}{self.year}年第{self.seq}期摇号"

    @property
    def is_public(self) -> bool:
        return self.status != LotteryStatus.DRAFT

    def get_backoffice_url(self) -> str:
        return reverse("inspections:bo_lottery", args=[self.pk])


class LotteryGroupRow(models.Model):
    lottery = models.ForeignKey(
        HousingLottery, on_delete=models.CASCADE, related_name="groups", verbose_name="摇号"
    )
    code = models.CharField("类别编号", max_length=10)
    name = models.CharField("申请人类别", max_length=50)
    units = models.PositiveIntegerField("房源套数")
    sort_order = models.PositiveSmallIntegerField("摇号顺序")

    class Meta:
        verbose_name = "摇号类别"
        verbose_name_plural = "摇号类别"
        ordering = ["sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["lottery", "code"], name="lottery_group_unique")
        ]

    def __str__(self) -> str:
        return self.name


class LotteryApplicant(models.Model):
    """An applicant household. Name and identity number are personal data: never public."""

    lottery = models.ForeignKey(
        HousingLottery, on_delete=models.CASCADE, related_name="applicants", verbose_name="摇号"
    )
    group = models.ForeignKey(
        LotteryGroupRow, on_delete=models.PROTECT, related_name="applicants", verbose_name="类别"
    )
    application_no = models.CharField("申请编号", max_length=30)
    name = models.CharField("申请人姓名", max_length=50)
    masked_name = models.CharField("公示姓名", max_length=50)
    id_number = models.CharField("身份证号码", max_length=18)
    household_size = models.PositiveSmallIntegerField("家庭人口", default=1)
    sequence = models.PositiveIntegerField("顺序号", null=True, blank=True)
    group_rank = models.PositiveIntegerField("类别内名次", null=True, blank=True)
    ticket = models.CharField("签值", max_length=64, blank=True)
    is_selected = models.BooleanField("入围", default=False)

    class Meta:
        verbose_name = "摇号申请人"
        verbose_name_plural = "摇号申请人"
        ordering = ["sequence", "application_no"]
        constraints = [
            models.UniqueConstraint(
                fields=["lottery", "application_no"], name="applicant_number_unique"
            ),
            models.UniqueConstraint(
                fields=["lottery", "id_number"], name="applicant_person_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_no} {self.masked_name}"


class DrawDocumentKind(models.TextChoices):
    COMMITMENT = "commitment", "抽取承诺"
    RECORD = "record", "抽取记录"


class DrawDocument(models.Model):
    """A published commitment or record: canonical JSON, gzip-compressed, with its SHA-256."""

    task = models.ForeignKey(
        InspectionTask, null=True, blank=True, on_delete=models.CASCADE, related_name="documents"
    )
    lottery = models.ForeignKey(
        HousingLottery, null=True, blank=True, on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField("类型", max_length=12, choices=DrawDocumentKind.choices)
    sha256 = models.CharField("文档哈希", max_length=64)
    size = models.PositiveBigIntegerField("字节数")
    content = models.BinaryField("内容（gzip）")
    created_at = models.DateTimeField("生成时间", auto_now_add=True)

    class Meta:
        verbose_name = "抽取文档"
        verbose_name_plural = "抽取文档"
        constraints = [
            models.UniqueConstraint(
                fields=["task", "kind"], condition=Q(task__isnull=False), name="doc_task_kind"
            ),
            models.UniqueConstraint(
                fields=["lottery", "kind"],
                condition=Q(lottery__isnull=False),
                name="doc_lottery_kind",
            ),
            models.CheckConstraint(
                condition=Q(task__isnull=False) | Q(lottery__isnull=False), name="doc_has_owner"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.sha256[:12]}"

    def text_bytes(self) -> bytes:
        return gzip.decompress(bytes(self.content))
