"""Repeat and mass requests (条例第三十六条第（六）项, 第三十五条): flags for the handler.

The platform never decides that a request is a repeat or excessive; it points the handler at
earlier requests of the same applicant whose description reads the same, and at volumes above
a threshold an administrator sets. Similarity is the Jaccard index of character bigrams after
normalisation — robust for unsegmented Chinese, deterministic and cheap.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

_DROP = set(" \t\r\n，。、；：？！“”‘’（）《》〈〉【】〔〕[](),.;:?!\"'-—…·/\\")
# words that make every request look alike and say nothing about the information asked for
_FILLER = ("申请公开", "请求公开", "政府信息", "申请", "公开", "请求", "提供", "关于", "有关", "的")


def normalize(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).lower()
    for word in _FILLER:
        folded = folded.replace(word, "")
    return "".join(ch for ch in folded if ch not in _DROP)


def bigrams(text: str) -> frozenset[str]:
    norm = normalize(text)
    if len(norm) < 2:
        return frozenset({norm}) if norm else frozenset()
    return frozenset(norm[i : i + 2] for i in range(len(norm) - 1))


def similarity(a: str, b: str) -> float:
    """Jaccard index of the two descriptions' bigrams, 0.0 … 1.0."""
    sa, sb = bigrams(a), bigrams(b)
    if not sa and not sb:
        return 1.0
    return len(sa & sb) / len(sa | sb)


@dataclass(frozen=True)
class Earlier:
    ref: int  # the earlier case's id
    received: dt.date
    description: str


@dataclass(frozen=True)
class RepeatMatch:
    ref: int
    score: float


def find_repeats(
    description: str, earlier: Iterable[Earlier], *, threshold: float
) -> list[RepeatMatch]:
    """Earlier requests reading like this one, most similar first."""
    mine = bigrams(description)
    out: list[RepeatMatch] = []
    for item in earlier:
        theirs = bigrams(item.description)
        union = mine | theirs
        score = 1.0 if not union else len(mine & theirs) / len(union)
        if score >= threshold:
            out.append(RepeatMatch(item.ref, round(score, 3)))
    out.sort(key=lambda m: (-m.score, m.ref))
    return out


def is_mass(count_in_window: int, *, threshold: int) -> bool:
    """明显超过合理范围 (第三十五条) is the handler's call; this only says 'look at it'."""
    return threshold > 0 and count_in_window >= threshold


def groups_of_same_information(
    items: Sequence[tuple[int, str, str]], *, threshold: float, min_applicants: int
) -> list[list[int]]:
    """Cases (id, applicant key, description) asking for the same information.

    Groups by single-link similarity; returns groups with at least ``min_applicants`` different
    applicants (条例第四十四条: requested by several applicants → consider 主动公开).
    """
    grams = [bigrams(desc) for _id, _key, desc in items]
    parent = list(range(len(items)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(items)):
        for j in range(i + 1, len(items)):
            union = grams[i] | grams[j]
            score = 1.0 if not union else len(grams[i] & grams[j]) / len(union)
            if score >= threshold:
                parent[find(i)] = find(j)
    clusters: dict[int, list[int]] = {}
    for i in range(len(items)):
        clusters.setdefault(find(i), []).append(i)
    groups = []
    for members in clusters.values():
        applicants = {items[i][1] for i in members}
        if len(applicants) >= min_applicants:
            groups.append(sorted(items[i][0] for i in members))
    groups.sort(key=lambda g: (-len(g), g[0]))
    return groups
