"""Browser tests: pytest-playwright driving Debian's Chromium against Django's live server.

They never skip: without Chromium they fail, saying how to install it (``.ci/run`` does).
Screenshots of failures land in ``test-results/``.
"""

from __future__ import annotations

import os
import re
import shutil

import pytest

# Playwright's sync API runs an event loop in the test's thread; the ORM calls the tests make
# between browser steps are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install -y chromium")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": CHROMIUM_ARGS,
        "headless": True,
    }


@pytest.fixture
def sign_in(page, live_server):
    """Sign in through the login form, as a person would."""

    def sign_in_as(email: str, password: str = "pass-word-123"):
        page.goto(f"{live_server.url}/login/")
        page.get_by_label("E-mail address").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        # The dashboard names its marketplace in the address bar at once (replaceState, UX-2):
        # by the time this waits, the URL may already carry ?marketplace=.
        page.wait_for_url(re.compile(rf"^{re.escape(live_server.url)}/dashboard/(\?.*)?$"))
        return page

    return sign_in_as


# STYLE.md, Tests: a person clicks at a desktop and at a phone width. A test takes both with
# ``@BOTH_WIDTHS``; the others run at the desktop width. Playwright's click (never ``force``)
# fails when anything else would receive it, so an overlapped button fails the test (UX-1).
DESKTOP, PHONE = 1280, 375
BOTH_WIDTHS = pytest.mark.parametrize("width", [DESKTOP, PHONE], ids=["desktop", "phone"])


@pytest.fixture
def width() -> int:
    return DESKTOP


@pytest.fixture
def browser_context_args(browser_context_args, width):
    height = 900 if width >= DESKTOP else 812
    return {**browser_context_args, "viewport": {"width": width, "height": height}}


@pytest.fixture(autouse=True)
def no_csp_violation(request):
    """Issue #19: no page, and no htmx swap, ever trips the Content-Security-Policy. Chromium
    reports each violation on the console; every browser test fails on one."""
    if "page" not in request.fixturenames:
        yield
        return
    page = request.getfixturevalue("page")
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield
    assert not refused, "\n".join(refused)
