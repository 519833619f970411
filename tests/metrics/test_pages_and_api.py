"""PM-6, API-5, AC-1: the Account health page, the ODR drill-down, the home panel and the
metrics API — scoped to the account, in a constant number of queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from metrics.definitions import Metric
from metrics.models import MetricSnapshot
from metrics.recomputes import recompute_metrics
from tests.conftest import client_with, marketplace_token
from tests.querycount import assert_constant_queries

from .helpers import AS_OF, DAY, at, chargeback, claim, feedback, order

pytestmark = pytest.mark.django_db

NOW = AS_OF + timedelta(hours=9)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


def failing_odr(seller, marketplace, orders=4):
    """``orders`` merchant orders in the ODR window; the first has a claim, the second
    negative feedback and a chargeback."""
    made = [order(seller, marketplace, at(40)) for _ in range(orders)]
    claim(made[0], at(30))
    feedback(made[1], at(30), rating=1)
    chargeback(made[1], at(29))
    recompute_metrics(period=DAY, seller_ids=[seller.pk])
    return made


def test_pm6_health_page_shows_each_metric_with_status_counts_target_and_range(
    client, user, seller, marketplace
):
    failing_odr(seller, marketplace)
    client.force_login(user)
    page = client.get("/dashboard/performance/").content.decode()
    assert 'data-testid="metric-odr_merchant"' in page
    assert "50.00%" in page and "Failing" in page
    assert "2 orders with a defect out of 4 orders" in page
    assert "Target: below 1.00%" in page
    assert "2026-09-07 to 2026-11-05" in page  # PM-1: 60 days of orders ending 14 days ago
    assert 'data-health-chart="trend-odr_merchant"' in page  # Chart.js, no inline script
    for metric in Metric:
        assert f'data-testid="metric-{metric.value}"' in page


def test_pm6_health_page_before_any_snapshot(client, user):
    client.force_login(user)
    assert "No metric computed yet" in client.get("/dashboard/performance/").content.decode()


def test_pm6_drill_down_lists_the_defective_orders_with_their_defects(
    client, user, seller, marketplace
):
    made = failing_odr(seller, marketplace)
    client.force_login(user)
    page = client.get("/dashboard/performance/defects/").content.decode()
    assert page.count('data-testid="defective-order"') == 2
    assert made[0].external_id in page and made[1].external_id in page
    assert "Chargeback" in page and "A-to-z claim" in page
    claims = client.get("/dashboard/performance/defects/", {"kind": "claim"}).content.decode()
    assert claims.count('data-testid="defective-order"') == 1
    assert made[0].external_id in claims
    fba = client.get("/dashboard/performance/defects/", {"fulfilment_channel": "marketplace"})
    assert 'data-testid="defective-order"' not in fba.content.decode()


def test_pm6_drill_down_lists_each_defective_order_once_with_the_defects_that_count(
    client, api, user, seller, marketplace
):
    """The drill-down lists and counts the same orders (the count joins the window with one
    list of the defects' orders, #8): an order with three defects once, and only defects that
    count as of the day."""
    made = failing_odr(seller, marketplace)
    three = order(seller, marketplace, at(41))
    feedback(three, at(30), rating=2)
    claim(three, at(30))
    chargeback(three, at(20))
    claim(order(seller, marketplace, at(42)), at(30), status="withdrawn")
    feedback(order(seller, marketplace, at(43)), at(30), removed_at=at(10), removed_by="buyer")
    feedback(order(seller, marketplace, at(44)), at(30), rating=3)
    claim(order(seller, marketplace, at(45), status="cancelled"), at(30))
    chargeback(order(seller, marketplace, at(46)), at(-1))  # after the day of the snapshot
    removed_later = order(seller, marketplace, at(47))
    feedback(removed_later, at(30), removed_at=at(-2), removed_by="marketplace")
    expected = {
        made[0].pk: ["claim"],
        made[1].pk: ["negative_feedback", "chargeback"],
        three.pk: ["negative_feedback", "claim", "chargeback"],
        removed_later.pk: ["negative_feedback"],
    }
    client.force_login(user)
    page = client.get("/dashboard/performance/defects/").context["page"]
    assert page.paginator.count == 4
    assert [o.pk for o in page] == [made[1].pk, made[0].pk, three.pk, removed_later.pk]
    payload = api.get("/api/v1/metrics/orderDefects").json()["payload"]
    assert {row["id"]: row["defects"] for row in payload} == expected
    assert len(payload) == 4
    claims = client.get("/dashboard/performance/defects/", {"kind": "claim"}).context["page"]
    assert {o.pk for o in claims} == {made[0].pk, three.pk} and claims.paginator.count == 2


def test_pm6_drill_down_count_is_the_snapshot_numerator(client, user, seller, marketplace):
    failing_odr(seller, marketplace, orders=6)
    claim(order(seller, marketplace, at(80)), at(30))  # outside the window
    recompute_metrics(period=DAY, seller_ids=[seller.pk])
    row = MetricSnapshot.objects.get(seller=seller, metric=Metric.ODR_MERCHANT, day=DAY)
    client.force_login(user)
    page = client.get("/dashboard/performance/defects/").content.decode()
    assert page.count('data-testid="defective-order"') == row.numerator == 2


def test_ac1_drill_down_and_api_never_show_another_accounts_orders(
    client, api, user, stranger, seller, marketplace
):
    theirs = failing_odr(stranger.seller, marketplace)
    client.force_login(user)
    page = client.get("/dashboard/performance/defects/").content.decode()
    assert theirs[0].external_id not in page
    assert api.get("/api/v1/metrics/orderDefects").json()["payload"] == []
    assert api.get("/api/v1/metrics").json()["marketplaces"] == []
    assert api.get("/api/v1/metrics/snapshots").json()["payload"] == []
    # Their order page answers 404 (the drill-down's links lead there).
    assert client.get(f"/dashboard/orders/{theirs[0].pk}/").status_code == 404


def test_home_shows_the_worst_status_with_a_link(client, user, seller, marketplace):
    failing_odr(seller, marketplace)
    client.force_login(user)
    page = client.get("/dashboard/").content.decode()
    assert 'data-testid="home-health"' in page
    assert 'data-testid="home-health-status">Failing<' in page
    assert 'href="/dashboard/performance/?marketplace=' in page


def test_api5_metrics_report_like_the_account_health_report(api, seller, marketplace):
    failing_odr(seller, marketplace)
    body = api.get("/api/v1/metrics", {"marketplace": "FR"}).json()
    (report,) = body["marketplaces"]
    assert (report["marketplaceId"], report["status"], report["asOf"]) == (
        "FR",
        "failing",
        "2026-11-20",
    )
    odr = next(m for m in report["metrics"] if m["metric"] == "odr_merchant")
    assert odr["orderCount"] == 4
    assert odr["rate"] == "0.500000"
    assert odr["targetValue"] == "0.010000"
    assert odr["targetCondition"] == "LESS_THAN"
    assert odr["status"] == "failing"
    assert odr["reportingDateRange"] == {"from": "2026-09-07", "to": "2026-11-05"}
    assert odr["defects"]["claim"] == {"count": 1, "rate": "0.250000", "status": "failing"}
    assert odr["defects"]["chargeback"]["count"] == 1
    assert odr["history"] == [{"day": "2026-11-20", "value": "0.500000", "status": "failing"}]


def test_api5_snapshots_and_order_defects_lists(api, seller, marketplace):
    made = failing_odr(seller, marketplace)
    rows = api.get("/api/v1/metrics/snapshots", {"metric": "odr_merchant"}).json()["payload"]
    assert [(r["metric"], r["day"], r["status"]) for r in rows] == [
        ("odr_merchant", "2026-11-20", "failing")
    ]
    defects = api.get("/api/v1/metrics/orderDefects", {"kind": "chargeback"}).json()
    assert [(d["orderId"], d["defects"]) for d in defects["payload"]] == [
        (made[1].external_id, ["negative_feedback", "chargeback"])
    ]


def test_api5_bad_inputs_are_clear_errors(api, seller, marketplace):
    response = api.get("/api/v1/metrics", {"marketplace": "ZZ"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["details"] == "marketplace"
    assert api.get("/api/v1/metrics", {"days": "0"}).status_code == 400
    assert api.get("/api/v1/metrics/snapshots", {"metric": "nope"}).status_code == 400
    assert api.get("/api/v1/metrics/orderDefects", {"kind": "nope"}).status_code == 400


def test_api5_marketplace_tokens_are_refused(marketplace, staff):
    storefront = client_with(marketplace_token(marketplace, staff))
    for path in ("/api/v1/metrics", "/api/v1/metrics/snapshots", "/api/v1/metrics/orderDefects"):
        assert storefront.get(path).status_code == 403


def test_health_page_and_api_report_in_constant_queries(client, api, user, seller, marketplace):
    """History grows one day at a time: 1 day, then 30 days of snapshots."""
    days = iter(range(60))
    client.force_login(user)

    def add_day():
        recompute_metrics(period=DAY - timedelta(days=next(days)), seller_ids=[seller.pk])

    def fetch():
        assert client.get("/dashboard/performance/").status_code == 200
        assert client.get("/dashboard/").status_code == 200
        assert api.get("/api/v1/metrics").status_code == 200
        assert api.get("/api/v1/metrics/snapshots").status_code == 200

    api.get("/api/v1/metrics")  # the token's first use of the minute writes its last use
    assert_constant_queries(add_day, fetch)


def test_drill_down_lists_in_constant_queries(client, api, user, seller, marketplace):
    client.force_login(user)

    def add_defective_order():
        claim(order(seller, marketplace, at(40)), at(30))

    def fetch():
        assert client.get("/dashboard/performance/defects/").status_code == 200
        assert api.get("/api/v1/metrics/orderDefects").status_code == 200

    api.get("/api/v1/metrics")  # the token's first use of the minute writes its last use
    assert_constant_queries(add_defective_order, fetch)


def test_admin_lists_snapshots_read_only(admin_client, seller, marketplace):
    failing_odr(seller, marketplace)
    response = admin_client.get("/admin/metrics/metricsnapshot/", {"status": "failing"})
    assert response.status_code == 200
    assert "Order defect rate, merchant fulfilled" in response.content.decode()
    assert admin_client.get("/admin/metrics/metricsnapshot/add/").status_code == 403
