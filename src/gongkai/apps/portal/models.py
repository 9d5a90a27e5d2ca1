from django.db import models


class DemoStepRun(models.Model):
    """Which demo-data steps have been loaded, so `gongkai demo` never loads one twice."""

    name = models.CharField("步骤", max_length=100, unique=True)
    loaded_at = models.DateTimeField("载入时间", auto_now_add=True)
    seconds = models.FloatField("耗时（秒）", default=0)

    class Meta:
        verbose_name = "示例数据步骤"
        verbose_name_plural = "示例数据步骤"

    def __str__(self) -> str:
        return self.name
