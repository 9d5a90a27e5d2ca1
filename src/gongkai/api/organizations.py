from ninja import Router, Schema

from gongkai.apps.organizations.selectors import agency_list_active

PREFIX = "/agencies/"
router = Router(tags=["机关"])


class AgencyOut(Schema):
    code: str
    name: str
    short_name: str
    kind: str
    level: str
    parent_code: str | None
    uscc: str | None
    office_name: str
    office_address: str
    office_hours: str
    office_phone: str
    office_fax: str
    office_email: str
    guide_url: str


@router.get("", response=list[AgencyOut], summary="机关名录及公开指南联系方式")
def agencies(request):
    return [
        AgencyOut(
            code=a.code,
            name=a.name,
            short_name=a.short_name,
            kind=a.kind,
            level=a.level,
            parent_code=a.parent.code if a.parent else None,
            uscc=a.uscc,
            office_name=a.office_name,
            office_address=a.office_address,
            office_hours=a.office_hours,
            office_phone=a.office_phone,
            office_fax=a.office_fax,
            office_email=a.office_email,
            guide_url=a.get_absolute_url(),
        )
        for a in agency_list_active()
    ]
