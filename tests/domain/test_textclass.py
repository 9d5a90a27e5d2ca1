import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.domain.textclass import NaiveBayes, in_holdout, tokenize, train

EXAMPLES = [
    (tokenize("小区门口公交站台被拆除，公交线路怎么调整"), "jtj"),
    (tokenize("出租车拒载绕路多收费"), "jtj"),
    (tokenize("公交车末班车太早，建议增开夜班公交"), "jtj"),
    (tokenize("孩子上小学入学报名需要哪些材料"), "jyj"),
    (tokenize("学校周末违规补课收费"), "jyj"),
    (tokenize("幼儿园收费标准和入学条件"), "jyj"),
]


def test_tokens_are_content_words_without_personal_numbers():
    tokens = tokenize("市长您好，我家小区门口的公交站台被拆除了，联系电话13800138000，谢谢")
    assert "公交" in tokens and "站台" in tokens and "小区" in tokens
    assert "13800138000" not in tokens
    assert not {"您好", "市长", "谢谢", "，", "的"} & set(tokens)
    assert len(tokens) == len(set(tokens))  # each word once per letter


def test_predicts_the_agency_whose_letters_use_the_words():
    model = train(EXAMPLES)
    best = model.predict(tokenize("公交站台什么时候恢复"))[0]
    assert best.label == "jtj" and best.probability > 0.8
    assert model.predict(tokenize("小学入学需要户口吗"))[0].label == "jyj"


def test_probabilities_form_a_distribution():
    model = train(EXAMPLES)
    ranked = model.predict(tokenize("公交 学校"), top=5)
    assert len(ranked) == 2
    assert math.isclose(sum(s.probability for s in ranked), 1.0)
    assert ranked[0].probability >= ranked[1].probability


def test_unknown_words_fall_back_to_the_prior():
    model = train([*EXAMPLES, (tokenize("公交线路"), "jtj")])
    best = model.predict(["完全没见过的词"])[0]
    assert best.label == "jtj" and best.probability == pytest.approx(4 / 7)


def test_round_trip_through_json():
    model = train(EXAMPLES)
    again = NaiveBayes.from_json(model.to_json())
    letter = tokenize("出租车绕路")
    assert again.predict(letter) == model.predict(letter)
    with pytest.raises(ValueError, match="重新训练"):
        NaiveBayes.from_json({**model.to_json(), "version": 99})


def test_evaluation_counts_top1_and_top3():
    model = train(EXAMPLES)
    result = model.evaluate([(tokenize("公交站台"), "jtj"), (tokenize("公交站台"), "jyj")])
    assert (result.tested, result.correct, result.correct_top3) == (2, 1, 2)
    assert result.accuracy == 0.5 and result.top3_accuracy == 1.0


def test_nothing_to_learn():
    with pytest.raises(ValueError, match="没有可学习的类别"):
        train([])


@given(st.text(min_size=1, max_size=30))
def test_holdout_membership_is_stable(key):
    assert in_holdout(key, 0.2) == in_holdout(key, 0.2)
    assert not in_holdout(key, 0.0)


def test_holdout_share_is_about_right():
    share = sum(in_holdout(f"XX20180101{n:05d}", 0.2) for n in range(10_000)) / 10_000
    assert 0.18 < share < 0.22


def test_temperature_calibrates_an_overconfident_model():
    """Naive Bayes on long texts says 100 %; the fitted temperature brings the probability
    down to what held-out letters support, without changing the ranking."""
    import random

    from gongkai.domain.textclass import train

    rng = random.Random(7)
    shared = [f"共{i}" for i in range(40)]
    a_words, b_words = [f"甲{i}" for i in range(20)], [f"乙{i}" for i in range(20)]

    def letter(label):
        own = a_words if label == "a" else b_words
        other = b_words if label == "a" else a_words
        # one letter in five reads like the other agency's; each telling word comes with two
        # words that always accompany it (the correlation naive Bayes counts three times)
        signal = rng.sample(other if rng.random() < 0.2 else own, 4)
        words = rng.sample(shared, 10) + [f"{w}{k}" for w in signal for k in ("", "·", "：")]
        return words, label

    training = [letter(rng.choice("ab")) for _ in range(400)]
    held = [letter(rng.choice("ab")) for _ in range(200)]
    model = train(training)
    raw = [model.predict(t, top=1)[0] for t, _ in held]
    model.temperature = model.fit_temperature(held)
    calibrated = [model.predict(t, top=1)[0] for t, _ in held]
    assert model.temperature > 1
    assert [s.label for s in raw] == [s.label for s in calibrated]
    accuracy = sum(s.label == label for s, (_, label) in zip(calibrated, held, strict=True)) / len(
        held
    )
    mean_confidence = sum(s.probability for s in calibrated) / len(held)
    mean_raw = sum(s.probability for s in raw) / len(held)
    # calibrated confidence tracks accuracy; the raw one overstates it
    assert abs(mean_confidence - accuracy) < abs(mean_raw - accuracy)
    assert abs(mean_confidence - accuracy) < 0.1
