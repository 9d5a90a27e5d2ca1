from __future__ import annotations

from django import forms

MAX_UPLOAD = 20 * 1024 * 1024


class RegistryImportForm(forms.Form):
    file = forms.FileField(
        label="名录文件", help_text="CSV（UTF-8 或 GBK）或 XLSX，第一行为列名，不超过 20 MB"
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError("文件超过 20 MB")
        return upload


class SampleForm(forms.Form):
    kind = forms.ChoiceField(
        label="类型", choices=[("half_month", "半月抽查（不少于30%）"), ("quarter", "季度全面检查")]
    )
    ratio = forms.DecimalField(
        label="抽查比例（%）", min_value=30, max_value=100, initial=30, decimal_places=1
    )


class DrawForm(forms.Form):
    observed = forms.CharField(
        label="随机源公布值", max_length=200, help_text="照官方公布值录入，数字之间用空格分隔"
    )
