"""Issue #19 on Account health and the dashboard home: the customer-service rating is
informational (CS-8), numbers read in the reader's language (UX-3), "All marketplaces" shows
every marketplace side by side (UX-2), a deactivated account never reads good, and the home's
feedback panel shows the average and the positive share beside the negative one."""

from __future__ import annotations

import itertools
import re
import string
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from messaging.models import CustomerServiceRating
from metrics.recomputes import recompute_metrics
from metrics.templatetags.metrics import metric_value, percent
from sellercx.models import SellerAccount, SellerMarketplace
from tests.factories import MarketplaceFactory
from tests.querycount import assert_constant_queries

from .helpers import AS_OF, DAY, at, claim, feedback, order

pytestmark = pytest.mark.django_db

NOW = AS_OF + timedelta(hours=9)
HEALTH = "/dashboard/performance/"
PERCENT = r"[\s\u00a0\u202f]?%"  # the sign's spacing is the language's (a translation)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


def good_odr(seller, marketplace, orders=4):
    """Merchant orders in the ODR window, none with a defect: a good ODR."""
    return [order(seller, marketplace, at(40)) for _ in range(orders)]


def cs_rating(seller, marketplace, value: str, answers: int = 50):
    """A weekly customer-service rating with enough answers (CS-5), before the day."""
    CustomerServiceRating.objects.create(
        seller=seller,
        marketplace=marketplace,
        week_start=DAY - timedelta(days=11),
        answers=answers,
        yes_answers=int(Decimal(value) * answers / 10),
        value=Decimal(value),
    )


def recompute(seller):
    recompute_metrics(period=DAY, seller_ids=[seller.pk])


def card_of(page: str, metric: str) -> str:
    """The HTML of one metric's card on the page."""
    start = page.index(f'data-testid="metric-{metric}"')
    return page[start : page.index("</section>", start)]


def text_of(page: str, testid: str) -> str:
    match = re.search(rf'data-testid="{testid}"[^>]*>([^<]*)<', page)
    assert match, testid
    return match.group(1).strip()


# ---- CS-8: the customer-service rating is informational ---------------------------------------


@pytest.mark.parametrize(
    ("value", "word", "colour"),
    [
        ("5.0", "Needs attention", "red"),
        ("7.0", "Needs improvement", "yellow"),
        ("8.5", "Keep it up", "green"),
    ],
)
def test_cs8_rating_card_reads_in_its_own_band_words_marked_informational(
    client, user, seller, marketplace, value, word, colour
):
    good_odr(seller, marketplace)
    cs_rating(seller, marketplace, value)
    recompute(seller)
    client.force_login(user)
    card = card_of(client.get(HEALTH, {"marketplace": "FR"}).content.decode(), "cs_rating")
    assert f'band-word band-{colour}" data-testid="status">{word}<' in card
    assert 'data-testid="informational"' in card
    assert "never counts toward the overall status" in card
    for graded in ("Good", "At risk", "Failing", "Target:"):
        assert graded not in card


def test_cs8_a_low_rating_never_counts_toward_the_overall_status(
    client, api, user, seller, marketplace
):
    good_odr(seller, marketplace)
    cs_rating(seller, marketplace, "3.0")
    recompute(seller)
    client.force_login(user)
    page = client.get(HEALTH, {"marketplace": "FR"}).content.decode()
    assert text_of(page, "health-worst") == "Good"
    home = client.get("/dashboard/", {"marketplace": "FR"}).content.decode()
    assert text_of(home, "home-health-status") == "Good"
    assert "Customer-service rating" not in home  # not listed among metrics to look at
    (report,) = api.get("/api/v1/metrics").json()["marketplaces"]
    assert report["status"] == "good"
    cs = next(m for m in report["metrics"] if m["metric"] == "cs_rating")
    assert (cs["informational"], cs["band"]) == (True, "needs_attention")
    odr = next(m for m in report["metrics"] if m["metric"] == "odr_merchant")
    assert (odr["informational"], odr["band"]) == (False, None)


def test_cs8_the_graded_metrics_still_make_the_overall_status(client, user, seller, marketplace):
    claim(good_odr(seller, marketplace)[0], at(30))  # 1 of 4 orders: failing
    cs_rating(seller, marketplace, "9.0")
    recompute(seller)
    client.force_login(user)
    page = client.get(HEALTH, {"marketplace": "FR"}).content.decode()
    assert text_of(page, "health-worst") == "Failing"


def test_cs8_side_by_side_overall_leaves_the_rating_out(client, user, seller, marketplace):
    good_odr(seller, marketplace)
    cs_rating(seller, marketplace, "2.0")
    recompute(seller)
    client.force_login(user)
    page = client.get(HEALTH, {"marketplace": "all"}).content.decode()
    assert text_of(page, "health-worst") == "Good"
    overall = page[page.index('data-testid="row-overall"') :]
    assert ">Good<" in overall[: overall.index("</tr>")]
    row = page[page.index('data-testid="row-cs_rating"') :]
    row = row[: row.index("</tr>")]
    assert "Informational" in row and "Needs attention" in row


# ---- UX-3: numbers in the reader's language ----------------------------------------------------


SPACE = r"[\s\u00a0\u202f]"  # a language's thousands separator


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", [r"12\.5%", r"0\.43%", r"4\.3 ★", r"7\.5 / 10", r"1,480"]),
        ("fr", [rf"12,5{PERCENT}", rf"0,43{PERCENT}", "4,3 ★", "7,5 / 10", rf"1{SPACE}480"]),
        ("pl", [rf"12,5{PERCENT}", rf"0,43{PERCENT}", "4,3 ★", "7,5 / 10", rf"1{SPACE}480"]),
    ],
)
def test_ux3_metric_numbers_read_in_the_readers_language(language, expected):
    with translation.override(language):
        shown = [
            percent(Decimal("0.125")),
            metric_value(Decimal("0.0043"), "odr_merchant"),  # the ODR with two decimals
            metric_value(Decimal("4.25"), "average_rating"),
            metric_value(Decimal("7.5"), "cs_rating"),
            metric_value(Decimal("1480"), "feedback_count"),
        ]
    for text, pattern in zip(shown, expected, strict=True):
        assert re.fullmatch(pattern, text), (text, pattern)


def test_ux3_percent_keeps_a_whole_number_whole_with_negative_places():
    with translation.override("fr"):
        assert re.fullmatch(rf"5{PERCENT}", percent(Decimal("0.05"), -1))
        assert re.fullmatch(rf"2,5{PERCENT}", percent(Decimal("0.025"), -1))
    assert percent(None) == metric_value(None, "odr_merchant") == "—"


@pytest.mark.parametrize("language", ["fr", "pl"])
def test_ux3_health_page_and_home_write_a_decimal_comma(
    client, user, seller, marketplace, language
):
    made = good_odr(seller, marketplace)
    claim(made[0], at(30))
    claim(made[1], at(30))
    feedback(made[2], at(30), rating=5)
    feedback(made[3], at(30), rating=4)
    cs_rating(seller, marketplace, "7.5")
    recompute(seller)
    client.force_login(user)
    page = client.get(HEALTH, {"marketplace": "FR"}, HTTP_ACCEPT_LANGUAGE=language)
    html = page.content.decode()
    odr = card_of(html, "odr_merchant")
    assert re.search(rf">50,00{PERCENT}<", odr)  # the figure
    assert re.search(rf"1,00{PERCENT}", odr)  # the target
    assert re.search(rf">50,00{PERCENT} <", odr)  # the claims' rate
    assert re.search(rf">0,00{PERCENT} <", odr)  # the chargebacks' rate
    assert "4,5 ★" in card_of(html, "average_rating")
    assert "7,5 / 10" in card_of(html, "cs_rating")
    assert not re.search(r"\d\.\d+\s?%", html)  # no decimal point before a percent sign
    table = client.get(HEALTH, {"marketplace": "all"}, HTTP_ACCEPT_LANGUAGE=language)
    assert re.search(rf">50,00{PERCENT}<", table.content.decode())
    home = client.get("/dashboard/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    panel = home[home.index('data-testid="home-feedback"') :]
    assert "4,5 ★" in panel
    assert re.search(rf">100,0{PERCENT}<", panel)  # positive
    assert re.search(rf">0,0{PERCENT}<", panel)  # negative


# ---- UX-2: "All marketplaces" side by side -----------------------------------------------------


def test_ux2_all_marketplaces_shows_each_marketplace_side_by_side(
    client, user, seller, marketplace, poland
):
    good_odr(seller, marketplace)
    claim(good_odr(seller, poland)[0], at(30))
    recompute(seller)
    client.force_login(user)
    response = client.get(HEALTH, {"marketplace": "all"})
    table = response.context["table"]
    assert [c["marketplace"].code for c in table["columns"]] == ["FR", "PL"]
    assert [c["status"]["word"] for c in table["columns"]] == ["Good", "Failing"]
    odr = next(row for row in table["rows"] if row["metric"] == "odr_merchant")
    assert [cell["snapshot"].value for cell in odr["cells"]] == [Decimal(0), Decimal("0.25")]
    html = response.content.decode()
    assert 'data-testid="health-side-by-side"' in html
    assert 'href="/dashboard/performance/?marketplace=FR"' in html
    assert 'href="/dashboard/performance/?marketplace=PL"' in html
    assert "France (FR)" in html and "Poland (PL)" in html
    assert 'data-testid="metric-' not in html  # no one marketplace's cards under "All"
    assert text_of(html, "health-worst") == "Failing"


def test_ux2_one_marketplace_shows_its_detailed_cards(client, user, seller, marketplace, poland):
    good_odr(seller, marketplace)
    claim(good_odr(seller, poland)[0], at(30))
    recompute(seller)
    client.force_login(user)
    response = client.get(HEALTH, {"marketplace": "PL"})
    assert response.context["marketplace"] == poland
    assert {c["snapshot"].marketplace_id for c in response.context["cards"]} == {poland.pk}
    html = response.content.decode()
    assert "· Poland" in html
    assert 'data-testid="health-side-by-side"' not in html
    assert "/dashboard/performance/defects/?marketplace=PL&amp;" in html
    assert 'href="/dashboard/performance/?marketplace=all"' in html


def test_ux2_a_marketplace_without_snapshots_reads_no_data(
    client, user, seller, marketplace, poland
):
    good_odr(seller, marketplace)
    recompute(seller)
    SellerMarketplace.objects.create(seller=seller, marketplace=MarketplaceFactory(code="US"))
    client.force_login(user)
    table = client.get(HEALTH, {"marketplace": "all"}).context["table"]
    us = [c["marketplace"].code for c in table["columns"]].index("US")
    assert table["columns"][us]["status"]["word"] == "No data"
    assert all(row["cells"][us] is None for row in table["rows"])


def test_ux2_side_by_side_before_any_snapshot(client, user, seller, marketplace):
    client.force_login(user)
    html = client.get(HEALTH, {"marketplace": "all"}).content.decode()
    assert 'data-testid="no-snapshot"' in html


def test_ux2_odr_drill_down_is_per_marketplace(client, user, seller, marketplace, poland):
    good_odr(seller, marketplace)
    recompute(seller)
    client.force_login(user)
    response = client.get("/dashboard/performance/defects/", {"marketplace": "all"})
    assert response.status_code == 302
    assert "marketplace=FR" in response["Location"]  # the main marketplace, named in the URL
    page = client.get("/dashboard/performance/defects/", {"marketplace": "PL"})
    html = page.content.decode()
    assert 'href="/dashboard/performance/?marketplace=PL"' in html  # back to the same one
    assert "All marketplaces</option>" not in html.split('id="main"')[1]


def test_ac1_side_by_side_shows_only_the_accounts_marketplaces_and_figures(
    client, user, stranger, seller, marketplace
):
    us = MarketplaceFactory(code="US")
    SellerMarketplace.objects.create(seller=stranger.seller, marketplace=us)
    claim(good_odr(stranger.seller, us)[0], at(30))
    claim(good_odr(stranger.seller, marketplace)[0], at(30))
    recompute(stranger.seller)
    good_odr(seller, marketplace)
    recompute(seller)
    client.force_login(user)
    table = client.get(HEALTH, {"marketplace": "all"}).context["table"]
    assert [c["marketplace"].code for c in table["columns"]] == ["FR"]
    assert table["columns"][0]["status"]["word"] == "Good"
    # Their marketplace's code shows this account's own figures, never theirs.
    response = client.get(HEALTH, {"marketplace": "US"})
    assert all(c["snapshot"].seller_id == seller.pk for c in response.context.get("cards") or [])
    assert "25.00%" not in response.content.decode()


def test_ux2_side_by_side_runs_the_same_queries_for_1_and_30_marketplaces(
    client, user, seller, marketplace
):
    codes = ("".join(pair) for pair in itertools.product(string.ascii_uppercase, repeat=2))
    client.force_login(user)

    def add_marketplace():
        code = next(c for c in codes if c not in ("FR", "PL", "US", "CA"))
        added = MarketplaceFactory(code=code)
        SellerMarketplace.objects.create(seller=seller, marketplace=added)
        claim(good_odr(seller, added, orders=2)[0], at(30))
        recompute(seller)

    def fetch():
        assert client.get(HEALTH, {"marketplace": "all"}).status_code == 200
        assert client.get("/dashboard/", {"marketplace": "all"}).status_code == 200

    fetch()  # the choice of "All marketplaces" is remembered once
    assert_constant_queries(add_marketplace, fetch)


# ---- A deactivated account never reads good ---------------------------------------------------


@pytest.fixture
def deactivated(seller):
    SellerAccount.objects.filter(pk=seller.pk).update(standing=SellerAccount.Standing.DEACTIVATED)
    seller.refresh_from_db()
    return seller


def test_deactivated_account_never_reads_good(client, api, user, deactivated, marketplace):
    good_odr(deactivated, marketplace)
    recompute(deactivated)
    client.force_login(user)
    page = client.get(HEALTH, {"marketplace": "FR"}).content.decode()
    assert text_of(page, "health-worst") == "Deactivated"
    assert 'data-testid="health-deactivated"' in page
    table = client.get(HEALTH, {"marketplace": "all"}).content.decode()
    assert text_of(table, "health-worst") == "Deactivated"
    home = client.get("/dashboard/").content.decode()
    assert text_of(home, "home-health-status") == "Deactivated"
    body = api.get("/api/v1/metrics").json()
    assert body["accountStanding"] == "deactivated"
    assert body["marketplaces"][0]["status"] == "good"  # its metrics, as they are


def test_deactivated_account_reads_deactivated_before_any_snapshot(client, user, deactivated):
    client.force_login(user)
    home = client.get("/dashboard/").content.decode()
    assert text_of(home, "home-health-status") == "Deactivated"


def test_api_reports_a_good_accounts_standing(api, seller, marketplace):
    assert api.get("/api/v1/metrics").json() == {"accountStanding": "good", "marketplaces": []}


def test_account_banner_only_for_a_deactivated_account(user, seller):
    assert render_to_string("includes/account_banner.html", {"user": user}).strip() == ""
    SellerAccount.objects.filter(pk=seller.pk).update(standing=SellerAccount.Standing.AT_RISK)
    user.seller.refresh_from_db()
    assert render_to_string("includes/account_banner.html", {"user": user}).strip() == ""
    SellerAccount.objects.filter(pk=seller.pk).update(standing=SellerAccount.Standing.DEACTIVATED)
    user.seller.refresh_from_db()
    banner = render_to_string("includes/account_banner.html", {"user": user})
    assert 'data-testid="account-banner"' in banner
    assert "Your selling account is deactivated." in banner
    assert 'href="/dashboard/performance/"' in banner
    with translation.override("fr"):
        assert 'data-testid="account-banner"' in render_to_string(
            "includes/account_banner.html", {"user": user}
        )


def test_account_banner_leaves_out_the_health_link_without_performance_access(user, seller):
    SellerAccount.objects.filter(pk=seller.pk).update(standing=SellerAccount.Standing.DEACTIVATED)
    user.performance_access = 0
    user.seller.refresh_from_db()
    banner = render_to_string("includes/account_banner.html", {"user": user})
    assert 'data-testid="account-banner"' in banner
    assert "/dashboard/performance/" not in banner


# ---- The home's feedback panel: average and positive share beside the negative ---------------


def test_fb8_home_feedback_panel_shows_average_and_positive_share(
    client, user, seller, marketplace, poland
):
    for rating in (1, 4, 5, 5):
        feedback(order(seller, marketplace, at(40)), at(20), rating=rating)
    feedback(order(seller, poland, at(40)), at(20), rating=3)
    client.force_login(user)
    home = client.get("/dashboard/", {"marketplace": "all"}).content.decode()
    fr = home[home.index('data-testid="home-feedback-FR"') :]
    fr = fr[: fr.index("</tr>")]
    assert text_of(fr, "average") == "3.8 ★"
    assert text_of(fr, "positive") == "75.0%"
    assert text_of(fr, "negative") == "25.0%"
    assert 'title="3 positive out of 4 feedback"' in fr
    assert 'data-testid="home-feedback-PL"' in home  # side by side under "All"
    one = client.get("/dashboard/", {"marketplace": "PL"}).content.decode()
    assert 'data-testid="home-feedback-FR"' not in one
    pl = one[one.index('data-testid="home-feedback-PL"') :]
    assert text_of(pl, "average") == "3.0 ★"
    assert text_of(pl, "positive") == "0.0%"
    assert "Seller feedback, last 90 days" in one


def test_fb8_home_feedback_panel_in_constant_queries(client, user, seller, marketplace):
    codes = ("".join(pair) for pair in itertools.product(string.ascii_uppercase, repeat=2))
    client.force_login(user)

    def add_marketplace_with_feedback():
        added = MarketplaceFactory(code=next(c for c in codes if c != "FR"))
        SellerMarketplace.objects.create(seller=seller, marketplace=added)
        feedback(order(seller, added, at(40)), at(20), rating=4)

    def fetch():
        assert client.get("/dashboard/", {"marketplace": "all"}).status_code == 200

    fetch()
    assert_constant_queries(add_marketplace_with_feedback, fetch)


def test_home_health_panel_links_keep_the_marketplace(client, user, seller, marketplace, poland):
    good_odr(seller, marketplace)
    recompute(seller)
    client.force_login(user)
    home = client.get("/dashboard/", {"marketplace": "all"}).content.decode()
    panel = home[home.index('data-testid="home-health"') :]
    assert 'href="/dashboard/performance/?marketplace=all"' in panel
    assert 'href="/dashboard/performance/?marketplace=FR"' in panel
    one = client.get("/dashboard/", {"marketplace": "FR"}).content.decode()
    panel = one[one.index('data-testid="home-health"') :]
    assert 'href="/dashboard/performance/?marketplace=FR"' in panel


def test_every_page_of_a_deactivated_account_carries_the_banner(client, user, seller):
    client.force_login(user)
    for name in ("dashboard:home", "dashboard:orders", "feedback:manager", "metrics:health"):
        assert 'data-testid="account-banner"' not in client.get(reverse(name)).content.decode()
    SellerAccount.objects.filter(pk=seller.pk).update(standing=SellerAccount.Standing.DEACTIVATED)
    for name in ("dashboard:home", "dashboard:orders", "feedback:manager", "metrics:health"):
        page = client.get(reverse(name), follow=True)
        assert 'data-testid="account-banner"' in page.content.decode(), name
