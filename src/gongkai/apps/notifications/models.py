from django.conf import settings
from django.db import models


class Notice(models.Model):
    """An in-app notice to one user (deadline moved, reminder, approval requested …)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notices",
        verbose_name="收件人",
    )
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=300, blank=True)
    kind = models.CharField("类别", max_length=50, blank=True, db_index=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)
    emailed_at = models.DateTimeField("邮件发送时间", null=True, blank=True)

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知"
        ordering = ["-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notice_user_unread_idx")]

    def __str__(self) -> str:
        return self.title


class DeliveryChannel(models.TextChoices):
    INBOX = "inbox", "站内通知"
    EMAIL = "email", "电子邮件"
    SMS = "sms", "短信"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "待发送"
    SENT = "sent", "已发送"
    FAILED = "failed", "发送失败"


class Delivery(models.Model):
    """One notice sent through one channel, kept as its 送达 evidence: what was sent (the
    document's number and hash, the text's hash), to which address, when, through which
    backend, and the backend's own reference (the mail's Message-ID, the gateway's id)."""

    notice = models.ForeignKey(
        Notice, null=True, blank=True, on_delete=models.SET_NULL, related_name="deliveries"
    )
    channel = models.CharField("渠道", max_length=10, choices=DeliveryChannel.choices)
    # personal data: shown to the case's staff and to the addressee only
    recipient = models.CharField("接收地址", max_length=254)
    subject_type = models.CharField("事项类型", max_length=100, blank=True)
    subject_id = models.CharField("事项", max_length=64, blank=True, db_index=True)
    document_title = models.CharField("文书", max_length=100, blank=True)
    document_number = models.CharField("文书编号", max_length=60, blank=True)
    document_sha256 = models.CharField("文书摘要", max_length=64, blank=True)
    title = models.CharField("标题", max_length=200)
    content_sha256 = models.CharField("发送内容摘要", max_length=64)
    status = models.CharField(
        "状态", max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    backend = models.CharField("发送方式", max_length=200, blank=True)
    provider_ref = models.CharField("回执编号", max_length=200, blank=True)
    error = models.CharField("失败原因", max_length=300, blank=True)
    created_at = models.DateTimeField("生成时间", auto_now_add=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)

    class Meta:
        verbose_name = "通知送达记录"
        verbose_name_plural = "通知送达记录"
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="delivery_subject_idx")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.title}"

    @property
    def masked_recipient(self) -> str:
        """The address with its middle hidden (138****8000, z***@example.com)."""
        value = self.recipient
        if self.channel == DeliveryChannel.EMAIL and "@" in value:
            name, _, domain = value.partition("@")
            return f"{name[:1]}***@{domain}"
        if self.channel == DeliveryChannel.SMS and len(value) >= 7:
            return f"{value[:3]}****{value[-4:]}"
        return value
