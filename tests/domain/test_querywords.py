"""Query rewriting (aliases, numbers) and near misses, without Django."""

from gongkai.domain.nearmiss import Vocabulary
from gongkai.domain.querywords import (
    AliasDictionary,
    AliasSet,
    agency_alias_sets,
    drop_number_units,
    parse_alias_words,
    rewrite,
)
from gongkai.domain.segment import Segmenter

SEG = Segmenter()


def _dict(*sets):
    return AliasDictionary.build([AliasSet(tuple(s)) for s in sets], SEG.clean)


def test_an_alias_becomes_alternatives_of_one_required_group():
    meaning = rewrite(SEG, "征地 补偿标准", _dict(["征地", "征收土地"]))
    assert meaning.groups[0] == (("征地",), ("征收", "土地"))
    assert all(len(g) == 1 for g in meaning.groups[1:])
    assert meaning.also == ("征收土地",) and meaning.aliased == ("征地",)
    assert "征收" in meaning.highlight_terms


def test_without_aliases_every_word_is_one_required_group():
    meaning = rewrite(SEG, "征地 补偿标准", None)
    assert meaning.also == () and all(len(g) == 1 for g in meaning.groups)


def test_longest_alias_wins_and_sets_merge():
    d = _dict(["双随机", "双随机一公开"], ["双随机一公开", "随机抽查"])
    assert [w for _s, _e, w in d.find("双随机一公开监管")] == ["双随机一公开"]
    assert set(d.others["双随机一公开"]) == {"双随机", "随机抽查"}


def test_units_after_numbers_are_dropped():
    assert drop_number_units(["2018", "年", "预算"]) == ["2018", "预算"]
    assert drop_number_units(["年", "预算"]) == ["年", "预算"]  # no number before
    assert rewrite(SEG, "2018年", None).terms == rewrite(SEG, "2018", None).terms == ("2018",)


def test_thousands_separators_keep_an_amount_whole():
    assert "1234567" in SEG.index_tokens("合计1,234,567元")
    assert SEG.query_terms("1,234,567") == ["1234567"]


def test_agency_aliases_skip_forms_other_agencies_share():
    sets = agency_alias_sets(
        [
            ("示例市交通运输局", "市交通局", "示例市人民政府"),
            ("示例市教育局", "市教育局", "示例市人民政府"),
            ("东城区教育局", "", "东城区人民政府"),
        ]
    )
    words = {w: s.words for s in sets for w in s.words}
    assert set(words["示例市交通运输局"]) >= {"市交通局", "交通运输局", "交通局"}
    assert "教育局" not in words  # the city's and 东城区's


def test_parse_alias_words():
    assert parse_alias_words("征地、征收土地\n征地，土地征收") == ["征地", "征收土地", "土地征收"]


def test_near_misses():
    v = Vocabulary(["政府信息公开", "低保", "行政许可", "示例市交通运输局"])
    assert v.corrections("政府信息工开")[0].query == "政府信息公开"
    assert v.corrections("低宝")[0].query == "低保"
    assert v.corrections("zfxxgk")[0].query == "政府信息公开"
    assert v.corrections("xingzhengxuke")[0].query == "行政许可"
    assert v.corrections("政府信息工开申请")[0].query == "政府信息公开申请"
    assert v.corrections("政府信息公开") == []  # nothing to correct
    assert v.corrections("天气预报") == []
