from __future__ import annotations

from typing import Any, cast

from django import forms

from gongkai import clock
from gongkai.apps.reporting.checker_files import MAX_BYTES
from gongkai.apps.reporting.models import ReportScope
from gongkai.domain.reports.model import ReportFormat


class ReportCreateForm(forms.Form):
    agency = forms.ChoiceField(label="机关")
    year = forms.IntegerField(label="报告年度", min_value=2008)
    scope = forms.ChoiceField(
        label="统计范围",
        choices=ReportScope.choices,
        help_text="政府可编制全辖区（含下级政府）或本级（政府及所属部门）的报告；部门为本机关。",
    )

    def __init__(self, *args: Any, agencies: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agencies = {str(a.pk): a for a in agencies}
        cast(forms.ChoiceField, self.fields["agency"]).choices = [
            (str(a.pk), a.name) for a in agencies
        ]
        today = clock.today()
        year = cast(forms.IntegerField, self.fields["year"])
        year.max_value = today.year
        year.initial = today.year - 1
        year.widget.attrs["max"] = today.year

    def clean_agency(self) -> Any:
        return self.agencies[self.cleaned_data["agency"]]


class NarrativeForm(forms.Form):
    def __init__(
        self, *args: Any, fmt: ReportFormat, initial_text: dict[str, str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        for section in fmt.narrative_sections():
            self.fields[section.narrative_key] = forms.CharField(
                label=section.heading,
                required=False,
                initial=initial_text.get(section.narrative_key, ""),
                help_text=section.guidance,
                widget=forms.Textarea(attrs={"rows": 8}),
            )


class AdjustForm(forms.Form):
    cell = forms.ChoiceField(label="单元格")
    value = forms.CharField(label="调整后数值", max_length=30)
    reason = forms.CharField(
        label="调整原因",
        max_length=500,
        help_text="如：部分申请以纸质方式办理，未录入平台。调整会在报告中标注。",
    )

    def __init__(self, *args: Any, fmt: ReportFormat, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = []
        for table in fmt.tables:
            group = []
            for cell in table.cells():
                if fmt.row(cell).ratio is None:
                    group.append((":".join(cell), fmt.cell_label(cell)))
            choices.append((table.title, group))
        cast(forms.ChoiceField, self.fields["cell"]).choices = choices


class EnteredFiguresForm(forms.Form):
    def __init__(
        self, *args: Any, specs: list[Any], current: dict[str, Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        for spec in specs:
            value = current.get(spec.key)
            self.fields[spec.key] = forms.CharField(
                label=spec.label,
                required=False,
                initial="" if value is None else _plain(value),
                help_text=spec.help or "留空表示不填报（报告中按0计）",
                widget=forms.TextInput(attrs={"inputmode": "decimal"}),
            )
        self.fields["note"] = forms.CharField(
            label="数据来源说明",
            required=False,
            max_length=300,
            help_text="如：据市场监管部门双公示系统统计",
        )


def _plain(value: Any) -> str:
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


class CheckForm(forms.Form):
    file = forms.FileField(
        label="年度报告文件",
        help_text="在浏览器中将报告页面“另存为网页（HTML）”，或上传 DOCX、XLSX 文件，最大 20MB。",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:  # before the file is read into memory
            raise forms.ValidationError(
                f"文件大小为{upload.size / 1048576:.1f}MB，超过{MAX_BYTES // 1048576}MB的上限"
            )
        return upload
