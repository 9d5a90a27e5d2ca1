"""Append-only, hash-chained audit events.

Each chain (one per agency, plus ``system``) is a sequence; every event stores the hash of the
previous event in its chain and a hash over its own canonical content, so any edit, deletion or
reordering made outside the application is found by ``gongkai audit verify``.
"""

from django.db import models


class AuditEvent(models.Model):
    chain = models.CharField("链", max_length=64)
    seq = models.PositiveBigIntegerField("序号")
    created_at = models.DateTimeField("时间", db_index=True)
    actor_id = models.BigIntegerField("操作人ID", null=True, blank=True, db_index=True)
    actor_label = models.CharField("操作人", max_length=200, blank=True)
    agency_id = models.BigIntegerField("机关ID", null=True, blank=True, db_index=True)
    action = models.CharField("动作", max_length=100, db_index=True)
    object_type = models.CharField("对象类型", max_length=100, blank=True)
    object_id = models.CharField("对象ID", max_length=64, blank=True)
    object_label = models.CharField("对象", max_length=300, blank=True)
    before = models.TextField("变更前", blank=True, default="")
    after = models.TextField("变更后", blank=True, default="")
    context = models.TextField("环境", blank=True, default="")
    prev_hash = models.CharField("前一事件哈希", max_length=64)
    hash = models.CharField("哈希", max_length=64)
    # the same chain hashed with SM3 (GB/T 32905); empty on events written before it was kept
    hash_sm3 = models.CharField("SM3 哈希", max_length=64, blank=True, default="")

    class Meta:
        verbose_name = "审计事件"
        verbose_name_plural = "审计事件"
        constraints = [
            models.UniqueConstraint(fields=["chain", "seq"], name="audit_chain_seq_unique")
        ]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.object_label}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.pop("_allow_update", False):
            raise RuntimeError("审计事件只能追加，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("审计事件只能追加，不能删除")


class AuditChainHead(models.Model):
    """The last event of each chain; locked while an event is appended."""

    chain = models.CharField(max_length=64, primary_key=True)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64)
    hash_sm3 = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        verbose_name = "审计链头"
        verbose_name_plural = "审计链头"

    def __str__(self) -> str:
        return f"{self.chain}@{self.seq}"


class AuditHeadPublication(models.Model):
    """The heads of every chain as published on one day (the public page and the annual
    report carry them): anything removed from or rewritten in a chain after that day no longer
    matches what was published (ADR 0083)."""

    on = models.DateField("发布日期", unique=True)
    published_at = models.DateTimeField("发布时间")
    # {chain: {"seq": n, "sha256": hash, "sm3": hash}}
    heads = models.JSONField("各链链头")
    digest = models.CharField("SHA-256 摘要", max_length=64)
    digest_sm3 = models.CharField("SM3 摘要", max_length=64)

    class Meta:
        verbose_name = "审计链头公布"
        verbose_name_plural = "审计链头公布"
        ordering = ["-on"]

    def __str__(self) -> str:
        return f"{self.on} {self.digest[:12]}"
