"""RV-1 … RV-8: ingestion and edits, verified purchase, the brand's page, eligibility with each
reason in its order, contacting a customer and the e-mail in the marketplace's language."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from reviews import services
from reviews.eligibility import Reason, contact_eligibility
from reviews.models import CustomerContact, Review
from sellercx.errors import NotFound, RuleViolation
from sellercx.models import Refund, SellerAccount
from tests.factories import (
    BrandFactory,
    OfferFactory,
    ProductFactory,
    SellerAccountFactory,
    UserFactory,
    order_of,
)
from tests.querycount import assert_constant_queries

from .factories import ReviewFactory, bought_review, represented_brand

pytestmark = pytest.mark.django_db


@pytest.fixture
def brand(seller):
    return represented_brand(seller, name="Northwind")


def ingest(storefront, *rows):
    return storefront.post("/api/v1/marketplace/reviews", {"reviews": list(rows)}, format="json")


def row(asin, buyer="BUYER1", review_id="R1", rating=2, **extra):
    return {
        "reviewId": review_id,
        "asin": asin,
        "buyerId": buyer,
        "rating": rating,
        "title": "Meh",
        "text": "Not great",
        **extra,
    }


# ---- RV-1, RV-2 ------------------------------------------------------------------------------


def test_rv1_rv2_ingest_edit_with_history_and_verified_purchase(
    storefront, seller, marketplace, brand
):
    product = ProductFactory(brand=brand)
    order = order_of(OfferFactory(seller=seller, marketplace=marketplace, product=product))
    buyer = order.buyer.external_id
    assert ingest(storefront, row(product.asin, buyer)).json()["payload"]["created"] == 1
    review = Review.objects.get()
    assert review.verified_order == order and review.brand == brand
    assert ingest(storefront, row(product.asin, buyer)).json()["payload"] == {
        "received": 1,
        "created": 0,
        "updated": 0,
    }
    ingest(storefront, row(product.asin, buyer, rating=4, text="Support fixed it"))
    review.refresh_from_db()
    assert (review.rating, review.text) == (4, "Support fixed it")
    assert [(r.rating, r.text) for r in review.revisions.all()] == [(2, "Not great")]


def test_rv2_review_without_an_order_is_not_verified(storefront, brand):
    product = ProductFactory(brand=brand)
    ingest(storefront, row(product.asin, "STRANGER"))
    assert not Review.objects.get().is_verified_purchase


def test_rv1_one_review_per_buyer_and_product_bad_rows_store_nothing(storefront, brand):
    product = ProductFactory(brand=brand)
    ingest(storefront, row(product.asin))
    second = ingest(storefront, row(product.asin, review_id="R2"))
    assert second.status_code == 400
    assert second.json()["errors"][0]["code"] == "Conflict"
    unknown = ingest(storefront, row("B000000000", review_id="R3"))
    assert unknown.json()["errors"][0]["details"] == "reviews[0].asin"
    for bad in ({"rating": 6}, {"asin": "nope"}, {"title": ""}):
        assert ingest(storefront, {**row(product.asin, review_id="R4"), **bad}).status_code == 400
    assert Review.objects.count() == 1


# ---- RV-4 eligibility, each reason in order -------------------------------------------------


def eligibility(review, seller):
    from reviews.selectors import represented_brand_ids

    review = Review.objects.select_related("verified_order", "contact").get(pk=review.pk)
    return contact_eligibility(
        review=review,
        account=SellerAccount.objects.get(pk=seller.pk),
        represented_brand_ids=set(represented_brand_ids(seller_id=seller.pk)),
        now=timezone.now(),
    )


def test_rv4_eligible_review(seller, marketplace, brand):
    assert eligibility(bought_review(seller, marketplace, brand, rating=3), seller).eligible


def test_rv4a_four_stars_or_more(seller, marketplace, brand):
    review = bought_review(seller, marketplace, brand, rating=4)
    assert eligibility(review, seller).reason == Reason.RATING_TOO_HIGH


@pytest.mark.parametrize(
    ("kind", "standing"), [("individual", "good"), ("professional", "at_risk")]
)
def test_rv4b_professional_account_in_good_standing(seller, marketplace, brand, kind, standing):
    review = bought_review(seller, marketplace, brand)
    SellerAccount.objects.filter(pk=seller.pk).update(kind=kind, standing=standing)
    assert eligibility(review, seller).reason == Reason.ACCOUNT_NOT_ELIGIBLE


def test_rv4c_brand_representative_role(seller, marketplace):
    review = bought_review(seller, marketplace, BrandFactory())
    assert eligibility(review, seller).reason == Reason.NOT_BRAND_REPRESENTATIVE


def test_rv4d_verified_purchase_and_seller_of_record(seller, marketplace, brand, stranger):
    unverified = ReviewFactory(product=ProductFactory(brand=brand), buyer__marketplace=marketplace)
    assert eligibility(unverified, seller).reason == Reason.NOT_VERIFIED_PURCHASE
    sold_by_other = bought_review(stranger.seller, marketplace, brand)
    assert eligibility(sold_by_other, seller).reason == Reason.NOT_SELLER_OF_RECORD


@pytest.mark.parametrize(
    ("age", "eligible"), [(timedelta(days=365), True), (timedelta(days=365, minutes=1), False)]
)
def test_rv4e_order_within_the_past_year(seller, marketplace, brand, age, eligible):
    placed = timezone.now() - timedelta(days=400)
    review = bought_review(seller, marketplace, brand, purchased_at=placed)
    with time_machine.travel(placed + age, tick=False):
        result = eligibility(review, seller)
    assert result.eligible is eligible
    assert result.reason in (None, Reason.ORDER_TOO_OLD)


def test_rv4_first_failing_condition_is_the_one_shown(seller, marketplace):
    review = bought_review(seller, marketplace, BrandFactory(), rating=5)  # fails (a) and (c)
    assert eligibility(review, seller).reason == Reason.RATING_TOO_HIGH


# ---- RV-5 contact ---------------------------------------------------------------------------


def test_rv5_courtesy_refund_in_french_once_per_review(
    user, seller, marketplace, brand, django_capture_on_commit_callbacks
):
    review = bought_review(seller, marketplace, brand)
    with django_capture_on_commit_callbacks(execute=True):
        contact = services.contact_customer(
            user=user, review_id=review.pk, reason="courtesy_refund"
        )
    refund = Refund.objects.get()
    assert contact.refund == refund and refund.status == "pending"
    assert refund.amount == review.verified_order.lines.get().unit_price
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "vous propose un remboursement intégral" in message.subject
    assert "remboursement intégral de 19,99 EUR" in message.body  # French number format
    contact.refresh_from_db()
    assert contact.email_status == "sent" and contact.language == "fr"
    with pytest.raises(RuleViolation):
        services.contact_customer(user=user, review_id=review.pk, reason="customer_service")
    assert CustomerContact.objects.count() == 1


def test_api6_a_storefront_refund_id_never_collides_with_a_courtesy_refund(
    user, seller, marketplace, brand, storefront, api
):
    """A storefront refund named like SellerCX's own (``CR-<review>``) is a refund of its own:
    the courtesy refund is still offered, and a resend of the storefront's id changes only
    the storefront's refund."""
    review = bought_review(seller, marketplace, brand)
    order = review.verified_order
    refund = {"refundId": f"CR-{review.pk}", "orderId": order.external_id}
    money = {"currencyCode": marketplace.currency}
    sent = {**refund, "date": order.purchased_at.isoformat(), "amount": {**money, "amount": "5"}}
    post = storefront.post
    assert (
        post("/api/v1/marketplace/refunds", {"refunds": [sent]}, format="json").status_code == 200
    )

    contact = services.contact_customer(user=user, review_id=review.pk, reason="courtesy_refund")
    ours = contact.refund
    assert ours.origin == Refund.Origin.SELLERCX and ours.status == Refund.Status.PENDING

    changed = {**sent, "amount": {**money, "amount": "7.00"}, "status": "declined"}
    response = post("/api/v1/marketplace/refunds", {"refunds": [changed]}, format="json")
    assert response.status_code == 200 and response.json()["payload"]["updated"] == 1
    theirs = Refund.objects.get(origin=Refund.Origin.MARKETPLACE)
    assert (theirs.external_id, theirs.amount) == (f"CR-{review.pk}", Decimal("7.00"))
    ours.refresh_from_db()
    assert (ours.amount, ours.status) == (Decimal("19.99"), Refund.Status.PENDING)
    events = api.get(f"/api/v1/orders/{order.pk}").json()["events"]
    refunds = [(e["id"], e["createdBy"]) for e in events if e["kind"] == "refund"]
    assert sorted(refunds) == [(f"CR-{review.pk}", "marketplace"), (f"CR-{review.pk}", "sellercx")]


def test_rv5_customer_service_asks_permission_in_polish(
    user, seller, brand, django_capture_on_commit_callbacks
):
    from tests.factories import MarketplaceFactory

    pl = MarketplaceFactory(code="PL")
    seller.marketplaces.add(pl)
    review = bought_review(seller, pl, brand)
    with django_capture_on_commit_callbacks(execute=True):
        services.contact_customer(user=user, review_id=review.pk, reason="customer_service")
    assert not Refund.objects.exists()
    assert "chce pomóc" in mail.outbox[0].subject


def test_rv4_ineligible_contact_is_refused_with_the_reason(user, seller, marketplace, brand):
    review = bought_review(seller, marketplace, brand, rating=5)
    with pytest.raises(RuleViolation, match="1 to 3 stars"):
        services.contact_customer(user=user, review_id=review.pk, reason="courtesy_refund")
    assert not CustomerContact.objects.exists() and not Refund.objects.exists()


def test_ac1_review_of_a_brand_not_represented_is_not_found(user, stranger, marketplace):
    theirs = bought_review(stranger.seller, marketplace, represented_brand(stranger.seller))
    with pytest.raises(NotFound):
        services.contact_customer(user=user, review_id=theirs.pk, reason="courtesy_refund")


# ---- RV-3 page and API, RV-8 -------------------------------------------------------------------


def test_rv3_page_filters_by_stars_and_shows_brand_filter_only_with_several(
    client, user, seller, marketplace, brand
):
    bought_review(seller, marketplace, brand, rating=1)
    bought_review(seller, marketplace, brand, rating=5)
    client.force_login(user)
    page = client.get(reverse("reviews:list"))
    assert len(page.context["page"].object_list) == 2
    assert not page.context["several_brands"]
    one_star = client.get(reverse("reviews:list"), {"stars": ["1"]})
    assert [r.rating for r in one_star.context["page"]] == [1]
    html = page.content.decode()
    assert "Contact the customer" in html and "Unable to contact customer" in html
    represented_brand(seller, name="Second")
    assert client.get(reverse("reviews:list")).context["several_brands"]


def test_rv3_api_lists_with_eligibility_reason_codes(api, seller, marketplace, brand):
    bought_review(seller, marketplace, brand, rating=5)
    payload = api.get("/api/v1/reviews").json()["payload"]
    assert payload[0]["eligibility"] == {
        "eligible": False,
        "reasonCode": "rating_too_high",
        "message": "Only reviews with 1 to 3 stars can be answered this way.",
    }
    assert payload[0]["verifiedPurchase"] is True


def test_rv3_page_and_api_page_through_the_represented_brands_newest_first(
    client, api, user, seller, stranger, marketplace, brand
):
    """The list picks each page's keys on the brand index, then reads those reviews (#8): the
    same rows, in the same order, as one query would, and never another brand's."""
    second = represented_brand(seller, name="Second")
    theirs = represented_brand(stranger.seller, name="Contoso brand")
    noon = timezone.now().replace(hour=12, minute=0, second=0, microsecond=0)
    ours = []
    for n in range(25):  # in pairs posted at the same instant: the id breaks the tie
        ours.append(
            bought_review(
                seller,
                marketplace,
                brand if n % 3 else second,
                rating=n % 5 + 1,
                posted_at=noon - timedelta(hours=n // 2),
            )
        )
        bought_review(stranger.seller, marketplace, theirs, posted_at=noon - timedelta(hours=n))
    newest_first = sorted(ours, key=lambda r: (r.posted_at, r.pk), reverse=True)
    client.force_login(user)

    shown = []
    for number in (1, 2):
        page = client.get(reverse("reviews:list"), {"page": number}).context["page"]
        assert page.paginator.count == 25
        shown += [review.pk for review in page]
    assert shown == [review.pk for review in newest_first]
    one_star = client.get(reverse("reviews:list"), {"stars": ["1"], "sort": "-stars"})
    assert {r.pk for r in one_star.context["page"]} == {r.pk for r in ours if r.rating == 1}

    listed, token = [], None
    while True:
        body = api.get(
            "/api/v1/reviews", {"pageSize": 7, **({"nextToken": token} if token else {})}
        )
        listed += [row["id"] for row in body.json()["payload"]]
        token = body.json()["pagination"]["nextToken"]
        if not token:
            break
    assert sorted(listed) == sorted(r.pk for r in ours)  # each once, none of Contoso's
    posted = {r.pk: r.posted_at for r in ours}
    assert [posted[pk] for pk in listed] == sorted(posted.values(), reverse=True)
    by_stars = api.get("/api/v1/reviews", {"sort": "stars", "pageSize": 100}).json()["payload"]
    assert [row["rating"] for row in by_stars] == sorted(r.rating for r in ours)


def test_rv3_page_and_api_run_the_same_queries_for_1_and_30_rows(
    client, api, user, seller, marketplace, brand
):
    client.force_login(user)

    def fetch_page():
        assert client.get(reverse("reviews:list")).status_code == 200

    assert_constant_queries(lambda: bought_review(seller, marketplace, brand), fetch_page)
    api.get("/api/v1/reviews")

    def fetch_api():
        assert api.get("/api/v1/reviews", {"pageSize": 100}).status_code == 200

    assert_constant_queries(lambda: bought_review(seller, marketplace, brand), fetch_api)


def test_rv8_permission_listed_under_advertising():
    from sellercx.permissions import AREA_HEADINGS, Area

    headings = {str(h): areas for h, areas in AREA_HEADINGS}
    assert Area.REVIEWS in headings["Advertising"]
    assert str(Area.REVIEWS.label) == "Customer reviews: view and edit"


def test_rv8_without_permission_no_menu_and_403(client, seller, marketplace, brand):
    member = UserFactory(seller=seller, reviews_access=0)
    client.force_login(member)
    assert client.get(reverse("reviews:list")).status_code == 403
    assert "Customer reviews" not in client.get(reverse("dashboard:home")).content.decode()


def test_page_without_any_brand_explains_the_role(client, db):
    lonely = UserFactory(seller=SellerAccountFactory())
    client.force_login(lonely)
    assert "Brand Representative" in client.get(reverse("reviews:list")).content.decode()


def test_rv5_staff_see_every_template_in_every_language(admin_client):
    page = admin_client.get(reverse("admin:reviews_customercontact_templates"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "vous propose un remboursement intégral" in html
    assert "oferuje Ci pełny zwrot pieniędzy" in html
    assert "is offering you a full refund" in html


def test_rv4_admin_shows_the_same_eligibility(admin_client, seller, marketplace, brand):
    review = bought_review(seller, marketplace, brand, rating=5)
    page = admin_client.get(reverse("admin:reviews_review_change", args=[review.pk]))
    assert "Only reviews with 1 to 3 stars" in page.content.decode()


def test_sc4_staff_cannot_rewrite_a_buyers_review_in_the_admin(
    admin_client, seller, marketplace, brand
):
    """An edit in the admin kept no revision, so the weeks that counted the review changed."""
    review = bought_review(seller, marketplace, brand, rating=2)
    url = reverse("admin:reviews_review_change", args=[review.pk])
    page = admin_client.get(url).content.decode()
    assert 'name="rating"' not in page and 'name="text"' not in page
    form = {
        "product": review.product_id,
        "brand": review.brand_id,
        "buyer": review.buyer_id,
        "marketplace": review.marketplace_id,
        "external_id": review.external_id,
        "verified_order": review.verified_order_id,
        "rating": 5,
        "title": "Rewritten",
        "text": "Rewritten",
        "revisions-TOTAL_FORMS": 0,
        "revisions-INITIAL_FORMS": 0,
    }
    admin_client.post(url, form)
    review.refresh_from_db()
    assert review.rating == 2 and review.title != "Rewritten"
    assert not review.revisions.exists()


def test_rv5_the_plain_text_e_mail_is_not_html_escaped(
    user, seller, marketplace, django_capture_on_commit_callbacks
):
    """ "Cedar &amp; Pine would like to help…": the text e-mail went out HTML-escaped."""
    brand = represented_brand(seller, name="Cedar & Pine")
    review = bought_review(seller, marketplace, brand)
    with django_capture_on_commit_callbacks(execute=True):
        services.contact_customer(user=user, review_id=review.pk, reason="customer_service")
    message = mail.outbox[0]
    assert "Cedar & Pine" in message.subject and "Cedar & Pine" in message.body
    assert "&amp;" not in message.subject + message.body
