"""The maintained list of wrong words: 错别字 (a deduction) and 严重表述错误 (a single veto).

Entries are data (``WordEntry``), kept by the administrator; :data:`DEFAULT_WORDS` is the list a
new installation starts from: common misspellings of institutions, laws and set phrases.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class WordEntry:
    wrong: str
    right: str
    serious: bool = False  # 严重表述错误: a veto, not a deduction


@dataclass(frozen=True)
class WordHit:
    wrong: str
    right: str
    serious: bool
    context: str  # the text around the hit


DEFAULT_WORDS: tuple[WordEntry, ...] = (
    WordEntry("中华人民共合国", "中华人民共和国", True),
    WordEntry("中华人民共和囯", "中华人民共和国", True),
    WordEntry("中国共产觉", "中国共产党", True),
    WordEntry("全国人民代表人会", "全国人民代表大会", True),
    WordEntry("社会主义核心价直观", "社会主义核心价值观", True),
    WordEntry("国务院办工厅", "国务院办公厅", True),
    WordEntry("政府信息公开条列", "政府信息公开条例", False),
    WordEntry("按装", "安装", False),
    WordEntry("既使", "即使", False),
    WordEntry("不径而走", "不胫而走", False),
    WordEntry("再接再励", "再接再厉", False),
    WordEntry("迫不及待的", "迫不及待地", False),
    WordEntry("一愁莫展", "一筹莫展", False),
    WordEntry("贯切落实", "贯彻落实", False),
    WordEntry("部暑", "部署", False),
    WordEntry("暂行规定规定", "暂行规定", False),
    WordEntry("防碍", "妨碍", False),
    WordEntry("坐落于于", "坐落于", False),
)


def find_words(text: str, entries: Iterable[WordEntry], *, limit: int = 50) -> list[WordHit]:
    """Each listed wrong word found in ``text`` (first occurrence per entry)."""
    hits: list[WordHit] = []
    for entry in entries:
        if not entry.wrong:
            continue
        at = text.find(entry.wrong)
        if at < 0:
            continue
        context = text[max(0, at - 20) : at + len(entry.wrong) + 20]
        hits.append(WordHit(entry.wrong, entry.right, entry.serious, context))
        if len(hits) >= limit:
            break
    return hits
