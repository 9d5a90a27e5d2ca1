from django import forms

from gongkai.apps.organizations.models import Agency

GUIDE_FIELDS = (
    "office_name",
    "office_address",
    "office_postcode",
    "office_hours",
    "office_phone",
    "office_fax",
    "office_email",
    "office_website",
    "guide_notes",
    "review_body",
)


class AgencyGuideForm(forms.ModelForm):
    office_website = forms.URLField(label="互联网联系方式", required=False, assume_scheme="https")

    class Meta:
        model = Agency
        fields = GUIDE_FIELDS
        widgets = {"guide_notes": forms.Textarea(attrs={"rows": 4})}

    def clean_office_postcode(self):
        value = self.cleaned_data["office_postcode"].strip()
        if value and (len(value) != 6 or not value.isdigit()):
            raise forms.ValidationError("邮政编码应为6位数字")
        return value
