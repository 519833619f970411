"""UX-3: the main pages in French and Polish leave no English label behind.

No list of labels to keep: the check reads the catalogues. A page in French or Polish fails when
a label, heading, button, option, tab or tooltip shows a message of the catalogue in English
(marked but not translated), or when a label reads the same as on the English page although the
catalogue does not say that the word is the same in both languages (never marked at all).
"""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from sellercx.demo import NORTHWIND_OWNER
from tests.core.test_translations import entries

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# What a person reads as the page's own words (not the data it shows): labels, headings of
# tables, buttons, tabs, menus, statuses; and the tooltips and accessible names. (A page's h1
# is often data: a product title, a conversation's subject.)
CHROME = (
    "label, th, legend, summary, button, nav a, .tabs a, dt, .status, .badge, .band-word,"
    " .sortbar a, .pagination, select:not([name=brand]) option, h2:not(.review-title)"
)
COLLECT = """(selector) => {
  const words = [];
  for (const el of document.querySelectorAll(selector)) {
    if (el.closest('[data-testid=review], .comment, code')) continue;
    words.push(el.innerText.trim());
  }
  const tips = [];
  for (const el of document.querySelectorAll('[title], [aria-label], [placeholder]')) {
    for (const name of ['title', 'aria-label', 'placeholder']) {
      const value = el.getAttribute(name);
      if (value) tips.push(value.trim());
    }
  }
  return {words: words.filter(Boolean), tips};
}"""
WORD = re.compile(r"[A-Za-z]{4,}")


def catalogue(language: str) -> tuple[set[str], set[str]]:
    """The English messages that read otherwise in ``language`` (less the words that are
    also a translation, as Polish "Do" for "To"), and the words the same in both."""
    translated, same, words = set(), set(), set()
    for entry in entries(language):
        words |= {value for key, value in entry.items() if key.startswith("msgstr")}
        if "msgid_plural" in entry or "%" in entry["msgid"] or "{" in entry["msgid"]:
            continue
        (same if entry["msgstr"] == entry["msgid"] else translated).add(entry["msgid"])
    return translated - words, same


@pytest.fixture
def demo():
    call_command("seed_demo", "--quiet", "--scale", "0.02")


def main_pages(live_server) -> list[str]:
    from messaging.models import Conversation
    from sellercx.models import Offer, Order, SellerAccount

    seller = SellerAccount.objects.get(users__email=NORTHWIND_OWNER)
    order = Order.objects.filter(seller=seller, marketplace__code="FR").latest("purchased_at")
    offer = Offer.objects.filter(seller=seller, marketplace__code="FR").first()
    conversation = Conversation.objects.filter(seller=seller).first()
    paths = [
        reverse(name, args=args)
        for name, *args in [
            ("dashboard:home",),
            ("dashboard:offers",),
            ("dashboard:orders",),
            ("dashboard:order", order.pk),
            ("feedback:manager",),
            ("feedback:requests",),
            ("reviews:list",),
            ("messaging:inbox",),
            ("messaging:conversation", conversation.pk),
            ("messaging:rating",),
            ("metrics:health",),
            ("metrics:defects",),
            ("voc:dashboard",),
            ("voc:offer", offer.pk),
            ("dashboard:users",),
            ("dashboard:tokens",),
            ("dashboard:activity",),
        ]
    ]
    return [f"{live_server.url}{path}?marketplace=FR" for path in paths]


def read(page, url: str) -> dict:
    response = page.goto(url)
    assert response.status == 200, url
    return page.evaluate(COLLECT, CHROME)


@pytest.mark.parametrize("language", ["fr", "pl"])
def test_ux3_no_english_label_is_left(sign_in, page, live_server, demo, language):
    translated, same = catalogue(language)
    sign_in(NORTHWIND_OWNER, "demo")
    urls = main_pages(live_server)
    english = {url: read(page, url)["words"] for url in urls}

    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    leaks = []
    for url in urls:
        shown = read(page, url)
        assert page.locator("html").get_attribute("lang") == language
        lines = {
            line.strip()
            for text in shown["words"] + shown["tips"]
            for line in text.splitlines()
            if line.strip()
        }
        leaks += [(url, line, "in the catalogue, shown in English") for line in lines & translated]
        leaks += [
            (url, text, "the same as on the English page")
            for text in set(shown["words"]) & set(english[url])
            if WORD.search(text) and not _reads_the_same(text, same)
        ]
    assert not leaks, "\n".join(f"{u}: {t!r} ({why})" for u, t, why in leaks)


def _reads_the_same(text: str, same: set[str]) -> bool:
    """A label the same in both languages for a reason: each of its parts ("FR · France",
    "Canada (CA)", "Excellent 1") is a word the catalogue keeps, a code, a count or data."""
    parts = [p for p in re.split(r"\s*[·()]\s*|\s+\d[\d.,\s]*$", text) if p.strip()]
    return all(p in same or re.fullmatch(r"[A-Z]{2}", p) or _is_data(p) for p in parts)


def _is_data(text: str) -> bool:
    """What the page shows of the data, the same in every language: names of the account and
    its users, e-mail addresses, SKUs, order ids, amounts and dates."""
    from sellercx.models import Brand, SellerAccount, User

    if "@" in text or re.fullmatch(r"[\w.-]*\d[\w .:/-]*", text):
        return True
    names = {*SellerAccount.objects.values_list("name", flat=True)}
    names |= {
        *User.objects.values_list("name", flat=True),
        *Brand.objects.values_list("name", flat=True),
    }
    return text in names or any(text.startswith(f"{name} ") for name in names)
