"""Back-office forms. They only parse input; the services validate and decide."""

from __future__ import annotations

from typing import cast

from django import forms

from gongkai import clock
from gongkai.apps.catalog.models import (
    Column,
    DisclosureMethod,
    DisclosureScope,
    Genre,
    LegalKind,
    PublicationChannelChoices,
    Topic,
    Validity,
)
from gongkai.domain.catalogmeta import INTERPRETATION_FORMS


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def _column_choices() -> list[tuple[str, str]]:
    columns = list(Column.objects.filter(is_active=True).order_by("sort_order", "id"))
    by_parent: dict[int | None, list[Column]] = {}
    for c in columns:
        by_parent.setdefault(c.parent_id, []).append(c)
    out: list[tuple[str, str]] = [("", "请选择栏目")]

    def walk(parent: int | None, depth: int) -> None:
        for c in by_parent.get(parent, []):
            out.append((str(c.pk), "　" * depth + c.name))
            walk(c.pk, depth + 1)

    walk(None, 0)
    return out


def _topic_choices() -> list[tuple[str, object]]:
    out: list[tuple[str, object]] = [("", "请选择主题分类")]
    tops = Topic.objects.filter(is_active=True, parent__isnull=True).order_by("sort_order")
    children: dict[int | None, list[Topic]] = {}
    for t in Topic.objects.filter(is_active=True, parent__isnull=False).order_by("sort_order"):
        children.setdefault(t.parent_id, []).append(t)
    for top in tops:
        kids = children.get(top.pk, [])
        if kids:
            out.append((top.name, [(str(k.pk), k.path) for k in kids]))
        else:
            out.append((str(top.pk), top.path))
    return out


class DocumentForm(forms.Form):
    title = forms.CharField(label="标题", max_length=300)
    column = forms.ChoiceField(label="栏目", required=False)
    topic = forms.ChoiceField(label="主题分类", required=False)
    genre = forms.ChoiceField(label="体裁", required=False)
    doc_number = forms.CharField(
        label="发文字号",
        max_length=60,
        required=False,
        help_text="如 示政办发〔2024〕12号；【】[]（）会自动改为〔〕",
    )
    written_on = forms.DateField(
        label="成文日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    legal_kind = forms.ChoiceField(
        label="文件属性", choices=LegalKind.choices, initial=LegalKind.OTHER
    )
    joint_agencies = forms.CharField(
        label="联合发布机构", required=False, help_text="联合发文时填写其他发布机构全称，用顿号分隔"
    )
    keywords = forms.CharField(label="主题词", max_length=200, required=False)
    summary = forms.CharField(
        label="内容概述", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    body_html = forms.CharField(
        label="正文",
        required=False,
        widget=forms.Textarea(
            attrs={
                "rows": 14,
                "data-richtext": "1",
                "data-clean-url": "/backoffice/catalog/richtext/clean/",
            }
        ),
        help_text="可设置标题、列表、表格和链接，可从 Word、WPS 粘贴；脚本、样式和图片会被去除",
    )
    interprets = forms.CharField(
        label="所解读的文件", required=False, help_text="政策解读填写被解读文件的索引号"
    )
    interpretation_form = forms.ChoiceField(
        label="解读形式", required=False, choices=[("", "—"), *INTERPRETATION_FORMS]
    )
    media_url = forms.URLField(label="音视频地址", required=False, assume_scheme="https")
    disclosure_method = forms.ChoiceField(label="公开方式", choices=DisclosureMethod.choices)
    disclosure_scope = forms.ChoiceField(label="公开范围", choices=DisclosureScope.choices)
    attachments = MultipleFileField(
        label="附件", required=False, help_text="PDF、DOCX、XLSX、OFD 等，可多选；附件文字会被检索"
    )
    reason = forms.CharField(
        label="修改理由",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="修改已发布的文件时必填",
    )

    def __init__(self, *args, revising: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["column"]).choices = _column_choices()
        cast(forms.ChoiceField, self.fields["topic"]).choices = _topic_choices()
        cast(forms.ChoiceField, self.fields["genre"]).choices = [("", "请选择体裁")] + [
            (str(g.pk), g.name) for g in Genre.objects.filter(is_active=True)
        ]
        if revising:
            self.fields["reason"].required = True
        else:
            del self.fields["reason"]

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("attachments", None)
        data.pop("reason", None)
        data["joint_agencies"] = [
            n.strip()
            for n in (data.get("joint_agencies") or "").replace(";", "、").split("、")
            if n.strip()
        ]
        return data


class ApproveForm(forms.Form):
    secrecy_opinion = forms.CharField(
        label="保密审查意见",
        widget=forms.Textarea(attrs={"rows": 3}),
        initial="经审查，不涉及国家秘密、工作秘密，可以公开。",
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 3}))


class ValidityForm(forms.Form):
    validity = forms.ChoiceField(label="有效性", choices=Validity.choices)
    on = forms.DateField(
        label="失效或废止日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    superseded_by = forms.CharField(label="替代文件（索引号）", required=False)
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 2}))


class ChannelForm(forms.Form):
    channel = forms.ChoiceField(
        label="渠道",
        choices=[
            c
            for c in PublicationChannelChoices.choices
            if c[0] != PublicationChannelChoices.WEBSITE
        ],
    )
    published_on = forms.DateField(label="发布日期", widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label="说明", max_length=200, required=False)


class TallyFilterForm(forms.Form):
    year = forms.IntegerField(label="年份", min_value=2000)


class GazetteForm(forms.Form):
    year = forms.IntegerField(label="年份", min_value=2000)
    number = forms.IntegerField(label="期号", min_value=1, max_value=366)
    total_number = forms.IntegerField(label="总期号", min_value=1, required=False)
    published_on = forms.DateField(label="出版日期", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = clock.today()
        self.fields["year"].initial = today.year
        self.fields["published_on"].initial = today


class ImportForm(forms.Form):
    file = forms.FileField(
        label="导出文件",
        help_text="CSV（UTF-8 或 GB18030）、JSON、JSON Lines 或 XLSX；第一行为列名",
    )
    as_draft = forms.BooleanField(label="导入为草稿（不直接发布）", required=False)


class PatternForm(forms.Form):
    index_pattern = forms.CharField(
        label="索引号规则",
        max_length=80,
        help_text="可用 {prefix}（统一社会信用代码或组织机构代码）、{yyyy}、{yy}、{mm}、{yyyymm}、{seq:05d}",
    )
