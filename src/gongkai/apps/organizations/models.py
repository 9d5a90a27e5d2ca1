from django.db import models
from django.urls import reverse


class AgencyKind(models.TextChoices):
    GOVERNMENT = "government", "人民政府"
    DEPARTMENT = "department", "政府部门"
    TOWNSHIP = "township", "乡镇人民政府/街道办事处"
    OTHER = "other", "其他机构"


class AgencyLevel(models.TextChoices):
    CITY = "city", "市级"
    COUNTY = "county", "县级"
    TOWNSHIP = "township", "乡级"


class Agency(models.Model):
    """A 行政机关 that discloses information: a government, a department or a township."""

    code = models.SlugField(
        "机关代码", max_length=40, unique=True, help_text="用于网址和命令行，如 sjtj"
    )
    name = models.CharField("机关名称", max_length=100, unique=True)
    short_name = models.CharField("简称", max_length=40, blank=True)
    kind = models.CharField("类型", max_length=20, choices=AgencyKind.choices)
    level = models.CharField("层级", max_length=20, choices=AgencyLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级机关",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    region_code = models.CharField("行政区划代码", max_length=6, blank=True)
    uscc = models.CharField("统一社会信用代码", max_length=18, unique=True, null=True, blank=True)
    org_code = models.CharField("组织机构代码", max_length=10, blank=True)
    site_id_code = models.CharField("政府网站标识码", max_length=10, blank=True)
    # 条例第十二条: 政府信息公开指南 carries the office's name, address, hours, phone, fax, web contact
    office_name = models.CharField("政府信息公开工作机构", max_length=100)
    office_address = models.CharField("办公地址", max_length=200)
    office_postcode = models.CharField("邮政编码", max_length=6, blank=True)
    office_hours = models.CharField("办公时间", max_length=200)
    office_phone = models.CharField("联系电话", max_length=50)
    office_fax = models.CharField("传真", max_length=50, blank=True)
    office_email = models.EmailField("电子邮箱", blank=True)
    office_website = models.URLField("互联网联系方式", blank=True)
    guide_notes = models.TextField("公开指南补充说明", blank=True)
    # 行政复议法第二十四条: the government one level up by default; 第二十七条: 海关、金融、
    # 外汇管理等实行垂直领导的机关和税务、国家安全机关 go to the 上一级主管部门 — set it here
    review_body = models.CharField(
        "行政复议机关",
        max_length=100,
        blank=True,
        help_text="留空则为上级机关（部门为本级人民政府）；海关、金融、外汇管理、税务、"
        "国家安全等垂直管理机关请填写上一级主管部门",
    )
    sort_order = models.PositiveIntegerField("排序", default=100)
    is_active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "机关"
        verbose_name_plural = "机关"
        ordering = ["sort_order", "id"]
        indexes = [models.Index(fields=["parent", "sort_order"], name="agency_tree_idx")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organizations:guide", args=[self.code])

    @property
    def display_short(self) -> str:
        return self.short_name or self.name

    @property
    def is_government(self) -> bool:
        return self.kind == AgencyKind.GOVERNMENT

    @property
    def index_prefix(self) -> str:
        """Left part of 索引号: the USCC, else the 9-character 组织机构代码."""
        return self.uscc or self.org_code.replace("-", "")

    def ancestors(self) -> list["Agency"]:
        chain, node = [], self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain


class PortalSettings(models.Model):
    """The site's identity (one row): name, domain, 网站标识码, sponsor and 备案 lines.

    It belongs to the government that runs the site, so it lives beside the agencies: every
    context may read it (the catalogue's feeds and gazette, the portal's pages)."""

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
