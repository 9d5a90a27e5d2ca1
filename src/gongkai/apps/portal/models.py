from django.db import models


class PortalSettings(models.Model):
    """The site's identity (one row): name, domain, 网站标识码, sponsor and 备案 lines."""

    site_name = models.CharField("网站名称", max_length=100, default="示例市人民政府")
    site_domain = models.CharField("网站域名", max_length=100, default="www.example.gov.cn")
    site_id_code = models.CharField("政府网站标识码", max_length=10, blank=True)
    sponsor = models.CharField("主办单位", max_length=100, default="示例市人民政府办公室")
    operator = models.CharField("承办单位", max_length=100, blank=True)
    icp = models.CharField("ICP备案号", max_length=50, blank=True)
    police_record = models.CharField("公安备案号", max_length=50, blank=True)
    contact = models.CharField("联系方式", max_length=200, blank=True)

    class Meta:
        verbose_name = "网站设置"
        verbose_name_plural = "网站设置"

    def __str__(self) -> str:
        return self.site_name

    CACHE_KEY = "portal:settings"

    def save(self, *args, **kwargs) -> None:
        from django.core.cache import cache

        super().save(*args, **kwargs)
        cache.delete(self.CACHE_KEY)

    def delete(self, *args, **kwargs):
        from django.core.cache import cache

        result = super().delete(*args, **kwargs)
        cache.delete(self.CACHE_KEY)
        return result

    @classmethod
    def current(cls) -> "PortalSettings":
        """The settings row, from the cache: every page shows it, and it changes seldom
        (saving or deleting it clears the cached copy in every process)."""
        from django.core.cache import cache

        found = cache.get(cls.CACHE_KEY)
        if found is None:
            found = cls.objects.order_by("id").first() or cls()
            cache.set(cls.CACHE_KEY, found, 600)
        return found


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
