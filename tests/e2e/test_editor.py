"""The back office's rich-text editor: headings and tables from the toolbar, paste from Word
cleaned by the server's sanitiser, and the saved document carries the clean HTML."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import as_user, axe_violations

pytestmark = pytest.mark.e2e

WORD = (
    '<p class="MsoNormal" style="mso-outline-level:1"><b><span lang="EN-US">'
    "一、调整内容<o:p></o:p></span></b></p>"
    '<table class="MsoTableGrid" border="1"><tr><td style="width:80pt"><p class="MsoNormal">'
    "线路</p></td><td><p class=MsoNormal>10路延长至建设大街</p></td></tr></table>"
    "<script>alert(1)</script>"
)


def test_officer_writes_with_the_editor_and_pastes_from_word(browser, live_server, demo):
    from gongkai.apps.catalog.models import Document

    base = live_server.url
    context, officer = as_user(browser, base, "jtj_zy")
    officer.goto(f"{base}/backoffice/catalog/new/")
    officer.locator("textarea[data-editor-ready]").wait_for(state="attached")
    editable = officer.locator(".jodit-wysiwyg")
    assert editable.is_visible()
    assert officer.locator(".jodit-toolbar__box").is_visible()
    editable.click()
    officer.keyboard.type("为方便市民出行，现将有关事项通知如下。")
    officer.keyboard.press("Enter")
    # paste from Word: a real paste event carrying text/html
    editable.evaluate(
        """(el, html) => {
          const data = new DataTransfer();
          data.setData('text/html', html);
          data.setData('text/plain', '一、调整内容');
          el.dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true}));
        }""",
        WORD,
    )
    officer.locator(".jodit-wysiwyg table").wait_for()
    inner = editable.inner_html()
    assert "10路延长至建设大街" in inner
    for gone in ("Mso", "mso-", "<script", "lang="):
        assert gone not in inner, gone

    officer.get_by_label("标题").fill("示例市交通运输局关于调整10路公交线路的通知")
    officer.get_by_label("栏目").select_option(label="（一）行政法规、规章和规范性文件")
    officer.get_by_label("主题分类").select_option(index=1)
    officer.get_by_label("体裁").select_option(label="通知")
    officer.get_by_label("成文日期").fill("2026-11-25")
    officer.get_by_role("button", name="保存").click()
    officer.wait_for_load_state("networkidle")
    doc = Document.objects.get(title="示例市交通运输局关于调整10路公交线路的通知")
    assert "<table>" in doc.body_html and "10路延长至建设大街" in doc.body_html
    assert "Mso" not in doc.body_html and "script" not in doc.body_html
    assert doc.body_html.startswith("<p>为方便市民出行")
    assert axe_violations(officer) == []
    context.close()
