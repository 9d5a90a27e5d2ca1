"""Links that keep the current search and change one filter."""

from __future__ import annotations

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def facet_url(context, name: str, value: str) -> str:
    query = context["request"].GET.copy()
    query[name] = value
    query.pop("page", None)
    return "?" + query.urlencode()


@register.simple_tag(takes_context=True)
def remove_filter_url(context, name: str) -> str:
    query = context["request"].GET.copy()
    query.pop(name, None)
    query.pop("page", None)
    return "?" + query.urlencode()


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None
