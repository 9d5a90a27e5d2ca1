from __future__ import annotations

from typing import cast

from django import forms

from gongkai.apps.workcalendar.models import DeadlineRule, EntryKind
from gongkai.apps.workcalendar.services import RULE_FIELDS
from gongkai.domain.regulations import RULESET_2008, RULESET_2019

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class EntryForm(forms.Form):
    day = forms.DateField(label="日期", widget=DATE_INPUT)
    kind = forms.ChoiceField(
        label="类型",
        choices=EntryKind.choices,
        help_text="法定节假日：放假（含节日期间的周末）；调休上班：照常上班的周六或周日",
    )
    name = forms.CharField(
        label="节日名称", max_length=30, help_text="如 春节、国庆节；调休上班日填所调休的节日"
    )
    source = forms.CharField(
        label="依据通知",
        max_length=200,
        required=False,
        help_text="如 国务院办公厅关于2027年部分节假日安排的通知",
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label="节假日安排文件",
        help_text="JSON 或 CSV，每行：日期(YYYY-MM-DD), 类型(holiday 法定节假日 / workday 调休上班), 名称[, 依据]",
    )
    notice = forms.CharField(
        label="依据通知",
        max_length=200,
        required=False,
        help_text="国务院办公厅通知的名称或文号；文件中未写依据的日期都记为此通知",
    )
    confirm = forms.BooleanField(
        label="文件是完整的年度安排，导入后即确认该年度（开始计入工作日）",
        required=False,
        initial=True,
    )
    replace = forms.BooleanField(
        label="删除文件所含年份中文件未列出的日期（通知修订时用）", required=False
    )


class YearConfirmForm(forms.Form):
    year = forms.IntegerField(label="年份", min_value=1990, max_value=2200)
    notice = forms.CharField(label="依据通知", max_length=200)


class DeadlineRuleForm(forms.ModelForm):
    class Meta:
        model = DeadlineRule
        fields = list(RULE_FIELDS)
        widgets = {"valid_from": DATE_INPUT, "valid_to": DATE_INPUT}


class CalculatorForm(forms.Form):
    received = forms.DateField(label="收到申请之日", widget=DATE_INPUT)
    working_days = forms.IntegerField(
        label="答复期限（工作日）",
        min_value=1,
        max_value=1000,
        required=False,
        help_text=(
            f"留空则按条例（{RULESET_2019.valid_from:%Y年%-m月%-d日}起"
            f"{RULESET_2019.answer_days}个工作日，此前{RULESET_2008.answer_days}个）"
        ),
    )
    regulation = forms.ChoiceField(label="适用条例", required=False)

    def __init__(self, *args, rule_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["regulation"]).choices = [
            ("", "按收到日期自动适用"),
            *rule_choices,
        ]
