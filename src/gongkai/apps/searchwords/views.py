"""Back-office pages under /backoffice/search-words/: what people search for, what finds
nothing, and the alias sets administrators edit."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from gongkai import clock
from gongkai.apps.searchwords import selectors, services
from gongkai.apps.searchwords.models import SearchAlias
from gongkai.apps.searchwords.permissions import can_edit_aliases, can_view_search_words

log = logging.getLogger(__name__)
PERIODS = {"7": 7, "30": 30, "90": 90}


def count_search(query: str, result: Any) -> None:
    """Count a public search (page one only; called by the search page). A failure to count
    never fails the search."""
    found = 0 if result.corrected_from else result.total + len(result.exact)
    try:
        services.record_query(query, found=found, on=clock.today())
    except DatabaseError:  # pragma: no cover - a read-only database during maintenance
        log.warning("search query not counted", exc_info=True)


def _viewer(request) -> None:
    if not can_view_search_words(request.user):
        raise PermissionDenied


@login_required
def home(request):
    _viewer(request)
    days = PERIODS.get(request.GET.get("days", ""), 30)
    until = clock.today()
    since = until - dt.timedelta(days=days - 1)
    searches, zero = selectors.totals(since=since, until=until)
    return render(
        request,
        "searchwords/bo/home.html",
        {
            "days": days,
            "periods": list(PERIODS),
            "since": since,
            "until": until,
            "searches": searches,
            "zero": zero,
            "zero_share": round(100 * zero / searches, 1) if searches else 0,
            "frequent": selectors.query_counts(since=since, until=until, limit=50),
            "failing": selectors.query_counts(since=since, until=until, zero_only=True, limit=50),
            "aliases": SearchAlias.objects.select_related("agency").order_by("-updated_at")[:200],
            "can_edit": can_edit_aliases(request.user),
        },
    )


class AliasForm(forms.Form):
    words = forms.CharField(
        label="同义词",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text="每行一个词，或用顿号分隔，如：征地、征收土地。搜索其中任一个词，都会同时搜索其他词。",
    )
    is_active = forms.BooleanField(label="启用", required=False, initial=True)
    note = forms.CharField(label="说明", max_length=200, required=False)


def _editor(request) -> None:
    if not can_edit_aliases(request.user):
        raise PermissionDenied


@login_required
def alias_edit(request, pk: int | None = None):
    _editor(request)
    alias = get_object_or_404(SearchAlias, pk=pk) if pk else None
    if request.method == "POST":
        form = AliasForm(request.POST)
        if form.is_valid():
            try:
                services.alias_save(
                    actor=request.user,
                    alias=alias,
                    words=form.cleaned_data["words"],
                    is_active=form.cleaned_data["is_active"],
                    note=form.cleaned_data["note"],
                )
            except services.AliasError as exc:
                form.add_error("words", str(exc))
            else:
                messages.success(request, "同义词已保存，搜索立即生效")
                return redirect("searchwords:home")
    else:
        initial = {"is_active": True, "words": request.GET.get("words", "")[:200]}
        if alias is not None:
            initial = {
                "words": "、".join(alias.word_list()),
                "is_active": alias.is_active,
                "note": alias.note,
            }
        form = AliasForm(initial=initial)
    return render(request, "searchwords/bo/alias_form.html", {"form": form, "alias": alias})


@login_required
@require_POST
def alias_delete(request, pk: int):
    _editor(request)
    alias = get_object_or_404(SearchAlias, pk=pk)
    services.alias_delete(actor=request.user, alias=alias)
    messages.success(request, "同义词已删除")
    return redirect("searchwords:home")
