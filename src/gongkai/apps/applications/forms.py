"""Forms: parse and label input; the services validate the law and store."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django import forms

from gongkai.apps.applications.models import (
    DeliveryMethod,
    DocumentKind,
    IdType,
    LetterKind,
    ProvideForm,
    RequestChannelChoices,
)
from gongkai.apps.applications.services.workflow import (
    CONSULT_KINDS,
    CONSULT_OUTCOMES,
    DELIVERY_CHOICES,
)
from gongkai.apps.applications.uploads import MAX_FILES_PER_UPLOAD
from gongkai.apps.organizations.models import Agency
from gongkai.apps.organizations.selectors import agency_list_active, agency_tree
from gongkai.domain.deadlines import ReceiptChannel as ServiceChannel
from gongkai.domain.decisions import APPLICANT_TYPE_LABELS, DECISIONS
from gongkai.domain.fees import FeeMethod
from gongkai.domain.regulations import CURRENT

if TYPE_CHECKING:
    from gongkai.apps.accounts.models import User
    from gongkai.apps.organizations.models import Agency

APPLICANT_TYPE_CHOICES = [("", "请选择")] + [
    (t.value, "自然人" if label == "自然人" else f"法人或其他组织：{label}")
    for t, label in APPLICANT_TYPE_LABELS.items()
]
PERSON_ID_TYPES = [(v, label) for v, label in IdType.choices if v != IdType.USCC]
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        items = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(items) > MAX_FILES_PER_UPLOAD:
            raise forms.ValidationError(f"一次最多上传{MAX_FILES_PER_UPLOAD}个文件")
        cleaned = [super(MultipleFileField, self).clean(item, initial) for item in items]
        if self.required and not cleaned:
            raise forms.ValidationError("请选择要上传的文件")
        return [f for f in cleaned if f]


def read_files(files) -> list[tuple[str, bytes]]:
    return [(f.name, f.read()) for f in files or []]


class ApplicantFields(forms.Form):
    applicant_type = forms.ChoiceField(label="申请人类型", choices=APPLICANT_TYPE_CHOICES)
    name = forms.CharField(
        label="姓名或名称",
        max_length=100,
        help_text="自然人填写姓名；法人或其他组织填写全称",
    )
    id_type = forms.ChoiceField(
        label="身份证件类型（自然人）", choices=PERSON_ID_TYPES, required=False
    )
    id_number = forms.CharField(
        label="身份证件号码或统一社会信用代码",
        max_length=40,
        help_text="自然人填写身份证件号码（居民身份证将核验校验位）；法人或其他组织填写18位统一社会信用代码",
    )
    contact_person = forms.CharField(
        label="联系人（法人或其他组织）", max_length=50, required=False
    )
    phone = forms.CharField(label="联系电话", max_length=20, required=False)
    email = forms.EmailField(label="电子邮箱", required=False)
    address = forms.CharField(label="通信地址", max_length=200, required=False)
    postcode = forms.CharField(label="邮政编码", max_length=6, required=False)

    def applicant(self) -> dict[str, str]:
        data = self.cleaned_data
        return {
            "type": data["applicant_type"],
            "name": data["name"],
            "id_type": data.get("id_type") or "",
            "id_number": data["id_number"],
            "contact_person": data.get("contact_person", ""),
            "phone": data.get("phone", ""),
            "email": data.get("email", ""),
            "address": data.get("address", ""),
            "postcode": data.get("postcode", ""),
        }


class RequestFields(forms.Form):
    description = forms.CharField(
        label="所需政府信息的名称、文号或者便于查询的其他特征性描述",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
    )
    purpose = forms.CharField(
        label="用途（选填，不填写不影响办理）",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )
    provide_form = forms.ChoiceField(
        label="获取信息的形式",
        choices=ProvideForm.choices,
        initial=ProvideForm.ELECTRONIC,
        widget=forms.RadioSelect,
    )
    delivery = forms.ChoiceField(
        label="获取信息的方式",
        choices=DeliveryMethod.choices,
        initial=DeliveryMethod.ONLINE,
        widget=forms.RadioSelect,
    )


def agency_choices() -> list:
    """Active agencies grouped as people look for them: the city, then each county."""
    city: list[tuple[int, str]] = []
    counties: list[tuple[str, list[tuple[int, str]]]] = []
    for agency, depth in agency_tree():
        if depth == 0 or (depth == 1 and agency.kind != "government"):
            city.append((agency.pk, agency.name))
        elif depth == 1:
            counties.append((agency.name.replace("人民政府", ""), [(agency.pk, agency.name)]))
        elif counties:
            counties[-1][1].append((agency.pk, agency.name))
    return [("", "请选择机关"), ("市级机关", city), *counties]


class AgencyChoiceField(forms.TypedChoiceField):
    def __init__(self, **kwargs):
        super().__init__(coerce=self._agency, **kwargs)

    @staticmethod
    def _agency(value):
        agency = Agency.objects.filter(pk=int(value), is_active=True).first()
        if agency is None:
            raise forms.ValidationError("请选择受理申请的机关")
        return agency


class ApplyForm(ApplicantFields, RequestFields):
    agency = AgencyChoiceField(label="向哪个机关申请")
    attachments = MultipleFileField(
        label="附件（选填）",
        help_text=f"可上传身份证明或其他材料，最多{MAX_FILES_PER_UPLOAD}个；允许PDF、图片、Word、Excel",
    )
    notify_by = forms.MultipleChoiceField(
        label="接收办理通知（选填）",
        choices=[
            ("sms", "短信（发送到上面的手机号码）"),
            ("email", "电子邮件（发送到上面的邮箱）"),
        ],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="补正、延期、收费告知书和答复书发出时通知您；通知的发送记录作为送达凭证保存。",
    )
    form_token = forms.CharField(widget=forms.HiddenInput)
    field_order = [
        "agency",
        "applicant_type",
        "name",
        "id_type",
        "id_number",
        "contact_person",
        "phone",
        "email",
        "address",
        "postcode",
        "description",
        "purpose",
        "provide_form",
        "delivery",
        "notify_by",
        "attachments",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["agency"]).choices = agency_choices()


class StaffIntakeForm(ApplicantFields, RequestFields):
    channel = forms.ChoiceField(
        label="申请渠道",
        choices=[c for c in RequestChannelChoices.choices if c[0] != RequestChannelChoices.ONLINE],
    )
    letter_kind = forms.ChoiceField(
        label="信函种类", choices=[("", "—"), *LetterKind.choices], required=False
    )
    submitted_on = forms.DateField(label="提交（寄出）日期", widget=DATE_INPUT)
    signed_for_on = forms.DateField(
        label="签收日期（挂号信、快递）", widget=DATE_INPUT, required=False
    )
    confirmed_on = forms.DateField(
        label="与申请人确认日期（平信、传真、电子邮件）", widget=DATE_INPUT, required=False
    )
    scans = MultipleFileField(label="申请原件扫描件", help_text="申请表或申请信、身份证明的扫描件")
    envelope = MultipleFileField(label="信封扫描件（信函）")
    field_order = [
        "channel",
        "letter_kind",
        "submitted_on",
        "signed_for_on",
        "confirmed_on",
        "applicant_type",
        "name",
        "id_type",
        "id_number",
        "contact_person",
        "phone",
        "email",
        "address",
        "postcode",
        "description",
        "purpose",
        "provide_form",
        "delivery",
        "scans",
        "envelope",
    ]


class TrackForm(forms.Form):
    number = forms.CharField(
        label="登记号", max_length=20, help_text="如 YSQ-2026-000123", strip=True
    )
    code = forms.CharField(label="查询码", max_length=20, help_text="提交申请时获得的查询码")


class NoticeContactsForm(forms.Form):
    phone = forms.CharField(
        label="接收短信通知的手机号码",
        max_length=20,
        required=False,
        help_text="留空则不发短信",
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label="接收邮件通知的电子邮箱",
        required=False,
        help_text="留空则不发邮件",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class SupplyCorrectionForm(forms.Form):
    files = MultipleFileField(  # type: ignore[assignment]  # a declared field, not BaseForm.files
        label="补正材料"
    )
    note = forms.CharField(
        label="补正说明", widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=5000
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="撤回理由（选填）",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=1000,
    )
    confirm = forms.BooleanField(label="我确认撤回本申请，撤回后本机关不再处理")


# ── staff action forms (one per step) ───────────────────────────────────────────────────


class OnDateForm(forms.Form):
    on = forms.DateField(label="日期", widget=DATE_INPUT, required=False, help_text="不填为今天")


class AcceptForm(OnDateForm):
    officer: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        label="承办人", queryset=None, required=False
    )

    def __init__(self, *args, officers=None, **kwargs):
        super().__init__(*args, **kwargs)
        officer = cast(forms.ModelChoiceField, self.fields["officer"])
        officer.queryset = officers
        officer.empty_label = "由我承办"


class AssignForm(forms.Form):
    officer: forms.ModelChoiceField[User] = forms.ModelChoiceField(label="新承办人", queryset=None)

    def __init__(self, *args, officers=None, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["officer"]).queryset = officers


class CorrectionRequestForm(OnDateForm):
    items = forms.CharField(
        label="需补正的事项（每行一项）",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
    )
    until = forms.DateField(
        label="补正期限", widget=DATE_INPUT, required=False, help_text="不填按默认工作日数计算"
    )


class CorrectionReceiveForm(OnDateForm):
    files = MultipleFileField(  # type: ignore[assignment]  # a declared field, not BaseForm.files
        label="补正材料"
    )
    note = forms.CharField(label="说明", required=False, max_length=2000)


class ConsultStartForm(OnDateForm):
    kind = forms.ChoiceField(label="征求意见对象", choices=list(CONSULT_KINDS.items()))
    party = forms.CharField(label="被征求意见方名称", max_length=200)
    matters = forms.CharField(
        label="涉及的内容", widget=forms.Textarea(attrs={"rows": 3}), max_length=3000
    )


class ConsultEndForm(OnDateForm):
    outcome = forms.ChoiceField(label="意见", choices=list(CONSULT_OUTCOMES.items()))
    note = forms.CharField(label="说明", required=False, max_length=2000)
    files = MultipleFileField(  # type: ignore[assignment]  # a declared field, not BaseForm.files
        label="回复函扫描件"
    )


class ExtensionRequestForm(forms.Form):
    # the service checks the limit of the case's rule set; the form offers the current one
    days = forms.IntegerField(
        label="延长工作日数", min_value=1, max_value=40, initial=CURRENT.extension_max_days
    )
    reason = forms.CharField(
        label="延期理由", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class ExtensionDecideForm(OnDateForm):
    decision = forms.ChoiceField(
        label="审批意见", choices=[("approve", "同意延期"), ("reject", "不同意延期")]
    )
    comment = forms.CharField(label="意见（不同意时必填）", required=False, max_length=2000)


class FeeNoticeForm(OnDateForm):
    method = forms.ChoiceField(label="计收方式", choices=[(m.value, m.label) for m in FeeMethod])
    units = forms.IntegerField(
        label="计费数量（件或页）",
        min_value=1,
        help_text="按件：本申请按“一事一申请”拆分的件数；按量：提供信息的页数",
    )

    delivery = forms.ChoiceField(
        label="送达方式",
        choices=[(c.value, c.label) for c in ServiceChannel],
        help_text="缴费期限自申请人收到收费通知之日起计算（送达规则同条例第三十一条）",
    )
    served_on = forms.DateField(
        label="送达日期",
        widget=DATE_INPUT,
        required=False,
        help_text="当面交付不填（即发出之日）；邮寄为签收之日，其他方式为申请人确认收到之日，尚不知道的可待送达后登记",
    )


class FeeServedForm(OnDateForm):
    """The day the notice was signed for or confirmed (``on``)."""


class FeePaidForm(OnDateForm):
    pass


class ReasonsRequestForm(OnDateForm):
    """条例第三十五条: the agency asks for the reasons of clearly excessive requests."""

    grounds = forms.CharField(
        label="数量、频次明显超过合理范围的情况",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="写入说明理由告知书，如：您自某日至某日共提出政府信息公开申请若干件",
    )
    until = forms.DateField(
        label="说明理由期限", widget=DATE_INPUT, required=False, help_text="不填按默认工作日数计算"
    )


class ReasonsAcceptForm(OnDateForm):
    note = forms.CharField(label="申请人说明的理由", required=False, max_length=2000)
    until = forms.DateField(
        label="延迟答复期限",
        widget=DATE_INPUT,
        required=False,
        help_text="理由合理但无法在条例第三十三条规定的期限内答复时填写，将生成延迟答复告知书",
    )


class ReplyDraftForm(forms.Form):
    decision = forms.ChoiceField(label="答复类型")
    text = forms.CharField(
        label="答复意见",
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        max_length=20000,
        help_text="写入答复书：获取途径、不予公开的理由、需要说明的事项等",
    )
    referred_agency: forms.ModelChoiceField[Agency] = forms.ModelChoiceField(
        label="负责公开的机关（不属于本机关时）", queryset=None, required=False
    )
    referred_other = forms.CharField(
        label="平台外的负责机关及联系方式",
        required=False,
        max_length=300,
        help_text="如“某省某厅，电话……”",
    )
    forward = forms.BooleanField(label="同时将申请转交该机关办理", required=False)

    def __init__(self, *args, decisions=(), **kwargs):
        super().__init__(*args, **kwargs)
        labels = {d.code: d.label for d in DECISIONS}
        cast(forms.ChoiceField, self.fields["decision"]).choices = [("", "请选择")] + [
            (c, labels[c]) for c in decisions
        ]
        cast(forms.ModelChoiceField, self.fields["referred_agency"]).queryset = agency_list_active()


class ReviewForm(OnDateForm):
    verdict = forms.ChoiceField(
        label="审核意见", choices=[("approve", "审核通过，作出答复"), ("return", "退回修改")]
    )
    comment = forms.CharField(
        label="退回意见", widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )


class DeliverForm(OnDateForm):
    method = forms.ChoiceField(label="送达方式", choices=list(DELIVERY_CHOICES.items()))
    ref = forms.CharField(
        label="送达凭证", required=False, max_length=100, help_text="EMS邮件号、电子邮件回执等"
    )
    files = MultipleFileField(  # type: ignore[assignment]  # a declared field, not BaseForm.files
        label="送达回证扫描件"
    )


class ArchiveForm(OnDateForm):
    pass


class StaffWithdrawForm(OnDateForm):
    reason = forms.CharField(
        label="撤回情况（如申请人书面撤回）",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
    )


class AppealForm(forms.Form):
    kind = forms.ChoiceField(
        label="类型",
        choices=[
            ("reconsideration", "行政复议"),
            ("litigation_direct", "行政诉讼（未经复议直接起诉）"),
            ("litigation_after", "行政诉讼（复议后起诉）"),
        ],
    )
    filed_on = forms.DateField(label="申请或起诉日期", widget=DATE_INPUT)
    body = forms.CharField(label="复议机关或人民法院", max_length=100)
    case_number = forms.CharField(label="案号", required=False, max_length=60)
    note = forms.CharField(label="说明", required=False, max_length=2000)


class AppealDecideForm(forms.Form):
    appeal = forms.IntegerField(widget=forms.HiddenInput)
    result = forms.ChoiceField(
        label="结果", choices=[("upheld", "维持"), ("corrected", "纠正"), ("other", "其他")]
    )
    decided_on = forms.DateField(label="审结日期", widget=DATE_INPUT)
    note = forms.CharField(label="说明", required=False, max_length=2000)


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label="材料类别", choices=DocumentKind.choices)
    files = MultipleFileField(  # type: ignore[assignment]  # a declared field, not BaseForm.files
        label="文件", required=True
    )


class ProactiveForm(forms.Form):
    ids = forms.CharField(widget=forms.HiddenInput)
    title = forms.CharField(label="主动公开信息标题", max_length=200, required=False)
    reason = forms.CharField(label="不予采纳的理由", max_length=500, required=False)
    verdict = forms.ChoiceField(choices=[("create", "生成目录草稿"), ("dismiss", "不予采纳")])

    def application_ids(self) -> list[int]:
        try:
            return [int(x) for x in self.cleaned_data["ids"].split(",") if x.strip()]
        except ValueError:
            return []
