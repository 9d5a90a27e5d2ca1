"""Sentences that state a report's figures, and the generated first draft of its narrative.

Sentence templates live in the format declarations. Their small language:

- ``{t3:new:total}`` a cell; ``{m:mail.received}`` a measure; ``{m:pub.*}`` the sum of the
  measures starting with ``pub.``; ``{year}``, ``{subject}``, ``{agency}`` from the context;
- ``[ … ]`` a fragment left out when every figure in it is zero;
- a leading ``?{ref}=0:`` or ``?{ref}>0:`` keeps the sentence only under that condition.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from gongkai.domain.reports.identities import format_number
from gongkai.domain.reports.model import CellKey, Number, ReportFormat, parse_cell_id

PLACEHOLDER = re.compile(r"\{([^{}]+)\}")
OPTIONAL = re.compile(r"\[([^\[\]]*)\]")
CONDITION = re.compile(r"^\?\{([^{}]+)\}(=0|>0):")

# the marker a draft leaves where the agency must write; publication refuses it
TO_FILL = "【待填写"


@dataclass(frozen=True)
class Context:
    year: int
    agency: str
    subject: str  # 全市 / 本级政府及所属部门 / 本机关


def _value(
    ref: str,
    fmt: ReportFormat,
    values: Mapping[CellKey, Number],
    measures: Mapping[str, Number],
) -> tuple[Number, str]:
    if ref.startswith("m:"):
        name = ref[2:]
        if name.endswith("*"):
            prefix = name[:-1]
            total: Number = sum((v for k, v in measures.items() if k.startswith(prefix)), 0)
            return total, format_number(total)
        value = measures.get(name, 0)
        return value, format_number(value)
    cell = parse_cell_id(ref)
    value = values.get(cell, 0)
    return value, format_number(value, fmt.kind(cell))


def render_sentence(
    template: str,
    fmt: ReportFormat,
    values: Mapping[CellKey, Number],
    measures: Mapping[str, Number],
    context: Context,
) -> str | None:
    """Fill one sentence template; None when its condition excludes it."""
    text_context = {"year": str(context.year), "agency": context.agency, "subject": context.subject}
    condition = CONDITION.match(template)
    if condition is not None:
        value, _text = _value(condition.group(1), fmt, values, measures)
        holds = not value if condition.group(2) == "=0" else bool(value)
        if not holds:
            return None
        template = template[condition.end() :]

    def figures_in(fragment: str) -> list[Number]:
        return [
            _value(ref, fmt, values, measures)[0]
            for ref in PLACEHOLDER.findall(fragment)
            if ref not in text_context
        ]

    def keep_optional(match: re.Match[str]) -> str:
        fragment = match.group(1)
        return fragment if any(figures_in(fragment)) else ""

    template = OPTIONAL.sub(keep_optional, template)

    def fill(match: re.Match[str]) -> str:
        ref = match.group(1)
        if ref in text_context:
            return text_context[ref]
        return _value(ref, fmt, values, measures)[1]

    return PLACEHOLDER.sub(fill, template)


def section_sentences(
    fmt: ReportFormat,
    section_key: str,
    values: Mapping[CellKey, Number],
    measures: Mapping[str, Number],
    context: Context,
) -> list[str]:
    out = []
    for template in fmt.section(section_key).sentences:
        sentence = render_sentence(template, fmt, values, measures, context)
        if sentence:
            out.append(sentence)
    return out


def draft_narrative(
    fmt: ReportFormat,
    values: Mapping[CellKey, Number],
    measures: Mapping[str, Number],
    context: Context,
) -> dict[str, str]:
    """A first draft of each narrative section: the figures stated, the rest marked to fill."""
    drafts: dict[str, str] = {}
    for section in fmt.narrative_sections():
        paragraphs = []
        sentences = section_sentences(fmt, section.key, values, measures, context)
        if sentences:
            paragraphs.append("".join(sentences))
        if section.narrative_key != "other" or not sentences:
            paragraphs.append(f"{TO_FILL}：{section.guidance}】")
        drafts[section.narrative_key] = "\n\n".join(paragraphs)
    return drafts


def narrative_problems(fmt: ReportFormat, narrative: Mapping[str, str]) -> list[str]:
    """Why the narrative is not ready to publish (empty sections, unfilled markers)."""
    problems = []
    for section in fmt.narrative_sections():
        text = (narrative.get(section.narrative_key) or "").strip()
        if not text:
            problems.append(f"“{section.heading}”尚未填写")
        elif TO_FILL in text:
            problems.append(f"“{section.heading}”仍有“{TO_FILL}】”标记，请补充后再发布")
    return problems
