"""Back-office forms: one field per national field of the record type (domain FIELDS); the
field rules themselves are applied by the service (gongkai.domain.credit.validate_record)."""

from __future__ import annotations

from django import forms

from gongkai.domain.credit import FIELDS, IdType, PartyKind, RecordKind, Severity
from gongkai.domain.credit import Field as EnforcementField

_SELECT = {
    "party_kind": PartyKind,
    "id_type": IdType,
    "legal_rep_id_type": IdType,
    "severity": Severity,
    "field": EnforcementField,
}
_LONG = {"facts", "basis", "content", "remarks"}


def record_form(kind: RecordKind, data=None) -> forms.Form:
    form = forms.Form(data)
    for rule in FIELDS:
        if kind not in rule.kinds:
            continue
        if rule.key in ("authority_name", "authority_uscc", "source_name", "source_uscc"):
            required = False  # the agency's own, filled in when left empty
        else:
            required = rule.need == "required"
        if rule.key in _SELECT:
            field: forms.Field = forms.ChoiceField(
                label=rule.label,
                required=required,
                choices=[("", "—"), *_SELECT[rule.key].choices()],
            )
        elif rule.check == "date":
            field = forms.DateField(
                label=rule.label, required=required, widget=forms.DateInput(attrs={"type": "date"})
            )
        elif rule.key in _LONG:
            field = forms.CharField(
                label=rule.label, required=required, widget=forms.Textarea(attrs={"rows": 3})
            )
        else:
            field = forms.CharField(label=rule.label, required=required, max_length=rule.max_length)
        form.fields[rule.key] = field
    return form


class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=RecordKind.choices())
    file = forms.FileField(label="CSV 或 XLSX 文件")
