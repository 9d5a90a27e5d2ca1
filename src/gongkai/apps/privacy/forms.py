from __future__ import annotations

from django import forms

from gongkai.documents.extract import SUPPORTED_EXTENSIONS

MAX_UPLOAD = 30 * 1024 * 1024


class OverrideForm(forms.Form):
    reason = forms.CharField(
        label="放行理由",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="写明公开这项个人信息的依据，例如“任免公告中的公职人员姓名”",
    )


class CheckForm(forms.Form):
    title = forms.CharField(label="标题", max_length=200)
    text = forms.CharField(
        label="文字内容",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="可粘贴拟公开的正文、答复或信件内容",
    )
    file = forms.FileField(
        label="文件",
        required=False,
        help_text="支持 "
        + "、".join(ext[1:].upper() for ext in SUPPORTED_EXTENSIONS)
        + "，不超过 30 MB",
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and upload.size > MAX_UPLOAD:
            raise forms.ValidationError("文件不能超过 30 MB")
        return upload

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        if not (cleaned.get("text") or "").strip() and not cleaned.get("file"):
            raise forms.ValidationError("请粘贴文字或上传文件")
        return cleaned
