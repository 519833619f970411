"""Issue #9 in a real browser: the CSP (no inline script or style) holds on every dashboard page,
the admin and the API docs with not one violation, while their JavaScript still works (charts
draw, htmx swaps the reply in); and a sign-in lockout says so."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from playwright.sync_api import expect

from sellercx.demo import DEMO_PASSWORD, NORTHWIND_OWNER, STAFF_EMAIL

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# Playwright's init script runs before the page's own: it collects every violation event.
LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""

PAGES = [
    "dashboard:home",
    "dashboard:offers",
    "dashboard:orders",
    "dashboard:users",
    "dashboard:tokens",
    "dashboard:activity",
    "feedback:manager",
    "feedback:requests",
    "reviews:list",
    "messaging:inbox",
    "messaging:rating",
    "metrics:health",
    "metrics:defects",
    "voc:dashboard",
]


class Violations:
    """CSP reports from the console and from ``securitypolicyviolation`` events."""

    def __init__(self, page):
        self.page = page
        self.console: list[str] = []
        page.add_init_script(LISTEN)
        page.on("console", self._on_console)

    def _on_console(self, message):
        text = message.text
        if "Content Security Policy" in text or "Refused to" in text:
            self.console.append(text)

    def check(self, where: str) -> None:
        events = self.page.evaluate("() => window.__csp || []")
        assert not events and not self.console, f"{where}: {events} {self.console}"


@pytest.fixture
def demo(db):
    call_command("seed_demo", "--quiet", "--scale", "0.02", stdout=io.StringIO())


def _northwind_ids():
    from messaging.models import Conversation
    from sellercx.models import Order, User
    from voc.models import OfferCXWeek

    owner = User.objects.get(email=NORTHWIND_OWNER)
    seller = owner.seller_id
    return {
        "dashboard:order": Order.objects.filter(seller_id=seller).values_list("pk", flat=True)[0],
        "dashboard:user": User.objects.filter(seller_id=seller)
        .exclude(pk=owner.pk)
        .values_list("pk", flat=True)[0],
        "messaging:conversation": Conversation.objects.filter(seller_id=seller)
        .values_list("pk", flat=True)
        .first(),
        "voc:offer": OfferCXWeek.objects.filter(offer__seller_id=seller)
        .order_by("-week_start")
        .values_list("offer_id", flat=True)
        .first(),
    }


def _chart_drawn(page, selector: str) -> bool:
    return page.evaluate(
        """(selector) => {
            const canvas = document.querySelector(selector);
            return !!(canvas && window.Chart && window.Chart.getChart(canvas));
        }""",
        selector,
    )


def test_no_csp_violation_on_any_page_and_the_javascript_works(page, live_server, demo):
    violations = Violations(page)
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("E-mail address").fill(NORTHWIND_OWNER)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/dashboard/")
    violations.check("sign in")

    for name in PAGES:
        page.goto(live_server.url + reverse(name))
        page.wait_for_load_state("networkidle")
        assert page.title() and "Not allowed" not in page.title(), name
        violations.check(name)

    ids = _northwind_ids()
    for name, pk in ids.items():
        assert pk is not None, f"the demo has nothing for {name}"
        page.goto(live_server.url + reverse(name, args=[pk]))
        page.wait_for_load_state("networkidle")
        violations.check(name)

    # Charts are drawn by our static scripts with the vendored Chart.js.
    page.goto(live_server.url + reverse("metrics:health"))
    page.wait_for_load_state("networkidle")
    assert _chart_drawn(page, "canvas[data-health-chart]")
    page.goto(live_server.url + reverse("messaging:rating"))
    page.wait_for_load_state("networkidle")
    assert _chart_drawn(page, "canvas[data-chart]")
    page.goto(live_server.url + reverse("voc:offer", args=[ids["voc:offer"]]))
    page.wait_for_load_state("networkidle")
    assert _chart_drawn(page, "canvas[data-voc-chart]")
    violations.check("charts")

    # htmx: the reply form posts in the background and swaps the thread in place.
    page.goto(
        live_server.url + reverse("messaging:conversation", args=[ids["messaging:conversation"]])
    )
    before = page.get_by_test_id("message").count()
    page.get_by_label("Your reply").fill("Thanks for your patience, it ships today.")
    with page.expect_request(lambda r: r.method == "POST" and r.headers.get("hx-request")):
        page.get_by_role("button", name="Send reply").click()
    expect(page.get_by_test_id("message")).to_have_count(before + 1)
    expect(page.get_by_test_id("message").last).to_contain_text("it ships today")
    violations.check("htmx reply")

    # The filters use hx-boost; the activity log lists the reply just sent.
    page.goto(live_server.url + reverse("dashboard:activity"))
    page.get_by_label("Action").select_option("message.sent")
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_test_id("audit-entry").first).to_contain_text(NORTHWIND_OWNER)
    violations.check("activity filters")

    # The API docs: Swagger UI renders the schema from our own static files.
    page.goto(f"{live_server.url}/api/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("SellerCX API")
    expect(page.locator(".opblock-tag-section").first).to_be_visible()
    violations.check("api docs")


def test_no_csp_violation_in_the_admin(page, live_server, demo):
    violations = Violations(page)
    page.goto(f"{live_server.url}/admin/login/")
    page.locator("#id_username").fill(STAFF_EMAIL)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("input[type=submit]").click()
    expect(page.locator("#site-name")).to_contain_text("SellerCX")
    violations.check("admin index")
    for name in (
        "admin:sellercx_auditentry_changelist",
        "admin:feedback_removalrequest_changelist",
        "admin:sellercx_user_changelist",
        "admin:sellercx_apitoken_changelist",
        "admin:axes_accessattempt_changelist",
    ):
        page.goto(live_server.url + reverse(name))
        page.wait_for_load_state("networkidle")
        expect(page.locator("#result_list, p.paginator").first).to_be_visible()
        violations.check(name)
    # The admin's JavaScript works: "select all" ticks every row's checkbox.
    page.goto(live_server.url + reverse("admin:sellercx_auditentry_changelist"))
    page.goto(live_server.url + reverse("admin:feedback_removalrequest_changelist"))
    if page.locator("#action-toggle").count():
        page.locator("#action-toggle").check()
        expect(page.locator("input.action-select").first).to_be_checked()
    page.goto(live_server.url + reverse("admin:sellercx_user_add"))
    expect(page.locator("#id_email")).to_be_visible()
    violations.check("admin add form")


@override_settings(AXES_FAILURE_LIMIT=3)
def test_lockout_message_after_repeated_failures(page, live_server):
    from tests.factories import SellerAccountFactory, UserFactory

    UserFactory(seller=SellerAccountFactory(), email="owner@shop.example")
    for _ in range(3):
        page.goto(f"{live_server.url}/login/")
        page.get_by_label("E-mail address").fill("owner@shop.example")
        page.get_by_label("Password").fill("not-the-password")
        page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Too many sign-in attempts")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text(re.compile("failed 3 times"))
    # Even the right password is refused now.
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("E-mail address").fill("owner@shop.example")
    page.get_by_label("Password").fill("pass-word-123")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Too many sign-in attempts")).to_be_visible()
    assert page.url.endswith("/login/")
