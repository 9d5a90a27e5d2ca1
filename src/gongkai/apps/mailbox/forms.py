from __future__ import annotations

from typing import cast

from django import forms

from gongkai.apps.mailbox.models import LetterCategory, RedirectChannel, Satisfaction
from gongkai.apps.organizations.models import Agency, AgencyKind, AgencyLevel

MAYOR = "mayor"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def addressee_choices() -> list:
    """市长信箱 first, then city departments and county governments (grouped)."""
    departments, counties = [], []
    for agency in Agency.objects.filter(is_active=True).order_by("sort_order", "id"):
        if agency.level == AgencyLevel.CITY and agency.kind == AgencyKind.DEPARTMENT:
            departments.append((agency.code, agency.name))
        elif agency.level == AgencyLevel.COUNTY and agency.kind == AgencyKind.GOVERNMENT:
            counties.append((agency.code, agency.name))
    choices: list = [(MAYOR, "市长信箱")]
    if departments:
        choices.append(("市政府部门信箱", departments))
    if counties:
        choices.append(("县（市、区）政府信箱", counties))
    return choices


class LetterForm(forms.Form):
    addressee = forms.ChoiceField(label="写信给", choices=(), initial=MAYOR)
    category = forms.ChoiceField(
        label="信件类别",
        choices=LetterCategory.choices,
        widget=forms.RadioSelect,
        help_text="咨询类一般在5个工作日内答复，其他类一般在15个工作日内答复",
    )
    subject = forms.CharField(label="标题", min_length=2, max_length=100)
    content = forms.CharField(
        label="内容",
        min_length=10,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="请写清事项、时间、地点；不超过5000字",
    )
    attachments = MultipleFileField(
        label="附件",
        required=False,
        help_text="可选，最多5个，每个不超过10MB（pdf、jpg、png、doc、docx、xls、xlsx、txt）；附件不会公开",
    )
    writer_name = forms.CharField(label="姓名", max_length=50)
    writer_phone = forms.CharField(
        label="联系电话",
        max_length=30,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    writer_email = forms.EmailField(
        label="电子邮箱", required=False, help_text="填写后答复将同时发送到邮箱"
    )
    writer_address = forms.CharField(label="通信地址", max_length=200, required=False)
    writer_id_number = forms.CharField(
        label="身份证号码",
        max_length=18,
        required=False,
        help_text="可选；转为政府信息公开申请时需要",
    )
    consent_publish = forms.BooleanField(
        label="同意在信箱公开栏目公开本信及答复（个人信息将遮蔽）",
        required=False,
    )
    token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["addressee"]).choices = addressee_choices()
        self.fields["writer_name"].widget.attrs["autocomplete"] = "name"
        self.fields["writer_email"].widget.attrs["autocomplete"] = "email"


class QueryForm(forms.Form):
    number = forms.CharField(label="信件编号", max_length=20, help_text="如 XX2026112700012")
    code = forms.CharField(label="查询码", max_length=12, help_text="写信成功后显示的8位查询码")

    def clean_number(self):
        return self.cleaned_data["number"].strip().upper()

    def clean_code(self):
        return self.cleaned_data["code"].strip().upper()


class RateForm(forms.Form):
    satisfaction = forms.ChoiceField(
        label="您对答复是否满意", choices=Satisfaction.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label="意见（可选）",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


# back office -------------------------------------------------------------------------------------


class AssignForm(forms.Form):
    agency = forms.ModelChoiceField(
        label="承办机关",
        queryset=Agency.objects.filter(is_active=True).order_by("sort_order", "id"),
    )
    note = forms.CharField(
        label="分办（转办）说明",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="转办时必须说明理由",
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


class ReplyForm(forms.Form):
    text = forms.CharField(label="答复内容", widget=forms.Textarea(attrs={"rows": 8}))


class SendBackForm(forms.Form):
    note = forms.CharField(
        label="修改意见", max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class RedirectForm(forms.Form):
    channel = forms.ChoiceField(label="应当通过的渠道", choices=RedirectChannel.choices)
    reply = forms.CharField(
        label="告知内容（理由和渠道）",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="说明为何不在信箱办理，并告知受理机关、地址、电话或网址",
    )


class ConvertForm(forms.Form):
    id_number = forms.CharField(
        label="写信人身份证号码",
        required=False,
        max_length=18,
        help_text="来信未提供的须填写（条例第二十九条：申请须有身份证明）",
    )
    note = forms.CharField(
        label="补充说明（可选）",
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class EmptyForm(forms.Form):
    """A button that needs no input."""


class PublicationForm(forms.Form):
    subject = forms.CharField(label="公开标题", max_length=200)
    content = forms.CharField(label="公开来信", widget=forms.Textarea(attrs={"rows": 6}))
    reply = forms.CharField(label="公开答复", widget=forms.Textarea(attrs={"rows": 6}))


class ImportForm(forms.Form):
    file = forms.FileField(
        label="12345工单文件",
        help_text="CSV、XLSX 或 JSON；列：工单编号、来电时间、来电人/联系方式、内容、承办单位（可选：类别、标题）",
    )


class TrainForm(forms.Form):
    holdout = forms.IntegerField(label="留出检验比例（%）", min_value=5, max_value=50, initial=20)
