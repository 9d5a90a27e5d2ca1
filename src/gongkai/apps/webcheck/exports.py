"""The check results a supervisor files and circulates: an XLSX workbook (results, every finding
with its evidence, the rectification tasks) and a DOCX circular (通报) on the official page,
both from the latest check of each site and account the user may see."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any

from gongkai.apps.webcheck import selectors
from gongkai.apps.webcheck.models import Check
from gongkai.documents.tabular import xlsx_set
from gongkai.domain.webcheck.indicators import Outcome, verdict_label, veto_text
from gongkai.domain.webcheck.states import RectifyState


def _deductions(result: dict[str, Any] | None) -> str:
    return "；".join(
        f"{r['label']}扣{r['points']:g}分"
        for r in (result or {}).get("results", [])
        if r["outcome"] == Outcome.DEDUCT.value
    )


@dataclass
class Results:
    on: dt.date
    sites: list[tuple[Any, Any]] = field(default_factory=list)  # (site, latest check or None)
    accounts: list[tuple[Any, Any]] = field(default_factory=list)
    tasks: list[Any] = field(default_factory=list)

    @staticmethod
    def _count(pairs: list[tuple[Any, Any]]) -> dict[str, int]:
        checks = [c for _s, c in pairs if c is not None]
        return {
            "total": len(pairs),
            "checked": len(checks),
            "pass": sum(c.verdict == "pass" for c in checks),
            "fail": sum(c.verdict == "fail" for c in checks),
            "unknown": sum(c.verdict == "unknown" for c in checks),
            "vetoed": sum(bool(c.vetoes) for c in checks),
        }

    @property
    def site_counts(self) -> dict[str, int]:
        return self._count(self.sites)

    @property
    def account_counts(self) -> dict[str, int]:
        return self._count(self.accounts)

    @property
    def overdue(self) -> list[Any]:
        return [t for t in self.tasks if t.due_date is not None and t.due_date < self.on]


def gather(user: Any, on: dt.date) -> Results:
    sites = list(selectors.sites_for(user).filter(status="open"))
    latest = selectors.latest_checks(sites)
    # the result (evidence) is deferred in latest_checks: fetch it for the chosen ones
    full = {c.pk: c for c in Check.objects.filter(pk__in=[c.pk for c in latest.values()])}
    accounts = list(selectors.accounts_for(user).filter(status="open"))
    media = selectors.latest_media_checks(accounts)
    tasks = list(
        selectors.tasks_for(user)
        .filter(state=RectifyState.OPEN)
        .select_related("agency")
        .order_by("due_date", "pk")
    )
    return Results(
        on=on,
        sites=[(s, full.get(latest[s.pk].pk) if s.pk in latest else None) for s in sites],
        accounts=[(a, media.get(a.pk)) for a in accounts],
        tasks=tasks,
    )


SITE_HEAD = [
    "网站标识码",
    "网站名称",
    "主办单位",
    "承办（运维）单位",
    "检查日期",
    "结论",
    "得分",
    "单项否决",
    "扣分项",
]
ACCOUNT_HEAD = ["平台", "账号名称", "主办单位", "检查日期", "结论", "得分", "单项否决", "扣分项"]
FINDING_HEAD = ["对象", "检查日期", "指标", "类别", "结果", "扣分", "说明", "网址", "日期", "所见"]
TASK_HEAD = ["网站或账号", "问题", "单项否决", "整改单位", "下发日期", "整改期限", "是否逾期"]


def site_rows(results: Results) -> list[list[Any]]:
    return [
        [
            s.site_code,
            s.name,
            s.sponsor.name,
            s.operator.name,
            c.checked_on if c else None,
            verdict_label(c.verdict) if c else "未检查",
            float(c.score) if c and c.score is not None else None,
            veto_text(c.vetoes) if c else "",
            _deductions(c.result) if c else "",
        ]
        for s, c in results.sites
    ]


def account_rows(results: Results) -> list[list[Any]]:
    return [
        [
            a.get_platform_display(),
            a.name,
            a.sponsor.name,
            c.checked_on if c else None,
            verdict_label(c.verdict) if c else "未检查",
            float(c.score) if c and c.score is not None else None,
            veto_text(c.vetoes) if c else "",
            _deductions(c.result) if c else "",
        ]
        for a, c in results.accounts
    ]


def finding_rows(results: Results) -> list[list[Any]]:
    rows: list[list[Any]] = []
    subjects = [(s.name, c) for s, c in results.sites] + [(str(a), c) for a, c in results.accounts]
    for name, check in subjects:
        if check is None:
            continue
        for r in (check.result or {}).get("results", []):
            if r["outcome"] not in (Outcome.VETO.value, Outcome.DEDUCT.value):
                continue
            head = [
                name,
                check.checked_on,
                r["label"],
                "单项否决" if r["veto"] else "扣分",
                Outcome(r["outcome"]).label,
                r["points"] or None,
                r["summary"],
            ]
            for e in r["evidence"] or [{"url": "", "seen_on": "", "what": ""}]:
                rows.append([*head, e["url"], e["seen_on"], e["what"]])
    return rows


def task_rows(results: Results) -> list[list[Any]]:
    return [
        [
            t.subject_name,
            t.label,
            "是" if t.veto else "否",
            t.agency.name,
            t.opened_on,
            t.due_date,
            "已逾期" if t.due_date is not None and t.due_date < results.on else "",
        ]
        for t in results.tasks
    ]


def xlsx_bytes(results: Results) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheets = [
        ("网站检查结果", SITE_HEAD, site_rows(results)),
        ("新媒体检查结果", ACCOUNT_HEAD, account_rows(results)),
        ("问题与证据", FINDING_HEAD, finding_rows(results)),
        ("整改任务", TASK_HEAD, task_rows(results)),
    ]
    for index, (title, head, rows) in enumerate(sheets):
        sheet = book.active if index == 0 else book.create_sheet()
        sheet.title = title
        for c, text in enumerate(head, start=1):
            xlsx_set(sheet.cell(1, c), text).font = Font(bold=True)
        for r, row in enumerate(rows, start=2):
            for c, value in enumerate(row, start=1):
                cell = xlsx_set(sheet.cell(r, c), value)
                if isinstance(value, dt.date):
                    cell.number_format = "yyyy-mm-dd"
        sheet.freeze_panes = "A2"
        for c in range(1, len(head) + 1):
            sheet.column_dimensions[sheet.cell(1, c).column_letter].width = 18
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cn(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def summary_paragraphs(results: Results) -> list[str]:
    s, a = results.site_counts, results.account_counts
    judged = s["pass"] + s["fail"]
    rate = f"{100 * s['pass'] / judged:.1f}%" if judged else "—"
    out = [
        f"截至{_cn(results.on)}，全市开设政府网站{s['total']}个，已检查{s['checked']}个，"
        f"最近一次检查合格{s['pass']}个、不合格{s['fail']}个、无法检查{s['unknown']}个，"
        f"合格率{rate}；触发单项否决指标的网站{s['vetoed']}个。",
        f"登记政务新媒体账号{a['total']}个，已检查{a['checked']}个，合格{a['pass']}个、"
        f"不合格{a['fail']}个、无法检查{a['unknown']}个。",
        f"检查发现的问题已下发整改任务，目前整改中{len(results.tasks)}件，"
        f"其中已逾期{len(results.overdue)}件。",
    ]
    return out


def docx_bytes(results: Results) -> bytes:
    # deferred: loads python-docx only when a DOCX is written
    from gongkai.documents.docx import (
        add_heading,
        add_paragraph,
        add_table,
        add_title,
        new_document,
        to_bytes,
    )

    document = new_document()
    add_title(document, "政府网站与政务新媒体检查情况通报")
    add_paragraph(document, f"（截至{_cn(results.on)}）", indent=False, align="center")
    add_heading(document, "一、总体情况")
    for paragraph in summary_paragraphs(results):
        add_paragraph(document, paragraph)
    add_heading(document, "二、不合格的政府网站")
    failing = [row for row in site_rows(results) if row[5] == "不合格"]
    if failing:
        add_table(
            document,
            ["网站名称", "主办单位", "检查日期", "单项否决", "得分", "扣分项"],
            [
                [r[1], r[2], r[4], r[7] or "—", r[6] if r[6] is not None else "—", r[8]]
                for r in failing
            ],
            size_pt=9,
        )
    else:
        add_paragraph(document, "最近一次检查中没有不合格的政府网站。")
    add_heading(document, "三、不合格的政务新媒体账号")
    bad = [row for row in account_rows(results) if row[4] == "不合格"]
    if bad:
        add_table(
            document,
            ["平台", "账号名称", "主办单位", "单项否决", "得分", "扣分项"],
            [[r[0], r[1], r[2], r[6] or "—", r[5] if r[5] is not None else "—", r[7]] for r in bad],
            size_pt=9,
        )
    else:
        add_paragraph(document, "最近一次检查中没有不合格的政务新媒体账号。")
    add_heading(document, "四、整改要求")
    add_paragraph(
        document,
        "请各主办、承办单位对照检查发现的问题，在整改期限内完成整改，整改情况以复查结果为准。",
    )
    if results.overdue:
        add_table(
            document,
            ["网站或账号", "问题", "整改单位", "整改期限"],
            [[t.subject_name, t.label, t.agency.name, t.due_date] for t in results.overdue],
            size_pt=9,
        )
    return to_bytes(document)
