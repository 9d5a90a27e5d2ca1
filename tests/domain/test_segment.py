"""Segmentation and snippet rules shared by indexing and search (pure, no database)."""

import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from gongkai.domain.segment import (
    QUERY_STOPWORDS,
    Segmenter,
    highlight,
    is_wordy,
    make_snippet,
    normalise,
)


@pytest.fixture(scope="module")
def seg():
    s = Segmenter()
    s.add_words(["示例市交通运输局"])
    return s


def test_normalise_folds_full_width_and_case_without_moving_characters():
    text = "ＡＢＣ２０１８年Ｘ　公开"
    assert normalise(text) == "abc2018年x 公开"
    assert len(normalise(text)) == len(text)


@pytest.mark.parametrize(
    ("intent", "text", "present"),
    [
        (
            "search mode also yields the parts of a long word",
            "国务院办公厅",
            {"国务院", "办公厅", "国务院办公厅"},
        ),
        (
            "a legal term from the user dictionary stays whole",
            "政府信息公开工作",
            {"政府信息公开", "政府", "信息", "公开"},
        ),
        (
            "an agency name is kept whole and its usual parts still indexed",
            "示例市交通运输局通知",
            {"示例市交通运输局", "交通运输", "交通", "运输"},
        ),
        ("ASCII is lower-cased, full width folded", "ＧＤＰ增长", {"gdp"}),
    ],
)
def test_index_tokens(seg, intent, text, present):
    tokens = set(seg.index_tokens(text))
    assert present <= tokens, intent


def test_index_tokens_drop_punctuation_and_spaces(seg):
    tokens = seg.index_tokens("关于〔2017〕47号，“通知”。 ")
    assert all(is_wordy(t) for t in tokens)
    assert "〔" not in tokens and "，" not in tokens and " " not in tokens
    assert {"2017", "47"} <= set(tokens)


@pytest.mark.parametrize(
    ("intent", "query", "expected"),
    [
        ("two words, precise mode", "财政预算 公开", ["财政预算", "公开"]),
        ("filler words dropped", "关于政府的年度报告", ["政府", "年度报告"]),
        ("duplicates dropped", "公开 公开", ["公开"]),
        ("only filler words: kept so the query still means something", "的", ["的"]),
        ("punctuation ignored", "“通知”！", ["通知"]),
        ("empty", "   ", []),
    ],
)
def test_query_terms(seg, intent, query, expected):
    assert seg.query_terms(query) == expected, intent


def test_every_query_word_is_an_index_token_of_the_same_text(seg):
    text = "示例市交通运输局关于印发行政规范性文件管理办法的通知"
    index = set(seg.index_tokens(text))
    assert set(seg.query_terms(text)) - QUERY_STOPWORDS <= index


def test_add_words_reports_only_new_words():
    s = Segmenter(user_words=())
    assert s.add_words(["行政规范性文件", "行政规范性文件", "x"]) == 1
    assert "行政规范性文件" in s.user_words


def test_fingerprint_changes_only_when_the_dictionary_does():
    s = Segmenter(user_words=())
    before = s.fingerprint
    assert Segmenter(user_words=()).fingerprint == before  # the same rules cut the same way
    s.add_words(["示", "a b"])  # too short, or not one word: not added
    assert s.fingerprint == before
    s.add_words(["示例市交通运输局"])
    assert s.fingerprint != before
    assert s.fingerprint == Segmenter(user_words=["示例市交通运输局"]).fingerprint


def test_snippet_marks_terms_in_the_original_text():
    text = "为进一步做好政府信息公开工作，现将有关事项通知如下。一、加强财政预算公开。"
    snippet = make_snippet(text, ["财政预算", "公开"], width=40)
    hits = [f.text for f in snippet.fragments if f.hit]
    assert "财政预算" in hits and "公开" in hits
    assert snippet.text in text


def test_snippet_prefers_the_window_with_most_different_terms():
    filler = "各单位要认真贯彻落实。" * 20
    text = "交通" + filler + "交通运输安全生产" + filler
    snippet = make_snippet(text, ["交通", "安全生产"], width=30)
    marked = {f.text for f in snippet.fragments if f.hit}
    assert marked == {"交通", "安全生产"}
    assert snippet.cut_before and snippet.cut_after


def test_snippet_matches_case_and_width_insensitively_but_shows_original():
    snippet = make_snippet("全市ＧＤＰ同比增长", ["gdp"])
    assert [f.text for f in snippet.fragments if f.hit] == ["ＧＤＰ"]


def test_snippet_without_any_match_shows_the_beginning():
    snippet = make_snippet("甲" * 300, ["乙"], width=50)
    assert snippet.text == "甲" * 50 and not snippet.hits
    assert not snippet.cut_before and snippet.cut_after


def test_highlight_marks_longest_overlapping_term_once():
    parts = highlight("政府信息公开年报", ["信息", "政府信息公开"])
    assert [(p.text, p.hit) for p in parts] == [("政府信息公开", True), ("年报", False)]


cjk = st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF)
texts = st.text(alphabet=st.one_of(cjk, st.sampled_from("，。 \nabcXYZ0123456789")), max_size=400)


@settings(max_examples=150, deadline=None)
@given(
    text=texts,
    terms=st.lists(st.text(alphabet=cjk, min_size=1, max_size=3), max_size=4),
    width=st.integers(min_value=10, max_value=200),
)
def test_snippet_properties(text, terms, width):
    snippet = make_snippet(text, terms, width=width)
    collapsed = re.sub(r"\s+", " ", text)
    # the snippet is a piece of the original text (whitespace collapsed), never rebuilt
    assert snippet.text in collapsed
    assert len(snippet.text) <= width
    # every marked piece is one of the query words, exactly as written in the text
    for fragment in snippet.fragments:
        if fragment.hit:
            assert normalise(fragment.text) in {normalise(t) for t in terms}
    # when a term occurs in the text, the snippet marks at least one occurrence
    if any(t and normalise(t) in normalise(text) for t in terms):
        assert snippet.hits >= 1


@settings(max_examples=100, deadline=None)
@given(text=texts, terms=st.lists(st.text(alphabet=cjk, min_size=1, max_size=3), max_size=4))
def test_highlight_keeps_the_whole_text(text, terms):
    assert "".join(
        f.text for f in highlight(text.replace("\n", " ").replace("  ", " "), terms)
    ).replace(" ", "") == text.replace("\n", " ").replace("  ", " ").replace(" ", "")


def _covering_window_by_brute_force(occs, width, lead):
    best_start, best_score = 0, (-1, 0)
    for o_start, _o_end, _ in occs:
        start = max(0, o_start - lead)
        covered = {i for s, e, i in occs if s >= start and e <= start + width}
        if (len(covered), -start) > best_score:
            best_start, best_score = start, (len(covered), -start)
    return best_start


@settings(max_examples=300)
@given(
    gaps=st.lists(st.tuples(st.integers(0, 40), st.integers(1, 8), st.integers(0, 3)), max_size=30),
    width=st.integers(10, 150),
)
def test_snippet_window_covers_the_most_terms_earliest_first(gaps, width):
    from gongkai.domain.segment import _best_window

    occs, pos = [], 0
    for gap, length, term in gaps:
        pos += gap
        occs.append((pos, pos + length, term))
        pos += length
    lead = width // 6
    assert _best_window(occs, width, lead) == _covering_window_by_brute_force(occs, width, lead)


# a small alphabet, so that words overlap and repeat: 应急 inside 应急预案, 19 inside 1939
_dense = st.sampled_from(list("应急预案政府示例") + list("19３aAｂ ,，\n"))
_dense_texts = st.text(alphabet=_dense, max_size=300)
_dense_terms = st.lists(st.text(alphabet=_dense, min_size=1, max_size=4), max_size=5)


def _regex_occurrences(text, terms):
    """The leftmost-longest matches of one alternation of every word's pattern."""
    from gongkai.domain.segment import _term_pattern

    words = sorted({normalise(t) for t in terms if t.strip()}, key=lambda t: (-len(t), t))
    if not words:
        return []
    pattern = re.compile("|".join(f"({_term_pattern(w)})" for w in words))
    return [(*m.span(), m.lastindex) for m in pattern.finditer(text)]


@settings(max_examples=500, deadline=None)
@given(text=_dense_texts, terms=_dense_terms)
@example(text="1939年 19 １９ 应急预案 应急", terms=["19", "应急", "应急预案"])
def test_occurrences_are_the_leftmost_longest_matches(text, terms):
    from gongkai.domain.segment import Marker

    terms = [t for t in terms if t.strip()]
    assert Marker(terms).occurrences(text) == _regex_occurrences(text, terms)


@settings(max_examples=1000, deadline=None)
@given(text=_dense_texts, terms=_dense_terms, width=st.integers(10, 80))
# 应急 first ends one character past the first window; a later window holds both words
@example(
    text="政府示例示例示例示应急示例示例示例示例示例政府示应急", terms=["政府", "应急"], width=10
)
def test_the_snippet_window_is_the_best_of_all_windows(text, terms, width):
    """The quick window (just before the first word) is taken only when it is the one a
    comparison of every window would choose."""
    from gongkai.domain.segment import Marker, _fragments

    marker = Marker([t for t in terms if t.strip()])
    occs = marker.occurrences(text)
    start = _covering_window_by_brute_force(occs, width, width // 6) if occs else 0
    end = min(len(text), start + width)
    if occs and end - start < width:
        start = max(0, end - width)
    assert marker.snippet(text, width=width).fragments == _fragments(text, start, end, occs)
