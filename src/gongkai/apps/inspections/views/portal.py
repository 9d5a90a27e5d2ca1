"""Public pages: 一单两库一细则, every frozen task with its commitment, record and results,
entity look-up, housing lotteries, and how to verify a draw."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods

from gongkai import clock
from gongkai.apps.inspections import selectors
from gongkai.apps.inspections.forms import VerifyUploadForm
from gongkai.apps.inspections.models import (
    DrawDocumentKind,
    HousingLottery,
    ItemLevel,
    LotteryStatus,
    MarketEntity,
    TaskStatus,
)
from gongkai.apps.inspections.services import results_csv, task_substitutions_document
from gongkai.charts import Series, data_table, hbar_chart
from gongkai.domain.draws.record import verify_record
from gongkai.domain.draws.substitution import verify_substitutions

ONLINE_LIMIT = 20 * 1024 * 1024  # larger records are checked offline with the script
VERIFIER = Path(__file__).resolve().parents[5] / "verifier" / "verify_draw.py"
PAGE = 30


def _page(request, qs, size: int = PAGE):
    return Paginator(qs, size).get_page(request.GET.get("page"))


def _year(request) -> int | None:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() else None


def index(request):
    stats = [selectors.inspection_year_stats(y) for y in selectors.inspection_years()[:6]]
    chart = None
    for year_stats in stats:
        rows = selectors.result_distribution(year_stats.year)
        if rows:
            labels = [label for label, _n in rows]
            series = [Series("市场主体（户）", [n for _label, n in rows])]
            title = f"{year_stats.year}年已公示抽查结果分类"
            chart = {
                "svg": hbar_chart(title, rows, unit="户"),
                "table": data_table(title, labels, series, unit="户"),
                "title": title,
            }
            break
    latest = selectors.task_list_public()[:10]
    lotteries = selectors.lottery_list_public()[:5]
    return render(
        request,
        "inspections/index.html",
        {
            "stats": stats,
            "chart": chart,
            "latest": latest,
            "lotteries": lotteries,
            "item_count": selectors.item_list().count(),
            "entity_count": MarketEntity.objects.count(),
        },
    )


def task_list(request):
    status = request.GET.get("status", "")
    if status not in TaskStatus.values:
        status = ""
    qs = selectors.task_list_public(
        agency_code=request.GET.get("agency", ""),
        year=_year(request),
        status=status,
        q=request.GET.get("q", "").strip(),
    )
    return render(
        request,
        "inspections/task_list.html",
        {
            "page": _page(request, qs),
            "statuses": [(v, label) for v, label in TaskStatus.choices if v != TaskStatus.DRAFT],
            "agencies": selectors.item_agencies(),
        },
    )


def _public_task(pk: int):
    task = selectors.task_get_public(pk)
    if task is None:
        raise Http404("没有这个抽查任务")
    return task


def task_detail(request, pk: int):
    task = _public_task(pk)
    results_public = task.status == TaskStatus.PUBLISHED
    drawn = task.status in (TaskStatus.DRAWN, TaskStatus.PUBLISHED) or (
        task.status == TaskStatus.CANCELLED and task.record_hash
    )
    selections = selectors.task_selections(task) if drawn else None
    strata = selectors.commitment_strata(task)
    rows, key = selectors.source_rows(task.sources, task.observed)
    return render(
        request,
        "inspections/task_detail.html",
        {
            "task": task,
            "source_rows": rows,
            "key_string": key,
            "items": task.items.all(),
            "departments": [task.agency, *task.joint_agencies.all()],
            "strata": strata[:200],
            "parts": selectors.commitment_parts(task),
            "strata_total": len(strata),
            "drawn": drawn,
            "results_public": results_public,
            "page": _page(request, selections, 50) if selections is not None else None,
            "result_counts": selectors.task_result_counts(task) if results_public else [],
            "substitutions": list(selectors.task_substitutions(task)) if drawn else [],
            "on_time": selectors.task_on_time(task),
            "overdue": task.status == TaskStatus.DRAWN
            and task.due_date is not None
            and task.due_date < clock.today(),
            "replaced_by": getattr(task, "replaced_by", None)
            if task.status == TaskStatus.CANCELLED
            else None,
        },
    )


def _document_response(doc, name: str, request) -> HttpResponse:
    if doc is None:
        raise Http404("文档尚未生成")
    if request.GET.get("gz"):
        response = HttpResponse(bytes(doc.content), content_type="application/gzip")
        response["Content-Disposition"] = f'attachment; filename="{name}.json.gz"'
    else:
        response = HttpResponse(doc.text_bytes(), content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.json"'
    response["X-Content-SHA256"] = doc.sha256
    return response


def task_commitment(request, pk: int):
    task = _public_task(pk)
    doc = selectors.task_document(task, DrawDocumentKind.COMMITMENT)
    return _document_response(doc, f"commitment-task{task.pk}", request)


def task_record(request, pk: int):
    task = _public_task(pk)
    doc = selectors.task_document(task, DrawDocumentKind.RECORD)
    return _document_response(doc, f"record-task{task.pk}", request)


def task_substitutions(request, pk: int):
    """The substitutions (递补) of a drawn task, to recompute with the record."""
    task = _public_task(pk)
    if not task.record_hash:
        raise Http404("尚未抽取")
    body = json.dumps(task_substitutions_document(task), ensure_ascii=False, indent=1)
    response = HttpResponse(body.encode(), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="substitutions-task{task.pk}.json"'
    return response


def task_results_csv(request, pk: int):
    task = _public_task(pk)
    if task.status != TaskStatus.PUBLISHED:
        raise Http404("检查结果尚未公示")
    response = HttpResponse(results_csv(task), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="results-task{task.pk}.csv"'
    return response


def items(request):
    level = request.GET.get("level", "")
    if level not in ItemLevel.values:
        level = ""
    qs = selectors.item_list(
        agency_code=request.GET.get("agency", ""), level=level, q=request.GET.get("q", "").strip()
    )
    return render(
        request,
        "inspections/items.html",
        {
            "page": _page(request, qs, 50),
            "agencies": selectors.item_agencies(),
            "levels": ItemLevel.choices,
        },
    )


def rules(request):
    return render(request, "inspections/rules.html", {"rulesets": selectors.ruleset_list()})


def entities(request):
    q = request.GET.get("q", "").strip()
    found = list(selectors.entity_search(q)) if q else []
    return render(request, "inspections/entities.html", {"q": q, "found": found})


def entity_detail(request, uscc: str):
    entity = get_object_or_404(MarketEntity, uscc=uscc.upper())
    return render(
        request,
        "inspections/entity_detail.html",
        {"entity": entity, "results": selectors.entity_results(entity)},
    )


def lotteries(request):
    return render(
        request,
        "inspections/lotteries.html",
        {"page": _page(request, selectors.lottery_list_public())},
    )


def _public_lottery(pk: int) -> HousingLottery:
    lottery = selectors.lottery_list_public().filter(pk=pk).first()
    if lottery is None:
        raise Http404("没有这次摇号")
    return lottery


def lottery_detail(request, pk: int):
    lottery = _public_lottery(pk)
    q = request.GET.get("q", "").strip().upper()
    applicants = lottery.applicants.select_related("group").order_by("sequence", "application_no")
    if q:
        applicants = applicants.filter(application_no__icontains=q)
    rows, key = selectors.source_rows(lottery.sources, lottery.observed)
    return render(
        request,
        "inspections/lottery_detail.html",
        {
            "lottery": lottery,
            "source_rows": rows,
            "key_string": key,
            "groups": lottery.groups.all(),
            "page": _page(request, applicants, 50),
            "q": q,
            "drawn": lottery.status == LotteryStatus.DRAWN,
        },
    )


def lottery_commitment(request, pk: int):
    lottery = _public_lottery(pk)
    return _document_response(
        selectors.lottery_document(lottery, DrawDocumentKind.COMMITMENT),
        f"commitment-lottery{pk}",
        request,
    )


def lottery_record(request, pk: int):
    lottery = _public_lottery(pk)
    return _document_response(
        selectors.lottery_document(lottery, DrawDocumentKind.RECORD), f"record-lottery{pk}", request
    )


@require_http_methods(["GET", "POST"])
def verify(request):
    outcome = None
    form = VerifyUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["record"]
        data = upload.read(ONLINE_LIMIT + 1)
        try:
            if data[:2] == b"\x1f\x8b":
                data = gzip.GzipFile(fileobj=io.BytesIO(data)).read(ONLINE_LIMIT + 1)
            if len(data) > ONLINE_LIMIT:
                form.add_error("record", "记录文件超过 20 MB：请下载校验程序在自己的电脑上验证")
                return render(request, "inspections/verify.html", {"form": form, "outcome": None})
            record = json.loads(data.decode("utf-8"))
            outcome = verify_record(
                record, expected_commitment_hash=form.cleaned_data["commitment_hash"] or None
            )
            substitutions = form.cleaned_data.get("substitutions")
            if outcome.ok and substitutions:
                outcome = _verify_substitutions(form, record, substitutions, outcome)
        except (OSError, EOFError, ValueError, UnicodeDecodeError):
            form.add_error("record", "无法读取：请上传从本网站下载的抽取记录 JSON 文件")
        except (KeyError, TypeError, AttributeError):
            form.add_error("record", "记录文件缺少字段或格式不对")
    return render(request, "inspections/verify.html", {"form": form, "outcome": outcome})


def _verify_substitutions(form, record, upload, outcome):
    """Add the checks of an uploaded substitutions file to a verified record's outcome."""
    try:
        document = json.loads(upload.read(ONLINE_LIMIT).decode("utf-8"))
        return verify_substitutions(record, document, into=outcome)
    except (ValueError, UnicodeDecodeError):
        form.add_error("substitutions", "无法读取递补记录：请上传任务页面下载的 JSON 文件")
    except (KeyError, TypeError, AttributeError):
        form.add_error("substitutions", "递补记录缺少字段或格式不对")
    return None


def verifier_script(request):
    if not VERIFIER.exists():
        raise Http404("校验程序不在本安装中")
    return FileResponse(
        VERIFIER.open("rb"),
        as_attachment=True,
        filename="verify_draw.py",
        content_type="text/x-python",
    )
