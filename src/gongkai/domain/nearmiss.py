"""“您是不是要找”: near misses of the words people search for (ADR 0142).

A query that finds nothing is compared with a vocabulary of the words the catalogue is about
(legal terms, alias words, agency names, columns, topics):

- a stretch of the query one character away from a vocabulary word of three or more
  characters (政府信息工开 → 政府信息公开);
- a stretch that sounds the same (same toneless pinyin: 低宝 → 低保);
- a query typed in pinyin or pinyin initials (zhengfuxinxigongkai, zfxxgk → 政府信息公开).

The caller checks which corrections find documents and shows the best one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from pypinyin import lazy_pinyin

_CJK = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff]+$")
_LETTERS = re.compile(r"^[a-z]+$")
MIN_TYPO_LENGTH = 3  # one character off in a two-character word is another word
MAX_WORD = 16


# a word's sound never changes: vocabularies rebuilt after an edit only look up new words
_SOUNDS: dict[str, tuple[str, ...]] = {}
_SOUNDS_MAX = 200_000


def syllables(text: str) -> tuple[str, ...]:
    sound = _SOUNDS.get(text)
    if sound is None:
        sound = tuple(lazy_pinyin(text, errors="ignore"))
        if len(_SOUNDS) < _SOUNDS_MAX:
            _SOUNDS[text] = sound
    return sound


def initials(text: str) -> str:
    """zfxxgk for 政府信息公开 (the first letter of each toneless syllable)."""
    return "".join(s[:1] for s in syllables(text))


@dataclass(frozen=True)
class Correction:
    query: str  # the corrected query
    word: str  # the vocabulary word put in
    replaced: str  # what it replaced ('' for pinyin)
    kind: str  # typo / homophone / pinyin / initials
    score: float


class Vocabulary:
    def __init__(self, words: Iterable[str]) -> None:
        self.words: set[str] = set()
        self.by_sound: dict[tuple[str, ...], list[str]] = {}
        self.by_mask: dict[tuple[int, str], list[str]] = {}
        self.by_spelling: dict[str, list[str]] = {}
        self.by_initials: dict[str, list[str]] = {}
        self.lengths: set[int] = set()
        for raw in words:
            word = raw.strip()
            if not (2 <= len(word) <= MAX_WORD) or not _CJK.match(word) or word in self.words:
                continue
            self.words.add(word)
            self.lengths.add(len(word))
            sound = syllables(word)
            self.by_sound.setdefault(sound, []).append(word)
            self.by_spelling.setdefault("".join(sound), []).append(word)
            self.by_initials.setdefault("".join(x[:1] for x in sound), []).append(word)
            if len(word) >= MIN_TYPO_LENGTH:
                for i in range(len(word)):
                    self.by_mask.setdefault((i, word[:i] + "\0" + word[i + 1 :]), []).append(word)

    def __len__(self) -> int:
        return len(self.words)

    def corrections(self, query: str, limit: int = 5) -> list[Correction]:
        text = "".join(query.split()).lower()
        found: dict[str, Correction] = {}

        def add(c: Correction) -> None:
            if c.query != text and (c.query not in found or found[c.query].score < c.score):
                found[c.query] = c

        if _LETTERS.match(text) and len(text) >= 2:
            for word in sorted(self.by_spelling.get(text, [])):
                add(Correction(word, word, "", "pinyin", 10.0 + len(word)))
            for word in sorted(self.by_initials.get(text, [])):
                add(Correction(word, word, "", "initials", 5.0 + len(word)))
        else:
            self._typos(text, add)
        return sorted(found.values(), key=lambda c: (-c.score, c.query))[:limit]

    def _typos(self, text: str, add: Callable[[Correction], None]) -> None:
        for length in sorted(self.lengths, reverse=True):
            for start in range(0, len(text) - length + 1):
                window = text[start : start + length]
                if window in self.words or not _CJK.match(window):
                    continue
                candidates: dict[str, str] = {}
                sound = tuple(lazy_pinyin(window, errors="ignore"))  # not memoised: any text
                for word in self.by_sound.get(sound, []):
                    candidates[word] = "homophone"
                if length >= MIN_TYPO_LENGTH:
                    for i in range(length):
                        for word in self.by_mask.get((i, window[:i] + "\0" + window[i + 1 :]), []):
                            candidates.setdefault(word, "typo")
                for word, kind in candidates.items():
                    differ = sum(1 for a, b in zip(word, window, strict=True) if a != b)
                    score = length - differ + (0.5 if kind == "homophone" else 0.0)
                    if differ == 1 and kind == "homophone":
                        score += 0.5
                    add(
                        Correction(
                            text[:start] + word + text[start + length :],
                            word,
                            window,
                            kind,
                            score,
                        )
                    )
