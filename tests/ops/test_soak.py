"""Issue #9, load: a bounded soak on the loopback.

For ``SOAK_SECONDS`` (20 by default) several threads drive Django's live server with what a
seller central sees at once: signed-in dashboard page loads, API list calls with a seller
token, batches of orders through the marketplace ingestion API, while the real metrics and
VOC recomputes run over the same data in another thread. Then: no 5xx and no exception
anywhere, every order the API accepted is in the database, and the latencies (p50, p95, max)
are printed in the test session's summary. Nothing is asserted about time.
"""

from __future__ import annotations

import io
import itertools
import json
import os
import threading
import time
import urllib.error
import urllib.request
from collections import defaultdict
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from sellercx import services
from sellercx.demo import NORTHWIND_OWNER
from sellercx.models import ApiToken, Offer, Order, User

from .conftest import SOAK_REPORT

DURATION = float(os.environ.get("SOAK_SECONDS", "20"))
BATCH = 20
PAGES = [
    "/dashboard/",
    "/dashboard/offers/",
    "/dashboard/orders/",
    "/dashboard/feedback/",
    "/dashboard/reviews/",
    "/dashboard/messages/",
    "/dashboard/performance/",
    "/dashboard/performance/defects/",
    "/dashboard/voc/",
]
API = [
    "/api/v1/offers",
    "/api/v1/orders",
    "/api/v1/feedback",
    "/api/v1/marketplaces",
    "/api/v1/orders?pageSize=50",
]


class Recorder:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.errors: list[str] = []
        self.accepted: list[str] = []

    def call(self, kind: str, request: urllib.request.Request) -> bytes | None:
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
                body, status = response.read(), response.status
        except urllib.error.HTTPError as error:
            body, status = error.read(), error.code
        except Exception as error:  # a dropped connection is an error too
            with self.lock:
                self.errors.append(f"{kind} {request.full_url}: {error!r}")
            return None
        elapsed = time.perf_counter() - started
        with self.lock:
            self.latencies[kind].append(elapsed)
            if status != 200:
                self.errors.append(f"{kind} {request.full_url}: {status} {body[:300]!r}")
                return None
        return body


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


@pytest.fixture
def soak_world(transactional_db, django_db_serialized_rollback, settings):
    call_command("seed_demo", "--quiet", "--scale", "0.02", stdout=io.StringIO())
    settings.SELLERCX_API_RATES = {"default": [100_000, 100_000]}  # load, not throttling
    owner = User.objects.get(email=NORTHWIND_OWNER)
    browser = Client()
    browser.force_login(owner)
    offer = Offer.objects.filter(seller_id=owner.seller_id).select_related("marketplace").first()
    staff = User.objects.filter(is_staff=True).first()
    storefront = services.create_api_token(
        acting_user=staff,
        name="soak",
        kind=ApiToken.Kind.MARKETPLACE,
        marketplace=offer.marketplace,
    )[1]
    seller_token = services.create_api_token(acting_user=owner, name="soak")[1]
    return {
        "session": browser.cookies[settings.SESSION_COOKIE_NAME].value,
        "seller_token": seller_token,
        "storefront": storefront,
        "offer": offer,
        "seller_id": owner.seller_id,
    }


def test_soak_mixed_traffic_while_recomputing(live_server, soak_world, settings):
    recorder = Recorder()
    stop = time.monotonic() + DURATION
    base = live_server.url
    ids = itertools.count()

    def dashboard():
        cookie = f"{settings.SESSION_COOKIE_NAME}={soak_world['session']}"
        for path in itertools.cycle(PAGES):
            if time.monotonic() >= stop:
                return
            request = urllib.request.Request(base + path, headers={"Cookie": cookie})  # noqa: S310
            recorder.call("page", request)

    def api_lists():
        auth = {"Authorization": f"Bearer {soak_world['seller_token']}"}
        for path in itertools.cycle(API):
            if time.monotonic() >= stop:
                return
            recorder.call("api", urllib.request.Request(base + path, headers=auth))  # noqa: S310

    def ingestion(worker: int):
        offer = soak_world["offer"]
        currency = offer.marketplace.currency
        purchased = (timezone.now() - timedelta(days=3)).isoformat()
        while time.monotonic() < stop:
            batch = [f"SOAK-{worker}-{next(ids):07d}" for _ in range(BATCH)]
            body = {
                "orders": [
                    {
                        "orderId": order_id,
                        "sellerId": soak_world["seller_id"],
                        "buyerId": f"SOAKBUYER{n % 7}",
                        "status": "shipped",
                        "fulfilmentChannel": "merchant",
                        "purchaseDate": purchased,
                        "lines": [
                            {
                                "sku": offer.sku,
                                "quantity": 1 + n % 3,
                                "unitPrice": {"amount": "12.50", "currencyCode": currency},
                            }
                        ],
                    }
                    for n, order_id in enumerate(batch)
                ]
            }
            request = urllib.request.Request(  # noqa: S310 - the loopback live server
                base + "/api/v1/marketplace/orders",
                data=json.dumps(body).encode(),
                method="POST",
                headers={
                    "Authorization": f"Bearer {soak_world['storefront']}",
                    "Content-Type": "application/json",
                },
            )
            answer = recorder.call("ingest", request)
            if answer is not None and json.loads(answer)["payload"]["received"] == BATCH:
                with recorder.lock:
                    recorder.accepted.extend(batch)

    recomputes = defaultdict(int)

    def recompute():
        try:
            while time.monotonic() < stop:
                for name in ("metrics", "voc"):
                    started = time.perf_counter()
                    call_command("run_recompute", name, "--quiet", stdout=io.StringIO())
                    with recorder.lock:
                        recorder.latencies[f"recompute:{name}"].append(
                            time.perf_counter() - started
                        )
                    recomputes[name] += 1
        except Exception as error:
            with recorder.lock:
                recorder.errors.append(f"recompute: {error!r}")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=dashboard),
        threading.Thread(target=dashboard),
        threading.Thread(target=api_lists),
        threading.Thread(target=ingestion, args=(1,)),
        threading.Thread(target=ingestion, args=(2,)),
        threading.Thread(target=recompute),
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.monotonic() - started

    lines = [f"soak: {wall:.1f}s on {base}, {len(threads)} threads"]
    for kind, values in sorted(recorder.latencies.items()):
        lines.append(
            f"  {kind:<18} n={len(values):>5}  p50={percentile(values, 0.5) * 1000:8.1f} ms"
            f"  p95={percentile(values, 0.95) * 1000:8.1f} ms  max={max(values) * 1000:8.1f} ms"
        )
    lines.append(f"  accepted orders: {len(recorder.accepted)}; errors: {len(recorder.errors)}")
    SOAK_REPORT.extend(lines)
    print("\n".join(lines))  # noqa: T201 - shown with -s; the summary shows it anyway

    assert not recorder.errors, recorder.errors[:10]
    assert recorder.latencies["page"] and recorder.latencies["api"]
    assert recorder.accepted, "no ingestion batch got through"
    assert recomputes["metrics"] >= 1
    stored = set(
        Order.objects.filter(external_id__in=recorder.accepted).values_list(
            "external_id", flat=True
        )
    )
    assert stored == set(recorder.accepted)  # no lost writes
