"""VC-1, VC-5, VC-9 … VC-13 on the dashboard: the table, its filters, sorting, paging and CSV
export, the offer page, tenant isolation and constant query counts."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

from sellercx.models import FulfilmentChannel, Offer
from tests.factories import OfferFactory, UserFactory
from tests.querycount import assert_constant_queries
from voc.models import OfferRelisting, RemovalOrder

from .factories import NOW, WEEK, add_contact, peer_group, sell
from .test_recompute import run

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def rated(seller, marketplace):
    """Peers at 10%, one offer at 50% (Very poor), one at 0% with many orders (Excellent)."""
    peer_group(seller, marketplace)
    bad = OfferFactory(seller=seller, marketplace=marketplace, sku="BAD-1")
    sell(bad, 20, ncx=10)
    good = OfferFactory(seller=seller, marketplace=marketplace, sku="GOOD-1")
    sell(good, 60, ncx=0)
    quiet = OfferFactory(seller=seller, marketplace=marketplace, sku="QUIET-1")
    run(seller)
    return {"bad": bad, "good": good, "quiet": quiet}


def test_vc1_dashboard_lists_offers_with_status_word_and_figures(client, user, rated):
    client.force_login(user)
    response = client.get("/dashboard/voc/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Very poor" in html and "Excellent" in html
    assert "50.0%" in html
    rows = response.context["page"].object_list
    assert rows[0].sku == "BAD-1"  # worst first by default
    assert rows[len(rows) - 1].sku == "QUIET-1"  # VC-7: no status, last


def test_vc1_filter_by_status_and_search(client, user, rated):
    client.force_login(user)
    page = client.get("/dashboard/voc/", {"cx_status": "very_poor"}).context["page"]
    assert [o.sku for o in page] == ["BAD-1"]
    page = client.get("/dashboard/voc/", {"cx_status": "none"}).context["page"]
    assert [o.sku for o in page] == ["QUIET-1"]
    page = client.get("/dashboard/voc/", {"q": "good-"}).context["page"]
    assert [o.sku for o in page] == ["GOOD-1"]
    page = client.get("/dashboard/voc/", {"fulfilment_channel": "marketplace"}).context["page"]
    assert list(page) == []


@pytest.mark.parametrize(
    "sort",
    [
        "sku",
        "-title",
        "marketplace",
        "status",
        "-ncxRate",
        "ncxOrders",
        "-orders",
        "reason",
        "lastUpdated",
        "-closed",
    ],
)
def test_vc1_every_column_sorts(client, user, rated, sort):
    client.force_login(user)
    response = client.get("/dashboard/voc/", {"sort": sort})
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 6


def test_vc1_sort_by_rate_puts_offers_without_rate_last(client, user, rated):
    client.force_login(user)
    for sort in ("ncxRate", "-ncxRate"):
        rows = client.get("/dashboard/voc/", {"sort": sort}).context["page"].object_list
        assert rows[len(rows) - 1].sku == "QUIET-1"


def test_vc1_csv_export_of_the_filtered_table(client, user, rated):
    client.force_login(user)
    response = client.get("/dashboard/voc/export.csv", {"cx_status": "very_poor"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][0] == "SKU"
    assert [r[0] for r in rows[1:]] == ["BAD-1"]
    assert rows[1][6] == "Very poor" and rows[1][7] == "50.00"


@pytest.mark.parametrize("title", ['=HYPERLINK("http://evil.example")', "+1+1", "-2+3", "@SUM(A1)"])
def test_sec_a_csv_cell_a_spreadsheet_would_run_is_written_as_text(client, user, rated, title):
    """A title beginning with ``=`` was written as is: a spreadsheet opening the export ran it."""
    product = rated["bad"].product
    product.title = title
    product.save(update_fields=["title"])
    client.force_login(user)
    response = client.get("/dashboard/voc/export.csv", {"cx_status": "very_poor"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[1][2] == "'" + title


def test_vc5_offer_page_explains_the_status(client, user, rated):
    client.force_login(user)
    response = client.get(f"/dashboard/voc/offers/{rated['bad'].pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "10 of 20 orders" in html
    assert "Similar offers" in html and "5.00%" in html  # 6 of 120 peer orders
    assert "Very poor" in html
    assert 'id="cx-history"' in html and 'id="cx-comparison"' in html


def test_vc7_offer_without_orders_has_no_rate_and_no_status(client, user, rated):
    client.force_login(user)
    html = client.get(f"/dashboard/voc/offers/{rated['quiet'].pk}/").content.decode()
    assert "no NCX rate and no CX status" in html


def test_vc11_comments_from_every_source_with_the_commingling_notice(client, user, rated):
    order = rated["bad"].order_lines.first().order
    add_contact(order, rated["bad"], comment="The handle broke on day one.")
    client.force_login(user)
    html = client.get(f"/dashboard/voc/offers/{rated['bad'].pk}/").content.decode()
    assert "The handle broke on day one." in html
    assert "some may concern units you did not sell" in html


def close_for_ncx(offer: Offer, **changes) -> Offer:
    offer.status = Offer.Status.CLOSED
    offer.closure_reason = Offer.ClosureReason.NCX
    offer.closed_at = timezone.now() - timedelta(days=3)
    for name, value in changes.items():
        setattr(offer, name, value)
    offer.save()
    return offer


def test_vc9_action_required_and_fix_the_problem(client, user, rated):
    close_for_ncx(rated["bad"])
    client.force_login(user)
    html = client.get("/dashboard/voc/").content.decode()
    assert "! Action required !" in html and "Fix the problem" in html
    page = client.get(f"/dashboard/voc/offers/{rated['bad'].pk}/")
    assert "Edit and relist" in page.content.decode()
    response = client.post(
        f"/dashboard/voc/offers/{rated['bad'].pk}/",
        {"action": "relist", "price": "21.50", "note": "New photos and size chart"},
    )
    assert response.status_code == 302
    rated["bad"].refresh_from_db()
    assert rated["bad"].status == Offer.Status.ACTIVE
    assert rated["bad"].closed_at is not None  # the last closure date stays
    assert OfferRelisting.objects.get().changes == {"price": ["19.99", "21.50"]}


def test_vc9_relist_with_bad_input_stores_nothing(client, user, rated):
    close_for_ncx(rated["bad"])
    client.force_login(user)
    url = f"/dashboard/voc/offers/{rated['bad'].pk}/"
    response = client.post(url, {"action": "relist", "price": "-3", "note": "x"})
    assert response.status_code == 400
    assert "more than zero" in response.content.decode()
    response = client.post(url, {"action": "relist", "price": "20", "note": "  "})
    assert response.status_code == 400
    assert not OfferRelisting.objects.exists()
    rated["bad"].refresh_from_db()
    assert rated["bad"].status == Offer.Status.CLOSED


def test_vc9_removal_order_for_a_marketplace_fulfilled_offer(client, user, rated):
    close_for_ncx(rated["bad"], fulfilment_channel=FulfilmentChannel.MARKETPLACE)
    client.force_login(user)
    url = f"/dashboard/voc/offers/{rated['bad'].pk}/"
    assert "Create a removal order" in client.get(url).content.decode()
    response = client.post(url, {"action": "removal", "kind": "disposal", "quantity": "12"})
    assert response.status_code == 302
    order = RemovalOrder.objects.get()
    assert (order.kind, order.quantity, order.status) == ("disposal", 12, "pending")
    response = client.post(url, {"action": "removal", "kind": "disposal", "quantity": "0"})
    assert response.status_code == 400
    assert RemovalOrder.objects.count() == 1


def test_vc10_deleted_offer_shows_listing_deleted_for_one_year(client, user, rated):
    bad = rated["bad"]
    bad.status, bad.deleted_at = Offer.Status.DELETED, timezone.now() - timedelta(days=200)
    bad.save()
    client.force_login(user)
    html = client.get("/dashboard/voc/").content.decode()
    assert "Listing deleted" in html and "Very poor" in html
    bad.deleted_at = timezone.now() - timedelta(days=370)
    bad.save()
    page = client.get("/dashboard/voc/").context["page"]
    assert "BAD-1" not in [o.sku for o in page]


def test_vc12_status_never_touches_the_account(client, user, rated):
    user.seller.refresh_from_db()
    assert user.seller.standing == "good"


def test_ac1_another_accounts_offer_is_404(client, stranger, rated):
    client.force_login(stranger)
    url = f"/dashboard/voc/offers/{rated['bad'].pk}/"
    assert client.get(url).status_code == 404
    assert (
        client.post(url, {"action": "removal", "kind": "removal", "quantity": 1}).status_code == 404
    )
    page = client.get("/dashboard/voc/").context["page"]
    assert list(page) == []


def test_ac2_view_only_user_reads_but_cannot_act(client, seller, rated):
    viewer = UserFactory(seller=seller, voc_access=1)
    close_for_ncx(rated["bad"])
    client.force_login(viewer)
    url = f"/dashboard/voc/offers/{rated['bad'].pk}/"
    assert "Edit and relist" not in client.get(url).content.decode()
    assert client.post(url, {"action": "relist", "price": "20", "note": "x"}).status_code == 403


def test_dashboard_and_offer_page_query_counts_are_constant(client, user, seller, marketplace):
    peer_group(seller, marketplace, offers=1)
    client.force_login(user)

    def add_offer():
        offer = OfferFactory(seller=seller, marketplace=marketplace)
        sell(offer, 2, ncx=1)
        run(seller)

    def fetch():
        assert client.get("/dashboard/voc/").status_code == 200

    assert_constant_queries(add_offer, fetch)
    offer = OfferFactory(seller=seller, marketplace=marketplace)

    def add_comment():
        (order,) = sell(offer, 1, ncx=1)
        add_contact(order, offer, comment="Broken")
        run(seller)

    def fetch_offer():
        assert client.get(f"/dashboard/voc/offers/{offer.pk}/").status_code == 200

    assert_constant_queries(add_comment, fetch_offer)


def test_vc13_history_is_kept_per_week(client, user, rated, seller):
    run(seller, week=WEEK - timedelta(weeks=1))
    client.force_login(user)
    response = client.get(f"/dashboard/voc/offers/{rated['bad'].pk}/")
    assert len(response.context["history"]) == 2


def test_vc1_vc9_home_panel_counts_offers_to_look_at(client, user, rated):
    close_for_ncx(rated["good"])
    client.force_login(user)
    panel = client.get("/dashboard/").content.decode()
    assert "1 offer Very poor" in panel
    assert "1 offer closed: action required" in panel
    assert "?cx_status=very_poor" in panel


def test_vc9_filter_offers_needing_action(client, user, rated):
    close_for_ncx(rated["good"])
    client.force_login(user)
    page = client.get("/dashboard/voc/", {"action_required": "true"}).context["page"]
    assert [o.sku for o in page] == ["GOOD-1"]
    page = client.get("/dashboard/voc/", {"action_required": "false"}).context["page"]
    assert "GOOD-1" not in [o.sku for o in page] and len(page) == 5


def test_vc1_vc7_status_chips_count_every_listed_offer_once(client, user, rated):
    client.force_login(user)
    response = client.get("/dashboard/voc/")
    chips = {chip["key"]: chip["count"] for chip in response.context["chips"]}
    assert chips["very_poor"] == 1 and chips["excellent"] == 1
    assert chips["none"] >= 1  # QUIET-1: no order, no status (VC-7)
    assert sum(chips.values()) == response.context["page"].paginator.count
    page = client.get("/dashboard/voc/", {"cx_status": "none"}).context["page"]
    assert page.paginator.count == chips["none"]


def test_vc10_offers_deleted_over_a_year_ago_leave_the_chips_and_the_home_panel(
    client, user, rated
):
    close_for_ncx(rated["good"], deleted_at=timezone.now() - timedelta(days=370))
    bad = rated["bad"]
    bad.status, bad.deleted_at = Offer.Status.DELETED, timezone.now() - timedelta(days=370)
    bad.save()
    client.force_login(user)
    chips = {c["key"]: c["count"] for c in client.get("/dashboard/voc/").context["chips"]}
    assert chips["very_poor"] == 0 and chips["excellent"] == 0
    panel = client.get("/dashboard/").content.decode()
    assert "0 offers Very poor" in panel
    assert "0 offers closed: action required" in panel


def sort_links(html: str) -> dict[str, str]:
    """Each sortable column's label and the sort its link asks for."""
    return {
        label.strip(" ▲▼"): target
        for target, label in re.findall(
            r'<a href="\?[^"]*?sort=([^"&]*)[^"]*">([^<]*)</a></th>', html
        )
    }


def test_vc1_first_click_on_a_figure_column_sorts_the_worst_first(client, user, rated):
    client.force_login(user)
    links = sort_links(client.get("/dashboard/voc/").content.decode())
    assert links["CX status"] == "-status"
    assert links["NCX rate"] == "-ncxRate"
    assert links["NCX orders"] == "-ncxOrders"
    assert links["Total orders"] == "-orders"
    assert links["Last updated"] == "-lastUpdated"
    assert links["Last closure date"] == "-closed"
    assert links["SKU"] == "sku" and links["Title"] == "title"  # words: A to Z first

    worst = client.get("/dashboard/voc/", {"sort": links["NCX rate"]})
    assert worst.context["page"].object_list[0].sku == "BAD-1"
    assert sort_links(worst.content.decode())["NCX rate"] == "ncxRate"  # the second click
    best = client.get("/dashboard/voc/", {"sort": "ncxRate"}).context["page"].object_list
    assert best[0].sku == "GOOD-1"
    rows = client.get("/dashboard/voc/", {"sort": links["CX status"]}).context["page"]
    assert rows.object_list[0].sku == "BAD-1"


def test_vc1_other_tables_keep_sorting_ascending_first(client, user, rated):
    client.force_login(user)
    links = sort_links(client.get("/dashboard/offers/").content.decode())
    assert links["Price"] == "price" and links["SKU"] == "sku"


def test_vc1_skus_do_not_wrap(client, user, rated):
    client.force_login(user)
    html = client.get("/dashboard/voc/").content.decode()
    assert '<td class="sku"><code>BAD-1</code></td>' in html
    css = (settings.BASE_DIR / "static/css/sellercx.css").read_text()
    assert re.search(r"td\.sku[^{]*\{[^}]*white-space: nowrap", css)
