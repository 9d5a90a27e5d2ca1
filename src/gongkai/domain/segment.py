"""Chinese word segmentation and snippet rules shared by indexing and searching.

Both search engines receive text that was segmented here, so documents and queries are cut
the same way (rjieba; jieba-compatible dictionary):

- documents are cut in *search mode* (every long word also yields its 2- and 3-character
  parts), so a query word matches wherever it occurs inside a longer word;
- queries are cut in *precise mode*, and filler words (的, 和, 关于 ...) are dropped;
- a user dictionary keeps legal terms and agency names whole. Adding a long word changes how
  search mode splits it (示例市交通运输局 no longer yields 交通运输), so for every
  user-dictionary word found in a document the parts the plain dictionary would have produced
  are indexed as well: a query for 交通运输 still finds the bureau's documents.

Snippets are cut from the original text, never rebuilt from tokens: the reader sees the
document's own words with the query words marked.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import re
from collections.abc import Iterable, Sequence
from typing import NamedTuple

import rjieba

# changes whenever these rules would cut a text differently (part of the fingerprint below)
RULES_VERSION = "2"

# Terms of the disclosure trade that the general dictionary splits; kept whole so that a query
# for the term is precise (its parts are still indexed through search mode).
LEGAL_TERMS: tuple[str, ...] = (
    "政府信息公开",
    "政务公开",
    "主动公开",
    "依申请公开",
    "不予公开",
    "部分公开",
    "政策解读",
    "政府公报",
    "新闻发布会",
    "行政规范性文件",
    "规范性文件",
    "政府规章",
    "行政许可",
    "行政处罚",
    "行政强制",
    "行政复议",
    "行政诉讼",
    "行政事业性收费",
    "政府集中采购",
    "重大建设项目",
    "公共资源交易",
    "公共资源配置",
    "社会公益事业",
    "保障性住房",
    "财政预决算",
    "财政预算",
    "财政决算",
    "三公经费",
    "重点领域",
    "双随机一公开",
    "信息处理费",
    "年度报告",
    "统一社会信用代码",
    "政府网站标识码",
    "建议提案",
    "人大代表建议",
    "政协委员提案",
    "突发公共事件",
    "应急预案",
    "社会救助",
    "最低生活保障",
    "征地补偿",
    "国有资产",
    "安全生产",
    "食品药品",
    "产品质量",
    "营商环境",
    "放管服",
    "互联网+政务服务",
)

# dropped from queries (kept in the index): they would only narrow a query by accident
QUERY_STOPWORDS = frozenset(
    [
        "的",
        "了",
        "和",
        "与",
        "及",
        "或",
        "在",
        "是",
        "对",
        "为",
        "等",
        "之",
        "其",
        "把",
        "被",
        "并",
        "于",
        "以",
        "由",
        "从",
        "将",
        "向",
        "关于",
        "有关",
        "一个",
        "我们",
        "请问",
        "怎么",
        "如何",
        "什么",
        "哪里",
    ]
)

# a token is indexed only when it has a letter, a digit or a CJK character (not punctuation)
_WORDY = re.compile(r"[0-9A-Za-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# everything else becomes a space before cutting: one C-level pass instead of a Python test
# per token, and 0788-80415568 is cut the same way in documents and in queries
_KEEP = "0-9A-Za-z\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_NON_WORDY = re.compile(f"[^{_KEEP}]+")
_FULLWIDTH_ALNUM = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")
_FOLD_ALNUM = {
    c: chr(c - 0xFEE0)
    for c in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)]
}
_SPACE = re.compile(r"\s+")
# a thousands separator inside a number (1,234,567) is dropped, so the amount is one token
_THOUSANDS = re.compile(
    r"(?<=[0-9\uff10-\uff19])[,，](?=[0-9\uff10-\uff19]{3}(?![0-9\uff10-\uff19]))"
)

# full-width ASCII and the ideographic space map one-to-one to their ASCII forms, and ASCII
# letters are lower-cased, so normalised text keeps every character's offset
_NORMALISE = {0x3000: " "}
_NORMALISE.update({0xFF01 + i: chr(0x21 + i) for i in range(94)})
_NORMALISE.update({ord("A") + i: chr(ord("a") + i) for i in range(26)})
_NORMALISE.update({0xFF21 + i: chr(ord("a") + i) for i in range(26)})


def _rjieba_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("rjieba")
    except PackageNotFoundError:  # pragma: no cover - always installed as a dependency
        return "unknown"


def normalise(text: str) -> str:
    """Fold full-width ASCII to ASCII and A–Z to a–z; the result has the same length."""
    return text.translate(_NORMALISE)


def is_wordy(token: str) -> bool:
    return bool(_WORDY.search(token))


class Segmenter:
    """rjieba with a user dictionary, cutting documents and queries by the rules above."""

    def __init__(self, user_words: Iterable[str] = LEGAL_TERMS) -> None:
        self._base = rjieba.Jieba()
        self._jieba = rjieba.Jieba()
        self._user: set[str] = set()
        self._parts: dict[str, list[str]] = {}
        self._fingerprint: bytes | None = None
        self.add_words(user_words)

    @property
    def fingerprint(self) -> bytes:
        """Identifies how this segmenter cuts text: the rules, the rjieba release and the user
        dictionary. Tokens stored under another fingerprint must be cut again."""
        if self._fingerprint is None:
            digest = hashlib.blake2b(digest_size=16)
            digest.update(f"{RULES_VERSION}|{_rjieba_version()}|".encode())
            digest.update("\n".join(sorted(self._user)).encode())
            self._fingerprint = digest.digest()
        return self._fingerprint

    @property
    def user_words(self) -> frozenset[str]:
        return frozenset(self._user)

    def add_words(self, words: Iterable[str]) -> int:
        """Add words to the user dictionary; return how many were new."""
        added = 0
        for raw in words:
            word = self._clean(raw).strip()
            if len(word) < 2 or word in self._user or _SPACE.search(word):
                continue
            self._jieba.add_word(word, None, None)
            self._user.add(word)
            self._parts[word] = [t for t in self._base.cut_for_search(word) if is_wordy(t)]
            added += 1
        if added:
            self._fingerprint = None
        return added

    @staticmethod
    def _clean(text: str) -> str:
        """Punctuation to spaces, full-width letters and digits to ASCII, lower case. (Not
        length-preserving, unlike :func:`normalise`: only tokens come out of it.)"""
        if "," in text or "，" in text:
            text = _THOUSANDS.sub("", text)
        text = _NON_WORDY.sub(" ", text)
        if _FULLWIDTH_ALNUM.search(text):
            text = text.translate(_FOLD_ALNUM)
        return text.lower()

    def word_parts(self, word: str) -> list[str]:
        """The plain dictionary's parts of a user-dictionary word ([] for other words)."""
        return [p for p in self._parts.get(word, ()) if p != word]

    def clean(self, text: str) -> str:
        """The normalised text tokens are cut from (aliases are matched in it)."""
        return self._clean(text)

    def index_text(self, text: str) -> str:
        """Search-mode tokens joined by spaces: what both engines index with a whitespace
        analyser. (Runs of spaces are harmless there; building the string without a Python
        loop over tokens is what makes indexing fast.)"""
        tokens = self._jieba.cut_for_search(self._clean(text))
        out = " ".join(tokens)
        found = self._user.intersection(tokens)
        if found:
            out += " " + " ".join(
                p for word in sorted(found) for p in self._parts[word] if p != word
            )
        return out

    def index_tokens(self, text: str) -> list[str]:
        """The tokens of :meth:`index_text` (without the spaces)."""
        return self.index_text(text).split()

    def query_terms(self, query: str) -> list[str]:
        """Precise-mode words of a query, without filler words and duplicates.

        When a query consists only of filler words they are kept, so it still means something.
        """
        words = [t for t in self._jieba.cut(self._clean(query)) if t.strip()]
        kept = [w for w in words if w not in QUERY_STOPWORDS] or words
        seen: set[str] = set()
        out = []
        for word in kept:
            if word not in seen:
                seen.add(word)
                out.append(word)
        return out


# snippets --------------------------------------------------------------------------------------


class Fragment(NamedTuple):  # a tuple: built many times per result page
    text: str
    hit: bool


# builds a Fragment from a (text, hit) pair at C speed (a NamedTuple's own constructor is
# Python code, and a result page builds some four hundred of them)
_fragment = functools.partial(tuple.__new__, Fragment)


class Snippet(NamedTuple):  # a tuple: one per result, built faster than a frozen dataclass
    fragments: tuple[Fragment, ...]
    cut_before: bool  # text was left out before the snippet (show "…")
    cut_after: bool

    @property
    def text(self) -> str:
        return "".join(f.text for f in self.fragments)

    @property
    def hits(self) -> int:
        return sum(1 for f in self.fragments if f.hit)


_ASCII_ALNUM = re.compile("[a-z0-9]")  # in a normalised word
_DIGIT_CHARS = frozenset("0123456789\uff10\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18\uff19")


def _fragments(
    text: str, start: int, end: int, occs: Sequence[tuple[int, int, int]]
) -> tuple[Fragment, ...]:
    """``text[start:end]`` with the occurrences that lie wholly inside it marked (one cut by
    the window's edge is not marked), runs of white space made one space."""
    window = text[start:end]
    if "\n" in window:  # line breaks become spaces without moving the offsets
        window = window.replace("\n", " ")
    # what is left to tidy: runs of spaces, and white space other than the plain space
    # (isprintable() is False for every other kind)
    tidy = "  " in window or not window.isprintable()
    pieces: list[Fragment] = []
    pos = 0
    for i in range(bisect.bisect_left(occs, (start,)), len(occs)):
        o_start, o_end, _ = occs[i]
        if o_end > end:
            break
        o_start -= start
        if o_start > pos:
            piece = window[pos:o_start]
            pieces.append(_fragment((_SPACE.sub(" ", piece) if tidy else piece, False)))
        pos = o_end - start
        pieces.append(_fragment((window[o_start:pos], True)))
    if pos < len(window):
        piece = window[pos:]
        pieces.append(_fragment((_SPACE.sub(" ", piece) if tidy else piece, False)))
    return tuple(pieces)


def _best_window(occs: Sequence[tuple[int, int, int]], width: int, lead: int) -> int:
    """The start of the window (``lead`` characters before an occurrence) that covers the
    most different terms, the earliest on a tie. Occurrences are sorted and do not overlap,
    so the ones inside a window are a contiguous run: one pass with two pointers, which stops
    at the first window holding every term found (no later one can do better)."""
    found = len({term for _s, _e, term in occs})
    if found == 1:
        return occs[0][0] - lead if occs[0][0] > lead else 0
    best_start, best = 0, -1
    counts: dict[int, int] = {}
    lo = hi = 0
    n = len(occs)
    for o_start, _o_end, _ in occs:
        start = o_start - lead if o_start > lead else 0
        end = start + width
        while hi < n and occs[hi][1] <= end:
            counts[occs[hi][2]] = counts.get(occs[hi][2], 0) + 1
            hi += 1
        while lo < hi and occs[lo][0] < start:
            term = occs[lo][2]
            counts[term] -= 1
            if not counts[term]:
                del counts[term]
            lo += 1
        if len(counts) > best:
            best_start, best = start, len(counts)
            if best == found:
                break
    return best_start


class Marker:
    """The query words prepared once for every title and snippet of a result page. A word
    written only one way (no ASCII letter or digit: most Chinese words) is found with
    ``str.find``, a C-level scan far cheaper than a regular expression tried at every
    position; a word with letters or digits has its pattern (either case, full width, a
    number only where it is not part of a longer number). Occurrences are taken leftmost
    and longest first, never overlapping. The snippet's window is chosen on the stored window
    of the text, then only its 140 characters are marked."""

    def __init__(self, terms: Sequence[str]) -> None:
        words = sorted({normalise(t) for t in terms if t}, key=lambda t: (-len(t), t))
        self.terms = words
        self._plain: list[tuple[str, int]] = []
        self._patterns: list[tuple[re.Pattern[str], int]] = []
        for number, word in enumerate(words, 1):
            if _ASCII_ALNUM.search(word):
                self._patterns.append((re.compile(_term_pattern(word)), number))
            else:
                self._plain.append((word, number))
        # how far past a stretch an occurrence starting in it can reach, and what a
        # number's pattern looks at after it
        self._reach = (len(words[0]) + 2) if words else 0

    def occurrences(
        self, text: str, lo: int = 0, hi: int | None = None
    ) -> list[tuple[int, int, int]]:
        """(start, end, word number) of every occurrence in ``text[lo:hi]``, in order, not
        overlapping: where several words start at one place the longest is taken, and a word
        starting inside the one before is passed over."""
        hi = len(text) if hi is None else min(hi, len(text))
        found: list[tuple[int, int, int]] = []
        for word, number in self._plain:
            at = text.find(word, lo, hi)
            while at >= 0:
                found.append((at, -len(word), number))
                at = text.find(word, at + 1, hi)
        for pattern, number in self._patterns:
            match = pattern.search(text, lo, hi)
            while match is not None:
                start, end = match.span()
                found.append((start, start - end, number))
                match = pattern.search(text, start + 1, hi)
        if not found:
            return found
        found.sort()  # by start, the longest first
        out = []
        pos = 0
        for start, minus, number in found:
            if start >= pos:
                pos = start - minus
                out.append((start, pos, number))
        return out

    def snippet(self, text: str, *, width: int = 120, more: bool = False) -> Snippet:
        """A window of ``text`` about ``width`` characters long covering as many different
        query words as possible (the earliest such window), with every occurrence in it
        marked. ``more``: ``text`` is the beginning of a longer text (the snippet is cut
        after in any case).

        Most texts hold their words close together: the window that starts just before the
        first word found is tried first, reading only its own stretch; only when it misses a
        word the text holds are all the text's occurrences read and every window compared."""
        width = max(width, 10)
        lead = width // 6
        present, first, last = self._firsts(text)
        if not present:
            end = min(len(text), width)
            return Snippet(_fragments(text, 0, end, ()), False, more or end < len(text))
        start = first - lead if first > lead else 0
        reach = start + width
        occs = self.occurrences(text, start, reach + self._reach) if last <= reach else []
        if len({term for _s, o_end, term in occs if o_end <= reach}) < present:
            occs = self.occurrences(text)
            start = _best_window(occs, width, lead)
        end = min(len(text), start + width)
        if end - start < width:  # near the end: use the room before
            start = max(0, end - width)
        return Snippet(_fragments(text, start, end, occs), start > 0, more or end < len(text))

    def _firsts(self, text: str) -> tuple[int, int, int]:
        """How many of the words ``text`` holds, where the first of them starts, and where
        the last of their first occurrences ends."""
        present = 0
        first = len(text)
        last = 0
        for word, _ in self._plain:
            at = text.find(word)
            if at >= 0:
                present += 1
                first = min(first, at)
                last = max(last, at + len(word))
        for pattern, _ in self._patterns:
            match = pattern.search(text)
            if match is not None:
                present += 1
                first = min(first, match.start())
                last = max(last, match.end())
        return present, first, last

    def highlight(self, text: str) -> tuple[Fragment, ...]:
        """The whole text (e.g. a title) with every occurrence marked."""
        if not text.isprintable() or "  " in text:  # other white space than single spaces
            text = _SPACE.sub(" ", text)
        return _fragments(text, 0, len(text), self.occurrences(text))


# what normalise() changes: upper-case ASCII, full-width forms, the ideographic space
_NUMBER_BEFORE = r"(?<![0-9\uff10-\uff19])(?<![0-9\uff10-\uff19][,，])"
_NUMBER_AFTER = r"(?![0-9\uff10-\uff19])(?![,，][0-9\uff10-\uff19])"


def _char_pattern(char: str) -> str:
    """A character of a normalised word as it may be written: an ASCII letter or digit in
    either case and in full width (so the text itself is never translated)."""
    if "a" <= char <= "z":
        upper = char.upper()
        return f"[{char}{upper}{chr(ord(char) + 0xFEE0)}{chr(ord(upper) + 0xFEE0)}]"
    if "0" <= char <= "9":
        return f"[{char}{chr(ord(char) + 0xFEE0)}]"
    return re.escape(char)


def _term_pattern(term: str) -> str:
    """A term's pattern: a number matches only as a whole number (939 never inside 129396
    or 129,396)."""
    pattern = "".join(_char_pattern(c) for c in term)
    if term[0] in _DIGIT_CHARS:
        pattern = _NUMBER_BEFORE + pattern
    if term[-1] in _DIGIT_CHARS:
        pattern += _NUMBER_AFTER
    return pattern


def make_snippet(text: str, terms: Sequence[str], *, width: int = 120) -> Snippet:
    """A window of ``text`` about ``width`` characters long covering as many different query
    terms as possible, with every occurrence of a term marked. Terms are normalised query
    words (see :meth:`Segmenter.query_terms`); matching ignores ASCII case and full width.
    (A result page prepares its words once: :class:`Marker`.)"""
    return Marker(terms).snippet(text, width=width)


def highlight(text: str, terms: Sequence[str]) -> tuple[Fragment, ...]:
    """The whole text (e.g. a title) with every occurrence of the terms marked."""
    return Marker(terms).highlight(text)
