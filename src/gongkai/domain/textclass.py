"""A letter classifier: which agency should answer this letter?

Multinomial naive Bayes over rjieba words (each word counted once per letter), trained on
past letters' final assignments. Plain Python and sparse: a word stores counts only for the
agencies whose letters used it, so scoring a letter touches only those. Probabilities come
from the normalised posteriors and are shown to the dispatcher as the confidence.

The held-out split is a stable hash of each letter's key, so a retrain on the same letters
measures on the same letters.
"""

from __future__ import annotations

import math
import zlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import rjieba

FORMAT_VERSION = 1

# function words and mailbox boilerplate that say nothing about who should answer
_STOPWORD_TEXT = """
    我们 你们 他们 这个 那个 这些 那些 什么 怎么 为什么 如何 是否 可以 能否 已经 没有 还是 或者
    因为 所以 但是 而且 如果 就是 还有 现在 目前 时候 一下 一直 非常 希望 请问 您好 你好 领导 市长
    尊敬 感谢 谢谢 问题 情况 反映 有关 相关 部门 政府 给予 答复 解决 处理 一个 一些 自己 我家
    本人 以上 以下 关于 进行 情况 多次 及时 尽快 予以 有没有 是不是 联系 电话 联系电话
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


def tokenize(text: str) -> list[str]:
    """Distinct content words of a text: CJK words of two or more characters and short codes."""
    seen: dict[str, None] = {}
    for raw in rjieba.cut(text):
        token = str(raw).strip().lower()
        if len(token) < 2 or token in STOPWORDS or token.isdigit():
            continue
        if not any("\u4e00" <= ch <= "\u9fff" or ch.isalpha() for ch in token):
            continue
        if any(ch.isdigit() for ch in token) and len(token) > 6:
            continue  # phone numbers, order numbers, ID numbers: personal, never a signal
        seen.setdefault(token, None)
    return list(seen)


def in_holdout(key: str, share: float) -> bool:
    """Whether the example with ``key`` belongs to the held-out share (stable across runs)."""
    if not 0 <= share < 1:
        raise ValueError("留出比例应在 0 与 1 之间")
    return (zlib.crc32(key.encode("utf-8")) % 10_000) < share * 10_000


@dataclass(frozen=True)
class Suggestion:
    label: str
    probability: float


@dataclass(frozen=True)
class Evaluation:
    tested: int
    correct: int
    correct_top3: int

    @property
    def accuracy(self) -> float:
        return self.correct / self.tested if self.tested else 0.0

    @property
    def top3_accuracy(self) -> float:
        return self.correct_top3 / self.tested if self.tested else 0.0


class NaiveBayes:
    def __init__(
        self,
        *,
        labels: Sequence[str],
        docs: Sequence[int],
        totals: Sequence[int],
        counts: dict[str, dict[int, int]],
        alpha: float = 0.5,
        temperature: float = 1.0,
    ) -> None:
        if not labels:
            raise ValueError("没有可学习的类别")
        self.labels = tuple(labels)
        self.docs = tuple(docs)
        self.totals = tuple(totals)
        self.counts = counts
        self.alpha = alpha
        vocabulary = max(1, len(counts))
        n_docs = sum(docs)
        self._log_prior = [math.log(d / n_docs) if d else -math.inf for d in docs]
        self._log_denominator = [math.log(t + alpha * vocabulary) for t in totals]
        self._log_alpha = math.log(alpha)
        # naive Bayes multiplies word evidence as if independent, so its raw posteriors are
        # near 0 or 1; dividing the log scores by a temperature fitted on held-out letters
        # makes the probabilities mean what they say (calibration)
        self.temperature = temperature

    @property
    def vocabulary_size(self) -> int:
        return len(self.counts)

    @property
    def trained_on(self) -> int:
        return sum(self.docs)

    def predict(self, tokens: Iterable[str], top: int = 3) -> list[Suggestion]:
        """The ``top`` most probable labels with their calibrated probabilities."""
        scores = self._scores(tokens)
        ranked = sorted(range(len(scores)), key=lambda i: (-scores[i], self.labels[i]))
        probabilities = _softmax(scores, self.temperature)
        return [Suggestion(self.labels[i], probabilities[i]) for i in ranked[:top]]

    def _scores(self, tokens: Iterable[str]) -> list[float]:
        known = [t for t in dict.fromkeys(tokens) if t in self.counts]
        n = len(known)
        scores = [
            prior - n * denominator + n * self._log_alpha
            for prior, denominator in zip(self._log_prior, self._log_denominator, strict=True)
        ]
        for token in known:
            for index, count in self.counts[token].items():
                scores[index] += math.log(count + self.alpha) - self._log_alpha
        return scores

    def fit_temperature(self, examples: Iterable[tuple[Sequence[str], str]]) -> float:
        """The temperature that minimises the log loss on held-out (tokens, label) pairs
        (a search over a log-spaced grid; 1.0 when there is nothing to fit on)."""
        index = {label: i for i, label in enumerate(self.labels)}
        held = [(self._scores(t), index[label]) for t, label in examples if label in index]
        if not held:
            return 1.0
        grid = [10 ** (k / 20) for k in range(0, 61)]  # 1 … 1000

        def loss(temperature: float) -> float:
            return -sum(
                math.log(max(_softmax(scores, temperature)[i], 1e-12)) for scores, i in held
            )

        return min(grid, key=loss)

    def evaluate(self, examples: Iterable[tuple[Sequence[str], str]]) -> Evaluation:
        tested = correct = correct_top3 = 0
        for tokens, label in examples:
            tested += 1
            ranked = [s.label for s in self.predict(tokens, top=3)]
            correct += bool(ranked) and ranked[0] == label
            correct_top3 += label in ranked
        return Evaluation(tested, correct, correct_top3)

    def to_json(self) -> dict[str, Any]:
        return {
            "version": FORMAT_VERSION,
            "alpha": self.alpha,
            "labels": list(self.labels),
            "docs": list(self.docs),
            "totals": list(self.totals),
            "counts": {t: {str(i): c for i, c in row.items()} for t, row in self.counts.items()},
            "temperature": self.temperature,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> NaiveBayes:
        if data.get("version") != FORMAT_VERSION:
            raise ValueError("分类模型版本不符，请重新训练（gongkai mailbox train）")
        counts = {
            str(t): {int(i): int(c) for i, c in row.items()} for t, row in data["counts"].items()
        }
        return cls(
            labels=[str(x) for x in data["labels"]],
            docs=[int(x) for x in data["docs"]],
            totals=[int(x) for x in data["totals"]],
            counts=counts,
            alpha=float(data["alpha"]),
            temperature=float(data.get("temperature", 1.0)),
        )


def _softmax(scores: Sequence[float], temperature: float) -> list[float]:
    finite = [s for s in scores if s != -math.inf]
    best = max(finite) if finite else 0.0
    weights = [math.exp((s - best) / temperature) if s != -math.inf else 0.0 for s in scores]
    total = sum(weights) or 1.0
    return [w / total for w in weights]


def train(
    examples: Iterable[tuple[Sequence[str], str]], *, alpha: float = 0.5, min_count: int = 1
) -> NaiveBayes:
    """Fit on (tokens, label) pairs; words seen in fewer than ``min_count`` letters are dropped."""
    label_index: dict[str, int] = {}
    docs: list[int] = []
    per_label: list[Counter[str]] = []
    for tokens, label in examples:
        index = label_index.get(label)
        if index is None:
            index = label_index[label] = len(docs)
            docs.append(0)
            per_label.append(Counter())
        docs[index] += 1
        per_label[index].update(dict.fromkeys(tokens, 1))
    document_frequency: Counter[str] = Counter()
    for counter in per_label:
        document_frequency.update(counter)
    counts: dict[str, dict[int, int]] = {}
    totals = [0] * len(docs)
    for index, counter in enumerate(per_label):
        for token, count in counter.items():
            if document_frequency[token] < min_count:
                continue
            counts.setdefault(token, {})[index] = count
            totals[index] += count
    return NaiveBayes(
        labels=list(label_index), docs=docs, totals=totals, counts=counts, alpha=alpha
    )
