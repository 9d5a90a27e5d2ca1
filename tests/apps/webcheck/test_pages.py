import datetime as dt

from gongkai.domain.webcheck.pages import parse_dates, read_page
from gongkai.domain.webcheck.words import DEFAULT_WORDS, find_words


def test_a_page_gives_links_meta_dates_and_list_items():
    html = """<html><head><title>通知公告</title><meta name="PubDate" content="2026-11-02 10:00">
    <meta name="SiteIDCode" content="1399000001"><script>var d='2026-12-30';</script></head>
    <body><ul><li><a href="a.html">甲</a> 2026年11月20日</li><li><a href="/b.html#x">乙</a>2026/11/21</li>
    <li>无链接 2026-11-25</li></ul><a href="javascript:void(0)">x</a><img src="i.png">
    <p>会议定于2027-01-05召开</p></body></html>"""
    page = read_page("http://x.gov.cn/tzgg/", html, today=dt.date(2026, 11, 30))
    assert page.title == "通知公告"
    assert page.meta["siteidcode"] == "1399000001"
    assert page.pub_date == dt.date(2026, 11, 2)
    assert [link.url for link in page.links] == [
        "http://x.gov.cn/tzgg/a.html",
        "http://x.gov.cn/b.html",
        "http://x.gov.cn/tzgg/i.png",
    ]
    assert page.list_items == 2
    # script text and dates after the check day are not update dates
    assert page.latest == dt.date(2026, 11, 25)


def test_dates_in_three_spellings_and_impossible_dates_skipped():
    assert parse_dates("2026-2-30 2026年3月1日 2026.03.02") == [
        dt.date(2026, 3, 1),
        dt.date(2026, 3, 2),
    ]


def test_broken_html_is_read_as_far_as_it_goes():
    page = read_page("http://x.gov.cn/", "<div><a href='/a'>甲<li><a href='/b'", today=None)
    assert page.links[0].url == "http://x.gov.cn/a"


def test_word_list_finds_typos_and_serious_errors_with_context():
    hits = find_words("依据《中华人民共合国政府信息公开条例》，再接再励。", DEFAULT_WORDS)
    assert {(h.wrong, h.serious) for h in hits} == {("中华人民共合国", True), ("再接再励", False)}
    assert "政府信息公开条例" in hits[0].context
