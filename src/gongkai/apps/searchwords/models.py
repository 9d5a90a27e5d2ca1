from django.db import models

from gongkai.domain.querywords import parse_alias_words


class SearchAlias(models.Model):
    """Words that mean the same to people searching (征地 · 征收土地). Searching any of them
    searches all of them, on either engine (ADR 0140). A row tied to an agency replaces the
    set generated from the agency tree for it (or switches it off when inactive)."""

    words = models.TextField("同义词", help_text="每行一个词，或用顿号、逗号分隔；至少两个词")
    agency = models.OneToOneField(
        "organizations.Agency",
        verbose_name="对应机关",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="search_alias",
        help_text="填写后，替代系统按机关名称自动生成的简称",
    )
    is_active = models.BooleanField("启用", default=True)
    note = models.CharField("说明", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "搜索同义词"
        verbose_name_plural = "搜索同义词"
        ordering = ["id"]

    def __str__(self) -> str:
        return " · ".join(self.word_list())[:100]

    def word_list(self) -> list[str]:
        return parse_alias_words(self.words)


class QueryStat(models.Model):
    """How often a query was searched on a day and how often it found nothing. Nothing about
    who searched is kept (no address, no user, no time of day), and queries that hold an
    identity number, a phone number or an e-mail address are not kept at all."""

    day = models.DateField("日期")
    query = models.CharField("搜索词", max_length=100)
    searches = models.PositiveIntegerField("搜索次数", default=0)
    zero_results = models.PositiveIntegerField("无结果次数", default=0)

    class Meta:
        verbose_name = "搜索词统计"
        verbose_name_plural = "搜索词统计"
        constraints = [
            models.UniqueConstraint(fields=["day", "query"], name="searchwords_stat_day_query")
        ]
        indexes = [models.Index(fields=["day"], name="searchwords_stat_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.query}"
