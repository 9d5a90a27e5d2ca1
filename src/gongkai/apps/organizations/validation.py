from django.core.exceptions import ValidationError

from gongkai.domain.codes import CodeError, normalize_org_code, normalize_uscc


def clean_agency_codes(uscc: str | None, org_code: str) -> tuple[str | None, str]:
    """Validate and normalise the two codes; they must agree when both are given."""
    errors: dict[str, str] = {}
    norm_uscc: str | None = None
    norm_org = ""
    if uscc:
        try:
            norm_uscc = normalize_uscc(uscc)
        except CodeError as exc:
            errors["uscc"] = str(exc)
    if org_code:
        try:
            norm_org = normalize_org_code(org_code)
        except CodeError as exc:
            errors["org_code"] = str(exc)
    if norm_uscc and norm_org and norm_uscc[8:17] != norm_org.replace("-", ""):
        errors["org_code"] = "组织机构代码与统一社会信用代码第9至17位不一致"
    if norm_uscc and not norm_org and not errors:
        try:
            norm_org = normalize_org_code(norm_uscc[8:17])
        except CodeError:
            norm_org = ""
    if errors:
        raise ValidationError(errors)
    return norm_uscc, norm_org
