"""``make bench``: every scenario of issue #8 against the bench database, as one table.

    python -m benchmarks.run [--scale medium] [--runs 5] [--only recomputes,pages,api]

Scenarios (``--only`` takes their names):

- ``recomputes``: each registered recompute for all sellers, in a fresh process (time and peak
  RSS), against its baseline SQL (benchmarks/baselines.py) in the same run;
- ``pages`` and ``api``: the dashboard pages and the API lists of the biggest seller through
  Django's test client: server time p50/p95 and query count;
- ``throughput``: gunicorn on 127.0.0.1 under wrk for a fixed duration, two API lists against
  bare Django views that run the same query and return the same JSON;
- ``ingestion``: orders per second through the marketplace API, batches of 500, several
  clients at once;
- ``fanout``: one recompute as Celery tasks per chunk of sellers, with 1 then 2 worker processes.

The results go to ``benchmarks/results/<scale>.json`` and a markdown table is printed.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from . import generate as gen
from .scales import get

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
SCENARIOS = ["recomputes", "pages", "api", "throughput", "ingestion", "fanout"]

# The targets at medium (issue #8).
RECOMPUTE_RATIO, RECOMPUTE_SECONDS, RECOMPUTE_RSS_MB = 1.5, 15.0, 300
PAGE_P95_MS, THROUGHPUT_RATIO, INGESTION_PER_S = 150.0, 0.5, 5000


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def spread(values: list[float]) -> dict[str, float]:
    return {
        "min": min(values),
        "median": statistics.median(values),
        "max": max(values),
        "runs": len(values),
    }


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def machine() -> dict[str, Any]:
    from django.db import connection

    model = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = 0
    with contextlib.suppress(OSError, ValueError, IndexError):
        memory = int(Path("/proc/meminfo").read_text().split()[1]) // 1024**2
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
        # What the server may keep in memory: at `large` it decides how much is read from
        # outside PostgreSQL (#8).
        cursor.execute(
            "SELECT name, setting, unit FROM pg_settings"
            " WHERE name IN ('shared_buffers', 'work_mem', 'effective_cache_size')"
        )
        settings = {name: _pg_size(setting, unit) for name, setting, unit in cursor.fetchall()}
    return {
        "cpu": model or platform.processor(),
        "cores": os.cpu_count(),
        "memory_gib": memory,
        "python": platform.python_version(),
        "postgresql": pg,
        "postgresql_settings": settings,
        "os": platform.platform(),
    }


def _pg_size(setting: str, unit: str | None) -> str:
    """A memory setting of ``pg_settings`` (a count of ``unit``, e.g. 8kB pages) in MB."""
    factor = {"8kB": 8, "kB": 1, "MB": 1024}.get(unit or "", 0)
    if not factor:
        return setting
    return f"{int(setting) * factor // 1024:,} MB"


# ---------------------------------------------------------------------------------------------
# Context: the biggest seller, its login and tokens
# ---------------------------------------------------------------------------------------------


class Bench:
    def __init__(self, args, url: str, meta: dict[str, Any]) -> None:
        from sellercx.models import SellerAccount, User

        self.args, self.url, self.meta = args, url, meta
        self.day: date = meta["now"].date()
        seller_id, self.seller_orders = self._biggest_seller()
        self.seller = SellerAccount.objects.get(pk=seller_id)
        self.owner = User.objects.filter(seller=self.seller).order_by("pk").first()
        self._token: str | None = None

    @classmethod
    def biggest_seller_owner(cls):
        from sellercx.models import User

        seller_id, _ = cls._biggest_seller()
        return User.objects.filter(seller_id=seller_id).order_by("pk").first()

    @staticmethod
    def _biggest_seller() -> tuple[int, int]:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT seller_id, count(*) FROM sellercx_order"
                " GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
            )
            return cursor.fetchone()

    def seller_token(self) -> str:
        from sellercx import services

        if self._token is None:
            self._token = services.create_api_token(acting_user=self.owner, name="bench")[1]
        return self._token

    def marketplace_token(self, marketplace) -> str:
        from sellercx import services
        from sellercx.models import ApiToken, User

        staff = User.objects.filter(is_staff=True).order_by("pk").first()
        return services.create_api_token(
            acting_user=staff,
            name="bench storefront",
            kind=ApiToken.Kind.MARKETPLACE,
            marketplace=marketplace,
        )[1]


# ---------------------------------------------------------------------------------------------
# Recomputes and their baselines
# ---------------------------------------------------------------------------------------------


def probe(bench: Bench, kind: str, name: str) -> dict[str, float]:
    command = [
        sys.executable,
        "-m",
        "benchmarks.probe",
        kind,
        name,
        "--database-url",
        bench.url,
        "--day",
        bench.day.isoformat(),
    ]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode:
        raise RuntimeError(f"probe {kind} {name} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


MAX_RUNS = 15  # of a fast recompute (--min-seconds)


def scenario_recomputes(bench: Bench) -> dict[str, Any]:
    from sellercx import recompute

    from .baselines import BASELINES

    out: dict[str, Any] = {}
    for name in recompute.registered():
        has_baseline = name in BASELINES and not bench.args.no_baselines
        say(
            f"recompute {name}: {bench.args.runs} runs or more"
            + (", and its baseline's" * has_baseline)
        )
        if has_baseline:  # untimed: both then start from the same warm cache
            probe(bench, "baseline", name)
        product, base = [], []
        # Alternated, so load on the machine hits both alike. A recompute of tens of
        # milliseconds varies by a third from one process to the next: it runs until its runs
        # add up to --min-seconds (at most 15 runs), so its median is not one noisy process's.
        while len(product) < bench.args.runs or (
            len(product) < MAX_RUNS and sum(p["seconds"] for p in product) < bench.args.min_seconds
        ):
            if has_baseline:
                base.append(probe(bench, "baseline", name))
            product.append(probe(bench, "recompute", name))
        row: dict[str, Any] = {
            "seconds": spread([p["seconds"] for p in product]),
            "rows": product[-1]["rows"],
            "rss_mb": max(p["rss_mb"] for p in product),
        }
        if has_baseline:
            row["baseline"] = spread([b["seconds"] for b in base])
            row["baseline_rows"] = base[-1]["rows"]
            # Each run against the baseline run just before it, then the median: the machine's
            # speed drifts over minutes (a shared VM), and a pair shares its minute.
            row["ratio"] = statistics.median(
                p["seconds"] / max(b["seconds"], 1e-6) for p, b in zip(product, base, strict=True)
            )
        out[name] = row
    return out


# ---------------------------------------------------------------------------------------------
# Pages and API lists through the test client
# ---------------------------------------------------------------------------------------------


def _page_paths(bench: Bench) -> list[tuple[str, str]]:
    from sellercx.models import Offer

    busiest_offer = (
        Offer.objects.filter(seller=bench.seller)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    return [
        ("home", "/dashboard/"),
        ("orders", "/dashboard/orders/"),
        ("feedback manager", "/dashboard/feedback/"),
        ("messages inbox", "/dashboard/messages/"),
        ("customer-service rating", "/dashboard/messages/rating/"),
        ("customer reviews", "/dashboard/reviews/"),
        ("account health", "/dashboard/performance/"),
        ("defective orders", "/dashboard/performance/defects/"),
        ("VOC table", "/dashboard/voc/"),
        ("VOC offer page", f"/dashboard/voc/offers/{busiest_offer}/"),
    ]


API_PATHS = [
    ("orders", "/api/v1/orders"),
    ("offers", "/api/v1/offers"),
    ("feedback", "/api/v1/feedback"),
    ("feedback summary", "/api/v1/feedback/summary?marketplace=US"),
    ("reviews", "/api/v1/reviews"),
    ("conversations", "/api/v1/conversations"),
    ("metrics", "/api/v1/metrics"),
    ("VOC offers", "/api/v1/voc/offers"),
]


def _time_requests(get: Callable[[], Any], requests: int) -> dict[str, Any] | None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        first = get()
    query_count = len(queries)  # now: the timed requests below reset the log
    if first.status_code == 404:
        return None  # not built yet at this commit
    if first.status_code != 200:
        raise RuntimeError(f"{first.status_code}: {first.content[:300]!r}")
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        get()
        times.append((time.perf_counter() - started) * 1000)
    return {
        "p50_ms": statistics.median(times),
        "p95_ms": percentile(times, 95),
        "queries": query_count,
        "requests": requests,
    }


def scenario_pages(bench: Bench) -> dict[str, Any]:
    from django.test import Client

    client = Client()
    client.force_login(bench.owner)
    out = {}
    for label, path in _page_paths(bench):
        say(f"page {label}: {path}")
        result = _time_requests(lambda path=path: client.get(path), bench.args.requests)
        if result is not None:
            out[label] = {"path": path, **result}
    return out


def scenario_api(bench: Bench) -> dict[str, Any]:
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {bench.seller_token()}")
    out = {}
    for label, path in API_PATHS:
        say(f"api {label}: {path}")
        result = _time_requests(lambda path=path: client.get(path), bench.args.requests)
        if result is not None:
            out[label] = {"path": path, **result}
    return out


# ---------------------------------------------------------------------------------------------
# Gunicorn: throughput and ingestion
# ---------------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def gunicorn(bench: Bench, workers: int | None = None) -> Iterator[str]:
    port = _free_port()
    env = {
        **os.environ,
        "BENCH_DATABASE_URL": bench.url,
        "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
    }
    workers = workers or (os.cpu_count() or 2)
    process = subprocess.Popen(  # noqa: S603
        [
            sys.executable, "-m", "gunicorn", "benchmarks.wsgi:application",
            "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
            "--log-level", "warning", "--timeout", "120",
        ],
        cwd=ROOT, env=env,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
                break
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not start")
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)


WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format("BENCH %d %d %d %d\\n", summary.requests, summary.duration,
    latency:percentile(95), summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout))
end
"""


WARM_UP = 2  # seconds of wrk, untimed, before each endpoint's timed run


def _wrk(url: str, token: str, args, duration: int | None = None) -> dict[str, float]:
    script = RESULTS / "wrk-report.lua"
    script.write_text(WRK_SCRIPT)
    seconds = duration or args.duration
    done = subprocess.run(  # noqa: S603
        [
            shutil.which("wrk") or "wrk", "-t2", f"-c{args.connections}", f"-d{seconds}s",
            "-H", f"Authorization: Bearer {token}", "-s", str(script), url,
        ],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    line = next(x for x in done.stdout.splitlines() if x.startswith("BENCH "))
    requests, duration_us, p95_us, errors = map(int, line.split()[1:])
    return {
        "requests_per_s": requests / (duration_us / 1e6),
        "p95_ms": p95_us / 1000,
        "errors": errors,
    }


def scenario_throughput(bench: Bench) -> dict[str, Any]:
    if not shutil.which("wrk"):
        raise RuntimeError("wrk is not installed (make bench installs Debian's wrk)")
    token = bench.seller_token()
    out = {}
    with gunicorn(bench) as base:
        for label, product, bare in [
            ("orders", "/api/v1/orders", "/bench/bare/orders"),
            ("feedback", "/api/v1/feedback", "/bench/bare/feedback"),
        ]:
            say(f"throughput {label}: {bench.args.duration}s each under wrk")
            # Each worker's first requests import views and fill caches: a served API has
            # done that long ago. Untimed, for the bare view too.
            for path in (product, bare):
                _wrk(base + path, token, bench.args, duration=WARM_UP)
            api = _wrk(base + product, token, bench.args)
            plain = _wrk(base + bare, token, bench.args)
            out[label] = {
                "api": api,
                "bare": plain,
                "ratio": api["requests_per_s"] / max(plain["requests_per_s"], 1e-6),
            }
    return out


def _order_batches(bench: Bench, batches: int, size: int) -> list[bytes]:
    from sellercx.models import Offer

    offers = list(
        Offer.objects.filter(
            seller=bench.seller, marketplace__code="US", status="active"
        ).values_list("sku", "price", "fulfilment_channel")[:50]
    )
    stamp = int(time.time())
    # API-8: a month ago, delivered two days later, whenever the bench runs.
    purchased = datetime.now(UTC).replace(microsecond=0) - timedelta(days=30)
    purchase_date = purchased.isoformat().replace("+00:00", "Z")
    delivered_at = (purchased + timedelta(days=2)).isoformat().replace("+00:00", "Z")
    bodies = []
    for b in range(batches):
        rows = []
        for i in range(size):
            sku, price, channel = offers[(b * size + i) % len(offers)]
            rows.append(
                {
                    "orderId": f"{INGESTED}{stamp}-{b:04d}-{i:04d}",
                    "sellerId": bench.seller.pk,
                    "buyerId": f"BENCHBUYER{i % 97}",
                    "status": "delivered",
                    "fulfilmentChannel": channel,
                    "purchaseDate": purchase_date,
                    "deliveredAt": delivered_at,
                    "lines": [
                        {
                            "sku": sku,
                            "quantity": 1,
                            "unitPrice": {"amount": str(price), "currencyCode": "USD"},
                        }
                    ],
                }
            )
        bodies.append(json.dumps({"orders": rows}).encode())
    return bodies


INGESTED = "BENCH-"  # the external ids of the orders the ingestion scenario sends


def _forget_ingested() -> int:
    """The orders the ingestion scenario sent, and any an interrupted run left: deleted, and
    the tables vacuumed as autovacuum would, so every other scenario, in this run and the next,
    reads the generated data only. (Left in, 152,000 of them had made the biggest seller 2.6×
    as big, and its pages slower, run after run.)"""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM sellercx_orderline WHERE order_id IN"
            " (SELECT id FROM sellercx_order WHERE external_id LIKE %s)",
            [f"{INGESTED}%"],
        )
        cursor.execute("DELETE FROM sellercx_order WHERE external_id LIKE %s", [f"{INGESTED}%"])
        deleted = cursor.rowcount
        if deleted:
            cursor.execute("VACUUM (ANALYZE) sellercx_order, sellercx_orderline")
    return deleted


def scenario_ingestion(bench: Bench) -> dict[str, Any]:
    import http.client
    from urllib.parse import urlsplit

    from sellercx.models import Marketplace, Order

    size, batches, clients = 500, bench.args.batches, bench.args.ingest_clients
    token = bench.marketplace_token(Marketplace.objects.get(code="US"))
    warm_up = 2 * clients  # untimed: each worker's first batch imports and fills caches
    bodies = _order_batches(bench, warm_up + batches, size)
    say(f"ingestion: {batches} batches of {size} orders, {clients} clients")
    with gunicorn(bench) as base:
        host = urlsplit(base)

        def send(body: bytes) -> int:
            conn = http.client.HTTPConnection(host.hostname, host.port, timeout=120)
            conn.request(
                "POST",
                "/api/v1/marketplace/orders",
                body=body,
                headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
            )
            status = conn.getresponse().status
            conn.close()
            return status

        with ThreadPoolExecutor(clients) as pool:
            warm = list(pool.map(send, bodies[:warm_up]))
            before = Order.objects.count()
            started = time.perf_counter()
            statuses = list(pool.map(send, bodies[warm_up:]))
            seconds = time.perf_counter() - started
        if set(warm) != {200}:
            raise RuntimeError(f"ingestion warm-up failed: {warm}")
    stored = Order.objects.count() - before
    _forget_ingested()
    failed = sum(1 for s in statuses if s != 200)
    return {
        "orders": size * batches,
        "stored": stored,
        "failed_batches": failed,
        "seconds": seconds,
        "orders_per_s": stored / seconds,
        "clients": clients,
    }


# ---------------------------------------------------------------------------------------------
# Fan-out: Celery workers
# ---------------------------------------------------------------------------------------------


def scenario_fanout(bench: Bench) -> dict[str, Any]:
    from sellercx import embedded

    if not embedded.tcp_port_open("127.0.0.1", 6379) and not os.environ.get("REDIS_URL"):
        raise RuntimeError("the fan-out scenario needs Redis (REDIS_URL or 127.0.0.1:6379)")
    broker = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0").rsplit("/", 1)[0] + "/14"
    out = {}
    for workers in (1, 2):
        env = {
            **os.environ,
            "BENCH_DATABASE_URL": bench.url,
            "BENCH_BROKER_URL": broker,
            "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
        }
        say(f"fan-out: {bench.args.fanout} with {workers} worker process(es)")
        done = subprocess.run(  # noqa: S603
            [
                sys.executable, "-m", "benchmarks.fanout", bench.args.fanout,
                "--workers", str(workers), "--day", bench.day.isoformat(),
                "--chunk-size", str(bench.args.fanout_chunk),
            ],
            cwd=ROOT, env=env, capture_output=True, text=True, check=False,
        )  # fmt: skip
        if done.returncode:
            raise RuntimeError(f"fan-out failed:\n{done.stderr[-3000:]}")
        out[f"{workers} worker(s)"] = json.loads(done.stdout.strip().splitlines()[-1])
    one, two = out["1 worker(s)"]["seconds"], out["2 worker(s)"]["seconds"]
    out["speed-up"] = one / max(two, 1e-6)
    return out


# ---------------------------------------------------------------------------------------------
# The table
# ---------------------------------------------------------------------------------------------


def _mark(ok: bool) -> str:
    return "✓" if ok else "✗"


def _medium_recomputes() -> dict[str, float]:
    """Each recompute's median time in the last medium run, when there is one."""
    try:
        medium = json.loads((RESULTS / "medium.json").read_text())
    except (OSError, ValueError):
        return {}
    rows = medium.get("scenarios", {}).get("recomputes", {})
    return {name: row["seconds"]["median"] for name, row in rows.items()}


def markdown(results: dict[str, Any]) -> str:  # noqa: C901 - one row kind per scenario
    s = results["scenarios"]
    lines = [
        f"Scale **{results['scale']}**: {results['rows']:,} rows; "
        f"{results['machine']['cores']} cores, {results['machine']['cpu']}, "
        f"PostgreSQL {results['machine']['postgresql']}.",
        "",
        "| scenario | figure | min / median / max | target |",
        "|---|---|---|---|",
    ]
    medium = _medium_recomputes() if results["scale"] == "large" else {}
    for name, row in s.get("recomputes", {}).items():
        t = row["seconds"]
        target = f"< {RECOMPUTE_SECONDS:.0f} s {_mark(t['median'] < RECOMPUTE_SECONDS)}"
        if name in medium:  # at large, linear: at most 12× the medium time
            times = t["median"] / max(medium[name], 1e-6)
            target = f"{times:.1f}× medium, ≤ 12× {_mark(times <= 12)}"
        lines.append(
            f"| recompute `{name}` ({row['rows']:,} rows) | {t['median']:.2f} s | "
            f"{t['min']:.2f} / {t['median']:.2f} / {t['max']:.2f} s | {target} |"
        )
        if "baseline" in row:
            b = row["baseline"]
            ok = row["ratio"] <= RECOMPUTE_RATIO
            lines.append(
                f"| ↳ baseline SQL, product ÷ baseline | {row['ratio']:.2f}× | "
                f"{b['min']:.2f} / {b['median']:.2f} / {b['max']:.2f} s | "
                f"≤ {RECOMPUTE_RATIO}× {_mark(ok)} |"
            )
        lines.append(
            f"| ↳ peak RSS of the worker | {row['rss_mb']:.0f} MB | | "
            f"< {RECOMPUTE_RSS_MB} MB {_mark(row['rss_mb'] < RECOMPUTE_RSS_MB)} |"
        )
    for kind in ("pages", "api"):
        for label, row in s.get(kind, {}).items():
            ok = row["p95_ms"] < PAGE_P95_MS
            lines.append(
                f"| {'page' if kind == 'pages' else 'API'} {label} (`{row['path']}`) | "
                f"p95 {row['p95_ms']:.0f} ms, {row['queries']} queries | "
                f"p50 {row['p50_ms']:.0f} ms | < {PAGE_P95_MS:.0f} ms {_mark(ok)} |"
            )
    for label, row in s.get("throughput", {}).items():
        api, bare = row["api"], row["bare"]
        lines.append(
            f"| throughput {label}: API ÷ bare view | {row['ratio']:.2f}× | "
            f"{api['requests_per_s']:.0f} vs {bare['requests_per_s']:.0f} req/s, p95 "
            f"{api['p95_ms']:.0f} vs {bare['p95_ms']:.0f} ms | "
            f"≥ {THROUGHPUT_RATIO}× {_mark(row['ratio'] >= THROUGHPUT_RATIO)} |"
        )
    if row := s.get("ingestion"):
        ok = row["orders_per_s"] >= INGESTION_PER_S and row["stored"] == row["orders"]
        lines.append(
            f"| ingestion, batches of 500, {row['clients']} clients | "
            f"{row['orders_per_s']:,.0f} orders/s | {row['stored']:,} stored in "
            f"{row['seconds']:.1f} s | ≥ {INGESTION_PER_S:,} {_mark(ok)} |"
        )
    if row := s.get("fanout"):
        one, two = row["1 worker(s)"], row["2 worker(s)"]
        lines.append(
            f"| fan-out `{one['name']}`, {one['chunks']} chunks: 1 → 2 workers | "
            f"{row['speed-up']:.2f}× faster | {one['seconds']:.2f} s → {two['seconds']:.2f} s | |"
        )
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description="SellerCX benchmarks (issue #8)")
    parser.add_argument("--scale", default="medium")
    parser.add_argument("--database", help="database name (default sellercx_bench_<scale>)")
    parser.add_argument("--no-generate", action="store_true", help="fail if no data is loaded")
    parser.add_argument("--runs", type=int, default=5, help="runs of each recompute, at least")
    parser.add_argument(
        "--min-seconds",
        type=float,
        default=1.0,
        help="more runs of a fast recompute, until they add up to this (at most 15 runs)",
    )
    parser.add_argument("--requests", type=int, default=30, help="requests per page")
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per endpoint")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--batches", type=int, default=40, help="ingestion batches of 500")
    parser.add_argument("--ingest-clients", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--fanout", default="metrics", help="the recompute to fan out")
    parser.add_argument("--fanout-chunk", type=int, default=100, help="sellers per task")
    parser.add_argument("--only", help=f"comma-separated: {','.join(SCENARIOS)}")
    parser.add_argument(
        "--no-baselines", action="store_true", help="time the recomputes only (large: linearity)"
    )
    parser.add_argument("--output", type=Path)
    args = parser.parse_args(argv)
    scale = get(args.scale)
    chosen = args.only.split(",") if args.only else SCENARIOS
    unknown = set(chosen) - set(SCENARIOS)
    if unknown:
        parser.error(f"unknown scenario(s): {', '.join(sorted(unknown))}")

    url = gen.database_url(scale.name, args.database)
    if args.no_generate:
        gen.setup_django(url)
        meta = gen.loaded_meta()
        if meta is None or meta["scale"] != scale.name:
            raise SystemExit(f"no {scale.name} data in {url}: run make bench-data")
    else:
        meta = gen.ensure_loaded(scale, url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)  # features that landed after the data was loaded

    left = _forget_ingested()
    if left:
        say(f"removed {left:,} orders an earlier ingestion run left")
    bench = Bench(args, url, meta)
    results: dict[str, Any] = {
        "scale": scale.name,
        "rows": sum(meta["counts"].values()),
        "counts": meta["counts"],
        "generated_at": meta["generated_at"].isoformat(),
        "ran_at": datetime.now(UTC).isoformat(),
        "machine": machine(),
        "biggest_seller": {"id": bench.seller.pk, "orders": bench.seller_orders},
        "scenarios": {},
    }
    for name in chosen:
        results["scenarios"][name] = globals()[f"scenario_{name}"](bench)
    table = markdown(results)
    results["markdown"] = table
    output = args.output or RESULTS / f"{scale.name}.json"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(results, indent=2, default=str) + "\n")
    print(table)
    say(f"written to {output}")
    return results


if __name__ == "__main__":
    main()
