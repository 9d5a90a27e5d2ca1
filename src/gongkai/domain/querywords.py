"""What a search query means: aliases, numbers, and near misses (ADR 0140–0142).

Pure rules shared by both engines. The catalogue's search selector turns a typed query into a
:class:`Rewritten` query: an AND of *groups*, each group an OR of *alternatives*, each
alternative an AND of index tokens. A plain query is one single-token group per word (the
behaviour of ADR 0041); an alias adds alternatives to the group of the words it matched, so
征地 searches ``征地 OR (征收 AND 土地)`` on tantivy and on PostgreSQL alike.

Numbers: the index already keeps digit runs whole (129396 is one token, so 939 never matches
inside it); in queries a unit right after a number (2018年, 12号, 500万元) is dropped, so
"2018年" and "2018" find the same documents, and highlighting only marks whole numbers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

# units and counters that follow a number in queries; "2018年" means the number 2018
NUMBER_UNITS = frozenset(
    [
        "年",
        "月",
        "日",
        "号",
        "元",
        "万元",
        "亿元",
        "万",
        "亿",
        "第",
        "条",
        "件",
        "个",
        "次",
        "人",
        "人次",
        "份",
        "批",
        "期",
        "届",
        "项",
        "户",
        "家",
        "名",
        "篇",
        "年度",
        "号文",
        "号令",
        "公顷",
        "亩",
        "平方米",
        "公里",
        "千米",
        "米",
        "吨",
        "辆",
        "台",
        "所",
        "起",
        "场",
        "处",
        "座",
        "套",
        "间",
        "余",
        "多",
    ]
)
_DIGITS = re.compile(r"^[0-9]+$")

Tokens = tuple[str, ...]
Group = tuple[Tokens, ...]


class Cutter(Protocol):
    """What the rewriting needs of the segmenter (``gongkai.domain.segment.Segmenter``)."""

    def query_terms(self, query: str) -> list[str]: ...

    def clean(self, text: str) -> str: ...

    def word_parts(self, word: str) -> list[str]: ...


def drop_number_units(terms: Sequence[str]) -> list[str]:
    """Drop a unit that directly follows a number: 2018 年 → 2018."""
    out: list[str] = []
    for i, term in enumerate(terms):
        if i and term in NUMBER_UNITS and _DIGITS.match(terms[i - 1]):
            continue
        out.append(term)
    return out or list(terms)


def query_tokens(cutter: Cutter, text: str) -> list[str]:
    """The index tokens a (part of a) query asks for: precise-mode words without filler
    words, and without the unit after a number."""
    return drop_number_units(cutter.query_terms(text))


# aliases -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AliasSet:
    """Words that mean the same: searching any of them searches all of them."""

    words: tuple[str, ...]
    source: str = "manual"  # manual (an administrator's) or agency (from the agency tree)


@dataclass
class AliasDictionary:
    """Every alias word (normalised) and the other words of its sets."""

    others: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # the lengths of the words starting with each character, longest first: a position is
    # tried only for the lengths a word starting there can have
    _lengths: dict[str, tuple[int, ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        lengths: dict[str, set[int]] = {}
        for word in self.others:
            lengths.setdefault(word[0], set()).add(len(word))
        self._lengths = {c: tuple(sorted(ls, reverse=True)) for c, ls in lengths.items()}

    @classmethod
    def build(cls, sets: Iterable[AliasSet], normal: Callable[[str], str]) -> AliasDictionary:
        merged: dict[str, list[str]] = {}
        for alias in sets:
            normalised = (" ".join(normal(x).split()) for x in alias.words)
            words = [w for w in dict.fromkeys(normalised) if len(w) >= 2]
            for word in words:
                bucket = merged.setdefault(word, [])
                bucket.extend(w for w in words if w != word and w not in bucket)
        others = {k: tuple(v) for k, v in merged.items() if v}
        return cls(others=others)

    def __len__(self) -> int:
        return len(self.others)

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """Alias words in ``text`` (normalised), leftmost-longest, not overlapping."""
        found: list[tuple[int, int, str]] = []
        if not self.others:
            return found
        i, n = 0, len(text)
        others, lengths = self.others, self._lengths
        while i < n:
            for length in lengths.get(text[i], ()):
                if i + length <= n and (word := text[i : i + length]) in others:
                    found.append((i, i + length, word))
                    i += length
                    break
            else:
                i += 1
        return found


@dataclass(frozen=True)
class Rewritten:
    groups: tuple[Group, ...]  # AND of groups; a group is an OR of token conjunctions
    terms: tuple[str, ...]  # the words typed (their tokens), in order
    also: tuple[str, ...] = ()  # alias words searched as well (shown to the user)
    aliased: tuple[str, ...] = ()  # the typed words that had aliases
    fallbacks: frozenset[Tokens] = frozenset()  # user words' parts (see _with_parts)

    @property
    def primary(self) -> tuple[Group, ...]:
        """The groups without the parts of user words: titles matching these rank first."""
        return tuple(
            tuple(a for a in group if a not in self.fallbacks) or group[:1] for group in self.groups
        )

    @property
    def highlight_terms(self) -> list[str]:
        """Every token any alternative searched for (longest first is not needed: the
        highlighter prefers the longer of overlapping matches)."""
        seen: dict[str, None] = {}
        for group in self.groups:
            for alternative in group:
                for token in alternative:
                    seen.setdefault(token, None)
        return list(seen)


def rewrite(cutter: Cutter, query: str, aliases: AliasDictionary | None = None) -> Rewritten:
    """The groups to search for ``query``; ``aliases`` None or empty: no alias expansion."""
    text = cutter.clean(query)
    hits = aliases.find(text) if aliases else []
    groups: list[Group] = []
    terms: list[str] = []
    also: list[str] = []
    aliased: list[str] = []
    seen: set[Tokens] = set()

    def plain(part: str) -> None:
        for token in query_tokens(cutter, part):
            if (token,) not in seen:
                seen.add((token,))
                groups.append(_with_parts(cutter, (token,)))
                terms.append(token)

    pos = 0
    for start, end, word in hits:
        plain(text[pos:start])
        pos = end
        own = tuple(query_tokens(cutter, word))
        if not own:
            continue
        alternatives: list[Tokens] = list(_with_parts(cutter, own))
        added = False
        for other in aliases.others[word] if aliases else ():
            for tokens in _with_parts(cutter, tuple(query_tokens(cutter, other))):
                if tokens and tokens not in alternatives:
                    alternatives.append(tokens)
                    added = True
            if added and other not in also:
                also.append(other)
        if own in seen and not added:
            continue
        seen.add(own)
        groups.append(tuple(alternatives))
        terms.extend(own)
        if added:
            aliased.append(word)
    plain(text[pos:])
    if not groups and query.strip():  # only filler words: keep them (ADR 0041)
        kept = [t for t in cutter.query_terms(query) if t]
        groups = [((t,),) for t in dict.fromkeys(kept)]
        terms = list(dict.fromkeys(kept))
    groups = [_essential(group) for group in groups]
    return Rewritten(
        groups=tuple(groups),
        terms=tuple(dict.fromkeys(terms)),
        also=tuple(dict.fromkeys(also)),
        aliased=tuple(aliased),
        fallbacks=_fallbacks(groups, cutter),
    )


def _essential(group: Group) -> Group:
    """A group's alternatives less those holding every token of another one: a document that
    holds 示例 人民 民政 政府 人民政府 holds 人民政府, so the longer conjunction finds nothing
    more; it only made the engines walk the lists of 示例 and 政府 (a query with an agency's
    aliases cost twice as much for the same documents) and marked their parts in snippets."""
    if len(group) < 2:
        return group
    sets = [frozenset(alternative) for alternative in group]
    kept = tuple(
        alternative
        for i, alternative in enumerate(group)
        if not any(
            other < sets[i] or (other == sets[i] and j < i)
            for j, other in enumerate(sets)
            if j != i
        )
    )
    return kept


def _fallbacks(groups: Sequence[Group], cutter: Cutter) -> frozenset[Tokens]:
    out: set[Tokens] = set()
    for group in groups:
        for alternative in group:
            if len(alternative) == 1:
                out.update(_with_parts(cutter, alternative)[1:])
    return frozenset(out)


def _with_parts(cutter: Cutter, tokens: Tokens) -> Group:
    """A one-token alternative that is a user-dictionary word (政府信息公开) also matches its
    parts together (政府 信息 公开): a neighbouring user word can take a character of it
    in a document (示例市政府信息公开… is cut 示例市政府 · 信息 · 公开)."""
    if len(tokens) != 1:
        return (tokens,)
    parts = tuple(dict.fromkeys(p for p in cutter.word_parts(tokens[0]) if len(p) >= 2))
    if len(parts) < 2:
        return (tokens,)
    return (tokens, parts)


# agency aliases ----------------------------------------------------------------------------


def agency_alias_sets(
    agencies: Iterable[tuple[str, str, str]],
) -> list[AliasSet]:
    """Alias sets from the agency tree: (full name, short name, parent's name) of every
    agency. Each set holds the full name, the short name, and the forms without the city or
    county prefix (示例市交通运输局 · 市交通局 · 交通运输局 · 交通局) — a stripped form only when
    no other agency would claim it, so 教育局 does not mean the city's bureau when 23 counties
    have one too."""
    rows = list(agencies)
    candidates: dict[int, list[str]] = {}
    claims: dict[str, set[int]] = {}
    for i, (name, short, parent) in enumerate(rows):
        words = [name]
        if short:
            words.append(short)
        for form in (name, short):
            if not form:
                continue
            for prefix in _prefixes(form, parent):
                stripped = form[len(prefix) :]
                if len(stripped) >= 3:
                    words.append(stripped)
        words = list(dict.fromkeys(words))
        candidates[i] = words
        for word in words:
            claims.setdefault(word, set()).add(i)
    out: list[AliasSet] = []
    for words in candidates.values():
        kept = [w for w in words if len(claims[w]) == 1]
        if len(kept) >= 2:
            out.append(AliasSet(tuple(kept), source="agency"))
    return out


_PLACE = re.compile(r"^(.{1,6}?(?:市|县|区|州|盟|旗))")


def _prefixes(form: str, parent: str) -> list[str]:
    """Place prefixes to strip from an agency name: the parent's place name (示例市), a
    leading 市/县/区, or the leading place word."""
    out = []
    if parent:
        place = _PLACE.match(parent)
        if place and form.startswith(place.group(1)):
            out.append(place.group(1))
    if form[:1] in ("市", "县", "区") and len(form) > 3:
        out.append(form[:1])
    place = _PLACE.match(form)
    if place and place.group(1) not in out and len(form) - len(place.group(1)) >= 3:
        out.append(place.group(1))
    return out


def parse_alias_words(text: str) -> list[str]:
    """An administrator's list of words: one per line, or separated by 、，, ; or spaces."""
    parts = re.split(r"[\s、，,;；|/]+", text or "")
    return list(dict.fromkeys(p.strip() for p in parts if p.strip()))
