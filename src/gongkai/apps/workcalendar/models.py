"""The working-day calendar and the regulation time limits, as rows administrators edit.

Law is data: each year's State Council holiday notice becomes CalendarEntry rows plus one
CalendarYear row that says the year is complete; each version of the 条例 is a DeadlineRule
row with validity dates. Every change goes through ``services`` (audited, recomputes deadlines).
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q

from gongkai.domain.workdays import Due


class EntryKind(models.TextChoices):
    HOLIDAY = "holiday", "法定节假日"
    WORKDAY = "workday", "调休上班"


class CalendarYear(models.Model):
    """A year whose holiday notice is loaded completely; only such years count working days."""

    year = models.PositiveSmallIntegerField("年份", unique=True)
    notice = models.CharField("依据通知", max_length=200)
    confirmed_at = models.DateTimeField("确认时间", auto_now_add=True)
    confirmed_by = models.ForeignKey(
        "accounts.User",
        verbose_name="确认人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "已载入年度"
        verbose_name_plural = "已载入年度"
        ordering = ["year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=1990, year__lte=2200), name="calendaryear_sane_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year}年"


class CalendarEntry(models.Model):
    """One day of a holiday notice: a day off (法定节假日) or a weekend day worked (调休上班)."""

    day = models.DateField("日期", unique=True)
    kind = models.CharField("类型", max_length=10, choices=EntryKind.choices)
    name = models.CharField(
        "节日名称", max_length=30, help_text="放假的节日；调休上班日填所调休的节日"
    )
    source = models.CharField("依据通知", max_length=200, blank=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "节假日安排"
        verbose_name_plural = "节假日安排"
        ordering = ["day"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in EntryKind]), name="calendarentry_kind"
            ),
            models.CheckConstraint(condition=~Q(name=""), name="calendarentry_name_required"),
        ]

    def __str__(self) -> str:
        return f"{self.day.isoformat()} {self.get_kind_display()}（{self.name}）"


class DeadlineRule(models.Model):
    """The time limits of one version of the regulation (a future amendment is a new row)."""

    code = models.CharField("代码", max_length=20, unique=True)
    name = models.CharField("名称", max_length=200)
    valid_from = models.DateField("适用于此日起收到的申请")
    valid_to = models.DateField("适用至", null=True, blank=True)
    answer_days = models.PositiveSmallIntegerField("答复期限（工作日）")
    extension_max_days = models.PositiveSmallIntegerField("最长延期（工作日）")
    correction_notice_days = models.PositiveSmallIntegerField(
        "补正告知期限（工作日）", default=0, help_text="0 表示该版本未规定"
    )
    third_party_days = models.PositiveSmallIntegerField(
        "第三方答复期限（工作日）", default=0, help_text="0 表示该版本未规定"
    )
    other_agency_days = models.PositiveSmallIntegerField(
        "其他机关答复期限（工作日）", default=0, help_text="0 表示该版本未规定"
    )
    fee_payment_days = models.PositiveSmallIntegerField(
        "缴费期限（工作日）", default=0, help_text="0 表示该版本未规定"
    )
    pause_reasons = models.CharField(
        "不计入答复期限的情形",
        max_length=100,
        blank=True,
        help_text="逗号分隔：third_party（征求第三方意见）、other_agency（征求其他机关意见）、fee（缴费）",
    )
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "答复期限规则"
        verbose_name_plural = "答复期限规则"
        ordering = ["valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(answer_days__gte=1), name="deadlinerule_answer_days"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="deadlinerule_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CalendarVersion(models.Model):
    """One row whose token changes with every calendar or rule change (process caches key on it)."""

    token = models.CharField(max_length=32)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "日历版本"
        verbose_name_plural = "日历版本"

    def __str__(self) -> str:
        return self.token


class DueFields(models.Model):
    """A deadline as every context keeps it: the date, whether it is 暂定 (counted through a
    year whose holiday notice is not loaded) and the sentence that says why.

    Set only through ``set_due`` with the calendar's :class:`~gongkai.domain.workdays.Due`;
    recomputed by ``gongkai.apps.workcalendar.dues`` when the calendar changes.
    """

    due_date = models.DateField("期限", null=True, blank=True)
    due_provisional = models.BooleanField("期限暂定", default=False)
    due_reason = models.CharField("期限说明", max_length=300, blank=True)

    class Meta:
        abstract = True

    @property
    def due(self) -> Due | None:
        if self.due_date is None:
            return None
        return Due(self.due_date, self.due_provisional, self.due_reason)

    def set_due(self, due: Due | None) -> None:
        for name, value in due_columns(due).items():
            setattr(self, name, value)


DUE_FIELDS = ("due_date", "due_provisional", "due_reason")


def due_columns(due: Due | None) -> dict[str, object]:
    """The DueFields values of ``due``, for create() and bulk inserts."""
    return {
        "due_date": due.on if due else None,
        "due_provisional": bool(due and due.provisional),
        "due_reason": due.reason[:300] if due else "",
    }
