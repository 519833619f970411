"""Refresh the README's screenshots from a running `make run` (demo data loaded).

    .venv/bin/python docs/screenshots/take.py [http://127.0.0.1:8000] [--phone]

Signs in as the demo seller, opens each page at 1440 px (the README's pictures) and, with
``--phone``, at 375 px too (``docs/screenshots/phone/``, to look at, not committed).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent
OWNER, PASSWORD = "owner@northwind.example", "demo"

# file name -> (path, what to wait for); the marketplace is named as a seller would see it.
PAGES = {
    "home": "/dashboard/?marketplace=FR",
    "offers": "/dashboard/offers/?marketplace=FR",
    "orders": "/dashboard/orders/?marketplace=FR",
    "order": None,  # the first order of the list
    "feedback": "/dashboard/feedback/?marketplace=FR",
    "review-requests": "/dashboard/feedback/requests/?marketplace=FR",
    "reviews": "/dashboard/reviews/?marketplace=all",
    "messages": "/dashboard/messages/?marketplace=all",
    "cs-rating": "/dashboard/messages/rating/?marketplace=FR",
    "health": "/dashboard/performance/?marketplace=FR",
    "health-all": "/dashboard/performance/?marketplace=all",
    "voc": "/dashboard/voc/?marketplace=FR",
    "voc-offer": None,  # the first offer that needs action
    "users": "/dashboard/users/",
    "activity": "/dashboard/activity/",
}


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    base = (args[0] if args else "http://127.0.0.1:8000").rstrip("/")
    widths = [("", 1440)] + ([("phone", 375)] if "--phone" in sys.argv else [])
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        for folder, width in widths:
            out = HERE / folder
            out.mkdir(exist_ok=True)
            page = browser.new_page(
                viewport={"width": width, "height": 900 if width > 1000 else 812}
            )
            page.goto(f"{base}/login/")
            page.get_by_label("E-mail address").fill(OWNER)
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url("**/dashboard/**")
            for name, path in PAGES.items():
                if path is None:
                    path = _first_link(page, base, name)
                page.goto(base + path)
                page.wait_for_load_state("networkidle")
                page.screenshot(path=out / f"{name}.png")
                print(f"{out.relative_to(HERE.parent.parent)}/{name}.png")
            page.close()
        browser.close()


def _first_link(page, base: str, name: str) -> str:
    if name == "order":  # an order the buyer left feedback on
        page.goto(f"{base}/dashboard/feedback/?marketplace=FR")
        link = page.get_by_test_id("feedback-row").locator("a[href*='/dashboard/orders/']")
        return link.first.get_attribute("href")
    page.goto(f"{base}/dashboard/voc/?marketplace=FR&sort=-ncxRate")
    return page.locator("table a[href*='/dashboard/voc/offers/']").first.get_attribute("href")


if __name__ == "__main__":
    main()
