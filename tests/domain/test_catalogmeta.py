"""The national vocabularies the catalogue starts with (cn-rules §9)."""

from gongkai.domain.catalogmeta import (
    ARTICLE_20_ITEMS,
    KEY_AREAS,
    OFFICIAL_GENRES,
    TOPIC_TREE,
    default_columns,
    genre_canonical,
    topic_paths,
)


def test_topic_tree_has_the_22_gov_cn_top_levels():
    assert len(TOPIC_TREE) == 22
    assert TOPIC_TREE[1][0] == "综合政务" and "政务公开" in TOPIC_TREE[1][1]
    assert "综合政务\\政务公开" in topic_paths()
    assert len(topic_paths()) == len(set(topic_paths()))


def test_the_15_official_genres_in_legal_order():
    assert len(OFFICIAL_GENRES) == 15
    assert OFFICIAL_GENRES[0] == "决议" and OFFICIAL_GENRES[-1] == "纪要"


def test_legacy_genre_names_map_to_current_ones():
    assert genre_canonical("会议纪要") == "纪要"
    assert genre_canonical("命令(令)") == "命令（令）"
    assert genre_canonical("通知") == "通知"


def test_default_columns_cover_the_issue():
    columns = default_columns()
    slugs = [c.slug for c in columns]
    assert len(slugs) == len(set(slugs))
    names = {c.name for c in columns}
    for name in (
        "政府信息公开指南",
        "政府信息公开制度",
        "法定主动公开内容",
        "政府公报",
        "政策解读",
        "新闻发布会",
        "建议提案办理结果",
        "政府信息公开年报",
    ):
        assert name in names
    assert len(ARTICLE_20_ITEMS) == 15
    assert len(KEY_AREAS) == 14
    assert all(c.parent is None or c.parent in slugs[: slugs.index(c.slug)] for c in columns)
