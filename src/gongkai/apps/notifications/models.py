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
