from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms

from gongkai import clock
from gongkai.apps.inspections.errors import InspectionError
from gongkai.apps.inspections.models import (
    AllocationMode,
    EntityType,
    Industry,
    InspectionItem,
    InspectionRuleSet,
    ItemLevel,
    ResultCategory,
    RiskClass,
)
from gongkai.apps.organizations.models import Agency
from gongkai.domain.draws.sources import SourceKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
UPLOAD_HELP = "CSV（UTF-8 或 GBK 编码，Excel 另存即可）或 XLSX，第一行为列名。"


def district_text(values: list[str]) -> str:
    return "、".join(values)


def split_list(text: str) -> list[str]:
    for sep in ",，;；\n":
        text = text.replace(sep, "、")
    return [part.strip() for part in text.split("、") if part.strip()]


class ItemForm(forms.Form):
    code = forms.CharField(label="事项编码", max_length=40)
    name = forms.CharField(label="抽查事项", max_length=200)
    legal_basis = forms.CharField(label="检查依据", widget=forms.Textarea(attrs={"rows": 3}))
    object_type = forms.CharField(label="检查对象", max_length=100)
    ratio_text = forms.CharField(label="抽查比例", max_length=40, help_text="如：不低于5%")
    frequency = forms.CharField(label="抽查频次", max_length=40, help_text="如：每年1次")
    level = forms.ChoiceField(label="事项类别", choices=ItemLevel.choices)


class InspectorForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50)
    certificate_no = forms.CharField(label="执法证号", max_length=30)
    districts = forms.CharField(
        label="负责区域", required=False, help_text="区县名称，用顿号分隔；留空表示全市范围"
    )
    residence_district = forms.CharField(
        label="居住地区县", required=False, max_length=20, help_text="不公开，仅用于同地回避"
    )
    extra_recusal_districts = forms.CharField(label="其他回避区域", required=False)
    is_active = forms.BooleanField(label="在岗", required=False, initial=True)

    def cleaned_service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["districts"] = split_list(data["districts"])
        data["extra_recusal_districts"] = split_list(data["extra_recusal_districts"])
        return data


class ConflictForm(forms.Form):
    uscc = forms.CharField(label="市场主体统一社会信用代码", max_length=18)
    reason = forms.CharField(label="回避理由", max_length=200, help_text="不公开")


class RuleSetForm(forms.Form):
    name = forms.CharField(label="细则名称", max_length=100)
    ratio_a = forms.CharField(
        label="A类抽查比例", max_length=12, help_text="小数或百分数，如 0.03 或 3%"
    )
    ratio_b = forms.CharField(label="B类抽查比例", max_length=12)
    ratio_c = forms.CharField(label="C类抽查比例", max_length=12)
    ratio_d = forms.CharField(label="D类抽查比例", max_length=12)
    by_industry = forms.BooleanField(label="按行业分层（区县×风险等级×行业）", required=False)
    standby_ratio = forms.CharField(label="候补比例", max_length=12, initial="0.1")
    min_inspectors = forms.IntegerField(label="每户最少执法人员数", min_value=2, initial=2)
    recuse_same_residence = forms.BooleanField(
        label="执法人员回避其居住区县", required=False, initial=True
    )
    avoid_repeat_pairs = forms.BooleanField(
        label="同一组执法人员不再检查其检查过的对象", required=False, initial=True
    )
    results_days = forms.IntegerField(
        label="结果公示时限（工作日）", min_value=1, initial=20, help_text="自检查结束之日起"
    )
    valid_from = forms.DateField(label="施行日期", widget=DATE)
    valid_to = forms.DateField(label="废止日期", widget=DATE, required=False)
    notes = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class TaskForm(forms.Form):
    title = forms.CharField(label="任务名称", max_length=200)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    items = forms.ModelMultipleChoiceField(
        label="抽查事项",
        queryset=InspectionItem.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="本部门随机抽查事项清单中的事项，可多选",
    )
    joint_agencies = forms.ModelMultipleChoiceField(
        label="联合检查部门",
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="部门联合抽查时选择；每户检查组含各部门执法人员各一名",
    )
    ruleset = forms.ModelChoiceField(label="适用细则", queryset=InspectionRuleSet.objects.none())
    mode = forms.ChoiceField(label="抽取方式", choices=AllocationMode.choices)
    count = forms.IntegerField(
        label="抽取总数", min_value=1, required=False, help_text="仅“按总数分层分配”时填写"
    )
    filter_districts = forms.CharField(
        label="区县范围", required=False, help_text="用顿号分隔；留空表示全部区县"
    )
    filter_industries = forms.MultipleChoiceField(
        label="行业范围",
        choices=Industry.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    filter_types = forms.MultipleChoiceField(
        label="主体类型范围",
        choices=EntityType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    filter_risks = forms.MultipleChoiceField(
        label="风险等级范围",
        choices=RiskClass.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    check_start = forms.DateField(label="检查开始日期", widget=DATE)
    check_end = forms.DateField(label="检查结束日期", widget=DATE)

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        items = cast(forms.ModelMultipleChoiceField, self.fields["items"])
        items.queryset = InspectionItem.objects.filter(is_active=True, agency=agency).order_by(
            "code"
        )
        items.label_from_instance = lambda i: (  # type: ignore[assignment]
            f"{i.code} {i.name}（{i.get_level_display()}）"
        )
        cast(forms.ModelMultipleChoiceField, self.fields["joint_agencies"]).queryset = (
            Agency.objects.filter(inspection_items__isnull=False, is_active=True)
            .exclude(pk=agency.pk)
            .distinct()
        )
        cast(forms.ModelChoiceField, self.fields["ruleset"]).queryset = (
            InspectionRuleSet.objects.filter(agency__isnull=True)
            | InspectionRuleSet.objects.filter(agency=agency)
        )
        if not self.is_bound and "year" not in self.initial:
            self.initial["year"] = clock.today().year

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["filter_districts"] = split_list(data["filter_districts"])
        data["items"] = list(data["items"])
        data["joint_agencies"] = list(data["joint_agencies"])
        return data


SOURCE_ROWS = 3
SOURCE_DEFAULTS: list[dict[str, Any]] = [
    {
        "name": "中国福利彩票双色球第____期开奖号码（红球）",
        "kind": SourceKind.NUMBERS,
        "count": 6,
        "minimum": 1,
        "maximum": 33,
    },
    {
        "name": "中国福利彩票双色球第____期开奖号码（蓝球）",
        "kind": SourceKind.NUMBERS,
        "count": 1,
        "minimum": 1,
        "maximum": 16,
    },
    {"name": "", "kind": SourceKind.HEX, "count": None, "minimum": None, "maximum": None},
]


class FreezeForm(forms.Form):
    """Up to three announced sources; rows left without a name are ignored."""

    confirm = forms.BooleanField(
        label="我确认名单、执法人员和细则已核对无误；固化后将立即公开承诺，不能再修改",
        required=True,
    )

    def __init__(self, *args: Any, expected_on: dt.date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i in range(SOURCE_ROWS):
            defaults = SOURCE_DEFAULTS[i]
            self.fields[f"s{i}_name"] = forms.CharField(
                label=f"随机源{i + 1}名称",
                required=i == 0,
                max_length=200,
                initial=defaults["name"],
            )
            self.fields[f"s{i}_description"] = forms.CharField(
                label=f"随机源{i + 1}公布方式",
                required=False,
                max_length=300,
                help_text="在哪里、由谁公布，如：中国福利彩票发行管理中心开奖公告",
            )
            self.fields[f"s{i}_expected_on"] = forms.DateField(
                label=f"随机源{i + 1}公布日期", required=False, widget=DATE, initial=expected_on
            )
            self.fields[f"s{i}_kind"] = forms.ChoiceField(
                label=f"随机源{i + 1}数值形式",
                choices=[(k.value, k.label) for k in SourceKind],
                initial=defaults["kind"],
            )
            self.fields[f"s{i}_count"] = forms.IntegerField(
                label=f"随机源{i + 1}数值个数",
                required=False,
                min_value=1,
                initial=defaults["count"],
            )
            self.fields[f"s{i}_minimum"] = forms.IntegerField(
                label=f"随机源{i + 1}最小值",
                required=False,
                min_value=0,
                initial=defaults["minimum"],
            )
            self.fields[f"s{i}_maximum"] = forms.IntegerField(
                label=f"随机源{i + 1}最大值",
                required=False,
                min_value=0,
                initial=defaults["maximum"],
            )

    def source_rows(self) -> list[dict[str, Any]]:
        rows = []
        for i in range(SOURCE_ROWS):
            name = (self.cleaned_data.get(f"s{i}_name") or "").strip()
            if not name:
                continue
            if "____" in name:
                raise InspectionError(f"请把随机源{i + 1}名称中的“____”换成具体期号或轮次")
            rows.append(
                {
                    "name": name,
                    "description": self.cleaned_data.get(f"s{i}_description") or "",
                    "expected_on": self.cleaned_data.get(f"s{i}_expected_on"),
                    "kind": self.cleaned_data.get(f"s{i}_kind"),
                    "count": self.cleaned_data.get(f"s{i}_count"),
                    "minimum": self.cleaned_data.get(f"s{i}_minimum"),
                    "maximum": self.cleaned_data.get(f"s{i}_maximum"),
                }
            )
        return rows

    def source_groups(self) -> list[list[Any]]:
        return [
            [
                self[f"s{i}_{name}"]
                for name in (
                    "name",
                    "description",
                    "expected_on",
                    "kind",
                    "count",
                    "minimum",
                    "maximum",
                )
            ]
            for i in range(SOURCE_ROWS)
        ]


class DrawForm(forms.Form):
    def __init__(self, *args: Any, sources: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i, spec in enumerate(sources):
            hint = (
                "十六进制数值"
                if spec["kind"] == SourceKind.HEX
                else (
                    f"{spec['count']} 个整数，用空格分隔"
                    if spec.get("count")
                    else "整数，用空格分隔"
                )
            )
            self.fields[f"v{i}"] = forms.CharField(
                label=spec["name"],
                max_length=600,
                help_text=f"{hint}；{spec['description']}，预计{spec['expected_on']}公布",
            )

    def observed(self) -> list[str]:
        return [self.cleaned_data[name] for name in self.fields]


class ResultForm(forms.Form):
    result = forms.ChoiceField(label="检查结果", choices=[("", "请选择"), *ResultCategory.choices])
    note = forms.CharField(label="结果说明", required=False, max_length=500)
    checked_on = forms.DateField(label="检查日期", required=False, widget=DATE)


class UploadForm(forms.Form):
    file = forms.FileField(label="文件", help_text=UPLOAD_HELP)


class EntityImportForm(UploadForm):
    strict = forms.BooleanField(label="有任何一行错误时整批不导入", required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", max_length=300, help_text="将公开显示")


class FinishForm(forms.Form):
    finished_on = forms.DateField(label="实际检查结束日期", widget=DATE)


class LotteryForm(forms.Form):
    title = forms.CharField(label="摇号名称", max_length=200)
    project = forms.CharField(label="房源项目", max_length=200)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    notice = forms.CharField(
        label="摇号公告", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    groups = forms.CharField(
        label="申请人类别",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="每行一类，按摇号顺序：类别编号,类别名称,房源套数。如：1,优先保障家庭,30",
    )

    def clean_groups(self) -> list[tuple[str, str, int]]:
        rows = []
        for n, line in enumerate(self.cleaned_data["groups"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.replace("，", ",").split(",")]
            if len(parts) != 3 or not parts[2].isdigit():
                raise forms.ValidationError(f"第 {n} 行应为“类别编号,类别名称,房源套数”")
            rows.append((parts[0], parts[1], int(parts[2])))
        if not rows:
            raise forms.ValidationError("请至少填写一个申请人类别")
        return rows


class VerifyUploadForm(forms.Form):
    record = forms.FileField(label="抽取记录文件（.json 或 .json.gz）")
    commitment_hash = forms.CharField(
        label="事先公布的承诺哈希（可选）", required=False, max_length=64
    )
    substitutions = forms.FileField(
        label="递补记录文件（可选，任务页面下载的 substitutions JSON）", required=False
    )
