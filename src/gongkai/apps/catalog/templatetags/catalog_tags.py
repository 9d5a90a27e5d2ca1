"""Links that keep the current search and change one filter."""

from __future__ import annotations

from html import escape  # what Django's escape() calls, without its lazy-text wrapper
from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils import dateformat
from django.utils.safestring import mark_safe

from gongkai import clock

register = template.Library()


@register.simple_tag(takes_context=True)
def remove_filter_url(context, name: str) -> str:
    query = context["request"].GET.copy()
    query.pop(name, None)
    query.pop("page", None)
    return "?" + query.urlencode()


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None


def _marked(fragments) -> str:
    return "".join(
        f"<mark>{escape(text)}</mark>" if hit else escape(text) for text, hit in fragments
    )


def _cn_date(value) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


_URL_PROBE = 987654321  # a document id no catalogue reaches, replaced in the reversed URL


@register.simple_tag
def doc_items(hits, show_snippet: bool = False) -> str:
    """The entries of a result list, written here rather than by a template included once per
    hit: twenty includes, each looping over the marked pieces of a title and a snippet, were
    half of a list page's time. The document links come from one reverse()."""
    probe = reverse("catalog:document", args=[_URL_PROBE])
    out = []
    for hit in hits:
        doc = hit.document
        url = escape(probe.replace(str(_URL_PROBE), str(doc.pk)))
        validity = ""
        if doc.validity != "valid":
            validity = f' <span class="tag danger">{escape(str(doc.get_validity_display()))}</span>'
        snippet = ""
        if show_snippet and hit.snippet:
            s = hit.snippet
            snippet = (
                '\n  <p class="snippet">'
                + ("…" if s.cut_before else "")
                + _marked(s.fragments)
                + ("…" if s.cut_after else "")
                + "</p>"
            )
        published = doc.published_at
        if published and published.tzinfo is not None:
            published = clock.localtime(published)
        meta = [f"<span>{escape(doc.agency.name)}</span>"]
        meta.append(
            f'<span><time datetime="{dateformat.format(published, "c") if published else ""}">'
            f"{_cn_date(published)}</time></span>"
        )
        if doc.doc_number:
            meta.append(f"<span>{escape(doc.doc_number)}</span>")
        if doc.index_no:
            meta.append(f"<span>索引号 {escape(doc.index_no)}</span>")
        if doc.column:
            meta.append(f"<span>{escape(doc.column.name)}</span>")
        out.append(
            '<li class="doc-item">\n'
            f'  <h3 class="doc-title"><a href="{url}">{_marked(hit.title)}</a>{validity}</h3>'
            f"{snippet}\n"
            '  <p class="doc-meta-line muted">\n    ' + "\n    ".join(meta) + "\n  </p>\n</li>"
        )
    return mark_safe("".join(out))  # every value above is escaped


@register.simple_tag(takes_context=True)
def facet_items(context, group) -> str:
    """The entries of one facet: each a link keeping the current search with this group's
    value changed (the query string is encoded once per group, not once per value)."""
    query = context["request"].GET.copy()
    query.pop("page", None)
    name = group["name"]
    query[name] = "\x00"  # keeps the parameter's place; encoded as %00
    prefix, _, suffix = query.urlencode().partition(urlencode({name: "\x00"}))
    out = []
    for v in group["values"]:
        label, count = escape(str(v.label)), f"{int(v.count):,}"
        if v.selected:
            out.append(
                f'<li><strong aria-current="true">{label}</strong> '
                f'<span class="count">{count}</span></li>'
            )
        else:
            href = escape("?" + prefix + urlencode({name: v.key}) + suffix)
            out.append(f'<li><a href="{href}">{label}</a> <span class="count">{count}</span></li>')
    return mark_safe("".join(out))  # every value above is escaped
