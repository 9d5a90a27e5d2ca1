"""保障房摇号: the applicant list is frozen with a commitment, then ordered by the draw engine."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction

from gongkai import clock
from gongkai.apps.accounts.models import user_or_none
from gongkai.apps.audit.frame import Actor
from gongkai.apps.audit.services import audit_record
from gongkai.apps.inspections.errors import InspectionError
from gongkai.apps.inspections.models import (
    HousingLottery,
    LotteryApplicant,
    LotteryGroupRow,
    LotteryStatus,
)
from gongkai.apps.inspections.services.drawing import (
    LOTTERY,
    commitment_store,
    draw_cancel,
    draw_step,
    next_seq,
    previous_record_hash,
    record_build,
    record_store,
    require_draft,
    require_frozen,
    require_sources_ahead,
)
from gongkai.apps.inspections.services.importing import read_rows
from gongkai.domain.codes import CodeError, parse_id_number
from gongkai.domain.draws.canonical import nfc
from gongkai.domain.draws.inspection import DrawInputError
from gongkai.domain.draws.lottery import (
    Applicant,
    LotteryGroup,
    build_lottery_commitment,
    mask_name,
)
from gongkai.domain.draws.sources import SourceSpec
from gongkai.domain.inspections import InspectionAction


def _locked(lottery: HousingLottery) -> HousingLottery:
    return HousingLottery.objects.select_for_update().select_related("agency").get(pk=lottery.pk)


def lottery_create(
    *,
    actor: Actor,
    agency: Any,
    title: str,
    project: str,
    year: int,
    groups: Sequence[tuple[str, str, int]],
    notice: str = "",
) -> HousingLottery:
    """``groups``: (code, name, units) in the order they are drawn (优先 first)."""
    title, project = nfc(title), nfc(project)
    if not title or not project:
        raise InspectionError("请填写摇号名称和房源项目")
    clean_groups = []
    codes: set[str] = set()
    for code, name, units in groups:
        code, name = nfc(str(code)), nfc(name)
        if not code or not name:
            continue
        if code in codes or "/" in code:
            raise InspectionError(f"类别编号“{code}”重复或含有“/”")
        if int(units) < 0:
            raise InspectionError(f"类别“{name}”的房源套数不能为负数")
        codes.add(code)
        clean_groups.append((code, name, int(units)))
    if not clean_groups:
        raise InspectionError("请至少设置一个申请人类别")
    with transaction.atomic():
        lottery = HousingLottery.objects.create(
            agency=agency,
            year=year,
            seq=next_seq(HousingLottery, agency=agency, year=year),
            title=title,
            project=project,
            notice=nfc(notice),
            created_by=user_or_none(actor),
        )
        LotteryGroupRow.objects.bulk_create(
            [
                LotteryGroupRow(lottery=lottery, code=c, name=n, units=u, sort_order=i)
                for i, (c, n, u) in enumerate(clean_groups, start=1)
            ]
        )
        audit_record(
            actor=actor,
            action=InspectionAction.LOTTERY_CREATE,
            obj=lottery,
            agency_id=agency.pk,
            after={"title": title, "project": project, "groups": [list(g) for g in clean_groups]},
        )
    return lottery


def lottery_applicants_import(
    *, actor: Actor, lottery: HousingLottery, content: bytes, file_name: str
) -> int:
    """Applicants from CSV/XLSX (申请编号, 姓名, 身份证号码, 家庭人口, 类别): all or nothing."""
    rows = list(read_rows(content, file_name))
    if len(rows) < 2:
        raise InspectionError("文件中没有数据行")
    header = [nfc(h) for h in rows[0]]
    needed = ["申请编号", "姓名", "身份证号码", "类别"]
    missing = [h for h in needed if h not in header]
    if missing:
        raise InspectionError(f"表头缺少列：{'、'.join(missing)}")
    col = {h: header.index(h) for h in needed}
    col_size = header.index("家庭人口") if "家庭人口" in header else None
    with transaction.atomic():
        lottery = _locked(lottery)
        if lottery.status != LotteryStatus.DRAFT:
            raise InspectionError("名单已固化，不能再导入申请人")
        groups = {g.code: g for g in lottery.groups.all()} | {
            g.name: g for g in lottery.groups.all()
        }
        seen_numbers = set(lottery.applicants.values_list("application_no", flat=True))
        seen_ids = set(lottery.applicants.values_list("id_number", flat=True))
        new: list[LotteryApplicant] = []
        errors: list[str] = []
        for line, cells in enumerate(rows[1:], start=2):
            if not any(c.strip() for c in cells):
                continue
            cells = cells + [""] * (len(header) - len(cells))
            number = nfc(cells[col["申请编号"]]).upper()
            name = "".join(nfc(cells[col["姓名"]]).split())
            group = groups.get(nfc(cells[col["类别"]]))
            problems = []
            if not number or "/" in number or len(number) > 30:
                problems.append("申请编号为空、过长或含有“/”")
            elif number in seen_numbers:
                problems.append(f"申请编号 {number} 重复")
            if not name:
                problems.append("姓名为空")
            try:
                person = parse_id_number(cells[col["身份证号码"]])
                if person.number in seen_ids:
                    problems.append("同一身份证号码重复申请")
            except CodeError as exc:
                problems.append(str(exc))
                person = None
            if group is None:
                problems.append(f"类别“{cells[col['类别']]}”不存在")
            size = 1
            if col_size is not None and cells[col_size].strip():
                if not cells[col_size].strip().isdigit() or int(cells[col_size]) < 1:
                    problems.append("家庭人口应为正整数")
                else:
                    size = int(cells[col_size])
            if problems:
                errors.append(f"第 {line} 行：{'；'.join(problems)}")
                continue
            assert person is not None and group is not None
            seen_numbers.add(number)
            seen_ids.add(person.number)
            new.append(
                LotteryApplicant(
                    lottery=lottery,
                    group=group,
                    application_no=number,
                    name=name,
                    masked_name=mask_name(name),
                    id_number=person.number,
                    household_size=size,
                )
            )
        if errors:
            raise InspectionError(
                "导入未执行，文件有错误："
                + "；".join(errors[:10])
                + ("……" if len(errors) > 10 else "")
            )
        LotteryApplicant.objects.bulk_create(new, batch_size=2000)
        audit_record(
            actor=actor,
            action=InspectionAction.LOTTERY_IMPORT_APPLICANTS,
            obj=lottery,
            agency_id=lottery.agency_id,
            after={"file_name": file_name, "applicants": len(new)},
        )
    return len(new)


def lottery_freeze(
    *,
    actor: Actor,
    lottery: HousingLottery,
    sources: Sequence[SourceSpec],
    today: dt.date | None = None,
    now: dt.datetime | None = None,
) -> HousingLottery:
    now = now or clock.now()
    today = today or clock.local_date(now)
    require_sources_ahead(sources, today)
    with draw_step(
        actor, lottery, LOTTERY.freeze, lock=_locked, check=lambda o: require_draft(LOTTERY, o)
    ) as step:
        lottery = step.obj
        groups = []
        for g in lottery.groups.all():
            applicants = [
                Applicant(a.application_no, a.masked_name)
                for a in g.applicants.order_by("application_no")
            ]
            groups.append(LotteryGroup(g.code, g.name, g.units, applicants))
        frozen_at = now
        header = {
            "number": lottery.number,
            "title": lottery.title,
            "project": lottery.project,
            "agency": lottery.agency.name,
            "frozen_at": clock.localtime(frozen_at).isoformat(timespec="seconds"),
        }
        try:
            commitment = build_lottery_commitment(
                header=header,
                groups=groups,
                sources=list(sources),
                previous_record_hash=previous_record_hash(lottery),
            )
        except DrawInputError as exc:
            raise InspectionError(str(exc)) from exc
        commitment_store(
            LOTTERY, lottery, commitment=commitment, sources=sources, frozen_at=frozen_at
        )
        step.extra.update(
            commitment_hash=lottery.commitment_hash,
            applicants=sum(len(g.applicants) for g in groups),
        )
    return lottery


def lottery_draw(
    *,
    actor: Actor,
    lottery: HousingLottery,
    observed: Sequence[str],
    today: dt.date | None = None,
    now: dt.datetime | None = None,
) -> HousingLottery:
    now = now or clock.now()
    today = today or clock.local_date(now)
    with draw_step(
        actor, lottery, LOTTERY.draw, lock=_locked, check=lambda o: require_frozen(LOTTERY, o)
    ) as step:
        lottery = step.obj
        drawn_at = now
        record = record_build(LOTTERY, lottery, observed, today=today, drawn_at=drawn_at)
        record_store(LOTTERY, lottery, record=record, drawn_at=drawn_at)
        groups = {g.code: g for g in lottery.groups.all()}
        applicants = {a.application_no: a for a in lottery.applicants.all()}
        sequence = 0
        for out in record["result"]["groups"]:
            group = groups[out["id"]]
            for rank, (number, ticket) in enumerate(out["order"], start=1):
                sequence += 1
                a = applicants[number]
                a.sequence, a.group_rank, a.ticket = sequence, rank, ticket
                a.is_selected = rank <= group.units
        LotteryApplicant.objects.bulk_update(
            list(applicants.values()),
            ["sequence", "group_rank", "ticket", "is_selected"],
            batch_size=2000,
        )
        step.extra.update(observed=record["observed"], record_hash=lottery.record_hash)
    return lottery


def lottery_cancel(*, actor: Actor, lottery: HousingLottery, reason: str) -> HousingLottery:
    return draw_cancel(
        LOTTERY, lottery, actor=actor, reason=reason, lock=_locked, refused="已摇号的结果不能撤销"
    )
