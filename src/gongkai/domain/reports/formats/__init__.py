"""Every report format the platform knows, by code. Add a format by declaring it here."""

from __future__ import annotations

from gongkai.domain.reports.formats.f2008 import FORMAT_2008
from gongkai.domain.reports.formats.f2019 import FORMAT_2019
from gongkai.domain.reports.formats.f2021 import FORMAT_2021
from gongkai.domain.reports.model import ReportFormat

FORMATS: dict[str, ReportFormat] = {f.code: f for f in (FORMAT_2008, FORMAT_2019, FORMAT_2021)}


def get_format(code: str) -> ReportFormat:
    try:
        return FORMATS[str(code)]
    except KeyError as exc:
        known = "、".join(FORMATS)
        raise ValueError(f"未知的年度报告格式“{code}”（可选：{known}）") from exc


def format_for_year(year: int) -> ReportFormat:
    """The format in force for a report year (2008–2018, 2019–2020, from 2021)."""
    for fmt in FORMATS.values():
        first, last = fmt.years
        if first <= year <= last:
            return fmt
    raise ValueError(f"{year}年没有适用的年度报告格式（政府信息公开条例自2008年5月1日起施行）")
