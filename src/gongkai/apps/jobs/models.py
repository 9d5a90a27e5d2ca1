from django.conf import settings
from django.db import models


class JobStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "进行中"
    RETRY = "retry", "等待重试"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


class Job(models.Model):
    """What the back office shows of a background job (imports, index rebuilds, report
    builds): progress, result, error. The queue itself is the task engine's (ADR 0120); this
    row only follows it."""

    kind = models.CharField("任务类型", max_length=60, db_index=True)
    title = models.CharField("名称", max_length=200)
    params = models.JSONField("参数", default=dict, blank=True)
    status = models.CharField(
        "状态", max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED, db_index=True
    )
    progress = models.PositiveBigIntegerField("已完成", default=0)
    total = models.PositiveBigIntegerField("总量", default=0)
    message = models.CharField("当前步骤", max_length=300, blank=True)
    result = models.JSONField("结果", default=dict, blank=True)
    error = models.TextField("错误", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        verbose_name="发起人",
    )
    agency = models.ForeignKey(
        "organizations.Agency",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        verbose_name="机关",
    )
    attempts = models.PositiveSmallIntegerField("已尝试次数", default=0)
    worker = models.CharField("执行进程", max_length=200, blank=True)
    dispatched_at = models.DateTimeField("交给任务队列的时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        verbose_name = "后台任务"
        verbose_name_plural = "后台任务"
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.title}（{self.get_status_display()}）"

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        if not self.total:
            return 0
        return min(100, int(self.progress * 100 / self.total))

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)


class ImportStatus(models.TextChoices):
    # where an uploaded import stands (every import batch uses these)
    QUEUED = "queued", "排队中"
    RUNNING = "running", "导入中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


class ImportBatchBase(models.Model):
    """What every bulk import records beside its background job (ADR 0173): the uploaded
    file's name and digest, who sent it for which agency, where it stands, its row counts and
    its row errors.

    ``errors`` is a list of ``{"line": int, "field": str, "message": str}`` (``field`` empty
    for the whole row), optionally with ``"ref"``, the row's own key such as a work-order
    number; at most ``MAX_ROW_ERRORS`` are kept (see ``gongkai.apps.jobs.imports``). An
    importer adds its own counts (updated, skipped, ...) and how it keeps the file."""

    job = models.ForeignKey(
        "jobs.Job",
        verbose_name="后台任务",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    agency = models.ForeignKey(
        "organizations.Agency",
        verbose_name="导入机关",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    file_name = models.CharField("文件名", max_length=200)
    sha256 = models.CharField("文件摘要", max_length=64, blank=True, db_index=True)
    status = models.CharField(
        "状态", max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    rows = models.PositiveIntegerField("数据行数", default=0)
    created = models.PositiveIntegerField("新增", default=0)
    failed = models.PositiveIntegerField("出错", default=0)
    errors = models.JSONField("出错的行", default=list, blank=True)
    message = models.CharField("说明", max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="导入人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.file_name}（{self.get_status_display()}）"

    @property
    def ok(self) -> int:
        """Rows taken in (or found unchanged): every data row that was not refused."""
        return max(self.rows - self.failed, 0)


class NodeRole(models.TextChoices):
    WEB = "web", "网站服务"
    WORKER = "worker", "后台任务进程"


class Node(models.Model):
    """A process of the platform on some machine, as it last reported itself: web servers
    (with the search index they keep and how far it has followed the change log) and
    workers. Health checks, metrics, the multi-server checks and index rebuilds read it."""

    name = models.CharField("名称", max_length=200)
    role = models.CharField("角色", max_length=10, choices=NodeRole.choices)
    engine = models.CharField("检索引擎", max_length=20, blank=True)
    index_id = models.CharField("索引标识", max_length=64, blank=True)
    position = models.BigIntegerField("已应用的检索变更", null=True, blank=True)
    lag = models.BigIntegerField("未应用的检索变更", null=True, blank=True)
    storage_mark = models.CharField("共享文件标记", max_length=200, blank=True)
    cache_mark = models.CharField("共享缓存标记", max_length=64, blank=True)
    secret_mark = models.CharField("密钥指纹", max_length=64, blank=True)
    started_at = models.DateTimeField("启动时间", null=True, blank=True)
    seen_at = models.DateTimeField("最近报告", db_index=True)

    class Meta:
        verbose_name = "运行节点"
        verbose_name_plural = "运行节点"
        constraints = [models.UniqueConstraint(fields=["name", "role"], name="node_name_role")]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_role_display()}）"
