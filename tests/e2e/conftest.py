"""Browser journeys: Playwright driving Debian's Chromium against a live test server.

`make e2e` installs chromium (Debian) and axe-core (npm); no browser is ever downloaded by a
test tool. Tests here use `live_server` (a real HTTP server on the test database).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs a loop

CHROMIUM = os.environ.get("GONGKAI_CHROMIUM", "/usr/bin/chromium")
AXE = (
    Path(__file__).resolve().parents[2] / "var" / "e2e" / "node_modules" / "axe-core" / "axe.min.js"
)
DEMO_PASSWORD = "gongkai-demo"

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: run `make e2e`, which installs Debian's chromium"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


def desktop_context(browser):
    """A desktop browser context in Chinese with a patient default timeout."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    return context


@pytest.fixture
def page(browser):
    context = desktop_context(browser)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def mobile_page(browser):
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True
    )
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def demo(transactional_db):
    """The demo city's foundation steps (site, agencies, accounts); apps may load more."""
    from gongkai.demo.world import demo_load

    def load(*extra_steps: str) -> None:
        demo_load(only=["网站设置", "机关名录", "工作人员和申请人账户", *extra_steps])

    load()
    return load


def login(page, base_url: str, username: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state("networkidle")


def as_user(browser, base_url: str, username: str):
    """A separate signed-in session (its own context): the caller closes the context."""
    context = desktop_context(browser)
    page = context.new_page()
    login(page, base_url, username)
    return context, page


def axe_violations(page, impacts=("serious", "critical")) -> list[dict]:
    """Run axe-core on the current page; return violations of the given impacts."""
    if not AXE.exists():
        pytest.fail("axe-core missing: run `make e2e`")
    # evaluated through the browser's debugging channel: the site's Content-Security-Policy
    # (no inline script) refuses a script tag added to the page, rightly
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    found = [v for v in result["violations"] if v.get("impact") in impacts]
    if found:
        print(
            json.dumps(
                [{k: v[k] for k in ("id", "impact", "help")} for v in found], ensure_ascii=False
            )
        )
    return found


def case_action(page, title: str, button: str):
    """Open one of the case page's actions (one is open at a time); return it and its button."""
    section = page.locator("details.case-action").filter(has=page.get_by_text(title, exact=True))
    if not section.evaluate("el => el.open"):
        section.locator("summary").click()
    return section, section.get_by_role("button", name=button)


def fill_richtext(page, html: str, name: str = "body_html") -> None:
    """Put ``html`` into the rich-text editor that replaces the textarea ``name``."""
    page.locator(f"textarea[name={name}][data-editor-ready]").wait_for(state="attached")
    page.evaluate(
        """([name, html]) => {
          const area = document.querySelector(`textarea[name=${name}]`);
          const editor = Object.values(window.Jodit.instances).find(e => e.element === area);
          editor.value = html;
        }""",
        [name, html],
    )
