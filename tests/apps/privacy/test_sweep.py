"""The leak sweep (``gongkai privacy sweep``): what an anonymous visitor receives is read
whole — pages, feeds, API answers, downloads — and an unmasked value planted in any of them
makes it exit 1 naming the URL. The shortcuts that make it fast (a digit prefilter, each
distinct block scanned once) find exactly what a full scan finds."""

from __future__ import annotations

import io
import json

import pytest

from gongkai.apps.privacy import sweep as sweep_module
from gongkai.apps.privacy.sweep import Inspector, Scope, _api_links, _normalise
from gongkai.documents.extract import TextBlock
from gongkai.domain.privacy import Kind, ScanOptions, scan_blocks

ID = "320102198511124566"
PHONE = "13612345678"

# every shape a leak kind takes, and things that look close but are not leaks
SHAPES = [
    f"当事人孙八，身份证号 {ID}，联系电话 {PHONE}。",
    "身份证号：３２０１０２１９８５１１１２４５６６（全角）",
    "身份证号 320102 19851112 4566",
    "手机 136-1234-5678，或 136 1234 5678",
    "联系电话：+86 136 1234 5678",
    "银行卡号 6222 0212 3456 7890 123",
    "护照号码 E12345678，另有 G87654321",
    "旧式身份证号 320102851112456",
    "咨询电话：0399-8000131（工作日）",
    "示交罚〔2024〕118号，罚款人民币20000元，2024年5月8日",
    "统一社会信用代码 11139900401267048K",
    "没有数字的一段话，只有文字。",
]


def _full_scan(blocks, threshold=0.5):
    found = []
    for item in scan_blocks(blocks, ScanOptions(reference_date=None)):
        finding = item.finding
        if finding.kind in sweep_module.LEAK_KINDS and finding.score >= threshold:
            found.append((item.block, finding.kind.label))
    return sorted(found)


def test_the_prefilter_and_the_block_memory_find_what_a_full_scan_finds():
    blocks = [TextBlock(f"第{i + 1}段", text) for i, text in enumerate(SHAPES)]
    # a table row: the cells are scanned together, with their headers
    blocks += [
        TextBlock("表1 第2行 第1列", "赵六", "姓名", "表1 第2行"),
        TextBlock("表1 第2行 第2列", "110105194912310021", "身份证号", "表1 第2行"),
        TextBlock("表1 第2行 第3列", "13900001111", "联系电话", "表1 第2行"),
    ]
    expected = _full_scan(blocks)
    kinds = {kind for _, kind in expected}
    assert {Kind.ID_NUMBER.label, Kind.MOBILE.label, Kind.BANK_CARD.label} <= kinds
    assert Kind.PASSPORT.label in kinds
    inspector = Inspector(threshold=0.5, reference_date=None)
    assert sorted((i, kind) for i, kind, _ in inspector.leaks(blocks)) == expected
    scanned = inspector.scanned_units
    assert scanned < len(blocks)  # the blocks without seven digits in a row were not scanned
    # the same blocks again, elsewhere on another page: the same leaks, nothing scanned again
    shifted = [TextBlock("导航", "首页 政务公开"), *blocks]
    again = inspector.leaks(shifted)
    assert sorted((i - 1, kind) for i, kind, _ in again) == expected
    assert inspector.scanned_units == scanned
    assert all(ID not in masked and PHONE not in masked for _, _, masked in again)


@pytest.mark.parametrize("text", SHAPES)
def test_a_page_passed_over_unparsed_holds_no_leak_in_any_shape(text):
    """Pages whose text has no seven-digit run are not parsed into blocks; every shape of
    a leak — split by inline markup, written as entities, full-width — is still parsed."""
    inspector = Inspector(threshold=0.5, reference_date=None)
    cut = len(text) // 2
    pages = [
        f"<html><body><p>{text}</p></body></html>",
        f"<p>{text[:cut]}<b>{text[cut:]}</b></p>",  # a number split by inline markup
        "<p>" + "".join(f"&#{ord(c)};" if c.isdigit() else c for c in text) + "</p>",
    ]
    for markup in pages:
        blocks, _, _ = sweep_module.read_answer("/p/", "", markup.encode())
        full = sweep_module.parse_html(markup).blocks
        assert bool(inspector.leaks(blocks)) == bool(inspector.leaks(full)), markup
    assert not sweep_module.could_hold_numbers("<p>2024年5月8日，第118号</p><a href='/d/1234567/'>")
    assert sweep_module.could_hold_numbers("<p>电话 1361<span>234</span>5678</p>")


FRAME_TOP = (
    '<!doctype html><html><head><title>{title}</title></head><body><a href="#main">跳到正文</a>'
    "<header><p>示例市人民政府</p><nav><ul><li><a href='/'>首页</a></li></ul></nav></header>"
)
FRAME_BOTTOM = "</main><footer><p>政府网站标识码：1399000001</p><p>电话 0399-8000131</p></footer></body></html>"
CONTENTS = [
    f"<main><h1>来信</h1><p>电话 {PHONE}</p></main>",
    "<main id='m'><table><tr><th>姓名</th><th>身份证号</th></tr>"
    f"<tr><td>孙八</td><td>{ID}</td></tr></table><p>后记</p>",
    # a table left open: the footer's paragraphs fall into its cell in the whole page
    "<main><table><tr><th>手机号</th></tr><tr><td>见下",
    "<main><script>var s = '<main>';</script><p>正文</p>",  # a cut inside a script
    "<main><p>正文</p><!-- 注释 ",  # a comment left open across the cut
    "<main><textarea><header>",  # raw text across the cut
    "<main><header><p>文章头</p></header><p>正文 2024年</p>",
]


@pytest.mark.parametrize("content", CONTENTS)
def test_a_page_read_with_its_frame_kept_gives_the_blocks_of_the_whole_page(content):
    """Pages are cut before the header, before the content and after it, and the frame's
    parts are read once: the blocks (text, place, table header, row) are those of the whole
    page, on the first page with that frame and on every later one, whatever the content
    leaves open at a cut."""
    for title in ("第一页", "第二页"):
        for page in (
            FRAME_TOP.format(title=title) + content + FRAME_BOTTOM,
            f"<html><head><title>{title}</title></head><body>" + content + FRAME_BOTTOM,
            content + FRAME_BOTTOM,
            FRAME_TOP.format(title=title) + content,
        ):
            assert sweep_module.page_blocks(page) == sweep_module.parse_html(page).blocks, page
    leaky = FRAME_TOP.format(title="表") + CONTENTS[1] + FRAME_BOTTOM
    inspector = Inspector(threshold=0.5, reference_date=None)
    blocks = sweep_module.page_blocks(leaky)
    assert {kind for _, kind, _ in inspector.leaks(blocks)} == {Kind.ID_NUMBER.label}


def test_api_lists_lead_to_every_page_and_every_item():
    answer = {
        "total": 120,
        "page": 1,
        "per_page": 50,
        "items": [{"id": 7, "url": "/catalog/documents/7/"}],
    }
    links = list(_api_links("/api/catalog/documents?per_page=50", answer))
    assert "/api/catalog/documents/7" in links
    assert "/api/catalog/documents?per_page=50&page=2" in links
    assert "/api/catalog/documents?per_page=50&page=3" in links
    assert len([link for link in links if "page=" in link]) == 2
    letters = {"total": 41, "page": 1, "page_size": 20, "items": [{"number": "XX1"}]}
    assert set(_api_links("/api/mailbox/letters", letters)) == {
        "/api/mailbox/letters/XX1",
        "/api/mailbox/letters?page=2",
        "/api/mailbox/letters?page=3",
    }
    tasks = [{"id": 3}]
    assert set(_api_links("/api/inspections/lotteries", tasks)) == {
        "/api/inspections/lotteries/3/applicants"
    }


def test_links_stay_on_the_site_and_outside_the_back_office():
    scope = Scope(frozenset({"testserver", "www.example.gov.cn"}))
    assert _normalise("https://www.example.gov.cn/catalog/?page=2", scope) == "/catalog/?page=2"
    assert _normalise("https://www.gov.cn/zhengce/", scope) is None
    assert _normalise("/backoffice/catalog/", scope) is None
    assert _normalise("mailto:gongkai@example.gov.cn", scope) is None
    assert _normalise("/reports/sz/2025/?scope=city", scope) == "/reports/sz/2025/?scope=city"
    assert _normalise("/catalog/?agency=jtj", scope) is None  # a filter over a list walked
    mine = Scope(scope.hosts, ("/my/", "/track/"))
    assert _normalise("/catalog/", mine) is None
    assert _normalise("/track/abc/files/1/", mine) == "/track/abc/files/1/"


def _docx(text: str) -> bytes:
    from docx import Document as Docx

    doc = Docx()
    doc.add_paragraph(text)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _sweep_cli(capsys, *args: str) -> tuple[int, str]:
    from gongkai.cli import main

    code = main(["privacy", "sweep", *args])
    return code, capsys.readouterr().out


@pytest.fixture
def public_doc(world, settings, tmp_path):
    """A document with a DOCX attachment, through review, approval and publication."""
    from gongkai.apps.catalog import services
    from gongkai.apps.catalog.search.indexing import index_flush
    from tests.apps.catalog.factories import draft

    settings.SEARCH_INDEX_DIR = tmp_path / "search"
    doc = draft(
        world.officer_a,
        world.dept_a,
        title="关于道路养护的通知",
        body_html="<p>现将道路养护有关事项通知如下。</p>",
        attachments=[("养护安排.docx", _docx("养护安排见下表，咨询电话0399-8000131。"))],
    )
    services.document_submit(actor=world.officer_a, document=doc)
    services.document_approve(actor=world.reviewer_a, document=doc, secrecy_opinion="不涉密")
    services.document_publish(actor=world.officer_a, document=doc)
    index_flush()
    return doc


def test_a_clean_site_exits_0_and_a_planted_id_in_a_page_feed_and_api_exits_1(public_doc, capsys):
    from gongkai.apps.catalog.models import Document

    code, out = _sweep_cli(capsys)
    assert code == 0, out
    assert "未发现未遮盖的个人信息" in out
    visited = int(out.split("共访问 ")[1].split(" ")[0])
    assert visited > 10
    # a bug that serves an original: the body and title carry an unmasked ID and phone
    Document.objects.filter(pk=public_doc.pk).update(
        public_title=f"关于孙八（{ID}）的处理决定",
        public_body_html=f"<p>孙八，身份证号 {ID}，联系电话 {PHONE}。</p>",
        public_body_text=f"孙八，身份证号 {ID}，联系电话 {PHONE}。",
    )
    from tests.caches import clear_cache_of_this_process

    clear_cache_of_this_process()  # the cached pages would still show the clean version
    code, out = _sweep_cli(capsys)
    assert code == 1
    urls = {line.split("\t")[0] for line in out.splitlines() if "\t" in line}
    assert f"/catalog/documents/{public_doc.pk}/" in urls  # the page
    assert f"/api/catalog/documents/{public_doc.pk}" in urls  # the API answer
    assert "/catalog/feed.rss" in urls or "/catalog/feed.atom" in urls  # a feed
    assert ID not in out and PHONE not in out  # the report masks what it found


def test_an_unmasked_id_in_a_published_attachment_exits_1_naming_its_url(public_doc, capsys):
    from django.core.files.base import ContentFile

    from gongkai.apps.catalog.models import PublishedFile

    published_file = PublishedFile.objects.get(document=public_doc)
    published_file.file.save(
        "planted.docx", ContentFile(_docx(f"听证代表：王五（身份证号{ID}）")), save=True
    )
    code, out = _sweep_cli(capsys)
    assert code == 1
    leaks = [line.split("\t") for line in out.splitlines() if "\t" in line]
    assert [row[0] for row in leaks] == [published_file.get_absolute_url()]
    assert leaks[0][1] == Kind.ID_NUMBER.label
    assert "其中下载文件" in out and ID not in out


def test_the_applicant_area_is_swept_signed_in_as_the_applicant(world, capsys):
    from gongkai.apps.privacy.sweep import APPLICANT_AREAS, APPLICANT_SEEDS, client_fetch, sweep

    result = sweep(client_fetch(world.applicant), seeds=APPLICANT_SEEDS, only=APPLICANT_AREAS)
    assert result.visited >= len(APPLICANT_SEEDS)
    assert not result.leaks and not result.failed
    from gongkai.cli import main

    assert main(["privacy", "sweep", "--applicant", "nobody-here"]) == 2
    assert "找不到账户“nobody-here”" in capsys.readouterr().err


def test_the_json_answers_are_read_value_by_value():
    blocks, is_file, links = sweep_module.read_answer(
        "/api/mailbox/letters/XX1",
        "",
        json.dumps({"content": f"我的电话{PHONE}", "url": "/mailbox/letters/XX1/"}).encode(),
    )
    assert not is_file
    assert [b.location for b in blocks] == ["第1条.content", "第1条.url"]
    assert "/mailbox/letters/XX1/" in links
    leaks = Inspector(threshold=0.5, reference_date=None).leaks(blocks)
    assert [(blocks[i].location, kind) for i, kind, _ in leaks] == [
        ("第1条.content", Kind.MOBILE.label)
    ]


@pytest.mark.slow
@pytest.mark.django_db
def test_the_demo_applicant_receives_the_masked_release_and_the_sweep_finds_nothing(capsys):
    """The demo releases a DOCX with names, IDs and phones to zhangsan through the review:
    the original keeps them, the file he downloads does not, and the sweep of his own pages
    (``--applicant zhangsan``) reads that file and finds nothing."""
    from django.contrib.auth import get_user_model

    from gongkai.apps.applications.models import CaseDocument
    from gongkai.apps.privacy.sweep import (
        APPLICANT_AREAS,
        APPLICANT_SEEDS,
        applicant_fetch,
        sweep,
    )
    from gongkai.demo.applications import PENALTY_LIST
    from gongkai.demo.world import demo_load
    from gongkai.documents.extract import extract_plain_text

    demo_load(only=["网站设置", "机关名录", "工作人员和申请人账户", "依申请公开本年度"])
    roster = CaseDocument.objects.get(original_name="听证会参加人名单.docx")
    with roster.file.open("rb") as handle:
        original = extract_plain_text("a.docx", handle.read())
    with roster.released_file.open("rb") as handle:
        released = extract_plain_text("a.docx", handle.read())
    for value in ("370102198204051231", "13698765432", "320106197911230318", "18655550123"):
        assert value in original
        assert value not in released
    penalty = CaseDocument.objects.get(original_name="处罚决定书目录.txt")
    with penalty.released_file.open("rb") as handle:
        text = handle.read().decode()
    assert "410105198703152117" in PENALTY_LIST and "410105198703152117" not in text
    assert "13512340987" not in text

    fetch, own = applicant_fetch("zhangsan")
    assert get_user_model().objects.get(username="zhangsan").phone in own
    result = sweep(fetch, seeds=APPLICANT_SEEDS, only=APPLICANT_AREAS, own=own)
    assert result.downloads >= 1
    assert not result.leaks, result.leaks
    assert not result.failed and not result.unreadable


def test_the_applicants_own_numbers_on_their_own_pages_are_not_leaks():
    blocks = [TextBlock("第1段", f"我的电话{PHONE}，另一位申请人电话13900001111。")]
    inspector = Inspector(threshold=0.5, reference_date=None, own=frozenset({PHONE}))
    assert [masked for _, _, masked in inspector.leaks(blocks)] == ["139****1111"]
